/*
 * IPv4/IPv6 addresses and prefixes as the floating IP uses them: parsing
 * the ip and cidr_netmask parameters, subnet membership for finding the
 * interface, the IPv4 broadcast. Pure functions: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

struct inaddr {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

#define INADDR_STRLEN INET6_ADDRSTRLEN

/* Address length in bytes for the family (4 or 16), 0 for others. */
unsigned inaddr_len(int family);
unsigned inaddr_max_prefix(int family);

/*
 * A host address a floating IP may use: IPv4 dotted quad or IPv6, no prefix,
 * not unspecified, loopback, multicast, broadcast or IPv6 link-local.
 * -EINVAL with a reason in ret_reason (static string) otherwise.
 */
int inaddr_parse_host(const char *s, struct inaddr *ret_addr, const char **ret_reason);

/*
 * A prefix length for family: "24", or for IPv4 a contiguous dotted netmask
 * ("255.255.255.0"). -EINVAL when malformed, -ERANGE when too long.
 */
int inaddr_parse_prefix(const char *s, int family, unsigned *ret_prefix);

/* Whether addr is inside net/prefix (same family). */
bool inaddr_in_subnet(const struct inaddr *addr, const struct inaddr *net, unsigned prefix);

/* IPv4 directed broadcast of addr/prefix; none (false) for /31 and /32. */
bool inaddr_broadcast(const struct inaddr *addr, unsigned prefix, struct in_addr *ret_brd);

/*
 * What addr is in its subnet addr/prefix when no host may use it: "the
 * network address" (host bits all zero: IPv4 up to /30; IPv6 up to /126,
 * the subnet-router anycast address) or "the broadcast address" (IPv4 host
 * bits all one, up to /30). NULL for a host address.
 */
const char *inaddr_subnet_role(const struct inaddr *addr, unsigned prefix);

bool inaddr_equal(const struct inaddr *a, const struct inaddr *b);

/* Text form into buf (INADDR_STRLEN bytes). Returns buf. */
const char *inaddr_format(const struct inaddr *addr, char *buf);

/* Build from family + raw bytes (netlink attribute payload). -EINVAL on length mismatch. */
int inaddr_from_bytes(int family, const void *bytes, unsigned len, struct inaddr *ret_addr);
