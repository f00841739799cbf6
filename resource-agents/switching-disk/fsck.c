/* The fsck policy: see fsck.h. */
#include "fsck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "fsstate.h"
#include "macro.h"

/* The first path of candidates that is executable, or NULL. */
static const char *find_program(const char *const *candidates, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (access(candidates[i], X_OK) == 0)
			return candidates[i];
	return NULL;
}

/* Read the superblock directly: the other node's last writes, not our page cache. */
static int ext_state(const char *device, enum fs_state *ret)
{
	_cleanup_close_ int fd = open(device, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ void *buf = NULL;
	ssize_t n;

	if (fd < 0)
		return negative_errno();
	if (posix_memalign(&buf, 4096, FSSTATE_READ_SIZE) != 0)
		return -ENOMEM;
	n = pread(fd, buf, FSSTATE_READ_SIZE, 0);
	if (n < 0)
		return negative_errno();
	return fsstate_ext(buf, (size_t)n, ret);
}

static int run(char *const argv[], deadline_t deadline, struct fsck_report *rep)
{
	struct spawn_result res;
	int r;

	rep->program = argv[0];
	r = spawn_run(argv, NULL, deadline, 2000, rep->output, sizeof(rep->output), &res);
	if (r < 0)
		return r;
	if (res.timed_out)
		return -ETIME;
	rep->status = res.exited ? res.status : -1;
	return 0;
}

static int fsck_ext(const char *device, bool force, deadline_t deadline, struct fsck_report *rep)
{
	static const char *const e2fsck[] = {"/usr/sbin/e2fsck", "/sbin/e2fsck"};
	const char *prog = find_program(e2fsck, ARRAY_SIZE(e2fsck));
	enum fs_state st;
	int r;

	if (!force) {
		r = ext_state(device, &st);
		if (r < 0)
			return r;
		if (st == FS_CLEAN)
			return 0;
	}
	if (!prog)
		return -ENOENT;
	{
		char *argv[] = {(char *)prog, (char *)(force ? "-fp" : "-p"), (char *)device, NULL};

		r = run(argv, deadline, rep);
	}
	if (r < 0)
		return r;
	/* 1: errors corrected; 2: corrected, reboot advised (only for a mounted root). */
	rep->outcome = rep->status == 0			      ? FSCK_CLEAN
		       : rep->status == 1 || rep->status == 2 ? FSCK_REPAIRED
							      : FSCK_NOT_REPAIRED;
	return 0;
}

static int fsck_xfs(const char *device, deadline_t deadline, struct fsck_report *rep)
{
	static const char *const repair[] = {"/usr/sbin/xfs_repair", "/sbin/xfs_repair"};
	const char *prog = find_program(repair, ARRAY_SIZE(repair));
	char *argv[] = {(char *)prog, (char *)device, NULL};
	int r;

	if (!prog)
		return -ENOENT;
	r = run(argv, deadline, rep);
	if (r < 0)
		return r;
	rep->outcome = rep->status == 0	  ? FSCK_CLEAN
		       : rep->status == 2 ? FSCK_LOG_REPLAY
					  : FSCK_NOT_REPAIRED;
	return 0;
}

static int fsck_other(const char *device, const char *fstype, deadline_t deadline,
		      struct fsck_report *rep)
{
	char path[128];
	char *argv[] = {path, (char *)"-p", (char *)device, NULL};
	int r;

	snprintf(path, sizeof(path), "/usr/sbin/fsck.%s", fstype);
	if (access(path, X_OK) != 0)
		return -ENOENT;
	r = run(argv, deadline, rep);
	if (r < 0)
		return r;
	rep->outcome = rep->status == 0	 ? FSCK_CLEAN
		       : rep->status < 4 ? FSCK_REPAIRED
					 : FSCK_NOT_REPAIRED;
	return 0;
}

int fsck_apply(const char *device, const char *fstype, enum fsck_policy policy, deadline_t deadline,
	       struct fsck_report *ret)
{
	if (!device || !fstype || !ret)
		return -EINVAL;
	*ret = (struct fsck_report){.outcome = FSCK_SKIPPED, .status = 0};
	if (policy == FSCK_NEVER)
		return 0;
	if (fsstate_is_ext(fstype))
		return fsck_ext(device, policy == FSCK_ALWAYS, deadline, ret);
	if (policy == FSCK_AUTO)
		return 0;
	if (strcmp(fstype, "xfs") == 0)
		return fsck_xfs(device, deadline, ret);
	return fsck_other(device, fstype, deadline, ret);
}
