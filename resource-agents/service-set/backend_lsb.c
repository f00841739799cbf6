/*
 * LSB init scripts: /etc/init.d/<name> start|stop through spawn_run (no
 * shell, the action's deadline). Status without a fork when the daemon's pid
 * file is given (pid_files): the process it names must be alive. Without
 * one the script's own `status` runs: the one fork the monitor cannot avoid
 * for a script exha knows nothing else about (LSB: 0 running, 3 stopped).
 * A pid file may be stale (Postfix's lives on the switching disk): the
 * process it names counts when it is the one exha saw start (recorded in
 * the state directory), or runs the service's program (executables, else
 * the script's DAEMON=); a pid nothing vouches for makes the script answer.
 * What remains after stop is found through the session the service's
 * daemon leads, while it lives.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "macro.h"
#include "exec.h"
#include "log.h"
#include "proc.h"
#include "state.h"

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
		      int *ret_status, uint64_t *ret_starttime, struct error *err)
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
	if (ret_starttime)
		*ret_starttime = res.starttime;
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

static int record_name(const struct ss_service *s, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s.id", s->name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* The daemon exha saw come up after its start script: 1, 0 when none. */
static int record_load(struct backend_ctx *b, const struct ss_service *s, struct proc_id *ret)
{
	char name[SERVICE_NAME_MAX + 8];
	int r = b->statefd < 0 ? -ENOENT : record_name(s, name, sizeof(name));

	if (r == 0)
		r = proc_id_load(b->statefd, name, ret);
	return r == 0; /* none, or damaged: nothing recorded vouches for a pid */
}

static int record_save(struct backend_ctx *b, const struct ss_service *s, const struct proc_id *id)
{
	char name[SERVICE_NAME_MAX + 8];
	int r = record_name(s, name, sizeof(name));

	return r < 0 ? r : proc_id_store(b->statefd, name, id);
}

static void record_forget(struct backend_ctx *b, const struct ss_service *s)
{
	char name[SERVICE_NAME_MAX + 8];

	if (b->statefd >= 0 && record_name(s, name, sizeof(name)) == 0)
		(void)state_remove(b->statefd, name);
}

/* The program the script runs: its DAEMON= line, read without a shell. */
static const char *script_daemon(const struct ss_service *s, char *buf, size_t size)
{
	char path[sizeof(INITD) + SERVICE_NAME_MAX + 2], text[32768];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), INITD "/%s", s->name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	n = read(fd, text, sizeof(text) - 1);
	if (n <= 0)
		return NULL;
	text[n] = '\0';
	return lsb_script_daemon(text, buf, size) == 0 ? buf : NULL;
}

/* What vouches for the pid in the pid file of s, outside a start. */
static void claim_of(struct backend_ctx *b, const struct ss_service *s, struct proc_id *rec,
		     char *exe, size_t size, struct pid_claim *ret)
{
	*ret = (struct pid_claim){.exe = s->exe};
	if (record_load(b, s, rec) > 0)
		ret->recorded = rec;
	if (!ret->exe)
		ret->exe = script_daemon(s, exe, size);
}

static int lsb_status(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		      struct error *err)
{
	char exe[PATH_MAX];
	struct pid_claim claim;
	struct pid_seen seen;
	struct proc_id rec;
	int status, r;

	if (s->pid_file) {
		claim_of(b, s, &rec, exe, sizeof(exe), &claim);
		r = pidfile_claim(s->pid_file, &claim, &seen, err);
		if (r != -ENOKEY) {
			if (r < 0)
				return error_set(err, -r, "cannot read '%s': %s", s->pid_file,
						 strerror(-r));
			return r;
		}
		/* Nothing vouches for its pid: the script's own status decides. */
	}
	r = script_run(s, "status", deadline, &status, NULL, err);
	if (r < 0)
		return r;
	if (status == 0)
		return 1;
	if (status >= 1 && status <= 4)
		return 0; /* LSB: dead with a pid file, dead with a lock, not running, unknown */
	return error_set(err, EIO, "status of '%s' answered %d", s->name, status);
}

/*
 * A pid file naming the daemon exha recorded, dead but not reaped yet, is
 * stale: removed before the start. A daemon that tells a live instance by
 * kill(pid, 0) on its pid file (Dovecot: "already running") takes the
 * zombie for one and refuses to start until its reaper gets to it: at once
 * under systemd, but an init that reaps orphans lazily makes it seconds,
 * and the watcher restarts a member the moment its pidfd says it died.
 * Only that process's own pid file, while it is that zombie: the file
 * would be overwritten by the daemon anyway once the pid is reaped.
 */
