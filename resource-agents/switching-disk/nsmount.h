/*
 * Copies of the mount in other mount namespaces. A namespace created while
 * the disk was mounted (a service with PrivateTmp, a container, ip netns
 * exec, unshare) holds its own copy of the mount; unmounting ours then
 * leaves the filesystem mounted and in use, and releasing the lease would
 * let another node mount it too. So stop checks that the device is really
 * free (an exclusive open fails while any mount of it exists) and
 * unmounts the copies, entering each namespace that holds one.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* 0 when nothing holds path (rdev) exclusively any more, -EBUSY when something does. */
int nsmount_device_free(const char *path);

/*
 * Unmount every mount of rdev in every other mount namespace. 0 when all
 * are gone; -EBUSY (a copy is busy, or a chrooted view) with the PID of a
 * process of the namespace that keeps one in *ret_pid; -errno.
 */
int nsmount_release(dev_t rdev, pid_t *ret_pid);
