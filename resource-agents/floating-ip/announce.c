/*
 * The background announcer is a fork of the agent (start may fork; monitor
 * never does). It leaves the agent's session and drops the agent's stdio:
 * Pacemaker's executor reads the agent's stderr until it closes, and must
 * not wait for the announcements.
 */
#include "announce.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"
#include "procid.h"
#include "state.h"

#define ANNOUNCER_FILE "announcer"

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		_exit(1);
	for (int i = 0; i <= 2; i++)
		if (dup2(fd, i) < 0)
			_exit(1);
	if (fd > 2)
		close(fd);
}

static _Noreturn void announcer_run(struct pkt *pkt, const struct inaddr *addr, unsigned count,
				    unsigned interval_ms)
{
	struct timespec next;

	(void)setsid();
	detach_stdio();
	signal(SIGTERM, SIG_DFL);
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

static int announcer_record(int statefd, pid_t pid)
{
	struct proc_id id;
	char buf[128];
	int r = proc_id_of(pid, &id);

	if (r == -ESRCH) /* already done */
		return 0;
	if (r < 0)
		return r;
	r = proc_id_format(&id, buf, sizeof(buf));
	if (r < 0)
		return r;
	return state_write(statefd, ANNOUNCER_FILE, buf, (size_t)r);
}

int announcer_start(int statefd, struct pkt *pkt, const struct inaddr *addr, unsigned count,
		    unsigned interval_ms, deadline_t deadline)
{
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
	pid = fork();
	if (pid < 0)
		return negative_errno();
	if (pid == 0)
		announcer_run(pkt, addr, count, interval_ms);
	r = announcer_record(statefd, pid);
	if (r < 0)
		(void)kill(pid, SIGTERM);
	return r;
}

int announcer_stop(int statefd, deadline_t deadline)
{
	struct proc_id id;
	char buf[128];
	int r;

	if (statefd < 0)
		return -EINVAL;
	r = state_read(statefd, ANNOUNCER_FILE, buf, sizeof(buf));
	if (r == -ENOENT)
		return 0;
	if (r >= 0 && proc_id_parse(buf, &id) == 0) {
		/* Wait for it: no announcement may follow the address off this node. */
		r = proc_id_terminate(&id, SIGTERM, deadline);
		if (r < 0)
			return r;
	}
	return state_remove(statefd, ANNOUNCER_FILE);
}
