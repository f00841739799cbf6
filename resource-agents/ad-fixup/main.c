/*
 * ocf:exha:ad-fixup actions. monitor at level 0 reads only the agent's
 * state file and loads nothing; start, monitor at level 10 and the ldif
 * mode load ad-fixup-io.so (libldap, libcpg) through shared/plugin.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adfix.h"
#include "fixup.h"
#include "log.h"
#include "plugin.h"
#include "secret.h"
#include "state.h"

#define PLUGIN_NAME "ad-fixup-io.so"
#define STATE_NAME  "done"
#define SECRET_MAX  1024

struct session {
	struct plugin *plugin;
	const struct dir_ops *ops;
	struct dir *d;
	char *base; /* when read from the root DSE */
	struct fixup f;
};

static void session_close(struct session *s)
{
	if (s->d)
		s->ops->close(s->d);
	free(s->base);
	s->plugin = plugin_close(s->plugin);
}

static bool is_failback(const struct agent_ctx *ctx)
{
	const struct adfix_config *c = ctx->config;
	size_t len = strlen(c->primary);

	/* The node name, or its first label, is the primary's name. */
	return strncasecmp(ctx->node, c->primary, len) == 0 &&
	       (ctx->node[len] == '\0' || ctx->node[len] == '.');
}

/*
 * The password and CA files live on each node: wrong here is
 * OCF_ERR_INSTALLED, which keeps the resource off this node only (6 would
 * stop it everywhere). validate-all and every action that connects run
 * this same check, so they never disagree.
 */
static enum ocf_exitcode local_files_check(struct agent_ctx *ctx, char *secret)
{
	const struct adfix_config *c = ctx->config;
	_cleanup_close_ int fd = -1;
	struct error err = {{0}};
	struct stat st;

	secret[0] = '\0';
	if (c->ca_file) {
		fd = open(c->ca_file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED, "ca_file '%s': %s",
					  c->ca_file, strerror(errno));
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
			return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
					  "ca_file '%s': not a regular file", c->ca_file);
	}
	if (c->bind_dn && secret_line_read(c->bind_password_file, secret, SECRET_MAX, &err) < 0)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED, "bind_password_file %s", err.msg);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode load_plugin(struct agent_ctx *ctx, struct session *s)
{
	const char *dir = plugin_dir(EXHA_PLUGIN_DIR);
	char msg[256];
	void *sym = NULL;
	int r = plugin_open(dir, PLUGIN_NAME, DIR_OPS_SYMBOL, &s->plugin, &sym, msg, sizeof(msg));

	if (r < 0)
		return agent_fail(ctx,
				  r == -EPERM ? PCMK_OCF_INSUFFICIENT_PRIV : PCMK_OCF_NOT_INSTALLED,
				  "cannot load %s/%s: %s%s%s", dir, PLUGIN_NAME,
				  r == -EPERM ? "unsafe owner or modes" : strerror(-r),
				  msg[0] ? ": " : "", msg);
	s->ops = sym;
	if (s->ops->version != DIR_OPS_VERSION)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED, "%s/%s is version %u, not %u", dir,
				  PLUGIN_NAME, s->ops->version, DIR_OPS_VERSION);
	return PCMK_OCF_OK;
}

/* Load, connect, bind, find the domain; s->f is ready to run. */
static enum ocf_exitcode session_open(struct agent_ctx *ctx, struct session *s)
{
	const struct adfix_config *c = ctx->config;
	char secret[SECRET_MAX], err[DIR_ERR_SIZE];
	struct dir_conn_opts o = {.uri = c->uri.text,
				  .transport = (enum dir_transport)c->uri.parsed.scheme,
				  .host = c->uri.parsed.host,
				  .bind_dn = c->bind_dn,
				  .password = secret,
				  .ca_file = c->ca_file,
				  .tls = c->tls,
				  .op_timeout_ms = c->timeout_s * 1000};
	enum ocf_exitcode rc;
	int r;

