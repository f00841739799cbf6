/*
 * The fsck policy before mounting: the filesystem's own checker, run
 * without a shell (spawn_run), bounded by the start's deadline.
 *
 *  ext2/3/4  auto: e2fsck -p only when the superblock is not clean (read
 *            directly, so a clean start forks nothing); always: e2fsck -f -p.
 *            Exit 0-2: clean or repaired; 4 and up: not repaired, start fails.
 *  xfs       auto: nothing. XFS has no clean flag (fsck.xfs is a no-op) and
 *            the mount replays its log. always: xfs_repair; exit 2 (a dirty
 *            log, which xfs_repair cannot read) is left to the mount to
 *            replay; the log is never zeroed (-L loses data).
 *  other     auto: nothing; always: fsck.<type> -p when installed, else the
 *            start fails (OCF_ERR_INSTALLED).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "deadline.h"
#include "sd.h"

enum fsck_outcome {
	FSCK_SKIPPED,	   /* clean, or nothing to run for this policy and type */
	FSCK_CLEAN,	   /* the checker ran and found nothing */
	FSCK_REPAIRED,	   /* the checker repaired the filesystem */
	FSCK_LOG_REPLAY,   /* xfs: a dirty log, left to the mount */
	FSCK_NOT_REPAIRED, /* errors left: do not mount */
};

struct fsck_report {
	enum fsck_outcome outcome;
	const char *program; /* the checker's path, when one ran */
	int status;	     /* its exit status, -1 when killed */
	char output[2048];   /* the tail of its output */
};

/*
 * Apply policy to device (of fstype). 0 and ret filled; -ENOENT when the
 * checker is not installed; -ETIME when it outlived the deadline; -errno.
 */
int fsck_apply(const char *device, const char *fstype, enum fsck_policy policy, deadline_t deadline,
	       struct fsck_report *ret);
