/*
 * ocf:exha:service-set actions. Each maps the -errno answers of the backend
 * and bookkeeping modules to one OCF exit code and one log line; the
 * modules never log above debug. A marker file in the state directory says
 * the set was started here, which tells a member that died (restart it in
 * place) from a set that was never started (OCF_NOT_RUNNING).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent_alert.h"
#include "backend.h"
#include "child.h"
#include "exec.h"
#include "log.h"
#include "restart.h"
#include "restarts.h"
#include "ss.h"
#include "state.h"
#include "watch.h"

#define MARKER "active"

struct run {
	struct agent_ctx *ctx;
	const struct ss_config *c;
	const struct backend *be;
	struct backend_ctx b;
	struct probe_credentials cred;
	bool have_cred;
	struct probe_credentials canary_cred;
	bool have_canary_cred;
};

static void run_close(struct run *run)
{
	if (run->be && run->be->close)
		run->be->close(&run->b);
	explicit_bzero(&run->cred, sizeof(run->cred));
	explicit_bzero(&run->canary_cred, sizeof(run->canary_cred));
	if (run->b.statefd >= 0)
		close(run->b.statefd);
	run->b.statefd = -1;
}

static enum ocf_exitcode run_open(struct agent_ctx *ctx, struct run *run)
{
	const struct ss_config *c = ctx->config;
	int r;

	*run = (struct run){.ctx = ctx,
			    .c = c,
			    .be = backend_of(c->backend),
			    .b = {.statefd = -1, .deadline = ctx->deadline}};
	r = state_dir_open(EXHA_RUNDIR, ctx->instance, &run->b.statefd);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r),
				  "cannot open the state directory of '%s': %s", ctx->instance,
				  strerror(-r));
	return PCMK_OCF_OK;
}

static void alert(struct run *run, enum alert_severity sev, const char *what, const char *name)
{
	int r = agent_alert(run->ctx, sev, "%s '%s'", what, name);

	if (r < 0)
		log_debug("no cluster alert for '%s': %s", name, strerror(-r));
}

/*
 * One service's share of what is left of the action: all of it but 10 % for
 * each service still to come (at most 90 % in all), so a slow first service
 * (Postfix's init script under load) is not cut short to keep time for a
 * quick one.
 */
static deadline_t service_share(deadline_t deadline, size_t after)
{
	return deadline_share(deadline, 100 - 10 * (unsigned)MIN(after, 9), 0);
}

/* 1 running, 0 not, -errno (logged). */
static int status_of(struct run *run, const struct ss_service *s, deadline_t deadline)
{
	struct error err = {""};
	int r = run->be->status(&run->b, s, deadline, &err);

	if (r < 0)
		log_error("cannot tell whether '%s' runs: %s", s->name, err.msg);
	else if (r == 0 && err.msg[0])
		log_warning("'%s' is not running: %s", s->name, err.msg);
	return r;
}

#define DRAIN_GRACE_MS 500

/*
 * drain_commands: close the service's listeners before it is stopped. A
 * daemon that tears down its helpers and its listeners at once on SIGTERM
 * can spawn a worker for a client that arrived just before and then wait
 * for it: Dovecot's master spawns a login process, stops its stats process
 * on SIGTERM, and waits up to 5 s for the login process, stuck in its
 * handshake with the stats socket nobody serves any more. Closed listeners
 * refuse the client (it retries elsewhere, where the group comes up) and
 * leave nothing half started for the stop to wait for. Only asked of a
 * running service; best effort: the stop goes on whatever the command says.
 */
