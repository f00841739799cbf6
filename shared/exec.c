/*
 * posix_spawn with a deadline. The child is watched through a pidfd, so its
 * exit wakes the same poll() that drains its output: no SIGCHLD handler, no
 * sleep. The output pipe is not read to EOF once the child has exited: a
 * daemon started by an init script may hold it open for ever, so only what
 * is already buffered then is read.
 *
 * The child gets default signal dispositions and an empty signal mask:
 * both survive exec, and a child that inherited an ignored SIGTERM (or a
 * blocked one, from a signalfd user) could only be SIGKILLed.
 */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"

/* At most this much output is read per wake-up, so a chatty child cannot starve the deadline. */
#define OUTPUT_SLICE (64u * 1024u)

static char *const default_env[] = {
	(char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	(char *)"LANG=C",
	NULL,
};

/* After SIGKILL the child dies as soon as the kernel lets it: wait for that. */
static const deadline_t never = {.end_us = UINT64_MAX};

/* The caller's buffer as a window on the last bytes of output. */
struct tail {
	char *buf;
	size_t cap; /* bytes of data it holds at most (size - 1) */
	size_t used;
	bool truncated;
};

struct child {
	pid_t pid; /* > 0 until reaped */
	int pidfd;
	int out; /* read end of the output pipe; -1 after EOF */
	struct tail tail;
};

static void tail_init(struct tail *t, char *buf, size_t size)
{
	*t = (struct tail){.buf = buf, .cap = size ? size - 1 : 0};
	if (size)
		buf[0] = '\0';
}

static void tail_append(struct tail *t, const char *data, size_t n)
{
	if (n > t->cap - t->used)
		t->truncated = true;
	if (t->cap == 0)
		return;
	if (n >= t->cap) {
		memcpy(t->buf, data + (n - t->cap), t->cap);
		t->used = t->cap;
	} else {
		if (n > t->cap - t->used) {
			size_t drop = n - (t->cap - t->used);

			memmove(t->buf, t->buf + drop, t->used - drop);
			t->used -= drop;
		}
		memcpy(t->buf + t->used, data, n);
		t->used += n;
	}
	t->buf[t->used] = '\0';
}

/* Kill and reap whatever is left of the child, on every path out of spawn_run(). */
static void child_done(struct child *c)
{
	if (c->pid > 0) {
		(void)killpg(c->pid, SIGKILL);
		(void)kill(c->pid, SIGKILL);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	closep(&c->pidfd);
	closep(&c->out);
}

/* Move fd above 2: the child's dup2() onto 0, 1 and 2 must not clobber it. */
static int fd_off_stdio(int *fd)
{
	int moved;

	if (*fd > STDERR_FILENO)
		return 0;
	moved = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	if (moved < 0)
		return negative_errno();
	close(*fd);
	*fd = moved;
	return 0;
}

/* Positive error numbers, as posix_spawn*() return them. */
static int file_actions_set(posix_spawn_file_actions_t *fa, int in, int out)
{
	int r = posix_spawn_file_actions_adddup2(fa, in, STDIN_FILENO);

	if (r == 0)
		r = posix_spawn_file_actions_adddup2(fa, out, STDOUT_FILENO);
	if (r == 0)
		r = posix_spawn_file_actions_adddup2(fa, out, STDERR_FILENO);
#ifdef __GLIBC__
#if __GLIBC_PREREQ(2, 34)
	/* Descriptors someone else opened without O_CLOEXEC are not the child's either. */
	if (r == 0)
		r = posix_spawn_file_actions_addclosefrom_np(fa, STDERR_FILENO + 1);
#endif
#endif
	return r;
}

static int attr_set(posix_spawnattr_t *attr)
{
	sigset_t none, all;
	int r;

	sigemptyset(&none);
	sigfillset(&all);
	/* Its own process group, so a timeout kills what it started too. */
	r = posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
						   POSIX_SPAWN_SETSIGDEF);
	if (r == 0)
		r = posix_spawnattr_setpgroup(attr, 0);
	if (r == 0)
		r = posix_spawnattr_setsigmask(attr, &none);
	if (r == 0)
		r = posix_spawnattr_setsigdefault(attr, &all);
	return r;
}

static int spawn_child(char *const argv[], char *const envp[], int in, int out, pid_t *ret_pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int r;

	r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return -r;
	r = posix_spawnattr_init(&attr);
	if (r != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -r;
	}
	r = file_actions_set(&fa, in, out);
	if (r == 0)
		r = attr_set(&attr);
	/* glibc reports a failed exec here (and reaps that child itself). */
	if (r == 0)
		r = posix_spawn(ret_pid, argv[0], &fa, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return -r;
}

static int child_start(char *const argv[], char *const envp[], struct child *c)
{
	_cleanup_close_ int devnull = -1;
	_cleanup_close_ int out_w = -1;
	int pipefd[2], r;

	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		return negative_errno();
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return negative_errno();
	c->out = pipefd[0];
	out_w = pipefd[1];
	/* Only our end is non-blocking: the child's writes must block as usual. */
	if (fcntl(c->out, F_SETFL, O_NONBLOCK) < 0)
		return negative_errno();
	r = fd_off_stdio(&devnull);
	if (r == 0)
		r = fd_off_stdio(&out_w);
	if (r == 0)
		r = spawn_child(argv, envp, devnull, out_w, &c->pid);
	if (r < 0)
		return r;
	/* The unreaped child keeps its pid: no reuse race here. */
	c->pidfd = pidfd_open(c->pid, 0);
	if (c->pidfd < 0)
		return negative_errno();
	return 0;
}

/* Read at most limit bytes of output now. EOF closes our end. */
static int output_read(struct child *c, size_t limit)
{
	char chunk[4096];

	while (c->out >= 0 && limit > 0) {
		ssize_t n = read(c->out, chunk, MIN(sizeof(chunk), limit));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return negative_errno();
		if (n == 0) {
			close(c->out);
			c->out = -1;
			return 0;
		}
		tail_append(&c->tail, chunk, (size_t)n);
		limit -= (size_t)n;
	}
	return 0;
}

/* Everything the child wrote before exiting is within one pipe-full. */
static size_t pipe_size(int fd)
{
	int n = fd >= 0 ? fcntl(fd, F_GETPIPE_SZ) : 0;

	return n > 0 ? (size_t)n : 1024u * 1024u;
}

/* 1 once the child has exited, 0 when until passed first, -errno. */
static int child_wait(struct child *c, deadline_t until)
{
	for (;;) {
		struct pollfd p[2] = {
			{.fd = c->pidfd, .events = POLLIN},
			{.fd = c->out, .events = POLLIN}, /* ignored by poll() once -1 */
		};
		int r = poll(p, ARRAY_SIZE(p), deadline_poll_timeout(until));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return negative_errno();
		if (p[0].revents & POLLIN)
			return 1;
		if (p[0].revents)
			return -EIO;
		if (r == 0 && deadline_expired(until))
			return 0;
		if (p[1].revents) {
			r = output_read(c, OUTPUT_SLICE);
			if (r < 0)
				return r;
		}
	}
}

/* The child and its group (which it may have left: hence the pidfd too). */
static void child_signal(const struct child *c, int sig)
{
	(void)killpg(c->pid, sig);
	(void)pidfd_send_signal(c->pidfd, sig, NULL, 0);
}

/* The deadline passed: SIGTERM, then SIGKILL after grace_ms or once the child died. */
static int child_terminate(struct child *c, unsigned grace_ms)
{
	int r;

	child_signal(c, SIGTERM);
	r = child_wait(c, deadline_in_ms(grace_ms));
	/* Even when the child died of SIGTERM: what it started may ignore it. */
	child_signal(c, SIGKILL);
	if (r == 0)
		r = child_wait(c, never);
	return r;
}

static int child_reap(struct child *c, int *ret_status)
{
	int status;

	while (waitpid(c->pid, &status, 0) < 0) {
		if (errno == EINTR)
			continue;
		/* Reaped behind our back (SIGCHLD ignored): the pid may be reused, forget it. */
		if (errno == ECHILD)
			c->pid = -1;
		return negative_errno();
	}
	c->pid = -1;
	*ret_status = status;
	return 0;
}

static struct spawn_result result_of(int status, bool timed_out, bool truncated)
{
	struct spawn_result res = {.timed_out = timed_out, .truncated = truncated};

	if (WIFEXITED(status)) {
		res.exited = true;
		res.status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res.signal = WTERMSIG(status);
	}
	return res;
}

int spawn_run(char *const argv[], char *const envp[], deadline_t deadline, unsigned grace_ms,
	      char *output, size_t output_size, struct spawn_result *ret_result)
{
	_cleanup_(child_done) struct child c = {.pid = -1, .pidfd = -1, .out = -1};
	bool timed_out = false;
	int status, r;

	if (!argv || !argv[0] || argv[0][0] != '/' || (!output && output_size) || !ret_result)
		return -EINVAL;
	tail_init(&c.tail, output, output_size);
	if (deadline_expired(deadline))
		return -ETIME;
	r = child_start(argv, envp ? envp : default_env, &c);
	if (r < 0)
		return r;
	r = child_wait(&c, deadline);
	if (r == 0) {
		timed_out = true;
		r = child_terminate(&c, grace_ms);
	}
	if (r < 0)
		return r;
	r = output_read(&c, pipe_size(c.out));
	if (r < 0)
		return r;
	r = child_reap(&c, &status);
	if (r < 0)
		return r;
	*ret_result = result_of(status, timed_out, c.tail.truncated);
	return 0;
}
