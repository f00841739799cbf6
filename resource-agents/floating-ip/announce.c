/*
 * The background announcer is a fork of the agent (start may fork; monitor
 * never does), under child.h's rule: a session of its own, stdio on
 * /dev/null (Pacemaker's executor reads the agent's stderr until it closes,
 * and must not wait for the announcements), and of the agent's descriptors
 * only its packet socket: not the netlink socket nor the state directory.
 */
#include "announce.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "macro.h"
#include "procid.h"
#include "state.h"

#define ANNOUNCER_FILE	 "announcer"
#define ANNOUNCER_PKT_FD 3

static _Noreturn void announcer_run(struct pkt *pkt, const struct inaddr *addr, unsigned count,
				    unsigned interval_ms)
{
	struct timespec next;

	pkt->fd = ANNOUNCER_PKT_FD;
	clock_gettime(CLOCK_MONOTONIC, &next);
	/* The pace of announcements is the configured interval, not a guess. */
	for (unsigned i = 1; i < count; i++) {
		next.tv_nsec += (long)(interval_ms % 1000) * 1000000L;
		next.tv_sec += interval_ms / 1000 + next.tv_nsec / 1000000000L;
		next.tv_nsec %= 1000000000L;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		if (pkt_announce(pkt, addr) < 0)
			_exit(1);
	}
	_exit(0);
}

int announcer_start(int statefd, struct pkt *pkt, const struct inaddr *addr, unsigned count,
		    unsigned interval_ms, deadline_t deadline)
{
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_OWN_SESSION);
	pid_t pid;
	int r;

	if (statefd < 0 || !pkt || !addr)
		return -EINVAL;
	if (count == 0)
		return 0;
	(void)announcer_stop(statefd, deadline);
	r = pkt_announce(pkt, addr);
	if (r < 0 || count == 1)
		return r;
	spec.fds[ANNOUNCER_PKT_FD] = pkt->fd;
	spec.n_fds = ANNOUNCER_PKT_FD + 1;
	r = child_fork(&spec, &pid);
	if (r < 0)
		return r;
	if (r == 0)
		announcer_run(pkt, addr, count, interval_ms);
	r = proc_id_record(statefd, ANNOUNCER_FILE, pid);
	if (r == -ESRCH) /* already done */
		r = 0;
	if (r < 0)
		(void)kill(pid, SIGTERM);
	return r;
}

int announcer_stop(int statefd, deadline_t deadline)
{
	struct proc_id id;
	int r;

	if (statefd < 0)
		return -EINVAL;
	r = proc_id_load(statefd, ANNOUNCER_FILE, &id);
	if (r == -ENOENT)
		return 0;
	if (r >= 0) {
		/* Wait for it: no announcement may follow the address off this node. */
		r = proc_id_stop(&id, deadline_share(deadline, 70, 0), deadline);
		if (r < 0)
			return r;
	}
	return state_remove(statefd, ANNOUNCER_FILE);
}