static void drain_one(struct run *run, const struct ss_service *s, deadline_t deadline)
{
	struct error err = {""};
	struct spawn_result res;
	char out[256];
	int r;

	if (!s->drain || run->be->status(&run->b, s, deadline, &err) <= 0)
		return;
	r = spawn_run(s->drain, NULL, deadline, DRAIN_GRACE_MS, out, sizeof(out), &res);
	out[strcspn(out, "\n")] = '\0';
	if (r < 0)
		log_warning("cannot run the drain command of '%s': %s", s->name, strerror(-r));
	else if (res.timed_out)
		log_warning("the drain command of '%s' did not finish in time", s->name);
	else if (!res.exited)
		log_warning("the drain command of '%s' was killed by signal %d", s->name,
			    res.signal);
	else if (res.status != 0)
		log_warning("the drain command of '%s' exited with status %d%s%s", s->name,
			    res.status, out[0] ? ": " : "", out);
	else
		log_debug("'%s' drained", s->name);
}

/*
 * Stop one: drain it, ask within its share, then SIGKILL what remains
 * (ARMKILL). 0 once down.
 */
static int stop_one(struct run *run, const struct ss_service *s, deadline_t deadline)
{
	struct error err = {""};
	deadline_t ask = deadline_share(deadline, 80, 0);
	int r, killed;
	bool asked_ok;

	drain_one(run, s, deadline_share(ask, 25, 0));
	r = run->be->stop(&run->b, s, ask, &err);
	asked_ok = r >= 0;

	if (!asked_ok)
		log_warning("'%s' did not stop: %s " QB_XS " killing what remains", s->name,
			    err.msg);
	killed = run->be->kill(&run->b, s, deadline, &err);
	if (killed < 0) {
		log_error("cannot kill '%s': %s", s->name, err.msg);
		return killed;
	}
	if (killed > 0 && !asked_ok) {
		log_warning("killed %d remaining process(es) of '%s'", killed, s->name);
		alert(run, ALERT_WARNING, "killed (ARMKILL) the service", s->name);
	} else if (killed > 0) {
		log_info("killed %d leftover process(es) of '%s'", killed, s->name);
	}
	r = status_of(run, s, deadline);
	return r > 0 ? -EBUSY : r;
}

/*
 * stop_parallel: member i stopped in a child of its own (its descriptors
 * closed by child_fork: the log and the state directory reopened). Exits 0
 * once it is down, 1 when it still runs, 2 when that cannot be told.
 */
static _Noreturn void stop_child(struct run *run, size_t i, deadline_t deadline)
{
	int r;

	log_close();
	log_open(run->ctx->def->name, run->ctx->instance, false);
	run->b.statefd = -1;
	if (state_dir_open(EXHA_RUNDIR, run->ctx->instance, &run->b.statefd) < 0)
		_exit(2);
	r = stop_one(run, &run->c->svc[i], deadline);
	if (r == 0)
		log_info("'%s' is stopped", run->c->svc[i].name);
	_exit(r == 0 ? 0 : r == -EBUSY ? 1 : 2);
}

/* Reap child pid by the deadline: 0 and its status, -ETIME when it still runs. */
static int child_reap(pid_t pid, deadline_t deadline, int *ret_status)
{
	_cleanup_close_ int pidfd = pidfd_open(pid, 0);
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	int r;

	if (pidfd < 0)
		return negative_errno();
	while ((r = poll(&p, 1, deadline_poll_timeout(deadline))) <= 0) {
		if (r == 0)
			return -ETIME;
		if (errno != EINTR)
			return negative_errno();
	}
	while (waitpid(pid, ret_status, 0) < 0)
		if (errno != EINTR)
			return negative_errno();
	return 0;
}

/*
 * Stop services [0, n) all at once, each with what is left of the action
 * (less the margin to kill a child that overruns it); the first still
 * running, in reverse order, in *failed.
 */
