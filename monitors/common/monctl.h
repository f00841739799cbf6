/*
 * The agent side of a monitor: start launches the daemon (posix_spawn of a
 * separate binary, so the agent itself never loads libcrmcommon) and waits
 * for it to publish; monitor checks that the recorded daemon still runs,
 * forking nothing; stop ends it, and it clears its attribute on the way out.
 * These are action-layer helpers: they log and return OCF codes.
 */
#pragma once

#include "agent.h"

/* <MON_DAEMON_DIR>/<name>d, in buf. */
const char *monctl_daemon_path(const struct agent_ctx *ctx, char *buf, size_t size);

enum ocf_exitcode monctl_start(struct agent_ctx *ctx);
enum ocf_exitcode monctl_monitor(struct agent_ctx *ctx);
enum ocf_exitcode monctl_stop(struct agent_ctx *ctx);
/* validate-all's share: the daemon binary is installed. */
enum ocf_exitcode monctl_validate(struct agent_ctx *ctx);
/* The command-line check: replace this process by "<daemon> check". */
enum ocf_exitcode monctl_check(struct agent_ctx *ctx);
