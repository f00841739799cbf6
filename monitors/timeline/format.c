/*
 * The timeline as text (a table per group, for an operator) or as one
 * JSON object (for scripts). Times: local in the text, UTC and
 * milliseconds since the epoch in JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "timeline_int.h"

static const char *ocf_name(int rc)
{
	switch (rc) {
	case PCMK_OCF_OK:
		return "ok";
	case PCMK_OCF_UNKNOWN_ERROR:
		return "error";
	case PCMK_OCF_INVALID_PARAM:
		return "invalid parameter";
	case PCMK_OCF_UNIMPLEMENT_FEATURE:
		return "unimplemented";
	case PCMK_OCF_INSUFFICIENT_PRIV:
		return "insufficient privileges";
	case PCMK_OCF_NOT_INSTALLED:
		return "not installed";
	case PCMK_OCF_NOT_CONFIGURED:
		return "not configured";
	case PCMK_OCF_NOT_RUNNING:
		return "not running";
	case PCMK_OCF_RUNNING_PROMOTED:
		return "promoted";
	case PCMK_OCF_FAILED_PROMOTED:
		return "failed (promoted)";
	case PCMK_OCF_DEGRADED:
		return "degraded";
	case PCMK_OCF_DEGRADED_PROMOTED:
		return "degraded (promoted)";
	case PCMK_OCF_UNKNOWN:
		return "pending";
	default:
		return "unknown";
	}
}

static const char *exec_name(int status)
{
	switch (status) {
	case PCMK_EXEC_PENDING:
		return "pending";
	case PCMK_EXEC_CANCELLED:
		return "cancelled";
	case PCMK_EXEC_TIMEOUT:
		return "timed out";
	case PCMK_EXEC_NOT_SUPPORTED:
		return "not supported";
	case PCMK_EXEC_ERROR:
		return "error";
	case PCMK_EXEC_ERROR_HARD:
		return "error (hard)";
	case PCMK_EXEC_ERROR_FATAL:
		return "error (fatal)";
	case PCMK_EXEC_NOT_INSTALLED:
		return "not installed";
	case PCMK_EXEC_NOT_CONNECTED:
		return "executor unreachable";
	case PCMK_EXEC_INVALID:
		return "cannot run now";
	case PCMK_EXEC_NO_FENCE_DEVICE:
		return "no fence device";
	case PCMK_EXEC_NO_SECRETS:
		return "no CIB secrets";
	default:
		return "unknown";
	}
}

/* "ok", "not running (rc 7)", "timed out": what came of the event. */
static void result_text(const struct tl_event *e, char *buf, size_t n)
{
	switch (e->kind) {
	case TL_OP:
		if (e->status != TL_EXEC_DONE)
			snprintf(buf, n, "%s", exec_name(e->status));
		else if (e->rc == PCMK_OCF_OK)
			snprintf(buf, n, "ok");
		else
			snprintf(buf, n, "%s (rc %d)", ocf_name(e->rc), e->rc);
		break;
	case TL_FENCE:
		snprintf(buf, n, "%s", e->status == TL_FENCE_DONE ? "done" : "failed");
		break;
	case TL_MEMBER:
		snprintf(buf, n, "member");
		break;
	case TL_RESTART:
		snprintf(buf, n, "%s restarted", e->member);
		break;
	}
}

/* "start", "monitor 2s", "fence reboot". */
static void action_text(const struct tl_event *e, char *buf, size_t n)
{
	if (e->kind == TL_FENCE)
		snprintf(buf, n, "fence %s", e->action);
	else if (e->interval_ms && e->interval_ms % 1000 == 0)
		snprintf(buf, n, "%s %" PRIu32 "s", e->action, e->interval_ms / 1000);
	else if (e->interval_ms)
		snprintf(buf, n, "%s %" PRIu32 "ms", e->action, e->interval_ms);
	else
		snprintf(buf, n, "%s", e->action);
}

/* Local time, with the date or without. */
static void time_local(int64_t ms, bool date, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t len = 0;

	if (localtime_r(&t, &tm))
		len = date ? strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm)
			   : strftime(buf, n, "%H:%M:%S", &tm);
	if (len == 0)
		snprintf(buf, n, "@%" PRId64, ms / 1000);
}

