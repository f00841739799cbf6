/*
 * uri: the one parser of server URIs (ad-fixup's uri, the mail probes'
 * URLs). The scheme decides TLS, so it must be read the same in any case,
 * and a list must never get through to libldap, which would connect to
 * whichever member answers.
 */
#include <errno.h>

#include "check_common.h"
#include "uri.h"

enum { LDAP, LDAPS, LDAPI };

static const struct uri_scheme ldap_schemes[] = {
	[LDAP] = {"ldap", 0},
	[LDAPS] = {"ldaps", 0},
	[LDAPI] = {"ldapi", URI_SOCKET},
};
#define N ARRAY_SIZE(ldap_schemes)

/* s parses to scheme and formats back to canonical. */
static void expect(const char *s, unsigned scheme, const char *canonical)
{
	struct uri u;
	struct error err = {""};
	char text[URI_TEXT_MAX];

	ck_assert_msg(uri_parse(s, ldap_schemes, N, &u, &err) == 0, "'%s' refused: %s", s, err.msg);
	ck_assert_msg(u.scheme == scheme, "'%s': scheme %u, not %u", s, u.scheme, scheme);
	ck_assert_int_eq(uri_format(&u, ldap_schemes, N, text, sizeof(text)), 0);
	ck_assert_str_eq(text, canonical);
}

static void refuse(const char *s, const char *why)
{
	struct uri u = {.port = 7};
	struct error err = {""};

	ck_assert_msg(uri_parse(s, ldap_schemes, N, &u, &err) == -EINVAL, "'%s' accepted", s);
	ck_assert_uint_eq(u.port, 7);
	ck_assert_msg(strstr(err.msg, why), "'%s': '%s' does not say '%s'", s, err.msg, why);
}

START_TEST(test_the_scheme_is_read_in_any_case)
{
	expect("ldap://dc.example", LDAP, "ldap://dc.example");
	expect("LDAP://dc.example", LDAP, "ldap://dc.example");
	expect("Ldap://dc.example", LDAP, "ldap://dc.example");
	expect("lDaP://dc.example:389/", LDAP, "ldap://dc.example:389");
	expect("LDAPS://dc.example:636", LDAPS, "ldaps://dc.example:636");
	expect("LdApS://DC1.Example", LDAPS, "ldaps://DC1.Example");
	expect("LDAPI://%2Frun%2Fslapd%2Fldapi", LDAPI, "ldapi://%2Frun%2Fslapd%2Fldapi");
	expect("ldapi:///", LDAPI, "ldapi://");
}
END_TEST

START_TEST(test_lists_are_refused_however_separated)
{
	refuse("ldaps://h:1,ldap://h", "not a list");
	refuse("ldapi://%2Ftmp%2Fx,ldap://h", "not a list");
	refuse("ldapi:///,ldap://h", "not a list");
	refuse("ldap://h ldap://g", "not a list");
	refuse("ldap://h\tldap://g", "not a list");
	refuse("ldap://h\nldap://g", "not a list");
	refuse("ldap://h,", "not a list");
	refuse(" ldap://h", "not a list");
}
END_TEST

START_TEST(test_addresses_are_strict_and_canonical)
{
	expect("ldap://127.0.0.1", LDAP, "ldap://127.0.0.1");
	expect("ldap://[2001:DB8:0::1]:389", LDAP, "ldap://[2001:db8::1]:389");
	expect("ldap://[::ffff:192.0.2.1]", LDAP, "ldap://[::ffff:192.0.2.1]");
	refuse("ldap://127.1", "bad host");
	refuse("ldap://010.0.0.1", "bad host");
	refuse("ldap://0x7f.0.0.1", "bad host");
	refuse("ldap://256.0.0.1", "bad host");
	refuse("ldap://1.2.3.4.", "bad host");
	refuse("ldap://[127.0.0.1]", "bad host");
	refuse("ldap://[fe80::1%25eth0]", "bad host");
	refuse("ldap://[::1", "bad host");
	refuse("ldap://::1", "bad host");
	refuse("ldap://", "bad host");
}
END_TEST

