/*
 * fsopen(fstype) fails with ENODEV for a type the kernel does not know
 * (module autoloading included), and fsconfig() refuses an option the
 * filesystem does not know with EINVAL, before any superblock exists, for
 * every filesystem converted to the new mount API (ext4 and xfs among
 * them). Mount-point flags (noatime, nodev, ro, ...) and userspace options
 * (defaults, nofail, x-*) are not the filesystem's: libmount sorts them out
 * first, exactly as when it mounts. Nothing here touches a device.
 */
#include "fskernel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <libmount.h>

#include "macro.h"

/* The kernel's own message for the refusal, from the context's log. */
static void context_why(int fsfd, const char *fstype, const char *key, char *buf, size_t size)
{
	char msg[256];
	ssize_t n = read(fsfd, msg, sizeof(msg) - 1);

	if (n > 2 && (msg[0] == 'e' || msg[0] == 'w') && msg[1] == ' ') {
		msg[n] = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		snprintf(buf, size, "%s", msg + 2);
		return;
	}
	snprintf(buf, size, "%s refuses option '%s'", fstype, key);
}

static int set_option(int fsfd, const char *fstype, const char *name, size_t namesz,
		      const char *value, size_t valuesz, char *why, size_t size)
{
	_cleanup_free_ char *key = strndup(name, namesz);
	_cleanup_free_ char *val = value ? strndup(value, valuesz) : NULL;
	int r;

	if (!key || (value && !val))
		return -ENOMEM;
	r = val ? fsconfig(fsfd, FSCONFIG_SET_STRING, key, val, 0)
		: fsconfig(fsfd, FSCONFIG_SET_FLAG, key, NULL, 0);
	if (r == 0)
		return 0;
	r = negative_errno();
	if (r == -EINVAL)
		context_why(fsfd, fstype, key, why, size);
	return r;
}

int fskernel_check(const char *fstype, const char *options, char *ret_why, size_t size)
{
	_cleanup_free_ char *fsopts = NULL;
	_cleanup_close_ int fsfd = -1;
	char *next, *name, *value;
	size_t namesz, valuesz;
	int r;

	if (!fstype || !ret_why || size == 0)
		return -EINVAL;
	ret_why[0] = '\0';
	fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return errno == ENOSYS ? 0 : negative_errno();
	if (!options)
		return 0;
	r = mnt_split_optstr(options, NULL, NULL, &fsopts, 0, 0);
	if (r < 0)
		return -EINVAL;
	next = fsopts;
	while (next && mnt_optstr_next_option(&next, &name, &namesz, &value, &valuesz) == 0) {
		r = set_option(fsfd, fstype, name, namesz, value, valuesz, ret_why, size);
		if (r < 0)
			return r;
	}
	return 0;
}
