/*
 * Whether this node's kernel takes the filesystem type and mount options,
 * asked without mounting anything, so validate-all and start refuse a wrong
 * fstype or option with the same code before any lease is taken or any
 * group moves.
 */
#pragma once

#include <stddef.h>

/*
 * 0 when the kernel takes them (or cannot tell: no new mount API, or a
 * filesystem on the legacy mount context, which only the mount judges);
 * -ENODEV when it knows no filesystem type fstype; -EINVAL when the
 * filesystem refuses an option, with the kernel's words in ret_why
 * ("ext4: Unknown parameter 'nosuchopt'"). Other -errno when it cannot ask.
 */
int fskernel_check(const char *fstype, const char *options, char *ret_why, size_t size);
