/*
 * Pid files and sessions read from /proc. A session id stays allocated
 * while any member lives (the kernel does not reuse a pid that is still a
 * session or group id), so killing by session never reaches a stranger
 * while a member of the service remains.
 */
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "macro.h"
#include "procid.h"
#include "strutil.h"

int pidfile_parse(const char *buf, pid_t *ret_pid)
{
	char num[16];
	size_t len;
	uint64_t v;

	if (!buf || !ret_pid)
		return -EINVAL;
	buf += strspn(buf, " \t");
	len = strspn(buf, "0123456789");
	if (len == 0 || len >= sizeof(num) || buf[len + strspn(buf + len, " \t\n")] != '\0')
		return -EINVAL;
	memcpy(num, buf, len);
	num[len] = '\0';
	if (parse_uint64(num, 1, INT32_MAX, &v) < 0)
		return -EINVAL;
	*ret_pid = (pid_t)v;
	return 0;
}

static int file_read(const char *path, int flags, char *buf, size_t size)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | flags);
	ssize_t n;

	if (fd < 0)
		return negative_errno();
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return negative_errno();
	buf[n] = '\0';
	return (int)n;
}

int pidfile_read(const char *path, pid_t *ret_pid)
{
	char buf[64];
	int r;

	if (!path || !ret_pid)
		return -EINVAL;
	r = file_read(path, 0, buf, sizeof(buf));
	if (r < 0)
		return r;
	return pidfile_parse(buf, ret_pid);
}

int pidfile_alive(const char *path, pid_t *ret_pid)
{
	struct proc_id id;
	pid_t pid;
	int r = pidfile_read(path, &pid);

	if (r == -ENOENT || r == -EINVAL)
		return 0; /* no file, or one a crash left empty or half written */
	if (r < 0)
		return r;
	r = proc_id_of(pid, &id);
	if (r == -ESRCH || r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = proc_id_alive(&id);
	if (r > 0 && ret_pid)
		*ret_pid = pid;
	return r;
}

int pidfile_watch(const char *path)
{
	char dir[PATH_MAX];
	int fd;

	if (!path || strscpy(dir, path, sizeof(dir)) < 0)
		return -1;
	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd >= 0 && inotify_add_watch(fd, dirname(dir), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void pidfile_watch_wait(int watchfd, deadline_t deadline)
{
	struct pollfd p = {.fd = watchfd, .events = POLLIN};
	int timeout = deadline_poll_timeout(deadline);
	char drain[4096];

	if (watchfd < 0)
		timeout = MIN(timeout, PIDFILE_PACE_MS);
	if (poll(&p, 1, timeout) > 0)
		while (read(watchfd, drain, sizeof(drain)) > 0)
			;
}

int pidfile_wait(const char *path, deadline_t deadline, pid_t *ret_pid)
{
	_cleanup_close_ int watchfd = pidfile_watch(path);

	for (;;) {
		int r = pidfile_alive(path, ret_pid);

		if (r != 0)
			return r < 0 ? r : 0;
		if (deadline_expired(deadline))
			return -ETIME;
		pidfile_watch_wait(watchfd, deadline);
	}
}

int proc_stat_session(const char *stat, pid_t *ret_sid)
{
	const char *p;
	unsigned ppid, pgrp;
	int sid;
	char state;

	if (!stat || !ret_sid)
		return -EINVAL;
	p = strrchr(stat, ')');
	if (!p || sscanf(p + 1, " %c %u %u %d", &state, &ppid, &pgrp, &sid) != 4 || sid < 0)
		return -EINVAL;
	*ret_sid = sid;
	return 0;
}

int proc_session_of(pid_t pid, pid_t *ret_sid)
{
	char path[32], buf[1024];
	int r;

	if (pid <= 0 || !ret_sid)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	r = file_read(path, 0, buf, sizeof(buf));
	if (r == -ENOENT)
		return -ESRCH;
	if (r < 0)
		return r;
	return proc_stat_session(buf, ret_sid);
}

/* Call fn for each live member of sid; stops at the first error. */
static int session_each(pid_t sid, int (*fn)(pid_t pid, void *data), void *data)
{
	DIR *d;
	struct dirent *de;
	int r = 0, count = 0;

	if (sid <= 1)
		return -EINVAL;
	if (sid == getsid(0))
		return -EPERM; /* a daemon that never left our session: not ours to sweep */
	d = opendir("/proc");
	if (!d)
		return negative_errno();
	while (r >= 0 && (de = readdir(d))) {
		uint64_t v;
		pid_t s;

		if (parse_uint64(de->d_name, 1, INT32_MAX, &v) < 0 ||
		    proc_session_of((pid_t)v, &s) < 0 || s != sid)
			continue;
		r = fn((pid_t)v, data);
		if (r > 0)
			count++;
	}
	closedir(d);
	return r < 0 ? r : count;
}

static int kill_one(pid_t pid, void *data)
{
	const deadline_t *deadline = data;
	struct proc_id id;
	int r = proc_id_of(pid, &id);

	if (r == -ESRCH || r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (proc_id_alive(&id) <= 0)
		return 0;
	r = proc_id_terminate(&id, SIGKILL, *deadline);
	return r < 0 ? r : 1;
}

static int count_one(pid_t pid, _unused_ void *data)
{
	struct proc_id id;

	return proc_id_of(pid, &id) == 0 && proc_id_alive(&id) > 0;
}

int session_kill(pid_t sid, deadline_t deadline)
{
	return session_each(sid, kill_one, &deadline);
}

int session_count(pid_t sid)
{
	return session_each(sid, count_one, NULL);
}
