/*
 * The lease's timing: when a holder's right to write ends, which renewals
 * count, how long a taker watches, and what timeout the watchdog gets.
 * Pure arithmetic on CLOCK_MONOTONIC microseconds, apart from the I/O so
 * that unit tests reach every rule.
 *
 * With T = lease_timeout:
 *   period   P = T/3        a renewal starts every P
 *   io bound B = T/8        a renewal (read and write) that takes longer
 *                           did not happen for its writer: it does not
 *                           extend the right, and the watchdog is not petted
 *   margin   M = T/10       kept back for the self-fence itself (the
 *                           shutdown ioctl, scheduling) and for monotonic
 *                           clocks of two nodes that tick at different rates
 *   right    ends at s + T - M, s the START of the last renewal that counted
 *
 * Why the start: a taker only writes after it has seen the record stand
 * still for at least T on its own clock, from a read made after the
 * holder's last write landed. That write landed after it started, at s, so
 * no taker writes before s + T, and a holder that stops at s + T - M has
 * stopped M earlier. The time a write takes never moves the right later;
 * a write that completes after the right has ended may have landed on a
 * taker's record: its writer fences itself (keeper.c).
 *
 * A taker watches max(its own T, the record's timeout_ms): the holder's
 * renewals come every third of ITS timeout, not the taker's.
 *
 * The watchdog: petted only right after a renewal that counted, at most
 * s + B, with a timeout W (whole seconds, what the kernel API takes) such
 * that s + B + W <= s + T - M, so a node too stuck to fence itself is reset
 * before its right ends; and W > P + B, so renewals on time never let it
 * fire.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct leasetime {
	uint64_t timeout_us; /* T */
	uint64_t period_us;  /* P */
	uint64_t bound_us;   /* B */
	uint64_t margin_us;  /* M */
};

/* The timing of a lease of timeout_ms. -EINVAL below 30 ms (nothing would fit). */
int leasetime_init(uint64_t timeout_ms, struct leasetime *ret);

/* The end of the right given by a renewal that started at start_us: s + T - M. */
uint64_t leasetime_deadline(const struct leasetime *lt, uint64_t start_us);

/*
 * Whether a renewal that started at start_us and completed at done_us,
 * while the right ended at deadline_us, counts: within the bound, and
 * completed before the right it extends ran out.
 */
bool leasetime_counts(const struct leasetime *lt, uint64_t start_us, uint64_t done_us,
		      uint64_t deadline_us);

/* How long a taker watches a record written with recorded_ms by a holder: max of both. */
uint64_t leasetime_watch_ms(uint64_t own_ms, uint64_t recorded_ms);

/*
 * The watchdog timeout in whole seconds: the largest W with B + W <= T - M.
 * -ERANGE when no whole second fits, or W would not exceed P + B (the
 * lease_timeout is too short for a watchdog).
 */
int leasetime_watchdog_s(const struct leasetime *lt, unsigned *ret_s);
