/*
 * One probe connection: a non-blocking TCP socket (optionally under TLS)
 * with a line reader, every wait bounded by the probe's deadline.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "deadline.h"
#include "error.h"
#include "macro.h"
#include "mailprobe.h"
#include "reply.h"

struct tls;

struct conn {
	int fd;
	struct tls *tls; /* NULL while cleartext */
	deadline_t deadline;
	bool loopback;	 /* the peer is 127.0.0.0/8 or ::1 */
	char helo[64];	 /* our address as an EHLO literal: "[192.0.2.1]" */
	size_t len;	 /* bytes in buf */
	size_t consumed; /* bytes of buf the last line took (CRLF included) */
	char buf[REPLY_LINE_MAX + 3];
};

/* Wait until fd is ready for events (POLLIN/POLLOUT): 0, -ETIME, -errno. */
int fd_wait(int fd, short events, deadline_t deadline);

/* Connect to t->host:t->port; c is initialised even on failure (conn_close() it). */
int conn_open(struct conn *c, const struct probe_target *t, deadline_t deadline, struct error *err);

/*
 * The next line the server sent, NUL-terminated and CRLF stripped; valid
 * until the next call. -ETIME, -ECONNRESET (closed by the server), -EPROTO.
 */
int conn_read_line(struct conn *c, const char **ret_line, struct error *err);

/*
 * Send one command line (CRLF added). what names it in messages, so that a
 * command carrying a password is never echoed: pass "PASS", not the line.
 */
int conn_send(struct conn *c, const char *line, const char *what, struct error *err);

/* Start TLS on the connection (after the server's go-ahead to STARTTLS). */
int conn_starttls(struct conn *c, const struct probe_target *t, struct error *err);

void conn_close(struct conn *c);

static inline void conn_closep(struct conn *c)
{
	conn_close(c);
}
#define _cleanup_conn_ _cleanup_(conn_closep)
