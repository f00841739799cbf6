/*
 * Monitor daemon runtime. Readiness goes back to the starting agent as one
 * line on an inherited pipe ("OK" or "ERR <ocf code> <reason>"), so start
 * returns only once the attribute exists, and fails with the daemon's own
 * reason. The attribute is re-sent every MOND_REFRESH_MS so that a
 * restarted attrd learns it again without waiting for a change.
 */
#include "mond.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrd.h"
#include "log.h"
#include "strutil.h"

#define MOND_REFRESH_MS 60000

struct mond {
	const struct mond_def *def;
	void *config;
	const struct mon_attr *attr; /* NULL without an attribute */
	qb_loop_t *loop;
	struct attrd *attrd;
	qb_loop_timer_handle refresh;
	enum { MODE_RUN, MODE_CHECK, MODE_CLEAR } mode;
	int ready_fd; /* -1 once readiness was reported */
	bool published, dirty;
	bool done; /* stop requested, possibly before the loop ran */
	unsigned long long score;
	int exit_status;
};

qb_loop_t *mond_loop(struct mond *m)
{
	return m->loop;
}

void *mond_config(struct mond *m)
{
	return m->config;
}

bool mond_is_check(const struct mond *m)
{
	return m->mode == MODE_CHECK;
}

static void ready_report(struct mond *m, enum ocf_exitcode rc, const char *reason)
{
	char line[ERROR_MSG_SIZE + 16];
	int n;

	if (m->ready_fd < 0)
		return;
	if (rc == PCMK_OCF_OK)
		n = snprintf(line, sizeof(line), "OK\n");
	else
		n = snprintf(line, sizeof(line), "ERR %d %s\n", (int)rc, reason);
	if (n > 0)
		(void)!write(m->ready_fd, line, MIN((size_t)n, sizeof(line) - 1));
	close(m->ready_fd);
	m->ready_fd = -1;
}