static int stop_all_at_once(struct run *run, size_t n, const char **failed)
{
	struct child_spec spec = {
		.fds = {-1, -1, STDERR_FILENO}, .n_fds = 3, .detach = CHILD_KEEP_GROUP};
	deadline_t each = deadline_share(run->ctx->deadline, 90, 0);
	pid_t pid[SS_MAX_SERVICES] = {0};
	int result[SS_MAX_SERVICES] = {0}, first = 0;

	for (size_t i = 0; i < n; i++) {
		int r = child_fork(&spec, &pid[i]);

		if (r == 0)
			stop_child(run, i, each);
		result[i] = r < 0 ? r : 1; /* 1: running */
		if (r < 0)
			pid[i] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		int status;

		if (pid[i] <= 0)
			continue;
		/* Each child ends by its own deadline; the action's is the bound. */
		if (child_reap(pid[i], run->ctx->deadline, &status) < 0) {
			(void)kill(pid[i], SIGKILL);
			(void)waitpid(pid[i], NULL, 0);
			result[i] = -ETIME;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
			result[i] = -EIO;
		} else {
			result[i] = WEXITSTATUS(status) == 1 ? -EBUSY : 0;
		}
	}
	for (size_t i = n; i-- > 0;) {
		if (result[i] < 0 && first == 0) {
			first = result[i];
			*failed = run->c->svc[i].name;
		}
	}
	return first;
}

/* Stop services [0, n) in reverse, each with its share; the first still running in *failed. */
static int stop_range(struct run *run, size_t n, const char **failed)
{
	int result = 0;

	if (run->c->stop_parallel && n > 1)
		return stop_all_at_once(run, n, failed);

	for (size_t i = n; i-- > 0;) {
		const struct ss_service *s = &run->c->svc[i];
		int r = stop_one(run, s, service_share(run->ctx->deadline, i));

		if (r < 0 && result == 0) {
			result = r;
			*failed = s->name;
		}
		if (r == 0)
			log_info("'%s' is stopped", s->name);
	}
	return result;
}

#define PROBE_RETRY_MS 100 /* between attempts while a service is still coming up */

/* -ENOPKG for every problem of the file: it is node-local, the parameter was checked. */
static int cred_load(struct run *run, struct error *err)
{
	if (!run->c->probe_credentials || run->have_cred)
		return 0;
	if (probe_credentials_read(run->c->probe_credentials, &run->cred, err) < 0) {
		error_prefix(err, "probe_credentials"); /* the message names the file */
		return -ENOPKG;
	}
	run->have_cred = true;
	return 0;
}

/* The canary mailbox's login: -ENOPKG as for the probes' (the parameter was checked). */
static int canary_cred_load(struct run *run, struct error *err)
{
	if (!run->c->canary || run->have_canary_cred)
		return 0;
	if (probe_credentials_read(run->c->canary_credentials, &run->canary_cred, err) < 0) {
		error_prefix(err, "canary_credentials");
		return -ENOPKG;
	}
	run->have_canary_cred = true;
	return 0;
}

/* One probe; with retry, again until it passes or the deadline (a service binding late). */
static int probe_one(struct run *run, const struct ss_probe *p, deadline_t deadline, bool retry,
		     struct error *err)
{
	const struct probe_credentials *cred = run->have_cred ? &run->cred : NULL;

	for (;;) {
		deadline_t attempt = retry ? deadline_share(deadline, 50, 1000) : deadline;
		int r = probe_run(&p->target, cred, attempt, err);

		if (r == 0) {
			log_debug("%s passed: %s", p->url, err->msg);
			return 0;
		}
		if (!retry || r == -EACCES || r == -EPERM || deadline_expired(deadline)) {
			error_prefix(err, "probe %s: ", p->url);
			return r;
		}
		(void)poll(NULL, 0, (int)MIN(deadline_remaining_ms(deadline), PROBE_RETRY_MS));
	}
}

/* The probes bound to service (NULL: the set's own), each within deadline. */
static int probes_run(struct run *run, const char *service, deadline_t deadline, bool retry,
		      struct error *err)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < run->c->n_probes; i++) {
		const struct ss_probe *p = &run->c->probes[i];

		if ((service && (!p->service || strcmp(p->service, service) != 0)) ||
		    (!service && p->service))
			continue;
		r = cred_load(run, err);
		if (r == 0)
			r = probe_one(run, p, deadline, retry, err);
	}
	return r;
}

