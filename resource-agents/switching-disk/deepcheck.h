/*
 * The deeper monitor checks. Both run on a thread the monitor waits for
 * with its deadline: a dead disk blocks I/O in the kernel, and the monitor
 * must still answer (it reports the timeout; the stuck thread cannot keep
 * the answer from being given, though it may delay the process's exit).
 * Threads, not forks: the monitor path forks nothing.
 */
#pragma once

#include "deadline.h"

/* Level 10: one direct (O_DIRECT) read of the device's first 4 KiB. */
int deepcheck_read_device(const char *device, deadline_t deadline);

/* Level 20: write, fsync, read back (directly) and remove a small file in directory. */
int deepcheck_write_file(const char *directory, const char *node, deadline_t deadline);
