/*
 * The action layer of what happens on the wire once the floating IP is up
 * (issue 15): start verifies that a neighbour answers the address and
 * starts its defender; monitor reports what the defender noted; stop ends
 * it. Each maps the modules' -errno answers (verify.h, defend.h) to one OCF
 * code and one log line, as main.c does.
 */
#pragma once

#include <stdbool.h>

#include "agent.h"
#include "pkt.h"
#include "target.h"

/* verify=: ask the neighbour from the address over pkt. OCF_ERR_GENERIC naming it when silent. */
enum ocf_exitcode held_verify(struct agent_ctx *ctx, struct pkt *pkt, const struct target *t);

/*
 * defend=true: (re)start the defender; keep_running leaves one that runs
 * alone (a start on a started resource). A failure is logged, never fails
 * start: the address works undefended, as it did before.
 */
void held_defend_start(struct agent_ctx *ctx, const struct target *t, bool keep_running);

/* Ask the defender to end now; held_defend_stop() waits for it. */
void held_defend_hurry(struct agent_ctx *ctx);

/* End the defender (before the address goes: it must not defend an address given up). -errno. */
int held_defend_stop(struct agent_ctx *ctx);

/* The defender's notes: a lost address, or a defender gone. No fork. */
enum ocf_exitcode held_monitor(struct agent_ctx *ctx);
