/* The lease's timing rules (see leasetime.h for the arithmetic and why). */
#include "leasetime.h"

#include <errno.h>

int leasetime_init(uint64_t timeout_ms, struct leasetime *ret)
{
	uint64_t t;

	if (!ret || timeout_ms < 30 || timeout_ms > UINT64_MAX / 1000u)
		return -EINVAL;
	t = timeout_ms * 1000u;
	*ret = (struct leasetime){
		.timeout_us = t,
		.period_us = t / 3,
		.bound_us = t / 8,
		.margin_us = t / 10,
	};
	return 0;
}

uint64_t leasetime_deadline(const struct leasetime *lt, uint64_t start_us)
{
	uint64_t keep = lt->timeout_us - lt->margin_us;

	/* Saturating: a start near the end of the clock never wraps to a right in the past. */
	return start_us > UINT64_MAX - keep ? UINT64_MAX : start_us + keep;
}

bool leasetime_counts(const struct leasetime *lt, uint64_t start_us, uint64_t done_us,
		      uint64_t deadline_us)
{
	return done_us >= start_us && done_us - start_us <= lt->bound_us && done_us < deadline_us;
}

uint64_t leasetime_watch_ms(uint64_t own_ms, uint64_t recorded_ms)
{
	return own_ms > recorded_ms ? own_ms : recorded_ms;
}

int leasetime_watchdog_s(const struct leasetime *lt, unsigned *ret_s)
{
	uint64_t room = lt->timeout_us - lt->margin_us - lt->bound_us;
	uint64_t w = room / 1000000u;

	if (!ret_s)
		return -EINVAL;
	if (w < 1 || w > 3600 || w * 1000000u <= lt->period_us + lt->bound_us)
		return -ERANGE;
	*ret_s = (unsigned)w;
	return 0;
}
