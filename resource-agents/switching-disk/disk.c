/*
 * libblkid and libmount calls. Mount helpers (/sbin/mount.<type>) are
 * disabled: exha runs no program but the filesystem checker, and a helper
 * would be one more fork on the start path.
 */
#include "disk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <blkid.h>
#include <libmount.h>

#include "macro.h"

static void mnt_context_freep(struct libmnt_context **c)
{
	mnt_free_context(*c);
}

static void blkid_probe_freep(blkid_probe *p)
{
	if (*p)
		blkid_free_probe(*p);
}

static void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

int disk_resolve(const char *spec, char **ret_path, dev_t *ret_rdev)
{
	_cleanup_free_ char *path = NULL;
	struct stat st;

	if (!spec || !ret_path || !ret_rdev)
		return -EINVAL;
	path = spec[0] == '/' ? strdup(spec) : blkid_evaluate_tag(spec, NULL, NULL);
	if (!path)
		return spec[0] == '/' ? -ENOMEM : -ENOENT;
	if (stat(path, &st) < 0)
		return negative_errno();
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	*ret_rdev = st.st_rdev;
	*ret_path = TAKE_PTR(path);
	return 0;
}

int disk_fstype(const char *path, char *buf, size_t size)
{
	_cleanup_(blkid_probe_freep) blkid_probe pr = blkid_new_probe_from_filename(path);
	const char *type = NULL;
	int r;

	if (!pr)
		return errno ? negative_errno() : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	r = blkid_do_safeprobe(pr);
	if (r == 1)
		return -ENOMEDIUM;
	if (r == -2)
		return -EUCLEAN;
	if (r < 0)
		return -EIO;
	if (blkid_probe_lookup_value(pr, "TYPE", &type, NULL) < 0 || !type)
		return -ENOMEDIUM;
	return snprintf(buf, size, "%s", type) >= (int)size ? -ENAMETOOLONG : 0;
}

/* libmount's answer as -errno: the syscall's when it ran, else the library's. */
static int context_errno(struct libmnt_context *cxt, int rc)
{
	if (mnt_context_syscall_called(cxt) && mnt_context_get_syscall_errno(cxt))
		return -mnt_context_get_syscall_errno(cxt);
	if (rc < 0)
		return rc;
	if (rc == MNT_ERR_NOFSTYPE || rc == MNT_ERR_AMBIFS)
		return -EMEDIUMTYPE;
	if (rc == MNT_ERR_MOUNTOPT || rc == MNT_ERR_APPLYFLAGS)
		return -EINVAL;
	return rc > 0 ? -EIO : 0;
}

static int context_new(const char *target, struct libmnt_context **ret)
{
	struct libmnt_context *cxt = mnt_new_context();

	if (!cxt)
		return -ENOMEM;
	if (mnt_context_disable_helpers(cxt, 1) < 0 || mnt_context_disable_mtab(cxt, 1) < 0 ||
	    mnt_context_set_target(cxt, target) < 0) {
		mnt_free_context(cxt);
		return -ENOMEM;
	}
	*ret = cxt;
	return 0;
}

int disk_mount(const char *source, const char *target, const char *fstype, const char *options)
{
	_cleanup_(mnt_context_freep) struct libmnt_context *cxt = NULL;
	int r = context_new(target, &cxt);

	if (r < 0)
		return r;
	/* Only what we were told: no fstab lookup may add to it. */
	if (mnt_context_set_optsmode(cxt, MNT_OMODE_NOTAB) < 0 ||
	    mnt_context_set_source(cxt, source) < 0 || mnt_context_set_fstype(cxt, fstype) < 0 ||
	    mnt_context_set_options(cxt, options) < 0)
		return -ENOMEM;
	r = mnt_context_mount(cxt);
	if (r == 0 && mnt_context_get_status(cxt) == 1)
		return 0;
	r = context_errno(cxt, r);
	return r < 0 ? r : -EIO;
}

int disk_umount(const char *target)
{
	_cleanup_(mnt_context_freep) struct libmnt_context *cxt = NULL;
	int r = context_new(target, &cxt);

	if (r < 0)
		return r;
	r = mnt_context_umount(cxt);
	if (r == 0 && mnt_context_get_status(cxt) == 1)
		return 0;
	r = context_errno(cxt, r);
	return r < 0 ? r : -EIO;
}

int disk_find_mount(const char *target, struct mountinfo *ret)
{
	_cleanup_(fclosep) FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return negative_errno();
	return mountinfo_find_target(f, target, ret);
}

int disk_mount_is(const struct mountinfo *m, dev_t rdev)
{
	return m->major == major(rdev) && m->minor == minor(rdev);
}

int disk_find_device(dev_t rdev, struct mountinfo *ret)
{
	_cleanup_(fclosep) FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	if (!f)
		return negative_errno();
	while (getline(&line, &cap, f) >= 0) {
		int r = mountinfo_parse_line(line, ret);

		if (r < 0)
			return r;
		if (disk_mount_is(ret, rdev))
			return 1;
	}
	return ferror(f) ? -EIO : 0;
}
