/*
 * Deadline arithmetic on CLOCK_MONOTONIC (immune to wall-clock steps, which
 * NTP makes right after a failover more often than one would like).
 */
#include "deadline.h"

#include <limits.h>
#include <time.h>

uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Saturated: a huge budget means "no limit", never a wrap into the past. */
static uint64_t ms_to_us(uint64_t ms)
{
	return ms > UINT64_MAX / 1000u ? UINT64_MAX : ms * 1000u;
}

deadline_t deadline_in_ms(uint64_t budget_ms)
{
	uint64_t now = now_us(), budget = ms_to_us(budget_ms);

	return (deadline_t){.end_us = budget > UINT64_MAX - now ? UINT64_MAX : now + budget};
}

uint64_t deadline_remaining_ms(deadline_t d)
{
	uint64_t now = now_us();
	uint64_t left;

	if (d.end_us <= now)
		return 0;
	left = d.end_us - now;
	return left / 1000u + (left % 1000u != 0);
}

bool deadline_expired(deadline_t d)
{
	return d.end_us <= now_us();
}

deadline_t deadline_share(deadline_t d, unsigned share_percent, uint64_t min_ms)
{
	uint64_t now = now_us();
	uint64_t left, step;

	if (d.end_us <= now)
		return d;
	left = d.end_us - now;
	step = left / 100u * (share_percent > 100 ? 100 : share_percent);
	if (step < ms_to_us(min_ms))
		step = ms_to_us(min_ms);
	if (step > left)
		step = left;
	return (deadline_t){.end_us = now + step};
}

deadline_t deadline_min(deadline_t a, deadline_t b)
{
	return a.end_us < b.end_us ? a : b;
}

uint64_t deadline_action_budget_ms(uint64_t timeout_ms)
{
	/* Keep a tenth for cleanup, at least 200 ms and at most 5 s of it. */
	uint64_t margin = timeout_ms / 10;

	if (margin < 200)
		margin = 200;
	if (margin > 5000)
		margin = 5000;
	if (timeout_ms <= margin)
		return timeout_ms / 2;
	return timeout_ms - margin;
}

int deadline_poll_timeout(deadline_t d)
{
	uint64_t ms = deadline_remaining_ms(d);

	return ms > INT_MAX ? INT_MAX : (int)ms;
}
