/*
 * Where the floating IP goes on this node: the interface (named or found by
 * subnet), the prefix (given or taken from the connected route) and the
 * label. Resolution failures carry the OCF code they deserve: a subnet that
 * is missing here is OCF_ERR_INSTALLED (another node may have it), an
 * ambiguous one is OCF_ERR_CONFIGURED (set nic), and so is an ip that is
 * the network or broadcast address of the subnet it lands in.
 */
#pragma once

#include <net/if.h>

#include "agent.h"
#include "fip.h"
#include "iface.h"

struct target {
	struct iface iface;
	unsigned prefix;
	char label[IFNAMSIZ]; /* empty for none */
};

enum ocf_exitcode target_resolve(struct agent_ctx *ctx, struct nl *nl, struct target *ret_target);
