/*
 * Per-resource state under <root>/<instance>/ (root is /run/exha): the
 * directory is created 0700, every file is opened relative to it without
 * following symlinks, and writes are atomic (temporary file + rename), so a
 * crash never leaves half a record and another user cannot redirect a write.
 */
#pragma once

#include <stddef.h>

/* An instance name usable as one path component (Pacemaker's "fip:0" is). */
int state_instance_valid(const char *instance);

/* Open <root>/<instance>, creating both 0700 when missing; fd in ret_dirfd. */
int state_dir_open(const char *root, const char *instance, int *ret_dirfd);

/* Replace name with len bytes of buf, mode 0600. */
int state_write(int dirfd, const char *name, const void *buf, size_t len);

/*
 * Read name into buf (size bytes at most, NUL-terminated, so at most size-1
 * bytes of data). -ENOENT when absent, -EFBIG when larger.
 */
int state_read(int dirfd, const char *name, char *buf, size_t size);

/* Remove name; absent is success. */
int state_remove(int dirfd, const char *name);

/* This boot's identity (/proc/sys/kernel/random/boot_id), 36 chars + NUL. */
#define BOOT_ID_SIZE 37
int boot_id_read(char ret_boot_id[BOOT_ID_SIZE]);
