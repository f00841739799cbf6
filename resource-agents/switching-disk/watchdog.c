/* The watchdog device API (see watchdog.h). */
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "macro.h"

int watchdog_arm(const char *path, unsigned timeout_s, int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	int t = (int)timeout_s;

	if (!path || !ret_fd || timeout_s == 0)
		return -EINVAL;
	/* Opening starts the timer: from here on, every failure disarms it again. */
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return negative_errno();
	if (ioctl(fd, WDIOC_SETTIMEOUT, &t) < 0) {
		int r = negative_errno();

		watchdog_disarm(TAKE_FD(fd));
		return r;
	}
	if (t < 1 || (unsigned)t > timeout_s) {
		watchdog_disarm(TAKE_FD(fd));
		return -ERANGE;
	}
	if (ioctl(fd, WDIOC_KEEPALIVE, 0) < 0) {
		int r = negative_errno();

		watchdog_disarm(TAKE_FD(fd));
		return r;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int watchdog_pet(int fd)
{
	return ioctl(fd, WDIOC_KEEPALIVE, 0) < 0 ? negative_errno() : 0;
}

void watchdog_disarm(int fd)
{
	if (fd < 0)
		return;
	(void)!write(fd, "V", 1);
	close(fd);
}
