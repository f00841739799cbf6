/*
 * Pid files and sessions read from /proc. A pid file counts only when the
 * process it names is the service's (pid_claim_judge). A session is swept
 * only while its recorded leader is still that process: the kernel keeps
 * a session id while any member lives, but once the leader is gone nothing
 * tells the service's last members from a stranger's new session under a
 * reused id.
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

enum pid_verdict pid_claim_judge(const struct pid_claim *claim, const struct pid_seen *seen)
{
	const struct proc_id *rec = claim->recorded;
	bool in_launch =
		(claim->launch_sid > 0 && seen->sid == claim->launch_sid) || seen->descends;

	if (rec && rec->pid == seen->id.pid && rec->starttime == seen->id.starttime &&
	    strcmp(rec->boot_id, seen->id.boot_id) == 0)
		return PID_OURS;
	/* At start: only a process born since the launch, running the program or in its session. */
	if (claim->born_since > 0) {
		if (!proc_id_born_since(&seen->id, claim->born_since))
			return PID_STRANGER;
		return !claim->exe || seen->exe_is == 1 || in_launch ? PID_OURS : PID_STRANGER;
	}
	if (seen->exe_is == 1)
		return PID_OURS;
	if (seen->exe_is == 0)
		return PID_STRANGER;
	return PID_UNKNOWN;
}

/* The parent (field 4) of pid now. */
static int proc_parent_of(pid_t pid, pid_t *ret_ppid)
{
	char path[32], buf[1024], state;
	const char *p;
	int ppid;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	r = file_read(path, 0, buf, sizeof(buf));
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %d", &state, &ppid) != 2 || ppid < 0)
		return -EINVAL;
	*ret_ppid = ppid;
	return 0;
}

/*
 * Whether ancestor (our own unreaped child: its pid cannot be reused) is
 * pid or one of its ancestors. A daemon that forks away from its starter
 * is reparented and found by its program instead.
 */
static bool descends_from(pid_t pid, pid_t ancestor)
{
	for (unsigned depth = 0; ancestor > 0 && pid > 1 && depth < 64; depth++) {
		if (pid == ancestor)
			return true;
		if (proc_parent_of(pid, &pid) < 0)
			return false;
	}
	return false;
}

static int seen_of(pid_t pid, const struct pid_claim *claim, struct pid_seen *ret)
{
	const char *exe = claim->exe;
	struct pid_seen seen = {.exe_is = -1};
	int r = proc_id_of(pid, &seen.id);

	if (r < 0)
		return r;
	seen.descends = descends_from(pid, claim->launch_pid);
	r = proc_session_of(pid, &seen.sid);
	if (r < 0)
		return r;
	if (exe) {
		r = proc_exe_is(pid, exe);
		if (r < 0)
			return r;
		seen.exe_is = r;
	}
	r = proc_id_alive(&seen.id); /* not a zombie, and still the one read */
	if (r <= 0)
		return r < 0 ? r : -ESRCH;
	*ret = seen;
	return 0;
}

int pidfile_claim(const char *path, const struct pid_claim *claim, struct pid_seen *ret_seen,
		  struct error *err)
{
	char exe[256] = "?";
	struct pid_seen seen;
	pid_t pid;
	int r;

	if (!path || !claim || !ret_seen)
		return -EINVAL;
	r = pidfile_read(path, &pid);
	if (r == -ENOENT || r == -EINVAL)
		return 0; /* no file, or one a crash left empty or half written */
	if (r < 0)
		return r;
	r = seen_of(pid, claim, &seen);
	if (r == -ESRCH || r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	switch (pid_claim_judge(claim, &seen)) {
	case PID_OURS:
		*ret_seen = seen;
		return 1;
	case PID_UNKNOWN:
		return -ENOKEY;
	case PID_STRANGER:
		break;
	}
	(void)proc_exe_of(pid, exe, sizeof(exe));
	error_set(err, ESRCH, "stale pid file '%s': pid %d is another process ('%s'%s%s)", path,
		  (int)pid, exe, claim->exe ? ", not " : "", claim->exe ? claim->exe : "");
	return 0;
}

int pidfile_claim_wait(const char *path, const struct pid_claim *claim, deadline_t deadline,
		       struct pid_seen *ret_seen, struct error *err)
{
	_cleanup_close_ int watchfd = pidfile_watch(path);

