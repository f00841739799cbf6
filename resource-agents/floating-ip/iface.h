/*
 * Interfaces as the floating IP needs them: look one up by name or index
 * (flags, MAC), and find the interface whose connected subnet holds an
 * address (the kernel's routing table is the source of truth).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "inaddr.h"
#include "netlink.h"

struct iface {
	int ifindex;
	char name[IFNAMSIZ];
	unsigned flags; /* IFF_* */
	uint8_t mac[6];
	bool has_mac; /* an Ethernet-like link-layer address of 6 bytes */
};

/* -ENODEV when there is no such interface. */
int iface_by_name(struct nl *nl, const char *name, struct iface *ret_iface);
int iface_by_index(struct nl *nl, int ifindex, struct iface *ret_iface);

/* Administratively up and carrier present. */
bool iface_is_up(const struct iface *iface);

#define IFACE_MATCH_MAX 8

struct subnet_match {
	int ifindex;
	unsigned prefix; /* longest connected prefix on that interface */
};

/*
 * Connected (gateway-less, unicast, main table) routes containing addr, one
 * per interface, restricted to only_ifindex when non-zero. Returns the
 * number found (may exceed max: only max are stored) or -errno.
 */
int iface_find_subnets(struct nl *nl, const struct inaddr *addr, int only_ifindex,
		       struct subnet_match *matches, unsigned max);
