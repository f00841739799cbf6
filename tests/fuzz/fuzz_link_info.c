/*
 * fuzz_link_info: rtnetlink link messages as link-monitor's daemon receives
 * them. libmnl has already checked that a message fits its buffer, so the
 * input is one message whose length field says exactly its size; libmnl
 * walks attributes up to the aligned end, and a receive buffer always has
 * room for that padding, so the copy has it too.
 */
#include <errno.h>
#include <linux/netlink.h>

#include "fuzz.h"
#include "linkset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct link_info info = {.ifindex = -7};
	struct nlmsghdr *nlh;
	void *buf;
	int r;

	if (size < sizeof(struct nlmsghdr) || size > 65536)
		return 0;
	/* A copy aligned and padded as a netlink receive buffer is. */
	buf = calloc(1, NLMSG_ALIGN(size));
	if (!buf)
		abort();
	memcpy(buf, data, size);
	nlh = buf;
	nlh->nlmsg_len = (uint32_t)size;
	r = link_info_parse(nlh, &info);
	FUZZ_ASSERT(r == 0 || r == -ENOMSG || r == -EBADMSG);
	if (r == 0) {
		FUZZ_ASSERT(info.ifindex > 0);
		FUZZ_ASSERT(memchr(info.name, '\0', sizeof(info.name)) != NULL);
	} else {
		FUZZ_ASSERT(info.ifindex == -7);
	}
	free(buf);
	return 0;
}
