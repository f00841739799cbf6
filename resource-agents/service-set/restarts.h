/*
 * What an in-place restart leaves where administrators look, besides the
 * log line and the cluster alert: the count of in-place restarts of the
 * set on this node since boot, kept in the state directory (restarts.total)
 * and published as the node attribute exha-restarts-<instance> (crm_mon -A),
 * and the last one, "<epoch ms> <member>" in exha-restarted-<instance>,
 * which exha-timeline reads from the CIB's status section.
 */
#pragma once

#include <stdint.h>

#include "agent.h"

#define RESTARTS_TOTAL	      "restarts.total"
#define RESTARTS_ATTR_PREFIX  "exha-restarts-"
#define RESTARTED_ATTR_PREFIX "exha-restarted-"

/*
 * Count one restart of member in statefd (the new count in *ret_total once
 * counted), then publish the count and this restart (now, member): 0, or
 * -errno (not counted when *ret_total is 0; counted but not published
 * otherwise).
 */
int restarts_count_one(struct agent_ctx *ctx, int statefd, const char *member, uint64_t *ret_total);
