/*
 * The processes that keep a mount busy, found under /proc: open
 * descriptors, working directory, root directory and memory maps. A
 * process holds the mount when the object it uses is on that very mount
 * (statx mount id) of that device (st_dev) - never by path prefix, so a
 * bind mount elsewhere, or / itself, never makes a process a holder.
 * Scanned only when an unmount found the mount busy.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "deadline.h"
#include "procid.h"

struct holder {
	struct proc_id id; /* verified before any signal */
	char comm[17];
	char what[8]; /* "fd", "cwd", "root", "map" */
};

struct holders {
	struct holder *v;
	size_t n;
};

void holders_free(struct holders *h);

/* Every process but this one that uses the mount mnt_id of device dev. */
int holders_find(dev_t dev, uint64_t mnt_id, struct holders *ret);

/* The mount id and device of the mount at path (statx). */
int holders_mount_of(const char *path, uint64_t *ret_mnt_id, dev_t *ret_dev);

/*
 * Send sig to every holder still alive as itself and wait until all are
 * gone or deadline. Returns how many are still alive.
 */
int holders_signal_wait(const struct holders *h, int sig, deadline_t deadline);

/* "1234 (dovecot, cwd), 1240 (imap, fd), ..." into buf, cut to fit. */
void holders_format(const struct holders *h, char *buf, size_t size);
