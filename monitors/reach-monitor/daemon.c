/*
 * reach-monitord: every interval, count echo requests to each target at
 * once, then wait up to timeout for replies; the round ends early when
 * every target has answered. One socket per address family, a datagram
 * ICMP socket where net.ipv4.ping_group_range allows it, else a raw one
 * (root has CAP_NET_RAW) filtered to echo replies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <linux/icmp.h>
#include <sys/random.h>

#include "echo.h"
#include "log.h"
#include "mond.h"
#include "reach.h"

struct family_sock {
	int fd;
	bool raw;
};

struct reach_daemon {
	struct mond *m;
	struct reach_config *c;
	struct family_sock v4, v6;
	uint16_t id; /* raw sockets: ours; datagram sockets: the kernel's */
	uint32_t token;
	uint16_t round; /* sequence numbers: round * count + k */
	bool *replied;
	bool *was_up;
	bool in_round;
	qb_loop_timer_handle round_timer, end_timer;
};

static struct reach_daemon reach;

static int sock_open(int family, struct family_sock *s)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;

	s->fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
	s->raw = false;
	if (s->fd >= 0)
		return 0;
	s->fd = socket(family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
	if (s->fd < 0)
		return negative_errno();
	s->raw = true;
	if (family == AF_INET) {
		struct icmp_filter f = {.data = ~(1u << ICMP_ECHOREPLY)};

		(void)setsockopt(s->fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	} else {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		(void)setsockopt(s->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	return 0;
}

static struct family_sock *sock_for(struct reach_daemon *d, int family)
{
	return family == AF_INET ? &d->v4 : &d->v6;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			      &((const struct sockaddr_in *)b)->sin_addr,
			      sizeof(struct in_addr)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

static void round_end(void *data);

static unsigned replied_count(const struct reach_daemon *d)
{
	unsigned n = 0;

	for (unsigned i = 0; i < d->c->n_targets; i++)
		n += d->replied[i];
	return n;
}

/* A reply of this round from target i: mark it; end the round once all answered. */
static void reply_match(struct reach_daemon *d, const struct sockaddr_storage *from,
			const struct echo *e, const struct family_sock *s)
{
	uint16_t first = (uint16_t)(d->round * d->c->count);

	if (!d->in_round || e->token != d->token || (s->raw && e->id != d->id) ||
	    (uint16_t)(e->seq - first) >= d->c->count)
		return;
	for (unsigned i = 0; i < d->c->n_targets; i++)
		if (same_addr(&d->c->targets[i].addr, from))
			d->replied[i] = true;
	if (replied_count(d) == d->c->n_targets) {
		(void)qb_loop_timer_del(mond_loop(d->m), d->end_timer);
		round_end(d);
	}
}

static int32_t on_reply(int32_t fd, int32_t revents, void *data)
{
	struct reach_daemon *d = &reach;
	struct family_sock *s = data;
	int family = s == &d->v4 ? AF_INET : AF_INET6;

	for (;;) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		uint8_t buf[256];
		struct echo e;
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);

		if (n < 0)
			break; /* EAGAIN: drained */
		if (echo_parse(family, s->raw && family == AF_INET, buf, (size_t)n, &e) == 0)
			reply_match(d, &from, &e, s);
	}
	return 0;
}

static void send_round(struct reach_daemon *d)
{
	for (unsigned i = 0; i < d->c->n_targets; i++) {
		const struct reach_target *t = &d->c->targets[i];
		struct family_sock *s = sock_for(d, t->addr.ss_family);

		for (unsigned k = 0; k < d->c->count; k++) {
			struct echo e = {.id = d->id,
					 .seq = (uint16_t)(d->round * d->c->count + k),
					 .token = d->token};
			uint8_t buf[ECHO_LEN];
			int len = echo_build(t->addr.ss_family, &e, buf, sizeof(buf));

			/* An unreachable network fails the send: the target just does not answer.
			 */
			if (len > 0 && sendto(s->fd, buf, (size_t)len, 0,
					      (const struct sockaddr *)&t->addr, t->len) < 0)
				log_debug("echo to %s: %s", t->text, strerror(errno));
		}
	}
}

static void round_start(void *data)
{
	struct reach_daemon *d = data;

	d->round++;
	memset(d->replied, 0, d->c->n_targets * sizeof(*d->replied));
	d->in_round = true;
	send_round(d);
	(void)qb_loop_timer_add(mond_loop(d->m), QB_LOOP_MED, MOND_MS_NS(d->c->timeout_ms), d,
				round_end, &d->end_timer);
	(void)qb_loop_timer_add(mond_loop(d->m), QB_LOOP_MED, MOND_MS_NS(d->c->interval_s * 1000),
				d, round_start, &d->round_timer);
}

static void round_end(void *data)
{
	struct reach_daemon *d = data;

	if (!d->in_round)
		return;
	d->in_round = false;
	for (unsigned i = 0; i < d->c->n_targets; i++) {
		if (d->replied[i] != d->was_up[i] || d->round == 1)
			log_notice("%s is %s", d->c->targets[i].text,
				   d->replied[i] ? "reachable" : "unreachable");
		d->was_up[i] = d->replied[i];
	}
	mond_publish(d->m, replied_count(d), d->c->n_targets);
}

static int socks_open(struct reach_daemon *d)
{
	bool v4 = false, v6 = false;
	int r;

	for (unsigned i = 0; i < d->c->n_targets; i++) {
		v4 |= d->c->targets[i].addr.ss_family == AF_INET;
		v6 |= d->c->targets[i].addr.ss_family == AF_INET6;
	}
	if (v4 && (r = sock_open(AF_INET, &d->v4)) < 0)
		return r;
	if (v6 && (r = sock_open(AF_INET6, &d->v6)) < 0)
		return r;
	if (v4 && (r = qb_loop_poll_add(mond_loop(d->m), QB_LOOP_HIGH, d->v4.fd, POLLIN, &d->v4,
					on_reply)) < 0)
		return r;
	if (v6 && (r = qb_loop_poll_add(mond_loop(d->m), QB_LOOP_HIGH, d->v6.fd, POLLIN, &d->v6,
					on_reply)) < 0)
		return r;
	return 0;
}

static enum ocf_exitcode reach_setup(struct mond *m, void *config, struct error *err)
{
	struct reach_daemon *d = &reach;
	int r;

	*d = (struct reach_daemon){.m = m, .c = config, .v4.fd = -1, .v6.fd = -1};
	d->id = (uint16_t)getpid();
	if (getrandom(&d->token, sizeof(d->token), 0) != sizeof(d->token))
		d->token = (uint32_t)getpid() ^ 0x65786861u;
	d->replied = calloc(d->c->n_targets, sizeof(*d->replied));
	d->was_up = calloc(d->c->n_targets, sizeof(*d->was_up));
	if (!d->replied || !d->was_up)
		return error_set(err, ENOMEM, "out of memory"), PCMK_OCF_UNKNOWN_ERROR;
	r = socks_open(d);
	if (r < 0) {
		error_set(err, -r, "cannot open an ICMP socket: %s", strerror(-r));
		return ocf_from_errno(r);
	}
	/* The first round now: start returns once its score is known. */
	round_start(d);
	return PCMK_OCF_OK;
}

static void reach_teardown(struct mond *m, void *config)
{
	struct reach_daemon *d = &reach;

	if (d->v4.fd >= 0)
		close(d->v4.fd);
	if (d->v6.fd >= 0)
		close(d->v6.fd);
	free(d->replied);
	free(d->was_up);
}

static const struct mond_def reach_daemon_def = {
	.name = "reach-monitor",
	.params = reach_params,
	.n_params = REACH_N_PARAMS,
	.config_size = sizeof(struct reach_config),
	.config_check = reach_config_check,
	.attr_offset = offsetof(struct reach_config, attr),
	.has_attr = true,
	.setup = reach_setup,
	.teardown = reach_teardown,
};

int main(int argc, char **argv)
{
	return mond_main(&reach_daemon_def, argc, argv);
}
