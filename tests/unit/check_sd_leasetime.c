/*
 * switching-disk lease timing: the right ends at the last counted
 * renewal's start plus T less the margin, late renewals do not count, a
 * taker watches the longer timeout, and the watchdog's timeout fits
 * between a timely pet and the end of the right.
 */
#include <errno.h>

#include "check_common.h"
#include "leasetime.h"

static struct leasetime lt_of(uint64_t timeout_ms)
{
	struct leasetime lt;

	ck_assert_int_eq(leasetime_init(timeout_ms, &lt), 0);
	return lt;
}

START_TEST(test_the_parts_of_a_ten_second_lease)
{
	struct leasetime lt = lt_of(10000);

	ck_assert_uint_eq(lt.timeout_us, 10000000u);
	ck_assert_uint_eq(lt.period_us, 3333333u);
	ck_assert_uint_eq(lt.bound_us, 1250000u);
	ck_assert_uint_eq(lt.margin_us, 1000000u);
}
END_TEST

START_TEST(test_a_timeout_too_small_for_any_rule_is_refused)
{
	struct leasetime lt = {0};

	ck_assert_int_eq(leasetime_init(29, &lt), -EINVAL);
	ck_assert_int_eq(leasetime_init(UINT64_MAX, &lt), -EINVAL);
	ck_assert_int_eq(leasetime_init(10000, NULL), -EINVAL);
	ck_assert_uint_eq(lt.timeout_us, 0);
}
END_TEST

START_TEST(test_the_right_ends_at_the_start_plus_timeout_less_margin)
{
	struct leasetime lt = lt_of(2000);

	/* Started at 5 s: 5 + 2 - 0.2 s. */
	ck_assert_uint_eq(leasetime_deadline(&lt, 5000000u), 6800000u);
}
END_TEST

START_TEST(test_no_taker_writes_before_the_right_ends)
{
	/* A taker writes no earlier than s + T (it watched a landing after s). */
	for (uint64_t t = 30; t <= 600000; t = t * 3 + 7) {
		struct leasetime lt = lt_of(t);
		uint64_t s = 123456789u;

		ck_assert_uint_lt(leasetime_deadline(&lt, s), s + lt.timeout_us);
		ck_assert_uint_ge(s + lt.timeout_us - leasetime_deadline(&lt, s), lt.margin_us);
	}
}
END_TEST

START_TEST(test_the_deadline_saturates_near_the_end_of_the_clock)
{
	struct leasetime lt = lt_of(10000);

	ck_assert_uint_eq(leasetime_deadline(&lt, UINT64_MAX - 5), UINT64_MAX);
}
END_TEST

START_TEST(test_a_renewal_within_the_bound_counts)
{
	struct leasetime lt = lt_of(2000); /* bound 250 ms */

	ck_assert(leasetime_counts(&lt, 1000000u, 1250000u, 2000000u));
	ck_assert(leasetime_counts(&lt, 1000000u, 1000000u, 2000000u));
}
END_TEST

START_TEST(test_a_renewal_slower_than_the_bound_does_not_count)
{
	struct leasetime lt = lt_of(2000);

	ck_assert(!leasetime_counts(&lt, 1000000u, 1250001u, 9000000u));
	/* The stalled write of case 2: 9 s. */
	ck_assert(!leasetime_counts(&lt, 1000000u, 10000000u, 99000000u));
}
END_TEST

START_TEST(test_a_renewal_completed_after_the_right_ended_does_not_count)
{
	struct leasetime lt = lt_of(2000);

	ck_assert(!leasetime_counts(&lt, 1000000u, 1100000u, 1100000u));
	ck_assert(!leasetime_counts(&lt, 1000000u, 1100000u, 1050000u));
}
END_TEST

START_TEST(test_a_completion_before_its_start_does_not_count)
{
	struct leasetime lt = lt_of(2000);

	ck_assert(!leasetime_counts(&lt, 1000000u, 999999u, 2000000u));
}
END_TEST

START_TEST(test_a_taker_watches_the_longer_of_both_timeouts)
{
	/* Case 3: node1 holds with 30 s, node2 has 2 s. */
	ck_assert_uint_eq(leasetime_watch_ms(2000, 30000), 30000);
	ck_assert_uint_eq(leasetime_watch_ms(30000, 2000), 30000);
	ck_assert_uint_eq(leasetime_watch_ms(5000, 5000), 5000);
	/* A record from before timeouts were stored says 0: our own still applies. */
	ck_assert_uint_eq(leasetime_watch_ms(5000, 0), 5000);
}
END_TEST

START_TEST(test_the_watchdog_fires_before_the_right_ends)
{
	for (uint64_t t = 2000; t <= 600000; t += 1000) {
		struct leasetime lt = lt_of(t);
		unsigned w;

		ck_assert_int_eq(leasetime_watchdog_s(&lt, &w), 0);
		/* A pet at s + B at the latest: reset by s + B + W, within the right. */
		ck_assert_uint_le(lt.bound_us + w * 1000000ull, lt.timeout_us - lt.margin_us);
		/* Pets on time are at most P + B apart: never a reset. */
		ck_assert_uint_gt(w * 1000000ull, lt.period_us + lt.bound_us);
	}
}
END_TEST

START_TEST(test_the_watchdog_timeouts_of_common_leases)
{
	unsigned w;
	struct leasetime lt2 = lt_of(2000), lt10 = lt_of(10000);

	ck_assert_int_eq(leasetime_watchdog_s(&lt2, &w), 0);
	ck_assert_uint_eq(w, 1);
	ck_assert_int_eq(leasetime_watchdog_s(&lt10, &w), 0);
	ck_assert_uint_eq(w, 7);
}
END_TEST

START_TEST(test_a_lease_too_short_for_a_watchdog_is_refused)
{
	struct leasetime lt = lt_of(1200);
	unsigned w = 42;

	ck_assert_int_eq(leasetime_watchdog_s(&lt, &w), -ERANGE);
	ck_assert_uint_eq(w, 42);
	ck_assert_int_eq(leasetime_watchdog_s(&lt, NULL), -EINVAL);
}
END_TEST

static Suite *leasetime_suite(void)
{
	Suite *s = suite_create("sd_leasetime");

	ADD_CASE(s, test_the_parts_of_a_ten_second_lease, 5);
	ADD_CASE(s, test_a_timeout_too_small_for_any_rule_is_refused, 5);
	ADD_CASE(s, test_the_right_ends_at_the_start_plus_timeout_less_margin, 5);
	ADD_CASE(s, test_no_taker_writes_before_the_right_ends, 5);
	ADD_CASE(s, test_the_deadline_saturates_near_the_end_of_the_clock, 5);
	ADD_CASE(s, test_a_renewal_within_the_bound_counts, 5);
	ADD_CASE(s, test_a_renewal_slower_than_the_bound_does_not_count, 5);
	ADD_CASE(s, test_a_renewal_completed_after_the_right_ended_does_not_count, 5);
	ADD_CASE(s, test_a_completion_before_its_start_does_not_count, 5);
	ADD_CASE(s, test_a_taker_watches_the_longer_of_both_timeouts, 5);
	ADD_CASE(s, test_the_watchdog_fires_before_the_right_ends, 5);
	ADD_CASE(s, test_the_watchdog_timeouts_of_common_leases, 5);
	ADD_CASE(s, test_a_lease_too_short_for_a_watchdog_is_refused, 5);
	return s;
}

int main(void)
{
	return check_run(leasetime_suite());
}
