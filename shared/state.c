/*
 * Safe state files. The directories are owned by root and 0700; a path
 * component that is a symlink is refused (O_NOFOLLOW), never followed.
 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"

int state_instance_valid(const char *instance)
{
	size_t len;

	if (!instance)
		return -EINVAL;
	len = strlen(instance);
	if (len == 0 || len > 200 || strchr(instance, '/') || strcmp(instance, ".") == 0 ||
	    strcmp(instance, "..") == 0 || instance[0] == '.')
		return -EINVAL;
	return 0;
}

/* One entry of the state directory: never a path, never "", "." or "..". */
static bool name_valid(const char *name)
{
	return name && name[0] && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

static int dir_open_or_create(int atfd, const char *path, int *ret_fd)
{
	int fd;
	struct stat st;

	if (mkdirat(atfd, path, 0700) < 0 && errno != EEXIST)
		return negative_errno();
	fd = openat(atfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return negative_errno();
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 0077)) {
		close(fd);
		return -EPERM;
	}
	*ret_fd = fd;
	return 0;
}

int state_dir_open(const char *root, const char *instance, int *ret_dirfd)
{
	_cleanup_close_ int rootfd = -1;
	int r;

	if (!root || root[0] != '/' || !ret_dirfd || state_instance_valid(instance) < 0)
		return -EINVAL;
	r = dir_open_or_create(AT_FDCWD, root, &rootfd);
	if (r < 0)
		return r;
	return dir_open_or_create(rootfd, instance, ret_dirfd);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return negative_errno();
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int state_write(int dirfd, const char *name, const void *buf, size_t len)
{
	char tmp[256];
	_cleanup_close_ int fd = -1;
	int r;

	if (dirfd < 0 || !name_valid(name) || (!buf && len))
		return -EINVAL;
	if (snprintf(tmp, sizeof(tmp), ".%s.tmp", name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	(void)unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return negative_errno();
	r = write_all(fd, buf, len);
	if (r == 0 && fsync(fd) < 0)
		r = negative_errno();
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = negative_errno();
	if (r < 0)
		(void)unlinkat(dirfd, tmp, 0);
	return r;
}

int state_read(int dirfd, const char *name, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	size_t used = 0;

	if (dirfd < 0 || !name_valid(name) || !buf || size < 2)
		return -EINVAL;
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return negative_errno();
	for (;;) {
		ssize_t n = read(fd, buf + used, size - 1 - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return negative_errno();
		if (n == 0)
			break;
		used += (size_t)n;
		if (used == size - 1) {
			char extra;

			if (read(fd, &extra, 1) > 0)
				return -EFBIG;
			break;
		}
	}
	buf[used] = '\0';
	return (int)used;
}

int state_remove(int dirfd, const char *name)
{
	if (dirfd < 0 || !name_valid(name))
		return -EINVAL;
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		return negative_errno();
	return 0;
}

int boot_id_read(char ret_boot_id[BOOT_ID_SIZE])
{
	_cleanup_close_ int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	char buf[64];
	ssize_t n;

	if (fd < 0)
		return negative_errno();
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return negative_errno();
	if (n < BOOT_ID_SIZE - 1)
		return -EIO;
	memcpy(ret_boot_id, buf, BOOT_ID_SIZE - 1);
	ret_boot_id[BOOT_ID_SIZE - 1] = '\0';
	return 0;
}
