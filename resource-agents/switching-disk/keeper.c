/*
 * The keeper process, launched by shared/child.c's one rule: its own
 * session, stdio on /dev/null (Pacemaker's executor waits for the agent's
 * output to close), and only the lease device, the state directory and the
 * watchdog. Its working directory is
 * /, so it never holds the switching disk busy itself: the mount point is
 * opened only to shut it down.
 *
 * Two threads. The main one (its thread id is the keeper's PID, so a
 * tracer attached to that PID sees the lease I/O) renews every period and
 * moves the right's end after each renewal that counted. The guard waits
 * for that end and for SIGTERM: it fences even while the main thread is
 * stuck in a lease write that may never return, and disarms the watchdog
 * on a clean stop. Whichever notices first fences; the fence runs once.
 */
#include "keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "leaseio.h"
#include "leasetime.h"
#include "macro.h"
#include "procid.h"
#include "selffence.h"
#include "state.h"
#include "strutil.h"
#include "watchdog.h"

#define KEEPER_FILE  "keeper"
#define RENEWED_FILE "renewed"
#define FENCED_FILE  "fenced"
#define LEASE_FD     3
#define STATE_FD     4
#define WATCHDOG_FD  5

struct keeper {
	pthread_mutex_t lock;
	struct leasetime lt;
	uint64_t right_end_us; /* the right to write ends here (monotonic) */
	bool fenced;	       /* no lease write and no pet from here on */
	struct keeper_opts o;
	struct leaseio lio;
	struct lease_rec held;
};

static uint64_t mono_ms(void)
{
	return now_us() / 1000u;
}

static int note_renewal(int statefd, const struct lease_rec *held)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64 " %" PRIu64 "\n", held->generation,
			 mono_ms());

	return state_write(statefd, RENEWED_FILE, buf, (size_t)n);
}

/* The shutdown was tried and failed (not: done, not mounted here, not configured). */
static bool failed(int r)
{
	return r < 0 && r != -ENOENT && r != -ECANCELED;
}

/*
 * What the data device's own cache still holds dirty after the shutdown
 * (ext: metadata its journal had committed) reaches the disk sooner or
 * later whatever the shutdown says: the kernel's writeback, any sync, the
 * unmount at stop. Before s + T no taker has written, so written back now
 * it lands on nothing newer: the keeper does that when it fences in time.
 * Past that (a keeper that woke up late, a newer record seen, a flush that
 * itself ended late) it may land on a taker's, and only a reset drops it:
 * with a watchdog the keeper leaves it armed and unpetted, so the node is
 * reset; without one it writes it back at once, on fewer of the taker's
 * writes than the kernel's own writeback would, and says so.
 */
enum cache_verdict {
	CACHE_CLEAN,	    /* nothing of this filesystem waits in the device's cache */
	CACHE_WRITTEN,	    /* written back before any taker could write */
	CACHE_WRITTEN_LATE, /* written back when a taker may have written */
	CACHE_RESET,	    /* left for the watchdog's reset to drop */
};

static enum cache_verdict settle_cache(struct keeper *k, bool in_time, uint64_t end)
{
	uint64_t limit = end + k->lt.margin_us;
	bool watchdog = k->o.watchdog_fd >= 0, late = !in_time || now_us() >= limit;

	if (late && watchdog)
		return CACHE_RESET;
	(void)selffence_flush_device(k->o.device);
	if (!late && now_us() < limit)
		return CACHE_WRITTEN;
	/* Late, or the write-back itself ended late. */
	return watchdog ? CACHE_RESET : CACHE_WRITTEN_LATE;
}

static const char *cache_words(enum cache_verdict v)
{
	switch (v) {
	case CACHE_RESET:
		return "; the watchdog is left to reset this node: what its block device cache "
		       "still holds must not reach the disk";
	case CACHE_WRITTEN:
		return "; what the block device's cache held was written back before anyone "
		       "could take over";
	case CACHE_WRITTEN_LATE:
		return "; what the block device's cache held was written back after the right "
		       "to write ended (no watchdog to reset this node): check the filesystem "
		       "where it is mounted now";
	default:
		return "";
	}
}

