/*
 * error: the one-line reason carried up to the action layer. Messages are
 * bounded by struct error's buffer whatever the caller formats into them.
 */
#include <errno.h>

#include "check_common.h"
#include "error.h"

START_TEST(test_error_set_returns_the_negative_code_and_keeps_the_message)
{
	struct error err = {{0}};

	ck_assert_int_eq(error_set(&err, EINVAL, "bad %s=%d", "port", 7), -EINVAL);
	ck_assert_str_eq(err.msg, "bad port=7");
	/* An already negative code passes through: callers may hand on r. */
	ck_assert_int_eq(error_set(&err, -ENOENT, "gone"), -ENOENT);
	ck_assert_str_eq(err.msg, "gone");
}
END_TEST

START_TEST(test_error_set_without_a_buffer_still_returns_the_code)
{
	ck_assert_int_eq(error_set(NULL, EPERM, "not %s", "allowed"), -EPERM);
	error_prefix(NULL, "ignored");
}
END_TEST

START_TEST(test_error_prefix_puts_context_before_the_message)
{
	struct error err = {{0}};

	error_set(&err, EEXIST, "File exists");
	error_prefix(&err, "cannot add %s to %s", "192.0.2.10/24", "eth0");
	ck_assert_str_eq(err.msg, "cannot add 192.0.2.10/24 to eth0: File exists");
	error_prefix(&err, "start");
	ck_assert_str_eq(err.msg, "start: cannot add 192.0.2.10/24 to eth0: File exists");
}
END_TEST

START_TEST(test_a_long_message_is_truncated_and_terminated)
{
	struct error err;
	char long_text[2000];

	memset(&err, 'x', sizeof(err));
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	ck_assert_int_eq(error_set(&err, EINVAL, "%s", long_text), -EINVAL);
	ck_assert_uint_eq(strlen(err.msg), sizeof(err.msg) - 1);
	ck_assert_int_eq(err.msg[0], 'a');
}
END_TEST

START_TEST(test_a_prefix_on_a_full_message_keeps_the_start_of_the_line)
{
	struct error err;
	char long_text[2000];

	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	error_set(&err, EINVAL, "%s", long_text);
	error_prefix(&err, "context");
	ck_assert_uint_eq(strlen(err.msg), sizeof(err.msg) - 1);
	ck_assert_msg(strncmp(err.msg, "context: aaa", 12) == 0, "%s", err.msg);

	/* A prefix longer than the buffer leaves only (the start of) the prefix. */
	error_set(&err, EINVAL, "short");
	error_prefix(&err, "%s", long_text);
	ck_assert_uint_eq(strlen(err.msg), sizeof(err.msg) - 1);
	ck_assert_ptr_null(strstr(err.msg, "short"));
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");

	ADD_CASE(s, test_error_set_returns_the_negative_code_and_keeps_the_message, 5);
	ADD_CASE(s, test_error_set_without_a_buffer_still_returns_the_code, 5);
	ADD_CASE(s, test_error_prefix_puts_context_before_the_message, 5);
	ADD_CASE(s, test_a_long_message_is_truncated_and_terminated, 5);
	ADD_CASE(s, test_a_prefix_on_a_full_message_keeps_the_start_of_the_line, 5);
	return s;
}

int main(void)
{
	return check_run(error_suite());
}
