/*
 * The instance lock (see lock.h). fcntl(F_SETLKW) has no timeout of its own:
 * an interval timer interrupts it at the deadline (SIGALRM with a handler
 * that does nothing, installed without SA_RESTART, so the call returns
 * EINTR). The timer repeats every few milliseconds after its first expiry:
 * a signal delivered just before F_SETLKW starts to block would otherwise be
 * lost and the wait unbounded. The previous handler, signal mask and timer
 * are put back before returning.
 */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "macro.h"

#define LOCK_FILE     "lock"
#define LOCK_REARM_US 10000 /* re-fire period once the deadline is reached */

static void wake_up(int sig)
{
	(void)sig; /* only to interrupt fcntl() */
}

struct alarm_saved {
	struct sigaction action;
	struct itimerval timer;
	sigset_t mask;
};

static int alarm_arm(uint64_t usec, struct alarm_saved *saved)
{
	struct sigaction sa = {.sa_handler = wake_up}; /* no SA_RESTART: fcntl gets EINTR */
	struct itimerval it = {
		.it_value = {.tv_sec = (time_t)(usec / 1000000u),
			     .tv_usec = (suseconds_t)(usec % 1000000u)},
		.it_interval = {.tv_usec = LOCK_REARM_US},
	};
	sigset_t alrm;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	if (sigaction(SIGALRM, &sa, &saved->action) < 0)
		return negative_errno();
	if (setitimer(ITIMER_REAL, &it, &saved->timer) < 0) {
		int r = negative_errno();

		(void)sigaction(SIGALRM, &saved->action, NULL);
		return r;
	}
	(void)sigprocmask(SIG_UNBLOCK, &alrm, &saved->mask);
	return 0;
}

static void alarm_disarm(const struct alarm_saved *saved)
{
	(void)setitimer(ITIMER_REAL, &saved->timer, NULL);
	(void)sigaction(SIGALRM, &saved->action, NULL);
	(void)sigprocmask(SIG_SETMASK, &saved->mask, NULL);
}

/* The process holding a conflicting lock on fd, 0 when none or unknown. */
static pid_t lock_holder(int fd)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
		return 0;
	return fl.l_pid;
}

static int lock_wait(int fd, deadline_t deadline)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	struct alarm_saved saved;
	uint64_t left = deadline.end_us > now_us() ? deadline.end_us - now_us() : 0;
	int r;

	if (left == 0)
		return -ETIME;
	r = alarm_arm(left, &saved);
	if (r < 0)
		return r;
	for (;;) {
		if (fcntl(fd, F_SETLKW, &fl) == 0) {
			r = 0;
			break;
		}
		if (errno != EINTR) {
			r = negative_errno();
			break;
		}
		if (deadline_expired(deadline)) {
			r = -ETIME;
			break;
		}
	}
	alarm_disarm(&saved);
	return r;
}

int lock_instance(int dirfd, deadline_t deadline, int *ret_fd, pid_t *ret_holder)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	if (dirfd < 0 || !ret_fd)
		return -EINVAL;
	if (ret_holder)
		*ret_holder = 0;
	fd = openat(dirfd, LOCK_FILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0)
		return negative_errno();
	/* Only a regular file of ours: never a FIFO or device planted there. */
	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return -EPERM;
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		if (errno != EAGAIN && errno != EACCES)
			return negative_errno();
		r = lock_wait(fd, deadline);
		if (r == -ETIME && ret_holder)
			*ret_holder = lock_holder(fd);
		if (r < 0)
			return r;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}
