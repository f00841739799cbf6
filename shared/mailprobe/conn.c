/*
 * The probe's connection: non-blocking connect, line reads and command
 * writes, each wait a poll() bounded by the probe's deadline, so a server
 * that accepts and never answers costs the caller its budget, not a hang.
 */
#include "conn.h"

#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "tls.h"

int fd_wait(int fd, short events, deadline_t deadline)
{
	struct pollfd p = {.fd = fd, .events = events};

	for (;;) {
		int r = poll(&p, 1, deadline_poll_timeout(deadline));

		if (r > 0)
			return 0;
		if (r == 0)
			return -ETIME;
		if (errno != EINTR)
			return negative_errno();
	}
}

static bool sockaddr_is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* Our own address as an EHLO address literal (RFC 5321 4.1.3). */
static void helo_literal(int fd, char *out, size_t size)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = sizeof(ss);
	char a[INET6_ADDRSTRLEN] = "127.0.0.1";

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, a, sizeof(a));
		else if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, a, sizeof(a));
	}
	snprintf(out, size, "[%s%s]", ss.ss_family == AF_INET6 ? "IPv6:" : "", a);
}

/* One address: a connected socket in *ret_fd, or -errno. */
static int connect_one(const struct addrinfo *ai, deadline_t deadline, int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	socklen_t len = sizeof(int);
	int r, soerr = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return negative_errno();
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS)
			return negative_errno();
		r = fd_wait(fd, POLLOUT, deadline);
		if (r < 0)
			return r;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			return negative_errno();
		if (soerr)
			return -soerr;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* After connecting: what later steps need to know about both ends. */
static void conn_learn_ends(struct conn *c)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);

	c->loopback = getpeername(c->fd, (struct sockaddr *)&peer, &len) == 0 &&
		      sockaddr_is_loopback(&peer);
	helo_literal(c->fd, c->helo, sizeof(c->helo));
}

/*
 * Host names go through getaddrinfo(), which the deadline cannot bound
 * (resolv.conf's timeout and attempts do): monitors should name numeric
 * addresses, as the README says.
 */
int conn_open(struct conn *c, const struct probe_target *t, deadline_t deadline, struct error *err)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char port[8];
	int r;

	*c = (struct conn){.fd = -1, .deadline = deadline};
	snprintf(port, sizeof(port), "%u", t->port);
	r = getaddrinfo(t->host, port, &hints, &res);
	if (r != 0)
		return error_set(err, r == EAI_SYSTEM ? errno : EHOSTUNREACH,
				 "cannot resolve '%s': %s", t->host, gai_strerror(r));
	r = -EHOSTUNREACH;
	for (const struct addrinfo *ai = res; ai && r < 0 && r != -ETIME; ai = ai->ai_next)
		r = connect_one(ai, deadline, &c->fd);
	freeaddrinfo(res);
	if (r == -ETIME)
		return error_set(err, ETIME, "connect timed out");
	if (r < 0)
		return error_set(err, r, "connect: %s", strerror(-r));
	conn_learn_ends(c);
	return 0;
}

/* More bytes from the server into buf: > 0, or -errno (-ECONNRESET when it closed). */
static ssize_t conn_fill(struct conn *c, struct error *err)
{
	size_t room = sizeof(c->buf) - 1 - c->len;

	for (;;) {
		short ev = POLLIN;
		ssize_t n;
		int r;

		if (c->tls) {
			n = tls_read(c->tls, c->buf + c->len, room, &ev, err);
		} else {
			n = read(c->fd, c->buf + c->len, room);
			if (n < 0)
				n = errno == EAGAIN || errno == EINTR ? -EAGAIN : negative_errno();
		}
		if (n > 0)
			return n;
		if (n == 0)
			return error_set(err, ECONNRESET, "the server closed the connection");
		if (n != -EAGAIN)
			return error_set(err, (int)n, "read: %s", strerror((int)-n));
		r = fd_wait(c->fd, ev, c->deadline);
		if (r == -ETIME)
			return error_set(err, ETIME, "timed out waiting for the server");
		if (r < 0)
			return error_set(err, r, "poll: %s", strerror(-r));
	}
}

int conn_read_line(struct conn *c, const char **ret_line, struct error *err)
{
	size_t n;

	memmove(c->buf, c->buf + c->consumed, c->len - c->consumed);
	c->len -= c->consumed;
	c->consumed = 0;
	for (;;) {
		ssize_t got;
		int r = reply_line_split(c->buf, c->len, &n);

		if (r < 0)
			return error_set(err, EPROTO,
					 "not a CRLF text line (NUL, bare CR/LF or "
					 "longer than %d bytes)",
					 REPLY_LINE_MAX);
		if (r > 0)
			break;
		got = conn_fill(c, err);
		if (got < 0)
			return (int)got;
		c->len += (size_t)got;
	}
	c->buf[n] = '\0';
	c->consumed = n + 2;
	*ret_line = c->buf;
	return 0;
}

static int fd_write(struct conn *c, const char *buf, size_t size, struct error *err)
{
	while (size > 0) {
		ssize_t n = send(c->fd, buf, size, MSG_NOSIGNAL);
		int r;

		if (n > 0) {
			buf += n;
			size -= (size_t)n;
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			return error_set(err, errno, "send: %s", strerror(errno));
		r = fd_wait(c->fd, POLLOUT, c->deadline);
		if (r == -ETIME)
			return error_set(err, ETIME, "timed out sending");
		if (r < 0)
			return error_set(err, r, "poll: %s", strerror(-r));
	}
	return 0;
}

int conn_send(struct conn *c, const char *line, const char *what, struct error *err)
{
	char buf[REPLY_LINE_MAX + 3];
	size_t n = strlen(line);
	int r;

	if (n > REPLY_LINE_MAX || strpbrk(line, "\r\n"))
		return error_set(err, EINVAL, "%s: not a single command line", what);
	memcpy(buf, line, n);
	memcpy(buf + n, "\r\n", 2);
	r = c->tls ? tls_write(c->tls, buf, n + 2, c->deadline, err) : fd_write(c, buf, n + 2, err);
	/* The line may have held a password. */
	explicit_bzero(buf, sizeof(buf));
	if (r < 0)
		error_prefix(err, "%s", what);
	return r;
}

int conn_starttls(struct conn *c, const struct probe_target *t, struct error *err)
{
	/*
	 * Anything the server sent after its go-ahead arrived in cleartext
	 * and must not be taken as part of the TLS session (CVE-2011-0411).
	 */
	if (c->len != c->consumed)
		return error_set(err, EPROTO,
				 "TLS: the server sent data after its STARTTLS "
				 "go-ahead, before the handshake");
	return tls_start(c->fd, t->host, t->ca_file, c->deadline, &c->tls, err);
}

void conn_close(struct conn *c)
{
	c->tls = tls_free(c->tls);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
