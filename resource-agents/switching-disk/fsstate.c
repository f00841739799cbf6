/*
 * ext superblock fields (at byte 1024, little-endian): s_magic at +56,
 * s_state at +58 (bit 0 cleanly unmounted, bit 1 errors detected),
 * s_feature_incompat at +96 (0x4: the journal needs recovery).
 */
#include "fsstate.h"

#include <errno.h>
#include <string.h>

#define SB_OFF		 1024u
#define EXT_MAGIC	 0xef53u
#define STATE_VALID	 0x0001u
#define STATE_ERROR	 0x0002u
#define INCOMPAT_RECOVER 0x0004u

int fsstate_ext(const uint8_t *buf, size_t size, enum fs_state *ret)
{
	const uint8_t *sb;
	unsigned magic, state;
	uint32_t incompat;

	if (!buf || !ret || size < SB_OFF + 100)
		return -EINVAL;
	sb = buf + SB_OFF;
	magic = sb[56] | (unsigned)sb[57] << 8;
	state = sb[58] | (unsigned)sb[59] << 8;
	incompat = sb[96] | (uint32_t)sb[97] << 8 | (uint32_t)sb[98] << 16 | (uint32_t)sb[99] << 24;
	if (magic != EXT_MAGIC)
		return -EINVAL;
	if (!(state & STATE_VALID) || (state & STATE_ERROR) || (incompat & INCOMPAT_RECOVER))
		*ret = FS_DIRTY;
	else
		*ret = FS_CLEAN;
	return 0;
}

int fsstate_is_ext(const char *fstype)
{
	return fstype && (strcmp(fstype, "ext2") == 0 || strcmp(fstype, "ext3") == 0 ||
			  strcmp(fstype, "ext4") == 0 || strcmp(fstype, "ext4dev") == 0);
}
