/*
 * strutil: the strict parsers every OCF_RESKEY_* value goes through. A typo
 * in a cluster configuration must be an error, never a silent 0.
 */
#include <errno.h>
#include <stdint.h>

#include "check_common.h"
#include "strutil.h"

START_TEST(test_parse_uint64_accepts_plain_decimal_numbers)
{
	uint64_t v = 7;

	ck_assert_int_eq(parse_uint64("0", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(parse_uint64("42", 0, 100, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(parse_uint64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(parse_uint64("007", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(test_parse_uint64_rejects_what_is_not_a_number)
{
	static const char *const bad[] = {"",	"abc",	"12abc", " 12", "12 ", "-1",
					  "+1", "0x10", "1.5",	 "1e3", "\t1", "12\n"};
	uint64_t v = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse_uint64(bad[i], 0, UINT64_MAX, &v) == -EINVAL,
			      "'%s' was not rejected with -EINVAL", bad[i]);
		ck_assert_uint_eq(v, 7);
	}
	ck_assert_int_eq(parse_uint64(NULL, 0, 1, &v), -EINVAL);
	ck_assert_int_eq(parse_uint64("1", 0, 1, NULL), -EINVAL);
}
END_TEST

START_TEST(test_parse_uint64_reports_overflow_and_range_as_erange)
{
	uint64_t v = 7;

	ck_assert_int_eq(parse_uint64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(parse_uint64("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(parse_uint64("0", 1, 65535, &v), -ERANGE);
	ck_assert_int_eq(parse_uint64("65536", 1, 65535, &v), -ERANGE);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(parse_uint64("1", 1, 65535, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(parse_uint64("65535", 1, 65535, &v), 0);
	ck_assert_uint_eq(v, 65535);
}
END_TEST

START_TEST(test_parse_bool_accepts_pacemaker_spellings_in_any_case)
{
	static const char *const yes[] = {"true", "TRUE", "yes", "Yes", "on", "1", "y", "Y"};
	static const char *const no[] = {"false", "False", "no", "NO", "off", "0", "n", "N"};
	bool v;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = false;
		ck_assert_int_eq(parse_bool(yes[i], &v), 0);
		ck_assert_msg(v, "'%s' is not true", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = true;
		ck_assert_int_eq(parse_bool(no[i], &v), 0);
		ck_assert_msg(!v, "'%s' is not false", no[i]);
	}
}
END_TEST

START_TEST(test_parse_bool_rejects_anything_else)
{
	static const char *const bad[] = {"", "2", "truex", " true", "true ", "t", "nope", "-1"};
	bool v = true;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_bool(bad[i], &v) == -EINVAL, "'%s' accepted", bad[i]);
	ck_assert(v);
	ck_assert_int_eq(parse_bool(NULL, &v), -EINVAL);
	ck_assert_int_eq(parse_bool("yes", NULL), -EINVAL);
}
END_TEST

START_TEST(test_strv_split_splits_on_runs_of_blanks_and_tabs)
{
	char **v = NULL;

	ck_assert_int_eq(strv_split("  postfix \t\t dovecot\tclamav  ", &v), 0);
	ck_assert_uint_eq(strv_length(v), 3);
	ck_assert_str_eq(v[0], "postfix");
	ck_assert_str_eq(v[1], "dovecot");
	ck_assert_str_eq(v[2], "clamav");
	ck_assert_ptr_null(v[3]);
	v = strv_free(v);
	ck_assert_ptr_null(v);

	ck_assert_int_eq(strv_split("one", &v), 0);
	ck_assert_uint_eq(strv_length(v), 1);
	ck_assert_str_eq(v[0], "one");
	strv_free(v);
}
END_TEST

START_TEST(test_strv_split_of_empty_or_blank_input_is_an_empty_vector)
{
	static const char *const empty[] = {"", " ", "\t", " \t  \t"};

	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		char **v = NULL;

		ck_assert_int_eq(strv_split(empty[i], &v), 0);
		ck_assert_ptr_nonnull(v);
		ck_assert_ptr_null(v[0]);
		ck_assert_uint_eq(strv_length(v), 0);
		strv_free(v);
	}
	ck_assert_uint_eq(strv_length(NULL), 0);
	ck_assert_ptr_null(strv_free(NULL));
}
END_TEST

START_TEST(test_strv_split_rejects_null_arguments)
{
	char **v = NULL;

	ck_assert_int_eq(strv_split(NULL, &v), -EINVAL);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(strv_split("a b", NULL), -EINVAL);
}
END_TEST

START_TEST(test_ifname_is_valid_accepts_names_up_to_15_characters)
{
	ck_assert(ifname_is_valid("eth0"));
	ck_assert(ifname_is_valid("bond0.100"));
	ck_assert(ifname_is_valid("a"));
	ck_assert(ifname_is_valid("abcdefghijklmno"));	 /* 15 */
	ck_assert(!ifname_is_valid("abcdefghijklmnop")); /* 16: no room for the NUL */
	ck_assert(!ifname_is_valid(""));
	ck_assert(!ifname_is_valid(NULL));
}
END_TEST

START_TEST(test_ifname_is_valid_rejects_what_the_kernel_rejects)
{
	static const char *const bad[] = {"/",	   "eth/0",  "eth0:1", ":", " ",
					  "eth 0", "eth0\t", "eth0\n", ".", ".."};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!ifname_is_valid(bad[i]), "'%s' accepted", bad[i]);
	ck_assert(ifname_is_valid("..."));
	ck_assert(ifname_is_valid(".x"));
}
END_TEST

START_TEST(test_strscpy_copies_whole_strings_or_nothing)
{
	char buf[5];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(strscpy(buf, "abcd", sizeof(buf)), 0);
	ck_assert_str_eq(buf, "abcd");
	ck_assert_int_eq(strscpy(buf, "", sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");

	ck_assert_int_eq(strscpy(buf, "wxyz", sizeof(buf)), 0);
	ck_assert_int_eq(strscpy(buf, "abcde", sizeof(buf)), -ENAMETOOLONG);
	ck_assert_str_eq(buf, "wxyz");

	ck_assert_int_eq(strscpy(buf, "a", 0), -EINVAL);
	ck_assert_int_eq(strscpy(NULL, "a", 1), -EINVAL);
	ck_assert_int_eq(strscpy(buf, NULL, sizeof(buf)), -EINVAL);
}
END_TEST

static Suite *strutil_suite(void)
{
	Suite *s = suite_create("strutil");

	ADD_CASE(s, test_parse_uint64_accepts_plain_decimal_numbers, 5);
	ADD_CASE(s, test_parse_uint64_rejects_what_is_not_a_number, 5);
	ADD_CASE(s, test_parse_uint64_reports_overflow_and_range_as_erange, 5);
	ADD_CASE(s, test_parse_bool_accepts_pacemaker_spellings_in_any_case, 5);
	ADD_CASE(s, test_parse_bool_rejects_anything_else, 5);
	ADD_CASE(s, test_strv_split_splits_on_runs_of_blanks_and_tabs, 5);
	ADD_CASE(s, test_strv_split_of_empty_or_blank_input_is_an_empty_vector, 5);
	ADD_CASE(s, test_strv_split_rejects_null_arguments, 5);
	ADD_CASE(s, test_ifname_is_valid_accepts_names_up_to_15_characters, 5);
	ADD_CASE(s, test_ifname_is_valid_rejects_what_the_kernel_rejects, 5);
	ADD_CASE(s, test_strscpy_copies_whole_strings_or_nothing, 5);
	return s;
}

int main(void)
{
	return check_run(strutil_suite());
}
