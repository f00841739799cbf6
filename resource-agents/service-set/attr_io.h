/*
 * The node attribute of in-place restarts as a plugin: service-set-attrd.so,
 * in the plugin directory, carries shared/attrd.c and with it libcrmcommon
 * (33 libraries, about 11 ms per exec), loaded only when a member was
 * restarted in place, never by a monitor that finds the set running.
 */
#pragma once

#define SS_ATTR_IO_PLUGIN  "service-set-attrd.so"
#define SS_ATTR_IO_SYMBOL  "exha_ss_attr_io"
#define SS_ATTR_IO_VERSION 1u

struct ss_attr_io {
	unsigned version; /* SS_ATTR_IO_VERSION */
	/* Set name to value on this node at once (no dampening). -errno. */
	int (*set)(const char *name, const char *value);
};
