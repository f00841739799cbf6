/* Deep monitor probes on a bounded thread: see deepcheck.h. */
#include "deepcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"

#define PROBE_SIZE 4096

struct job {
	int (*fn)(struct job *);
	const char *path;
	const char *node;
	int result;
};

static void *job_run(void *arg)
{
	struct job *j = arg;

	j->result = j->fn(j);
	return NULL;
}

/* Run j on a thread; -ETIME when it has not finished by the deadline (it is left behind). */
static int run_bounded(struct job *j, deadline_t deadline)
{
	struct timespec ts = {.tv_sec = (time_t)(deadline.end_us / 1000000u),
			      .tv_nsec = (long)(deadline.end_us % 1000000u) * 1000};
	pthread_t t;
	int r = pthread_create(&t, NULL, job_run, j);

	if (r != 0)
		return -r;
	r = pthread_clockjoin_np(t, NULL, CLOCK_MONOTONIC, &ts);
	if (r == ETIMEDOUT) {
		(void)pthread_detach(t);
		return -ETIME;
	}
	return r != 0 ? -r : j->result;
}

static int read_device(struct job *j)
{
	_cleanup_close_ int fd = open(j->path, O_RDONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ void *buf = NULL;
	ssize_t n;

	if (fd < 0)
		return negative_errno();
	if (posix_memalign(&buf, PROBE_SIZE, PROBE_SIZE) != 0)
		return -ENOMEM;
	n = pread(fd, buf, PROBE_SIZE, 0);
	if (n < 0)
		return negative_errno();
	return n == PROBE_SIZE ? 0 : -EIO;
}

static int write_read(int dirfd, const char *name, const uint8_t *data)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ uint8_t *back = NULL;
	ssize_t n;

	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return negative_errno();
	n = write(fd, data, PROBE_SIZE);
	if (n != PROBE_SIZE)
		return n < 0 ? negative_errno() : -EIO;
	if (fsync(fd) < 0)
		return negative_errno();
	closep(&fd);
	/* Back from the disk, not from the page cache (O_DIRECT where the filesystem allows). */
	fd = openat(dirfd, name, O_RDONLY | O_DIRECT | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EINVAL)
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return negative_errno();
	if (posix_memalign((void **)&back, PROBE_SIZE, PROBE_SIZE) != 0)
		return -ENOMEM;
	n = read(fd, back, PROBE_SIZE);
	if (n != PROBE_SIZE)
		return n < 0 ? negative_errno() : -EIO;
	return memcmp(back, data, PROBE_SIZE) == 0 ? 0 : -EIO;
}

static int write_file(struct job *j)
{
	_cleanup_close_ int dirfd = open(j->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_free_ uint8_t *data = malloc(PROBE_SIZE);
	char name[300];
	int r;

	if (dirfd < 0)
		return negative_errno();
	if (!data)
		return -ENOMEM;
	/* One file per node, so two nodes' probes never collide; never a path. */
	snprintf(name, sizeof(name), ".exha-monitor-%s", strchr(j->node, '/') ? "node" : j->node);
	for (size_t i = 0; i < PROBE_SIZE; i++)
		data[i] = (uint8_t)(i * 31u + (unsigned)getpid());
	r = write_read(dirfd, name, data);
	if (unlinkat(dirfd, name, 0) < 0 && r == 0)
		r = negative_errno();
	return r;
}

int deepcheck_read_device(const char *device, deadline_t deadline)
{
	/* Static: a thread left behind at the deadline may still use it. */
	static struct job j;

	j = (struct job){.fn = read_device, .path = device};
	return run_bounded(&j, deadline);
}

int deepcheck_write_file(const char *directory, const char *node, deadline_t deadline)
{
	static struct job j;

	j = (struct job){.fn = write_file, .path = directory, .node = node};
	return run_bounded(&j, deadline);
}
