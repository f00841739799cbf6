/* mon: the parameters every monitor shares (attribute name, dampening). */
#include <errno.h>

#include "check_common.h"
#include "../../monitors/common/mon.h"

START_TEST(test_durations_take_ms_s_min_or_bare_seconds)
{
	uint64_t ms = 0;

	ck_assert_int_eq(mon_duration_parse("500ms", &ms), 0);
	ck_assert_uint_eq(ms, 500);
	ck_assert_int_eq(mon_duration_parse("5s", &ms), 0);
	ck_assert_uint_eq(ms, 5000);
	ck_assert_int_eq(mon_duration_parse("5", &ms), 0);
	ck_assert_uint_eq(ms, 5000);
	ck_assert_int_eq(mon_duration_parse("2min", &ms), 0);
	ck_assert_uint_eq(ms, 120000);
	ck_assert_int_eq(mon_duration_parse("0", &ms), 0);
	ck_assert_uint_eq(ms, 0);
}
END_TEST

START_TEST(test_bad_durations_are_refused)
{
	uint64_t ms = 42;

	ck_assert_int_eq(mon_duration_parse("", &ms), -EINVAL);
	ck_assert_int_eq(mon_duration_parse("s", &ms), -EINVAL);
	ck_assert_int_eq(mon_duration_parse("5 s", &ms), -EINVAL);
	ck_assert_int_eq(mon_duration_parse("-5", &ms), -EINVAL);
	ck_assert_int_eq(mon_duration_parse("5h", &ms), -EINVAL);
	ck_assert_int_eq(mon_duration_parse("1441min", &ms), -ERANGE);
	ck_assert_int_eq(mon_duration_parse("99999999999999999999999", &ms), -ERANGE);
	ck_assert_int_eq(mon_duration_parse("999999999999999999999999", &ms), -EINVAL);
	ck_assert_uint_eq(ms, 42);
}
END_TEST

START_TEST(test_attribute_names_are_kept_to_safe_characters)
{
	const struct param_def def = {.name = "name"};
	struct error err = {{0}};
	const char *v = NULL;

	ck_assert_int_eq(mon_parse_attr_name(&def, "exha-link.1_a", &v, &err), 0);
	ck_assert_str_eq(v, "exha-link.1_a");
	ck_assert_int_eq(mon_parse_attr_name(&def, "1link", &v, &err), -EINVAL);
	ck_assert_int_eq(mon_parse_attr_name(&def, "a\"b", &v, &err), -EINVAL);
	ck_assert_int_eq(mon_parse_attr_name(&def, "a b", &v, &err), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mon");

	ADD_CASE(s, test_durations_take_ms_s_min_or_bare_seconds, 5);
	ADD_CASE(s, test_bad_durations_are_refused, 5);
	ADD_CASE(s, test_attribute_names_are_kept_to_safe_characters, 5);
	return check_run(s);
}
