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
 * its write starts over instead of writing.
 */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "lease.h"

/* Open path for direct I/O; descriptor in ret_fd. -ENOTBLK when not a block device. */
int leaseio_open(const char *path, int *ret_fd);

/* Read and decode: the decode answer (0, 1 blank) in ret_decode, which may be negative. */
int leaseio_read(int fd, struct lease_rec *ret_rec, int *ret_decode);

int leaseio_write(int fd, const struct lease_rec *rec);

/* CLOCK_REALTIME in milliseconds: the renewal stamp (see lease.h on clocks). */
uint64_t leaseio_realtime_ms(void);

/*
 * Take the lease for me. 0 and ret_mine (the record written) on success.
 * -EBUSY: another node holds it (ret_seen names it); -EBADMSG: the record
 * is corrupt; -EPROTONOSUPPORT: a newer format; -ETIME: the deadline came
 * first (a takeover needs timeout_ms of watching); -errno for I/O.
 */
int leaseio_acquire(int fd, const char *me, uint32_t timeout_ms, deadline_t deadline,
		    struct lease_rec *ret_mine, struct lease_rec *ret_seen);

/*
 * Renew held (the record last written): read, check it is still exactly
 * that, write the next generation into *held. -ESTALE (and ret_seen) when
 * another node has written since.
 */
int leaseio_renew(int fd, struct lease_rec *held, struct lease_rec *ret_seen);

/* Mark the lease free, if it is still me's. Someone else's lease is left alone (0). */
int leaseio_release(int fd, const char *me);
