/*
 * ocf:exha:reach-monitor: ICMP echo to a list of targets (a gateway, the
 * other node, a router) from a daemon; the number that answer, times
 * multiplier, is the node attribute, as with ocf:pacemaker:ping.
 */
#pragma once

#include <sys/socket.h>

#include "agent.h"
#include "mon.h"

#define REACH_MAX_TARGETS 32

struct reach_target {
	struct sockaddr_storage addr;
	socklen_t len;
	char text[64];
};

struct reach_config {
	struct mon_attr attr;
	struct reach_target *targets; /* n_targets, parsed from the list */
	unsigned n_targets;
	uint64_t interval_s;
	uint64_t count;
	uint64_t timeout_ms;
};

#define REACH_N_PARAMS (4 + MON_ATTR_N_PARAMS)
extern const struct param_def reach_params[REACH_N_PARAMS];
int reach_config_check(void *config, struct error *err);
