/*
 * The lease keeper: a small process forked at start that renews the lease
 * every third of lease_timeout while the disk is mounted, and is the
 * holder's only judge of its own right to write (leasetime.h): that right
 * ends lease_timeout less a margin after the start of the last renewal
 * that counted. When it ends without a renewal (a stalled lease write, a
 * paused node), when a renewal completes too late, or when the keeper
 * finds a newer record of another node, the keeper fences this node off
 * the disk at once (selffence.h: filesystem shutdown without log flush,
 * then SIGKILL to the mount's holders), notes why, raises a cluster alert
 * and exits; a watchdog, when configured, resets a node too stuck to do
 * even that.
 *
 * It is recorded as a verified process identity, and notes each renewal
 * (monotonic time) in the state directory, so the monitor checks it by
 * reading small files: no fork, no disk I/O.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "deadline.h"
#include "lease.h"
#include "leaseio.h"

enum keeper_health {
	KEEPER_NONE,   /* never started (or stopped) */
	KEEPER_OK,     /* alive and renewed within the timeout */
	KEEPER_DEAD,   /* the recorded process is gone */
	KEEPER_FENCED, /* it fenced this node off the disk: reason says why */
	KEEPER_STALE,  /* alive but no renewal for age_ms (a hung lease device) */
};

struct keeper_status {
	enum keeper_health health;
	uint64_t age_ms; /* since the last renewal */
	char reason[400];
};

/* What the keeper guards and how, besides the lease. */
struct keeper_opts {
	uint64_t written_us;   /* when the write that took the lease started (monotonic) */
	const char *directory; /* the mount point, in the keeper's mount namespace */
	const char *device;    /* the data device's path (its cache is flushed in time) */
	dev_t rdev;	       /* the data device: only its filesystem is shut down */
	bool self_fence;       /* false: self_fence=none, the shutdown is skipped */
	int watchdog_fd;       /* armed (watchdog.h), or -1; the keeper takes it over */
	/* Raise the cluster alert (may be NULL); runs in the keeper. */
	void (*alert)(void *arg, const char *why);
	void *alert_arg;
};

/*
 * Fork the keeper for held (the record just written) on lio, keeping its
 * notes in statefd. The keeper keeps its own duplicates of the descriptors;
 * o->watchdog_fd is closed here (the keeper holds it) even on failure.
 */
int keeper_start(int statefd, const struct leaseio *lio, const struct lease_rec *held,
		 const struct keeper_opts *o);

/* How the keeper is doing, for a lease of timeout_ms. Reads state files only. */
int keeper_check(int statefd, uint64_t timeout_ms, struct keeper_status *ret);

/* End the keeper (SIGTERM: it disarms the watchdog; wait until deadline) and forget its notes. */
int keeper_stop(int statefd, deadline_t deadline);
