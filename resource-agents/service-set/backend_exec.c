/*
 * exec: daemons exha starts itself, for programs with neither a unit nor an
 * init script. Each is spawned (child.h: no shell) in a session of its own
 * with /dev/null as stdio and nothing else of ours, and recorded in the
 * state directory as a verified identity (pid + start time + boot id), so a
 * reused PID is never taken for the service nor signalled. A daemon that
 * forks writes its pid file (pid_files); the process it names becomes the
 * identity when it was born since the launch and runs the service's program
 * or sits in the launched session (a stale pid file names an older process).
 * The session is recorded by its leader's identity: it is swept only while
 * that leader lives. Status reads two small files: no fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "child.h"
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

#define LEADER_NONE ((const struct proc_id *)NULL)

static int proc_id_save(int statefd, const struct ss_service *s, const char *ext,
			const struct proc_id *id)
{
	char name[SERVICE_NAME_MAX + 8];
	int r;

	if ((r = state_name(s, ext, name, sizeof(name))) < 0)
		return r;
	if (id)
		return proc_id_store(statefd, name, id);
	r = state_remove(statefd, name);
	return r == -ENOENT ? 0 : r;
}

/* The daemon's identity, and its session's leader (NULL: no session of its to sweep). */
static int id_save(int statefd, const struct ss_service *s, const struct proc_id *id,
		   const struct proc_id *leader)
{
	int r = proc_id_save(statefd, s, "id", id);

	return r < 0 ? r : proc_id_save(statefd, s, "lead", leader);
}

/* The recorded identity (-ENOENT when exha did not start it) and leader (pid 0: none). */
static int id_load(int statefd, const struct ss_service *s, struct proc_id *ret_id,
		   struct proc_id *ret_leader)
{
	char name[SERVICE_NAME_MAX + 8];
	int r;

	if (statefd < 0)
		return -ENOENT;
	if ((r = state_name(s, "id", name, sizeof(name))) < 0 ||
	    (r = proc_id_load(statefd, name, ret_id)) < 0)
		return r;
	*ret_leader = (struct proc_id){.pid = 0};
	if ((r = state_name(s, "lead", name, sizeof(name))) < 0)
		return r;
	r = proc_id_load(statefd, name, ret_leader);
	return r == -ENOENT ? 0 : r;
}

static void id_forget(int statefd, const struct ss_service *s)
{
	static const char *const exts[] = {"id", "lead", "sid"}; /* sid: before leaders */
	char name[SERVICE_NAME_MAX + 8];

	if (statefd < 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(exts); i++)
		if (state_name(s, exts[i], name, sizeof(name)) == 0)
			(void)state_remove(statefd, name);
}

