/*
 * Verified process identities. Signals go through a pidfd opened before the
 * identity check, so the process checked is the process signalled.
 */
#include "procid.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "strutil.h"

int proc_stat_starttime(const char *stat, uint64_t *ret_starttime)
{
	const char *p;

	if (!stat || !ret_starttime)
		return -EINVAL;
	/* comm (field 2) is in parentheses and may contain anything: skip to its last ')'. */
	p = strrchr(stat, ')');
	if (!p)
		return -EINVAL;
	p++;
	for (unsigned field = 3;; field++) {
		char num[32];
		size_t len;

		if (*p != ' ')
			return -EINVAL;
		p++;
		len = strcspn(p, " \n");
		if (len == 0)
			return -EINVAL;
		if (field < 22) {
			p += len;
			continue;
		}
		if (len >= sizeof(num))
			return -EINVAL;
		memcpy(num, p, len);
		num[len] = '\0';
		return parse_uint64(num, 0, UINT64_MAX, ret_starttime);
	}
}

int proc_stat_state(const char *stat, char *ret_state)
{
	const char *p;

	if (!stat || !ret_state)
		return -EINVAL;
	p = strrchr(stat, ')');
	if (!p || p[1] != ' ' || p[2] == '\0' || (p[3] != ' ' && p[3] != '\0'))
		return -EINVAL;
	*ret_state = p[2];
	return 0;
}

static int read_stat(pid_t pid, uint64_t *ret_starttime, char *ret_state)
{
	char path[64], buf[1024];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : negative_errno();
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : negative_errno();
	buf[n] = '\0';
	if (ret_state && proc_stat_state(buf, ret_state) < 0)
		return -EINVAL;
	return proc_stat_starttime(buf, ret_starttime);
}

int proc_id_of(pid_t pid, struct proc_id *ret_id)
{
	struct proc_id id = {.pid = pid};
	int r;

	if (pid <= 0 || !ret_id)
		return -EINVAL;
	r = read_stat(pid, &id.starttime, NULL);
	if (r < 0)
		return r;
	r = boot_id_read(id.boot_id);
	if (r < 0)
		return r;
	*ret_id = id;
	return 0;
}

int proc_id_format(const struct proc_id *id, char *buf, size_t size)
{
	int n;

	if (!id || !buf)
		return -EINVAL;
	n = snprintf(buf, size, "%d %llu %s\n", (int)id->pid, (unsigned long long)id->starttime,
		     id->boot_id);
	return n < 0 || (size_t)n >= size ? -ENOBUFS : n;
}

/* Copy the field at *p, ended by end (or, for '\n', by the string's end), and step over it. */
static int field_take(const char **p, char end, char *buf, size_t size)
{
	size_t len = strcspn(*p, " \n");
	char next = (*p)[len];

	if (len == 0 || len >= size || (next != end && !(end == '\n' && next == '\0')))
		return -EINVAL;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p += len + (next != '\0');
	return 0;
}

int proc_id_parse(const char *buf, struct proc_id *ret_id)
{
	struct proc_id id = {0};
	char pid_s[16], start_s[32];
	const char *p = buf;
	uint64_t pid;

	if (!buf || !ret_id)
		return -EINVAL;
	/* Exactly the three fields proc_id_format() writes: a longer boot id is not cut to fit. */
	if (field_take(&p, ' ', pid_s, sizeof(pid_s)) < 0 ||
	    field_take(&p, ' ', start_s, sizeof(start_s)) < 0 ||
	    field_take(&p, '\n', id.boot_id, sizeof(id.boot_id)) < 0 || *p != '\0' ||
	    strlen(id.boot_id) != BOOT_ID_SIZE - 1 ||
	    strspn(id.boot_id, "0123456789abcdef-") != BOOT_ID_SIZE - 1)
		return -EINVAL;
	if (parse_uint64(pid_s, 1, INT32_MAX, &pid) < 0 ||
	    parse_uint64(start_s, 0, UINT64_MAX, &id.starttime) < 0)
		return -EINVAL;
	id.pid = (pid_t)pid;
	*ret_id = id;
	return 0;
}

