/*
 * libmailprobe, the mail protocol probes: whether an SMTP, IMAP or POP3
 * server really serves mail, not just whether its process runs. Used by
 * the exha-mail-probe command-line check and by ocf:exha:service-set's
 * level-10 monitor; a library of its own in shared/ so that nothing else
 * links it.
 *
 * Every step (name lookup of a numeric address, connect, greeting, each
 * command and reply, the TLS handshake) is bounded by the caller's deadline,
 * on a non-blocking socket with poll(). Nothing forks, nothing logs: err
 * carries one line for the caller to log.
 *
 * TLS (STARTTLS) needs OpenSSL, which this library loads with dlopen() only
 * when a target asks for it, so a monitor that probes cleartext never pays
 * for libssl and libcrypto at exec (see README.md, "mail-probe").
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "error.h"

enum probe_proto { PROBE_SMTP, PROBE_IMAP, PROBE_POP3 };

struct probe_target {
	enum probe_proto proto;
	char host[256]; /* numeric IPv4/IPv6 address or a host name */
	uint16_t port;	/* default per scheme when the URL has none: 25, 143, 110 */
	bool starttls;	/* smtp+starttls://, imap+starttls://, pop3+starttls:// */
	/*
	 * CA certificates (PEM file) the server's certificate must chain to;
	 * NULL (as probe_target_parse leaves it): the system's trust store.
	 * The peer is always verified, its name or address too. Not owned.
	 */
	const char *ca_file;
};

struct probe_credentials {
	char user[256];
	char password[256];
};

/*
 * Pure: "smtp://127.0.0.1:25", "imap://[2001:db8::1]:143",
 * "pop3+starttls://mail.example.org", ... -EINVAL + message otherwise.
 * Exactly one URL (shared/uri.h): the scheme in any case, no user,
 * password, path, query or fragment (a lone trailing '/' is allowed).
 */
int probe_target_parse(const char *url, struct probe_target *ret_target, struct error *err);

/*
 * Connect and run the protocol's check within deadline; cred NULL = no login.
 * 0 when healthy, and err then holds the server's greeting ("220 mx ESMTP");
 * -ECONNREFUSED, -ETIME (timed out), -EPROTO (wrong greeting, bad reply,
 * TLS failure: message starts "TLS"), -EACCES (login refused), -EPERM (a
 * password would cross a non-loopback network in cleartext: not sent),
 * -ELIBACC (STARTTLS asked, OpenSSL not loadable), other -errno; err says
 * which step failed and what the server said. Never the password.
 */
int probe_run(const struct probe_target *t, const struct probe_credentials *cred,
	      deadline_t deadline, struct error *err);

/*
 * Credentials from a root-only file, two lines:
 *     user=<name>
 *     password=<secret>
 * (blank lines and lines starting with '#' ignored; no other keys, each key
 * once, values without control characters, at most 255 bytes). Refuses a
 * file that is not a regular file owned by root, or that grants group or
 * others any access (-EPERM). The caller should explicit_bzero() *ret.
 */
int probe_credentials_read(const char *path, struct probe_credentials *ret, struct error *err);

/* "smtp", "imap+starttls", ... for messages. */
const char *probe_scheme(const struct probe_target *t);

/* The target as a URL again ("imap://[2001:db8::1]:143"), cut to fit size. */
void probe_target_format(const struct probe_target *t, char *buf, size_t size);
