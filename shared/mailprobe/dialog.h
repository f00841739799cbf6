/*
 * The three protocol dialogs over an open connection. Each checks the
 * greeting, optionally starts TLS and logs in, and says goodbye; on success
 * greeting holds the server's first line, sanitized for messages.
 */
#pragma once

#include "conn.h"
#include "mailprobe.h"

#define GREETING_SIZE 160

struct imap_session {
	struct conn *c;
	unsigned next_tag;
	char caps[REPLY_LINE_MAX + 1]; /* the last "* CAPABILITY" list */
	/*
	 * NULL, or called with the text after "* " of each untagged response
	 * that is not a status or CAPABILITY ("SEARCH 4 7", "3 EXISTS"), and
	 * with each line of a literal (literal true).
	 */
	void (*untagged)(struct imap_session *s, const char *text, bool literal);
	void *data; /* the hook's */
};

/* Greeting, CAPABILITY, optional STARTTLS and LOGIN: ready for commands. */
int imap_open(struct imap_session *s, const struct probe_target *t,
	      const struct probe_credentials *cred, char *greeting, struct error *err);

/*
 * Send "<tag> cmd" and expect its tagged OK; NO is -EACCES for LOGIN, else
 * -EPROTO. what names the command in messages (never the line itself).
 */
int imap_command(struct imap_session *s, const char *cmd, const char *what, struct error *err);

struct smtp_reply {
	unsigned code;
	bool starttls;		  /* an EHLO reply line offers STARTTLS */
	char text[GREETING_SIZE]; /* first line, sanitized */
};

/* Send line (unless NULL), read the whole reply, expect code; errors start with what. */
int smtp_step(struct conn *c, const char *line, const char *what, unsigned code,
	      struct smtp_reply *rep, struct error *err);

/* Greeting, EHLO, optional STARTTLS and EHLO again: ready for MAIL FROM. */
int smtp_hello(struct conn *c, const struct probe_target *t, char *greeting, struct error *err);

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

/*
 * IDLE until the server announces new mail (1) or until passes (0), then
 * DONE; -errno. Only when the server lists IDLE among its capabilities.
 */
int imap_idle(struct imap_session *s, deadline_t until, struct error *err);
