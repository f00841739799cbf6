/*
 * Address arithmetic for the floating IP. The kernel's connected route is
 * the source of truth for "which subnet is this interface on"; these helpers
 * only compare bytes.
 */
#include "inaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "strutil.h"

unsigned inaddr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

unsigned inaddr_max_prefix(int family)
{
	return inaddr_len(family) * 8;
}

static const char *reason_v4(const struct in_addr *a)
{
	uint32_t h = ntohl(a->s_addr);

	if (h == 0)
		return "the unspecified address cannot be a floating IP";
	if ((h >> 24) == 127)
		return "a loopback address cannot be a floating IP";
	if ((h >> 28) == 0xe)
		return "a multicast address cannot be a floating IP";
	if (h == 0xffffffffu)
		return "the broadcast address cannot be a floating IP";
	/* Class E: hosts and routers drop it by default. */
	if ((h >> 28) == 0xf)
		return "a reserved (240.0.0.0/4) address cannot be a floating IP";
	return NULL;
}

static const char *reason_v6(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		return "the unspecified address cannot be a floating IP";
	if (IN6_IS_ADDR_LOOPBACK(a))
		return "a loopback address cannot be a floating IP";
	if (IN6_IS_ADDR_MULTICAST(a))
		return "a multicast address cannot be a floating IP";
	if (IN6_IS_ADDR_LINKLOCAL(a))
		return "a link-local address cannot be a floating IP";
	if (IN6_IS_ADDR_V4MAPPED(a))
		return "write an IPv4-mapped address as plain IPv4";
	return NULL;
}

int inaddr_parse_host(const char *s, struct inaddr *ret_addr, const char **ret_reason)
{
	struct inaddr a = {0};
	const char *reason;

	if (!s || !ret_addr || !ret_reason)
		return -EINVAL;
	if (strchr(s, '/')) {
		*ret_reason =
			"must be an address without a prefix: set cidr_netmask for the prefix";
		return -EINVAL;
	}
	if (inet_pton(AF_INET, s, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.v6) == 1)
		a.family = AF_INET6;
	else {
		*ret_reason = "must be an IPv4 or IPv6 address";
		return -EINVAL;
	}
	reason = a.family == AF_INET ? reason_v4(&a.v4) : reason_v6(&a.v6);
	if (reason) {
		*ret_reason = reason;
		return -EINVAL;
	}
	*ret_addr = a;
	return 0;
}

static int prefix_from_netmask(uint32_t mask, unsigned *ret_prefix)
{
	unsigned n = 0;

	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	/* Contiguous: every bit after the first zero is zero as well. */
	if (n < 32 && (mask << n) != 0)
		return -EINVAL;
	*ret_prefix = n;
	return 0;
}

int inaddr_parse_prefix(const char *s, int family, unsigned *ret_prefix)
{
	struct in_addr mask;
	unsigned prefix;
	uint64_t v;
	int r;

	if (!s || !ret_prefix || inaddr_len(family) == 0)
		return -EINVAL;
	if (family == AF_INET && strchr(s, '.')) {
		if (inet_pton(AF_INET, s, &mask) != 1)
			return -EINVAL;
		r = prefix_from_netmask(ntohl(mask.s_addr), &prefix);
		if (r < 0)
			return r;
		/* 0.0.0.0 is contiguous but, like "0", no prefix an address can have. */
		if (prefix == 0)
			return -ERANGE;
		*ret_prefix = prefix;
		return 0;
	}
	r = parse_uint64(s, 1, inaddr_max_prefix(family), &v);
	if (r < 0)
		return r;
	*ret_prefix = (unsigned)v;
	return 0;
}

bool inaddr_in_subnet(const struct inaddr *addr, const struct inaddr *net, unsigned prefix)
{
	unsigned full, rest;

	if (!addr || !net || addr->family != net->family ||
	    prefix > inaddr_max_prefix(addr->family))
		return false;
	full = prefix / 8;
	rest = prefix % 8;
	if (memcmp(addr->bytes, net->bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((addr->bytes[full] ^ net->bytes[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

bool inaddr_broadcast(const struct inaddr *addr, unsigned prefix, struct in_addr *ret_brd)
{
	uint32_t host_mask;

	if (!addr || addr->family != AF_INET || prefix >= 31 || !ret_brd)
		return false;
	host_mask = prefix == 0 ? 0xffffffffu : (0xffffffffu >> prefix);
	ret_brd->s_addr = htonl(ntohl(addr->v4.s_addr) | host_mask);
	return true;
}

const char *inaddr_subnet_role(const struct inaddr *addr, unsigned prefix)
{
	unsigned len, max, i;
	bool zero = true, ones = true;

	if (!addr || (addr->family != AF_INET && addr->family != AF_INET6))
		return NULL;
	len = inaddr_len(addr->family);
	max = inaddr_max_prefix(addr->family);
	/* /31 and /32 (RFC 3021), /127 and /128 (RFC 6164): every address is a host. */
	if (prefix == 0 || prefix + 1 >= max)
		return NULL;
	for (i = prefix; i < len * 8; i++) {
		bool bit = addr->bytes[i / 8] & (0x80u >> (i % 8));

		zero = zero && !bit;
		ones = ones && bit;
	}
	if (zero)
		return "the network address";
	if (ones && addr->family == AF_INET)
		return "the broadcast address";
	return NULL;
}

bool inaddr_equal(const struct inaddr *a, const struct inaddr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, inaddr_len(a->family)) == 0;
}

const char *inaddr_format(const struct inaddr *addr, char *buf)
{
	if (!inet_ntop(addr->family, addr->bytes, buf, INADDR_STRLEN))
		memcpy(buf, "?", 2);
	return buf;
}

int inaddr_from_bytes(int family, const void *bytes, unsigned len, struct inaddr *ret_addr)
{
	struct inaddr a = {.family = family};

	if (!bytes || !ret_addr || inaddr_len(family) == 0 || len != inaddr_len(family))
		return -EINVAL;
	memcpy(a.bytes, bytes, len);
	*ret_addr = a;
	return 0;
}