/*
 * Fence this node off the disk, once: shutdown first (it stops every
 * process's I/O at once, where a kill takes time), then the note, the
 * device's cache (above), the holders, the alert. The watchdog is
 * disarmed only when the filesystem is known to be stopped (or is not
 * mounted here) and nothing of it can still reach the disk late;
 * otherwise it is left to reset the node, never petted again. in_time:
 * the right to write had not ended before this keeper noticed (the guard
 * at the right's end), as opposed to a keeper that woke up past it or met
 * a newer record.
 */
static _Noreturn void fence(struct keeper *k, bool in_time, const char *fmt, ...)
{
	char why[200], note[600];
	const char *how = "self_fence=none: the filesystem was left running";
	enum cache_verdict cache = CACHE_CLEAN;
	bool cached = false, log_flush;
	va_list ap;
	int r = -ECANCELED;
	uint64_t end;

	pthread_mutex_lock(&k->lock);
	end = k->right_end_us;
	if (k->fenced) {
		/* The other thread is at it: it ends the process. */
		pthread_mutex_unlock(&k->lock);
		for (;;)
			pause();
	}
	k->fenced = true;
	pthread_mutex_unlock(&k->lock);
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/*
	 * In time (the guard, at s + T - M), the shutdown writes the log first:
	 * what a process was told is on the disk (its fsync returned) must be,
	 * and no taker can have written before s + T. Half the margin is left
	 * for that write; past it, or for a keeper that woke up late or met a
	 * newer record, nothing more goes to the disk.
	 */
	log_flush = in_time && now_us() < end + k->lt.margin_us / 2;
	if (k->o.self_fence) {
		r = selffence_shutdown(k->o.directory, k->o.rdev, log_flush, &cached);
		how = r == 0 && log_flush ? "the filesystem was shut down (its log written first)"
		      : r == 0		  ? "the filesystem was shut down"
		      : r == -ENOENT	  ? "the disk was not mounted here"
					  : "the filesystem could NOT be shut down";
	}
	snprintf(note, sizeof(note), "%s; %s%s%s", why, how, failed(r) ? ": " : "",
		 failed(r) ? strerror(-r) : "");
	/* The note first: the monitor reports the fence from the moment it is done. */
	(void)state_write(STATE_FD, FENCED_FILE, note, strlen(note));
	if (r == 0 && cached)
		cache = settle_cache(k, in_time, end);
	if (*cache_words(cache)) {
		strncat(note, cache_words(cache), sizeof(note) - strlen(note) - 1);
		(void)state_write(STATE_FD, FENCED_FILE, note, strlen(note));
	}
	if (r == 0)
		(void)selffence_kill_holders(k->o.directory, k->o.rdev, 2000);
	if (k->o.watchdog_fd >= 0 && (r == 0 || r == -ENOENT) && cache != CACHE_RESET)
		watchdog_disarm(k->o.watchdog_fd);
	if (k->o.alert)
		k->o.alert(k->o.alert_arg, note);
	_exit(3);
}

static const sigset_t *stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	return set;
}

/* The guard thread: the end of the right, and SIGTERM (blocked everywhere, taken here). */
static void *guard(void *arg)
{
	struct keeper *k = arg;
	sigset_t set;

	stop_signals(&set);
	for (;;) {
		uint64_t end, now, left;
		struct timespec ts;

		pthread_mutex_lock(&k->lock);
		end = k->right_end_us;
		pthread_mutex_unlock(&k->lock);
		now = now_us();
		if (now >= end)
			fence(k, true,
			      "no lease renewal counted before the right to write ended (%" PRIu64
			      " ms ago): a stalled lease write, or a paused node",
			      (now - end) / 1000u);
		left = end - now;
		ts = (struct timespec){.tv_sec = (time_t)(left / 1000000u),
				       .tv_nsec = (long)(left % 1000000u) * 1000};
		if (sigtimedwait(&set, NULL, &ts) > 0) {
			/*
			 * A clean stop: no write after this, the watchdog disarmed, the
			 * lock held to the end so that no fence starts meanwhile. A fence
			 * already under way is finished first (it ends the process).
			 */
			pthread_mutex_lock(&k->lock);
			if (k->fenced) {
				pthread_mutex_unlock(&k->lock);
				continue;
			}
			k->fenced = true;
			watchdog_disarm(k->o.watchdog_fd);
			_exit(0);
		}
	}
	return NULL;
}

