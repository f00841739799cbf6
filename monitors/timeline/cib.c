/*
 * The CIB's records as timeline events: groups and their members in start
 * order from the configuration section, nodes and every lrm_rsc_op from the
 * status section. Strict: an operation missing a field the timeline needs,
 * or with one that is not a number, makes the whole CIB -EBADMSG rather
 * than a timeline that silently leaves it out.
 *
 * Kept: every non-recurring operation except probes that found the
 * resource stopped or running (they say nothing about a failover), and
 * every operation with an unexpected result. Successful recurring
 * monitors are left out: the CIB holds only their last result anyway.
 *
 * And from each node's transient attributes, service-set's last in-place
 * restart per set (exha-restarted-<instance>: "<epoch ms> <member>") with
 * the set's count (exha-restarts-<instance>). Those are lenient: a value
 * that does not parse is left out (a count that does not, unknown), since
 * anyone with crm_attribute can write a node attribute and one bad value
 * must not cost the administrator the whole timeline.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "timeline.h"
#include "timeline_int.h"

#define RESTARTED_PREFIX "exha-restarted-"
#define RESTARTS_PREFIX	 "exha-restarts-"

static const char *attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->children && xmlStrEqual(a->name, (const xmlChar *)name))
			return (const char *)a->children->content;
	return NULL;
}

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* A decimal integer in [min, max], nothing else. */
static int parse_num(const char *s, long long min, long long max, long long *ret)
{
	char *end;
	long long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -EBADMSG;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EBADMSG;
	*ret = v;
	return 0;
}

static void strvp_free(char ***p)
{
	tl_strv_free(*p);
}

static int add_group(struct tl *tl, const xmlNode *g)
{
	const char *id = attr(g, "id");
	_cleanup_(strvp_free) char **m = NULL;
	_cleanup_free_ char *name = NULL;
	const xmlNode *c;
	struct tl_group *gs;
	size_t n = 0;

	if (!id)
		return -EBADMSG;
	for (c = g->children; c; c = c->next)
		n += is(c, "primitive");
	if (!(m = calloc(n + 1, sizeof(*m))) || !(name = strdup(id)))
		return -ENOMEM;
	n = 0;
	for (c = g->children; c; c = c->next) {
		const char *mid = is(c, "primitive") ? attr(c, "id") : NULL;

		if (mid && !(m[n++] = strdup(mid)))
			return -ENOMEM;
	}
	gs = reallocarray(tl->groups, tl->n_groups + 1, sizeof(*gs));
	if (!gs)
		return -ENOMEM;
	tl->groups = gs;
	gs[tl->n_groups].name = TAKE_PTR(name);
	gs[tl->n_groups].members = TAKE_PTR(m);
	tl->n_groups++;
	return 0;
}

