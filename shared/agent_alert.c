/*
 * Cluster alerts raised by an agent: the alert carries this node's name and
 * "<agent>(<instance>)" as its source, and gets a small share of the
 * action's time (an alert must never make the action itself time out).
 * The CPG transport is alert-io.so, loaded here and only here, so agents
 * never link libcpg (see alert_io.h). EXHA_PLUGIN_DIR, the directory it is
 * installed in, comes from shared/Makefile.am.
 */
#include "agent_alert.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "alert_io.h"
#include "plugin.h"

static int alert_io_send(const struct alert *a, deadline_t deadline)
{
	struct plugin *p = NULL;
	const struct alert_io *io;
	void *sym = NULL;
	int r = plugin_open(plugin_dir(EXHA_PLUGIN_DIR), ALERT_IO_PLUGIN, ALERT_IO_SYMBOL, &p, &sym,
			    NULL, 0);

	if (r < 0)
		return r;
	io = sym;
	r = io->version == ALERT_IO_VERSION ? io->send(a, deadline) : -ELIBBAD;
	plugin_close(p);
	return r;
}

int agent_alert(struct agent_ctx *ctx, enum alert_severity severity, const char *fmt, ...)
{
	char source[ALERT_SOURCE_MAX + 1], text[ALERT_TEXT_MAX + 1];
	struct alert a = {0};
	va_list ap;
	int r;

	if (!ctx || !fmt)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(source, sizeof(source), "%s(%s)", ctx->def->name, ctx->instance);
	r = alert_init(&a, severity, ctx->node, source, text);
	if (r < 0)
		return r;
	return alert_io_send(&a, deadline_share(ctx->deadline, 20, 500));
}
