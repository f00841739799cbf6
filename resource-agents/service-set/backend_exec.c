/*
 * exec: daemons exha starts itself, for programs with neither a unit nor an
 * init script. Each is spawned (posix_spawn, no shell) in a session of its
 * own with /dev/null as stdio and nothing else of ours, and recorded in the
 * state directory as a verified identity (pid + start time + boot id), so a
 * reused PID is never taken for the service nor signalled. A daemon that
 * forks writes its pid file (pid_files); the process it names becomes the
 * identity. Status reads two small files: no fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "proc.h"
#include "procid.h"
#include "state.h"
#include "strutil.h"

static char *const daemon_env[] = {
	(char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	(char *)"LANG=C",
	NULL,
};

static int state_name(const struct ss_service *s, const char *ext, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s.%s", s->name, ext);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int id_save(int statefd, const struct ss_service *s, const struct proc_id *id, pid_t sid)
{
	char name[SERVICE_NAME_MAX + 8], buf[128];
	int r;

	if ((r = state_name(s, "id", name, sizeof(name))) < 0 ||
	    (r = proc_id_format(id, buf, sizeof(buf))) < 0 ||
	    (r = state_write(statefd, name, buf, strlen(buf))) < 0)
		return r;
	snprintf(buf, sizeof(buf), "%d\n", (int)sid);
	if ((r = state_name(s, "sid", name, sizeof(name))) < 0)
		return r;
	return state_write(statefd, name, buf, strlen(buf));
}

/* The recorded identity and session: -ENOENT when exha did not start it. */
static int id_load(int statefd, const struct ss_service *s, struct proc_id *ret_id, pid_t *ret_sid)
{
	char name[SERVICE_NAME_MAX + 8], buf[128];
	int r;

	if (statefd < 0)
		return -ENOENT;
	if ((r = state_name(s, "id", name, sizeof(name))) < 0 ||
	    (r = state_read(statefd, name, buf, sizeof(buf))) < 0 ||
	    (r = proc_id_parse(buf, ret_id)) < 0)
		return r;
	if ((r = state_name(s, "sid", name, sizeof(name))) < 0 ||
	    (r = state_read(statefd, name, buf, sizeof(buf))) < 0)
		return r;
	return pidfile_parse(buf, ret_sid);
}

static void id_forget(int statefd, const struct ss_service *s)
{
	char name[SERVICE_NAME_MAX + 8];

	if (statefd < 0)
		return;
	if (state_name(s, "id", name, sizeof(name)) == 0)
		(void)state_remove(statefd, name);
	if (state_name(s, "sid", name, sizeof(name)) == 0)
		(void)state_remove(statefd, name);
}

static int spawn_daemon(char *const argv[], pid_t *ret_pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int r;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	/* A session of its own: the daemon outlives us, and its session finds its workers. */
	r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
						    POSIX_SPAWN_SETSIGDEF);
	if (!r)
		r = posix_spawnattr_setsigmask(&attr, &none);
	if (!r)
		r = posix_spawnattr_setsigdefault(&attr, &all);
	for (int fd = 0; !r && fd <= 2; fd++)
		r = posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY,
						     0);
	if (!r)
		r = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!r)
		r = posix_spawn(ret_pid, argv[0], &fa, &attr, argv, daemon_env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return -r;
}

struct child {
	pid_t pid; /* 0 once reaped */
	int pidfd;
	int watchfd;
};

/* Wait for the child's exit or a change next to the pid file, bounded by deadline. */
static void child_wait_event(struct child *c, deadline_t deadline)
{
	struct pollfd p[2] = {{.fd = c->pid ? c->pidfd : -1, .events = POLLIN},
			      {.fd = c->watchfd, .events = POLLIN}};
	int timeout = deadline_poll_timeout(deadline);
	char drain[4096];

	if (c->watchfd < 0 || c->pid == 0)
		timeout = MIN(timeout, PIDFILE_PACE_MS);
	if (poll(p, 2, timeout) > 0 && (p[1].revents & POLLIN))
		while (read(c->watchfd, drain, sizeof(drain)) > 0)
			;
}

/* 0 while it runs; 1 when it exited 0 (a forking daemon's parent); -errno else. */
static int child_check(struct child *c, const struct ss_service *s, struct error *err)
{
	int status;
	pid_t r;

	if (c->pid == 0)
		return 1;
	r = waitpid(c->pid, &status, WNOHANG);
	if (r == 0)
		return 0;
	c->pid = 0;
	if (r < 0)
		return 1; /* reaped elsewhere: the pid file decides */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && s->pid_file)
		return 1;
	if (WIFEXITED(status))
		return error_set(err, EIO, "'%s' exited with status %d", s->argv[0],
				 WEXITSTATUS(status));
	return error_set(err, EIO, "'%s' was killed by signal %d", s->argv[0], WTERMSIG(status));
}