/* Start one and check that it runs, and serves when it has probes. */
static int start_one(struct run *run, const struct ss_service *s, deadline_t deadline,
		     struct error *err)
{
	int r = run->be->reset_failed ? run->be->reset_failed(&run->b, s, err) : 0;

	if (r > 0)
		log_info("'%s' is %s: reset before its start", s->name, err->msg);
	else if (r < 0)
		log_warning("cannot reset '%s': %s " QB_XS " starting it anyway", s->name,
			    err->msg);
	err->msg[0] = '\0';
	r = run->be->start(&run->b, s, deadline, err);
	if (r < 0)
		return r;
	r = run->be->status(&run->b, s, deadline, err);
	if (r == 0)
		return error_set(err, EIO, "'%s' is not running after its start", s->name);
	if (r < 0)
		return r;
	return probes_run(run, s->name, deadline, true, err);
}

/* The set-wide probes once every service is up; on failure nothing stays up. */
static enum ocf_exitcode start_probes(struct run *run)
{
	const char *failed = NULL;
	struct error err = {""};
	int r = probes_run(run, NULL, run->ctx->deadline, true, &err);

	if (r == 0)
		return PCMK_OCF_OK;
	(void)stop_range(run, run->c->n_svc, &failed);
	return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR, "the set does not serve: %s", err.msg);
}

/*
 * What validate-all checks, and start again before it starts anything, with
 * the same codes: every service installed on this node as far as its
 * backend can tell, and the probes' and the canary's credentials readable here (both
 * node-local: OCF_ERR_INSTALLED keeps the set off this node only).
 */
static enum ocf_exitcode node_check(struct run *run)
{
	const struct ss_config *c = run->c;
	enum ocf_exitcode rc = PCMK_OCF_OK;
	struct error err = {""};

	for (size_t i = 0; run->be->installed && rc == PCMK_OCF_OK && i < c->n_svc; i++) {
		int r = run->be->installed(&run->b, &c->svc[i], &err);

		if (r == -ENOPKG) {
			rc = agent_fail(run->ctx, PCMK_OCF_NOT_INSTALLED, "%s", err.msg);
		} else if (r < 0) {
			log_info("cannot tell whether the services are installed: %s", err.msg);
			break;
		}
	}
	if (rc == PCMK_OCF_OK && (cred_load(run, &err) < 0 || canary_cred_load(run, &err) < 0))
		rc = agent_fail(run->ctx, PCMK_OCF_NOT_INSTALLED, "%s", err.msg);
	return rc;
}

static enum ocf_exitcode ss_validate(struct agent_ctx *ctx)
{
	const struct ss_config *c = ctx->config;
	struct run run = {.ctx = ctx,
			  .c = c,
			  .be = backend_of(c->backend),
			  .b = {.statefd = -1, .deadline = ctx->deadline}};
	enum ocf_exitcode rc = node_check(&run);

	run_close(&run);
	return rc;
}

static enum ocf_exitcode restart_in_place(struct run *run, const struct ss_service *s);

/* The watcher's recovery of member i (watch.h): what the monitor does for a dead member. */
static int watch_recover(struct agent_ctx *ctx, int statefd, size_t i)
{
	const struct ss_config *c = ctx->config;
	struct run run = {.ctx = ctx,
			  .c = c,
			  .be = backend_of(c->backend),
			  .b = {.statefd = statefd, .deadline = ctx->deadline}};
	int r = status_of(&run, &c->svc[i], ctx->deadline);

	if (r == 0)
		r = restart_in_place(&run, &c->svc[i]) == PCMK_OCF_OK ? 1 : -EIO;
	run.b.statefd = -1; /* the watcher's own */
	run_close(&run);
	return r;
}

