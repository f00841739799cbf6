/*
 * The /proc scan. Each candidate object is looked at with statx() through
 * the magic links (/proc/<pid>/cwd, fd/<n>, map_files/<range>), which give
 * the mount the process really uses, in whatever mount namespace it lives.
 * Processes vanish while we look: ENOENT and ESRCH just skip them.
 */
#include "holders.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "macro.h"
#include "maps.h"
#include "strutil.h"

/* /proc/<pid>/<what>/<name>: a directory entry name is at most 255 bytes. */
#define PROC_PATH_MAX 600

struct target {
	dev_t dev;
	uint64_t mnt_id;
};

void holders_free(struct holders *h)
{
	free(h->v);
	*h = (struct holders){0};
}

int holders_mount_of(const char *path, uint64_t *ret_mnt_id, dev_t *ret_dev)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) < 0)
		return negative_errno();
	if (!(stx.stx_mask & STATX_MNT_ID))
		return -EOPNOTSUPP;
	*ret_mnt_id = stx.stx_mnt_id;
	*ret_dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	return 0;
}

static bool on_target(const char *path, const struct target *t)
{
	uint64_t mnt_id;
	dev_t dev;

	return holders_mount_of(path, &mnt_id, &dev) == 0 && dev == t->dev && mnt_id == t->mnt_id;
}

static bool fds_hold(const char *pid, const struct target *t)
{
	char path[PROC_PATH_MAX];
	DIR *d;
	struct dirent *e;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, e->d_name);
		found = on_target(path, t);
	}
	closedir(d);
	return found;
}

/* A map of a file on the device; map_files (root only) tells its mount. */
static bool map_holds(const char *pid, const struct map_entry *m, const struct target *t)
{
	char path[PROC_PATH_MAX];
	uint64_t mnt_id;
	dev_t dev;

	if (m->inode == 0 || makedev(m->major, m->minor) != t->dev)
		return false;
	snprintf(path, sizeof(path), "/proc/%s/map_files/%" PRIx64 "-%" PRIx64, pid, m->start,
		 m->end);
	if (holders_mount_of(path, &mnt_id, &dev) < 0)
		return true; /* the device matched and nothing says otherwise */
	return mnt_id == t->mnt_id;
}

static bool maps_hold(const char *pid, const struct target *t)
{
	char path[PROC_PATH_MAX];
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) >= 0) {
		struct map_entry m;

		found = maps_parse_line(line, &m) == 0 && map_holds(pid, &m, t);
	}
	free(line);
	fclose(f);
	return found;
}

static const char *what_holds(const char *pid, const struct target *t)
{
	char path[PROC_PATH_MAX];

	snprintf(path, sizeof(path), "/proc/%s/cwd", pid);
	if (on_target(path, t))
		return "cwd";
	snprintf(path, sizeof(path), "/proc/%s/root", pid);
	if (on_target(path, t))
		return "root";
	if (fds_hold(pid, t))
		return "fd";
	return maps_hold(pid, t) ? "map" : NULL;
}

static void comm_read(const char *pid, char *buf, size_t size)
{
	char path[PROC_PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "re");
	buf[0] = '\0';
	if (f) {
		if (fgets(buf, (int)size, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static int holder_add(struct holders *h, const char *pid_s, const char *what)
{
	struct holder *v, *x;
	uint64_t pid;

	if (parse_uint64(pid_s, 1, INT32_MAX, &pid) < 0)
		return 0;
	v = realloc(h->v, (h->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	h->v = v;
	x = &v[h->n];
	if (proc_id_of((pid_t)pid, &x->id) < 0)
		return 0; /* gone meanwhile */
	comm_read(pid_s, x->comm, sizeof(x->comm));
	snprintf(x->what, sizeof(x->what), "%s", what);
	h->n++;
	return 0;
}

int holders_find(dev_t dev, uint64_t mnt_id, struct holders *ret)
{
	struct target t = {.dev = dev, .mnt_id = mnt_id};
	struct holders h = {0};
	char self[16];
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (!ret)
		return -EINVAL;
	d = opendir("/proc");
	if (!d)
		return negative_errno();
	snprintf(self, sizeof(self), "%d", (int)getpid());
	while (r == 0 && (e = readdir(d))) {
		const char *what;

		if (e->d_name[0] < '1' || e->d_name[0] > '9' || strcmp(e->d_name, self) == 0)
			continue;
		what = what_holds(e->d_name, &t);
		if (what)
			r = holder_add(&h, e->d_name, what);
	}
	closedir(d);
	if (r < 0) {
		holders_free(&h);
		return r;
	}
	*ret = h;
	return 0;
}

static int wait_all(struct pollfd *pfd, size_t n, deadline_t deadline)
{
	size_t alive = n;

	while (alive > 0) {
		int r = poll(pfd, n, deadline_poll_timeout(deadline));

		if (r < 0 && errno != EINTR)
			return negative_errno();
		if (r == 0)
			break;
		alive = 0;
		for (size_t i = 0; i < n; i++) {
			if (pfd[i].fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP))) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			}
			alive += pfd[i].fd >= 0;
		}
	}
	return (int)alive;
}

int holders_signal_wait(const struct holders *h, int sig, deadline_t deadline)
{
	_cleanup_free_ struct pollfd *pfd = calloc(h->n ? h->n : 1, sizeof(*pfd));
	int alive;

	if (!pfd)
		return -ENOMEM;
	for (size_t i = 0; i < h->n; i++) {
		int fd = pidfd_open(h->v[i].id.pid, 0);

		pfd[i] = (struct pollfd){.fd = -1, .events = POLLIN};
		/* Checked after the pidfd is open: the process signalled is the one found. */
		if (fd < 0 || proc_id_alive(&h->v[i].id) != 1 ||
		    pidfd_send_signal(fd, sig, NULL, 0) < 0) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		pfd[i].fd = fd;
	}
	alive = wait_all(pfd, h->n, deadline);
	for (size_t i = 0; i < h->n; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	return alive;
}

void holders_format(const struct holders *h, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < h->n && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%d (%s, %s)", i ? ", " : "",
				 (int)h->v[i].id.pid, h->v[i].comm, h->v[i].what);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}
