/*
 * A prober: a child process that reads one block of one device on request.
 * A read on a hung device sleeps in the kernel, uninterruptibly, until the
 * device answers; in a child it holds up neither the daemon's main loop nor
 * its exit (stop must work when the disk does not). One per device, forked
 * once when the daemon starts, not per read.
 */
#pragma once

#include <sys/types.h>

struct prober {
	pid_t pid;
	int fd; /* our end of the socket pair */
};

/* Fork a prober for path. It dies with the daemon (or when its read returns). */
int prober_start(const char *path, struct prober *ret);

/* Ask for one read. */
int prober_request(struct prober *p);

/* Collect an answer: 0 when the read succeeded, -errno of the read, -EAGAIN when none yet. */
int prober_answer(struct prober *p);

void prober_stop(struct prober *p);

/* One read of path's first block, O_DIRECT (what the prober does). */
int block_read_direct(const char *path);
