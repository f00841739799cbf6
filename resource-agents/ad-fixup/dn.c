/*
 * A strict RFC 4514 DN walker (own code rather than ldap_str2dn so that the
 * planner and its tests need no libldap), and whole-value rewriting of
 * server names in DNs and Exchange legacy DNs. Rewriting copies the DN
 * byte for byte except the one value replaced, so the rest keeps the
 * spelling the directory gave it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dn.h"

#define SERVER_NAME_MAX 15

bool server_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len > SERVER_NAME_MAX || name[0] == '-' || name[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool is_special(char c)
{
	return strchr("\"+,;<>\\=# ", c) != NULL;
}

/* attributeType: descr (ALPHA *(ALPHA/DIGIT/'-')) or a numeric OID. */
static int parse_type(const char **p, const char **ret, size_t *ret_len)
{
	const char *s = *p, *q = s;

	if (isalpha((unsigned char)*q)) {
		while (isalnum((unsigned char)*q) || *q == '-')
			q++;
	} else if (isdigit((unsigned char)*q)) {
		while (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1])))
			q++;
	}
	if (q == s || *q != '=')
		return -EINVAL;
	*ret = s;
	*ret_len = (size_t)(q - s);
	*p = q + 1;
	return 0;
}

/* '#' hexstring: at least one pair of hex digits. */
static int parse_hexstring(const char **p)
{
	const char *q = *p + 1;

	while (hexval(q[0]) >= 0 && hexval(q[1]) >= 0)
		q += 2;
	if (q == *p + 1 || (*q && *q != ',' && *q != '+'))
		return -EINVAL;
	*p = q;
	return 0;
}

/* string: escapes are '\' + special or '\' + hex pair; a trailing space must be escaped. */
static int parse_string(const char **p)
{
	const char *q = *p;
	bool last_plain_space = false;

	while (*q && *q != ',' && *q != '+') {
		if (*q == '\\') {
			if (hexval(q[1]) >= 0 && hexval(q[2]) >= 0)
				q += 3;
			else if (q[1] && is_special(q[1]))
				q += 2;
			else
				return -EINVAL;
			last_plain_space = false;
			continue;
		}
		if (*q == '"' || *q == ';' || *q == '<' || *q == '>')
			return -EINVAL;
		if ((*q == ' ' || *q == '#') && q == *p)
			return -EINVAL; /* leading space or '#' must be escaped */
		last_plain_space = *q == ' ';
		q++;
	}
	if (last_plain_space)
		return -EINVAL;
	*p = q;
	return 0;
}

static int parse_ava(const char **p, const char **type, size_t *type_len, const char **value,
		     size_t *value_len)
{
	const char *start;
	int r = parse_type(p, type, type_len);

	if (r < 0)
		return r;
	start = *p;
	r = **p == '#' ? parse_hexstring(p) : parse_string(p);
	if (r < 0)
		return r;
	*value = start;
	*value_len = (size_t)(*p - start);
	return 0;
}

int dn_next_rdn(const char **p, struct dn_rdn *ret)
{
	const char *t, *v;
	size_t tl, vl;
	int r;

	if (!**p)
		return 0;
	r = parse_ava(p, &ret->type, &ret->type_len, &ret->value, &ret->value_len);
	if (r < 0)
		return r;
	ret->multi = false;
	while (**p == '+') {
		(*p)++;
		ret->multi = true;
		r = parse_ava(p, &t, &tl, &v, &vl);
		if (r < 0)
			return r;
	}
	if (**p == ',') {
		(*p)++;
		if (!**p)
			return -EINVAL; /* "CN=a," */
	}
	return 1;
}

bool dn_valid(const char *dn)
{
	struct dn_rdn rdn;
	int r;

	while ((r = dn_next_rdn(&dn, &rdn)) > 0)
		;
	return r == 0;
}

/* Compare a raw value with name, decoding escapes; ASCII case ignored. */
static bool value_equals(const char *v, size_t len, const char *name)
{
	const char *end = v + len;

	if (len > 0 && v[0] == '#')
		return false; /* BER-encoded: never a plain name */
	while (v < end) {
		int c = (unsigned char)*v++;

		if (c == '\\') {
			if (hexval(v[0]) >= 0) {
				c = hexval(v[0]) * 16 + hexval(v[1]);
				v += 2;
			} else {
				c = (unsigned char)*v++;
			}
		}
		if (!*name || tolower(c) != tolower((unsigned char)*name))
			return false;
		name++;
	}
	return *name == '\0';
}

