/*
 * For tests/integration/switching-disk-lease.sh only: a stand-in for a
 * watchdog device, which the test machine does not have. Preloaded into
 * the agent (and so into the lease keeper it forks), it turns the opening
 * of $EXHA_WDSHIM_DEVICE into a log file, $EXHA_WDSHIM_LOG, and the
 * watchdog API on it into lines of that log, stamped with CLOCK_REALTIME
 * in milliseconds (the clock the lease record's stamps use):
 *     arm <timeout_s> <ms>      WDIOC_SETTIMEOUT
 *     pet <ms>                  WDIOC_KEEPALIVE
 *     magic <ms>                the magic 'V' written
 *     close <ms>                the descriptor closed
 * The test reads the log to say when a real watchdog would have reset the
 * node (a gap between pets longer than the timeout, or no disarm). The
 * agent runs its production code: open(2), ioctl(2), write(2), close(2).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef int (*open_fn)(const char *, int, ...);

static dev_t log_dev;
static ino_t log_ino;

static long long realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether fd is the stand-in (by inode: the keeper moves descriptors around). */
static int is_ours(int fd)
{
	struct stat st;

	return log_ino && fstat(fd, &st) == 0 && st.st_dev == log_dev && st.st_ino == log_ino;
}

static void note(int fd, const char *fmt, ...)
{
	static ssize_t (*real_write)(int, const void *, size_t);
	char line[128];
	va_list ap;
	int n;

	if (!real_write)
		real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)!real_write(fd, line, (size_t)n);
}

static int call_open(const char *name, const char *path, int flags, va_list ap)
{
	open_fn real = (open_fn)dlsym(RTLD_NEXT, name);
	int mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, int) : 0;
	const char *dev = getenv("EXHA_WDSHIM_DEVICE"), *log = getenv("EXHA_WDSHIM_LOG");
	struct stat st;
	int fd;

	if (!path || !dev || !log || strcmp(path, dev) != 0)
		return real(path, flags, mode);
	fd = real(log, O_WRONLY | O_APPEND | O_CREAT | (flags & O_CLOEXEC), 0600);
	if (fd >= 0 && fstat(fd, &st) == 0) {
		log_dev = st.st_dev;
		log_ino = st.st_ino;
	}
	return fd;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = call_open("open", path, flags, ap);
	va_end(ap);
	return r;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = call_open("open64", path, flags, ap);
	va_end(ap);
	return r;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, void *);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
	if (!is_ours(fd))
		return real(fd, req, arg);
	if (req == WDIOC_SETTIMEOUT) {
		note(fd, "arm %d %lld\n", *(int *)arg, realtime_ms());
		return 0;
	}
	if (req == WDIOC_KEEPALIVE) {
		note(fd, "pet %lld\n", realtime_ms());
		return 0;
	}
	return real(fd, req, arg);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (!real)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (len == 1 && ((const char *)buf)[0] == 'V' && is_ours(fd)) {
		note(fd, "magic %lld\n", realtime_ms());
		return 1;
	}
	return real(fd, buf, len);
}

int close(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (is_ours(fd))
		note(fd, "close %lld\n", realtime_ms());
	return real(fd);
}
