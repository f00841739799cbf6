/*
 * SMTP: 220 greeting, EHLO, optional STARTTLS and a second EHLO, QUIT.
 * Multi-line replies ("250-...", "250 ...") are read whole; every line of
 * one reply must carry the same code.
 */
#include <stdio.h>
#include <string.h>

#include "dialog.h"

/* Lines of one reply we read at most: a reply without end is a broken server. */
#define SMTP_REPLY_LINES_MAX 256

static int smtp_reply_read(struct conn *c, struct smtp_reply *rep, struct error *err)
{
	*rep = (struct smtp_reply){0};
	for (unsigned i = 0; i < SMTP_REPLY_LINES_MAX; i++) {
		const char *line;
		unsigned code;
		bool last;
		int r = conn_read_line(c, &line, err);

		if (r < 0)
			return r;
		if (i == 0)
			reply_sanitize(line, rep->text, sizeof(rep->text));
		if (smtp_line_parse(line, &code, &last) < 0 || (i > 0 && code != rep->code)) {
			char bad[GREETING_SIZE];

			reply_sanitize(line, bad, sizeof(bad));
			return error_set(err, EPROTO, "not an SMTP reply: '%s'", bad);
		}
		rep->code = code;
		rep->starttls |= smtp_line_has_keyword(line, "STARTTLS");
		if (last)
			return 0;
	}
	return error_set(err, EPROTO, "reply longer than %d lines", SMTP_REPLY_LINES_MAX);
}

int smtp_step(struct conn *c, const char *line, const char *what, unsigned code,
	      struct smtp_reply *rep, struct error *err)
{
	int r = line ? conn_send(c, line, what, err) : 0;

	if (r >= 0)
		r = smtp_reply_read(c, rep, err);
	if (r >= 0 && rep->code != code)
		r = error_set(err, EPROTO, "expected %u, got '%s'", code, rep->text);
	if (r < 0)
		error_prefix(err, "%s", what);
	return r;
}

static int smtp_ehlo(struct conn *c, struct smtp_reply *rep, struct error *err)
{
	char line[80];

	snprintf(line, sizeof(line), "EHLO %s", c->helo);
	return smtp_step(c, line, "EHLO", 250, rep, err);
}

static int smtp_starttls(struct conn *c, const struct probe_target *t, struct smtp_reply *rep,
			 struct error *err)
{
	int r;

	if (!rep->starttls)
		return error_set(err, EPROTO, "EHLO: the server does not offer STARTTLS");
	r = smtp_step(c, "STARTTLS", "STARTTLS", 220, rep, err);
	if (r < 0)
		return r;
	r = conn_starttls(c, t, err);
	if (r < 0)
		return r;
	return smtp_ehlo(c, rep, err);
}

int smtp_hello(struct conn *c, const struct probe_target *t, char *greeting, struct error *err)
{
	struct smtp_reply rep;
	int r;

	r = smtp_step(c, NULL, "greeting", 220, &rep, err);
	if (r < 0)
		return r;
	memcpy(greeting, rep.text, GREETING_SIZE);
	r = smtp_ehlo(c, &rep, err);
	if (r >= 0 && t->starttls)
		r = smtp_starttls(c, t, &rep, err);
	return r;
}

int smtp_dialog(struct conn *c, const struct probe_target *t, char *greeting, struct error *err)
{
	struct smtp_reply rep;
	int r = smtp_hello(c, t, greeting, err);

	if (r >= 0)
		r = smtp_step(c, "QUIT", "QUIT", 221, &rep, err);
	return r;
}
