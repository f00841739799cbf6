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
#include <stdint.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "macro.h"
#include "procid.h"

/* At most this much output is read per wake-up, so a chatty child cannot starve the deadline. */
#define OUTPUT_SLICE (64u * 1024u)

static char *const default_env[] = {
	(char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	(char *)"LANG=C",
	NULL,
};

/* The caller's buffer as a window on the last bytes of output. */
struct tail {
	char *buf;
	size_t cap; /* bytes of data it holds at most (size - 1) */
	size_t used;
	bool truncated;
};

struct child {
	pid_t pid; /* > 0 until reaped */
	uint64_t starttime;
	int pidfd;
	int out; /* read end of the output pipe; -1 after EOF */
	struct tail tail;
	deadline_t deadline; /* the caller's: nothing here waits past it */
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

/*
 * Kill and reap whatever is left of the child, on every path out of
 * spawn_run(), waiting for it no longer than the deadline: a child in
 * uninterruptible sleep (fsck on a dead disk) is left to init when the
 * agent exits, and the agent still answers in time.
 */
static void child_done(struct child *c)
{
	if (c->pid > 0) {
		struct pollfd p = {.fd = c->pidfd, .events = POLLIN};

		(void)killpg(c->pid, SIGKILL);
		(void)kill(c->pid, SIGKILL);
		if (c->pidfd >= 0)
			while (poll(&p, 1, deadline_poll_timeout(c->deadline)) < 0 &&
			       errno == EINTR)
				;
		while (waitpid(c->pid, NULL, WNOHANG) < 0 && errno == EINTR)
			;
	}
	closep(&c->pidfd);
	closep(&c->out);
}

static int child_start(char *const argv[], char *const envp[], struct child *c)
{
	_cleanup_close_ int out_w = -1;
	struct child_spec spec = {.n_fds = 3, .detach = CHILD_OWN_GROUP};
	struct proc_id id;
	int pipefd[2], r;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return negative_errno();
	c->out = pipefd[0];
	out_w = pipefd[1];
	/* Only our end is non-blocking: the child's writes must block as usual. */
	if (fcntl(c->out, F_SETFL, O_NONBLOCK) < 0)
		return negative_errno();
	/* stdin on /dev/null; stdout and stderr, interleaved, on the pipe. */
	spec.fds[0] = -1;
	spec.fds[1] = out_w;
	spec.fds[2] = out_w;
	/* Its own process group, so a timeout kills what it started too. */
	r = child_spawn(&spec, argv, envp, &c->pid);
	if (r < 0)
		return r;
	/* The unreaped child keeps its pid: no reuse race here. */
	c->pidfd = pidfd_open(c->pid, 0);
	if (c->pidfd < 0)
		return negative_errno();
	/* What it starts is born after it: callers tell a daemon of theirs from a stale pid. */
	if (proc_id_of(c->pid, &id) == 0)
		c->starttime = id.starttime;
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

/*
 * Its time is up: SIGTERM, then SIGKILL once kill_at passes or the child
 * died, then wait for it until the caller's deadline. 1 once it exited, 0
 * when it outlived even SIGKILL, -errno.
 */
static int child_terminate(struct child *c, deadline_t kill_at)
{
	int r;

	child_signal(c, SIGTERM);
	r = child_wait(c, kill_at);
	/* Even when the child died of SIGTERM: what it started may ignore it. */
	child_signal(c, SIGKILL);
	if (r == 0)
		r = child_wait(c, c->deadline);
	return r;
}

/*
 * When the child's own time ends: the grace (for SIGTERM, then SIGKILL and
 * the reaping) comes out of the caller's deadline, at most a quarter of it,
 * so that a hung child is reported before the action's timeout.
 */
static deadline_t run_until(deadline_t deadline, unsigned grace_ms)
{
	uint64_t left = deadline_remaining_ms(deadline), grace = MIN(grace_ms, left / 4);

	return deadline_in_ms(left - grace);
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

static struct spawn_result result_of(const struct child *c, int status, bool timed_out)
{
	struct spawn_result res = {
		.timed_out = timed_out,
		.truncated = c->tail.truncated,
		.starttime = c->starttime,
	};

	if (status < 0) {
		res.signal = SIGKILL; /* sent, and not yet acted upon */
	} else if (WIFEXITED(status)) {
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
	_cleanup_(child_done) struct child c = {
		.pid = -1, .pidfd = -1, .out = -1, .deadline = deadline};
	bool timed_out = false;
	int status = -1, exited, r;

	if (!argv || !argv[0] || argv[0][0] != '/' || (!output && output_size) || !ret_result)
		return -EINVAL;
	tail_init(&c.tail, output, output_size);
	if (deadline_expired(deadline))
		return -ETIME;
	r = child_start(argv, envp ? envp : default_env, &c);
	if (r < 0)
		return r;
	exited = child_wait(&c, run_until(deadline, grace_ms));
	if (exited == 0) {
		/* Three quarters of what is left for SIGTERM, the rest for SIGKILL. */
		uint64_t grace = deadline_remaining_ms(deadline);

		timed_out = true;
		exited = child_terminate(&c, deadline_in_ms(grace - grace / 4));
	}
	if (exited < 0)
		return exited;
	r = output_read(&c, pipe_size(c.out));
	/* Not reaped when even SIGKILL has not ended it yet: child_done leaves it to init. */
	if (r == 0 && exited)
		r = child_reap(&c, &status);
	if (r < 0)
		return r;
	*ret_result = result_of(&c, status, timed_out);
	return 0;
}
