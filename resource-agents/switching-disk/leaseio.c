/* Lease device I/O and the acquire protocol: see leaseio.h. */
#include "leaseio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leasetime.h"
#include "macro.h"

int leaseio_open(const char *path, struct leaseio *ret)
{
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (!path || !ret)
		return -EINVAL;
	fd = open(path, O_RDWR | O_DIRECT | O_DSYNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return negative_errno();
	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	*ret = (struct leaseio){.fd = TAKE_FD(fd), .offset = 0};
	return 0;
}

void leaseio_close(struct leaseio *lio)
{
	if (!lio)
		return;
	closep(&lio->fd);
	*lio = LEASEIO_NULL;
}

static void *block_new(void)
{
	void *buf = NULL;

	if (posix_memalign(&buf, LEASE_BLOCK_SIZE, LEASE_BLOCK_SIZE) != 0)
		return NULL;
	memset(buf, 0, LEASE_BLOCK_SIZE);
	return buf;
}

int leaseio_read(const struct leaseio *lio, struct lease_rec *ret_rec, int *ret_decode)
{
	_cleanup_free_ uint8_t *buf = block_new();
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = pread(lio->fd, buf, LEASE_BLOCK_SIZE, (off_t)lio->offset);
	if (n < 0)
		return negative_errno();
	if (n != LEASE_BLOCK_SIZE)
		return -ENOSPC; /* a device smaller than one block cannot hold the lease */
	*ret_decode = leasearea_record_decode(&lio->place, buf, (size_t)n, ret_rec);
	return 0;
}

int leaseio_write(const struct leaseio *lio, const struct lease_rec *rec)
{
	_cleanup_free_ uint8_t *buf = block_new();
	ssize_t n;
	int r;

	if (!buf)
		return -ENOMEM;
	r = leasearea_record_encode(&lio->place, rec, buf, LEASE_BLOCK_SIZE);
	if (r < 0)
		return r;
	n = pwrite(lio->fd, buf, LEASE_BLOCK_SIZE, (off_t)lio->offset);
	if (n < 0)
		return negative_errno();
	return n == LEASE_BLOCK_SIZE ? 0 : -EIO;
}

uint64_t leaseio_realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Sleep until d: the protocol's waits are the point, not pacing. */
static void sleep_until(deadline_t d)
{
	struct timespec ts = {.tv_sec = (time_t)(d.end_us / 1000000u),
			      .tv_nsec = (long)(d.end_us % 1000000u) * 1000};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int verdict_errno(enum lease_verdict v)
{
	switch (v) {
	case LEASE_BUSY:
		return -EBUSY;
	case LEASE_CORRUPT:
		return -EBADMSG;
	case LEASE_UNKNOWN_V:
		return -EPROTONOSUPPORT;
	default:
		return 0;
	}
}

/*
 * Watch a foreign lease for a whole timeout on our own monotonic clock,
 * re-reading it every poll period. 0 when it stood still throughout (its
 * holder is dead: a live keeper renews every third of its timeout), -EAGAIN
 * as soon as it moved (ret_seen holds the new record), -ETIME when the
 * action cannot wait that long. The timeout is the longer of ours and the
 * one the holder wrote (leasetime.h). A read shows the disk as it was at
 * some moment between its start and its end, so only a read STARTED after
 * the whole timeout closes the watch (a slow read proves nothing about the
 * time it was waiting). Wall clocks only choose how a refusal reads, never
 * whether a lease is taken.
 */
static int watch(const struct leaseio *lio, const struct lease_rec *first, uint32_t timeout_ms,
		 deadline_t deadline, struct lease_rec *ret_seen)
{
	uint64_t watch_ms = leasetime_watch_ms(timeout_ms, first->timeout_ms);
	deadline_t until = deadline_in_ms(watch_ms);
	/* Often enough to see a renewal soon after it lands, 100 to 500 ms. */
	uint64_t poll_ms = MIN(MAX(watch_ms / 20u, 100u), 500u);

	if (until.end_us >= deadline.end_us)
		return -ETIME;
	for (;;) {
		struct lease_rec later;
		uint64_t started;
		int r, rc;

		sleep_until(deadline_min(deadline_in_ms(poll_ms), until));
		started = now_us();
		r = leaseio_read(lio, &later, &rc);
		if (r < 0)
			return r;
		if (rc < 0)
			return rc == -EPROTONOSUPPORT ? rc : -EBADMSG;
		*ret_seen = later;
		if (rc != 0 || !lease_stood_still(first, &later))
			return -EAGAIN;
		if (started >= until.end_us)
			return 0;
		if (deadline_expired(deadline))
			return -ETIME;
	}
}

/*
 * A foreign lease: wait to see whether its holder lives. A renewal, or an
 * action too short to wait a whole timeout, is a refusal (-EBUSY, ret_seen
 * names the holder); a release or a new holder is -EAGAIN (decide again);
 * 0 when it stood still for a whole timeout. After a node is fenced its
 * lease still looks fresh for up to lease_timeout: the survivor's start
 * waits that out instead of failing, which Pacemaker would take as fatal.
 */
static int watch_holder(const struct leaseio *lio, enum lease_verdict v, uint32_t timeout_ms,
			deadline_t deadline, struct lease_rec *seen)
{
	struct lease_rec first = *seen;
	int r = watch(lio, &first, timeout_ms, deadline, seen);

	if (r == -ETIME && v == LEASE_BUSY) {
		*seen = first;
		return -EBUSY;
	}
	if (r == -EAGAIN && seen->state == LEASE_HELD && strcmp(seen->owner, first.owner) == 0)
		return -EBUSY; /* renewed: alive */
	return r;
}

/* fenced names exactly the record on the device, held by another node. */
static bool proven_dead(const struct lease_rec *fenced, int decode_rc, const struct lease_rec *seen,
			const char *me)
{
	return fenced && decode_rc == 0 && seen->state == LEASE_HELD &&
	       strcmp(seen->owner, me) != 0 && seen->generation == fenced->generation &&
	       seen->renewed_ms == fenced->renewed_ms && seen->timeout_ms == fenced->timeout_ms &&
	       fenced->state == LEASE_HELD && strcmp(seen->owner, fenced->owner) == 0;
}

/*
 * What one start remembers between rounds: the record it wrote too late to
 * count (see acquire_round), and when its counted write started.
 */
struct acquire_try {
	struct lease_rec late;
	bool has_late;
	uint64_t written_us;
};

/* The record on the device is the one this start wrote too late. */
static bool is_late_claim(const struct acquire_try *t, int decode_rc, const struct lease_rec *seen)
{
	return t->has_late && decode_rc == 0 && lease_stood_still(&t->late, seen);
}

/*
 * One round: read, decide, write, wait, confirm. -EAGAIN: start over.
 *
 * The write is timed from the read before it: when it completes more than
 * half the collision window after that read, a rival may have read the
 * lease, written and confirmed meanwhile, our write landing on top after
 * its confirming read. Such a write did not happen for us: we never claim
 * it, and the next round treats the record as a stale lease of another
 * node (it is watched for a whole timeout before anyone takes it), while
 * the rival's keeper, finding a record no newer than its own, writes its
 * own back (leaseio_renew).
 *
 * A takeover (a watched or fenced holder) writes the generation after the
 * next: the old holder may still have one write in flight, carrying the
 * next generation, and our keeper must recognise it as older than ours.
 */
static int acquire_round(const struct leaseio *lio, const char *me, uint32_t timeout_ms,
			 deadline_t deadline, const struct lease_rec *fenced, struct acquire_try *t,
			 struct lease_rec *mine, struct lease_rec *seen)
{
	uint64_t window_us = lease_collision_window_ms(timeout_ms) * 1000u;
	uint64_t t0 = now_us(), written;
	bool takeover = false;
	enum lease_verdict v;
	int r, rc;

	r = leaseio_read(lio, seen, &rc);
	if (r < 0)
		return r;
	v = lease_decide(rc, seen, me, leaseio_realtime_ms());
	if (is_late_claim(t, rc, seen))
		v = LEASE_WATCH; /* ours only in name: watch it like a stale lease */
	if (proven_dead(fenced, rc, seen, me)) {
		v = LEASE_TAKE; /* the fencer's word replaces the watch (see leaseio.h) */
		takeover = true;
	} else if (v == LEASE_BUSY || v == LEASE_WATCH) {
		r = watch_holder(lio, v, timeout_ms, deadline, seen);
		if (r < 0)
			return r;
		t0 = now_us();
		takeover = true;
	} else if (verdict_errno(v) < 0) {
		return verdict_errno(v);
	}
	if (now_us() - t0 > window_us / 2)
		return -EAGAIN; /* too slow: a rival may have read and written since */
	*mine = (struct lease_rec){.generation = seen->generation + (takeover ? 2 : 1),
				   .renewed_ms = leaseio_realtime_ms(),
				   .timeout_ms = timeout_ms,
				   .state = LEASE_HELD};
	strncpy(mine->owner, me, LEASE_OWNER_MAX);
	written = now_us();
	r = leaseio_write(lio, mine);
	if (r < 0)
		return r;
	if (now_us() - t0 > window_us / 2) {
		t->late = *mine;
		t->has_late = true;
		return -EAGAIN;
	}
	if (deadline_expired(deadline) || deadline.end_us - now_us() < window_us)
		return -ETIME;
	sleep_until((deadline_t){.end_us = now_us() + window_us});
	r = leaseio_read(lio, seen, &rc);
	if (r < 0)
		return r;
	if (rc == 0 && lease_is_ours(seen, me) && seen->generation == mine->generation) {
		t->written_us = written;
		return 0;
	}
	return rc < 0 ? -EBADMSG : -EBUSY; /* a later writer won */
}

int leaseio_acquire(const struct leaseio *lio, const char *me, uint32_t timeout_ms,
		    deadline_t deadline, const struct lease_rec *fenced, struct lease_rec *ret_mine,
		    struct lease_rec *ret_seen, uint64_t *ret_written_us)
{
	struct lease_rec mine = {0}, seen = {0};
	struct acquire_try t = {0};
	int r = -EAGAIN;

	if (!lio || lio->fd < 0 || !me || !me[0] || strlen(me) > LEASE_OWNER_MAX || !ret_mine ||
	    !ret_seen)
		return -EINVAL;
	for (unsigned round = 0; r == -EAGAIN && round < 4; round++)
		r = acquire_round(lio, me, timeout_ms, deadline, fenced, &t, &mine, &seen);
	*ret_seen = seen;
	if (r == 0) {
		*ret_mine = mine;
		if (ret_written_us)
			*ret_written_us = t.written_us;
	}
	return r == -EAGAIN ? -EBUSY : r;
}

/*
 * A record on the device that is not the one we hold: 1 when it is older
 * than ours (a former holder's or a slow rival's late write, or a late
 * release: none of their writers can believe it holds the lease, see
 * acquire_round), so ours is written back; 0 when it is newer (someone
 * took the lease over) or damaged.
 */
static bool older_than_held(int decode_rc, const struct lease_rec *now,
			    const struct lease_rec *held)
{
	if (decode_rc != 0 || now->generation > held->generation)
		return false;
	return !lease_is_ours(now, held->owner) || now->generation < held->generation;
}

int leaseio_renew(const struct leaseio *lio, struct lease_rec *held, deadline_t not_after,
		  struct lease_rec *ret_seen)
{
	struct lease_rec now = {0}, next; /* now: what ret_seen gets, even undecodable */
	bool overwrite = false;
	int r, rc;

	r = leaseio_read(lio, &now, &rc);
	if (r < 0)
		return r;
	if (rc != 0 || !lease_is_ours(&now, held->owner) || now.generation != held->generation) {
		*ret_seen = now;
		if (!older_than_held(rc, &now, held))
			return -ESTALE;
		overwrite = true;
	}
	next = *held;
	next.generation++;
	next.renewed_ms = leaseio_realtime_ms();
	/* The last moment to decide: past it, the write could land on a taker's record. */
	if (deadline_expired(not_after))
		return -ETIME;
	r = leaseio_write(lio, &next);
	if (r < 0)
		return r;
	*held = next;
	return overwrite ? 1 : 0;
}

int leaseio_release(const struct leaseio *lio, const char *me)
{
	struct lease_rec now;
	int r, rc;

	r = leaseio_read(lio, &now, &rc);
	if (r < 0)
		return r;
	if (rc != 0 || !lease_is_ours(&now, me))
		return 0;
	now.generation++;
	now.state = LEASE_FREE;
	now.renewed_ms = leaseio_realtime_ms();
	return leaseio_write(lio, &now);
}
