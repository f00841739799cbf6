/*
 * Action dispatch for OCF agents. Action names match exactly ("startfoo"
 * is not start); unknown actions are OCF_ERR_UNIMPLEMENTED, as ocf-tester
 * and Pacemaker expect for optional actions such as notify or promote.
 * meta-data runs before anything else is touched: it must work as any user.
 */
#include "agent.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "lock.h"
#include "log.h"
#include "node.h"
#include "state.h"
#include "strutil.h"

enum ocf_exitcode ocf_from_errno(int r)
{
	return r == -EPERM || r == -EACCES ? PCMK_OCF_INSUFFICIENT_PRIV : PCMK_OCF_UNKNOWN_ERROR;
}

const char *ocf_exit_name(int rc)
{
	switch (rc) {
	case PCMK_OCF_OK:
		return "OCF_SUCCESS";
	case PCMK_OCF_UNKNOWN_ERROR:
		return "OCF_ERR_GENERIC";
	case PCMK_OCF_INVALID_PARAM:
		return "OCF_ERR_ARGS";
	case PCMK_OCF_UNIMPLEMENT_FEATURE:
		return "OCF_ERR_UNIMPLEMENTED";
	case PCMK_OCF_INSUFFICIENT_PRIV:
		return "OCF_ERR_PERM";
	case PCMK_OCF_NOT_INSTALLED:
		return "OCF_ERR_INSTALLED";
	case PCMK_OCF_NOT_CONFIGURED:
		return "OCF_ERR_CONFIGURED";
	case PCMK_OCF_NOT_RUNNING:
		return "OCF_NOT_RUNNING";
	default:
		return "OCF_UNKNOWN";
	}
}

/*
 * What Pacemaker shows is one line: detail after QB_XS stays in the log,
 * and a tool's multi-line output never reaches the reason.
 */
static void reason_one_line(char *reason)
{
	char *xs = strstr(reason, QB_XS);
	size_t len;

	if (xs)
		*xs = '\0';
	for (char *p = reason; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	len = strlen(reason);
	while (len > 0 && reason[len - 1] == ' ')
		reason[--len] = '\0';
}

enum ocf_exitcode agent_fail(struct agent_ctx *ctx, enum ocf_exitcode rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->exit_reason, sizeof(ctx->exit_reason), fmt, ap);
	va_end(ap);
	log_error("%s" QB_XS "action=%s rc=%s", ctx->exit_reason, ctx->action, ocf_exit_name(rc));
	reason_one_line(ctx->exit_reason);
	return rc;
}

static void usage(FILE *out, const struct agent_def *def)
{
	fprintf(out, "usage: %s {", def->name);
	for (size_t i = 0; i < def->n_actions; i++)
		fprintf(out, "%s%s", i ? "|" : "", def->actions[i].name);
	fputs("}\n", out);
}

static const struct action_def *action_find(const struct agent_def *def, const char *name)
{
	for (size_t i = 0; i < def->n_actions; i++)
		if (strcmp(def->actions[i].name, name) == 0)
			return &def->actions[i];
	return NULL;
}

static uint64_t env_uint(const char *name, uint64_t max, uint64_t fallback)
{
	const char *v = getenv(name);
	uint64_t n;

	if (!v || parse_uint64(v, 0, max, &n) < 0)
		return fallback;
	return n;
}

static void ctx_init(struct agent_ctx *ctx, const struct agent_def *def,
		     const struct action_def *action)
{
	const char *instance = getenv("OCF_RESOURCE_INSTANCE");

	memset(ctx, 0, sizeof(*ctx));
	ctx->def = def;
	ctx->action = action->name;
	ctx->instance = instance && instance[0] ? instance : def->name;
	ctx->timeout_ms = env_uint("OCF_RESKEY_CRM_meta_timeout", UINT32_MAX,
				   (uint64_t)action->timeout_s * 1000u);
	if (ctx->timeout_ms == 0)
		ctx->timeout_ms = (uint64_t)action->timeout_s * 1000u;
	ctx->deadline = deadline_in_ms(deadline_action_budget_ms(ctx->timeout_ms));
	ctx->interval_ms = env_uint("OCF_RESKEY_CRM_meta_interval", UINT32_MAX, 0);
	ctx->check_level = (unsigned)env_uint("OCF_CHECK_LEVEL", 100, 0);
	node_name_resolve(getenv("OCF_RESKEY_CRM_meta_on_node"), ctx->node, sizeof(ctx->node));
}

static bool debug_requested(void)
{
	bool on = false;
	const char *v = getenv("HA_debug");

	if (v && parse_bool(v, &on) == 0 && on)
		return true;
	v = getenv("OCF_TRACE_RA");
	return v && parse_bool(v, &on) == 0 && on;
}

static enum ocf_exitcode config_load(struct agent_ctx *ctx)
{
	const struct agent_def *def = ctx->def;
	struct error err = {{0}};

	ctx->config = calloc(1, def->config_size ? def->config_size : 1);
	if (!ctx->config)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "out of memory");
	if (param_parse_all(def->params, def->n_params, param_lookup_env, NULL, ctx->config, &err) <
	    0)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED, "%s", err.msg);
	if (def->config_check && def->config_check(ctx->config, &err) < 0)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED, "%s", err.msg);
	return PCMK_OCF_OK;
}

/*
 * An instance name that cannot be a state directory can have nothing
 * running under it, since start refuses it: stop succeeds (a failed stop
 * means fencing), monitor and probe find it not running.
 */
