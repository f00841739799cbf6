/*
 * Launching under one rule: see child.h. Both ways take copies of the
 * caller's descriptors above the child's range first, so that placing
 * descriptor i never overwrites one still to be placed.
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"

/* The caller's descriptors, copied above the child's range; /dev/null for -1. */
struct fdset {
	int fd[CHILD_FDS_MAX];
	unsigned n;
};

static void fdset_close(struct fdset *s)
{
	for (unsigned i = 0; i < s->n; i++)
		closep(&s->fd[i]);
	s->n = 0;
}

static int fdset_take(const struct child_spec *spec, struct fdset *s)
{
	_cleanup_close_ int devnull = -1;

	*s = (struct fdset){.n = 0};
	for (unsigned i = 0; i < spec->n_fds; i++) {
		int src = spec->fds[i];

		if (src < 0) {
			if (i > 2)
				return -EINVAL;
			if (devnull < 0)
				devnull = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
			if (devnull < 0)
				return negative_errno();
			src = devnull;
		}
		s->fd[i] = fcntl(src, F_DUPFD_CLOEXEC, (int)spec->n_fds);
		if (s->fd[i] < 0)
			return negative_errno();
		s->n = i + 1;
	}
	return 0;
}

static int spec_check(const struct child_spec *spec)
{
	if (!spec || spec->n_fds < 3 || spec->n_fds > CHILD_FDS_MAX ||
	    spec->detach > CHILD_OWN_SESSION)
		return -EINVAL;
	return 0;
}

/* Positive error numbers, as posix_spawn*() return them. */
static int actions_set(posix_spawn_file_actions_t *fa, const struct fdset *s)
{
	int r = 0;

	for (unsigned i = 0; r == 0 && i < s->n; i++)
		r = posix_spawn_file_actions_adddup2(fa, s->fd[i], (int)i);
	if (r == 0)
		r = posix_spawn_file_actions_addclosefrom_np(fa, (int)s->n);
	if (r == 0)
		r = posix_spawn_file_actions_addchdir_np(fa, "/");
	return r;
}

static int attr_set(posix_spawnattr_t *attr, enum child_detach detach)
{
	short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
	sigset_t none, all;
	int r;

	sigemptyset(&none);
	sigfillset(&all);
	if (detach == CHILD_OWN_GROUP)
		flags |= POSIX_SPAWN_SETPGROUP;
	else if (detach == CHILD_OWN_SESSION)
		flags |= POSIX_SPAWN_SETSID;
	r = posix_spawnattr_setflags(attr, flags);
	if (r == 0)
		r = posix_spawnattr_setpgroup(attr, 0);
	if (r == 0)
		r = posix_spawnattr_setsigmask(attr, &none);
	if (r == 0)
		r = posix_spawnattr_setsigdefault(attr, &all);
	return r;
}

int child_spawn(const struct child_spec *spec, char *const argv[], char *const envp[],
		pid_t *ret_pid)
{
	_cleanup_(fdset_close) struct fdset s = {.n = 0};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int r = spec_check(spec);

	if (r < 0 || !argv || !argv[0] || argv[0][0] != '/' || !envp || !ret_pid)
		return -EINVAL;
	r = fdset_take(spec, &s);
	if (r < 0)
		return r;
	r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return -r;
	r = posix_spawnattr_init(&attr);
	if (r == 0) {
		r = actions_set(&fa, &s);
		if (r == 0)
			r = attr_set(&attr, spec->detach);
		/* glibc reports a failed exec here (and reaps that child itself). */
		if (r == 0)
			r = posix_spawn(ret_pid, argv[0], &fa, &attr, argv, envp);
		posix_spawnattr_destroy(&attr);
	}
	posix_spawn_file_actions_destroy(&fa);
	return -r;
}

/* In the forked child: the rule, or 127. */
static void child_apply(const struct child_spec *spec, const struct fdset *s)
{
	sigset_t none;

	for (unsigned i = 0; i < s->n; i++)
		if (dup2(s->fd[i], (int)i) < 0)
			_exit(127);
	if (close_range(s->n, ~0u, 0) < 0)
		_exit(127);
	for (int sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL); /* fails harmlessly for SIGKILL, SIGSTOP and gaps */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		_exit(127);
	if ((spec->detach == CHILD_OWN_SESSION && setsid() < 0) ||
	    (spec->detach == CHILD_OWN_GROUP && setpgid(0, 0) < 0))
		_exit(127);
	if (chdir("/") < 0)
		_exit(127);
}

int child_fork(const struct child_spec *spec, pid_t *ret_pid)
{
	_cleanup_(fdset_close) struct fdset s = {.n = 0};
	pid_t pid;
	int r = spec_check(spec);

	if (r < 0 || !ret_pid)
		return -EINVAL;
	r = fdset_take(spec, &s);
	if (r < 0)
		return r;
	pid = fork();
	if (pid < 0)
		return negative_errno();
	if (pid == 0) {
		child_apply(spec, &s);
		s.n = 0; /* closed by close_range() already */
		return 0;
	}
	*ret_pid = pid;
	return 1;
}