/* Last in start: a failure leaves the set to the monitor's in-place restarts. */
static void watcher_start(struct run *run)
{
	struct watcher w = {.ctx = run->ctx,
			    .c = run->c,
			    .be = run->be,
			    .marker = MARKER,
			    .recover = watch_recover};
	pid_t pid;
	int r = watcher_spawn(&w, run->b.statefd, &pid);

	if (r < 0)
		log_warning("cannot start the watcher: %s " QB_XS
			    " a dead member waits for the monitor",
			    strerror(-r));
	else
		log_info("the watcher runs as pid %d", (int)pid);
}

/* End the recorded watcher, if one runs (what names it in the log). */
static enum ocf_exitcode watcher_stop(struct run *run, const char *what)
{
	pid_t pid;
	int r = watcher_end(run->b.statefd, deadline_share(run->ctx->deadline, 10, 1000), &pid);

	if (r < 0)
		return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot end %s (pid %d): %s",
				  what, (int)pid, strerror(-r));
	if (r > 0)
		log_info("ended %s (pid %d)", what, (int)pid);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode ss_start(struct agent_ctx *ctx)
{
	const struct ss_config *c = ctx->config;
	const char *failed = NULL;
	struct run run;
	enum ocf_exitcode rc = run_open(ctx, &run);

	if (rc == PCMK_OCF_OK)
		rc = watcher_stop(&run, "a leftover watcher");
	if (rc == PCMK_OCF_OK)
		rc = node_check(&run);
	for (size_t i = 0; rc == PCMK_OCF_OK && i < c->n_svc; i++) {
		const struct ss_service *s = &c->svc[i];
		deadline_t share = service_share(ctx->deadline, c->n_svc - i - 1);
		struct error err = {""};
		int r = status_of(&run, s, share);

		if (r > 0) {
			log_info("'%s' already runs", s->name);
			continue;
		}
		if (r == 0)
			r = start_one(&run, s, share, &err);
		if (r == 0) {
			log_info("'%s' is up", s->name);
			continue;
		}
		/* Nothing half up: stop this one and those before it, in reverse. */
		(void)stop_range(&run, i + 1, &failed);
		/* Not installed here: Pacemaker keeps the set off this node, no retry. */
		rc = agent_fail(ctx, r == -ENOPKG ? PCMK_OCF_NOT_INSTALLED : PCMK_OCF_UNKNOWN_ERROR,
				"cannot start '%s': %s", s->name,
				err.msg[0] ? err.msg : strerror(-r));
	}
	if (rc == PCMK_OCF_OK)
		rc = start_probes(&run);
	if (rc == PCMK_OCF_OK && state_write(run.b.statefd, MARKER, "1\n", 2) < 0)
		rc = agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot record the start");
	if (rc == PCMK_OCF_OK)
		watcher_start(&run);
	if (rc == PCMK_OCF_OK)
		log_notice("%zu service(s) up with backend %s", c->n_svc, run.be->name);
	run_close(&run);
	return rc;
}

static enum ocf_exitcode ss_stop(struct agent_ctx *ctx)
{
	const struct ss_config *c = ctx->config;
	const char *failed = NULL;
	struct run run;
	enum ocf_exitcode rc = run_open(ctx, &run);
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	/* Unmarked first: a monitor meanwhile must not restart what we stop. */
	(void)state_remove(run.b.statefd, MARKER);
	/* Then the watcher, before any member: it must not restart what stop ends. */
	rc = watcher_stop(&run, "the watcher");
	if (rc != PCMK_OCF_OK) {
		run_close(&run);
		return rc;
	}
	r = stop_range(&run, c->n_svc, &failed);
	run_close(&run);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "'%s' still runs after stop and kill", failed);
	log_notice("%zu service(s) stopped", c->n_svc);
	return PCMK_OCF_OK;
}

/* The restart log of s; a damaged one allows no restart (it must not grant extra ones). */
static int restart_log_load(struct run *run, const struct ss_service *s, struct restart_log *log)
{
	char name[SERVICE_NAME_MAX + 16], buf[RESTART_MAX * 21 + 2];
	int r;

	snprintf(name, sizeof(name), "%s.restarts", s->name);
	r = state_read(run->b.statefd, name, buf, sizeof(buf));
	if (r == -ENOENT) {
		*log = (struct restart_log){0};
		return 0;
	}
	return r < 0 ? r : restart_log_parse(buf, log);
}

