/*
 * canary_run: one canary check over two connections, IMAP held open from
 * the cleanup to the delete so the wait for the message is an IDLE (the
 * server tells when mail arrives) rather than a series of logins.
 *
 * The order matters for "nothing left behind": earlier canaries are
 * deleted before a new one is sent, and the new one's tag is searched for
 * exactly, so a late arrival of an old canary is never taken for this one
 * and is deleted by the next check. MAIL FROM:<> (the null sender): a
 * canary that cannot be delivered never comes back as a bounce.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "canary.h"
#include "dialog.h"

/* UIDs one SEARCH yields at most; more old canaries wait for the next check. */
#define CANARY_UIDS_MAX 256
/* The longest wait in one IDLE before searching again, should a notice be missed. */
#define CANARY_IDLE_SLICE_MS 1000
/* Between NOOPs when the server has no IDLE. */
#define CANARY_NOOP_MS 100

struct canary_ctx {
	const struct canary *k;
	struct canary_report *rep;
	struct conn c; /* IMAP */
	struct imap_session s;
	uint32_t uids[CANARY_UIDS_MAX];
	size_t n_uids;
	bool tag_read;			   /* FETCH returned our header line */
	char header[CANARY_TAG_SIZE + 16]; /* "X-Exha-Canary: <tag>" */
};

/* The session's hook: SEARCH results and the FETCHed header line. */
static void canary_untagged(struct imap_session *s, const char *text, bool literal)
{
	struct canary_ctx *x = s->data;

	if (literal) {
		x->tag_read |= strcasecmp(text, x->header) == 0;
		return;
	}
	if (strncasecmp(text, "SEARCH", 6) != 0 || (text[6] != ' ' && text[6] != '\0'))
		return;
	for (const char *p = text + 6; *p == ' ' && x->n_uids < CANARY_UIDS_MAX;) {
		char *end;
		unsigned long v = strtoul(p + 1, &end, 10);

		if (end == p + 1 || v == 0 || v > UINT32_MAX)
			break;
		x->uids[x->n_uids++] = (uint32_t)v;
		p = end;
	}
}

static int canary_search(struct canary_ctx *x, const char *value, struct error *err)
{
	char cmd[CANARY_TAG_SIZE + 64];

	x->n_uids = 0;
	snprintf(cmd, sizeof(cmd), "UID SEARCH HEADER X-Exha-Canary \"%s\"", value);
	return imap_command(&x->s, cmd, "SEARCH", err);
}

/* The UIDs found as an IMAP set "4,7,9". */
static void uid_set(const struct canary_ctx *x, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < x->n_uids && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%" PRIu32, i ? "," : "",
					 x->uids[i]);
}

/* \Deleted on the UIDs found, then expunged: only they with UIDPLUS. */
static int canary_delete(struct canary_ctx *x, struct error *err)
{
	char set[CANARY_UIDS_MAX * 11], cmd[sizeof(set) + 48];
	bool uidplus = imap_has_capability(x->s.caps, "UIDPLUS");
	int r;

	uid_set(x, set, sizeof(set));
	snprintf(cmd, sizeof(cmd), "UID STORE %s +FLAGS.SILENT (\\Deleted)", set);
	r = imap_command(&x->s, cmd, "STORE", err);
	if (r < 0)
		return r;
	snprintf(cmd, sizeof(cmd), "UID EXPUNGE %s", set);
	return imap_command(&x->s, uidplus ? cmd : "EXPUNGE", "EXPUNGE", err);
}

/* Log in, SELECT INBOX, delete this owner's earlier canaries. */
static int canary_clean(struct canary_ctx *x, const struct probe_credentials *cred,
			deadline_t deadline, struct error *err)
{
	char greeting[GREETING_SIZE], prefix[CANARY_OWNER_MAX + 8];
	int r = conn_open(&x->c, x->k->imap, deadline, err);

	x->s = (struct imap_session){.c = &x->c, .untagged = canary_untagged, .data = x};
	if (r >= 0)
		r = imap_open(&x->s, x->k->imap, cred, greeting, err);
	if (r >= 0)
		r = imap_command(&x->s, "SELECT INBOX", "SELECT INBOX", err);
	snprintf(prefix, sizeof(prefix), "v1 %s ", x->k->owner);
	if (r >= 0)
		r = canary_search(x, prefix, err);
	if (r >= 0 && x->n_uids > 0) {
		x->rep->cleaned = (unsigned)x->n_uids;
		r = canary_delete(x, err);
	}
	return r;
}

