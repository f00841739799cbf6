/*
 * LSB init scripts: /etc/init.d/<name> start|stop through spawn_run (no
 * shell, the action's deadline). Status without a fork when the daemon's pid
 * file is given (pid_files): the process it names must be alive. Without
 * one the script's own `status` runs: the one fork the monitor cannot avoid
 * for a script exha knows nothing else about (LSB: 0 running, 3 stopped).
 * What remains after stop is found through the pid file's session.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "exec.h"
#include "proc.h"

#define INITD	 "/etc/init.d"
#define GRACE_MS 2000

static int script_path(const struct ss_service *s, char *buf, size_t size)
{
	int n = snprintf(buf, size, INITD "/%s", s->name);

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return access(buf, X_OK) < 0 ? negative_errno() : 0;
}

/* Run the script; its exit status in *ret_status, its output's tail in err. */
static int script_run(const struct ss_service *s, const char *verb, deadline_t deadline,
		      int *ret_status, struct error *err)
{
	char path[sizeof(INITD) + SERVICE_NAME_MAX + 2], out[256];
	char *argv[] = {path, (char *)verb, NULL};
	struct spawn_result res;
	int r = script_path(s, path, sizeof(path));

	if (r < 0)
		return error_set(err, -r, "%s: %s", path, strerror(-r));
	r = spawn_run(argv, NULL, deadline, GRACE_MS, out, sizeof(out), &res);
	if (r < 0)
		return error_set(err, -r, "cannot run %s %s: %s", path, verb, strerror(-r));
	if (res.timed_out)
		return error_set(err, ETIME, "%s %s did not finish in time", path, verb);
	if (!res.exited)
		return error_set(err, EIO, "%s %s was killed by signal %d", path, verb, res.signal);
	out[strcspn(out, "\n")] = '\0';
	if (res.status != 0)
		error_set(err, EIO, "%s %s exited with status %d%s%s", path, verb, res.status,
			  out[0] ? ": " : "", out);
	*ret_status = res.status;
	return 0;
}

static int lsb_installed(_unused_ struct backend_ctx *b, const struct ss_service *s,
			 struct error *err)
{
	char path[sizeof(INITD) + SERVICE_NAME_MAX + 2];
	int r = script_path(s, path, sizeof(path));

	if (r < 0)
		return error_set(err, ENOPKG, "'%s' of service '%s' is not an executable: %s", path,
				 s->name, strerror(-r));
	return 0;
}

static int lsb_status(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		      struct error *err)
{
	int status, r;

	if (s->pid_file) {
		r = pidfile_alive(s->pid_file, NULL);
		if (r < 0)
			return error_set(err, -r, "cannot read '%s': %s", s->pid_file,
					 strerror(-r));
		return r;
	}
	r = script_run(s, "status", deadline, &status, err);
	if (r < 0)
		return r;
	if (status == 0)
		return 1;
	if (status >= 1 && status <= 4)
		return 0; /* LSB: dead with a pid file, dead with a lock, not running, unknown */
	return error_set(err, EIO, "status of '%s' answered %d", s->name, status);
}

static int lsb_start(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		     struct error *err)
{
	int status, r = script_run(s, "start", deadline, &status, err);

	if (r < 0)
		return r;
	if (status != 0)
		return -EIO;
	/* The script may return before its daemon has written the pid file. */
	r = s->pid_file ? pidfile_wait(s->pid_file, deadline, NULL) : 0;
	if (r < 0)
		return error_set(err, -r, "'%s' wrote no live pid into '%s'%s", s->name,
				 s->pid_file, r == -ETIME ? " in time" : "");
	return 0;
}

static int lsb_stop(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		    struct error *err)
{
	int status, r = script_run(s, "stop", deadline, &status, err);

	if (r < 0)
		return r;
	if (status != 0)
		return -EIO;
	r = lsb_status(b, s, deadline, err);
	if (r > 0)
		return error_set(err, ETIME, "'%s' still runs after its stop script", s->name);
	return r;
}

/*
 * ARMKILL: every process of the session the pid file's daemon leads. When
 * the daemon itself died (kill -9 of a master), its workers may still hold
 * the listening sockets: they are the members of the session its pid
 * still identifies (the kernel reserves a session id while any member
 * lives, and a new session with that id needs a live leader with that pid).
 */
static int lsb_kill(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		    struct error *err)
{
	pid_t pid, sid;
	int r;

	if (!s->pid_file)
		return 0; /* nothing identifies its processes: the stop script had the last word */
	r = pidfile_read(s->pid_file, &pid);
	if (r == -ENOENT || r == -EINVAL)
		return 0;
	if (r >= 0) {
		r = proc_session_of(pid, &sid);
		if (r == -ESRCH) {
			sid = pid;
			r = 0;
		}
	}
	if (r >= 0)
		r = sid == pid ? session_kill(sid, deadline) : 0;
	if (r == -EPERM)
		r = 0; /* it never left our session: only its script could stop it */
	if (r < 0)
		return error_set(err, -r, "cannot kill what remains of '%s' (pid %d): %s", s->name,
				 (int)pid, strerror(-r));
	return r;
}

const struct backend backend_lsb = {
	.name = "lsb",
	.start = lsb_start,
	.stop = lsb_stop,
	.kill = lsb_kill,
	.status = lsb_status,
	.installed = lsb_installed,
};
