/*
 * The event list: building it, the fencer's entries, ordering, which
 * events a group's timeline shows, and the failover gap.
 *
 * The gap of a group: from its first fault (a member's failed operation,
 * or any node fenced: the fencer does not say which groups a node held;
 * not an in-place restart: the group stayed up but for one member, whose
 * death Pacemaker never saw)
 * to the moment every member that went down has started again: the end
 * (last-rc-change + exec-time, see start_end()) of the last member's
 * first successful start after the fault. Operation times are whole seconds, so
 * a start counts when it began in the fault's second or later. No start after the fault, or a
 * member stopped or failed with no start since: no end (not recovered, or the CIB no longer holds
 * the start).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "timeline_int.h"

struct tl *tl_new(void)
{
	return calloc(1, sizeof(struct tl));
}

char **tl_strv_free(char **strv)
{
	char **p;

	for (p = strv; p && *p; p++)
		free(*p);
	free(strv);
	return NULL;
}

static void event_clear(struct tl_event *e)
{
	free(e->node);
	free(e->rsc);
	free(e->action);
	free(e->by);
	free(e->origin);
	free(e->reason);
	free(e->member);
}

struct tl *tl_free(struct tl *tl)
{
	size_t i;

	if (!tl)
		return NULL;
	for (i = 0; i < tl->n_events; i++)
		event_clear(&tl->events[i]);
	for (i = 0; i < tl->n_groups; i++) {
		free(tl->groups[i].name);
		tl_strv_free(tl->groups[i].members);
	}
	for (i = 0; i < tl->n_nodes; i++) {
		free(tl->nodes[i].name);
		free(tl->nodes[i].join);
	}
	free(tl->events);
	free(tl->groups);
	free(tl->nodes);
	free(tl);
	return NULL;
}

int tl_event_push(struct tl *tl, struct tl_event **ret_event)
{
	struct tl_event *ev;

	ev = reallocarray(tl->events, tl->n_events + 1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	tl->events = ev;
	ev[tl->n_events] = (struct tl_event){.call_id = -1};
	*ret_event = &ev[tl->n_events++];
	return 0;
}

static int dup_or_null(const char *s, char **ret)
{
	*ret = NULL;
	if (s && *s && !(*ret = strdup(s)))
		return -ENOMEM;
	return 0;
}

/*
 * Only completed fencing: a pending one has no time yet. A node switched
 * off or rebooted is a fault; unfencing ("on") and failed attempts are
 * shown, but start no gap.
 */
