/*
 * service-set's restart bookkeeping (ARMLoad /R <count>): which restarts
 * count, and the strict reading of the file they are kept in.
 */
#include <errno.h>
#include <string.h>

#include "check_common.h"
#include "restart.h"

START_TEST(test_restart_count_restarts_are_allowed_within_the_window)
{
	struct restart_log log = {0};

	ck_assert(restart_allowed(&log, 10000, 3600000, 1));
	restart_log_add(&log, 10000);
	ck_assert(!restart_allowed(&log, 20000, 3600000, 1));
	ck_assert(restart_allowed(&log, 20000, 3600000, 2));
}
END_TEST

START_TEST(test_restarts_older_than_the_window_no_longer_count)
{
	struct restart_log log = {0};

	restart_log_add(&log, 1000);
	restart_log_add(&log, 5000);
	ck_assert(!restart_allowed(&log, 6000, 10000, 2));
	ck_assert_uint_eq(log.n, 2);
	/* At 11000 the first (1000) is exactly one window old: it has expired. */
	ck_assert(restart_allowed(&log, 11000, 10000, 2));
	ck_assert_uint_eq(log.n, 1);
	ck_assert_uint_eq(log.t_ms[0], 5000);
}
END_TEST

START_TEST(test_count_zero_never_restarts)
{
	struct restart_log log = {0};

	ck_assert(!restart_allowed(&log, 1, 1000, 0));
}
END_TEST

START_TEST(test_times_from_the_future_do_not_count)
{
	struct restart_log log = {0};

	restart_log_add(&log, 50000);
	ck_assert(restart_allowed(&log, 1000, 3600000, 1));
}
END_TEST

START_TEST(test_the_log_keeps_the_newest_when_full)
{
	struct restart_log log = {0};

	for (uint64_t t = 1; t <= RESTART_MAX + 3; t++)
		restart_log_add(&log, t);
	ck_assert_uint_eq(log.n, RESTART_MAX);
	ck_assert_uint_eq(log.t_ms[0], 4);
	ck_assert_uint_eq(log.t_ms[RESTART_MAX - 1], RESTART_MAX + 3);
}
END_TEST

START_TEST(test_format_and_parse_round_trip)
{
	struct restart_log log = {0}, back;
	char buf[128];

	ck_assert_int_eq(restart_log_format(&log, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "\n");
	restart_log_add(&log, 12);
	restart_log_add(&log, 18446744073709551615u);
	ck_assert_int_eq(restart_log_format(&log, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "12 18446744073709551615\n");
	ck_assert_int_eq(restart_log_parse(buf, &back), 0);
	ck_assert_uint_eq(back.n, 2);
	ck_assert_uint_eq(back.t_ms[1], 18446744073709551615u);
	ck_assert_int_eq(restart_log_format(&log, buf, 10), -ENOSPC);
}
END_TEST

START_TEST(test_damaged_logs_are_refused)
{
	const char *bad[] = {"12 x\n", "-1\n", "5 3\n", "1.5\n", "18446744073709551616\n", "1\t2"};
	struct restart_log log = {.n = 7};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(restart_log_parse(bad[i], &log), -EINVAL);
	ck_assert_uint_eq(log.n, 7);
}
END_TEST

/*
 * The history is kept across stop and start (the file round trip): a death
 * after a group restart on the same node finds the budget spent, until the
 * window has passed since the restart it counted.
 */
START_TEST(test_the_budget_survives_a_group_restart_until_the_window_passes)
{
	struct restart_log log = {0}, back;
	char buf[64];

	ck_assert(restart_allowed(&log, 100000, 60000, 1));
	restart_log_add(&log, 100000); /* the watcher's restart */
	ck_assert_int_eq(restart_log_format(&log, buf, sizeof(buf)), 0);
	/* stop, start: the file stays; the next death comes 30 s later */
	ck_assert_int_eq(restart_log_parse(buf, &back), 0);
	ck_assert(!restart_allowed(&back, 130000, 60000, 1));
	ck_assert(restart_allowed(&back, 160000, 60000, 1));
	ck_assert_uint_eq(back.n, 0); /* pruned: a later save forgets it */
}
END_TEST

START_TEST(test_newer_counts_the_restarts_not_yet_reported)
{
	struct restart_log log = {0};

	ck_assert_uint_eq(restart_log_newer(&log, 0), 0);
	restart_log_add(&log, 10);
	restart_log_add(&log, 20);
	restart_log_add(&log, 30);
	ck_assert_uint_eq(restart_log_newer(&log, 0), 3);
	ck_assert_uint_eq(restart_log_newer(&log, 10), 2);
	ck_assert_uint_eq(restart_log_newer(&log, 29), 1);
	ck_assert_uint_eq(restart_log_newer(&log, 30), 0);
	ck_assert_uint_eq(restart_log_newer(&log, UINT64_MAX), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("service-set restart bookkeeping");

	ADD_CASE(s, test_restart_count_restarts_are_allowed_within_the_window, 5);
	ADD_CASE(s, test_restarts_older_than_the_window_no_longer_count, 5);
	ADD_CASE(s, test_count_zero_never_restarts, 5);
	ADD_CASE(s, test_times_from_the_future_do_not_count, 5);
	ADD_CASE(s, test_the_log_keeps_the_newest_when_full, 5);
	ADD_CASE(s, test_format_and_parse_round_trip, 5);
	ADD_CASE(s, test_damaged_logs_are_refused, 5);
	ADD_CASE(s, test_the_budget_survives_a_group_restart_until_the_window_passes, 5);
	ADD_CASE(s, test_newer_counts_the_restarts_not_yet_reported, 5);
	return check_run(s);
}