static enum ocf_exitcode instance_refused(struct agent_ctx *ctx)
{
	if (strcmp(ctx->action, "stop") == 0) {
		log_warning("resource instance name '%s' is not valid: nothing can run under it, "
			    "so it is stopped",
			    ctx->instance);
		return PCMK_OCF_OK;
	}
	if (strcmp(ctx->action, "monitor") == 0) {
		log_info("resource instance name '%s' is not valid: nothing runs under it",
			 ctx->instance);
		return PCMK_OCF_NOT_RUNNING;
	}
	return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
			  "invalid resource instance name '%s': it must be usable as a file name "
			  "(no '/', not starting with '.', at most 200 characters)",
			  ctx->instance);
}

/*
 * Which actions take the instance lock: every OCF action that may change or
 * read half-changed state (start, stop, monitor, reload-agent). meta-data
 * and usage touch nothing; validate-all only reads the configuration and
 * this node, so it need not wait behind a long start; the hidden
 * command-line modes (a monitor's check, ad-fixup's ldif) are not actions
 * on the resource.
 *
 * A monitor waits too, within its own timeout: the executor never runs two
 * operations of one resource at once, so the lock is only ever busy when
 * someone runs the agent by hand, or a start or stop outlived Pacemaker's
 * patience; a monitor answering meanwhile would judge half-done state (a
 * lease not yet renewed, a service being restarted) and could itself
 * restart a service while stop ends it.
 */
static bool action_locks(const struct action_def *action)
{
	return !(action->flags & ACTION_HIDDEN) && strcmp(action->name, "validate-all") != 0;
}

enum ocf_exitcode agent_state_open(struct agent_ctx *ctx, int *ret_fd)
{
	int r = state_dir_open(EXHA_RUNDIR, ctx->instance, ret_fd);

	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r),
				  "cannot open the state directory %s/%s: %s", EXHA_RUNDIR,
				  ctx->instance, strerror(-r));
	return PCMK_OCF_OK;
}

static enum ocf_exitcode instance_lock(struct agent_ctx *ctx, int *ret_fd)
{
	_cleanup_close_ int dirfd = -1;
	pid_t holder = 0;
	uint64_t waited_us = now_us();
	enum ocf_exitcode rc = agent_state_open(ctx, &dirfd);
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	r = lock_instance(dirfd, ctx->deadline, ret_fd, &holder);
	if (r == -ETIME)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "another action on this resource (process %d) still runs: gave "
				  "up waiting for it",
				  (int)holder);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot lock %s/%s/lock: %s", EXHA_RUNDIR,
				  ctx->instance, strerror(-r));
	waited_us = now_us() - waited_us;
	if (waited_us >= 1000)
		log_info("waited %llu ms for another action on this resource to end",
			 (unsigned long long)(waited_us / 1000));
	return PCMK_OCF_OK;
}

static int run_action(const struct agent_def *def, const struct action_def *action)
{
	struct agent_ctx ctx;
	_cleanup_close_ int lockfd = -1; /* held until the action has returned */
	enum ocf_exitcode rc;
	bool valid;

	ctx_init(&ctx, def, action);
	log_open(def->name, ctx.instance, debug_requested());
	log_debug("%s: timeout %llu ms, interval %llu ms, check level %u, node '%s'", action->name,
		  (unsigned long long)ctx.timeout_ms, (unsigned long long)ctx.interval_ms,
		  ctx.check_level, ctx.node);

	/* A command-line mode (hidden) works on no instance: nothing to refuse. */
	valid = (action->flags & ACTION_HIDDEN) || state_instance_valid(ctx.instance) == 0;
	rc = valid ? PCMK_OCF_OK : instance_refused(&ctx);
	if (valid && !(action->flags & ACTION_NO_CONFIG))
		rc = config_load(&ctx);
	if (valid && rc == PCMK_OCF_OK && action_locks(action))
		rc = instance_lock(&ctx, &lockfd);
	if (valid && rc == PCMK_OCF_OK)
		rc = action->run ? action->run(&ctx) : PCMK_OCF_OK;

	if (ctx.config) {
		param_free_all(def->params, def->n_params, ctx.config);
		free(ctx.config);
	}
	log_close();
	/* Last line on stderr: what Pacemaker shows as the failure's reason. */
	if (ctx.exit_reason[0])
		fprintf(stderr, "ocf-exit-reason:%s\n", ctx.exit_reason);
	return rc;
}

int agent_main(const struct agent_def *def, int argc, char **argv)
{
	const struct action_def *action;

	if (argc != 2) {
		usage(stderr, def);
		fprintf(stderr, "ocf-exit-reason:expected exactly one action\n");
		return PCMK_OCF_INVALID_PARAM;
	}
	if (strcmp(argv[1], "meta-data") == 0)
		return metadata_write(stdout, def) < 0 ? PCMK_OCF_UNKNOWN_ERROR : PCMK_OCF_OK;
	if (strcmp(argv[1], "usage") == 0 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		usage(stdout, def);
		return PCMK_OCF_OK;
	}
	action = action_find(def, argv[1]);
	if (!action || strcmp(action->name, "meta-data") == 0) {
		usage(stderr, def);
		fprintf(stderr, "ocf-exit-reason:action '%s' is not implemented\n", argv[1]);
		return PCMK_OCF_UNIMPLEMENT_FEATURE;
	}
	return run_action(def, action);
}