static int restart_log_save(struct run *run, const struct ss_service *s,
			    const struct restart_log *log)
{
	char name[SERVICE_NAME_MAX + 16], buf[RESTART_MAX * 21 + 2];
	int r = restart_log_format(log, buf, sizeof(buf));

	snprintf(name, sizeof(name), "%s.restarts", s->name);
	return r < 0 ? r : state_write(run->b.statefd, name, buf, strlen(buf));
}

/* ARMLoad /R <count>: a member found dead is restarted in place, while allowed. */
static enum ocf_exitcode restart_in_place(struct run *run, const struct ss_service *s)
{
	const struct ss_config *c = run->c;
	uint64_t now = now_us() / 1000, window = c->restart_window * 1000;
	struct restart_log log;
	struct error err = {""};
	uint64_t total = 0;
	int r = restart_log_load(run, s, &log);

	if (r < 0)
		log_warning("the restart log of '%s' is unreadable: %s " QB_XS " no restart",
			    s->name, strerror(-r));
	if (r < 0 || !restart_allowed(&log, now, window, c->restart_count))
		return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "'%s' is not running (restarted %zu time(s) within the last "
				  "%" PRIu64 " s, restart_count=%" PRIu64 ")",
				  s->name, log.n, c->restart_window, c->restart_count);
	restart_log_add(&log, now);
	r = restart_log_save(run, s, &log);
	if (r < 0)
		return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "'%s' is not running and its restart cannot be recorded: %s",
				  s->name, strerror(-r));
	log_warning("'%s' is not running: restarting it in place (restart %zu of %" PRIu64
		    " within %" PRIu64 " s)",
		    s->name, log.n, c->restart_count, c->restart_window);
	alert(run, ALERT_WARNING, "restarted the dead service", s->name);
	r = restarts_count_one(run->ctx, run->b.statefd, s->name, &total);
	if (r < 0)
		log_warning("restart %" PRIu64 " of the set not published as node attributes: %s",
			    total, strerror(-r));
	(void)run->be->kill(&run->b, s, run->ctx->deadline, &err); /* leftovers of the dead one */
	r = start_one(run, s, run->ctx->deadline, &err);
	if (r < 0)
		return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "'%s' died and its restart failed: %s", s->name, err.msg);
	log_notice("'%s' restarted in place (%" PRIu64
		   " in-place restart(s) of the set on this node; node attributes %s%s, %s%s)",
		   s->name, total, RESTARTS_ATTR_PREFIX, run->ctx->instance, RESTARTED_ATTR_PREFIX,
		   run->ctx->instance);
	return PCMK_OCF_OK;
}

/*
 * The in-place restarts of s not yet reported by a monitor (the watcher's,
 * between two monitors): logged once each, quietly marked when the monitor
 * made them itself. The newest reported time is kept in <service>.reported.
 */
static void restarts_report(struct run *run, const struct ss_service *s, bool quiet)
{
	char name[SERVICE_NAME_MAX + 16], buf[32];
	struct restart_log log, seen = {0};
	size_t n;

	if (restart_log_load(run, s, &log) < 0 || log.n == 0)
		return;
	snprintf(name, sizeof(name), "%s.reported", s->name);
	if (state_read(run->b.statefd, name, buf, sizeof(buf)) < 0 ||
	    restart_log_parse(buf, &seen) < 0 || seen.n != 1)
		seen = (struct restart_log){.n = 1, .t_ms = {0}};
	n = restart_log_newer(&log, seen.t_ms[0]);
	if (n == 0)
		return;
	if (!quiet)
		log_warning("'%s' died and was restarted in place %zu time(s) since the last "
			    "monitor (%zu restart(s) within the last %" PRIu64
			    " s, restart_count=%" PRIu64 ")",
			    s->name, n,
			    restart_log_prune(&log, now_us() / 1000, run->c->restart_window * 1000),
			    run->c->restart_window, run->c->restart_count);
	seen.t_ms[0] = log.t_ms[log.n - 1];
	if (restart_log_format(&seen, buf, sizeof(buf)) == 0)
		(void)state_write(run->b.statefd, name, buf, strlen(buf));
}

