/*
 * Self-fencing: stop this node's I/O to the switching disk at once when the
 * lease keeper finds its right to write has ended (or is about to). The filesystem's shutdown ioctl
 * (EXT4_IOC_SHUTDOWN, XFS_IOC_GOINGDOWN, with the no-log-flush flag) fails every later read and
 * write of every process on that mount with EIO; what was not on the disk yet never reaches it. The
 * mount itself stays until stop unmounts it.
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
 *
 * log_flush: the filesystem marks itself shut down first (no new
 * operation starts from then on), then writes its log, then stops; without
 * it, nothing more is written, and an fsync that was already under way can
 * still return success for a transaction that never reached the log (ext4:
 * the shutdown's own aborted commit of that transaction completes between
 * the fsync's data write and its wait, which then finds nothing to wait
 * for). So: with it while no taker can have written, without it after.
 *
 * ret_cached (may be NULL) says, once shut down, whether the filesystem
 * leaves metadata it had committed to the block device's own cache, where
 * the kernel writes it in place later whatever the shutdown says (the ext
 * family: its buffer heads live in the device's page cache). xfs keeps its
 * metadata in buffers of its own and stops writing them once shut down.
 */
int selffence_shutdown(const char *directory, dev_t rdev, bool log_flush, bool *ret_cached);

/*
 * SIGKILL every process using the mount at directory (holders.c), and
 * wait for them within ms. Returns how many are still alive, or -errno.
 */
int selffence_kill_holders(const char *directory, dev_t rdev, unsigned ms);

/*
 * Write back what the data device's own cache holds dirty (fsync of the
 * device). After an ext4 shutdown that is metadata the journal had already
 * committed, which the kernel would otherwise write in place later (its
 * writeback, any sync, the unmount at stop), maybe over a taker's: the
 * keeper does it at once, while no taker can have written yet (see
 * keeper.c for the late case).
 */
int selffence_flush_device(const char *device);
