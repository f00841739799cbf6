/*
 * disk-monitord: every interval, each idle prober reads its device; at
 * timeout, a device whose read has not completed counts as failed. A read
 * still pending from an earlier round is not repeated: the device stays
 * failed until that read returns, then the next round reads it afresh.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "disk.h"
#include "log.h"
#include "mond.h"
#include "prober.h"

struct disk_state {
	struct prober prober;
	bool pending;  /* a read was asked for and not answered yet */
	bool healthy;  /* the last round's verdict */
	bool answered; /* answered within this round */
	int result;
};

struct disk_daemon {
	struct mond *m;
	struct disk_config *c;
	size_t n;
	struct disk_state *d;
	bool in_round;
	unsigned rounds;
	qb_loop_timer_handle round_timer, end_timer;
};

static struct disk_daemon disks;

static void round_end(void *data);

static int32_t on_answer(int32_t fd, int32_t revents, void *data)
{
	struct disk_daemon *dd = &disks;
	struct disk_state *s = data;
	int r = prober_answer(&s->prober);

	if (r == -EAGAIN)
		return 0;
	s->pending = false;
	s->result = r;
	s->answered = dd->in_round;
	if (r == -EPIPE) { /* the prober died: a new one next round */
		(void)waitpid(s->prober.pid, NULL, WNOHANG);
		prober_stop(&s->prober);
		return -1;
	}
	for (size_t i = 0; i < dd->n; i++)
		if (!dd->d[i].answered)
			return 0;
	if (dd->in_round) {
		(void)qb_loop_timer_del(mond_loop(dd->m), dd->end_timer);
		round_end(dd);
	}
	return 0;
}

static int prober_ensure(struct disk_daemon *dd, size_t i)
{
	struct disk_state *s = &dd->d[i];
	int r;

	if (s->prober.fd >= 0)
		return 0;
	r = prober_start(dd->c->devices[i], &s->prober);
	if (r < 0)
		return r;
	return qb_loop_poll_add(mond_loop(dd->m), QB_LOOP_HIGH, s->prober.fd, POLLIN, s, on_answer);
}

static void round_start(void *data)
{
	struct disk_daemon *dd = data;

	dd->in_round = true;
	dd->rounds++;
	for (size_t i = 0; i < dd->n; i++) {
		struct disk_state *s = &dd->d[i];
		int r = 0;

		s->answered = false;
		if (s->pending)
			continue;
		if ((r = prober_ensure(dd, i)) == 0 && (r = prober_request(&s->prober)) == 0)
			s->pending = true;
		else
			log_warning("cannot read '%s': %s", dd->c->devices[i], strerror(-r));
	}
	(void)qb_loop_timer_add(mond_loop(dd->m), QB_LOOP_MED, MOND_MS_NS(dd->c->timeout_ms), dd,
				round_end, &dd->end_timer);
	(void)qb_loop_timer_add(mond_loop(dd->m), QB_LOOP_MED, MOND_MS_NS(dd->c->interval_s * 1000),
				dd, round_start, &dd->round_timer);
}

static void verdict_log(struct disk_daemon *dd, size_t i, bool healthy)
{
	const struct disk_state *s = &dd->d[i];

	if (healthy)
		log_notice("'%s' answers", dd->c->devices[i]);
	else if (s->pending)
		log_warning("'%s' has not answered a read within %llu ms", dd->c->devices[i],
			    (unsigned long long)dd->c->timeout_ms);
	else
		log_warning("'%s' failed a read: %s", dd->c->devices[i], strerror(-s->result));
}

static void round_end(void *data)
{
	struct disk_daemon *dd = data;
	unsigned healthy = 0;

	if (!dd->in_round)
		return;
	dd->in_round = false;
	for (size_t i = 0; i < dd->n; i++) {
		struct disk_state *s = &dd->d[i];
		bool ok = s->answered && s->result == 0;

		if (ok != s->healthy || dd->rounds == 1)
			verdict_log(dd, i, ok);
		s->healthy = ok;
		healthy += ok;
	}
	mond_publish(dd->m, healthy, (unsigned)dd->n);
}

static enum ocf_exitcode disk_setup(struct mond *m, void *config, struct error *err)
{
	struct disk_daemon *dd = &disks;

	*dd = (struct disk_daemon){.m = m, .c = config};
	while (dd->c->devices[dd->n])
		dd->n++;
	dd->d = calloc(dd->n, sizeof(*dd->d));
	if (!dd->d)
		return error_set(err, ENOMEM, "out of memory"), PCMK_OCF_UNKNOWN_ERROR;
	for (size_t i = 0; i < dd->n; i++)
		dd->d[i].prober.fd = -1;
	round_start(dd);
	return PCMK_OCF_OK;
}

static void disk_teardown(struct mond *m, void *config)
{
	struct disk_daemon *dd = &disks;

	for (size_t i = 0; i < dd->n; i++)
		prober_stop(&dd->d[i].prober);
	free(dd->d);
}

static const struct mond_def disk_daemon_def = {
	.name = "disk-monitor",
	.params = disk_params,
	.n_params = DISK_N_PARAMS,
	.config_size = sizeof(struct disk_config),
	.config_check = disk_config_check,
	.attr_offset = offsetof(struct disk_config, attr),
	.has_attr = true,
	.setup = disk_setup,
	.teardown = disk_teardown,
};

int main(int argc, char **argv)
{
	return mond_main(&disk_daemon_def, argc, argv);
}
