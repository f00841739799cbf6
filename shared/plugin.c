/*
 * Loading a plugin safely: the file is opened once without following
 * symlinks, its owner and modes checked on that descriptor, and dlopen()
 * given /proc/self/fd/<n>, so the object loaded is the one checked.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "plugin.h"

struct plugin {
	void *handle;
};

const char *plugin_dir(const char *dir)
{
	const char *env = secure_getenv("EXHA_PLUGIN_DIR");

	return env && env[0] == '/' ? env : dir;
}

/* Owned by root or by us, writable by no one else. */
static int check_owner(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return -EPERM;
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return -EPERM;
	return 0;
}

static int open_checked(const char *dir, const char *name, int *ret_fd)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	struct stat st;
	int r;

	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return negative_errno();
	if ((r = check_owner(dfd)) < 0)
		return r;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -EPERM : negative_errno();
	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (!S_ISREG(st.st_mode))
		return -EPERM;
	if ((r = check_owner(fd)) < 0)
		return r;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static void dl_message(char *errbuf, unsigned size)
{
	const char *e = dlerror();

	if (errbuf && size)
		snprintf(errbuf, size, "%s", e ? e : "");
}

/*
 * The objects loaded so far, each with the descriptor its name was taken
 * from, kept open as long as the object stays mapped (for good: see
 * plugin_close). dlopen() finds an object already loaded by its name
 * first: had the descriptor been closed, the next plugin opened at the same
 * number would be handed the first one ("/proc/self/fd/7" again, another
 * file), and its symbol not found. An object opened again (the same file)
 * reuses its entry instead of one more descriptor.
 */
#define LOADED_MAX 8
static struct loaded {
	dev_t dev;
	ino_t ino;
	int fd;
	void *handle;
} loaded[LOADED_MAX];
static unsigned n_loaded;

static void *loaded_find(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return NULL;
	for (unsigned i = 0; i < n_loaded; i++)
		if (loaded[i].dev == st.st_dev && loaded[i].ino == st.st_ino)
			return loaded[i].handle;
	return NULL;
}

/* Keep fd (the object's name) open from now on; 0, or -ENFILE when the table is full. */
static int loaded_add(int fd, void *handle)
{
	struct stat st;

	if (n_loaded == LOADED_MAX || fstat(fd, &st) < 0)
		return -ENFILE;
	loaded[n_loaded++] = (struct loaded){st.st_dev, st.st_ino, fd, handle};
	return 0;
}

int plugin_open(const char *dir, const char *name, const char *symbol, struct plugin **ret,
		void **ret_symbol, char *errbuf, unsigned size)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ struct plugin *p = NULL;
	char path[64];
	void *sym;
	int r;

	if (errbuf && size)
		errbuf[0] = '\0';
	if (!dir || dir[0] != '/' || !name || !name[0] || strchr(name, '/') || !symbol || !ret ||
	    !ret_symbol)
		return -EINVAL;
	if ((r = open_checked(dir, name, &fd)) < 0)
		return r;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->handle = loaded_find(fd);
	if (!p->handle) {
		if (n_loaded == LOADED_MAX)
			return -ENFILE;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!p->handle) {
			dl_message(errbuf, size);
			return -ELIBBAD;
		}
		(void)loaded_add(fd, p->handle); /* room was checked above */
		fd = -1;
	}
	(void)dlerror();
	sym = dlsym(p->handle, symbol);
	if (!sym) {
		dl_message(errbuf, size);
		return -ENOEXEC; /* stays loaded, as every object does */
	}
	*ret_symbol = sym;
	*ret = TAKE_PTR(p);
	return 0;
}

/*
 * The object stays mapped: the libraries it pulled in (libldap, GnuTLS,
 * libcpg) keep global state and exit handlers that must not outlive their
 * code, and the process ends soon after an action anyway.
 */
struct plugin *plugin_close(struct plugin *p)
{
	free(p);
	return NULL;
}
