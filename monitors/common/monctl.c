/*
 * Daemon control for monitor agents. The daemon is recorded as a process
 * identity (pid + start time + boot id) in /run/exha/<instance>/daemon
 * before start waits for it, so a stop after a timed-out start still finds
 * it. It runs in its own session with stdio on /dev/null: Pacemaker's
 * executor waits for the agent's output to close, not for the daemon.
 */
#include "monctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "exec.h"
#include "log.h"
#include "mon.h"
#include "procid.h"
#include "state.h"
#include "strutil.h"

#define DAEMON_FILE "daemon"

extern char **environ;

const char *monctl_daemon_path(const struct agent_ctx *ctx, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%sd", MON_DAEMON_DIR, ctx->def->name);
	return buf;
}

/* The recorded daemon: 1 and its identity when alive, 0 when none or gone (ret_gone: it died). */
static int daemon_find(int statefd, struct proc_id *ret_id, bool *ret_gone)
{
	char boot[BOOT_ID_SIZE];
	int r = proc_id_load(statefd, DAEMON_FILE, ret_id);

	*ret_gone = false;
	if (r == -ENOENT)
		return 0;
	if (r < 0 && r != -EINVAL)
		return r;
	if (r == -EINVAL || boot_id_read(boot) < 0 || strcmp(boot, ret_id->boot_id) != 0)
		return 0; /* unreadable or from a previous boot: never counts as running */
	r = proc_id_alive(ret_id);
	if (r == 0)
		*ret_gone = true;
	return r;
}

static enum ocf_exitcode state_open(struct agent_ctx *ctx, int *ret_fd)
{
	int r = state_dir_open(EXHA_RUNDIR, ctx->instance, ret_fd);

	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot open %s/%s: %s", EXHA_RUNDIR,
				  ctx->instance, strerror(-r));
	return PCMK_OCF_OK;
}

enum ocf_exitcode monctl_monitor(struct agent_ctx *ctx)
{
	_cleanup_close_ int statefd = -1;
	struct proc_id id;
	bool gone;
	enum ocf_exitcode rc = state_open(ctx, &statefd);
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	r = daemon_find(statefd, &id, &gone);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot check the daemon: %s",
				  strerror(-r));
	if (r > 0)
		return PCMK_OCF_OK;
	if (gone)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the monitor daemon (pid %d) has exited", (int)id.pid);
	return PCMK_OCF_NOT_RUNNING;
}

/* The agent's environment (the daemon parses the same OCF_RESKEY_*) plus the pipe's number. */
static char **daemon_env(void)
{
	size_t n = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0, j = 0; i < n; i++)
		if (strncmp(environ[i], MON_READY_ENV "=", strlen(MON_READY_ENV) + 1) != 0)
			env[j++] = environ[i];
	for (n = 0; env[n]; n++)
		;
	env[n] = (char *)MON_READY_ENV "=3";
	return env;
}

/* Its own session: the executor's process-group kill after the action must miss it. */
static int daemon_spawn(const char *path, int ready_w, pid_t *ret_pid)
{
	char *argv[] = {(char *)path, (char *)"run", NULL};
	_cleanup_free_ char **env = daemon_env();
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_OWN_SESSION);

	if (!env)
		return -ENOMEM;
	for (unsigned i = spec.n_fds; i < MON_READY_FD; i++)
		spec.fds[i] = -1;
	spec.fds[MON_READY_FD] = ready_w;
	spec.n_fds = MON_READY_FD + 1;
	return child_spawn(&spec, argv, env, ret_pid);
}

/* Read the readiness line: 0 on "OK", the daemon's OCF code and reason otherwise. */
static int ready_wait(int fd, deadline_t deadline, char *line, size_t size)
{
	size_t used = 0;

	line[0] = '\0';
	while (used < size - 1 && !memchr(line, '\n', used)) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;
		int r = poll(&pfd, 1, deadline_poll_timeout(deadline));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return negative_errno();
		if (r == 0)
			return -ETIME;
		n = read(fd, line + used, size - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		line[used] = '\0';
	}
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line, "OK") == 0 ? 0 : -EPROTO;
}

/* "ERR <code> <reason>": the daemon's verdict, or GENERIC when garbled. */
static enum ocf_exitcode ready_error(const char *line, const char **ret_reason)
{
	char code[8];
	size_t len;
	uint64_t v;

	*ret_reason = "";
	if (strncmp(line, "ERR ", 4) != 0)
		return PCMK_OCF_UNKNOWN_ERROR;
	line += 4;
	len = strcspn(line, " ");
	if (len == 0 || len >= sizeof(code) || line[len] != ' ')
		return PCMK_OCF_UNKNOWN_ERROR;
	memcpy(code, line, len);
	code[len] = '\0';
	*ret_reason = line + len + 1;
	if (parse_uint64(code, 1, 7, &v) < 0)
		return PCMK_OCF_UNKNOWN_ERROR;
	return (enum ocf_exitcode)v;
}

