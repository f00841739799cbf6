/*
 * Logging through libqb to syslog and stderr, every line tagged
 * "agent(instance)". Only the action layer of an agent or monitor logs;
 * shared/ library code stays quiet (debug at most).
 *
 * Put user-supplied strings in quotes; put detail for the logs only after
 * QB_XS (it is dropped from the one-line summary). Never log a secret.
 */
#pragma once

#include <stdbool.h>
#include <syslog.h>
#include <qb/qblog.h>

/* Start logging as "<agent>(<instance>)" (instance may be NULL). */
void log_open(const char *agent, const char *instance, bool debug);
void log_close(void);

#define log_error(...)	 qb_log(LOG_ERR, __VA_ARGS__)
#define log_warning(...) qb_log(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	 qb_log(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	 qb_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	 qb_log(LOG_DEBUG, __VA_ARGS__)

/*
 * Also write to path (daemons: Pacemaker's PCMK_logfile, so a monitor
 * daemon's lines sit with the cluster's own). -errno when it cannot be opened.
 */
int log_file_add(const char *path);
