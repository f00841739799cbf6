/*
 * Secrets kept in files only root may read: ad-fixup's bind password,
 * the mail probes' login. One reader, so the same file gets the same
 * verdict and the same words from every agent. The checks run on the
 * opened descriptor, so the file checked is the file read; a symlink is
 * refused, never followed. The caller wipes what it got (explicit_bzero).
 */
#pragma once

#include <stddef.h>

#include "error.h"

/* A secrets file is small: a bigger one is not ours. */
#define SECRET_FILE_MAX 4096

/*
 * The whole of path into buf (size bytes, NUL-terminated), its length in
 * *ret_len. Errors, each with a message naming path (never the content):
 * -errno of open() (-ENOENT, -EACCES, ...), -ELOOP for a symlink, -EPERM
 * when not a regular file owned by root, or open to group or others,
 * -EFBIG when larger than SECRET_FILE_MAX or size-1, -EINVAL when it holds
 * a NUL byte. buf is wiped on failure.
 */
int secret_file_read(const char *path, char *buf, size_t size, size_t *ret_len, struct error *err);

/*
 * The first line of path (without its line end) into buf: a password
 * file. -ENODATA when that line is empty, -EFBIG when it does not fit in
 * size-1 bytes; otherwise as secret_file_read().
 */
int secret_line_read(const char *path, char *buf, size_t size, struct error *err);
