/*
 * The alert transport as a plugin: alert-io.so, in the plugin directory,
 * carries alert_send() and with it libcpg. agent_alert() loads it only when
 * an agent raises an alert, so no agent's exec (a monitor runs as a fresh
 * process every few seconds) pays for mapping libcpg and corosync's
 * libraries. The daemons and exha-alert, which always talk CPG, link
 * alert.c directly instead.
 */
#pragma once

#include "alert.h"
#include "deadline.h"

#define ALERT_IO_PLUGIN	 "alert-io.so"
#define ALERT_IO_SYMBOL	 "exha_alert_io"
#define ALERT_IO_VERSION 1u

struct alert_io {
	unsigned version; /* ALERT_IO_VERSION */
	int (*send)(const struct alert *a, deadline_t deadline);
};
