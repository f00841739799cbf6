/*
 * Device stacking from sysfs (see devstack.h). Every device is reached
 * through /sys/dev/block/MAJ:MIN, and names in holders/ and slaves/
 * through /sys/class/block/NAME/dev, so no path under /dev is trusted.
 */
#include "devstack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "macro.h"

static void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* The first line of a small sysfs file, without its newline. */
static int read_line(const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return negative_errno();
	n = read(fd, buf, size - 1);
	if (n < 0)
		return negative_errno();
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* A "MAJ:MIN" dev file. */
static int read_devt(const char *path, dev_t *ret)
{
	char buf[32], end;
	unsigned maj, min;
	int r = read_line(path, buf, sizeof(buf));

	if (r < 0)
		return r;
	if (sscanf(buf, "%u:%u%c", &maj, &min, &end) != 2)
		return -EBADMSG;
	*ret = makedev(maj, min);
	return 0;
}

/* The canonical sysfs directory of dev. */
static int dev_dir(const char *sysfs, dev_t dev, char *ret)
{
	char link[PATH_MAX];

	if (snprintf(link, sizeof(link), "%s/dev/block/%u:%u", sysfs, major(dev), minor(dev)) >=
	    (int)sizeof(link))
		return -ENAMETOOLONG;
	return realpath(link, ret) ? 0 : negative_errno();
}

static bool list_has(const dev_t *v, size_t n, dev_t d)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == d)
			return true;
	return false;
}

struct walk {
	const char *sysfs;
	bool loop_files;
	dev_t root;
	dev_t *v;
	size_t *n;
	int *truncated;
};

static void walk_add(struct walk *w, dev_t d)
{
	if (d == w->root || list_has(w->v, *w->n, d))
		return;
	if (*w->n >= DEVSTACK_MAX) {
		*w->truncated = 1;
		return;
	}
	w->v[(*w->n)++] = d;
}

/* Every NAME in dir/sub/ (holders, slaves) by its class/block/NAME/dev. */
static void add_named(struct walk *w, const char *dir, const char *sub)
{
	char path[PATH_MAX];
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *e;

	if (snprintf(path, sizeof(path), "%s/%s", dir, sub) >= (int)sizeof(path))
		return;
	d = opendir(path);
	while (d && (e = readdir(d))) {
		dev_t x;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/class/block/%s/dev", w->sysfs, e->d_name) <
			    (int)sizeof(path) &&
		    read_devt(path, &x) == 0)
			walk_add(w, x);
	}
}

/* The partitions of a disk: its subdirectories with a partition file. */
static void add_partitions(struct walk *w, const char *dir)
{
	_cleanup_(closedirp) DIR *d = opendir(dir);
	char path[PATH_MAX];
	struct dirent *e;

	while (d && (e = readdir(d))) {
		dev_t x;

		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s/partition", dir, e->d_name) >=
			    (int)sizeof(path) ||
		    access(path, F_OK) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/dev", dir, e->d_name);
		if (read_devt(path, &x) == 0)
			walk_add(w, x);
	}
}

/* What dir's device is built on: its disk, its slaves, a loop's backing filesystem. */
static void add_below(struct walk *w, const char *dir)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct stat st;
	dev_t x;

	if (snprintf(path, sizeof(path), "%s/partition", dir) < (int)sizeof(path) &&
	    access(path, F_OK) == 0) {
		snprintf(path, sizeof(path), "%s/../dev", dir);
		if (read_devt(path, &x) == 0)
			walk_add(w, x);
	}
	add_named(w, dir, "slaves");
	if (w->loop_files &&
	    snprintf(path, sizeof(path), "%s/loop/backing_file", dir) < (int)sizeof(path) &&
	    read_line(path, file, sizeof(file)) == 0 && stat(file, &st) == 0)
		walk_add(w, st.st_dev);
}

static void add_above(struct walk *w, const char *dir)
{
	add_named(w, dir, "holders");
	add_partitions(w, dir);
}

/* Breadth first from root: the list grows while it is walked. */
static void walk_all(struct walk *w, void (*step)(struct walk *, const char *))
{
	char dir[PATH_MAX];

	if (dev_dir(w->sysfs, w->root, dir) == 0)
		step(w, dir);
	for (size_t i = 0; i < *w->n; i++)
		if (dev_dir(w->sysfs, w->v[i], dir) == 0)
			step(w, dir);
}

int devstack_gather(const char *sysfs, dev_t dev, bool loop_files, struct devstack *ret)
{
	_cleanup_free_ struct devstack *s = calloc(1, sizeof(*s));
	struct walk below, above;

	if (!sysfs || !ret)
		return -EINVAL;
	if (!s)
		return -ENOMEM;
	s->dev = dev;
	below = (struct walk){sysfs, loop_files, dev, s->below, &s->n_below, &s->truncated};
	above = (struct walk){sysfs, loop_files, dev, s->above, &s->n_above, &s->truncated};
	walk_all(&below, add_below);
	walk_all(&above, add_above);
	*ret = *s;
	return 0;
}

enum devstack_relation devstack_relate(const struct devstack *a, const struct devstack *b)
{
	if (a->dev == b->dev)
		return DEVSTACK_SAME;
	if (list_has(a->below, a->n_below, b->dev) || list_has(b->above, b->n_above, a->dev))
		return DEVSTACK_ON;
	if (list_has(a->above, a->n_above, b->dev) || list_has(b->below, b->n_below, a->dev))
		return DEVSTACK_UNDER;
	if (a->truncated || b->truncated)
		return DEVSTACK_UNKNOWN;
	return DEVSTACK_APART;
}
