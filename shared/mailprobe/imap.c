/*
 * IMAP: "* OK" greeting, CAPABILITY, optional STARTTLS (and CAPABILITY
 * again: the list may change under TLS), optional LOGIN, LOGOUT. Untagged
 * data is read past until the command's tagged completion.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dialog.h"

struct imap_session {
	struct conn *c;
	unsigned next_tag;
	char caps[REPLY_LINE_MAX + 1]; /* the last "* CAPABILITY" list */
};

/* Untagged lines one command may bring at most. */
#define IMAP_UNTAGGED_MAX 1024

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
	}
	return error_set(err, EPROTO, "more than %d untagged responses", IMAP_UNTAGGED_MAX);
}

/* Send "<tag> cmd" and expect OK; NO is -EACCES for a login, else -EPROTO. */
static int imap_command(struct imap_session *s, const char *cmd, const char *what,
			struct error *err)
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

int imap_dialog(struct conn *c, const struct probe_target *t, const struct probe_credentials *cred,
		char *greeting, struct error *err)
{
	struct imap_session s = {.c = c};
	int r;

	r = imap_greeting(&s, greeting, err);
	if (r >= 0)
		r = imap_capability(&s, err);
	if (r >= 0 && t->starttls) {
		if (!imap_has_capability(s.caps, "STARTTLS"))
			return error_set(err, EPROTO,
					 "CAPABILITY: the server does not offer STARTTLS");
		r = imap_command(&s, "STARTTLS", "STARTTLS", err);
		if (r >= 0)
			r = conn_starttls(c, t, err);
		if (r >= 0)
			r = imap_capability(&s, err);
	}
	if (r >= 0 && cred)
		r = imap_login(&s, cred, err);
	if (r >= 0)
		r = imap_command(&s, "LOGOUT", "LOGOUT", err);
	return r;
}
