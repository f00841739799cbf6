/*
 * Probe URLs: scheme://host[:port], host a name, a dotted IPv4 address or
 * a bracketed IPv6 one. Strict, since the same string reaches messages and
 * getaddrinfo(): no user info, path, query or blanks.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "strutil.h"

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

/* Letters, digits, '-' and '.': a DNS name, or the dotted IPv4 form. */
static bool host_name_is_valid(const char *s, size_t n)
{
	if (n == 0 || s[0] == '-' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* What inet_pton() takes as IPv6 (no zone: a probe names a global or loopback address). */
static bool ipv6_literal_is_valid(const char *s, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

/* host part at s, up to ':' or the end; sets *ret_rest to what follows. */
static int host_parse(const char *s, char *host, size_t size, const char **ret_rest)
{
	const char *end;
	size_t n;
	bool ok;

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end)
			return -EINVAL;
		n = (size_t)(end - s - 1);
		ok = ipv6_literal_is_valid(s + 1, n);
		s++;
		*ret_rest = end + 1;
	} else {
		n = strcspn(s, ":");
		ok = host_name_is_valid(s, n);
		*ret_rest = s + n;
	}
	if (!ok || n >= size)
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
}

static int port_parse(const char *s, uint16_t *port)
{
	uint64_t v;

	if (s[0] == '\0')
		return 0;
	if (s[0] != ':' || parse_uint64(s + 1, 1, 65535, &v) < 0)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int probe_target_parse(const char *url, struct probe_target *ret_target, struct error *err)
{
	struct probe_target t = {0};
	const char *sep, *rest;
	size_t i, n;

	if (!url || !ret_target)
		return error_set(err, EINVAL, "no probe URL");
	sep = strstr(url, "://");
	n = sep ? (size_t)(sep - url) : 0;
	for (i = 0; sep && i < ARRAY_SIZE(schemes); i++)
		if (strlen(schemes[i].scheme) == n && strncmp(url, schemes[i].scheme, n) == 0)
			break;
	if (!sep || i == ARRAY_SIZE(schemes))
		return error_set(err, EINVAL,
				 "'%.64s': not a probe URL (smtp://, imap://, pop3://, or "
				 "their +starttls forms, then host[:port])",
				 url);
	t.proto = schemes[i].proto;
	t.starttls = schemes[i].starttls;
	t.port = schemes[i].port;
	if (host_parse(sep + 3, t.host, sizeof(t.host), &rest) < 0)
		return error_set(err, EINVAL, "'%.300s': bad host (a name, a.b.c.d or [IPv6])",
				 url);
	if (port_parse(rest, &t.port) < 0)
		return error_set(err, EINVAL, "'%.300s': bad port (1-65535, nothing after it)",
				 url);
	*ret_target = t;
	return 0;
}

void probe_target_format(const struct probe_target *t, char *buf, size_t size)
{
	bool v6 = strchr(t->host, ':') != NULL;

	snprintf(buf, size, "%s://%s%s%s:%u", probe_scheme(t), v6 ? "[" : "", t->host,
		 v6 ? "]" : "", t->port);
}
