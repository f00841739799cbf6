/*
 * The keeper process. It leaves the agent's session and stdio (Pacemaker's
 * executor waits for the agent's output to close) and keeps only two
 * descriptors: the lease device and the state directory. Its working
 * directory is /, so it never holds the switching disk busy itself.
 */
#include "keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "leaseio.h"
#include "macro.h"
#include "procid.h"
#include "state.h"
#include "strutil.h"

#define KEEPER_FILE  "keeper"
#define RENEWED_FILE "renewed"
#define LOST_FILE    "lost"
#define LEASE_FD     3
#define STATE_FD     4

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

static void detach(int lease_fd, int statefd)
{
	/* Copies out of the way first: either descriptor may sit where the other goes. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int lease = fcntl(lease_fd, F_DUPFD, 100), state = fcntl(statefd, F_DUPFD, 100);

	(void)setsid();
	(void)prctl(PR_SET_NAME, "exha-lease-kpr");
	if (null < 0 || lease < 0 || state < 0 || dup2(lease, LEASE_FD) < 0 ||
	    dup2(state, STATE_FD) < 0)
		_exit(1);
	for (int i = 0; i <= 2; i++)
		if (dup2(null, i) < 0)
			_exit(1);
	(void)close_range(STATE_FD + 1, ~0u, 0);
	if (chdir("/") < 0)
		_exit(1);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
}

static _Noreturn void keeper_run(struct leaseio lio, struct lease_rec held)
{
	uint64_t period_ms = held.timeout_ms / 3;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		struct lease_rec seen;
		int r;

		next.tv_sec += (time_t)(period_ms / 1000);
		next.tv_nsec += (long)(period_ms % 1000) * 1000000L;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		r = leaseio_renew(&lio, &held, &seen);
		if (r == -ESTALE) {
			/* Never write over the new holder: note whose it is and go. */
			(void)state_write(STATE_FD, LOST_FILE, seen.owner, strlen(seen.owner));
			_exit(3);
		}
		/* An I/O error is retried next period; the monitor sees the renewals stop. */
		if (r == 0)
			(void)note_renewal(STATE_FD, &held);
	}
}

static int record(int statefd, pid_t pid)
{
	struct proc_id id;
	char buf[128];
	int r = proc_id_of(pid, &id);

	if (r < 0)
		return r;
	r = proc_id_format(&id, buf, sizeof(buf));
	if (r < 0)
		return r;
	return state_write(statefd, KEEPER_FILE, buf, (size_t)r);
}

int keeper_start(int statefd, const struct leaseio *lio, const struct lease_rec *held)
{
	pid_t pid;
	int r;

	if (statefd < 0 || !lio || lio->fd < 0 || !held || held->timeout_ms < 3)
		return -EINVAL;
	(void)state_remove(statefd, LOST_FILE);
	r = note_renewal(statefd, held);
	if (r < 0)
		return r;
	pid = fork();
	if (pid < 0)
		return negative_errno();
	if (pid == 0) {
		struct leaseio at = *lio;

		detach(lio->fd, statefd);
		at.fd = LEASE_FD;
		keeper_run(at, *held);
	}
	r = record(statefd, pid);
	if (r < 0)
		(void)kill(pid, SIGKILL);
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
	r = state_read(statefd, LOST_FILE, s.holder, sizeof(s.holder));
	if (r >= 0) {
		s.health = KEEPER_LOST;
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
	char buf[128];
	int r;

	if (statefd < 0)
		return -EINVAL;
	r = state_read(statefd, KEEPER_FILE, buf, sizeof(buf));
	if (r >= 0 && proc_id_parse(buf, &id) == 0) {
		r = proc_id_terminate(&id, SIGTERM, deadline);
		if (r == -ETIME)
			r = proc_id_terminate(&id, SIGKILL, deadline_in_ms(1000));
		if (r < 0)
			return r;
	} else if (r < 0 && r != -ENOENT) {
		return r;
	}
	(void)state_remove(statefd, RENEWED_FILE);
	(void)state_remove(statefd, LOST_FILE);
	return state_remove(statefd, KEEPER_FILE);
}