int tl_add_fence(struct tl *tl, const struct tl_fence *f)
{
	struct tl_event *e;
	int r;

	if (!tl || !f || !f->target || !f->action || f->completed_s < 0 ||
	    f->completed_s > INT64_MAX / 1000 - 1 || f->completed_ns < 0 ||
	    f->completed_ns >= 1000000000L)
		return -EINVAL;
	if (f->state != TL_FENCE_DONE && f->state != TL_FENCE_FAILED)
		return 0;
	if ((r = tl_event_push(tl, &e)) < 0)
		return r;
	e->kind = TL_FENCE;
	e->t_ms = e->end_ms = f->completed_s * 1000 + f->completed_ns / 1000000;
	e->status = f->state;
	e->fault = f->state == TL_FENCE_DONE &&
		   (strcmp(f->action, "off") == 0 || strcmp(f->action, "reboot") == 0);
	if (dup_or_null(f->target, &e->node) < 0 || dup_or_null(f->action, &e->action) < 0 ||
	    dup_or_null(f->delegate, &e->by) < 0 || dup_or_null(f->origin, &e->origin) < 0 ||
	    dup_or_null(f->exit_reason, &e->reason) < 0)
		return -ENOMEM;
	return 0;
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/*
 * By second first: an operation's time has no finer grain, so within a
 * second a fence, a join (which starts what follows) or an in-place
 * restart (milliseconds, too) comes before the operations, and those in
 * the order the executor numbered them.
 */
static int event_cmp(const void *pa, const void *pb)
{
	const struct tl_event *a = pa, *b = pb;
	int c;

	if (a->t_ms / 1000 != b->t_ms / 1000)
		return a->t_ms / 1000 < b->t_ms / 1000 ? -1 : 1;
	if ((a->kind == TL_OP) != (b->kind == TL_OP))
		return a->kind == TL_OP ? 1 : -1;
	if (a->t_ms != b->t_ms)
		return a->t_ms < b->t_ms ? -1 : 1;
	if ((c = strcmp0(a->node, b->node)) != 0)
		return c;
	if (a->call_id != b->call_id)
		return a->call_id < b->call_id ? -1 : 1;
	if ((c = strcmp0(a->rsc, b->rsc)) != 0)
		return c;
	return strcmp0(a->action, b->action);
}

void tl_sort(struct tl *tl)
{
	if (tl && tl->n_events > 1)
		qsort(tl->events, tl->n_events, sizeof(*tl->events), event_cmp);
}

const struct tl_group *tl_group_find(const struct tl *tl, const char *name)
{
	size_t i;

	for (i = 0; tl && name && i < tl->n_groups; i++)
		if (strcmp(tl->groups[i].name, name) == 0)
			return &tl->groups[i];
	return NULL;
}

/* A clone's instance "rsc:1" is resource rsc. */
static bool rsc_is(const char *rsc, const char *id)
{
	size_t n = strlen(id);

	return strncmp(rsc, id, n) == 0 && (rsc[n] == '\0' || rsc[n] == ':');
}

bool tl_rsc_in_group(const char *rsc, const struct tl_group *g)
{
	char **m;

	for (m = g->members; *m; m++)
		if (rsc_is(rsc, *m))
			return true;
	return false;
}

bool tl_event_in_group(const struct tl_event *e, const struct tl_group *g)
{
	return e->rsc ? tl_rsc_in_group(e->rsc, g) : e->kind != TL_OP;
}

bool tl_event_is_start(const struct tl_event *e)
{
	return e->kind == TL_OP && e->rc == PCMK_OCF_OK && e->status == TL_EXEC_DONE &&
	       (strcmp(e->action, "start") == 0 || strcmp(e->action, "migrate_from") == 0);
}

/* The whole second of the fault's end: operation times have no finer grain. */
static int64_t fault_second(const struct tl_event *from)
{
	return from->end_ms - from->end_ms % 1000;
}

/* A member's first successful start that began in or after the fault's second. */
static const struct tl_event *first_start(const struct tl *tl, const char *member,
					  const struct tl_event *from)
{
	int64_t floor_ms = fault_second(from);
	size_t i;

	for (i = 0; i < tl->n_events; i++) {
		const struct tl_event *e = &tl->events[i];

		if (e->t_ms >= floor_ms && tl_event_is_start(e) && rsc_is(e->rsc, member))
			return e;
	}
	return NULL;
}

/* The member stopped or failed at or after from: it must start again. */
static bool went_down(const struct tl *tl, const char *member, const struct tl_event *from)
{
	size_t i;

	for (i = 0; i < tl->n_events; i++) {
		const struct tl_event *e = &tl->events[i];

		if (e->kind == TL_OP && e->t_ms >= fault_second(from) && rsc_is(e->rsc, member) &&
		    (e->fault || strcmp(e->action, "stop") == 0))
			return true;
	}
	return false;
}

/*
 * When a member's start ended. Its second is all the CIB says of when it
 * began; but a group starts its members one after the other, so on the
 * same node it began no earlier than the previous member's start ended
 * (and still within its own second).
 */
static int64_t start_end(const struct tl_event *s, const struct tl_event *prev, int64_t prev_end)
{
	int64_t begin = s->t_ms;

	if (prev && strcmp(prev->node, s->node) == 0 && prev_end > begin)
		begin = MIN(prev_end, s->t_ms + 999);
	return begin + s->exec_ms;
}

struct tl_gap tl_group_gap(const struct tl *tl, const struct tl_group *g, int64_t since_ms)
{
	const struct tl_event *prev = NULL;
	struct tl_gap gap = {0};
	int64_t end = 0;
	char **m;
	size_t i;

	for (i = 0; i < tl->n_events && !gap.from; i++) {
		const struct tl_event *e = &tl->events[i];

		if (e->fault && e->t_ms >= since_ms && tl_event_in_group(e, g))
			gap.from = e;
	}
	if (!gap.from)
		return gap;
	/*
	 * A member with no start after the fault kept running (a restart in
	 * place restarts only the failed member and those after it), unless
	 * it stopped or failed since: then the group is not whole yet. The
	 * last member to start is the last in the group's order.
	 */
	for (m = g->members; *m; m++) {
		const struct tl_event *s = first_start(tl, *m, gap.from);

		if (!s && went_down(tl, *m, gap.from))
			return (struct tl_gap){.from = gap.from};
		if (!s)
			continue;
		end = start_end(s, prev, end);
		prev = gap.to = s;
	}
	if (gap.to)
		gap.ms = MAX(end - gap.from->end_ms, 0);
	return gap;
}
