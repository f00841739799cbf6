/* Probers for disk-monitor: see prober.h. */
#include "prober.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "child.h"
#include "macro.h"

#define READ_SIZE 4096 /* a multiple of every logical block size */

int block_read_direct(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ void *buf = NULL;
	struct stat st;
	int lbs = 512;
	ssize_t n;

	if (fd < 0)
		return negative_errno();
	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	(void)ioctl(fd, BLKSSZGET, &lbs);
	if (lbs <= 0 || lbs > READ_SIZE)
		lbs = READ_SIZE;
	if (posix_memalign(&buf, READ_SIZE, READ_SIZE) != 0)
		return -ENOMEM;
	n = pread(fd, buf, (size_t)lbs, 0);
	if (n < 0)
		return negative_errno();
	return n == lbs ? 0 : -EIO; /* a short read: the device shrank to nothing */
}

static _Noreturn void prober_run(const char *path, int sock)
{
	char req;

	/* The daemon's death ends us (once a pending read lets us go). */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	while (read(sock, &req, 1) == 1) {
		int32_t result = block_read_direct(path);

		if (write(sock, &result, sizeof(result)) != sizeof(result))
			break;
	}
	_exit(0);
}

#define PROBER_SOCK_FD 3

int prober_start(const char *path, struct prober *ret)
{
	/* In the daemon's group: the executor's kill reaches it with the daemon. */
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_KEEP_GROUP);
	int sv[2], r;
	pid_t pid;

	if (!path || !ret)
		return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return negative_errno();
	/* Nothing of the daemon's (attrd, netlink, main loop) stays open there. */
	spec.fds[PROBER_SOCK_FD] = sv[1];
	spec.n_fds = PROBER_SOCK_FD + 1;
	r = child_fork(&spec, &pid);
	if (r < 0) {
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	if (r == 0)
		prober_run(path, PROBER_SOCK_FD);
	close(sv[1]);
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		close(sv[0]);
		return negative_errno();
	}
	ret->pid = pid;
	ret->fd = sv[0];
	return 0;
}

int prober_request(struct prober *p)
{
	char req = 'r';

	return write(p->fd, &req, 1) == 1 ? 0 : negative_errno();
}

int prober_answer(struct prober *p)
{
	int32_t result;
	ssize_t n = read(p->fd, &result, sizeof(result));

	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : negative_errno();
	if (n != sizeof(result))
		return -EPIPE; /* the prober is gone */
	return result;
}

void prober_stop(struct prober *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	/* Not waited for: a prober stuck on a hung device must not hold up our exit. */
	if (p->pid > 0)
		(void)kill(p->pid, SIGKILL);
	p->pid = 0;
}