static int wait_up(struct backend_ctx *b, const struct ss_service *s, struct child *c,
		   deadline_t deadline, struct error *err)
{
	struct proc_id id;
	pid_t pid, sid;
	int r;

	for (;;) {
		r = child_check(c, s, err);
		if (r < 0)
			return r;
		if (!s->pid_file && r == 0)
			return 0;
		if (s->pid_file && pidfile_alive(s->pid_file, &pid) > 0) {
			/* The daemon itself, which may not be the process we spawned. */
			if (proc_id_of(pid, &id) < 0 || proc_session_of(pid, &sid) < 0)
				continue;
			return id_save(b->statefd, s, &id, sid);
		}
		if (!s->pid_file && r == 1)
			return error_set(err, EIO, "'%s' exited at once", s->argv[0]);
		if (deadline_expired(deadline))
			return error_set(err, ETIME, "'%s' wrote no pid file '%s' in time", s->name,
					 s->pid_file);
		child_wait_event(c, deadline);
	}
}

static int exec_start(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		      struct error *err)
{
	_cleanup_close_ int pidfd = -1, watchfd = pidfile_watch(s->pid_file);
	struct child c = {.pidfd = -1, .watchfd = watchfd};
	struct proc_id id;
	int r;

	if (b->statefd < 0 || !s->argv)
		return -EINVAL;
	r = spawn_daemon(s->argv, &c.pid);
	if (r < 0)
		return error_set(err, -r, "cannot run '%s': %s", s->argv[0], strerror(-r));
	pidfd = pidfd_open(c.pid, 0);
	c.pidfd = pidfd;
	/* Recorded at once: a stop after a timed-out start still finds it. */
	r = proc_id_of(c.pid, &id);
	if (r >= 0)
		r = id_save(b->statefd, s, &id, c.pid);
	if (r < 0)
		return error_set(err, -r, "cannot record '%s': %s", s->name, strerror(-r));
	return wait_up(b, s, &c, deadline, err);
}

static int exec_installed(_unused_ struct backend_ctx *b, const struct ss_service *s,
			  struct error *err)
{
	if (!s->argv)
		return -EINVAL;
	if (access(s->argv[0], X_OK) < 0)
		return error_set(err, ENOPKG, "'%s' of service '%s' is not an executable: %s",
				 s->argv[0], s->name, strerror(errno));
	return 0;
}

/* The recorded identity and session of s: 1; 0 when none (exha did not start it). */
static int id_recorded(struct backend_ctx *b, const struct ss_service *s, struct proc_id *id,
		       pid_t *sid, struct error *err)
{
	int r = id_load(b->statefd, s, id, sid);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return error_set(err, -r, "cannot read the state of '%s': %s", s->name,
				 strerror(-r));
	return 1;
}

static int exec_status(struct backend_ctx *b, const struct ss_service *s,
		       _unused_ deadline_t deadline, struct error *err)
{
	struct proc_id id;
	pid_t sid;
	int r = id_recorded(b, s, &id, &sid, err);

	if (r <= 0)
		return r;
	r = proc_id_alive(&id);
	if (r < 0)
		return error_set(err, -r, "cannot check '%s' (pid %d): %s", s->name, (int)id.pid,
				 strerror(-r));
	return r;
}

static int exec_stop(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		     struct error *err)
{
	struct proc_id id;
	pid_t sid;
	int r = id_recorded(b, s, &id, &sid, err);

	if (r <= 0)
		return r;
	r = proc_id_terminate(&id, SIGTERM, deadline);
	if (r == -ETIME)
		return error_set(err, ETIME, "'%s' (pid %d) did not stop in time", s->name,
				 (int)id.pid);
	if (r < 0)
		return error_set(err, -r, "cannot stop '%s' (pid %d): %s", s->name, (int)id.pid,
				 strerror(-r));
	return 0;
}

/* ARMKILL: the recorded daemon's session (its workers too), then forget it. */
static int exec_kill(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		     struct error *err)
{
	struct proc_id id;
	pid_t sid;
	int r = id_recorded(b, s, &id, &sid, err), killed = 0;

	if (r <= 0)
		return r;
	r = 0;
	if (proc_id_alive(&id) > 0) {
		r = proc_id_terminate(&id, SIGKILL, deadline);
		killed += r == 0;
	}
	if (r >= 0 && sid > 1 && sid != getsid(0))
		r = session_kill(sid, deadline);
	if (r < 0)
		return error_set(err, -r, "cannot kill what remains of '%s': %s", s->name,
				 strerror(-r));
	id_forget(b->statefd, s);
	return killed + r;
}

const struct backend backend_exec = {
	.name = "exec",
	.start = exec_start,
	.stop = exec_stop,
	.kill = exec_kill,
	.status = exec_status,
	.installed = exec_installed,
};