static int strcmp0_safe(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static void text_event(FILE *f, const struct tl_event *e)
{
	char when[32], action[48], result[96], dur[32] = "";

	time_local(e->t_ms, true, when, sizeof(when));
	action_text(e, action, sizeof(action));
	result_text(e, result, sizeof(result));
	if (e->kind == TL_OP)
		snprintf(dur, sizeof(dur), "%" PRIu32 "ms", e->exec_ms);
	fprintf(f, "%c %-19s  %-8s %-10s %-16s %-20s %9s", e->fault ? '!' : ' ', when,
		e->node ? e->node : "-", e->rsc ? e->rsc : "-", action, result, dur);
	if (e->kind == TL_OP && e->queue_ms)
		fprintf(f, " (queued %" PRIu32 "ms)", e->queue_ms);
	if (e->kind == TL_FENCE && e->by)
		fprintf(f, " by %s", e->by);
	if (e->kind == TL_FENCE && e->origin && strcmp0_safe(e->origin, e->by) != 0)
		fprintf(f, " for %s", e->origin);
	if (e->kind == TL_RESTART && e->restarts > 0)
		fprintf(f, " (in-place restart %" PRId64 " of the set on this node)", e->restarts);
	if (e->reason)
		fprintf(f, " \"%s\"", e->reason);
	fputc('\n', f);
}

/* "node1 fenced (reboot)", "services monitor 2s failed on node1". */
static void event_title(const struct tl_event *e, char *buf, size_t n)
{
	char when[32], action[48];

	time_local(e->t_ms, false, when, sizeof(when));
	action_text(e, action, sizeof(action));
	if (e->kind == TL_FENCE)
		snprintf(buf, n, "%s fenced (%s) at %s.%03d", e->node, e->action, when,
			 (int)(e->t_ms % 1000));
	else if (e->kind == TL_MEMBER)
		snprintf(buf, n, "%s joined at %s", e->node, when);
	else
		snprintf(buf, n, "%s %s %s on %s (began %s, took %" PRIu32 "ms)", e->rsc, action,
			 e->fault ? "failed" : "done", e->node, when, e->exec_ms);
}

static void text_gap(FILE *f, const struct tl *tl, const struct tl_group *g, int64_t since_ms)
{
	struct tl_gap gap = tl_group_gap(tl, g, since_ms);
	char from[160], to[160];

	if (!gap.from) {
		fprintf(f, "  no fault in these records\n");
		return;
	}
	event_title(gap.from, from, sizeof(from));
	if (!gap.to) {
		fprintf(f, "  gap: from %s; not whole again in these records\n", from);
		return;
	}
	event_title(gap.to, to, sizeof(to));
	fprintf(f, "  gap: %.1f s, from %s to %s\n", (double)gap.ms / 1000, from, to);
}

static void text_header(FILE *f)
{
	fprintf(f, "  %-19s  %-8s %-10s %-16s %-20s %9s\n", "TIME", "NODE", "RESOURCE", "ACTION",
		"RESULT", "EXEC");
}

static void text_nodes(FILE *f, const struct tl *tl)
{
	size_t i;

	fprintf(f, "nodes now:");
	for (i = 0; i < tl->n_nodes; i++) {
		const struct tl_node *n = &tl->nodes[i];

		fprintf(f, "%s %s (%s)", i ? "," : "", n->name,
			n->member && n->online ? "online"
			: n->member	       ? "member, controller down"
					       : "not a member");
	}
	fprintf(f, "%s\n", tl->n_nodes ? "" : " none");
}

int tl_print_text(FILE *f, const struct tl *tl, const char *group, int64_t since_ms)
{
	size_t i, k, other = 0;
	char **m;

	if (!f || !tl)
		return -EINVAL;
	if (group && !tl_group_find(tl, group))
		return -ENOENT;
	text_nodes(f, tl);
	for (k = 0; k < tl->n_groups; k++) {
		const struct tl_group *g = &tl->groups[k];

		if (group && strcmp(group, g->name) != 0)
			continue;
		fprintf(f, "\ngroup %s:", g->name);
		for (m = g->members; *m; m++)
			fprintf(f, " %s", *m);
		fprintf(f, "\n");
		text_header(f);
		for (i = 0; i < tl->n_events; i++)
			if (tl->events[i].t_ms >= since_ms && tl_event_in_group(&tl->events[i], g))
				text_event(f, &tl->events[i]);
		text_gap(f, tl, g, since_ms);
	}
	for (i = 0; !group && i < tl->n_events; i++) {
		const struct tl_event *e = &tl->events[i];
		bool grouped = false;

		for (k = 0; k < tl->n_groups && !grouped; k++)
			grouped = tl_event_in_group(e, &tl->groups[k]);
		if (!e->rsc || grouped || e->t_ms < since_ms)
			continue;
		if (other++ == 0) {
			fprintf(f, "\noutside any group:\n");
			text_header(f);
		}
		text_event(f, e);
	}
	fprintf(f, "\n! a fault: a failed operation or a node fenced. Pacemaker keeps the last\n"
		   "operations of each resource per node only (man exha-timeline).\n");
	return ferror(f) ? -EIO : 0;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(FILE *f, const char *s)
{
	const unsigned char *p;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_time(FILE *f, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[32];

	if (!gmtime_r(&t, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		fputs("null", f);
		return;
	}
	fprintf(f, "\"%s.%03dZ\"", buf, (int)(ms % 1000));
}

static const char *kind_name(enum tl_kind k)
{
	switch (k) {
	case TL_OP:
		return "operation";
	case TL_FENCE:
		return "fence";
	case TL_MEMBER:
		return "membership";
	case TL_RESTART:
		return "restart";
	}
	return "unknown";
}

static void json_event(FILE *f, const struct tl_event *e)
{
	char result[96];

	if (!e) {
		fputs("null", f);
		return;
	}
	result_text(e, result, sizeof(result));
	fprintf(f, "{\"type\": \"%s\", \"time\": ", kind_name(e->kind));
	json_time(f, e->t_ms);
	fprintf(f, ", \"epoch_ms\": %" PRId64 ", \"end_ms\": %" PRId64 ", \"node\": ", e->t_ms,
		e->end_ms);
	json_str(f, e->node);
	fputs(", \"resource\": ", f);
	json_str(f, e->rsc);
	fputs(", \"action\": ", f);
	json_str(f, e->action);
	fputs(", \"result\": ", f);
	json_str(f, result);
	fprintf(f, ", \"fault\": %s", e->fault ? "true" : "false");
	if (e->kind == TL_OP)
		fprintf(f,
			", \"interval_ms\": %" PRIu32 ", \"rc\": %d, \"op_status\": %d"
			", \"exec_ms\": %" PRIu32 ", \"queue_ms\": %" PRIu32
			", \"call_id\": %" PRId64,
			e->interval_ms, e->rc, e->status, e->exec_ms, e->queue_ms, e->call_id);
	if (e->kind == TL_RESTART) {
		fputs(", \"member\": ", f);
		json_str(f, e->member);
		if (e->restarts > 0)
			fprintf(f, ", \"restarts\": %" PRId64, e->restarts);
		else
			fputs(", \"restarts\": null", f);
	}
	if (e->kind == TL_FENCE) {
		fputs(", \"by\": ", f);
		json_str(f, e->by);
		fputs(", \"origin\": ", f);
		json_str(f, e->origin);
	}
	fputs(", \"reason\": ", f);
	json_str(f, e->reason);
	fputc('}', f);
}

static void json_gap(FILE *f, const struct tl *tl, const struct tl_group *g, int64_t since_ms)
{
	struct tl_gap gap = tl_group_gap(tl, g, since_ms);

	fputs("{\"ms\": ", f);
	if (gap.from && gap.to)
		fprintf(f, "%" PRId64, gap.ms);
	else
		fputs("null", f);
	fputs(", \"from\": ", f);
	json_event(f, gap.from);
	fputs(", \"to\": ", f);
	json_event(f, gap.to);
	fputc('}', f);
}

static void json_group(FILE *f, const struct tl *tl, const struct tl_group *g, int64_t since_ms)
{
	const char *sep = "";
	char **m;
	size_t i;

	fputs("{\"name\": ", f);
	json_str(f, g->name);
	fputs(", \"members\": [", f);
	for (m = g->members; *m; m++, sep = ", ") {
		fputs(sep, f);
		json_str(f, *m);
	}
	fputs("], \"events\": [", f);
	sep = "";
	for (i = 0; i < tl->n_events; i++) {
		if (tl->events[i].t_ms < since_ms || !tl_event_in_group(&tl->events[i], g))
			continue;
		fprintf(f, "%s\n   ", sep);
		json_event(f, &tl->events[i]);
		sep = ",";
	}
	fputs("],\n  \"gap\": ", f);
	json_gap(f, tl, g, since_ms);
	fputc('}', f);
}

static void json_nodes(FILE *f, const struct tl *tl)
{
	size_t i;

	fputs("\"nodes\": [", f);
	for (i = 0; i < tl->n_nodes; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		json_str(f, tl->nodes[i].name);
		fprintf(f, ", \"member\": %s, \"online\": %s, \"join\": ",
			tl->nodes[i].member ? "true" : "false",
			tl->nodes[i].online ? "true" : "false");
		json_str(f, tl->nodes[i].join);
		fputc('}', f);
	}
	fputc(']', f);
}

static void json_other(FILE *f, const struct tl *tl, int64_t since_ms)
{
	const char *sep = "";
	size_t i, k;

	fputs(",\n \"other\": [", f);
	for (i = 0; i < tl->n_events; i++) {
		const struct tl_event *e = &tl->events[i];
		bool grouped = false;

		for (k = 0; k < tl->n_groups && !grouped; k++)
			grouped = tl_event_in_group(e, &tl->groups[k]);
		if (!e->rsc || grouped || e->t_ms < since_ms)
			continue;
		fprintf(f, "%s\n  ", sep);
		json_event(f, e);
		sep = ",";
	}
	fputc(']', f);
}

int tl_print_json(FILE *f, const struct tl *tl, const char *group, int64_t since_ms)
{
	const char *sep = "";
	size_t k;

	if (!f || !tl)
		return -EINVAL;
	if (group && !tl_group_find(tl, group))
		return -ENOENT;
	fputs("{\"since\": ", f);
	if (since_ms == INT64_MIN)
		fputs("null", f);
	else
		json_time(f, since_ms);
	fputs(",\n ", f);
	json_nodes(f, tl);
	fputs(",\n \"groups\": [", f);
	for (k = 0; k < tl->n_groups; k++) {
		if (group && strcmp(group, tl->groups[k].name) != 0)
			continue;
		fprintf(f, "%s\n  ", sep);
		json_group(f, tl, &tl->groups[k], since_ms);
		sep = ",";
	}
	fputc(']', f);
	if (!group)
		json_other(f, tl, since_ms);
	fputs("}\n", f);
	return ferror(f) ? -EIO : 0;
}