	if ((rc = local_files_check(ctx, secret)) != PCMK_OCF_OK ||
	    (rc = load_plugin(ctx, s)) != PCMK_OCF_OK)
		return rc;
	r = s->ops->open(&o, ctx->deadline.end_us, &s->d, err);
	explicit_bzero(secret, sizeof(secret));
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "cannot use the directory at '%s': %s", c->uri.text, err);
	if (!c->base_dn &&
	    (r = s->ops->naming_context(s->d, ctx->deadline.end_us, &s->base, err)) < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "cannot read the domain from the root DSE of '%s': %s",
				  c->uri.text, err);
	s->f = (struct fixup){.c = c,
			      .ops = s->ops,
			      .d = s->d,
			      .deadline = ctx->deadline,
			      .base = c->base_dn ? c->base_dn : s->base};
	s->f.from = is_failback(ctx) ? c->backup : c->primary;
	s->f.to = is_failback(ctx) ? c->primary : c->backup;
	return PCMK_OCF_OK;
}

/* ARMBCAST: every node's administrator must learn the directory is half-moved. */
static void alert_failure(struct agent_ctx *ctx, struct session *s)
{
	char source[ALERT_SOURCE_MAX + 1];
	struct alert a;
	int r;

	snprintf(source, sizeof(source), "%s(%s)", ctx->def->name, ctx->instance);
	r = alert_init(&a, ALERT_CRITICAL, ctx->node, source, ctx->exit_reason);
	if (r >= 0)
		r = s->ops->alert(&a, deadline_share(ctx->deadline, 20, 500).end_us);
	if (r < 0)
		log_debug("no cluster alert: %s", strerror(-r));
}

static enum ocf_exitcode report_failure(struct agent_ctx *ctx, struct session *s)
{
	const struct fixup *f = &s->f;
	char done[256], left[256];

	fixup_describe(f, f->finished, false, done, sizeof(done));
	fixup_describe(f, f->c->task_mask & ~f->finished, true, left, sizeof(left));
	agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
		   "moving the directory from '%s' to '%s' stopped "
		   "at %s: %s; done: %s; left: %s",
		   f->from, f->to, adfix_task_names[f->failed_task], f->err, done, left);
	alert_failure(ctx, s);
	return PCMK_OCF_UNKNOWN_ERROR;
}

static int state_open(struct agent_ctx *ctx, int *ret_fd)
{
	return state_dir_open(EXHA_RUNDIR, ctx->instance, ret_fd);
}

/* Record that start completed on this node during this boot, pointing at to. */
static int state_save(struct agent_ctx *ctx, const char *to)
{
	_cleanup_close_ int fd = -1;
	char boot[BOOT_ID_SIZE], line[128];
	int r = boot_id_read(boot), n;

	if (r >= 0)
		r = state_open(ctx, &fd);
	if (r < 0)
		return r;
	n = snprintf(line, sizeof(line), "%s %s\n", boot, to);
	return state_write(fd, STATE_NAME, line, (size_t)n);
}

static int state_clear(struct agent_ctx *ctx)
{
	_cleanup_close_ int fd = -1;
	int r = state_open(ctx, &fd);

	return r < 0 ? r : state_remove(fd, STATE_NAME);
}

/* 1 when start completed here this boot, 0 when not. */
static int state_done(struct agent_ctx *ctx)
{
	_cleanup_close_ int fd = -1;
	char boot[BOOT_ID_SIZE], line[128];
	int r = state_open(ctx, &fd);

	if (r >= 0)
		r = state_read(fd, STATE_NAME, line, sizeof(line));
	if (r == -ENOENT)
		return 0;
	if (r >= 0)
		r = boot_id_read(boot);
	if (r < 0)
		return r;
	/* A record from an earlier boot never counts. */
	return strncmp(line, boot, BOOT_ID_SIZE - 1) == 0 && line[BOOT_ID_SIZE - 1] == ' ';
}

static enum ocf_exitcode adfix_start(struct agent_ctx *ctx)
{
	struct session s = {0};
	char done[256];
	enum ocf_exitcode rc;
	int r = state_clear(ctx);

	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot clear the state of '%s': %s",
				  ctx->instance, strerror(-r));
	rc = session_open(ctx, &s);
	if (rc != PCMK_OCF_OK) {
		if (s.ops && rc == PCMK_OCF_UNKNOWN_ERROR)
			alert_failure(ctx, &s);
		session_close(&s);
		return rc;
	}
	log_info("moving the directory from '%s' to '%s' (node '%s')", s.f.from, s.f.to, ctx->node);
	r = fixup_run(&s.f);
	if (r < 0) {
		rc = report_failure(ctx, &s);
		session_close(&s);
		return rc;
	}
	fixup_describe(&s.f, s.f.finished, false, done, sizeof(done));
	log_notice("the directory points at '%s': %s", s.f.to, done);
	r = state_save(ctx, s.f.to);
	session_close(&s);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "cannot record the state of '%s': %s", ctx->instance,
				  strerror(-r));
	return PCMK_OCF_OK;
}

