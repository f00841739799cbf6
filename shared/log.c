/*
 * libqb logging set-up. Pacemaker's executor captures an agent's stderr and
 * scans it for the exit reason, so stderr carries the same lines as syslog
 * and the runtime prints the "ocf-exit-reason:" line last.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>

void log_open(const char *agent, const char *instance, bool debug)
{
	char tag[256];
	int level = debug ? LOG_DEBUG : LOG_INFO;

	if (instance && instance[0])
		snprintf(tag, sizeof(tag), "%s(%s)", agent, instance);
	else
		snprintf(tag, sizeof(tag), "%s", agent);

	qb_log_init(tag, LOG_DAEMON, level);
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_TRUE);
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_EXTENDED, QB_FALSE);
	qb_log_filter_ctl(QB_LOG_SYSLOG, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
	qb_log_format_set(QB_LOG_SYSLOG, "%b");

	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_TRUE);
	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_EXTENDED, QB_FALSE);
	qb_log_filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
	qb_log_format_set(QB_LOG_STDERR, "%N: %p: %b");

	qb_log_ctl(QB_LOG_BLACKBOX, QB_LOG_CONF_ENABLED, QB_FALSE);
}

void log_close(void)
{
	qb_log_fini();
}

int log_file_add(const char *path)
{
	int32_t t;

	if (!path || path[0] != '/')
		return -EINVAL;
	t = qb_log_file_open(path);
	if (t < 0)
		return t;
	qb_log_ctl(t, QB_LOG_CONF_ENABLED, QB_TRUE);
	qb_log_filter_ctl(t, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", LOG_INFO);
	qb_log_format_set(t, "%t %N: %p: %b");
	return 0;
}
