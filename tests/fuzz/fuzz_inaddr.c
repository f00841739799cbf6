/*
 * fuzz_inaddr: the ip and cidr_netmask parsers and the subnet arithmetic.
 * An accepted address formats and parses back to itself and lies in every
 * subnet of its own; an accepted prefix is within the family's range; the
 * IPv4 broadcast stays inside the subnet. Raw input bytes also serve as an
 * address, a network and a prefix for inaddr_in_subnet().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "inaddr.h"

static void check_host(const char *s)
{
	char buf[INADDR_STRLEN];
	const char *reason = NULL;
	struct inaddr a, again;
	unsigned max;
	int r;

	r = inaddr_parse_host(s, &a, &reason);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL && reason && reason[0]);
		return;
	}
	FUZZ_ASSERT(a.family == AF_INET || a.family == AF_INET6);
	FUZZ_ASSERT(inaddr_parse_host(inaddr_format(&a, buf), &again, &reason) == 0);
	FUZZ_ASSERT(inaddr_equal(&a, &again));
	max = inaddr_max_prefix(a.family);
	for (unsigned p = 0; p <= max; p++) {
		struct in_addr brd;

		FUZZ_ASSERT(inaddr_in_subnet(&a, &a, p));
		if (inaddr_broadcast(&a, p, &brd)) {
			FUZZ_ASSERT(a.family == AF_INET && p < 31);
			FUZZ_ASSERT(inaddr_from_bytes(AF_INET, &brd, 4, &again) == 0);
			FUZZ_ASSERT(inaddr_in_subnet(&again, &a, p));
		}
	}
	FUZZ_ASSERT(!inaddr_in_subnet(&a, &a, max + 1));
}

static void check_prefix(const char *s, int family)
{
	unsigned p = 12345;
	int r = inaddr_parse_prefix(s, family, &p);

	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL || r == -ERANGE);
		FUZZ_ASSERT(p == 12345);
		return;
	}
	FUZZ_ASSERT(p >= 1 && p <= inaddr_max_prefix(family));
	if (family == AF_INET && strchr(s, '.')) {
		/* A netmask: the mask of that length is written the same way. */
		struct in_addr mask = {.s_addr = htonl(0xffffffffu << (32 - p))};
		char buf[INET_ADDRSTRLEN];

		FUZZ_ASSERT(inet_ntop(AF_INET, &mask, buf, sizeof(buf)));
		FUZZ_ASSERT(strcmp(buf, s) == 0);
	}
}

/* Membership is symmetric and a shorter prefix holds what a longer one does. */
static void check_subnet(const uint8_t *data, size_t size)
{
	int family;
	unsigned len, prefix;
	struct inaddr a, n;

	if (size < 2)
		return;
	family = data[0] & 1 ? AF_INET6 : AF_INET;
	len = inaddr_len(family);
	prefix = data[1];
	if (size < 2 + 2 * len)
		return;
	FUZZ_ASSERT(inaddr_from_bytes(family, data + 2, len, &a) == 0);
	FUZZ_ASSERT(inaddr_from_bytes(family, data + 2 + len, len, &n) == 0);
	FUZZ_ASSERT(inaddr_in_subnet(&a, &n, prefix) == inaddr_in_subnet(&n, &a, prefix));
	if (inaddr_in_subnet(&a, &n, prefix) && prefix > 0)
		FUZZ_ASSERT(inaddr_in_subnet(&a, &n, prefix - 1));
	if (prefix > inaddr_max_prefix(family))
		FUZZ_ASSERT(!inaddr_in_subnet(&a, &n, prefix));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);

	check_host(s);
	check_prefix(s, AF_INET);
	check_prefix(s, AF_INET6);
	check_subnet(data, size);
	free(s);
	return 0;
}
