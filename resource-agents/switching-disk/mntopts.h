/*
 * The options parameter (pure): a comma-separated list handed to libmount.
 * Options that would make the mount something other than a mount of the
 * device at directory (bind, move, remount, loop, ...) are refused, and
 * ro/rw is resolved so the monitor knows what to expect.
 */
#pragma once

#include <stdbool.h>

struct mntopts {
	bool ro; /* the last of ro/rw wins, as mount(8) reads them */
};

/* 0 and ret filled, or -EINVAL with *ret_reason saying what is wrong. */
int mntopts_parse(const char *opts, struct mntopts *ret, const char **ret_reason);
