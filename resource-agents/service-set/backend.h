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

/* What the watcher (watch.h) polls for one member: a pidfd, or a bus of its own. */
struct backend_watch {
	int fd;	   /* readable when the member may have died */
	void *bus; /* systemd: the connection fd belongs to, its match on the unit */
	void *slot;
	char unit[256];
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
	/*
	 * Begin watching s without polling: 1 with w->fd to poll when it runs,
	 * 0 when it does not run now, -ENOKEY when nothing can tell its death
	 * but a poll (an init script's status), -errno. Optional.
	 */
	int (*watch)(struct backend_ctx *b, const struct ss_service *s, struct backend_watch *w,
		     struct error *err);
	/*
	 * w->fd polled readable: 1 when s has died (or may have: the caller
	 * checks its status under the instance lock), 0 when not yet. NULL:
	 * readable means dead (a pidfd).
	 */
	int (*watch_event)(struct backend_watch *w);
	/* Release w (closes w->fd). NULL: close(w->fd). */
	void (*watch_close)(struct backend_watch *w);
	/* Release what the backend holds (the bus). */
	void (*close)(struct backend_ctx *b);
};

extern const struct backend backend_lsb;
extern const struct backend backend_exec;
extern const struct backend backend_systemd;

const struct backend *backend_of(enum ss_backend which);
