/*
 * What an in-place restart leaves where administrators look, besides the
 * log line and the cluster alert: the count of in-place restarts of the
 * set on this node since boot, kept in the state directory (restarts.total)
 * and published as the node attribute exha-restarts-<instance> (crm_mon -A).
 */
#pragma once

#include <stdint.h>

#include "agent.h"

#define RESTARTS_TOTAL	     "restarts.total"
#define RESTARTS_ATTR_PREFIX "exha-restarts-"

/*
 * Count one restart in statefd (the new count in *ret_total once counted)
 * and publish the count: 0, or -errno (not counted when *ret_total is 0;
 * counted but not published otherwise).
 */
int restarts_count_one(struct agent_ctx *ctx, int statefd, uint64_t *ret_total);