static bool type_is_cn(const struct dn_rdn *rdn)
{
	return (rdn->type_len == 2 && strncasecmp(rdn->type, "cn", 2) == 0) ||
	       (rdn->type_len == 7 && memcmp(rdn->type, "2.5.4.3", 7) == 0);
}

bool dn_rdn_is_cn(const struct dn_rdn *rdn, const char *name)
{
	return !rdn->multi && type_is_cn(rdn) && value_equals(rdn->value, rdn->value_len, name);
}

/*
 * The server RDN is found by position, not by name: it is the RDN directly
 * below the root-most CN=Servers. A DN that also has a CN=<name>,CN=Servers
 * further down (a container that happens to be called Servers) still names
 * one server only, so a rewrite and its reverse land on the same RDN.
 * 1 with *ret_rdn set when that RDN is CN=<name>, 0 when not, -EINVAL when
 * dn is invalid.
 */
static int find_server_rdn(const char *dn, const char *name, struct dn_rdn *ret_rdn)
{
	struct dn_rdn prev = {0}, rdn, server = {0};
	bool have_prev = false, have_server = false;
	int r;

	while ((r = dn_next_rdn(&dn, &rdn)) > 0) {
		if (have_prev && dn_rdn_is_cn(&rdn, "Servers")) {
			server = prev;
			have_server = true;
		}
		prev = rdn;
		have_prev = true;
	}
	if (r < 0)
		return r;
	if (!have_server || !dn_rdn_is_cn(&server, name))
		return 0;
	*ret_rdn = server;
	return 1;
}

int dn_under_server(const char *dn, const char *name)
{
	struct dn_rdn rdn;

	if (!dn || !name)
		return -EINVAL;
	return find_server_rdn(dn, name, &rdn);
}

/* dn with [at, at+len) replaced by to. */
static int splice(const char *s, const char *at, size_t len, const char *to, char **ret)
{
	size_t head = (size_t)(at - s), tail = strlen(at + len), tlen = strlen(to);
	char *out = malloc(head + tlen + tail + 1);

	if (!out)
		return -ENOMEM;
	memcpy(out, s, head);
	memcpy(out + head, to, tlen);
	memcpy(out + head + tlen, at + len, tail + 1);
	*ret = out;
	return 1;
}

int dn_rewrite_server(const char *dn, const char *from, const char *to, char **ret)
{
	struct dn_rdn rdn;
	int r;

	if (!dn || !server_name_valid(from) || !server_name_valid(to) || !ret)
		return -EINVAL;
	*ret = NULL;
	r = find_server_rdn(dn, from, &rdn);
	if (r <= 0)
		return r;
	return splice(dn, rdn.value, rdn.value_len, to, ret);
}

/* One "/type=value" component of a legacy DN at *p. */
static int legdn_next(const char **p, const char **type, size_t *type_len, const char **value,
		      size_t *value_len)
{
	const char *s = *p, *eq, *end;

	if (!*s)
		return 0;
	if (*s != '/')
		return -EINVAL;
	s++;
	end = s + strcspn(s, "/");
	eq = memchr(s, '=', (size_t)(end - s));
	if (!eq || eq == s || eq + 1 == end)
		return -EINVAL;
	*type = s;
	*type_len = (size_t)(eq - s);
	*value = eq + 1;
	*value_len = (size_t)(end - eq - 1);
	*p = end;
	return 1;
}

static bool span_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

int legdn_rewrite_server(const char *legdn, const char *from, const char *to, char **ret)
{
	const char *p = legdn, *t, *v, *hit = NULL;
	size_t tl, vl, hit_len = 0;
	bool after_servers = false, seen_server = false;
	int r;

	if (!legdn || !server_name_valid(from) || !server_name_valid(to) || !ret)
		return -EINVAL;
	*ret = NULL;
	if (!*legdn)
		return -EINVAL;
	/* By position as in a DN: the component right after the root-most cn=Servers. */
	while ((r = legdn_next(&p, &t, &tl, &v, &vl)) > 0) {
		bool is_cn = span_is(t, tl, "cn");

		if (after_servers && !seen_server) {
			seen_server = true;
			if (is_cn && span_is(v, vl, from)) {
				hit = v;
				hit_len = vl;
			}
		}
		after_servers = is_cn && span_is(v, vl, "Servers");
	}
	if (r < 0)
		return r;
	if (!hit)
		return 0;
	return splice(legdn, hit, hit_len, to, ret);
}