/* One renewal and what it means for the right: true when it counted. */
static bool renew_once(struct keeper *k)
{
	struct lease_rec seen = {0};
	uint64_t start = now_us(), end, done;
	bool counts;
	int r;

	pthread_mutex_lock(&k->lock);
	end = k->right_end_us;
	pthread_mutex_unlock(&k->lock);
	if (start >= end)
		fence(k, false,
		      "the lease keeper woke up %" PRIu64 " ms after its right to write ended "
		      "(the node or the keeper was paused)",
		      (start - end) / 1000u);
	r = leaseio_renew(&k->lio, &k->held, (deadline_t){.end_us = end}, &seen);
	done = now_us();
	if (r == -ESTALE && seen.state == LEASE_HELD && seen.owner[0])
		fence(k, false,
		      "node '%s' took the lease over (generation %" PRIu64 ", ours %" PRIu64 ")",
		      seen.owner, seen.generation, k->held.generation);
	if (r == -ESTALE)
		fence(k, false,
		      "the lease record changed under the keeper (released, cleared or damaged)");
	if (r == -ETIME)
		fence(k, true, "the right to write ended before the lease write could start");
	if (r < 0)
		return false; /* an I/O error: tried again soon, the right's end stands */
	pthread_mutex_lock(&k->lock);
	counts = !k->fenced && leasetime_counts(&k->lt, start, done, end);
	if (counts) {
		k->right_end_us = leasetime_deadline(&k->lt, start);
		if (k->o.watchdog_fd >= 0)
			(void)watchdog_pet(k->o.watchdog_fd);
	}
	pthread_mutex_unlock(&k->lock);
	if (counts)
		(void)note_renewal(STATE_FD, &k->held);
	else if (done >= end)
		fence(k, false,
		      "a lease write completed %" PRIu64 " ms after the right to write ended: "
		      "it may have landed on another node's record",
		      (done - end) / 1000u);
	return counts;
}

/*
 * Renew every period from the acquire write; after a renewal that did not
 * count (an I/O error, a slow write), try again a quarter period later
 * rather than a whole one, so one slow write alone does not use up the
 * right (there is room for two tries more at least: see leasetime.h).
 */
static _Noreturn void keeper_run(struct keeper *k)
{
	uint64_t next = k->o.written_us;
	pthread_t tid;
	sigset_t set;

	if (pthread_sigmask(SIG_BLOCK, stop_signals(&set), NULL) != 0 ||
	    pthread_create(&tid, NULL, guard, k) != 0)
		fence(k, true, "the lease keeper could not start its guard thread");
	for (bool counted = true;;) {
		struct timespec ts;

		next = counted ? next + k->lt.period_us : now_us() + k->lt.period_us / 4;
		ts = (struct timespec){.tv_sec = (time_t)(next / 1000000u),
				       .tv_nsec = (long)(next % 1000000u) * 1000};
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		counted = renew_once(k);
	}
}