/*
 * An exited process its parent has not reaped yet (a zombie) is gone for
 * every purpose here: it serves nothing and holds no lease, mount or address.
 */
static int matches(const struct proc_id *id)
{
	char boot_id[BOOT_ID_SIZE], state = 0;
	uint64_t starttime;
	int r = read_stat(id->pid, &starttime, &state);

	if (r == -ESRCH)
		return 0;
	if (r < 0)
		return r;
	if (state == 'Z' || state == 'X')
		return 0;
	r = boot_id_read(boot_id);
	if (r < 0)
		return r;
	return starttime == id->starttime && strcmp(boot_id, id->boot_id) == 0;
}

int proc_id_zombie(const struct proc_id *id)
{
	char boot_id[BOOT_ID_SIZE], state = 0;
	uint64_t starttime;
	int r;

	if (!id || id->pid <= 0)
		return -EINVAL;
	r = read_stat(id->pid, &starttime, &state);
	if (r == -ESRCH)
		return 0;
	if (r < 0)
		return r;
	if (state != 'Z' || starttime != id->starttime)
		return 0;
	r = boot_id_read(boot_id);
	if (r < 0)
		return r;
	return strcmp(boot_id, id->boot_id) == 0;
}

int proc_id_alive(const struct proc_id *id)
{
	if (!id || id->pid <= 0)
		return -EINVAL;
	return matches(id);
}