/* The directory is not ours to undo: stop only forgets that start ran here. */
static enum ocf_exitcode adfix_stop(struct agent_ctx *ctx)
{
	int r = state_clear(ctx);

	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot clear the state of '%s': %s",
				  ctx->instance, strerror(-r));
	return PCMK_OCF_OK;
}

static enum ocf_exitcode monitor_directory(struct agent_ctx *ctx)
{
	struct session s = {0};
	enum ocf_exitcode rc = session_open(ctx, &s);
	int r;

	if (rc == PCMK_OCF_OK && (r = fixup_sample(&s.f)) < 0)
		rc = agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "%s%s",
				r == -EREMCHG ? "" : "cannot read back the directory: ", s.f.err);
	session_close(&s);
	return rc;
}

static enum ocf_exitcode adfix_monitor(struct agent_ctx *ctx)
{
	int r = state_done(ctx);

	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot read the state of '%s': %s",
				  ctx->instance, strerror(-r));
	if (r == 0)
		return PCMK_OCF_NOT_RUNNING;
	return ctx->check_level >= 10 ? monitor_directory(ctx) : PCMK_OCF_OK;
}

/* Parameters, the password file, and the plugin (without contacting the directory). */
static enum ocf_exitcode adfix_validate(struct agent_ctx *ctx)
{
	struct session s = {0};
	char secret[SECRET_MAX];
	enum ocf_exitcode rc = local_files_check(ctx, secret);

	explicit_bzero(secret, sizeof(secret));
	if (rc == PCMK_OCF_OK)
		rc = load_plugin(ctx, &s);
	session_close(&s);
	return rc;
}

/* The changes start would make, as LDIF on stdout; nothing is written. */
static enum ocf_exitcode adfix_ldif(struct agent_ctx *ctx)
{
	struct session s = {0};
	enum ocf_exitcode rc = session_open(ctx, &s);
	int r;

	if (rc == PCMK_OCF_OK) {
		s.f.ldif = stdout;
		r = fixup_run(&s.f);
		if (r < 0)
			rc = agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
					"cannot plan the move to '%s' "
					"(%s): %s",
					s.f.to, adfix_task_names[s.f.failed_task], s.f.err);
		else if (fflush(stdout) != 0)
			rc = agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot write the LDIF: %m");
	}
	session_close(&s);
	return rc;
}

static const struct action_def adfix_actions[] = {
	{"start", adfix_start, 300, 0, -1, 0},
	{"stop", adfix_stop, 20, 0, -1, 0},
	{"monitor", adfix_monitor, 20, 30, 0, 0},
	{"monitor", adfix_monitor, 60, 600, 10, 0},
	{"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", adfix_validate, 20, 0, -1, 0},
	{"ldif", adfix_ldif, 300, 0, -1, ACTION_HIDDEN},
};

static const struct agent_def adfix_agent = {
	.name = "ad-fixup",
	.shortdesc = "Repoint the directory at the mail server now active",
	.longdesc = "After a failover, points Active Directory (or any LDAP directory with "
		    "Exchange's schema) at the server now active, as exch.vbs did: "
		    "msExchPatchMDB on the store taking over, the primary's SPNs moved between "
		    "the two computer objects, homeMDB/homeMTA/msExchHomeServerName of every "
		    "mail user, the routing master, every Recipient Update Service and the "
		    "offline address book server. Starting on the node named primary fails "
		    "back; on any other node, over. Whole RDN values and host names are "
		    "rewritten, never substrings; users are found anywhere under user_base "
		    "(paged); every entry changes in one modify, pipelined; a second run changes "
		    "nothing and a run after a crash finishes the job. stop does not touch the "
		    "directory. OCF_CHECK_LEVEL=10 reads back a sample. `ad-fixup ldif` prints "
		    "the changes start would make, without writing.",
	.params = adfix_params,
	.n_params = ADFIX_N_PARAMS,
	.config_size = sizeof(struct adfix_config),
	.config_check = adfix_config_check,
	.actions = adfix_actions,
	.n_actions = ARRAY_SIZE(adfix_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&adfix_agent, argc, argv);
}
