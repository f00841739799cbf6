/*
 * fuzz_echo: ICMP and ICMPv6 echo replies as reach-monitor reads them from
 * its sockets, for both families, with and without the IPv4 header a raw
 * socket hands back. The first input byte picks the variant.
 */
#include <errno.h>
#include <netinet/in.h>

#include "echo.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct echo e = {.id = 7, .seq = 7, .token = 7};
	int family, r;
	bool raw;

	if (size < 1)
		return 0;
	family = (data[0] & 1) ? AF_INET6 : AF_INET;
	raw = family == AF_INET && (data[0] & 2);
	r = echo_parse(family, raw, data + 1, size - 1, &e);
	FUZZ_ASSERT(r == 0 || r == -ENOMSG || r == -EBADMSG);
	if (r < 0)
		FUZZ_ASSERT(e.id == 7 && e.seq == 7 && e.token == 7);
	return 0;
}
