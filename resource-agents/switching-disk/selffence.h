/*
 * Self-fencing: stop this node's I/O to the switching disk at once, without
 * flushing anything more to it, when the lease keeper finds its right to
 * write has ended. The filesystem's shutdown ioctl (EXT4_IOC_SHUTDOWN,
 * XFS_IOC_GOINGDOWN, with the no-log-flush flag) fails every later read
 * and write of every process on that mount with EIO; what was not on the
 * disk yet never reaches it. The mount itself stays until stop unmounts it.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* Whether fstype (as mounted) has a shutdown ioctl self-fencing can use. */
bool selffence_supported(const char *fstype);

/*
 * Shut down the filesystem mounted at directory, in this mount namespace,
 * when it is the one on rdev. The mount point is opened only now (an open
 * descriptor would keep the mount busy) and checked by st_dev and the
 * filesystem magic before the ioctl. 0 when shut down; -ENOENT when
 * directory does not hold rdev (nothing of ours to stop); -EOPNOTSUPP for a
 * filesystem without the ioctl; -errno of the ioctl.
 */
int selffence_shutdown(const char *directory, dev_t rdev);

/*
 * SIGKILL every process using the mount at directory (holders.c), and
 * wait for them within ms. Returns how many are still alive, or -errno.
 */
int selffence_kill_holders(const char *directory, dev_t rdev, unsigned ms);

/*
 * Write back what the data device's own cache holds dirty (fsync of the
 * device). After an ext4 shutdown that is metadata the journal had already
 * committed, which the kernel would otherwise write in place later, maybe
 * over a taker's: done only while the right to write still holds.
 */
int selffence_flush_device(const char *device);
