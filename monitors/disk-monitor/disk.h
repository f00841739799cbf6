/*
 * ocf:exha:disk-monitor: I/O liveness of block devices. A direct read
 * (O_DIRECT: the device itself, never the page cache) must complete within
 * timeout; a device that hangs counts as failed as surely as one that
 * returns an error.
 */
#pragma once

#include "agent.h"
#include "mon.h"

struct disk_config {
	struct mon_attr attr;
	char **devices;
	uint64_t interval_s;
	uint64_t timeout_ms;
};

#define DISK_N_PARAMS (3 + MON_ATTR_N_PARAMS)
extern const struct param_def disk_params[DISK_N_PARAMS];
int disk_config_check(void *config, struct error *err);
