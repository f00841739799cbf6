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

/*
 * The mark on every address floating-ip adds: IFA_PROTO, the address's
 * origin, as the kernel marks the addresses it makes itself (Linux 5.18 and
 * later keep it; Debian 12's 6.1 does). Start adopts, monitor counts and
 * stop deletes only an address that carries it, never one the node's own
 * configuration or an administrator put there. A kernel that drops the
 * attribute fails start (OCF_ERR_INSTALLED) rather than leave stop unable
 * to tell.
 */
#define ADDR_PROTO_EXHA 0xea

struct addr_where {
	unsigned count; /* interfaces holding the address */
	int ifindex;	/* the first one (or the wanted one when it holds it) */
	unsigned prefix;
	uint32_t flags; /* IFA_F_* */
	char label[IFNAMSIZ];
	bool has_proto; /* the kernel reported IFA_PROTO */
	uint8_t proto;
};

/* Whether exha put the address found there (it carries ADDR_PROTO_EXHA). */
static inline bool addr_where_is_ours(const struct addr_where *w)
{
	return w->has_proto && w->proto == ADDR_PROTO_EXHA;
}

/*
 * Find addr on any interface; prefer_ifindex (0: none) is reported when it
 * holds the address, else one exha put there, else the first. count is 0
 * when nobody has it.
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

/* Whether flags say DAD has failed. */
bool addr_flags_dadfailed(uint32_t flags);
