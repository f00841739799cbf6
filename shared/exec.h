/*
 * Running an external program: fsck before mounting the switching disk and
 * init scripts for services without a unit are the only programs exha
 * executes, and never through a shell (no word splitting, no globbing, no
 * injection through a parameter). The program gets stdin from /dev/null, a
 * known environment, no descriptor of ours, its own process group, and the
 * action's deadline: before it ends the whole group is killed, first politely.
 *
 * (Not spawn.h: with shared/ on the include path it would hide <spawn.h>.)
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"

struct spawn_result {
	bool exited;	    /* it called exit(): status holds the code */
	int status;	    /* exit code when exited */
	int signal;	    /* the signal that ended it when !exited */
	bool timed_out;	    /* the deadline passed and it was killed */
	bool truncated;	    /* output held more than the buffer: only its tail is kept */
	uint64_t starttime; /* its start time (/proc/<pid>/stat): what it started is no older */
};

/*
 * Run argv[0] (an absolute path; -EINVAL otherwise) with argv and envp
 * (NULL: PATH=/usr/sbin:/usr/bin:/sbin:/bin and LANG=C only). Its stdout
 * and stderr, interleaved, end up in output: the last output_size - 1 bytes
 * when there were more (the tail of fsck or init script output is what
 * explains a failure), always NUL-terminated. output may be NULL when
 * output_size is 0; it is emptied first, and on failure holds whatever had
 * been read.
 *
 * The program runs until grace_ms (at most a quarter of what is left)
 * before the deadline: then its process group gets SIGTERM, and SIGKILL
 * once three quarters of the grace have passed or the program has died,
 * whichever comes first. So the grace comes out of the caller's budget,
 * and this returns by the deadline even when the program hangs: one that
 * outlives SIGKILL too (uninterruptible sleep on a dead disk) is reported
 * as timed out and killed by signal 9, and left to init unreaped. The
 * program runs under the rule of child.h, in a process group of its own,
 * stdin on /dev/null. A program that exits by itself
 * leaves what it started alone: an init script's daemon keeps running, and
 * its holding the output open does not delay the return.
 *
 * Returns 0 and fills ret_result however the program ended (check exited,
 * status, signal and timed_out); -ETIME without running anything when the
 * deadline has already passed; -ENOENT, -EACCES, ... when it cannot be
 * executed; other -errno when exha itself fails.
 */
int spawn_run(char *const argv[], char *const envp[], deadline_t deadline, unsigned grace_ms,
	      char *output, size_t output_size, struct spawn_result *ret_result);