/* Not started here (no marker): all down is "not running", a mix is an error. */
static enum ocf_exitcode monitor_unmarked(struct run *run, size_t up)
{
	const struct ss_config *c = run->c;

	if (up == 0)
		return PCMK_OCF_NOT_RUNNING;
	if (up == c->n_svc)
		return PCMK_OCF_OK;
	for (size_t i = 0; i < c->n_svc; i++)
		if (status_of(run, &c->svc[i], run->ctx->deadline) == 0)
			return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR,
					  "the set runs only in part: '%s' is down",
					  c->svc[i].name);
	return PCMK_OCF_UNKNOWN_ERROR;
}

/* Level 10: every probe, once, each with its share of what is left. */
static enum ocf_exitcode monitor_probes(struct run *run)
{
	struct error err = {""};
	int r = 0;

	for (size_t i = 0; r == 0 && i < run->c->n_probes; i++) {
		deadline_t share = deadline_share(run->ctx->deadline,
						  100 / (unsigned)(run->c->n_probes - i), 0);

		r = cred_load(run, &err);
		if (r == 0)
			r = probe_one(run, &run->c->probes[i], share, false, &err);
	}
	if (r < 0)
		return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR, "%s", err.msg);
	return PCMK_OCF_OK;
}

/*
 * The canary level: a message through the set and back (canary.h), with
 * what is left of the action. One log line with each step's latency.
 */
static enum ocf_exitcode monitor_canary(struct run *run)
{
	const struct ss_config *c = run->c;
	struct canary k = {.smtp = &c->canary_submit,
			   .imap = &c->canary_read,
			   .address = c->canary,
			   .owner = run->ctx->instance};
	struct canary_report rep;
	struct error err = {""};
	char line[256];
	int r = canary_cred_load(run, &err);

	if (r == 0)
		r = canary_run(&k, &run->canary_cred, run->ctx->deadline, &rep, &err);
	if (r < 0)
		return agent_fail(run->ctx, PCMK_OCF_UNKNOWN_ERROR, "mail canary to %s: %s",
				  c->canary, err.msg);
	canary_report_format(&rep, line, sizeof(line));
	log_info("mail canary to %s passed: %s " QB_XS " %s", c->canary, line, rep.queued);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode ss_monitor(struct agent_ctx *ctx)
{
	const struct ss_config *c = ctx->config;
	char mark[8];
	struct run run;
	enum ocf_exitcode rc = run_open(ctx, &run);
	bool marked;
	size_t up = 0;
	int running[SS_MAX_SERVICES];

	if (rc != PCMK_OCF_OK)
		return rc;
	marked = state_read(run.b.statefd, MARKER, mark, sizeof(mark)) >= 0;
	for (size_t i = 0; rc == PCMK_OCF_OK && i < c->n_svc; i++) {
		running[i] = status_of(&run, &c->svc[i], ctx->deadline);
		if (running[i] < 0)
			rc = agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot check '%s'",
					c->svc[i].name);
		up += running[i] > 0;
	}
	if (rc == PCMK_OCF_OK && (!marked || agent_is_probe(ctx)))
		rc = monitor_unmarked(&run, up);
	else
		for (size_t i = 0; rc == PCMK_OCF_OK && i < c->n_svc; i++) {
			if (running[i] == 0)
				rc = restart_in_place(&run, &c->svc[i]);
			if (rc == PCMK_OCF_OK)
				restarts_report(&run, &c->svc[i], running[i] == 0);
		}
	if (rc == PCMK_OCF_OK && ctx->check_level >= 10)
		rc = monitor_probes(&run);
	if (rc == PCMK_OCF_OK && c->canary && ctx->check_level >= c->canary_level)
		rc = monitor_canary(&run);
	run_close(&run);
	return rc;
}

