/*
 * deadline: the arithmetic that splits an action's timeout between its
 * steps. Times are compared against now_us() read before and after the
 * call, so the assertions hold on a slow or loaded machine too.
 */
#include <limits.h>
#include <stdint.h>

#include "check_common.h"
#include "deadline.h"

START_TEST(test_a_deadline_is_budget_ms_after_now)
{
	uint64_t before = now_us();
	deadline_t d = deadline_in_ms(1500);
	uint64_t after = now_us();

	ck_assert_uint_ge(d.end_us, before + 1500000u);
	ck_assert_uint_le(d.end_us, after + 1500000u);
	ck_assert(!deadline_expired(d));
	ck_assert_uint_le(deadline_remaining_ms(d), 1500);
	ck_assert_uint_gt(deadline_remaining_ms(d), 0);
	ck_assert_int_le(deadline_poll_timeout(d), 1500);
	ck_assert_int_gt(deadline_poll_timeout(d), 0);
}
END_TEST

START_TEST(test_an_expired_deadline_has_nothing_left)
{
	deadline_t zero = {0};
	deadline_t past = {.end_us = now_us() - 1};
	deadline_t now = deadline_in_ms(0);

	ck_assert(deadline_expired(zero));
	ck_assert(deadline_expired(past));
	ck_assert(deadline_expired(now));
	ck_assert_uint_eq(deadline_remaining_ms(zero), 0);
	ck_assert_uint_eq(deadline_remaining_ms(past), 0);
	ck_assert_int_eq(deadline_poll_timeout(zero), 0);
	ck_assert_int_eq(deadline_poll_timeout(past), 0);
}
END_TEST

START_TEST(test_remaining_time_rounds_up_to_whole_milliseconds)
{
	/* 1 us left must not make poll() spin with a timeout of 0. */
	deadline_t d = {.end_us = now_us() + 100000u + 1u};
	uint64_t ms = deadline_remaining_ms(d);

	ck_assert_uint_le(ms, 101);
	ck_assert_uint_ge(ms, 1);
}
END_TEST

START_TEST(test_a_huge_budget_saturates_instead_of_wrapping_into_the_past)
{
	deadline_t d = deadline_in_ms(UINT64_MAX);

	ck_assert_uint_eq(d.end_us, UINT64_MAX);
	ck_assert(!deadline_expired(d));
	ck_assert_int_eq(deadline_poll_timeout(d), INT_MAX);
	d = deadline_in_ms(UINT64_MAX / 1000u);
	ck_assert(!deadline_expired(d));
}
END_TEST

START_TEST(test_a_share_is_that_percentage_of_what_is_left)
{
	uint64_t t0 = now_us();
	deadline_t d = {.end_us = t0 + 1000000u};
	deadline_t s = deadline_share(d, 50, 0);
	uint64_t t1 = now_us();

	/* now + (end - now) / 2 for some now in [t0, t1], less rounding to 1/100. */
	ck_assert_uint_ge(s.end_us, t0 + 500000u - 100u);
	ck_assert_uint_le(s.end_us, t1 + 500000u);
	ck_assert_uint_le(s.end_us, d.end_us);

	/* Over 100% is all of it (to within the 1/100 rounding of what is left). */
	s = deadline_share(d, 250, 0);
	ck_assert_uint_le(s.end_us, d.end_us);
	ck_assert_uint_ge(s.end_us + 100u, d.end_us);
}
END_TEST

START_TEST(test_a_share_gets_its_minimum_but_never_passes_the_deadline)
{
	uint64_t t0 = now_us();
	deadline_t d = {.end_us = t0 + 1000000u};
	deadline_t s = deadline_share(d, 1, 300);

	ck_assert_uint_ge(s.end_us, t0 + 300000u);
	ck_assert_uint_le(s.end_us, now_us() + 300000u);

	s = deadline_share(d, 10, 5000);
	ck_assert_uint_eq(s.end_us, d.end_us);
	s = deadline_share(d, 10, UINT64_MAX);
	ck_assert_uint_eq(s.end_us, d.end_us);
}
END_TEST

START_TEST(test_a_share_of_an_expired_deadline_is_expired)
{
	deadline_t past = {.end_us = now_us() - 1};
	deadline_t s = deadline_share(past, 50, 1000);

	ck_assert_uint_eq(s.end_us, past.end_us);
	ck_assert(deadline_expired(s));
}
END_TEST

START_TEST(test_deadline_min_is_the_earlier_one)
{
	deadline_t a = {.end_us = 10}, b = {.end_us = 20};

	ck_assert_uint_eq(deadline_min(a, b).end_us, 10);
	ck_assert_uint_eq(deadline_min(b, a).end_us, 10);
	ck_assert_uint_eq(deadline_min(b, b).end_us, 20);
}
END_TEST

START_TEST(test_an_action_keeps_a_tenth_of_its_timeout_between_200_ms_and_5_s)
{
	ck_assert_uint_eq(deadline_action_budget_ms(20000), 18000);
	ck_assert_uint_eq(deadline_action_budget_ms(1000), 800);     /* 100 ms < 200 */
	ck_assert_uint_eq(deadline_action_budget_ms(100000), 95000); /* 10 s > 5 s */
	ck_assert_uint_eq(deadline_action_budget_ms(300), 100);
	/* Shorter than the margin itself: half of it. */
	ck_assert_uint_eq(deadline_action_budget_ms(200), 100);
	ck_assert_uint_eq(deadline_action_budget_ms(100), 50);
	ck_assert_uint_eq(deadline_action_budget_ms(0), 0);
}
END_TEST

static Suite *deadline_suite(void)
{
	Suite *s = suite_create("deadline");

	ADD_CASE(s, test_a_deadline_is_budget_ms_after_now, 5);
	ADD_CASE(s, test_an_expired_deadline_has_nothing_left, 5);
	ADD_CASE(s, test_remaining_time_rounds_up_to_whole_milliseconds, 5);
	ADD_CASE(s, test_a_huge_budget_saturates_instead_of_wrapping_into_the_past, 5);
	ADD_CASE(s, test_a_share_is_that_percentage_of_what_is_left, 5);
	ADD_CASE(s, test_a_share_gets_its_minimum_but_never_passes_the_deadline, 5);
	ADD_CASE(s, test_a_share_of_an_expired_deadline_is_expired, 5);
	ADD_CASE(s, test_deadline_min_is_the_earlier_one, 5);
	ADD_CASE(s, test_an_action_keeps_a_tenth_of_its_timeout_between_200_ms_and_5_s, 5);
	return s;
}

int main(void)
{
	return check_run(deadline_suite());
}