static void stale_pidfile_remove(struct backend_ctx *b, const struct ss_service *s)
{
	struct proc_id rec;
	pid_t pid;

	if (!s->pid_file || record_load(b, s, &rec) <= 0)
		return;
	if (pidfile_read(s->pid_file, &pid) < 0 || pid != rec.pid || proc_id_zombie(&rec) <= 0)
		return;
	if (unlink(s->pid_file) == 0)
		log_debug("removed '%s': it named pid %d, dead and not yet reaped", s->pid_file,
			  (int)pid);
}

static int lsb_start(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		     struct error *err)
{
	struct pid_claim claim = {.exe = s->exe};
	struct pid_seen seen;
	int status, r = lsb_installed(b, s, err);

	if (r < 0)
		return r;
	stale_pidfile_remove(b, s);
	record_forget(b, s);
	r = script_run(s, "start", deadline, &status, &claim.born_since, err);
	if (r < 0)
		return r;
	if (status != 0)
		return -EIO;
	if (!s->pid_file)
		return 0;
	/* The script may return before its daemon has written the pid file. */
	err->msg[0] = '\0';
	r = pidfile_claim_wait(s->pid_file, &claim, deadline, &seen, err);
	if (r < 0) {
		char why[ERROR_MSG_SIZE];

		snprintf(why, sizeof(why), "%s", err->msg);
		return error_set(err, -r, "'%s' wrote no live pid of its own into '%s'%s%s%s",
				 s->name, s->pid_file, r == -ETIME ? " in time" : "",
				 why[0] ? ": " : "", why);
	}
	r = b->statefd >= 0 ? record_save(b, s, &seen.id) : 0;
	if (r < 0)
		return error_set(err, -r, "cannot record '%s': %s", s->name, strerror(-r));
	return 0;
}

static int lsb_stop(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		    struct error *err)
{
	int status, r = script_run(s, "stop", deadline, &status, NULL, err);

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
 * ARMKILL: every process of the session the service's daemon leads, while
 * that daemon lives (the pid file's process, when something vouches for
 * it, or the one recorded at start). Once the leader is gone, its session
 * id may be a stranger's: what is left then is the stop script's.
 */
static int lsb_kill(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
		    struct error *err)
{
	char exe[PATH_MAX];
	struct pid_claim claim;
	struct pid_seen seen;
	struct proc_id rec;
	int r;

	if (!s->pid_file)
		return 0; /* nothing identifies its processes: the stop script had the last word */
	claim_of(b, s, &rec, exe, sizeof(exe), &claim);
	r = pidfile_claim(s->pid_file, &claim, &seen, err);
	if (r == -ENOKEY || r == 0) {
		/* The pid file vouches for nobody: the daemon recorded at start, if it lives. */
		r = claim.recorded && proc_id_alive(&rec) > 0 ? 1 : 0;
		if (r > 0 && proc_session_of(rec.pid, &seen.sid) == 0)
			seen.id = rec;
		else
			r = 0;
	}
	if (r > 0)
		r = seen.sid == seen.id.pid ? session_kill(&seen.id, deadline) : 0;
	if (r == -EPERM)
		r = 0; /* it never left our session: only its script could stop it */
	if (r < 0)
		return error_set(err, -r, "cannot kill what remains of '%s': %s", s->name,
				 strerror(-r));
	return r;
}

/*
 * The pidfd of the daemon its pid file names, when something vouches for
 * it; without that only the script's status could tell, and that is a poll.
 */
static int lsb_watch(struct backend_ctx *b, const struct ss_service *s, struct backend_watch *w,
		     struct error *err)
{
	char exe[PATH_MAX];
	struct pid_claim claim;
	struct pid_seen seen;
	struct proc_id rec;
	int r;

	if (!s->pid_file)
		return error_set(err, ENOKEY, "'%s' has no pid file", s->name);
	claim_of(b, s, &rec, exe, sizeof(exe), &claim);
	r = pidfile_claim(s->pid_file, &claim, &seen, err);
	if (r == -ENOKEY)
		return error_set(err, ENOKEY, "nothing vouches for the pid in '%s'", s->pid_file);
	if (r <= 0)
		return r;
	r = proc_id_pidfd(&seen.id, &w->fd);
	if (r == -ESRCH)
		return 0;
	if (r < 0)
		return error_set(err, -r, "cannot watch '%s' (pid %d): %s", s->name,
				 (int)seen.id.pid, strerror(-r));
	return 1;
}

const struct backend backend_lsb = {
	.name = "lsb",
	.start = lsb_start,
	.stop = lsb_stop,
	.kill = lsb_kill,
	.status = lsb_status,
	.installed = lsb_installed,
	.watch = lsb_watch,
};