START_TEST(test_names_are_dns_names)
{
	expect("ldap://a-b.example", LDAP, "ldap://a-b.example");
	refuse("ldap://-a.example", "bad host");
	refuse("ldap://a-.example", "bad host");
	refuse("ldap://a..example", "bad host");
	refuse("ldap://a_b.example", "bad host");
	refuse("ldap://user@h", "bad host");
	refuse("ldap://h%41", "bad host");
	refuse("ldap://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x",
	       "bad host");
	ck_assert(uri_dns_name_valid("dc1.corp.example"));
	ck_assert(!uri_dns_name_valid(NULL));
	ck_assert(!uri_dns_name_valid("1.2.3.4"));
}
END_TEST

START_TEST(test_ports_and_tails)
{
	expect("ldap://h:1", LDAP, "ldap://h:1");
	expect("ldap://h:65535/", LDAP, "ldap://h:65535");
	refuse("ldap://h:0", "bad port");
	refuse("ldap://h:65536", "bad port");
	refuse("ldap://h:0389", "bad port");
	refuse("ldap://h:", "bad port");
	refuse("ldap://h:+1", "bad port");
	refuse("ldap://h:1:2", "bad port");
	refuse("ldap://h/dc=x", "bad port");
	refuse("ldap://h//", "bad port");
	refuse("ldap://h?x", "bad host");
	refuse("ldapi://%2Frun%2Fx:389", "bad port");
}
END_TEST

START_TEST(test_unknown_schemes_and_sockets)
{
	refuse("http://h", "ldap://, ldaps://, ldapi://");
	refuse("ldapx://h", "must start with");
	refuse("ldap:/h", "must start with");
	refuse("://h", "must start with");
	refuse("h", "must start with");
	refuse("ldapi://run%2Fx", "socket path");
	refuse("ldapi://%2Frun%2F%00x", "socket path");
	refuse("ldapi://%2Frun%2Fx%2", "socket path");
	refuse("ldapi://[::1]", "socket path");
	ck_assert_int_eq(uri_parse(NULL, ldap_schemes, N, &(struct uri){0}, NULL), -EINVAL);
}
END_TEST

START_TEST(test_format_refuses_what_does_not_fit)
{
	struct uri u = {.scheme = LDAP, .host = "dc.example", .port = 389};
	char small[8], text[URI_TEXT_MAX];

	ck_assert_int_eq(uri_format(&u, ldap_schemes, N, small, sizeof(small)), -ENAMETOOLONG);
	u.scheme = N;
	ck_assert_int_eq(uri_format(&u, ldap_schemes, N, text, sizeof(text)), -EINVAL);
}
END_TEST

/* Loopback decides whether ad-fixup may bind without TLS: only this host. */
static bool loopback(const char *s)
{
	struct uri u;

	ck_assert_msg(uri_parse(s, ldap_schemes, N, &u, NULL) == 0, "'%s' refused", s);
	return uri_host_is_loopback(&u);
}

START_TEST(test_loopback_is_this_host_only)
{
	ck_assert(loopback("ldap://127.0.0.1"));
	ck_assert(loopback("ldap://127.1.2.3:389"));
	ck_assert(loopback("ldap://[::1]"));
	ck_assert(loopback("ldap://[::ffff:127.0.0.1]"));
	ck_assert(loopback("ldap://LocalHost"));
	ck_assert(!loopback("ldap://128.0.0.1"));
	ck_assert(!loopback("ldap://192.0.2.1"));
	ck_assert(!loopback("ldap://[2001:db8::1]"));
	ck_assert(!loopback("ldap://[::ffff:192.0.2.1]"));
	ck_assert(!loopback("ldap://localhost.example"));
	ck_assert(!loopback("ldap://dc.example"));
	ck_assert(!loopback("ldapi://%2Frun%2Fslapd%2Fldapi"));
	ck_assert(!uri_host_is_loopback(NULL));
}
END_TEST

static Suite *uri_suite(void)
{
	Suite *s = suite_create("uri");

	ADD_CASE(s, test_the_scheme_is_read_in_any_case, 5);
	ADD_CASE(s, test_lists_are_refused_however_separated, 5);
	ADD_CASE(s, test_addresses_are_strict_and_canonical, 5);
	ADD_CASE(s, test_names_are_dns_names, 5);
	ADD_CASE(s, test_ports_and_tails, 5);
	ADD_CASE(s, test_unknown_schemes_and_sockets, 5);
	ADD_CASE(s, test_format_refuses_what_does_not_fit, 5);
	ADD_CASE(s, test_loopback_is_this_host_only, 5);
	return s;
}

int main(void)
{
	return check_run(uri_suite());
}
