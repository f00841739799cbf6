/*
 * alert-listenerd: joins the CPG alert group and logs every alert, from
 * whichever node, at a level that matches its severity. Corosync going away
 * ends the daemon, so the agent's monitor reports it and Pacemaker restarts
 * the listener once the cluster is back.
 */
#include <errno.h>
#include <string.h>

#include "alert.h"
#include "log.h"
#include "mond.h"

static struct alert_listener *listener;
static struct mond *mond_self;

static void on_alert(const struct alert *a, uint32_t nodeid, void *userdata)
{
	static const int levels[] = {LOG_NOTICE, LOG_WARNING, LOG_CRIT};
	char line[ALERT_MSG_MAX + 64];

	if (alert_format(a, line, sizeof(line)) < 0)
		return;
	qb_log(levels[a->severity], "%s " QB_XS " nodeid=%u sent=%llu", line, nodeid,
	       (unsigned long long)a->time_s);
}

static int32_t on_cpg(int32_t fd, int32_t revents, void *data)
{
	unsigned dropped = alert_listener_dropped(listener);
	int r = alert_listener_dispatch(listener);

	if (alert_listener_dropped(listener) != dropped)
		log_warning("dropped a malformed alert message");
	if (r < 0 || (revents & (POLLHUP | POLLERR))) {
		mond_fail(mond_self, "lost the connection to corosync: %s",
			  strerror(r < 0 ? -r : ENOTCONN));
		return -1;
	}
	return 0;
}

static enum ocf_exitcode listener_setup(struct mond *m, void *config, struct error *err)
{
	int r = alert_listener_open(on_alert, NULL, &listener);

	mond_self = m;
	if (r >= 0)
		r = alert_listener_fd(listener);
	if (r >= 0)
		r = qb_loop_poll_add(mond_loop(m), QB_LOOP_HIGH, r, POLLIN, NULL, on_cpg);
	if (r < 0) {
		error_set(err, -r, "cannot join the alert group '%s' through corosync: %s",
			  ALERT_GROUP, strerror(-r));
		return PCMK_OCF_UNKNOWN_ERROR;
	}
	log_info("listening for alerts on group '%s'", ALERT_GROUP);
	mond_publish(m, 1, 1);
	return PCMK_OCF_OK;
}

static void listener_teardown(struct mond *m, void *config)
{
	listener = alert_listener_close(listener);
}

static const struct mond_def listener_def = {
	.name = "alert-listener",
	.setup = listener_setup,
	.teardown = listener_teardown,
};

int main(int argc, char **argv)
{
	return mond_main(&listener_def, argc, argv);
}
