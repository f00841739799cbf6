/*
 * The three protocol dialogs over an open connection. Each checks the
 * greeting, optionally starts TLS and logs in, and says goodbye; on success
 * greeting holds the server's first line, sanitized for messages.
 */
#pragma once

#include "conn.h"
#include "mailprobe.h"

#define GREETING_SIZE 160

int smtp_dialog(struct conn *c, const struct probe_target *t, char *greeting, struct error *err);
int imap_dialog(struct conn *c, const struct probe_target *t, const struct probe_credentials *cred,
		char *greeting, struct error *err);
int pop3_dialog(struct conn *c, const struct probe_target *t, const struct probe_credentials *cred,
		char *greeting, struct error *err);

/*
 * Whether a password may be sent on c: only under TLS or to a loopback
 * peer, where no network sees it. -EPERM with a message otherwise.
 */
int dialog_login_allowed(const struct conn *c, struct error *err);
