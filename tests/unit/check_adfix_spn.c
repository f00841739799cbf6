/*
 * ad-fixup's SPN module: which servicePrincipalName values move with a
 * server (whole host names, short and FQDN, three service classes).
 */
#include <errno.h>

#include "check_common.h"
#include "spn.h"

START_TEST(test_the_servers_own_spns_move)
{
	ck_assert(spn_moves_with("HOST/EX1", "EX1"));
	ck_assert(spn_moves_with("HOST/ex1.corp.example", "EX1"));
	ck_assert(spn_moves_with("exchangeMDB/EX1", "ex1"));
	ck_assert(spn_moves_with("EXCHANGERFR/ex1.corp.example", "EX1"));
	ck_assert(spn_moves_with("exchangeMDB/ex1.corp.example:1234", "EX1"));
	ck_assert(spn_moves_with("HOST/ex1.corp.example/corp.example", "EX1"));
}
END_TEST

START_TEST(test_ex1_never_takes_ex10s_spns)
{
	ck_assert(!spn_moves_with("HOST/EX10", "EX1"));
	ck_assert(!spn_moves_with("HOST/ex10.corp.example", "EX1"));
	ck_assert(!spn_moves_with("HOST/xex1.corp.example", "EX1"));
	ck_assert(!spn_moves_with("HOST/ex1.", "EX1"));
	ck_assert(spn_moves_with("HOST/EX10", "EX10"));
}
END_TEST

START_TEST(test_other_classes_stay)
{
	ck_assert(!spn_moves_with("ldap/EX1", "EX1"));
	ck_assert(!spn_moves_with("SMTPSVC/ex1.corp.example", "EX1"));
	ck_assert(!spn_moves_with("HOSTX/EX1", "EX1"));
}
END_TEST

START_TEST(test_malformed_spns_are_einval_and_never_move)
{
	static const char *const bad[] = {"",	      "HOST",	   "/EX1",	  "HOST/",
					  "HOST/:80", "HOST/EX1:", "HOST/EX1:8a", "HOST/EX1:80x"};
	const char *c, *h;
	size_t cl, hl;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(spn_parse(bad[i], &c, &cl, &h, &hl), -EINVAL);
		ck_assert(!spn_moves_with(bad[i], "EX1"));
	}
	ck_assert_int_eq(spn_parse(NULL, &c, &cl, &h, &hl), -EINVAL);
	ck_assert_int_eq(spn_parse("exchangeMDB/ex1.c:99/svc", &c, &cl, &h, &hl), 0);
	ck_assert_uint_eq(cl, 11);
	ck_assert_int_eq(strncmp(h, "ex1.c", hl), 0);
	ck_assert_uint_eq(hl, 5);
}
END_TEST

static Suite *spn_suite(void)
{
	Suite *s = suite_create("adfix_spn");

	ADD_CASE(s, test_the_servers_own_spns_move, 5);
	ADD_CASE(s, test_ex1_never_takes_ex10s_spns, 5);
	ADD_CASE(s, test_other_classes_stay, 5);
	ADD_CASE(s, test_malformed_spns_are_einval_and_never_move, 5);
	return s;
}

int main(void)
{
	return check_run(spn_suite());
}
