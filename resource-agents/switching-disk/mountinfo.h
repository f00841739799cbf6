/*
 * /proc/self/mountinfo, parsed strictly (pure; see proc(5)). The monitor's
 * whole level-0 check reads it, so it must never fork and never guess: a
 * line that does not parse is an error, not a skipped mount.
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct mountinfo {
	int mnt_id;
	int parent_id;
	unsigned major, minor; /* st_dev of the filesystem */
	char root[PATH_MAX];   /* unescaped */
	char target[PATH_MAX]; /* unescaped mount point */
	bool ro;	       /* per-mount "ro" */
	char fstype[64];       /* "ext4", "fuse.x" */
	char source[PATH_MAX]; /* unescaped; "none" and the like for virtual filesystems */
	bool sb_ro;	       /* the superblock is read-only (errors=remount-ro fired) */
};

/* One line (with or without its newline). -EINVAL when malformed or too long. */
int mountinfo_parse_line(const char *line, struct mountinfo *ret);

/*
 * The mount at target that is visible (the last one listed: later mounts
 * stack on earlier ones). 1 and ret filled when found, 0 when not, -errno
 * (-EINVAL for a malformed line).
 */
int mountinfo_find_target(FILE *f, const char *target, struct mountinfo *ret);
