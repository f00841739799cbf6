/*
 * The bind password file: owned by root, readable by no one else, read
 * once into memory the caller wipes (explicit_bzero) after binding.
 */
#pragma once

#include <stddef.h>

/*
 * Read the first line of path into buf (size bytes, NUL-terminated).
 * -EPERM when not owned by root, -EACCES when group or others may read or
 * write it, -EINVAL when not a regular file (or a symlink), -ENODATA when
 * empty, -EFBIG when longer than size-1; other -errno from open/read.
 */
int secret_read(const char *path, char *buf, size_t size);
