/*
 * IMAP: "* OK" greeting, CAPABILITY, optional STARTTLS (and CAPABILITY
 * again: the list may change under TLS), optional LOGIN, LOGOUT. Untagged
 * data (and literals in it) is read past until the command's tagged
 * completion, shown to the session's hook on the way (the canary's SEARCH
 * and FETCH results).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dialog.h"

/* Untagged lines one command may bring at most. */
#define IMAP_UNTAGGED_MAX 1024

/*
 * The lines of a literal of size bytes, each handed to the session's hook,
 * then the rest of the response it was part of (")", or text that
 * announces another literal). The literals asked for here are header
 * fields, which end in CRLF; should one end inside a line, that line's
 * tail is taken as the rest of the response.
 */
static int imap_literal_read(struct imap_session *s, long size, struct error *err)
{
	const char *line = "";

	while (size >= 0) {
		int r = 0;

		if (size > IMAP_LITERAL_MAX)
			return error_set(err, EPROTO, "a literal of more than %d bytes",
					 IMAP_LITERAL_MAX);
		while (size > 0 && r >= 0) {
			r = conn_read_line(s->c, &line, err);
			if (r >= 0 && s->untagged)
				s->untagged(s, line, true);
			size -= (long)strlen(line) + 2;
		}
		if (r >= 0 && size == 0)
			r = conn_read_line(s->c, &line, err);
		if (r < 0)
			return r;
		size = imap_literal_size(line);
	}
	return 0;
}

/* The tagged completion of the command just sent; keeps CAPABILITY data. */
static int imap_complete(struct imap_session *s, const char *tag, bool bye_ok,
			 enum imap_status *ret_status, char *text, struct error *err)
{
	for (unsigned i = 0; i < IMAP_UNTAGGED_MAX; i++) {
		enum imap_status st;
		const char *line, *rest;
		bool tagged;
		int r = conn_read_line(s->c, &line, err);

		if (r < 0)
			return r;
		reply_sanitize(line, text, GREETING_SIZE);
		if (imap_line_parse(line, tag, &tagged, &st, &rest) < 0)
			return error_set(err, EPROTO, "not an IMAP response: '%s'", text);
		if (tagged) {
			*ret_status = st;
			return 0;
		}
		if (st == IMAP_BYE && !bye_ok)
			return error_set(err, EPROTO, "the server said goodbye: '%s'", text);
		if (st == IMAP_OTHER && strncasecmp(rest, "CAPABILITY ", 11) == 0)
			snprintf(s->caps, sizeof(s->caps), "%s", rest + 11);
		else if (st == IMAP_OTHER && s->untagged)
			s->untagged(s, rest, false);
		if (imap_literal_size(line) >= 0) {
			r = imap_literal_read(s, imap_literal_size(line), err);
			if (r < 0)
				return r;
		}
	}
	return error_set(err, EPROTO, "more than %d untagged responses", IMAP_UNTAGGED_MAX);
}

int imap_command(struct imap_session *s, const char *cmd, const char *what, struct error *err)
{
	char tag[16], line[REPLY_LINE_MAX], text[GREETING_SIZE];
	enum imap_status st = IMAP_BAD;
	bool login = strcmp(what, "LOGIN") == 0;
	int r;

	snprintf(tag, sizeof(tag), "x%u", ++s->next_tag);
	if ((size_t)snprintf(line, sizeof(line), "%s %s", tag, cmd) >= sizeof(line))
		return error_set(err, EINVAL, "%s: command too long", what);
	r = conn_send(s->c, line, what, err);
	explicit_bzero(line, sizeof(line));
	if (r < 0)
		return r;
	r = imap_complete(s, tag, strcmp(what, "LOGOUT") == 0, &st, text, err);
	if (r >= 0 && st != IMAP_OK)
		r = error_set(err, st == IMAP_NO && login ? EACCES : EPROTO, "refused: '%s'", text);
	if (r < 0)
		error_prefix(err, "%s", what);
	return r;
}

static int imap_greeting(struct imap_session *s, char *greeting, struct error *err)
{
	enum imap_status st;
	const char *line, *rest;
	bool tagged;
	int r = conn_read_line(s->c, &line, err);

	if (r >= 0) {
		reply_sanitize(line, greeting, GREETING_SIZE);
		r = imap_line_parse(line, "", &tagged, &st, &rest);
		if (r < 0 || (st != IMAP_OK && st != IMAP_PREAUTH))
			r = error_set(err, EPROTO, "expected '* OK', got '%s'", greeting);
	}
	if (r < 0)
		error_prefix(err, "greeting");
	return r;
}

