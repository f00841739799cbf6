/*
 * Reading the bind password. The checks run on the opened descriptor, so
 * the file checked is the file read; a symlink is refused outright.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "secret.h"

static int check(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_uid != 0)
		return -EPERM;
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return -EACCES;
	return 0;
}

int secret_read(const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	size_t len = 0;
	ssize_t n;
	int r;

	if (!path || !buf || size < 2)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ELOOP ? -EINVAL : negative_errno();
	if ((r = check(fd)) < 0)
		return r;
	while (len < size && (n = read(fd, buf + len, size - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = negative_errno();
			explicit_bzero(buf, size);
			return r;
		}
		len += (size_t)n;
	}
	/* The first line only; a password filling the buffer may have been cut. */
	for (n = 0; (size_t)n < len && buf[n] != '\n' && buf[n] != '\r'; n++)
		;
	len = (size_t)n;
	if (len >= size) {
		explicit_bzero(buf, size);
		return -EFBIG;
	}
	buf[len] = '\0';
	return len ? 0 : -ENODATA;
}
