/*
 * agent: the parts of the OCF runtime that decide what Pacemaker sees: the
 * exit reason (one line, whatever the message held) and the code for an
 * errno without a more specific meaning.
 */
#include <errno.h>

#include "check_common.h"
#include "log.h"

static struct agent_ctx ctx_new(void)
{
	struct agent_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.action = "start";
	return ctx;
}

START_TEST(test_the_reason_stops_at_the_log_only_detail)
{
	struct agent_ctx ctx = ctx_new();

	ck_assert_int_eq(
		agent_fail(&ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot mount " QB_XS " rc=%d", 5),
		PCMK_OCF_UNKNOWN_ERROR);
	ck_assert_str_eq(ctx.exit_reason, "cannot mount");
}
END_TEST

START_TEST(test_a_tools_lines_become_one_line)
{
	struct agent_ctx ctx = ctx_new();

	agent_fail(&ctx, PCMK_OCF_UNKNOWN_ERROR, "e2fsck said: %s", "Pass 1\nPass 2\r\n\tdone\n");
	ck_assert_str_eq(ctx.exit_reason, "e2fsck said: Pass 1 Pass 2   done");
	ck_assert_ptr_null(strpbrk(ctx.exit_reason, "\n\r\t\a"));
}
END_TEST

START_TEST(test_an_ordinary_reason_is_kept_as_it_is)
{
	struct agent_ctx ctx = ctx_new();

	ck_assert_int_eq(agent_fail(&ctx, PCMK_OCF_NOT_CONFIGURED, "invalid ip='%s'", "x y"),
			 PCMK_OCF_NOT_CONFIGURED);
	ck_assert_str_eq(ctx.exit_reason, "invalid ip='x y'");
}
END_TEST

START_TEST(test_permission_errors_are_ocf_err_perm_and_others_generic)
{
	ck_assert_int_eq(ocf_from_errno(-EPERM), PCMK_OCF_INSUFFICIENT_PRIV);
	ck_assert_int_eq(ocf_from_errno(-EACCES), PCMK_OCF_INSUFFICIENT_PRIV);
	ck_assert_int_eq(ocf_from_errno(-EIO), PCMK_OCF_UNKNOWN_ERROR);
	ck_assert_int_eq(ocf_from_errno(-ENOENT), PCMK_OCF_UNKNOWN_ERROR);
	ck_assert_int_eq(ocf_from_errno(0), PCMK_OCF_UNKNOWN_ERROR);
}
END_TEST

static Suite *agent_suite(void)
{
	Suite *s = suite_create("agent");

	ADD_CASE(s, test_the_reason_stops_at_the_log_only_detail, 5);
	ADD_CASE(s, test_a_tools_lines_become_one_line, 5);
	ADD_CASE(s, test_an_ordinary_reason_is_kept_as_it_is, 5);
	ADD_CASE(s, test_permission_errors_are_ocf_err_perm_and_others_generic, 5);
	return s;
}

int main(void)
{
	return check_run(agent_suite());
}
