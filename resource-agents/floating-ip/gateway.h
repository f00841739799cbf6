/*
 * The gateway the floating IP's traffic leaves through, for the verify
 * step: of the main table's unicast routes with a gateway out of the
 * address's interface, a default route first, then the lowest metric. The
 * kernel's routing table is the source of truth, read over rtnetlink.
 */
#pragma once

#include "inaddr.h"
#include "netlink.h"

/* The gateway of family through ifindex: 0 and ret_gw, -ENOENT when there is none. */
int gateway_find(struct nl *nl, int family, int ifindex, struct inaddr *ret_gw);
