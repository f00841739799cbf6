/*
 * exha-timeline's pure logic: Pacemaker's records (the CIB's configuration
 * and status sections, the fencer's history) turned into one ordered list
 * of events per group, the failover gap, and text or JSON output. Nothing
 * here talks to the cluster: main.c reads the records and hands them in,
 * so the unit tests feed CIB XML fixtures instead.
 *
 * What Pacemaker keeps, and so what a timeline can show: per resource and
 * node, the last non-recurring operation (<rsc>_last_0), the last failed one
 * (<rsc>_last_failure_0) and the last result of each recurring monitor;
 * a fenced node's operation history is erased; an operation's time is the
 * whole second it began (last-rc-change), its duration milliseconds
 * (exec-time; queue-time before it). The fencer keeps its history (times
 * of completion, with nanoseconds) in memory on every node. service-set's
 * in-place restarts (a dead member restarted without Pacemaker) leave no
 * operation: the agent publishes the last one per set and node as the node
 * attribute exha-restarted-<instance> ("<epoch ms> <member>") and the count
 * as exha-restarts-<instance>, which the status section holds.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum tl_kind {
	TL_OP,	    /* an lrm_rsc_op: a resource action on a node */
	TL_FENCE,   /* a fencing action from the fencer's history */
	TL_MEMBER,  /* a node joined the membership (Pacemaker >= 2.1.7 records when) */
	TL_RESTART, /* service-set restarted a dead member in place (node attributes) */
};

struct tl_event {
	enum tl_kind kind;
	int64_t t_ms;	 /* when it began (ms since the epoch); a fence: completed */
	int64_t end_ms;	 /* when it completed: t_ms + exec_ms */
	char *node;	 /* where it ran; for a fence: the target */
	char *rsc;	 /* TL_OP, TL_RESTART: the resource's id */
	char *action;	 /* start, stop, monitor...; off, reboot, on; joined; restart in place */
	int64_t call_id; /* TL_OP: the executor's call id; -1 otherwise */
	uint32_t interval_ms;
	int rc;		   /* TL_OP: OCF exit code */
	int status;	   /* TL_OP: op-status (0 done); TL_FENCE: enum op_state */
	uint32_t exec_ms;  /* TL_OP: exec-time */
	uint32_t queue_ms; /* TL_OP: queue-time */
	char *by;	   /* TL_FENCE: the node that fenced (delegate) */
	char *origin;	   /* TL_FENCE: the node that asked */
	char *reason;	   /* exit-reason, when Pacemaker recorded one */
	char *member;	   /* TL_RESTART: the member restarted */
	int64_t restarts;  /* TL_RESTART: in-place restarts of the set on the node; -1 unknown */
	bool fault;	   /* a failed operation or a node fenced: a gap starts */
};

struct tl_group {
	char *name;
	char **members; /* in start order, NULL-terminated */
};

/* A node as the CIB's status section sees it now (node_state). */
struct tl_node {
	char *name;
	bool member; /* in_ccm: in the corosync membership */
	bool online; /* crmd: its controller is up */
	char *join;  /* down, pending, member, banned */
};

struct tl {
	struct tl_event *events;
	size_t n_events;
	struct tl_group *groups;
	size_t n_groups;
	struct tl_node *nodes;
	size_t n_nodes;
};

/* The failover gap of one group: first failure to the group whole again. */
struct tl_gap {
	const struct tl_event *from; /* the first failure at or after since */
	const struct tl_event *to;   /* the last member's first start after it; NULL: not yet */
	int64_t ms;		     /* from's end to to's end (with to set) */
};

struct tl *tl_new(void);
struct tl *tl_free(struct tl *tl);

/*
 * Add the groups (configuration/resources/group, members in order),
 * every lrm_rsc_op of the status section of a CIB (<cib> or any element
 * holding <configuration>/<status>) and the last in-place restart of each
 * service-set per node (its transient attributes). -EBADMSG when an
 * operation lacks a field the timeline needs or has one that does not
 * parse; a restart attribute that does not parse is left out (any
 * crm_attribute can write one: not Pacemaker's record).
 */
int tl_add_cib(struct tl *tl, const xmlNode *cib);

/* One entry of the fencer's history (stonith_history_t's fields). */
struct tl_fence {
	const char *target, *action, *origin, *delegate, *exit_reason;
	int state; /* enum op_state: 2 done, 4 failed; others pending */
	int64_t completed_s;
	long completed_ns;
};
int tl_add_fence(struct tl *tl, const struct tl_fence *f);

/* Order every event by time (then node, resource, action): stable. */
void tl_sort(struct tl *tl);

/* The group named NAME, or NULL. */
const struct tl_group *tl_group_find(const struct tl *tl, const char *name);

/*
 * An event belongs to a group's timeline: its members' operations and
 * in-place restarts, every fence, every join.
 */
bool tl_event_in_group(const struct tl_event *e, const struct tl_group *g);

/* The gap of group g, counting only events at or after since_ms (after tl_sort). */
struct tl_gap tl_group_gap(const struct tl *tl, const struct tl_group *g, int64_t since_ms);

/*
 * --since: ISO 8601 (2026-12-06T23:59:01Z, with or without seconds, 'T' or
 * a blank, Z or +hh:mm or no zone: local time) or relative to now_ms
 * (30s, 10m, 2h, 1d). -EINVAL otherwise.
 */
int tl_parse_since(const char *s, int64_t now_ms, int64_t *ret_ms);

/* Output: the readable tables, or one JSON object. group NULL: every group. */
int tl_print_text(FILE *f, const struct tl *tl, const char *group, int64_t since_ms);
int tl_print_json(FILE *f, const struct tl *tl, const char *group, int64_t since_ms);
