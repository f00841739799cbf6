/*
 * POP3: +OK greeting, optional STLS, optional USER/PASS, QUIT.
 */
#include <stdio.h>
#include <string.h>

#include "dialog.h"

/* Send line (unless NULL) and expect +OK; -ERR is refused (-EACCES when login is set). */
static int pop3_step(struct conn *c, const char *line, const char *what, bool login, char *text,
		     struct error *err)
{
	const char *reply;
	char buf[GREETING_SIZE];
	int r = line ? conn_send(c, line, what, err) : 0;

	if (r >= 0)
		r = conn_read_line(c, &reply, err);
	if (r >= 0) {
		reply_sanitize(reply, text ? text : buf, GREETING_SIZE);
		r = pop3_line_parse(reply);
		if (r == 0)
			r = error_set(err, login ? EACCES : EPROTO, "refused: '%s'",
				      text ? text : buf);
		else if (r < 0)
			r = error_set(err, EPROTO, "not a POP3 reply: '%s'", text ? text : buf);
	}
	if (r < 0)
		error_prefix(err, "%s", what);
	return r < 0 ? r : 0;
}

static int pop3_login(struct conn *c, const struct probe_credentials *cred, struct error *err)
{
	char line[sizeof(cred->password) + 8];
	int r = dialog_login_allowed(c, err);

	if (r < 0)
		return r;
	snprintf(line, sizeof(line), "USER %s", cred->user);
	r = pop3_step(c, line, "USER", true, NULL, err);
	if (r < 0)
		return r;
	snprintf(line, sizeof(line), "PASS %s", cred->password);
	r = pop3_step(c, line, "PASS", true, NULL, err);
	explicit_bzero(line, sizeof(line));
	return r;
}

int pop3_dialog(struct conn *c, const struct probe_target *t, const struct probe_credentials *cred,
		char *greeting, struct error *err)
{
	int r;

	r = pop3_step(c, NULL, "greeting", false, greeting, err);
	if (r >= 0 && t->starttls) {
		r = pop3_step(c, "STLS", "STLS", false, NULL, err);
		if (r >= 0)
			r = conn_starttls(c, t, err);
	}
	if (r >= 0 && cred)
		r = pop3_login(c, cred, err);
	if (r >= 0)
		r = pop3_step(c, "QUIT", "QUIT", false, NULL, err);
	return r;
}