	for (;;) {
		int r = pidfile_claim(path, claim, ret_seen, err);

		if (r != 0)
			return r < 0 ? r : 0;
		if (deadline_expired(deadline))
			return -ETIME;
		err->msg[0] = '\0'; /* only the last stale pid explains the timeout */
		pidfile_watch_wait(watchfd, deadline);
	}
}

int pidfile_watch(const char *path)
{
	char dir[PATH_MAX];
	int fd;

	if (!path || strscpy(dir, path, sizeof(dir)) < 0)
		return -1;
	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	/* IN_MODIFY too: Postfix's master keeps its pid file open (it is its
	 * lock), so no close ever follows the write of the pid. */
	if (fd >= 0 &&
	    inotify_add_watch(fd, dirname(dir), IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY) < 0) {
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

/*
 * SIGKILL one member of the leader's session. The member's identity is read
 * first, the leader checked after: a leader alive now was alive when the
 * member was seen in its session, so the member was the service's; the
 * pidfd behind proc_id_terminate() then reaches that very process.
 */
static int kill_member(pid_t pid, const struct proc_id *leader, deadline_t deadline)
{
	struct proc_id id;
	pid_t sid;
	int r = proc_id_of(pid, &id);

	if (r == 0)
		r = proc_session_of(pid, &sid);
	if (r == -ESRCH || r == -ENOENT || (r == 0 && sid != leader->pid))
		return 0;
	if (r < 0)
		return r;
	r = proc_id_alive(leader);
	if (r <= 0)
		return r < 0 ? r : -ESRCH;
	if (proc_id_alive(&id) <= 0)
		return 0;
	r = proc_id_terminate(&id, SIGKILL, deadline);
	return r < 0 ? r : 1;
}

int session_kill(const struct proc_id *leader, deadline_t deadline)
{
	struct dirent *de;
	int r, count = 0;
	DIR *d;

	if (!leader || leader->pid <= 1)
		return -EINVAL;
	if (leader->pid == getsid(0))
		return -EPERM; /* a daemon that never left our session: not ours to sweep */
	r = proc_id_alive(leader);
	if (r <= 0)
		return r; /* its session id may be anyone's now */
	d = opendir("/proc");
	if (!d)
		return negative_errno();
	/*
	 * The leader last: its members are found while it still holds the
	 * session. Every one gets SIGKILL even when one outlives the deadline.
	 */
	while ((de = readdir(d))) {
		uint64_t v;
		int k;

		if (parse_uint64(de->d_name, 1, INT32_MAX, &v) < 0 || (pid_t)v == leader->pid)
			continue;
		k = kill_member((pid_t)v, leader, deadline);
		if (k == -ESRCH)
			break; /* the leader is gone: its session may be anyone's now */
		if (k < 0 && r >= 0)
			r = k;
		count += k > 0;
	}
	closedir(d);
	if (proc_id_alive(leader) > 0) {
		int k = proc_id_terminate(leader, SIGKILL, deadline);

		if (k < 0 && r >= 0)
			r = k;
		count += k == 0;
	}
	return r < 0 ? r : count;
}

/* The value of a DAEMON= line: an absolute path, quoted or not, then blanks or a comment. */
static int daemon_value(const char *v, char *buf, size_t size)
{
	char quote = (*v == '"' || *v == '\'') ? *v : '\0';
	size_t len;

	v += quote != '\0';
	len = strcspn(v, " \t\n\"'$`\\;&|<>(){}*?[]~");
	if (len == 0 || v[0] != '/' || len >= size)
		return -EINVAL;
	if (quote && v[len] != quote)
		return -EINVAL;
	{
		const char *rest = v + len + (quote != '\0');

		rest += strspn(rest, " \t");
		if (*rest != '\0' && *rest != '\n' && *rest != '#')
			return -EINVAL;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 0;
}

int lsb_script_daemon(const char *text, char *buf, size_t size)
{
	if (!text || !buf || size == 0)
		return -EINVAL;
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		const char *p = line + strspn(line, " \t");

		if (strncmp(p, "DAEMON=", 7) == 0)
			return daemon_value(p + 7, buf, size);
	}
	return -ENOENT;
}