static const struct action_def ss_actions[] = {
	{"start", ss_start, 120, 0, -1, 0},
	{"stop", ss_stop, 120, 0, -1, 0},
	{"monitor", ss_monitor, 60, 10, 0, 0},
	/* The canary's: a real message each time, so minutes apart (README). */
	{"monitor", ss_monitor, 60, 300, 20, 0},
	{"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", ss_validate, 20, 0, -1, 0},
};

static const struct agent_def ss_agent = {
	.name = "service-set",
	.shortdesc = "An ordered set of services, restarted in place, killed on stop",
	.longdesc =
		"Starts the listed services one by one, in order, each waited for until it runs "
		"before the next; when one fails, those already started are stopped in reverse "
		"order, so nothing is left half up. Stop goes in reverse order, each service "
		"with its share of the timeout, then SIGKILL of whatever of it remains. The "
		"monitor checks every member (no fork with the systemd and exec backends, nor "
		"with lsb and pid_files) and restarts a dead one in place up to restart_count "
		"times within restart_window, logged and raised as a cluster alert, before it "
		"reports the failure and Pacemaker recovers the group. A watcher process "
		"started with the set waits for a member to die (a pidfd; for systemd the "
		"unit's state on the bus) and restarts it at once under the same budget; stop "
		"ends it first.\n\n"
		"Postfix + Dovecot (Debian): services=\"postfix dovecot\" backend=systemd; or "
		"backend=lsb pid_files=\"postfix=/var/spool/postfix/pid/master.pid "
		"dovecot=/run/dovecot/master.pid\"; or backend=exec exec_commands=\"postfix="
		"/usr/sbin/postfix start-fg; dovecot=/usr/sbin/dovecot -F\" pid_files=\"postfix="
		"/var/spool/postfix/pid/master.pid dovecot=/run/dovecot/master.pid\". With "
		"probes=\"postfix=smtp://127.0.0.1:25 dovecot=imap://127.0.0.1:143\" start waits "
		"until mail is really served, and the OCF_CHECK_LEVEL=10 monitor checks it. "
		"With canary=<address> the OCF_CHECK_LEVEL=20 monitor also sends a tagged "
		"message to that mailbox, reads it back through IMAP and deletes it.\n\n"
		"The classic Exchange service lists map by role, in the same order. Exchange "
		"2003 (ARMLoad /S /A /R 1, one per line of START.BAT): MSExchangeSA (System "
		"Attendant: directory access) and MSExchangeIS (Information Store: the "
		"mailboxes) -> dovecot (mailbox store on the switching disk); MSExchangeMTA and "
		"SMTPSVC (transport) -> postfix; POP3Svc and IMAP4Svc (client access) -> "
		"dovecot's pop3 and imap protocols; RESvc, W3SVC and MSExchangeMGMT have no "
		"counterpart unless the site lists one (a webmail service, say). Exchange 2007: "
		"MSExchangeADTopology and MSExchangeSA -> nothing (directory lookups are "
		"Postfix/Dovecot configuration), MSExchangeIS -> dovecot, MSExchangeTransport "
		"(Hub/Edge) -> postfix, MSExchangePOP3 and MSExchangeIMAP4 -> dovecot. So both "
		"lists become services=\"postfix dovecot\" with restart_count=1 (/R 1), and "
		"STOP.BAT's ARMKILL is the stop action's final SIGKILL.",
	.params = ss_params,
	.n_params = SS_N_PARAMS,
	.config_size = sizeof(struct ss_config),
	.config_check = ss_config_check,
	.actions = ss_actions,
	.n_actions = ARRAY_SIZE(ss_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&ss_agent, argc, argv);
}
