/*
 * The fencing proof (see fenceproof.h for the argument): a strict reader of
 * the query's lines, and the decision. Anything unexpected is a refusal,
 * never a proof: the cost of refusing is one lease_timeout of watching.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fenceproof.h"
#include "macro.h"
#include "strutil.h"

#define FENCE_STATE_DONE   2 /* enum op_state st_done */
#define FENCE_STATE_FAILED 4 /* st_failed */
#define FIELDS_MAX	   6

/* Split line (modified in place) on single spaces into at most FIELDS_MAX fields. */
static int split(char *line, char **f)
{
	int n = 0;

	for (char *p = line;; p++) {
		if (n == FIELDS_MAX || !*p || *p == ' ')
			return -EBADMSG; /* too many, empty or doubled separator */
		f[n++] = p;
		p = strchrnul(p, ' ');
		if (!*p)
			return n;
		*p = '\0';
	}
}

static int copy_word(char *dst, size_t size, const char *src)
{
	return strscpy(dst, src, size) < 0 ? -EBADMSG : 0;
}

static bool is_kill_action(const char *a)
{
	return strcmp(a, "off") == 0 || strcmp(a, "reboot") == 0;
}

/* fence TARGET ACTION STATE COMPLETED_S COMPLETED_NS */
static int parse_fence(char **f, struct fenceproof_evidence *ev)
{
	uint64_t state, sec, nsec, ms;

	if (parse_uint64(f[3], 0, 64, &state) < 0 ||
	    parse_uint64(f[4], 0, UINT64_MAX / 1000 - 1, &sec) < 0 ||
	    parse_uint64(f[5], 0, 999999999, &nsec) < 0)
		return -EBADMSG;
	if (strcmp(f[1], ev->target) != 0) {
		ev->foreign_entry = true;
		return 0;
	}
	ms = sec * 1000 + nsec / 1000000;
	if (state == FENCE_STATE_DONE && is_kill_action(f[2])) {
		if (ms >= ev->fenced_ms) {
			ev->fenced_ms = ms;
			if (copy_word(ev->fenced_action, sizeof(ev->fenced_action), f[2]) < 0)
				return -EBADMSG;
		}
	} else if (state == FENCE_STATE_DONE || state == FENCE_STATE_FAILED) {
		ev->other_ms = MAX(ev->other_ms, ms);
	} else {
		ev->pending = true; /* in progress (query, exec) or anything unknown */
	}
	return 0;
}

/* node UNAME IN_CCM CRMD JOIN EXPECTED */
static int parse_node(char **f, struct fenceproof_evidence *ev)
{
	if (ev->have_node || copy_word(ev->uname, sizeof(ev->uname), f[1]) < 0 ||
	    copy_word(ev->in_ccm, sizeof(ev->in_ccm), f[2]) < 0 ||
	    copy_word(ev->crmd, sizeof(ev->crmd), f[3]) < 0 ||
	    copy_word(ev->join, sizeof(ev->join), f[4]) < 0 ||
	    copy_word(ev->expected, sizeof(ev->expected), f[5]) < 0)
		return -EBADMSG;
	ev->have_node = true;
	return 0;
}

/* One line; 1 after "end". */
static int parse_line(char *line, struct fenceproof_evidence *ev)
{
	char *f[FIELDS_MAX];
	int n = split(line, f);

	if (n < 0)
		return n;
	if (n == 1 && strcmp(f[0], "end") == 0)
		return 1;
	if (n == 6 && strcmp(f[0], "fence") == 0)
		return parse_fence(f, ev);
	if (n == 6 && strcmp(f[0], "node") == 0)
		return parse_node(f, ev);
	return -EBADMSG;
}

int fenceproof_parse(const char *text, const char *target, struct fenceproof_evidence *ret,
		     const char **ret_error)
{
	_cleanup_free_ char *copy = NULL;
	_cleanup_free_ struct fenceproof_evidence *ev = calloc(1, sizeof(*ev));
	char *line, *save = NULL;
	int r = -EBADMSG;

	if (!text || !target || !ret)
		return -EINVAL;
	if (strncmp(text, "error ", 6) == 0) {
		if (ret_error)
			*ret_error = text + 6;
		return -EREMOTEIO;
	}
	copy = strdup(text);
	if (!ev || !copy)
		return -ENOMEM;
	if (copy_word(ev->target, sizeof(ev->target), target) < 0)
		return -EINVAL;
	/* Every line ends with a newline, "end" is the last, nothing after it. */
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (r == 1)
			return -EBADMSG;
		r = parse_line(line, ev);
		if (r < 0)
			return r;
	}
	if (r != 1 || strstr(text, "\n\n") || text[strlen(text) - 1] != '\n')
		return -EBADMSG;
	*ret = *ev;
	return 0;
}

/* The node_state Pacemaker writes after fencing a node, kept until it joins again. */
static bool node_down_since(const struct fenceproof_evidence *ev)
{
	return strcmp(ev->in_ccm, "false") == 0 && strcmp(ev->crmd, "offline") == 0 &&
	       strcmp(ev->expected, "down") == 0;
}

enum fenceproof_verdict fenceproof_decide(const struct lease_rec *rec, const char *me,
					  const struct fenceproof_evidence *ev)
{
	if (rec->state != LEASE_HELD || !rec->owner[0] || strcmp(rec->owner, me) == 0)
		return FENCEPROOF_NOT_FOREIGN;
	/* The query asks about rec's owner only: an answer about anyone else is not trusted. */
	if (strcmp(ev->target, rec->owner) != 0 || ev->foreign_entry ||
	    (ev->have_node && strcmp(ev->uname, rec->owner) != 0))
		return FENCEPROOF_NAME_MISMATCH;
	if (ev->pending)
		return FENCEPROOF_FENCE_PENDING;
	if (ev->fenced_ms == 0)
		return FENCEPROOF_NO_FENCE;
	if (ev->other_ms > ev->fenced_ms)
		return FENCEPROOF_LATER_ACTION;
	if (!ev->have_node)
		return FENCEPROOF_NO_NODE_STATE;
	if (!node_down_since(ev))
		return FENCEPROOF_MEMBER;
	if (rec->renewed_ms >= ev->fenced_ms)
		return FENCEPROOF_RENEWED_AFTER;
	return FENCEPROOF_DEAD;
}

const char *fenceproof_verdict_str(enum fenceproof_verdict v)
{
	switch (v) {
	case FENCEPROOF_DEAD:
		return "fenced, not a member since";
	case FENCEPROOF_NOT_FOREIGN:
		return "not another node's held lease";
	case FENCEPROOF_NAME_MISMATCH:
		return "the cluster's answer names another node";
	case FENCEPROOF_NO_FENCE:
		return "the fencer reports no successful off or reboot of the holder";
	case FENCEPROOF_FENCE_PENDING:
		return "a fence of the holder is still under way";
	case FENCEPROOF_LATER_ACTION:
		return "the fencer acted on the holder again after its last fence";
	case FENCEPROOF_NO_NODE_STATE:
		return "the CIB has no node_state for the holder";
	case FENCEPROOF_MEMBER:
		return "the holder is a member, or joined again, since its last fence";
	case FENCEPROOF_RENEWED_AFTER:
		return "the record was renewed after the fence completed";
	}
	return "unknown";
}
