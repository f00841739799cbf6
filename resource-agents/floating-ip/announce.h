/*
 * Announcements after start: the first goes out before start returns, the
 * rest from a detached process so that start does not wait for them. The
 * process is recorded in the resource's state directory; stop ends it, so
 * no announcement ever follows the address to a node that gave it up.
 */
#pragma once

#include "deadline.h"
#include "pkt.h"

/* Send one announcement now and count-1 more, interval_ms apart, in the background. */
int announcer_start(int statefd, struct pkt *pkt, const struct inaddr *addr, unsigned count,
		    unsigned interval_ms, deadline_t deadline);

/* End the recorded announcer if it still runs and wait until it has; forget it. */
int announcer_stop(int statefd, deadline_t deadline);
