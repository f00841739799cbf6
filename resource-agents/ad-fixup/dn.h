/*
 * Server names inside directory strings, matched and rewritten as whole
 * values, never substrings: in an LDAP DN (RFC 4514) only the server's own
 * RDN, the CN=<name> directly above CN=Servers, is a server name; in an
 * Exchange legacy DN (/o=Org/ou=Group/cn=Configuration/cn=Servers/cn=EX1)
 * only the cn= component after cn=Servers is. "EX1" never matches "EX10",
 * "EX1\2C", or a user who happens to be called EX1.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* A usable server name: 1 to 15 letters, digits or '-' (a NetBIOS name). */
bool server_name_valid(const char *name);

/* One RDN of a DN being walked; the spans point into the DN. */
struct dn_rdn {
	const char *type; /* attribute type of the first AVA */
	size_t type_len;
	const char *value; /* raw (still escaped) value of the first AVA */
	size_t value_len;
	bool multi; /* more than one AVA ("CN=a+UID=b"): never a server name */
};

/*
 * Parse the RDN at *p and move *p past it (and its ','). 1 with an RDN, 0 at
 * the end, -EINVAL when the text is not a valid DN.
 */
int dn_next_rdn(const char **p, struct dn_rdn *ret);

/* Whether dn is a syntactically valid DN (the empty DN is). */
bool dn_valid(const char *dn);

/* Whether the RDN is "CN=<name>" (single-valued, escapes decoded, ASCII case ignored). */
bool dn_rdn_is_cn(const struct dn_rdn *rdn, const char *name);

/* 1 when dn is, or lies under, the server object of name; 0 when not; -EINVAL when invalid. */
int dn_under_server(const char *dn, const char *name);

/*
 * A copy of dn with the server RDN CN=<from> turned into CN=<to> (to must be
 * server_name_valid). 1 and *ret (free it) when rewritten; 0 and *ret NULL
 * when dn does not name server from; -EINVAL when dn is not a valid DN.
 */
int dn_rewrite_server(const char *dn, const char *from, const char *to, char **ret);

/* The same for a legacy DN ("/o=.../cn=Servers/cn=<from>"). */
int legdn_rewrite_server(const char *legdn, const char *from, const char *to, char **ret);
