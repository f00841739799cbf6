/*
 * Cluster alerts raised by an agent: the alert carries this node's name and
 * "<agent>(<instance>)" as its source, and gets a small share of the
 * action's time (an alert must never make the action itself time out).
 * Only agents that call it link libcpg.
 */
#include "agent_alert.h"

#include <stdarg.h>
#include <stdio.h>

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
	return alert_send(&a, deadline_share(ctx->deadline, 20, 500));
}
