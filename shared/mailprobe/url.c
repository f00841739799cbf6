/*
 * Probe URLs: scheme://host[:port], parsed by shared/uri.c (the parser
 * ad-fixup's uri goes through too): the scheme in any case, one URL, a
 * DNS name, a dotted IPv4 address or a bracketed IPv6 one, since the same
 * string reaches messages and getaddrinfo().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mailprobe.h"
#include "strutil.h"
#include "uri.h"

static const struct {
	const char *scheme;
	enum probe_proto proto;
	bool starttls;
	uint16_t port;
} schemes[] = {
	{"smtp", PROBE_SMTP, false, 25},  {"smtp+starttls", PROBE_SMTP, true, 25},
	{"imap", PROBE_IMAP, false, 143}, {"imap+starttls", PROBE_IMAP, true, 143},
	{"pop3", PROBE_POP3, false, 110}, {"pop3+starttls", PROBE_POP3, true, 110},
};

const char *probe_scheme(const struct probe_target *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(schemes); i++)
		if (schemes[i].proto == t->proto && schemes[i].starttls == t->starttls)
			return schemes[i].scheme;
	return "?";
}

int probe_target_parse(const char *url, struct probe_target *ret_target, struct error *err)
{
	struct uri_scheme names[ARRAY_SIZE(schemes)];
	struct probe_target t = {0};
	struct uri u;

	for (size_t i = 0; i < ARRAY_SIZE(schemes); i++)
		names[i] = (struct uri_scheme){schemes[i].scheme, 0};
	if (uri_parse(url, names, ARRAY_SIZE(names), &u, err) < 0) {
		error_prefix(err, "'%.300s': ", url ? url : "");
		return -EINVAL;
	}
	t.proto = schemes[u.scheme].proto;
	t.starttls = schemes[u.scheme].starttls;
	t.port = u.port ? u.port : schemes[u.scheme].port;
	if (strscpy(t.host, u.host, sizeof(t.host)) < 0)
		return error_set(err, EINVAL, "'%.300s': host too long", url);
	*ret_target = t;
	return 0;
}

void probe_target_format(const struct probe_target *t, char *buf, size_t size)
{
	bool v6 = strchr(t->host, ':') != NULL;

	snprintf(buf, size, "%s://%s%s%s:%u", probe_scheme(t), v6 ? "[" : "", t->host,
		 v6 ? "]" : "", t->port);
}
