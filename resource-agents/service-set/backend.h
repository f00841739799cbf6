/*
 * One small interface over the three ways a service is run: systemd over
 * D-Bus, LSB init scripts, and exec (a daemon exha starts itself). The
 * action layer only ever calls these; each returns -errno and explains a
 * failure in err, never logs above debug.
 */
#pragma once

#include <stdbool.h>

#include "deadline.h"
#include "error.h"
#include "ss.h"

struct backend_ctx {
	int statefd;	     /* /run/exha/<instance>/, or -1 */
	void *bus;	     /* systemd: the sd_bus connection, opened on first use */
	deadline_t deadline; /* the action's: no call to the backend may outlive it */
};

struct backend {
	const char *name;
	/*
	 * Start and return once the backend says it runs (not yet probed);
	 * -ENOPKG when the service is not installed on this node.
	 */
	int (*start)(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		     struct error *err);
	/*
	 * Before a start: forget a failure the init system holds against it
	 * (systemd: the failed state and the start rate limit), so that the
	 * cluster, not the init system, decides whether it starts again. 1
	 * when it was failed (how, in err), 0 when not. Optional.
	 */
	int (*reset_failed)(struct backend_ctx *b, const struct ss_service *s, struct error *err);
	/* Ask it to stop and wait until it has: -ETIME when it still runs at the deadline. */
	int (*stop)(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		    struct error *err);
	/* SIGKILL whatever of it remains and wait; returns how many processes it killed. */
	int (*kill)(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		    struct error *err);
	/* 1 running, 0 not; forks nothing except lsb without a pid file. */
	int (*status)(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		      struct error *err);
	/*
	 * 0 when it is installed on this node; -ENOPKG when it is not (what is
	 * missing, in err); another -errno when the backend cannot tell.
	 */
	int (*installed)(struct backend_ctx *b, const struct ss_service *s, struct error *err);
	/* Release what the backend holds (the bus). */
	void (*close)(struct backend_ctx *b);
};

extern const struct backend backend_lsb;
extern const struct backend backend_exec;
extern const struct backend backend_systemd;

const struct backend *backend_of(enum ss_backend which);