/* One header or body line of the message, into buf; NULL after the last. */
static const char *canary_line(const struct canary_ctx *x, unsigned i, char *buf, size_t size)
{
	const char *tag = x->rep->tag, *to = x->k->address;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	switch (i) {
	case 0:
		snprintf(buf, size, "From: exha canary <%s>", to);
		return buf;
	case 1:
		snprintf(buf, size, "To: <%s>", to);
		return buf;
	case 2:
		snprintf(buf, size, "Subject: exha canary %s", tag);
		return buf;
	case 3:
		gmtime_r(&now, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
		snprintf(buf, size, "Date: %s", date);
		return buf;
	case 4:
		return "Auto-Submitted: auto-generated";
	case 5:
		return x->header;
	case 6:
		return "";
	case 7:
		return "A check of mail delivery by exha; the check deletes it, or the next one.";
	}
	return NULL;
}

/* SMTP up to the 250 for the message (its text into rep->queued), then QUIT. */
static int canary_submit(struct canary_ctx *x, deadline_t deadline, struct error *err)
{
	_cleanup_conn_ struct conn c = {.fd = -1};
	char greeting[GREETING_SIZE], line[CANARY_ADDRESS_MAX + 64];
	struct smtp_reply rep;
	const char *l;
	int r = conn_open(&c, x->k->smtp, deadline, err);

	if (r >= 0)
		r = smtp_hello(&c, x->k->smtp, greeting, err);
	if (r >= 0)
		r = smtp_step(&c, "MAIL FROM:<>", "MAIL FROM", 250, &rep, err);
	snprintf(line, sizeof(line), "RCPT TO:<%s>", x->k->address);
	if (r >= 0)
		r = smtp_step(&c, line, "RCPT TO", 250, &rep, err);
	if (r >= 0)
		r = smtp_step(&c, "DATA", "DATA", 354, &rep, err);
	for (unsigned i = 0; r >= 0 && (l = canary_line(x, i, line, sizeof(line))); i++)
		r = conn_send(&c, l, "message", err);
	if (r >= 0)
		r = smtp_step(&c, ".", "end of message", 250, &rep, err);
	if (r < 0)
		return r;
	snprintf(x->rep->queued, sizeof(x->rep->queued), "%s", rep.text);
	/* Accepted is what counts: a QUIT that fails changes nothing. */
	(void)smtp_step(&c, "QUIT", "QUIT", 221, &rep, err);
	return 0;
}

/*
 * Until the tag is in INBOX (0) or until passes (1, not found), IDLE (or
 * NOOP) between searches; -errno when IMAP itself fails, which the
 * connection's own later deadline bounds.
 */
static int canary_wait(struct canary_ctx *x, deadline_t until, struct error *err)
{
	bool idle = imap_has_capability(x->s.caps, "IDLE");

	for (;;) {
		int r = canary_search(x, x->rep->tag, err);

		if (r < 0 || x->n_uids > 0)
			return r;
		if (deadline_expired(until))
			return 1;
		if (idle) {
			r = imap_idle(&x->s,
				      deadline_min(until, deadline_in_ms(CANARY_IDLE_SLICE_MS)),
				      err);
		} else {
			(void)poll(NULL, 0, (int)MIN(deadline_remaining_ms(until), CANARY_NOOP_MS));
			r = imap_command(&x->s, "NOOP", "NOOP", err);
		}
		if (r < 0)
			return r;
	}
}

/* FETCH the tag header of what the search found: the store serves the message. */
static int canary_read(struct canary_ctx *x, struct error *err)
{
	char cmd[64];
	int r;

	snprintf(cmd, sizeof(cmd),
		 "UID FETCH %" PRIu32 " (BODY.PEEK[HEADER.FIELDS (X-Exha-Canary)])", x->uids[0]);
	r = imap_command(&x->s, cmd, "FETCH", err);
	if (r >= 0 && !x->tag_read)
		r = error_set(err, EPROTO, "FETCH of UID %" PRIu32 " did not return '%s'",
			      x->uids[0], x->header);
	return r;
}

static int canary_tag_new(struct canary_ctx *x)
{
	uint64_t rnd;
	int r;

	/* Unique, not secret: the clock will do should the pool not be ready. */
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = now_us() ^ ((uint64_t)getpid() << 40);
	r = canary_tag_format(x->k->owner, (uint64_t)time(NULL), rnd, x->rep->tag,
			      sizeof(x->rep->tag));
	if (r >= 0)
		snprintf(x->header, sizeof(x->header), "X-Exha-Canary: %s", x->rep->tag);
	return r;
}

/* err as "<step> at <url>: <what went wrong>". */
static int step_failed(enum canary_step step, const struct probe_target *t, int r,
		       struct error *err)
{
	char url[300];

	probe_target_format(t, url, sizeof(url));
	error_prefix(err, "%s at %s", canary_step_name(step), url);
	return r;
}

/* Submitted: wait for it, read it, delete it. */
static int canary_follow(struct canary_ctx *x, deadline_t deadline, struct error *err)
{
	const struct canary *k = x->k;
	uint64_t t = now_us(), *us = x->rep->step_us;
	char smtp[300], imap[300];
	/* Most of what is left to wait in; the rest for the read and delete. */
	int r = canary_wait(x, deadline_share(deadline, 90, 0), err);

	us[CANARY_DELIVER] = now_us() - t;
	probe_target_format(k->smtp, smtp, sizeof(smtp));
	probe_target_format(k->imap, imap, sizeof(imap));
	if (r > 0)
		return error_set(err, ETIME,
				 "deliver: accepted by %s ('%s'), not in INBOX at %s after %.1f s",
				 smtp, x->rep->queued, imap, (double)us[CANARY_DELIVER] / 1e6);
	if (r < 0) {
		error_prefix(err, "deliver: accepted by %s ('%s'), then at %s", smtp,
			     x->rep->queued, imap);
		return r;
	}
	t = now_us();
	r = canary_read(x, err);
	us[CANARY_READ] = now_us() - t;
	if (r < 0)
		return step_failed(CANARY_READ, k->imap, r, err);
	t = now_us();
	r = canary_delete(x, err);
	us[CANARY_DELETE] = now_us() - t;
	if (r < 0)
		return step_failed(CANARY_DELETE, k->imap, r, err);
	(void)imap_command(&x->s, "LOGOUT", "LOGOUT", err);
	return 0;
}

int canary_run(const struct canary *k, const struct probe_credentials *cred, deadline_t deadline,
	       struct canary_report *ret, struct error *err)
{
	struct canary_ctx x = {.k = k, .rep = ret, .c = {.fd = -1}};
	uint64_t t;
	int r;

	if (!k || !ret || !k->smtp || !k->imap || k->smtp->proto != PROBE_SMTP ||
	    k->imap->proto != PROBE_IMAP || canary_address_check(k->address) < 0)
		return error_set(err, EINVAL,
				 "no canary: an smtp:// and an imap:// target and "
				 "an address local@domain are needed");
	*ret = (struct canary_report){{0}};
	r = canary_tag_new(&x);
	if (r < 0)
		return error_set(err, EINVAL, "no canary tag for owner '%s'", k->owner);
	t = now_us();
	r = canary_clean(&x, cred, deadline, err);
	ret->step_us[CANARY_CLEAN] = now_us() - t;
	if (r < 0)
		r = step_failed(CANARY_CLEAN, k->imap, r, err);
	if (r >= 0) {
		t = now_us();
		r = canary_submit(&x, deadline, err);
		ret->step_us[CANARY_SUBMIT] = now_us() - t;
		if (r < 0)
			r = step_failed(CANARY_SUBMIT, k->smtp, r, err);
	}
	if (r >= 0)
		r = canary_follow(&x, deadline, err);
	conn_close(&x.c);
	return r;
}