int keeper_start(int statefd, const struct leaseio *lio, const struct lease_rec *held,
		 const struct keeper_opts *o)
{
	struct child_spec spec;
	struct leasetime lt;
	pid_t pid;
	int r;

	if (statefd < 0 || !lio || lio->fd < 0 || !held || !o || !o->directory) {
		r = -EINVAL;
		goto err;
	}
	r = leasetime_init(held->timeout_ms, &lt);
	if (r < 0)
		goto err;
	(void)state_remove(statefd, FENCED_FILE);
	r = note_renewal(statefd, held);
	if (r < 0)
		goto err;
	/*
	 * Its own session (it outlives the action; Pacemaker's executor waits
	 * for the agent's output to close), the lease device, the state
	 * directory and the watchdog at fixed numbers, nothing else.
	 */
	spec = (struct child_spec){.fds = {-1, -1, -1, lio->fd, statefd, o->watchdog_fd},
				   .n_fds = o->watchdog_fd >= 0 ? WATCHDOG_FD + 1 : STATE_FD + 1,
				   .detach = CHILD_OWN_SESSION};
	r = child_fork(&spec, &pid);
	if (r < 0)
		goto err;
	if (r == 0) {
		struct keeper k = {.lt = lt,
				   .right_end_us = leasetime_deadline(&lt, o->written_us),
				   .o = *o,
				   .lio = *lio,
				   .held = *held};

		(void)prctl(PR_SET_NAME, "exha-lease-kpr");
		k.lio.fd = LEASE_FD; /* where child_fork put it; the place stays */
		pthread_mutex_init(&k.lock, NULL);
		k.o.watchdog_fd = o->watchdog_fd >= 0 ? WATCHDOG_FD : -1;
		keeper_run(&k);
	}
	if (o->watchdog_fd >= 0)
		close(o->watchdog_fd); /* the keeper's now: never disarmed from here */
	r = proc_id_record(statefd, KEEPER_FILE, pid);
	if (r < 0)
		(void)kill(pid, SIGKILL); /* just forked, never reaped: it is ours */
	return r;
err:
	if (o && o->watchdog_fd >= 0)
		watchdog_disarm(o->watchdog_fd);
	return r;
}

static int read_renewed(int statefd, uint64_t *ret_ms)
{
	char buf[64], *sp;
	uint64_t gen, ms;
	int r = state_read(statefd, RENEWED_FILE, buf, sizeof(buf));

	if (r < 0)
		return r;
	sp = strchr(buf, ' ');
	if (!sp)
		return -EINVAL;
	*sp = '\0';
	sp[strcspn(sp + 1, "\n") + 1] = '\0';
	if (parse_uint64(buf, 0, UINT64_MAX, &gen) < 0 ||
	    parse_uint64(sp + 1, 0, UINT64_MAX, &ms) < 0)
		return -EINVAL;
	*ret_ms = ms;
	return 0;
}

int keeper_check(int statefd, uint64_t timeout_ms, struct keeper_status *ret)
{
	struct keeper_status s = {.health = KEEPER_NONE};
	struct proc_id id;
	char buf[128];
	uint64_t renewed;
	int r;

	if (statefd < 0 || !ret)
		return -EINVAL;
	r = state_read(statefd, FENCED_FILE, s.reason, sizeof(s.reason));
	if (r >= 0) {
		s.health = KEEPER_FENCED;
		*ret = s;
		return 0;
	}
	r = state_read(statefd, KEEPER_FILE, buf, sizeof(buf));
	if (r == -ENOENT) {
		*ret = s;
		return 0;
	}
	if (r < 0 || (r = proc_id_parse(buf, &id)) < 0 || (r = proc_id_alive(&id)) < 0)
		return r;
	s.health = r ? KEEPER_OK : KEEPER_DEAD;
	if (s.health == KEEPER_OK && read_renewed(statefd, &renewed) == 0) {
		s.age_ms = mono_ms() > renewed ? mono_ms() - renewed : 0;
		if (s.age_ms > timeout_ms)
			s.health = KEEPER_STALE;
	}
	*ret = s;
	return 0;
}

int keeper_stop(int statefd, deadline_t deadline)
{
	struct proc_id id;
	int r;

	if (statefd < 0)
		return -EINVAL;
	r = proc_id_load(statefd, KEEPER_FILE, &id);
	if (r == 0) {
		/* SIGKILL for the last quarter: the whole wait stays inside the budget. */
		r = proc_id_stop(&id, deadline_share(deadline, 75, 100), deadline);
		if (r < 0)
			return r;
	} else if (r != -ENOENT) {
		return r;
	}
	(void)state_remove(statefd, RENEWED_FILE);
	(void)state_remove(statefd, FENCED_FILE);
	return state_remove(statefd, KEEPER_FILE);
}
