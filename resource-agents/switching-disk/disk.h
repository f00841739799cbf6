/*
 * The switching disk as the kernel sees it: the device a parameter names
 * (libblkid resolves UUID= and LABEL=), its filesystem type (libblkid
 * probes it), mounting and unmounting it (libmount, without mount helpers
 * and without /etc/mtab), and where it is mounted (/proc/self/mountinfo).
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "mountinfo.h"

/* The block device spec names: a malloc'ed path (caller frees) and its device number. */
int disk_resolve(const char *spec, char **ret_path, dev_t *ret_rdev);

/* The filesystem type libblkid finds on path. -ENOMEDIUM when none, -EUCLEAN when ambiguous. */
int disk_fstype(const char *path, char *buf, size_t size);

/* Mount; -errno of mount(2), or of libmount before it. */
int disk_mount(const char *source, const char *target, const char *fstype, const char *options);

/* Unmount target; -EBUSY when something holds it. */
int disk_umount(const char *target);

/* The visible mount at target from /proc/self/mountinfo: 1 found, 0 not, -errno. */
int disk_find_mount(const char *target, struct mountinfo *ret);

/* Whether the mount is of rdev. */
int disk_mount_is(const struct mountinfo *m, dev_t rdev);

/* 1 and ret_target when rdev is mounted anywhere in this namespace, 0 when not, -errno. */
int disk_find_device(dev_t rdev, struct mountinfo *ret);
