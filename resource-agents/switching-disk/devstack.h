/*
 * Whether two block devices are one, or one is built on the other: the
 * lease must never live on the data device, a partition of it, a device
 * stacked on it (device-mapper, md, a loop device over a file on its
 * filesystem) or under it. Equal paths are not enough: LABEL=, UUID= and
 * /dev/disk/by-* name one device many ways, so devices are compared by
 * dev_t, and their stacking is read from sysfs (holders/, slaves/, the
 * partition's disk, a loop device's backing file).
 *
 * devstack_gather reads sysfs (a root directory is given, so tests can
 * build one); devstack_relate is the pure rule.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define DEVSTACK_MAX 64

struct devstack {
	dev_t dev;
	dev_t below[DEVSTACK_MAX]; /* what dev is built on, transitively */
	size_t n_below;
	dev_t above[DEVSTACK_MAX]; /* what is built on dev, transitively */
	size_t n_above;
	int truncated; /* more than DEVSTACK_MAX either way: relate refuses */
};

enum devstack_relation {
	DEVSTACK_APART,	  /* neither is built on the other (siblings on one disk too) */
	DEVSTACK_SAME,	  /* one device */
	DEVSTACK_ON,	  /* a is built on b: a partition of it, stacked on it, a file on it */
	DEVSTACK_UNDER,	  /* b is built on a */
	DEVSTACK_UNKNOWN, /* a stack too deep to judge */
};

/*
 * The devices below and above dev under sysfs ("/sys"). A device sysfs
 * does not know (it went away) has empty lists. With loop_files, a loop
 * device's backing file counts as built on its filesystem's device
 * (st_dev), when the file can be found from here: that takes a stat() of
 * the file, which a hung filesystem answers late or never, so only the
 * lease device's stack is followed that way (a lease device on a hung
 * filesystem hangs its I/O anyway; the data device's never needs it, as a
 * lease device holds no filesystem to hold a file).
 */
int devstack_gather(const char *sysfs, dev_t dev, bool loop_files, struct devstack *ret);

/* How a relates to b, judged from both sides' lists. */
enum devstack_relation devstack_relate(const struct devstack *a, const struct devstack *b);
