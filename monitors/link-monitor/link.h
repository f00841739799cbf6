/*
 * ocf:exha:link-monitor: the carrier of named interfaces, watched through
 * rtnetlink notifications (no polling), published as a node attribute.
 */
#pragma once

#include "agent.h"
#include "mon.h"

struct link_config {
	struct mon_attr attr;
	char **interfaces;
};

#define LINK_N_PARAMS (1 + MON_ATTR_N_PARAMS)
extern const struct param_def link_params[LINK_N_PARAMS];
