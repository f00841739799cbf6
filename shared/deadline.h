/*
 * Deadlines: every blocking step of an action is bounded by what is left of
 * the action's own timeout (OCF_RESKEY_CRM_meta_timeout), never by a fixed
 * sleep. A deadline is an absolute CLOCK_MONOTONIC time in microseconds.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct deadline {
	uint64_t end_us; /* CLOCK_MONOTONIC; 0 = already expired */
} deadline_t;

uint64_t now_us(void);

/* A deadline budget_ms from now (saturated: a huge budget never wraps). */
deadline_t deadline_in_ms(uint64_t budget_ms);

/* Milliseconds left, 0 once expired. Rounded up so 1 us left is 1 ms. */
uint64_t deadline_remaining_ms(deadline_t d);

bool deadline_expired(deadline_t d);

/*
 * A deadline for one step that may use share_percent of what is left, at
 * least min_ms if that much is left, never past d itself.
 */
deadline_t deadline_share(deadline_t d, unsigned share_percent, uint64_t min_ms);

/* The earlier of the two. */
deadline_t deadline_min(deadline_t a, deadline_t b);

/*
 * The budget of an action: its timeout less a margin kept for cleanup and
 * reporting, so the agent answers before Pacemaker kills it.
 */
uint64_t deadline_action_budget_ms(uint64_t timeout_ms);

/* poll() timeout for the time left: 0 once expired, else ms rounded up, capped at INT_MAX. */
int deadline_poll_timeout(deadline_t d);
