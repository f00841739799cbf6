/*
 * ad-fixup's DN module: strict RFC 4514 walking and whole-value rewriting
 * of server names in DNs and legacy DNs (the EX1/EX10 trap).
 */
#include <errno.h>

#include "check_common.h"
#include "dn.h"

#define SRV                                                                                        \
	"CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Org,"                \
	"CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=example"

static void expect_legacy(const char *in, const char *from, const char *to, int want_r,
			  const char *want);

static void expect_rewrite(const char *dn, const char *from, const char *to, const char *want)
{
	char *out = (char *)"untouched";
	int r = dn_rewrite_server(dn, from, to, &out);

	if (!want) {
		ck_assert_int_eq(r, 0);
		ck_assert_ptr_null(out);
		return;
	}
	ck_assert_int_eq(r, 1);
	ck_assert_str_eq(out, want);
	free(out);
}

START_TEST(test_the_server_rdn_is_rewritten_and_nothing_else)
{
	expect_rewrite("CN=Microsoft MTA,CN=EX1," SRV, "EX1", "EX2",
		       "CN=Microsoft MTA,CN=EX2," SRV);
	expect_rewrite("CN=EX1," SRV, "ex1", "EX2", "CN=EX2," SRV);
	expect_rewrite("cn=ex1,cn=servers,dc=x", "EX1", "EX2", "cn=EX2,cn=servers,dc=x");
}
END_TEST

START_TEST(test_ex1_never_touches_ex10)
{
	expect_rewrite("CN=Microsoft MTA,CN=EX10," SRV, "EX1", "EX2", NULL);
	expect_rewrite("CN=EX10," SRV, "EX1", "EX2", NULL);
	expect_rewrite("CN=EX10," SRV, "EX10", "EX2", "CN=EX2," SRV);
	expect_rewrite("CN=XEX1," SRV, "EX1", "EX2", NULL);
}
END_TEST

START_TEST(test_a_cn_elsewhere_than_above_servers_is_not_a_server)
{
	expect_rewrite("CN=EX1,CN=Users,DC=corp,DC=example", "EX1", "EX2", NULL);
	expect_rewrite("CN=Servers,CN=EX1,DC=x", "EX1", "EX2", NULL);
	expect_rewrite("CN=EX1+UID=a,CN=Servers,DC=x", "EX1", "EX2", NULL);
	expect_rewrite("OU=EX1,CN=Servers,DC=x", "EX1", "EX2", NULL);
}
END_TEST

START_TEST(test_only_the_root_most_servers_container_holds_the_server)
{
	/* A container called Servers below the server object names nothing. */
	expect_rewrite("CN=EX1,CN=Servers,CN=EX2," SRV, "EX1", "EX2", NULL);
	expect_rewrite("CN=EX1,CN=Servers,CN=EX2," SRV, "EX2", "EX1",
		       "CN=EX1,CN=Servers,CN=EX1," SRV);
	expect_legacy("/o=Org/cn=Servers/cn=EX2/cn=Servers/cn=EX1", "EX1", "EX2", 0, NULL);
	expect_legacy("/o=Org/cn=Servers/cn=EX2/cn=Servers/cn=EX1", "EX2", "EX1", 1,
		      "/o=Org/cn=Servers/cn=EX1/cn=Servers/cn=EX1");
}
END_TEST

START_TEST(test_escapes_are_decoded_before_comparing)
{
	expect_rewrite("CN=E\\58\\31,CN=Servers,DC=x", "EX1", "EX2", "CN=EX2,CN=Servers,DC=x");
	expect_rewrite("CN=EX1\\,,CN=Servers,DC=x", "EX1", "EX2", NULL);
	expect_rewrite("CN=EX1\\ ,CN=Servers,DC=x", "EX1", "EX2", NULL);
	expect_rewrite("CN=a\\,CN=EX1,CN=Servers,DC=x", "EX1", "EX2", NULL);
	expect_rewrite("CN=a\\,b,CN=EX1,CN=Servers,DC=x", "EX1", "EX2",
		       "CN=a\\,b,CN=EX2,CN=Servers,DC=x");
	expect_rewrite("2.5.4.3=EX1,CN=Servers,DC=x", "EX1", "EX2", "2.5.4.3=EX2,CN=Servers,DC=x");
	expect_rewrite("CN=#455831,CN=Servers,DC=x", "EX1", "EX2", NULL);
}
END_TEST

