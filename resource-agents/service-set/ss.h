/*
 * ocf:exha:service-set: an ordered set of services (Postfix, Dovecot, ...)
 * started one by one, each waited for, restarted in place when it dies, and
 * stopped in reverse order with SIGKILL for what remains (the classic
 * ARMLoad /R 1 ... ARMKILL). The typed config every action works from.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "agent.h"
#include "cmdline.h"
#include "name.h"
#include "canary.h"
#include "mailprobe.h"

#define SS_MAX_SERVICES 32
#define SS_MAX_PROBES	16

/* A protocol probe, checked after its service starts (or after all) and at level 10. */
struct ss_probe {
	const char *service; /* NULL: after the whole set */
	const char *url;
	struct probe_target target;
};

/* One member of the set, in start order. */
struct ss_service {
	const char *name;     /* validated: a plain unit or script name */
	char **argv;	      /* exec: the command line, argv[0] absolute; else NULL */
	const char *pid_file; /* lsb/exec: the pid file the daemon writes, or NULL */
	const char *exe;      /* lsb/exec: the program its pid file names (executables), or NULL */
	char **drain;	      /* drain_commands: run before its stop, or NULL */
};

struct ss_config {
	char **services;
	unsigned backend; /* enum ss_backend: the index into the choices */
	struct cmdmap *exec_commands;
	struct cmdmap *drain_commands;
	char **pid_files;
	char **executables;
	uint64_t restart_count;
	bool stop_parallel;
	uint64_t restart_window;
	char **probe_list;
	const char *probe_credentials;
	const char *canary; /* the canary mailbox, or NULL: no canary level */
	const char *canary_credentials;
	uint64_t canary_level;
	struct probe_target canary_submit; /* PROBE_SMTP */
	struct probe_target canary_read;   /* PROBE_IMAP */
	/* Resolved by ss_config_check() from the above (pointers into them). */
	struct ss_service svc[SS_MAX_SERVICES];
	size_t n_svc;
	struct ss_probe probes[SS_MAX_PROBES];
	size_t n_probes;
};

#define SS_N_PARAMS 16
extern const struct param_def ss_params[SS_N_PARAMS];
int ss_config_check(void *config, struct error *err);
