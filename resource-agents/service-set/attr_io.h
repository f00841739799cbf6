/*
 * The node attributes of in-place restarts as a plugin:
 * service-set-attrd.so, in the plugin directory, carries shared/attrd.c and
 * with it libcrmcommon (33 libraries, about 11 ms per exec), loaded only
 * when a member was restarted in place, never by a monitor that finds the
 * set running.
 */
#pragma once

#include <stddef.h>

#define SS_ATTR_IO_PLUGIN  "service-set-attrd.so"
#define SS_ATTR_IO_SYMBOL  "exha_ss_attr_io"
#define SS_ATTR_IO_VERSION 2u

struct ss_attr {
	const char *name, *value;
};

struct ss_attr_io {
	unsigned version; /* SS_ATTR_IO_VERSION */
	/*
	 * Set each name to its value on this node at once (no dampening), in
	 * order, over one connection: 0, or -errno at the first that failed.
	 */
	int (*set)(const struct ss_attr *attrs, size_t n);
};
