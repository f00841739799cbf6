/*
 * The lease on its device: direct (O_DIRECT, O_DSYNC) reads and writes of
 * the first 4 KiB block, so every node sees the disk, never a page cache,
 * and the acquire protocol around them.
 *
 * Acquire: read; decide (lease.h); write ours with the next generation;
 * wait the collision window; read again: ours, at that generation, or we
 * lost a race to a later writer. Sound as long as a contender's read and
 * write both complete within the window (one sector of I/O against 100 ms
 * or more); a contender slower than half the window between its read and
 * its write starts over instead of writing, and one whose WRITE completes
 * later than that never claims it (the record is then watched like a stale
 * lease). Every read and write is direct and timed by its caller: what a
 * late write means for a holder is in leasetime.h and keeper.c.
 */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "lease.h"
#include "leasearea.h"

/*
 * An open lease: the device, and where on it this resource's record block
 * lies. Every lease read and write goes through one, so the place of a
 * record is decided once, where the device is opened.
 */
struct leaseio {
	int fd;
	uint64_t offset; /* byte offset of the record's LEASE_BLOCK_SIZE block */

	/* Its format (v1 when zero), slot and resource: leasedev_open sets it. */
	struct leasearea_place place;
};

#define LEASEIO_NULL ((struct leaseio){.fd = -1, .offset = 0})

/*
 * Open path for direct I/O into ret (a v1 record at offset 0: leasedev_open
 * opens a slot). -ENOTBLK when not a block device. ret is untouched on
 * failure; leaseio_close frees it.
 */
int leaseio_open(const char *path, struct leaseio *ret);

/* Close lio's descriptor (if open) and reset it to LEASEIO_NULL. */
void leaseio_close(struct leaseio *lio);

/* Read and decode: the decode answer (0, 1 blank) in ret_decode, which may be negative. */
int leaseio_read(const struct leaseio *lio, struct lease_rec *ret_rec, int *ret_decode);

int leaseio_write(const struct leaseio *lio, const struct lease_rec *rec);

/* CLOCK_REALTIME in milliseconds: the renewal stamp (see lease.h on clocks). */
uint64_t leaseio_realtime_ms(void);

/*
 * Take the lease for me. 0 and ret_mine (the record written) on success.
 * -EBUSY: another node holds it (ret_seen names it); -EBADMSG: the record
 * is corrupt; -EPROTONOSUPPORT: a newer format; -ETIME: the deadline came
 * first (a takeover needs timeout_ms of watching); -errno for I/O.
 *
 * fenced (may be NULL): a foreign record whose holder the cluster has
 * proven dead (fenced, and not a member since). When the device still
 * holds exactly that record (every field equal), it is taken without
 * watching; any difference means the proof is about another keeper's
 * record and the ordinary watch applies.
 *
 * ret_written_us (may be NULL): when the write that took the lease started
 * (CLOCK_MONOTONIC): the holder's right to write runs from there
 * (leasetime.h). A write that completed too late for the collision window
 * is never claimed (see leaseio.c).
 */
int leaseio_acquire(const struct leaseio *lio, const char *me, uint32_t timeout_ms,
		    deadline_t deadline, const struct lease_rec *fenced, struct lease_rec *ret_mine,
		    struct lease_rec *ret_seen, uint64_t *ret_written_us);

/*
 * Renew held (the record last written): read, check it is still exactly
 * that, write the next generation into *held. 0 renewed; 1 renewed over a
 * late write older than held (ret_seen shows it); -ESTALE (and ret_seen)
 * when another node has written a newer record since, or the record is
 * damaged; -ETIME when not_after passed before the write (nothing written).
 */
int leaseio_renew(const struct leaseio *lio, struct lease_rec *held, deadline_t not_after,
		  struct lease_rec *ret_seen);

/* Mark the lease free, if it is still me's. Someone else's lease is left alone (0). */
int leaseio_release(const struct leaseio *lio, const char *me);