START_TEST(test_invalid_dns_are_einval)
{
	static const char *const bad[] = {
		"CN=EX1,", "CN",   "=EX1",  "CN=a\\", "CN=a\\zz", "CN= a",	"CN=a ",  "CN=a;b",
		"CN=a\"b", "CN=#", "CN=#4", "CN=#zz", "1.=a",	  "CN=a,,CN=b", "CN=a<b",
	};
	char *out = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!dn_valid(bad[i]), "%s accepted", bad[i]);
		ck_assert_int_eq(dn_rewrite_server(bad[i], "EX1", "EX2", &out), -EINVAL);
	}
	ck_assert(dn_valid(""));
	ck_assert(dn_valid("CN=a\\ b\\ ,OU=x+CN=y,DC=z"));
}
END_TEST

START_TEST(test_bad_server_names_are_einval)
{
	char *out = NULL;

	ck_assert_int_eq(dn_rewrite_server("CN=EX1,CN=Servers", "EX1", "EX,2", &out), -EINVAL);
	ck_assert_int_eq(dn_rewrite_server("CN=EX1,CN=Servers", "", "EX2", &out), -EINVAL);
	ck_assert_int_eq(dn_rewrite_server(NULL, "EX1", "EX2", &out), -EINVAL);
	ck_assert(server_name_valid("EX-1"));
	ck_assert(!server_name_valid("-EX1"));
	ck_assert(!server_name_valid("EX1.corp"));
	ck_assert(!server_name_valid("ABCDEFGHIJKLMNOP"));
	ck_assert(!server_name_valid(NULL));
}
END_TEST

START_TEST(test_under_server_finds_stores_of_that_server_only)
{
	const char *store = "CN=Mailbox Database,CN=First Storage Group,CN=InformationStore,"
			    "CN=EX10," SRV;

	ck_assert_int_eq(dn_under_server(store, "EX10"), 1);
	ck_assert_int_eq(dn_under_server(store, "ex10"), 1);
	ck_assert_int_eq(dn_under_server(store, "EX1"), 0);
	ck_assert_int_eq(dn_under_server("CN=a,", "EX1"), -EINVAL);
}
END_TEST

static void expect_legacy(const char *in, const char *from, const char *to, int want_r,
			  const char *want)
{
	char *out = NULL;

	ck_assert_int_eq(legdn_rewrite_server(in, from, to, &out), want_r);
	if (want) {
		ck_assert_str_eq(out, want);
		free(out);
	} else {
		ck_assert_ptr_null(out);
	}
}

START_TEST(test_legacy_dns_rewrite_the_server_component_only)
{
	expect_legacy("/o=Org/ou=First Administrative Group/cn=Configuration/cn=Servers/cn=EX1",
		      "ex1", "EX2", 1,
		      "/o=Org/ou=First Administrative Group/cn=Configuration/cn=Servers/cn=EX2");
	expect_legacy("/o=Org/ou=G/cn=Configuration/cn=Servers/cn=EX10", "EX1", "EX2", 0, NULL);
	expect_legacy("/o=Org/ou=EX1/cn=Recipients/cn=EX1", "EX1", "EX2", 0, NULL);
	expect_legacy("o=Org/cn=Servers/cn=EX1", "EX1", "EX2", -EINVAL, NULL);
	expect_legacy("/o=Org//cn=EX1", "EX1", "EX2", -EINVAL, NULL);
	expect_legacy("/o=Org/cn=Servers/cn=", "EX1", "EX2", -EINVAL, NULL);
	expect_legacy("", "EX1", "EX2", -EINVAL, NULL);
}
END_TEST

static Suite *dn_suite(void)
{
	Suite *s = suite_create("adfix_dn");

	ADD_CASE(s, test_the_server_rdn_is_rewritten_and_nothing_else, 5);
	ADD_CASE(s, test_ex1_never_touches_ex10, 5);
	ADD_CASE(s, test_a_cn_elsewhere_than_above_servers_is_not_a_server, 5);
	ADD_CASE(s, test_only_the_root_most_servers_container_holds_the_server, 5);
	ADD_CASE(s, test_escapes_are_decoded_before_comparing, 5);
	ADD_CASE(s, test_invalid_dns_are_einval, 5);
	ADD_CASE(s, test_bad_server_names_are_einval, 5);
	ADD_CASE(s, test_under_server_finds_stores_of_that_server_only, 5);
	ADD_CASE(s, test_legacy_dns_rewrite_the_server_component_only, 5);
	return s;
}

int main(void)
{
	return check_run(dn_suite());
}
