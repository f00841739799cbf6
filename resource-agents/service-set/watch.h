/*
 * The per-set watcher: a small process that start forks (shared/child.c,
 * a session of its own) and records by identity in the state directory,
 * which waits without polling for a member to die (a pidfd for lsb and
 * exec, the unit's PropertiesChanged on the bus for systemd) and then, under
 * the instance lock, restarts it in place within the same restart budget
 * as the monitor (ARMLoad /R <count> watched the process the same way).
 *
 * It lives as long as the resource is started here: stop ends it first, by
 * its recorded identity, before it stops a member; a start ends a leftover
 * one (an agent killed during start, a failed stop) before it starts its
 * own. It never restarts a member during stop (the lock, then the start
 * marker, checked under it) and never once the budget is spent: it stops
 * watching that member and the next monitor fails it, so Pacemaker's
 * recovery is never fought.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "agent.h"
#include "backend.h"
#include "deadline.h"

#define WATCHER_RECORD "watcher"      /* written by start after the fork */
#define WATCHER_SELF   "watcher.self" /* written by the watcher itself, first */

struct watcher {
	struct agent_ctx *ctx;
	const struct ss_config *c;
	const struct backend *be;
	const char *marker; /* the state file that says the set is started here */
	/*
	 * Member i died: called in the watcher with the instance lock held and
	 * the marker present, statefd the watcher's own. 1 when it runs again
	 * (or still ran), -errno when it stays down (budget spent, restart
	 * failed: the monitor's verdict).
	 */
	int (*recover)(struct agent_ctx *ctx, int statefd, size_t i);
};

/*
 * Fork the watcher and record it as WATCHER_RECORD in statefd (the child
 * records itself as WATCHER_SELF, before anything else, so an agent killed
 * right after the fork leaves a watcher that stop can still find; two
 * records, since two writers of one would collide). 0 and its pid.
 */
int watcher_spawn(const struct watcher *w, int statefd, pid_t *ret_pid);

/*
 * End the recorded watcher, under either record (SIGTERM, SIGKILL half way to the deadline) and
 * forget it: 1 when one ran, 0 when none did, -ETIME when it outlived
 * SIGKILL, -errno. A damaged record is removed and nothing is signalled.
 */
int watcher_end(int statefd, deadline_t deadline, pid_t *ret_pid);
