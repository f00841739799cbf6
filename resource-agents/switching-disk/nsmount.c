/*
 * Entering a mount namespace needs a single-threaded caller (stop is) and
 * CAP_SYS_ADMIN; we always return to our own before answering. Mount
 * points come from the namespace's mountinfo as a process of it sees them,
 * deepest (last listed) first.
 */
#include "nsmount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "macro.h"
#include "mountinfo.h"

#define MAX_NS 512

int nsmount_device_free(const char *path)
{
	int fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno == EBUSY ? -EBUSY : negative_errno();
	close(fd);
	return 0;
}

/* The mount points of rdev in the namespace of pid, as that process sees them. */
static int targets_of(const char *pid, dev_t rdev, char ***ret, size_t *ret_n)
{
	char path[300];
	FILE *f;
	char *line = NULL, **v = NULL;
	size_t cap = 0, n = 0;
	struct mountinfo *m = malloc(sizeof(*m));
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%s/mountinfo", pid);
	f = fopen(path, "re");
	if (!f || !m) {
		free(m);
		if (f)
			fclose(f);
		return f ? -ENOMEM : negative_errno();
	}
	while (r == 0 && getline(&line, &cap, f) >= 0) {
		char **grown;

		if (mountinfo_parse_line(line, m) < 0 || makedev(m->major, m->minor) != rdev)
			continue;
		grown = realloc(v, (n + 1) * sizeof(*v));
		if (!grown || !(grown[n] = strdup(m->target))) {
			v = grown ? grown : v;
			r = -ENOMEM;
			break;
		}
		v = grown;
		n++;
	}
	free(line);
	free(m);
	fclose(f);
	*ret = v;
	*ret_n = n;
	return r;
}

static void targets_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Enter pid's mount namespace, unmount targets deepest first, come back to self_ns. */
static int unmount_in(const char *pid, char **targets, size_t n, int self_ns)
{
	char path[300];
	_cleanup_close_ int ns = -1;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return errno == ENOENT ? 0 : negative_errno();
	if (setns(ns, CLONE_NEWNS) < 0)
		return negative_errno();
	for (size_t i = n; i-- > 0;)
		if (umount2(targets[i], UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
		    errno != ENOENT && r == 0)
			r = errno == EBUSY ? -EBUSY : negative_errno();
	if (setns(self_ns, CLONE_NEWNS) < 0)
		abort(); /* half in another namespace: never carry on from there */
	return r;
}

static bool is_seen(const ino_t *seen, size_t n, ino_t ino)
{
	for (size_t i = 0; i < n; i++)
		if (seen[i] == ino)
			return true;
	return false;
}

int nsmount_release(dev_t rdev, pid_t *ret_pid)
{
	_cleanup_close_ int self_ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	_cleanup_free_ ino_t *seen = calloc(MAX_NS, sizeof(*seen));
	struct stat st;
	size_t nseen = 0;
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (self_ns < 0)
		return negative_errno();
	if (!seen)
		return -ENOMEM;
	if (fstat(self_ns, &st) < 0)
		return negative_errno();
	seen[nseen++] = st.st_ino;
	d = opendir("/proc");
	if (!d)
		return negative_errno();
	while (r == 0 && (e = readdir(d))) {
		char path[300], **targets = NULL;
		size_t n = 0;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/mnt", e->d_name);
		if (stat(path, &st) < 0 || is_seen(seen, nseen, st.st_ino))
			continue;
		/* A namespace counts as seen once one of its processes could be read. */
		if (targets_of(e->d_name, rdev, &targets, &n) < 0)
			continue;
		if (nseen < MAX_NS)
			seen[nseen++] = st.st_ino;
		if (n > 0) {
			r = unmount_in(e->d_name, targets, n, self_ns);
			if (r < 0 && ret_pid)
				*ret_pid = (pid_t)strtol(e->d_name, NULL, 10);
		}
		targets_free(targets, n);
	}
	closedir(d);
	return r;
}
