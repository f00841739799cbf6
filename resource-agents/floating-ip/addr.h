/*
 * The floating address itself over rtnetlink: where it is, add it, delete
 * it, wait for IPv6 duplicate address detection. "Already there" on add and
 * "not there" on delete come back as the kernel's -EEXIST/-EADDRNOTAVAIL so
 * the action layer can call them success.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "deadline.h"
#include "inaddr.h"
#include "netlink.h"

struct addr_where {
	unsigned count; /* interfaces holding the address */
	int ifindex;	/* the first one (or the wanted one when it holds it) */
	unsigned prefix;
	uint32_t flags; /* IFA_F_* */
	char label[IFNAMSIZ];
};

/*
 * Find addr on any interface; prefer_ifindex (0: none) is reported when it
 * holds the address. count is 0 when nobody has it.
 */
int addr_find(struct nl *nl, const struct inaddr *addr, int prefer_ifindex,
	      struct addr_where *ret_where);

struct addr_spec {
	const struct inaddr *addr;
	unsigned prefix;
	int ifindex;
	const char *label;	/* IPv4, NULL for none */
	bool nodad;		/* IPv6: skip duplicate address detection */
	uint32_t preferred_lft; /* IPv6, UINT32_MAX = forever */
};

int addr_add(struct nl *nl, const struct addr_spec *spec);
int addr_del(struct nl *nl, const struct inaddr *addr, unsigned prefix, int ifindex);

enum dad_result {
	DAD_DONE,
	DAD_FAILED,
};

/*
 * Wait on events (an nl opened with RTMGRP_IPV6_IFADDR before the add) until
 * the kernel finishes DAD for addr on ifindex or the deadline passes
 * (-ETIME). -EADDRNOTAVAIL when the address disappears meanwhile.
 */
int addr_wait_dad(struct nl *events, const struct inaddr *addr, int ifindex, deadline_t deadline,
		  enum dad_result *ret_result);

/* Whether flags say DAD is still running / has failed. */
bool addr_flags_tentative(uint32_t flags);
bool addr_flags_dadfailed(uint32_t flags);