static enum ocf_exitcode start_failed(struct agent_ctx *ctx, int statefd, pid_t pid, int r,
				      const char *line)
{
	const char *reason;
	enum ocf_exitcode rc = ready_error(line, &reason);

	(void)kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	(void)state_remove(statefd, DAEMON_FILE);
	if (r == -ETIME)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the monitor daemon was not ready within the start timeout");
	if (reason[0])
		return agent_fail(ctx, rc, "%s", reason);
	return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
			  "the monitor daemon exited before it was ready " QB_XS " %s",
			  r == -EPROTO ? "no readiness line" : strerror(-r));
}

static enum ocf_exitcode spawn_and_wait(struct agent_ctx *ctx, int statefd, const char *path)
{
	_cleanup_close_ int ready_r = -1, ready_w = -1;
	char line[ERROR_MSG_SIZE + 16];
	int fds[2], r;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot create a pipe: %m");
	ready_r = fds[0];
	ready_w = fds[1];
	r = daemon_spawn(path, ready_w, &pid);
	if (r < 0)
		return agent_fail(ctx,
				  r == -ENOENT ? PCMK_OCF_NOT_INSTALLED : PCMK_OCF_UNKNOWN_ERROR,
				  "cannot run '%s': %s", path, strerror(-r));
	closep(&ready_w); /* EOF then means the daemon is gone */
	r = proc_id_record(statefd, DAEMON_FILE, pid);
	if (r < 0) {
		(void)kill(pid, SIGKILL);
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot record the daemon: %s",
				  strerror(-r));
	}
	r = ready_wait(ready_r, ctx->deadline, line, sizeof(line));
	if (r < 0)
		return start_failed(ctx, statefd, pid, r, line);
	log_info("monitor daemon running " QB_XS " pid=%d", (int)pid);
	return PCMK_OCF_OK;
}

enum ocf_exitcode monctl_start(struct agent_ctx *ctx)
{
	_cleanup_close_ int statefd = -1;
	char path[PATH_MAX];
	struct proc_id id;
	bool gone;
	enum ocf_exitcode rc = state_open(ctx, &statefd);

	if (rc != PCMK_OCF_OK)
		return rc;
	if (daemon_find(statefd, &id, &gone) > 0)
		return PCMK_OCF_OK;
	return spawn_and_wait(ctx, statefd, monctl_daemon_path(ctx, path, sizeof(path)));
}

/* The daemon is gone without clearing its attribute: run "<daemon> clear". */
static void clear_by_helper(struct agent_ctx *ctx)
{
	char path[PATH_MAX];
	char *argv[] = {(char *)monctl_daemon_path(ctx, path, sizeof(path)), (char *)"clear", NULL};
	struct spawn_result res;
	char out[256];
	int r = spawn_run(argv, environ, ctx->deadline, 1000, out, sizeof(out), &res);

	if (r < 0)
		log_warning("cannot run '%s' to clear the attribute: %s", path, strerror(-r));
	else if (!res.exited || res.status != 0)
		log_warning("the node attribute may remain: '%s clear' failed " QB_XS " %s", path,
			    out);
}

enum ocf_exitcode monctl_stop(struct agent_ctx *ctx)
{
	_cleanup_close_ int statefd = -1;
	struct proc_id id;
	bool gone;
	enum ocf_exitcode rc = state_open(ctx, &statefd);
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	r = daemon_find(statefd, &id, &gone);
	if (r > 0) {
		/* On SIGTERM the daemon removes its attribute, then exits. */
		r = proc_id_terminate(&id, SIGTERM, deadline_share(ctx->deadline, 70, 1000));
		if (r == -ETIME) {
			log_warning("the daemon ignored SIGTERM: killing it " QB_XS " pid=%d",
				    (int)id.pid);
			r = proc_id_terminate(&id, SIGKILL, ctx->deadline);
			gone = r == 0;
		}
		if (r < 0)
			return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
					  "cannot stop the monitor daemon (pid %d): %s",
					  (int)id.pid, strerror(-r));
	}
	if (gone)
		clear_by_helper(ctx);
	r = state_remove(statefd, DAEMON_FILE);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot forget the daemon: %s",
				  strerror(-r));
	return PCMK_OCF_OK;
}

enum ocf_exitcode monctl_validate(struct agent_ctx *ctx)
{
	char path[PATH_MAX];

	monctl_daemon_path(ctx, path, sizeof(path));
	if (access(path, X_OK) < 0)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED, "cannot run '%s': %m", path);
	return PCMK_OCF_OK;
}

enum ocf_exitcode monctl_check(struct agent_ctx *ctx)
{
	char path[PATH_MAX];
	char *argv[] = {(char *)monctl_daemon_path(ctx, path, sizeof(path)), (char *)"check", NULL};

	fflush(NULL);
	execve(path, argv, environ);
	return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED, "cannot run '%s': %m", path);
}
