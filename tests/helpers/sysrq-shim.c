/*
 * For tests/bench/switching-disk.sh only: sfex_daemon (the stock lease
 * daemon exha is compared with) refuses to run without /proc/sysrq-trigger,
 * which it opens to reboot the node when it loses the lease. Containers
 * and kernels without magic SysRq have none; preloaded into sfex, this
 * opens /dev/null in its place so the benchmark can time sfex's lease at
 * all. Nothing of exha is touched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>

typedef int (*open_fn)(const char *, int, ...);

static const char *redirect(const char *path)
{
	return path && strcmp(path, "/proc/sysrq-trigger") == 0 ? "/dev/null" : path;
}

static int call(const char *name, const char *path, int flags, va_list ap)
{
	open_fn real = (open_fn)dlsym(RTLD_NEXT, name);
	int mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, int) : 0;

	return real(redirect(path), flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = call("open", path, flags, ap);
	va_end(ap);
	return r;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = call("open64", path, flags, ap);
	va_end(ap);
	return r;
}
