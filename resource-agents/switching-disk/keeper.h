/*
 * The lease keeper: a small process forked at start that renews the lease
 * every lease_timeout/3 while the disk is mounted. It is recorded as a
 * verified process identity, and notes each renewal (monotonic time) in
 * the state directory, so the monitor checks it by reading two small files:
 * no fork, no disk I/O. A keeper that finds another node's record on the
 * device notes the holder and exits: the lease is no longer ours.
 */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "lease.h"
#include "leaseio.h"

enum keeper_health {
	KEEPER_NONE,  /* never started (or stopped) */
	KEEPER_OK,    /* alive and renewed within the timeout */
	KEEPER_DEAD,  /* the recorded process is gone */
	KEEPER_LOST,  /* it found another node's record: holder says whose */
	KEEPER_STALE, /* alive but no renewal for age_ms (a hung lease device) */
};

struct keeper_status {
	enum keeper_health health;
	uint64_t age_ms; /* since the last renewal */
	char holder[LEASE_OWNER_MAX + 1];
};

/*
 * Fork the keeper for held (the record just written) on lio, keeping its
 * notes in statefd. The keeper keeps its own duplicates of both descriptors.
 */
int keeper_start(int statefd, const struct leaseio *lio, const struct lease_rec *held);

/* How the keeper is doing, for a lease of timeout_ms. Reads state files only. */
int keeper_check(int statefd, uint64_t timeout_ms, struct keeper_status *ret);

/* End the keeper (SIGTERM, wait until deadline) and forget its notes. */
int keeper_stop(int statefd, deadline_t deadline);