/* A pidfd for id, opened before the identity check so both name one process. */
static int pidfd_open_verified(const struct proc_id *id, int *ret_pidfd)
{
	_cleanup_close_ int pidfd = -1;
	int r;

	if (!id || id->pid <= 0)
		return -EINVAL;
	pidfd = pidfd_open(id->pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? -ESRCH : negative_errno();
	r = matches(id);
	if (r < 0)
		return r;
	if (r == 0)
		return -ESRCH;
	*ret_pidfd = TAKE_FD(pidfd);
	return 0;
}

int proc_id_signal(const struct proc_id *id, int sig)
{
	_cleanup_close_ int pidfd = -1;
	int r = pidfd_open_verified(id, &pidfd);

	if (r < 0)
		return r;
	if (pidfd_send_signal(pidfd, sig, NULL, 0) < 0)
		return negative_errno();
	return 0;
}

/* Wait for the pidfd's process to exit: 1 gone, 0 at the deadline, -errno. */
static int pidfd_wait(int pidfd, deadline_t deadline)
{
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
	int r;

	do
		r = poll(&pfd, 1, deadline_poll_timeout(deadline));
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return negative_errno();
	return r > 0;
}

int proc_id_terminate(const struct proc_id *id, int sig, deadline_t deadline)
{
	_cleanup_close_ int pidfd = -1;
	int r = pidfd_open_verified(id, &pidfd);

	if (r == -ESRCH)
		return 0;
	if (r < 0)
		return r;
	if (pidfd_send_signal(pidfd, sig, NULL, 0) < 0)
		return errno == ESRCH ? 0 : negative_errno();
	/* A pidfd turns readable when its process exits, child of ours or not. */
	r = pidfd_wait(pidfd, deadline);
	if (r < 0)
		return r;
	return r ? 0 : -ETIME;
}

int proc_id_stop(const struct proc_id *id, deadline_t term_until, deadline_t deadline)
{
	int r = proc_id_terminate(id, SIGTERM, deadline_min(term_until, deadline));

	/* Verified again before SIGKILL: a successor with its pid is not signalled. */
	if (r == -ETIME)
		r = proc_id_terminate(id, SIGKILL, deadline);
	return r;
}

bool proc_id_born_since(const struct proc_id *id, uint64_t starttime)
{
	return id && id->starttime >= starttime;
}

#define DELETED_SUFFIX " (deleted)"

bool proc_exe_link_is(const char *link, const char *path)
{
	size_t len, plen, slen = strlen(DELETED_SUFFIX);

	if (!link || !path || path[0] != '/')
		return false;
	len = strlen(link);
	plen = strlen(path);
	if (len == plen && memcmp(link, path, len) == 0)
		return true;
	return len == plen + slen && memcmp(link, path, plen) == 0 &&
	       strcmp(link + plen, DELETED_SUFFIX) == 0;
}

int proc_exe_of(pid_t pid, char *buf, size_t size)
{
	char path[64];
	size_t slen = strlen(DELETED_SUFFIX);
	ssize_t n;

	if (pid <= 0 || !buf || size < 2)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return errno == ENOENT ? -ESRCH : negative_errno();
	if ((size_t)n == size - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	if ((size_t)n > slen && strcmp(buf + n - slen, DELETED_SUFFIX) == 0)
		buf[n - slen] = '\0';
	return 0;
}

int proc_exe_is(pid_t pid, const char *path)
{
	char link[4096 + sizeof(DELETED_SUFFIX)], exe[64];
	struct stat a, b;
	ssize_t n;

	if (pid <= 0 || !path || path[0] != '/')
		return -EINVAL;
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	/* The same file by device and inode: symbolic links and hard links agree. */
	if (stat(exe, &a) == 0 && stat(path, &b) == 0)
		return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	n = readlink(exe, link, sizeof(link) - 1);
	if (n < 0)
		return errno == ENOENT ? -ESRCH : negative_errno();
	link[n] = '\0';
	return proc_exe_link_is(link, path);
}

int proc_id_store(int dirfd, const char *name, const struct proc_id *id)
{
	char buf[128];
	int r = proc_id_format(id, buf, sizeof(buf));

	return r < 0 ? r : state_write(dirfd, name, buf, (size_t)r);
}

int proc_id_record(int dirfd, const char *name, pid_t pid)
{
	struct proc_id id;
	int r = proc_id_of(pid, &id);

	return r < 0 ? r : proc_id_store(dirfd, name, &id);
}

int proc_id_load(int dirfd, const char *name, struct proc_id *ret_id)
{
	char buf[128];
	int r = state_read(dirfd, name, buf, sizeof(buf));

	return r < 0 ? r : proc_id_parse(buf, ret_id);
}

int proc_id_pidfd(const struct proc_id *id, int *ret_pidfd)
{
	return ret_pidfd ? pidfd_open_verified(id, ret_pidfd) : -EINVAL;
}

int proc_id_end_recorded(int dirfd, const char *name, deadline_t term_until, deadline_t deadline,
			 pid_t *ret_pid)
{
	struct proc_id id;
	int r = proc_id_load(dirfd, name, &id), alive;

	if (r == -ENOENT)
		return 0;
	if (r == -EINVAL)
		return state_remove(dirfd, name);
	if (r < 0)
		return r;
	if (ret_pid)
		*ret_pid = id.pid;
	alive = proc_id_alive(&id);
	if (alive < 0)
		return alive;
	if (alive > 0) {
		r = proc_id_stop(&id, term_until, deadline);
		if (r < 0 && r != -ESRCH)
			return r;
	}
	r = state_remove(dirfd, name);
	return r < 0 ? r : alive;
}

int proc_id_end_pair(int dirfd, const char *parent_name, const char *self_name, deadline_t deadline,
		     pid_t *ret_pid)
{
	deadline_t term = deadline_share(deadline, 50, 0);
	int r = proc_id_end_recorded(dirfd, parent_name, term, deadline, ret_pid);
	int self = proc_id_end_recorded(dirfd, self_name, term, deadline, ret_pid);

	if (r < 0 || self < 0)
		return r < 0 ? r : self;
	return r || self;
}
