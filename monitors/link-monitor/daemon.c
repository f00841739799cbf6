/*
 * link-monitord: subscribes to rtnetlink link notifications before reading
 * the current state (so no change can slip between the two), then reacts to
 * each notification as it arrives. When the kernel reports that it dropped
 * notifications (ENOBUFS), the state is read again in full.
 */
#include <errno.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "link.h"
#include "linkset.h"
#include "log.h"
#include "mond.h"
#include "netlink.h"

struct link_daemon {
	struct mond *m;
	struct nl *events;
	struct nl *req;
	struct linkset *set;
	unsigned changes;
	bool watching; /* past the first dump: changes are news */
};

static struct link_daemon daemon_state;

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_daemon *d = data;
	struct link_info info;
	int i;

	if (link_info_parse(nlh, &info) < 0)
		return MNL_CB_OK;
	i = linkset_apply(d->set, &info);
	if (i >= 0) {
		d->changes++;
		if (d->watching)
			log_notice("link of '%s' is %s", d->set->e[i].name,
				   d->set->e[i].up	  ? "up"
				   : d->set->e[i].ifindex ? "down"
							  : "gone");
	}
	return MNL_CB_OK;
}

static int dump_links(struct link_daemon *d)
{
	struct nlmsghdr *nlh = nl_message(d->req, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	/* A full dump also sees interfaces that vanished: reset, then refill. */
	for (size_t i = 0; i < d->set->n; i++) {
		struct link_info gone = {.ifindex = d->set->e[i].ifindex, .deleted = true};

		if (gone.ifindex)
			(void)linkset_apply(d->set, &gone);
	}
	return nl_request(d->req, nlh, link_cb, d);
}

static int32_t on_event(int32_t fd, int32_t revents, void *data)
{
	struct link_daemon *d = data;
	int r;

	d->changes = 0;
	while ((r = nl_receive(d->events, link_cb, d)) > 0)
		;
	if (r == -ENOBUFS) {
		log_info("notifications were dropped: reading every link again");
		d->changes++;
		r = dump_links(d);
	}
	if (r < 0) {
		mond_fail(d->m, "cannot read link notifications: %s", strerror(-r));
		return -1;
	}
	if (d->changes)
		mond_publish(d->m, linkset_up(d->set), (unsigned)d->set->n);
	return 0;
}

static enum ocf_exitcode link_setup(struct mond *m, void *config, struct error *err)
{
	struct link_config *c = config;
	struct link_daemon *d = &daemon_state;
	int r;

	d->m = m;
	if ((r = linkset_new(c->interfaces, &d->set)) < 0 ||
	    (r = nl_open(RTMGRP_LINK, &d->events)) < 0 || (r = nl_open(0, &d->req)) < 0 ||
	    (r = dump_links(d)) < 0) {
		error_set(err, -r, "cannot read the links: %s", strerror(-r));
		return PCMK_OCF_UNKNOWN_ERROR;
	}
	for (size_t i = 0; i < d->set->n; i++)
		log_info("link of '%s' is %s", d->set->e[i].name,
			 d->set->e[i].up	? "up"
			 : d->set->e[i].ifindex ? "down"
						: "missing");
	d->watching = true;
	r = qb_loop_poll_add(mond_loop(m), QB_LOOP_HIGH, nl_fd(d->events), POLLIN, d, on_event);
	if (r < 0) {
		error_set(err, -r, "cannot watch link notifications: %s", strerror(-r));
		return PCMK_OCF_UNKNOWN_ERROR;
	}
	mond_publish(m, linkset_up(d->set), (unsigned)d->set->n);
	return PCMK_OCF_OK;
}

static void link_teardown(struct mond *m, void *config)
{
	struct link_daemon *d = &daemon_state;

	nl_close(d->events);
	nl_close(d->req);
	free(d->set);
}

static const struct mond_def link_daemon_def = {
	.name = "link-monitor",
	.params = link_params,
	.n_params = LINK_N_PARAMS,
	.config_size = sizeof(struct link_config),
	.attr_offset = offsetof(struct link_config, attr),
	.has_attr = true,
	.setup = link_setup,
	.teardown = link_teardown,
};

int main(int argc, char **argv)
{
	return mond_main(&link_daemon_def, argc, argv);
}
