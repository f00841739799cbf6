/*
 * The monitor daemon: what an agent's start launches (one per cloned
 * instance and node). It parses the same OCF_RESKEY_* environment with the
 * agent's own parameter table, runs a libqb main loop over the monitor's
 * event sources, and publishes the score as a node attribute through attrd.
 *
 * Modes (argv[1]):
 *   run    as spawned by start: report readiness on the pipe named by
 *          EXHA_READY_FD once the first score is published; clear the
 *          attribute on SIGTERM and exit;
 *   check  one evaluation, printed, no attrd: the command-line check
 *          (exit 0 when every item is healthy, 1 otherwise);
 *   clear  remove the attribute and exit (stop, when the daemon had died).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <qb/qbloop.h>
#include <crm/common/results.h>

#include "error.h"
#include "mon.h"
#include "param.h"

struct mond;

struct mond_def {
	const char *name; /* the agent's name: log tag and messages */
	const struct param_def *params;
	size_t n_params;
	size_t config_size;
	int (*config_check)(void *config, struct error *err);
	/* Offset of struct mon_attr in the config; ignored when !has_attr. */
	size_t attr_offset;
	bool has_attr;
	/*
	 * Add event sources to mond_loop(m) and start watching; the first
	 * mond_publish() completes start. Return an OCF code and fill err.
	 */
	enum ocf_exitcode (*setup)(struct mond *m, void *config, struct error *err);
	void (*teardown)(struct mond *m, void *config);
};

int mond_main(const struct mond_def *def, int argc, char **argv);

qb_loop_t *mond_loop(struct mond *m);
void *mond_config(struct mond *m);
bool mond_is_check(const struct mond *m);

/*
 * Report health: healthy of total items. The attribute becomes
 * healthy x multiplier (sent when it changed; the first report also tells a
 * waiting start that the daemon is up). In check mode: print and finish.
 */
void mond_publish(struct mond *m, unsigned healthy, unsigned total);

/* A fatal error after start: log it and end the daemon (exit status 1). */
void mond_fail(struct mond *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Nanoseconds, for qb_loop_timer_add(). */
#define MOND_MS_NS(ms) ((uint64_t)(ms)*1000000ull)