/* Groups anywhere under resources (a group may sit inside a clone). */
static int add_groups(struct tl *tl, const xmlNode *n)
{
	const xmlNode *c;
	int r;

	for (c = n->children; c; c = c->next) {
		if (is(c, "group"))
			r = add_group(tl, c);
		else if (is(c, "clone") || is(c, "master") || is(c, "bundle"))
			r = add_groups(tl, c);
		else
			continue;
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Which results are faults: a probe (a monitor with interval 0) may find
 * the resource running, stopped or promoted; anything else must give the
 * result the transition expected (the third field of transition-key), or 0
 * when there is none. An operation that did not complete (op-status other
 * than done, pending or cancelled) is a fault whatever its rc.
 */
static bool op_is_fault(const char *action, long long interval, long long rc, long long status,
			const char *key)
{
	long long expected = 0;

	if (status == TL_EXEC_PENDING || status == TL_EXEC_CANCELLED)
		return false;
	if (status != TL_EXEC_DONE)
		return true;
	/* Degraded is running, with a warning: not a failure. */
	if (rc == PCMK_OCF_DEGRADED)
		rc = PCMK_OCF_OK;
	else if (rc == PCMK_OCF_DEGRADED_PROMOTED)
		rc = PCMK_OCF_RUNNING_PROMOTED;
	if (strcmp(action, "monitor") == 0 && interval == 0)
		return rc != PCMK_OCF_OK && rc != PCMK_OCF_NOT_RUNNING &&
		       rc != PCMK_OCF_RUNNING_PROMOTED;
	if (key) {
		const char *p = strchr(key, ':');

		p = p ? strchr(p + 1, ':') : NULL;
		if (p) {
			char *end;

			errno = 0;
			expected = strtoll(p + 1, &end, 10);
			if (errno || end == p + 1 || *end != ':')
				expected = 0;
		}
	}
	return rc != expected;
}

struct op_fields {
	long long call, rc, status, interval, t, exec, queue;
};

static int op_fields_parse(const xmlNode *op, struct op_fields *f)
{
	const char *e = attr(op, "exec-time"), *q = attr(op, "queue-time");
	int r;

	if ((r = parse_num(attr(op, "call-id"), -1, INT32_MAX, &f->call)) < 0 ||
	    (r = parse_num(attr(op, "rc-code"), 0, 255, &f->rc)) < 0 ||
	    (r = parse_num(attr(op, "op-status"), -1, 255, &f->status)) < 0 ||
	    (r = parse_num(attr(op, "interval"), 0, UINT32_MAX, &f->interval)) < 0)
		return r;
	/* A pending operation has no completion time yet. */
	f->t = 0;
	if (attr(op, "last-rc-change") || f->status != TL_EXEC_PENDING)
		if ((r = parse_num(attr(op, "last-rc-change"), 0, INT64_MAX / 1000, &f->t)) < 0)
			return r;
	f->exec = f->queue = 0;
	if ((e && (r = parse_num(e, 0, UINT32_MAX, &f->exec)) < 0) ||
	    (q && (r = parse_num(q, 0, UINT32_MAX, &f->queue)) < 0))
		return r;
	return 0;
}

/* The same operation twice (<rsc>_last_0 and <rsc>_last_failure_0). */
static bool op_seen(const struct tl *tl, const char *node, const char *rsc, long long call,
		    const char *action)
{
	size_t i;

	if (call < 0)
		return false;
	for (i = 0; i < tl->n_events; i++) {
		const struct tl_event *e = &tl->events[i];

		if (e->kind == TL_OP && e->call_id == call && strcmp(e->node, node) == 0 &&
		    strcmp(e->rsc, rsc) == 0 && strcmp(e->action, action) == 0)
			return true;
	}
	return false;
}

static int add_op(struct tl *tl, const char *node, const char *rsc, const xmlNode *op)
{
	const char *action = attr(op, "operation"), *on = attr(op, "on_node");
	const char *reason = attr(op, "exit-reason");
	struct op_fields f;
	struct tl_event *e;
	bool fault;
	int r;

	if (!action)
		return -EBADMSG;
	if ((r = op_fields_parse(op, &f)) < 0)
		return r;
	node = on ? on : node;
	fault = op_is_fault(action, f.interval, f.rc, f.status, attr(op, "transition-key"));
	if (!fault && strcmp(action, "monitor") == 0)
		return 0;
	if (op_seen(tl, node, rsc, f.call, action))
		return 0;
	if ((r = tl_event_push(tl, &e)) < 0)
		return r;
	e->kind = TL_OP;
	/* last-rc-change is when the executor ran it, not when it returned. */
	e->t_ms = f.t * 1000;
	e->end_ms = e->t_ms + f.exec;
	e->call_id = f.call;
	e->interval_ms = (uint32_t)f.interval;
	e->rc = (int)f.rc;
	e->status = (int)f.status;
	e->exec_ms = (uint32_t)f.exec;
	e->queue_ms = (uint32_t)f.queue;
	e->fault = fault;
	if (!(e->node = strdup(node)) || !(e->rsc = strdup(rsc)) || !(e->action = strdup(action)))
		return -ENOMEM;
	if (reason && *reason && !(e->reason = strdup(reason)))
		return -ENOMEM;
	return 0;
}

static int add_lrm(struct tl *tl, const char *node, const xmlNode *lrm)
{
	const xmlNode *rs = child(lrm, "lrm_resources"), *res, *op;
	int r;

	for (res = rs ? rs->children : NULL; res; res = res->next) {
		const char *rsc = is(res, "lrm_resource") ? attr(res, "id") : NULL;

		if (!rsc)
			continue;
		for (op = res->children; op; op = op->next)
			if (is(op, "lrm_rsc_op") && (r = add_op(tl, node, rsc, op)) < 0)
				return r;
	}
	return 0;
}

/*
 * in_ccm and crmd: "true"/"false" and "online"/"offline" up to Pacemaker
 * 2.1.6; from 2.1.7 the time the node joined (seconds) or "0".
 */
static int add_node(struct tl *tl, const xmlNode *st, const char *name)
{
	const char *ccm = attr(st, "in_ccm"), *crmd = attr(st, "crmd"), *join = attr(st, "join");
	struct tl_node *ns, *n;
	struct tl_event *e;
	long long since = 0;
	int r;

	ns = reallocarray(tl->nodes, tl->n_nodes + 1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	tl->nodes = ns;
	n = &ns[tl->n_nodes++];
	*n = (struct tl_node){0};
	if (parse_num(ccm, 1, INT64_MAX / 1000, &since) == 0)
		n->member = true;
	else
		n->member = ccm && strcmp(ccm, "true") == 0;
	n->online = crmd && (strcmp(crmd, "online") == 0 ||
			     (strcmp(crmd, "0") != 0 && strcmp(crmd, "offline") != 0));
	if (!(n->name = strdup(name)) || (join && !(n->join = strdup(join))))
		return -ENOMEM;
	if (since == 0)
		return 0;
	if ((r = tl_event_push(tl, &e)) < 0)
		return r;
	e->kind = TL_MEMBER;
	e->t_ms = e->end_ms = since * 1000;
	if (!(e->node = strdup(name)) || !(e->action = strdup("joined")))
		return -ENOMEM;
	return 0;
}

/* The value of the nvpair named prefix+instance in a transient_attributes, or NULL. */
static const char *nvpair_value(const xmlNode *ta, const char *prefix, const char *instance)
{
	size_t n = strlen(prefix);
	const xmlNode *ia, *nv;

	for (ia = ta->children; ia; ia = ia->next)
		for (nv = is(ia, "instance_attributes") ? ia->children : NULL; nv; nv = nv->next) {
			const char *name = is(nv, "nvpair") ? attr(nv, "name") : NULL;

			if (name && strncmp(name, prefix, n) == 0 &&
			    strcmp(name + n, instance) == 0)
				return attr(nv, "value");
		}
	return NULL;
}

/* "<epoch ms> <member>": a positive time, one blank, a name without blanks. */
static int restarted_parse(const char *v, long long *ret_ms, const char **ret_member)
{
	const char *sp = v ? strchr(v, ' ') : NULL, *p;
	char ms[24];

	if (!sp || (size_t)(sp - v) >= sizeof(ms) || !sp[1])
		return -EBADMSG;
	for (p = sp + 1; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return -EBADMSG;
	memcpy(ms, v, (size_t)(sp - v));
	ms[sp - v] = '\0';
	if (parse_num(ms, 1, INT64_MAX / 2, ret_ms) < 0)
		return -EBADMSG;
	*ret_member = sp + 1;
	return 0;
}

static int add_restart(struct tl *tl, const char *node, const xmlNode *ta, const char *instance,
		       const char *value)
{
	const char *member;
	struct tl_event *e;
	long long ms, count;
	int r;

	if (!*instance || restarted_parse(value, &ms, &member) < 0)
		return 0;
	if ((r = tl_event_push(tl, &e)) < 0)
		return r;
	e->kind = TL_RESTART;
	e->t_ms = e->end_ms = ms;
	e->restarts = -1;
	if (parse_num(nvpair_value(ta, RESTARTS_PREFIX, instance), 1, INT64_MAX, &count) == 0)
		e->restarts = count;
	if (!(e->node = strdup(node)) || !(e->rsc = strdup(instance)) ||
	    !(e->action = strdup("restart in place")) || !(e->member = strdup(member)))
		return -ENOMEM;
	return 0;
}

/* The in-place restarts among a node's transient attributes. */
static int add_restarts(struct tl *tl, const char *node, const xmlNode *ta)
{
	size_t n = strlen(RESTARTED_PREFIX);
	const xmlNode *ia, *nv;
	int r;

	for (ia = ta->children; ia; ia = ia->next)
		for (nv = is(ia, "instance_attributes") ? ia->children : NULL; nv; nv = nv->next) {
			const char *name = is(nv, "nvpair") ? attr(nv, "name") : NULL;

			if (!name || strncmp(name, RESTARTED_PREFIX, n) != 0)
				continue;
			if ((r = add_restart(tl, node, ta, name + n, attr(nv, "value"))) < 0)
				return r;
		}
	return 0;
}

static int add_status(struct tl *tl, const xmlNode *status)
{
	const xmlNode *st, *lrm, *ta;
	int r;

	for (st = status->children; st; st = st->next) {
		const char *name;

		if (!is(st, "node_state"))
			continue;
		name = attr(st, "uname");
		if (!name)
			return -EBADMSG;
		if ((r = add_node(tl, st, name)) < 0)
			return r;
		lrm = child(st, "lrm");
		if (lrm && (r = add_lrm(tl, name, lrm)) < 0)
			return r;
		ta = child(st, "transient_attributes");
		if (ta && (r = add_restarts(tl, name, ta)) < 0)
			return r;
	}
	return 0;
}

int tl_add_cib(struct tl *tl, const xmlNode *cib)
{
	const xmlNode *conf, *res, *status;
	int r;

	if (!tl || !cib)
		return -EINVAL;
	conf = child(cib, "configuration");
	res = conf ? child(conf, "resources") : NULL;
	if (res && (r = add_groups(tl, res)) < 0)
		return r;
	status = is(cib, "status") ? cib : child(cib, "status");
	if (!status)
		return -EBADMSG;
	return add_status(tl, status);
}
