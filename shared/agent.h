/*
 * The OCF runtime shared by every exha agent and monitor: an agent hands its
 * parameter table and action functions to agent_main(), which dispatches on
 * the action name, parses OCF_RESKEY_* into the typed config, sets up
 * logging, the node name and the action's deadline, and exits with the code
 * the action returned (Pacemaker's enum ocf_exitcode).
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <crm/common/results.h>

#include "deadline.h"
#include "error.h"
#include "macro.h"
#include "param.h"

struct agent_def;

struct agent_ctx {
	const struct agent_def *def;
	const char *action;
	void *config;	      /* the agent's typed config (def->config_size bytes) */
	const char *instance; /* OCF_RESOURCE_INSTANCE, or the agent's name */
	char node[HOST_NAME_MAX + 1];
	uint64_t timeout_ms;  /* OCF_RESKEY_CRM_meta_timeout, or the action's default */
	deadline_t deadline;  /* timeout less a margin to report and clean up */
	uint64_t interval_ms; /* OCF_RESKEY_CRM_meta_interval; 0 for probes */
	unsigned check_level; /* OCF_CHECK_LEVEL */
	char exit_reason[512];
};

typedef enum ocf_exitcode (*action_fn)(struct agent_ctx *ctx);

enum action_flags {
	/* Not an OCF action (a command-line mode): left out of the meta-data. */
	ACTION_HIDDEN = 1u << 0,
	/* Runs without parsing parameters (usage-like modes). */
	ACTION_NO_CONFIG = 1u << 1,
};

struct action_def {
	const char *name;
	action_fn run; /* NULL for meta-data (handled by the runtime) */
	unsigned timeout_s;
	unsigned interval_s; /* shown in the meta-data; 0 = none */
	int depth;	     /* OCF_CHECK_LEVEL documented; -1 = none */
	unsigned flags;
};

struct agent_def {
	const char *name;
	const char *shortdesc;
	const char *longdesc;
	const struct param_def *params;
	size_t n_params;
	size_t config_size;
	/* Cross-parameter checks after every parameter parsed (pure). */
	int (*config_check)(void *config, struct error *err);
	const struct action_def *actions;
	size_t n_actions;
};

/* The whole program for an agent: call from main() and return its value. */
int agent_main(const struct agent_def *def, int argc, char **argv);

/*
 * Log msg as an error, keep it as the one-line exit reason Pacemaker shows,
 * and return rc. The reason is cut at QB_XS (detail for the log only) and
 * control characters (a tool's newlines) become blanks, so it stays one
 * line: `return agent_fail(ctx, OCF_ERR_GENERIC, "cannot ...")`.
 */
enum ocf_exitcode agent_fail(struct agent_ctx *ctx, enum ocf_exitcode rc, const char *fmt, ...)
	_printf_(3, 4);

/*
 * The OCF code for a -errno that has no more specific meaning where it
 * happened: permission problems are OCF_ERR_PERM, everything else
 * OCF_ERR_GENERIC (it failed here; the cluster may try elsewhere).
 */
enum ocf_exitcode ocf_from_errno(int r);

/*
 * Open (creating it) this instance's state directory, EXHA_RUNDIR/<instance>;
 * a failure is the action's one-line reason: OCF code, or PCMK_OCF_OK.
 */
enum ocf_exitcode agent_state_open(struct agent_ctx *ctx, int *ret_fd);

/* A short name for an OCF exit code ("OCF_NOT_RUNNING"), for logs and tests. */
const char *ocf_exit_name(int rc);

/* Write the OCF 1.1 meta-data XML for def to out. */
int metadata_write(FILE *out, const struct agent_def *def);

/* A monitor invoked as a probe (interval 0), as Pacemaker does on each node. */
static inline bool agent_is_probe(const struct agent_ctx *ctx)
{
	return ctx->interval_ms == 0;
}
