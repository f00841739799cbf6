/*
 * Parsing one server URI (see uri.h). Strict because the same text reaches
 * libldap or getaddrinfo(): inet_aton() reads "0x7f.1" or "010.0.0.1" as
 * addresses nobody meant, so numeric hosts must be plain dotted quads and
 * are passed on in inet_ntop()'s form.
 */
#include "uri.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "strutil.h"

#define SCHEME_MAX 32

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The scheme before "://", matched in any case; its index, or -EINVAL. */
static int scheme_find(const char *s, size_t len, const struct uri_scheme *schemes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(schemes[i].name) == len && strncasecmp(s, schemes[i].name, len) == 0)
			return (int)i;
	return -EINVAL;
}

/* a.b.c.d, each 0-255 without leading zeros: what every resolver reads alike. */
static bool ipv4_is_strict(const char *s)
{
	unsigned parts = 0;

	while (*s) {
		unsigned v = 0, digits = 0;

		for (; is_digit(*s); s++, digits++) {
			v = v * 10 + (unsigned)(*s - '0');
			if (digits > 2 || v > 255)
				return false;
		}
		if (digits == 0 || (digits > 1 && s[-(int)digits] == '0'))
			return false;
		parts++;
		if (*s == '.' && s[1] != '\0')
			s++;
		else if (*s)
			return false;
	}
	return parts == 4;
}

/* RFC 1123 labels; never a name inet_aton() would take for an address. */
bool uri_host_is_loopback(const struct uri *u)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (!u)
		return false;
	if (u->ipv6) {
		if (inet_pton(AF_INET6, u->host, &a6) != 1)
			return false;
		return IN6_IS_ADDR_LOOPBACK(&a6) ||
		       (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	}
	if (inet_pton(AF_INET, u->host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return strcasecmp(u->host, "localhost") == 0;
}

bool uri_dns_name_valid(const char *s)
{
	size_t len = s ? strlen(s) : 0, label = 0;
	struct in_addr a;

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char c = s[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (is_alnum(c) || (c == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return inet_aton(s, &a) == 0;
}

/* %XX-encoded absolute socket path ("" for the default socket). */
static bool socket_path_is_valid(const char *s)
{
	if (s[0] == '\0')
		return true;
	if (strncasecmp(s, "%2F", 3) != 0)
		return false;
	for (; *s; s++) {
		if (*s == '%') {
			if (!is_hex(s[1]) || !is_hex(s[2]) || (s[1] == '0' && s[2] == '0'))
				return false;
			s += 2;
		} else if (!is_alnum(*s) && !strchr("-._~", *s)) {
			return false;
		}
	}
	return true;
}

/* host (brackets removed) into u: canonical text for addresses. */
static int host_set(struct uri *u, const char *host, bool bracketed, bool socket)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a6;
	struct in_addr a4;

	if (socket)
		return !bracketed && socket_path_is_valid(host)
			       ? strscpy(u->host, host, sizeof(u->host))
			       : -EINVAL;
	if (bracketed) {
		if (inet_pton(AF_INET6, host, &a6) != 1 ||
		    !inet_ntop(AF_INET6, &a6, buf, sizeof(buf)))
			return -EINVAL;
		u->ipv6 = true;
		return strscpy(u->host, buf, sizeof(u->host));
	}
	if (host[strspn(host, "0123456789.")] == '\0') {
		if (!ipv4_is_strict(host) || inet_pton(AF_INET, host, &a4) != 1 ||
		    !inet_ntop(AF_INET, &a4, buf, sizeof(buf)))
			return -EINVAL;
		return strscpy(u->host, buf, sizeof(u->host));
	}
	return uri_dns_name_valid(host) ? strscpy(u->host, host, sizeof(u->host)) : -EINVAL;
}

/* Split authority at s into host (brackets off) and what follows it. */
static int host_split(const char *s, char *host, size_t size, bool *ret_bracketed,
		      const char **ret_rest)
{
	const char *end;
	bool bracketed = s[0] == '[';

	if (bracketed) {
		end = strchr(s, ']');
		if (!end)
			return -EINVAL;
		s++;
	} else {
		end = s + strcspn(s, ":/");
	}
	if ((size_t)(end - s) >= size)
		return -EINVAL;
	memcpy(host, s, (size_t)(end - s));
	host[end - s] = '\0';
	*ret_bracketed = bracketed;
	*ret_rest = bracketed ? end + 1 : end;
	return 0;
}

/* [:port][/] and nothing more. */
static int tail_parse(const char *s, bool socket, uint16_t *ret_port)
{
	char digits[6];
	size_t n;
	uint64_t v;

	if (s[0] == ':') {
		n = strspn(s + 1, "0123456789");
		if (socket || n == 0 || n >= sizeof(digits) || s[1] == '0')
			return -EINVAL;
		memcpy(digits, s + 1, n);
		digits[n] = '\0';
		if (parse_uint64(digits, 1, 65535, &v) < 0)
			return -EINVAL;
		*ret_port = (uint16_t)v;
		s += 1 + n;
	}
	if (s[0] == '/')
		s++;
	return s[0] == '\0' ? 0 : -EINVAL;
}

static void schemes_list(const struct uri_scheme *schemes, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		int k = snprintf(buf + len, size - len, "%s%s://", i ? ", " : "", schemes[i].name);

		if (k < 0)
			break;
		len += (size_t)k;
	}
}

int uri_parse(const char *s, const struct uri_scheme *schemes, size_t n, struct uri *ret,
	      struct error *err)
{
	struct uri u = {0};
	char host[URI_HOST_MAX + 1], names[256];
	const char *sep, *rest;
	bool bracketed, socket;
	int i;

	if (!s || !schemes || !ret)
		return error_set(err, EINVAL, "no URI");
	if (strpbrk(s, ", \t\r\n"))
		return error_set(err, EINVAL, "must be exactly one URI, not a list");
	sep = strstr(s, "://");
	i = sep && sep - s < SCHEME_MAX ? scheme_find(s, (size_t)(sep - s), schemes, n) : -EINVAL;
	if (i < 0) {
		schemes_list(schemes, n, names, sizeof(names));
		return error_set(err, EINVAL, "must start with one of %s", names);
	}
	u.scheme = (unsigned)i;
	socket = schemes[i].flags & URI_SOCKET;
	if (host_split(sep + 3, host, sizeof(host), &bracketed, &rest) < 0 ||
	    host_set(&u, host, bracketed, socket) < 0)
		return error_set(err, EINVAL,
				 socket ? "bad socket path (%%2F-encoded, absolute)"
					: "bad host (a DNS name, a.b.c.d or [IPv6])");
	if (tail_parse(rest, socket, &u.port) < 0)
		return error_set(err, EINVAL, "bad port (1-65535) or something after the host");
	*ret = u;
	return 0;
}

int uri_format(const struct uri *u, const struct uri_scheme *schemes, size_t n, char *buf,
	       size_t size)
{
	char port[8] = "";
	int k;

	if (!u || !schemes || u->scheme >= n || !buf || size == 0)
		return -EINVAL;
	if (u->port)
		snprintf(port, sizeof(port), ":%u", u->port);
	k = snprintf(buf, size, "%s://%s%s%s%s", schemes[u->scheme].name, u->ipv6 ? "[" : "",
		     u->host, u->ipv6 ? "]" : "", port);
	return k < 0 || (size_t)k >= size ? -ENAMETOOLONG : 0;
}
