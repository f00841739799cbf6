/*
 * Restart bookkeeping of one service (ARMLoad /R <count>): the times of the
 * in-place restarts the monitor made, kept in the state directory as
 * "<t> <t> ...\n" (milliseconds of CLOCK_MONOTONIC, which /run does not
 * outlive). Only restarts inside the window count. Pure.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RESTART_MAX 64

struct restart_log {
	size_t n;
	uint64_t t_ms[RESTART_MAX]; /* oldest first */
};

/* Strict: blank-separated decimal times, ascending, at most RESTART_MAX. */
int restart_log_parse(const char *s, struct restart_log *ret);
int restart_log_format(const struct restart_log *log, char *buf, size_t size);

/* Drop the times older than window_ms before now_ms; returns how many remain. */
size_t restart_log_prune(struct restart_log *log, uint64_t now_ms, uint64_t window_ms);

/*
 * Whether one more restart is allowed: fewer than count restarts within the
 * window (count 0: never). Prunes log first.
 */
bool restart_allowed(struct restart_log *log, uint64_t now_ms, uint64_t window_ms, uint64_t count);

/* Record a restart at now_ms (the oldest is dropped when full). */
void restart_log_add(struct restart_log *log, uint64_t now_ms);

/* How many restarts in log are later than since_ms (those not yet reported). */
size_t restart_log_newer(const struct restart_log *log, uint64_t since_ms);
