/*
 * The shutdown ioctls. ext4 took XFS's request number and flag values on
 * purpose, so one request serves both; they are defined here because the
 * distribution's uapi headers do not all carry them (linux/ext4.h is
 * recent, xfs/xfs_fs.h comes with xfslibs-dev).
 */
#include "selffence.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "holders.h"
#include "macro.h"

#define FS_SHUTDOWN	    _IOR('X', 125, uint32_t) /* EXT4_IOC_SHUTDOWN, XFS_IOC_GOINGDOWN */
#define FS_GOING_LOGFLUSH   0x1u		     /* EXT4_GOING_FLAGS_, XFS_FSOP_GOING_FLAGS_ */
#define FS_GOING_NOLOGFLUSH 0x2u
#define EXT_SUPER_MAGIC	    0xef53u /* ext2, ext3, ext4 (the ext4 driver) */
#define XFS_SUPER_MAGIC	    0x58465342u

bool selffence_supported(const char *fstype)
{
	static const char *const types[] = {"ext4", "ext3", "ext2", "xfs"};

	for (size_t i = 0; fstype && i < ARRAY_SIZE(types); i++)
		if (strcmp(fstype, types[i]) == 0)
			return true;
	return false;
}

int selffence_shutdown(const char *directory, dev_t rdev, bool log_flush, bool *ret_cached)
{
	_cleanup_close_ int fd = -1;
	uint32_t flags = log_flush ? FS_GOING_LOGFLUSH : FS_GOING_NOLOGFLUSH;
	struct statfs sf;
	struct stat st;

	if (!directory)
		return -EINVAL;
	/* O_NOFOLLOW|O_DIRECTORY: the mount point itself, never where a link leads. */
	fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : negative_errno();
	if (fstat(fd, &st) < 0 || fstatfs(fd, &sf) < 0)
		return negative_errno();
	if (st.st_dev != rdev)
		return -ENOENT;
	if ((uint32_t)sf.f_type != EXT_SUPER_MAGIC && (uint32_t)sf.f_type != XFS_SUPER_MAGIC)
		return -EOPNOTSUPP;
	if (ioctl(fd, FS_SHUTDOWN, &flags) < 0)
		return negative_errno();
	if (ret_cached)
		*ret_cached = (uint32_t)sf.f_type == EXT_SUPER_MAGIC;
	return 0;
}

int selffence_kill_holders(const char *directory, dev_t rdev, unsigned ms)
{
	struct holders h = {0};
	uint64_t mnt_id;
	dev_t dev;
	int r = holders_mount_of(directory, &mnt_id, &dev);

	if (r < 0)
		return r;
	if (dev != rdev)
		return 0;
	r = holders_find(dev, mnt_id, &h);
	if (r < 0)
		return r;
	r = h.n ? holders_signal_wait(&h, SIGKILL, deadline_in_ms(ms)) : 0;
	holders_free(&h);
	return r;
}

int selffence_flush_device(const char *device)
{
	_cleanup_close_ int fd = -1;

	if (!device)
		return -EINVAL;
	fd = open(device, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return negative_errno();
	return fsync(fd) < 0 ? negative_errno() : 0;
}
