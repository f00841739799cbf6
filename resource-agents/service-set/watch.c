/*
 * The watcher process (watch.h). Its loop: arm a watch on every member
 * that runs, poll them all (no timeout: nothing is polled for), and for
 * each one that fired, take the instance lock and let the action layer
 * decide and restart. Everything it starts (an exec member's daemon, an
 * init script) is its child: it reaps them as it goes.
 */
#include "watch.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "child.h"
#include "lock.h"
#include "log.h"
#include "procid.h"
#include "ss.h"
#include "state.h"

#define LOCK_WAIT_MS 5000 /* one wait for the lock; the watcher waits again after it */

enum member_state {
	M_ARM,	     /* to be watched (again) */
	M_WATCHED,   /* its fd is polled */
	M_DEAD,	     /* to be recovered under the lock */
	M_UNWATCHED, /* nothing tells its death without polling: the monitor's */
	M_GIVEN_UP,  /* stays down: the monitor's verdict */
};

struct loop {
	const struct watcher *w;
	struct backend_ctx b;
	struct backend_watch bw[SS_MAX_SERVICES];
	enum member_state st[SS_MAX_SERVICES];
};

static void disarm(struct loop *l, size_t i)
{
	if (l->w->be->watch_close)
		l->w->be->watch_close(&l->bw[i]);
	else if (l->bw[i].fd >= 0)
		close(l->bw[i].fd);
	l->bw[i] = (struct backend_watch){.fd = -1};
}

static void arm(struct loop *l, size_t i)
{
	const struct ss_service *s = &l->w->c->svc[i];
	struct error err = {""};
	int r;

	l->b.deadline = deadline_in_ms(LOCK_WAIT_MS);
	l->bw[i] = (struct backend_watch){.fd = -1};
	r = l->w->be->watch ? l->w->be->watch(&l->b, s, &l->bw[i], &err) : -ENOKEY;
	if (r > 0) {
		l->st[i] = M_WATCHED;
		log_debug("watching '%s'", s->name);
	} else if (r == 0) {
		l->st[i] = M_DEAD;
	} else {
		l->st[i] = M_UNWATCHED;
		if (r == -ENOKEY)
			log_info("'%s' is not watched (%s): the monitor checks it", s->name,
				 err.msg[0] ? err.msg : "no pid to watch");
		else
			log_warning("cannot watch '%s': %s " QB_XS " the monitor checks it",
				    s->name, err.msg[0] ? err.msg : strerror(-r));
	}
}

static bool started(const struct loop *l)
{
	char mark[8];

	return state_read(l->b.statefd, l->w->marker, mark, sizeof(mark)) >= 0;
}

/* 1 it runs again, 0 the set is no longer started (the watcher ends), -errno it stays down. */
static int recover(struct loop *l, size_t i)
{
	_cleanup_close_ int lockfd = -1;
	pid_t holder = 0;
	int r;

	do /* a stop that holds the lock ends this process meanwhile */
		r = lock_instance(l->b.statefd, deadline_in_ms(LOCK_WAIT_MS), &lockfd, &holder);
	while (r == -ETIME);
	if (r < 0)
		return r;
	if (!started(l))
		return 0;
	l->w->ctx->deadline = deadline_in_ms(deadline_action_budget_ms(l->w->ctx->timeout_ms));
	r = l->w->recover(l->w->ctx, l->b.statefd, i);
	return r < 0 ? r : 1;
}

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Arm and recover what needs it; false when the watcher has nothing left to do. */
static bool step(struct loop *l)
{
	const struct ss_config *c = l->w->c;
	bool watching = false;

	for (size_t i = 0; i < c->n_svc; i++) {
		if (l->st[i] == M_ARM)
			arm(l, i);
		/* Until it is watched again: each pass spends one restart of the budget. */
		while (l->st[i] == M_DEAD) {
			int r = recover(l, i);

			if (r == 0)
				return false;
			if (r < 0) {
				log_warning("'%s' stays down: the next monitor reports it " QB_XS
					    " %s",
					    c->svc[i].name, strerror(-r));
				l->st[i] = M_GIVEN_UP;
			} else {
				arm(l, i); /* the new process (or the one that still ran) */
			}
		}
		watching |= l->st[i] == M_WATCHED;
	}
	return watching;
}

static void fired(struct loop *l, size_t i)
{
	int dead = l->w->be->watch_event ? l->w->be->watch_event(&l->bw[i]) : 1;

	if (!dead)
		return;
	disarm(l, i);
	l->st[i] = M_DEAD;
	log_notice("'%s' died " QB_XS " the watcher restarts it in place if allowed",
		   l->w->c->svc[i].name);
}

static _Noreturn void watcher_main(const struct watcher *w)
{
	struct loop l = {.w = w, .b = {.statefd = -1}};
	const struct ss_config *c = w->c;
	int r;

	/* Descriptors were closed by child_fork: reconnect the log, reopen the state. */
	log_close();
	log_open(w->ctx->def->name, w->ctx->instance, false);
	r = state_dir_open(EXHA_RUNDIR, w->ctx->instance, &l.b.statefd);
	if (r < 0)
		_exit(1);
	/*
	 * Recorded before the marker is checked: stop removes the marker, then
	 * reads this, so either this sees no marker or stop finds the record,
	 * even when the agent was killed before it recorded the watcher itself.
	 */
	if (proc_id_record(l.b.statefd, WATCHER_SELF, getpid()) < 0 || !started(&l))
		_exit(0);
	for (size_t i = 0; i < c->n_svc; i++) {
		l.bw[i] = (struct backend_watch){.fd = -1};
		l.st[i] = M_ARM;
	}
	log_info("watching %zu service(s)", c->n_svc);
	while (step(&l)) {
		struct pollfd pfd[SS_MAX_SERVICES];
		size_t idx[SS_MAX_SERVICES], n = 0;

		for (size_t i = 0; i < c->n_svc; i++)
			if (l.st[i] == M_WATCHED) {
				pfd[n] = (struct pollfd){.fd = l.bw[i].fd, .events = POLLIN};
				idx[n++] = i;
			}
		r = poll(pfd, n, -1);
		reap();
		if (r < 0 && errno != EINTR)
			break;
		for (size_t k = 0; r > 0 && k < n; k++)
			if (pfd[k].revents)
				fired(&l, idx[k]);
	}
	log_info("the watcher ends: nothing left to watch");
	_exit(0);
}

int watcher_spawn(const struct watcher *w, int statefd, pid_t *ret_pid)
{
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_OWN_SESSION);
	pid_t pid;
	int r;

	if (!w || !w->recover || statefd < 0 || !ret_pid)
		return -EINVAL;
	r = child_fork(&spec, &pid);
	if (r < 0)
		return r;
	if (r == 0)
		watcher_main(w);
	*ret_pid = pid;
	return proc_id_record(statefd, WATCHER_RECORD, pid);
}

int watcher_end(int statefd, deadline_t deadline, pid_t *ret_pid)
{
	*ret_pid = 0;
	return proc_id_end_pair(statefd, WATCHER_RECORD, WATCHER_SELF, deadline, ret_pid);
}