/* A string as an IMAP quoted string (the credentials hold no CR, LF or NUL). */
static void imap_quote(const char *s, char *out, size_t size)
{
	size_t n = 0;

	out[n++] = '"';
	for (; *s && n + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
}

static int imap_login(struct imap_session *s, const struct probe_credentials *cred,
		      struct error *err)
{
	char user[2 * sizeof(cred->user) + 2], pass[2 * sizeof(cred->password) + 2];
	char cmd[sizeof(user) + sizeof(pass) + 8];
	int r = dialog_login_allowed(s->c, err);

	if (r < 0)
		return r;
	if (imap_has_capability(s->caps, "LOGINDISABLED"))
		return error_set(err, EACCES,
				 "LOGIN: the server disables LOGIN here "
				 "(LOGINDISABLED)");
	imap_quote(cred->user, user, sizeof(user));
	imap_quote(cred->password, pass, sizeof(pass));
	snprintf(cmd, sizeof(cmd), "LOGIN %s %s", user, pass);
	r = imap_command(s, cmd, "LOGIN", err);
	explicit_bzero(pass, sizeof(pass));
	explicit_bzero(cmd, sizeof(cmd));
	return r;
}

static int imap_capability(struct imap_session *s, struct error *err)
{
	int r;

	s->caps[0] = '\0';
	r = imap_command(s, "CAPABILITY", "CAPABILITY", err);
	if (r >= 0 && !imap_has_capability(s->caps, "IMAP4rev1"))
		r = error_set(err, EPROTO, "CAPABILITY: no IMAP4rev1 in the server's list");
	return r;
}

int imap_open(struct imap_session *s, const struct probe_target *t,
	      const struct probe_credentials *cred, char *greeting, struct error *err)
{
	int r;

	r = imap_greeting(s, greeting, err);
	if (r >= 0)
		r = imap_capability(s, err);
	if (r >= 0 && t->starttls) {
		if (!imap_has_capability(s->caps, "STARTTLS"))
			return error_set(err, EPROTO,
					 "CAPABILITY: the server does not offer STARTTLS");
		r = imap_command(s, "STARTTLS", "STARTTLS", err);
		if (r >= 0)
			r = conn_starttls(s->c, t, err);
		if (r >= 0)
			r = imap_capability(s, err);
	}
	if (r >= 0 && cred)
		r = imap_login(s, cred, err);
	return r;
}

int imap_dialog(struct conn *c, const struct probe_target *t, const struct probe_credentials *cred,
		char *greeting, struct error *err)
{
	struct imap_session s = {.c = c};
	int r = imap_open(&s, t, cred, greeting, err);

	if (r >= 0)
		r = imap_command(&s, "LOGOUT", "LOGOUT", err);
	return r;
}

/*
 * IDLE until the server announces new mail ("* n EXISTS": 1) or until
 * (0), then DONE and the command's completion within the connection's own
 * deadline. until only ends the wait: a missed announcement costs one
 * slice, not the check.
 */
int imap_idle(struct imap_session *s, deadline_t until, struct error *err)
{
	deadline_t whole = s->c->deadline;
	const char *line;
	char tag[16], cmd[32], text[GREETING_SIZE];
	enum imap_status st = IMAP_BAD;
	int r, news = 0;

	snprintf(tag, sizeof(tag), "x%u", ++s->next_tag);
	snprintf(cmd, sizeof(cmd), "%s IDLE", tag);
	r = conn_send(s->c, cmd, "IDLE", err);
	if (r >= 0)
		r = conn_read_line(s->c, &line, err);
	if (r >= 0 && line[0] != '+') {
		reply_sanitize(line, text, sizeof(text));
		r = error_set(err, EPROTO, "IDLE: refused: '%s'", text);
	}
	s->c->deadline = deadline_min(whole, until);
	while (r >= 0 && news == 0) {
		r = conn_read_line(s->c, &line, err);
		if (r >= 0 && line[0] == '*' && strlen(line) > 7 &&
		    strcasecmp(line + strlen(line) - 7, " EXISTS") == 0)
			news = 1;
	}
	s->c->deadline = whole;
	if (r == -ETIME)
		r = 0;
	if (r >= 0)
		r = conn_send(s->c, "DONE", "DONE", err);
	if (r >= 0)
		r = imap_complete(s, tag, false, &st, text, err);
	if (r >= 0 && st != IMAP_OK)
		r = error_set(err, EPROTO, "IDLE: refused: '%s'", text);
	return r < 0 ? r : news;
}
