/* Reading root-only secrets files (see secret.h). */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"

static int check(int fd, const char *path, struct error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return error_set(err, errno, "'%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return error_set(err, EPERM, "'%s': not a regular file", path);
	if (st.st_uid != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)))
		return error_set(err, EPERM,
				 "'%s': must be owned by root and closed to group and others "
				 "(chown root '%s'; chmod 600 '%s')",
				 path, path, path);
	if (st.st_size > SECRET_FILE_MAX)
		return error_set(err, EFBIG, "'%s': larger than %d bytes", path, SECRET_FILE_MAX);
	return 0;
}

/* Up to size bytes; a file that fills them is too big for the caller. */
static int read_all(int fd, char *buf, size_t size, size_t *ret_len)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return negative_errno();
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*ret_len = len;
	return 0;
}

int secret_file_read(const char *path, char *buf, size_t size, size_t *ret_len, struct error *err)
{
	_cleanup_close_ int fd = -1;
	size_t len = 0;
	int r;

	if (!path || !buf || size < 2 || !ret_len)
		return error_set(err, EINVAL, "no secrets file");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ELOOP)
		return error_set(err, ELOOP, "'%s': a symbolic link (not followed)", path);
	if (fd < 0)
		return error_set(err, errno, "'%s': %s", path, strerror(errno));
	if ((r = check(fd, path, err)) < 0)
		return r;
	r = read_all(fd, buf, size, &len);
	if (r < 0)
		r = error_set(err, -r, "'%s': %s", path, strerror(-r));
	else if (len >= size)
		r = error_set(err, EFBIG, "'%s': larger than %zu bytes", path, size - 1);
	else if (memchr(buf, '\0', len))
		r = error_set(err, EINVAL, "'%s': holds a NUL byte", path);
	if (r < 0) {
		explicit_bzero(buf, size);
		return r;
	}
	buf[len] = '\0';
	*ret_len = len;
	return 0;
}

int secret_line_read(const char *path, char *buf, size_t size, struct error *err)
{
	char text[SECRET_FILE_MAX + 1];
	size_t len, line;
	int r;

	if (!buf || size < 2)
		return error_set(err, EINVAL, "no buffer");
	r = secret_file_read(path, text, sizeof(text), &len, err);
	if (r < 0)
		return r;
	line = strcspn(text, "\r\n");
	if (line == 0)
		r = error_set(err, ENODATA, "'%s': the first line is empty", path);
	else if (line >= size)
		r = error_set(err, EFBIG, "'%s': the first line is longer than %zu bytes", path,
			      size - 1);
	else {
		memcpy(buf, text, line);
		buf[line] = '\0';
	}
	explicit_bzero(text, sizeof(text));
	return r;
}
