/*
 * One server address: scheme://host[:port], the form of ad-fixup's uri and
 * the mail probes' URLs. Exactly one URI: libldap would take a comma- or
 * blank-separated list and connect to whichever answers, so a list is
 * refused before any library sees it. Callers decide everything (TLS, the
 * protocol) from the parsed scheme and pass on uri_format()'s canonical
 * text, so what is checked is what connects.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define URI_HOST_MAX 255
/* "ldapi://" plus a host of URI_HOST_MAX, or the longest scheme, [v6]:port. */
#define URI_TEXT_MAX 320

enum uri_scheme_flags {
	/* The host part is a %-encoded socket path (ldapi://%2Frun%2Fslapd%2Fldapi),
	 * possibly empty (the library's default socket); no port. */
	URI_SOCKET = 1u << 0,
};

struct uri_scheme {
	const char *name; /* lower case; matched in any case, formatted as given here */
	unsigned flags;
};

struct uri {
	unsigned scheme;	     /* index into the caller's table */
	char host[URI_HOST_MAX + 1]; /* a DNS name, canonical IPv4/IPv6 text, or the encoded path */
	bool ipv6;		     /* host is an IPv6 address (brackets when formatted) */
	uint16_t port;		     /* 0: none given */
};

/*
 * Pure. s: scheme://host[:port][/], scheme one of schemes (any case), host
 * a DNS name (labels of letters, digits and inner '-'), a dotted-quad IPv4
 * address or a bracketed IPv6 one (no zone), port 1-65535. Nothing after
 * an optional single '/'. -EINVAL with a message naming the part at fault;
 * *ret untouched then.
 */
int uri_parse(const char *s, const struct uri_scheme *schemes, size_t n, struct uri *ret,
	      struct error *err);

/* A DNS host name as uri_parse() takes it: RFC 1123 labels, not an address. */
bool uri_dns_name_valid(const char *s);

/*
 * Whether u's host is this host's loopback: 127.0.0.0/8, ::1 (or the
 * IPv4-mapped 127/8), or the name localhost. Pure; false for a socket URI
 * (its host is a path: local by nature, and the caller knows the scheme).
 */
bool uri_host_is_loopback(const struct uri *u);

/* The canonical text: the table's scheme name, the host, ":port" when set. */
int uri_format(const struct uri *u, const struct uri_scheme *schemes, size_t n, char *buf,
	       size_t size);
