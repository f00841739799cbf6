/*
 * probe_run: connect, run the target's protocol dialog, close. Messages
 * start with the target's URL, so a caller can log err as it is.
 */
#include <stdio.h>
#include <string.h>

#include "dialog.h"

int dialog_login_allowed(const struct conn *c, struct error *err)
{
	if (c->tls || c->loopback)
		return 0;
	return error_set(err, EPERM,
			 "login: not sending a password in cleartext to a "
			 "non-loopback address (use +starttls)");
}

static int probe_dialog(struct conn *c, const struct probe_target *t,
			const struct probe_credentials *cred, char *greeting, struct error *err)
{
	switch (t->proto) {
	case PROBE_SMTP:
		return smtp_dialog(c, t, greeting, err);
	case PROBE_IMAP:
		return imap_dialog(c, t, cred, greeting, err);
	case PROBE_POP3:
		return pop3_dialog(c, t, cred, greeting, err);
	}
	return error_set(err, EINVAL, "unknown protocol %d", (int)t->proto);
}

int probe_run(const struct probe_target *t, const struct probe_credentials *cred,
	      deadline_t deadline, struct error *err)
{
	_cleanup_conn_ struct conn c = {.fd = -1};
	char greeting[GREETING_SIZE] = "";
	char url[300];
	int r;

	if (!t || t->port == 0 || t->host[0] == '\0')
		return error_set(err, EINVAL, "no probe target");
	probe_target_format(t, url, sizeof(url));
	r = conn_open(&c, t, deadline, err);
	if (r >= 0)
		r = probe_dialog(&c, t, cred, greeting, err);
	if (r < 0) {
		error_prefix(err, "%s", url);
		return r;
	}
	error_set(err, 0, "%s", greeting);
	return 0;
}