struct child {
	pid_t pid; /* 0 once reaped */
	int pidfd;
	int watchfd;
	struct proc_id id; /* as launched: the session's leader */
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

static int exec_installed(struct backend_ctx *b, const struct ss_service *s, struct error *err);

/* The session leader of the daemon seen: itself, the launched child, or none of ours. */
static const struct proc_id *leader_of(const struct pid_seen *seen, const struct child *c)
{
	if (seen->sid == seen->id.pid)
		return &seen->id;
	return seen->sid == c->id.pid ? &c->id : LEADER_NONE;
}

static int wait_up_failed(const struct ss_service *s, struct error *err)
{
	char why[ERROR_MSG_SIZE];

	snprintf(why, sizeof(why), "%s", err->msg);
	return error_set(err, ETIME, "'%s' wrote no pid file '%s' of its own in time%s%s", s->name,
			 s->pid_file, why[0] ? ": " : "", why);
}

static int wait_up(struct backend_ctx *b, const struct ss_service *s, struct child *c,
		   deadline_t deadline, struct error *err)
{
	struct pid_claim claim = {
		.born_since = c->id.starttime,
		.launch_sid = c->id.pid,
		.launch_pid = c->pid,
		.exe = s->exe ? s->exe : s->argv[0],
	};
	struct pid_seen seen;
	int r;

	for (;;) {
		r = child_check(c, s, err);
		if (r < 0)
			return r;
		if (!s->pid_file && r == 0)
			return 0;
		/* The daemon itself, which may not be the process we spawned. */
		if (s->pid_file && pidfile_claim(s->pid_file, &claim, &seen, err) > 0)
			return id_save(b->statefd, s, &seen.id, leader_of(&seen, c));
		if (!s->pid_file && r == 1)
			return error_set(err, EIO, "'%s' exited at once", s->argv[0]);
		if (deadline_expired(deadline))
			return wait_up_failed(s, err);
		err->msg[0] = '\0'; /* only the last stale pid explains the timeout */
		child_wait_event(c, deadline);
	}
}

static int exec_start(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		      struct error *err)
{
	_cleanup_close_ int pidfd = -1, watchfd = pidfile_watch(s->pid_file);
	struct child c = {.pidfd = -1, .watchfd = watchfd};
	struct child_spec quiet = CHILD_SPEC_QUIET(CHILD_OWN_SESSION);
	int r;

	if (b->statefd < 0 || !s->argv)
		return -EINVAL;
	r = exec_installed(b, s, err);
	if (r < 0)
		return r;
	/* A session of its own: the daemon outlives us, and its session finds its workers. */
	r = child_spawn(&quiet, s->argv, daemon_env, &c.pid);
	if (r < 0)
		return error_set(err, -r, "cannot run '%s': %s", s->argv[0], strerror(-r));
	pidfd = pidfd_open(c.pid, 0);
	c.pidfd = pidfd;
	/* Recorded at once: a stop after a timed-out start still finds it. */
	r = proc_id_of(c.pid, &c.id);
	if (r >= 0)
		r = id_save(b->statefd, s, &c.id, &c.id);
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

/* The recorded identity and session leader of s: 1; 0 when none (exha did not start it). */
static int id_recorded(struct backend_ctx *b, const struct ss_service *s, struct proc_id *id,
		       struct proc_id *leader, struct error *err)
{
	int r = id_load(b->statefd, s, id, leader);

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
	struct proc_id id, leader;
	int r = id_recorded(b, s, &id, &leader, err);

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
	struct proc_id id, leader;
	int r = id_recorded(b, s, &id, &leader, err);

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

/*
 * ARMKILL: the recorded daemon, and its session's members while the
 * session's recorded leader still lives (a reused session id is a
 * stranger's), then forget it.
 */
static int exec_kill(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		     struct error *err)
{
	struct proc_id id, leader;
	int r = id_recorded(b, s, &id, &leader, err), killed = 0;

	if (r <= 0)
		return r;
	/* The session first: killing its leader first would end the right to sweep it. */
	r = leader.pid > 1 ? session_kill(&leader, deadline) : 0;
	if (r == -EPERM)
		r = 0; /* it never left our session: nothing of it to sweep */
	if (r >= 0)
		killed = r;
	if (proc_id_alive(&id) > 0) {
		int k = proc_id_terminate(&id, SIGKILL, deadline);

		killed += k == 0;
		r = r < 0 ? r : k;
	}
	if (r < 0)
		return error_set(err, -r, "cannot kill what remains of '%s': %s", s->name,
				 strerror(-r));
	id_forget(b->statefd, s);
	return killed;
}

/* The recorded daemon's pidfd: it is readable once the daemon has exited. */
static int exec_watch(struct backend_ctx *b, const struct ss_service *s, struct backend_watch *w,
		      struct error *err)
{
	struct proc_id id, leader;
	int r = id_recorded(b, s, &id, &leader, err);

	if (r <= 0)
		return r;
	r = proc_id_pidfd(&id, &w->fd);
	if (r == -ESRCH)
		return 0;
	if (r < 0)
		return error_set(err, -r, "cannot watch '%s' (pid %d): %s", s->name, (int)id.pid,
				 strerror(-r));
	return 1;
}

const struct backend backend_exec = {
	.name = "exec",
	.start = exec_start,
	.stop = exec_stop,
	.kill = exec_kill,
	.status = exec_status,
	.installed = exec_installed,
	.watch = exec_watch,
};
