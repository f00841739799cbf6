/*
 * ocf:exha:switching-disk: the failover group's shared disk, mounted on
 * exactly one node. An on-disk lease on a separate small device says which
 * node that is; a keeper process renews it while the disk is mounted.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "agent.h"

enum fsck_policy {
	FSCK_AUTO,   /* only when the filesystem says it is not clean */
	FSCK_ALWAYS, /* a full check before every mount */
	FSCK_NEVER,
};

enum self_fence_mode {
	SELF_FENCE_SHUTDOWN, /* the filesystem's shutdown ioctl when the lease is lost */
	SELF_FENCE_NONE,     /* on purpose: nothing stops this node's I/O (see meta-data) */
};

struct sd_config {
	const char *device;	  /* a path, or UUID=/LABEL=/PARTUUID=/PARTLABEL= */
	const char *directory;	  /* absolute, normalised */
	const char *fstype;	  /* NULL = detected with libblkid */
	const char *options;	  /* comma-separated, checked by mntopts */
	unsigned fsck;		  /* enum fsck_policy */
	const char *lease_device; /* NULL = no lease (the risk is in the meta-data) */
	uint64_t lease_timeout_s;
	uint64_t lease_slot; /* the slot of lease_device's area this resource uses */
	bool force_unmount;
	bool ro;	      /* from options: what the monitor expects */
	unsigned self_fence;  /* enum self_fence_mode */
	const char *watchdog; /* NULL = /dev/watchdog when it exists; "none"; a path */
};

#define SD_N_PARAMS 11
extern const struct param_def sd_params[SD_N_PARAMS];
int sd_config_check(void *config, struct error *err);

/* A device parameter: an absolute path or a libblkid tag (NAME=value). */
bool sd_device_spec_valid(const char *s);
