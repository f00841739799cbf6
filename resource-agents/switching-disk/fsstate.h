/*
 * Whether a filesystem needs its checker before mounting (pure), read from
 * its superblock. fsck=auto runs the checker only when this says so, so a
 * clean start forks nothing.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FSSTATE_READ_SIZE 4096u /* bytes from offset 0 the decision needs */

enum fs_state {
	FS_CLEAN,
	FS_DIRTY,     /* not cleanly unmounted, errors recorded, or a journal to replay */
	FS_NO_SIGNAL, /* the format has no clean flag (xfs: mount replays the log) */
};

/*
 * From the first FSSTATE_READ_SIZE bytes of an ext2/3/4 filesystem.
 * -EINVAL when buf is not one (bad magic) or too short.
 */
int fsstate_ext(const uint8_t *buf, size_t size, enum fs_state *ret);

/* ext2, ext3, ext4 (and ext4dev). */
int fsstate_is_ext(const char *fstype);