void mond_fail(struct mond *m, const char *fmt, ...)
{
	char msg[ERROR_MSG_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	ready_report(m, PCMK_OCF_UNKNOWN_ERROR, msg);
	m->exit_status = 1;
	m->done = true;
	qb_loop_stop(m->loop);
}

static int send_score(struct mond *m)
{
	char value[32];
	int r;

	snprintf(value, sizeof(value), "%llu", m->score);
	r = attrd_update(m->attrd, m->attr->name, value, m->attr->dampen_ms);
	m->dirty = r < 0;
	return r;
}

static void publish_check(struct mond *m, unsigned healthy, unsigned total)
{
	printf("%s=%llu (%u of %u healthy)\n", m->attr ? m->attr->name : m->def->name, m->score,
	       healthy, total);
	m->exit_status = healthy == total ? 0 : 1;
	m->done = true;
	qb_loop_stop(m->loop);
}

void mond_publish(struct mond *m, unsigned healthy, unsigned total)
{
	unsigned long long score =
		(unsigned long long)healthy * (m->attr ? m->attr->multiplier : 1);
	bool changed = !m->published || score != m->score;
	int r;

	m->score = score;
	if (m->mode == MODE_CHECK)
		return publish_check(m, healthy, total);
	if (!m->attr) {
		m->published = true;
		ready_report(m, PCMK_OCF_OK, NULL);
		return;
	}
	if (!changed && !m->dirty)
		return;
	r = send_score(m);
	if (r < 0 && !m->published)
		return mond_fail(m, "cannot set node attribute '%s': %s", m->attr->name,
				 strerror(-r));
	if (r < 0)
		log_warning("cannot set node attribute '%s' to %llu: %s " QB_XS " retried in %u s",
			    m->attr->name, score, strerror(-r), MOND_REFRESH_MS / 1000);
	else if (changed)
		log_notice("%s=%llu (%u of %u healthy)", m->attr->name, score, healthy, total);
	m->published = true;
	ready_report(m, PCMK_OCF_OK, NULL);
}

static void refresh_fire(void *data)
{
	struct mond *m = data;

	if (m->published && send_score(m) < 0)
		log_warning("cannot refresh node attribute '%s'", m->attr->name);
	(void)qb_loop_timer_add(m->loop, QB_LOOP_LOW, MOND_MS_NS(MOND_REFRESH_MS), m, refresh_fire,
				&m->refresh);
}

static int32_t on_signal(int32_t sig, void *data)
{
	struct mond *m = data;

	log_info("stopping on signal %d", sig);
	m->done = true;
	qb_loop_stop(m->loop);
	return 0;
}

static void clear_attr(struct mond *m)
{
	int r;

	if (!m->attr || !m->published)
		return;
	r = attrd_delete(m->attrd, m->attr->name, m->attr->dampen_ms);
	if (r < 0)
		log_warning("cannot remove node attribute '%s': %s", m->attr->name, strerror(-r));
	else
		log_info("node attribute '%s' removed", m->attr->name);
}

/* Where Pacemaker logs (PCMK_logfile, HA_logfile: set for its daemons and agents). */
static void log_to_cluster_file(void)
{
	const char *path = getenv("PCMK_logfile");

	if (!path || !path[0])
		path = getenv("HA_logfile");
	if (path && path[0] == '/' && log_file_add(path) < 0)
		log_debug("cannot log to '%s'", path);
}

static int ready_fd_from_env(void)
{
	const char *v = getenv(MON_READY_ENV);
	uint64_t fd;

	if (!v || parse_uint64(v, 3, 1024, &fd) < 0)
		return -1;
	(void)unsetenv(MON_READY_ENV);
	return (int)fd;
}

static enum ocf_exitcode config_load(struct mond *m, struct error *err)
{
	const struct mond_def *def = m->def;

	m->config = calloc(1, def->config_size ? def->config_size : 1);
	if (!m->config)
		return error_set(err, ENOMEM, "out of memory"), PCMK_OCF_UNKNOWN_ERROR;
	if (param_parse_all(def->params, def->n_params, param_lookup_env, NULL, m->config, err) <
		    0 ||
	    (def->config_check && def->config_check(m->config, err) < 0))
		return PCMK_OCF_NOT_CONFIGURED;
	if (def->has_attr)
		m->attr = (const struct mon_attr *)((const char *)m->config + def->attr_offset);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode attrd_connect(struct mond *m, struct error *err)
{
	int r;

	if (!m->attr || m->mode == MODE_CHECK)
		return PCMK_OCF_OK;
	r = attrd_open(&m->attrd);
	if (r < 0) {
		error_set(err, -r, "cannot reach the attribute manager (pacemaker-attrd): %s",
			  strerror(-r));
		return PCMK_OCF_UNKNOWN_ERROR;
	}
	return PCMK_OCF_OK;
}

static enum ocf_exitcode loop_setup(struct mond *m, struct error *err)
{
	qb_loop_signal_handle sig;

	m->loop = qb_loop_create();
	if (!m->loop)
		return error_set(err, ENOMEM, "cannot create the main loop"),
		       PCMK_OCF_UNKNOWN_ERROR;
	(void)qb_loop_signal_add(m->loop, QB_LOOP_HIGH, SIGTERM, m, on_signal, &sig);
	(void)qb_loop_signal_add(m->loop, QB_LOOP_HIGH, SIGINT, m, on_signal, &sig);
	if (m->attr && m->mode == MODE_RUN)
		(void)qb_loop_timer_add(m->loop, QB_LOOP_LOW, MOND_MS_NS(MOND_REFRESH_MS), m,
					refresh_fire, &m->refresh);
	return m->def->setup(m, m->config, err);
}

static int mode_parse(struct mond *m, int argc, char **argv)
{
	if (argc != 2)
		return -EINVAL;
	if (strcmp(argv[1], "run") == 0)
		m->mode = MODE_RUN;
	else if (strcmp(argv[1], "check") == 0)
		m->mode = MODE_CHECK;
	else if (strcmp(argv[1], "clear") == 0)
		m->mode = MODE_CLEAR;
	else
		return -EINVAL;
	return 0;
}

static int run_clear(struct mond *m)
{
	int r;

	if (!m->attr)
		return 0;
	r = attrd_delete(m->attrd, m->attr->name, m->attr->dampen_ms);
	if (r < 0)
		log_error("cannot remove node attribute '%s': %s", m->attr->name, strerror(-r));
	return r < 0 ? 1 : 0;
}

static int finish(struct mond *m, struct error *err, enum ocf_exitcode rc)
{
	if (rc != PCMK_OCF_OK) {
		log_error("%s", err->msg);
		ready_report(m, rc, err->msg);
		return m->mode == MODE_CHECK ? (int)rc : 1;
	}
	return m->exit_status;
}

int mond_main(const struct mond_def *def, int argc, char **argv)
{
	struct mond m = {.def = def, .ready_fd = ready_fd_from_env()};
	const char *instance = getenv("OCF_RESOURCE_INSTANCE");
	struct error err = {{0}};
	enum ocf_exitcode rc;
	int status;

	if (mode_parse(&m, argc, argv) < 0) {
		fprintf(stderr, "usage: %sd {run|check|clear} (parameters in OCF_RESKEY_*)\n",
			def->name);
		return 2;
	}
	log_open(def->name, instance && instance[0] ? instance : NULL, false);
	log_to_cluster_file();
	rc = config_load(&m, &err);
	if (rc == PCMK_OCF_OK)
		rc = attrd_connect(&m, &err);
	if (rc == PCMK_OCF_OK && m.mode == MODE_CLEAR)
		status = run_clear(&m);
	else {
		if (rc == PCMK_OCF_OK)
			rc = loop_setup(&m, &err);
		if (rc == PCMK_OCF_OK && !m.done)
			qb_loop_run(m.loop);
		status = finish(&m, &err, rc);
		if (def->teardown && m.config && rc == PCMK_OCF_OK)
			def->teardown(&m, m.config);
		if (m.mode == MODE_RUN && m.exit_status == 0 && rc == PCMK_OCF_OK)
			clear_attr(&m);
	}
	ready_report(&m, PCMK_OCF_UNKNOWN_ERROR, "the daemon ended before it was ready");
	if (m.loop)
		qb_loop_destroy(m.loop);
	attrd_close(m.attrd);
	if (m.config) {
		param_free_all(def->params, def->n_params, m.config);
		free(m.config);
	}
	log_close();
	return status;
}
