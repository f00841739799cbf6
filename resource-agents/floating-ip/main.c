/*
 * ocf:exha:floating-ip actions. Each action maps the -errno answers of the
 * modules below to one OCF exit code and one log line; the modules never log
 * above debug.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "agent_alert.h"
#include "announce.h"
#include "fip.h"
#include "held.h"
#include "log.h"
#include "pkt.h"
#include "state.h"
#include "target.h"

/* An interface's name for messages ("#7" if it vanished meanwhile). */
static const char *ifname_of(struct nl *nl, int ifindex, char buf[IFNAMSIZ])
{
	struct iface iface;

	if (iface_by_index(nl, ifindex, &iface) < 0)
		snprintf(buf, IFNAMSIZ, "#%d", ifindex);
	else
		memcpy(buf, iface.name, IFNAMSIZ);
	return buf;
}

static enum ocf_exitcode netlink_open(struct agent_ctx *ctx, unsigned groups, struct nl **ret)
{
	int r = nl_open(groups, ret);

	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot open rtnetlink: %s",
				  strerror(-r));
	return PCMK_OCF_OK;
}

/*
 * The address is on this node, but exha did not put it there (a static
 * address of the node, or an administrator's): taking it over would mean
 * deleting it at stop, with its routes. Wrong wherever it happens.
 */
static enum ocf_exitcode refuse_foreign(struct agent_ctx *ctx, struct nl *nl,
					const struct addr_where *w)
{
	const struct fip_config *c = ctx->config;
	char ip[INADDR_STRLEN], name[IFNAMSIZ];

	return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
			  "%s is already on '%s' of this node and exha did not add it (a static "
			  "address?): refusing to take it over",
			  inaddr_format(&c->ip, ip), ifname_of(nl, w->ifindex, name));
}

/*
 * After the add: the kernel must have kept the mark, or stop could not tell
 * the address ours. When the add found the address already there (added
 * since the precheck), it is someone else's unless it carries the mark.
 */
static enum ocf_exitcode check_marked(struct agent_ctx *ctx, struct nl *nl, const struct target *t,
				      bool added)
{
	const struct fip_config *c = ctx->config;
	char ip[INADDR_STRLEN];
	struct addr_where w;
	int r = addr_find(nl, &c->ip, t->iface.ifindex, &w);

	inaddr_format(&c->ip, ip);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot list addresses: %s",
				  strerror(-r));
	if (w.count > 0 && w.ifindex == t->iface.ifindex && addr_where_is_ours(&w))
		return PCMK_OCF_OK;
	if (w.count > 0 && !added)
		return refuse_foreign(ctx, nl, &w);
	if (w.count > 0 && w.ifindex == t->iface.ifindex && !w.has_proto) {
		(void)addr_del(nl, &c->ip, t->prefix, t->iface.ifindex);
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
				  "this node's kernel does not keep the mark exha puts on %s "
				  "(IFA_PROTO, Linux 5.18 or later): without it stop could delete "
				  "an address that is not exha's",
				  ip);
	}
	return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
			  "%s vanished from '%s' right after it was added", ip, t->iface.name);
}

/* An address conflict refused: every node's administrator must see it (ARMBCAST). */
static void alert_conflict(struct agent_ctx *ctx, const char *ip, const char *holder,
			   const char *nic)
{
	int r = agent_alert(ctx, ALERT_CRITICAL,
			    "%s is already in use by %s on the link of '%s': refused to start", ip,
			    holder, nic);

	if (r < 0)
		log_debug("no cluster alert for the conflict: %s", strerror(-r));
}

static struct pkt_probe_plan probe_plan(const struct fip_config *c)
{
	return (struct pkt_probe_plan){
		.probes = (unsigned)c->conflict_probes,
		.interval_ms = (unsigned)c->conflict_interval_ms,
		.wait_ms = (unsigned)c->conflict_wait_ms,
	};
}

/*
 * The conflict check, before the address exists here: ARP probes for IPv4,
 * DAD's neighbour solicitations for IPv6. IPv6 is probed by us and added
 * with nodad rather than left to the kernel's DAD, which waits
 * dad_transmits x retrans_time_ms (1 s) after a random delay of up to
 * rtr_solicit_delay (1 s) and keeps the address tentative meanwhile.
 */
static enum ocf_exitcode check_conflict(struct agent_ctx *ctx, struct pkt *pkt,
					const struct target *t)
{
	const struct fip_config *c = ctx->config;
	struct pkt_probe_plan plan = probe_plan(c);
	char ip[INADDR_STRLEN], mac[18];
	uint8_t holder[6];
	int r = pkt_probe(pkt, &c->ip, &plan, ctx->deadline, holder);

	inaddr_format(&c->ip, ip);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot probe for %s on '%s': %s", ip,
				  t->iface.name, strerror(-r));
	if (r > 0) {
		alert_conflict(ctx, ip, mac_format(holder, mac), t->iface.name);
		return agent_fail(
			ctx, PCMK_OCF_UNKNOWN_ERROR,
			"%s is already in use by %s on the link of '%s': refusing to start", ip,
			mac, t->iface.name);
	}
	log_debug("no other holder of %s answered %u probes within %u ms of the last", ip,
		  plan.probes, plan.wait_ms);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode add_address(struct agent_ctx *ctx, struct nl *nl, const struct target *t)
{
	const struct fip_config *c = ctx->config;
	struct addr_spec spec = {
		.addr = &c->ip,
		.prefix = t->prefix,
		.ifindex = t->iface.ifindex,
		.label = t->label[0] ? t->label : NULL,
		.nodad = true, /* checked by check_conflict() when conflict_check is on */
		.preferred_lft = (uint32_t)c->preferred_lft,
	};
	char ip[INADDR_STRLEN];
	int r = addr_add(nl, &spec);

	if (r < 0 && r != -EEXIST)
		return agent_fail(ctx, ocf_from_errno(r), "cannot add %s/%u to '%s': %s",
				  inaddr_format(&c->ip, ip), t->prefix, t->iface.name,
				  strerror(-r));
	return check_marked(ctx, nl, t, r != -EEXIST);
}

static void announce(struct agent_ctx *ctx, struct pkt *pkt)
{
	const struct fip_config *c = ctx->config;
	_cleanup_close_ int statefd = -1;
	int r = state_dir_open(EXHA_RUNDIR, ctx->instance, &statefd);

	if (r >= 0)
		r = announcer_start(statefd, pkt, &c->ip, (unsigned)c->arp_count,
				    (unsigned)c->arp_interval_ms, ctx->deadline);
	if (r < 0)
		log_warning("announcing the new location failed: %s " QB_XS " neighbours learn it "
			    "when their cache entries expire",
			    strerror(-r));
}

/* Checks before touching anything: placement and link. */
static enum ocf_exitcode start_precheck(struct agent_ctx *ctx, struct nl *nl,
					const struct target *t, bool *ret_done)
{
	const struct fip_config *c = ctx->config;
	char ip[INADDR_STRLEN], other[IFNAMSIZ];
	struct addr_where w;
	int r = addr_find(nl, &c->ip, t->iface.ifindex, &w);

	inaddr_format(&c->ip, ip);
	*ret_done = false;
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot list addresses: %s",
				  strerror(-r));
	if (w.count > 0 && !addr_where_is_ours(&w))
		return refuse_foreign(ctx, nl, &w);
	if (w.count > 0 && w.ifindex == t->iface.ifindex) {
		log_info("%s is already on '%s'", ip, t->iface.name);
		*ret_done = true;
		return PCMK_OCF_OK;
	}
	if (w.count > 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "%s is already on '%s' of this node, not on '%s'", ip,
				  ifname_of(nl, w.ifindex, other), t->iface.name);
	if (!iface_is_up(&t->iface))
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the link of '%s' is down: %s would be unreachable",
				  t->iface.name, ip);
	return PCMK_OCF_OK;
}

static void stop_announcer(struct agent_ctx *ctx);

/*
 * A start that failed after the add (verify): nothing of it stays, so no
 * announcement or defence follows an address this node failed to serve.
 * Pacemaker's stop would do the same; a start that cleans up after itself
 * does not depend on it.
 */
static void start_undo(struct agent_ctx *ctx, struct nl *nl, const struct target *t)
{
	const struct fip_config *c = ctx->config;
	int r = held_defend_stop(ctx);

	if (r < 0)
		log_warning("cannot end the defender: %s", strerror(-r));
	stop_announcer(ctx);
	r = addr_del(nl, &c->ip, t->prefix, t->iface.ifindex);
	if (r < 0 && r != -EADDRNOTAVAIL)
		log_warning("cannot remove the address again: %s", strerror(-r));
}

static enum ocf_exitcode fip_start(struct agent_ctx *ctx)
{
	const struct fip_config *c = ctx->config;
	_cleanup_nl_ struct nl *nl = NULL;
	struct pkt pkt = PKT_INIT;
	char ip[INADDR_STRLEN];
	struct target t;
	bool done;
	enum ocf_exitcode rc;
	int r;

	if ((rc = netlink_open(ctx, 0, &nl)) != PCMK_OCF_OK ||
	    (rc = target_resolve(ctx, nl, &t)) != PCMK_OCF_OK ||
	    (rc = start_precheck(ctx, nl, &t, &done)) != PCMK_OCF_OK)
		return rc;
	if (done) {
		held_defend_start(ctx, &t, true);
		return rc;
	}
	inaddr_format(&c->ip, ip);
	if (t.iface.has_mac &&
	    (c->conflict_check || c->arp_count || c->verify.mode != FIP_VERIFY_NONE)) {
		r = pkt_open(c->ip.family, t.iface.ifindex, t.iface.mac, &pkt);
		if (r < 0)
			return agent_fail(ctx, ocf_from_errno(r),
					  "cannot open a packet socket on '%s': %s", t.iface.name,
					  strerror(-r));
	} else if (!t.iface.has_mac) {
		log_notice("'%s' has no Ethernet address: no conflict check, no announcements",
			   t.iface.name);
	}
	if (pkt.fd >= 0 && c->conflict_check)
		rc = check_conflict(ctx, &pkt, &t);
	if (rc == PCMK_OCF_OK)
		rc = add_address(ctx, nl, &t);
	if (rc == PCMK_OCF_OK && pkt.fd >= 0)
		announce(ctx, &pkt);
	if (rc == PCMK_OCF_OK)
		held_defend_start(ctx, &t, false);
	if (rc == PCMK_OCF_OK && c->verify.mode != FIP_VERIFY_NONE) {
		rc = held_verify(ctx, &pkt, &t);
		if (rc != PCMK_OCF_OK)
			start_undo(ctx, nl, &t);
	}
	pkt_close(&pkt);
	if (rc == PCMK_OCF_OK)
		log_notice("%s/%u is up on '%s'", ip, t.prefix, t.iface.name);
	return rc;
}

/* The interface index the address must be on, 0 when nic is automatic. */
static int wanted_ifindex(struct nl *nl, const struct fip_config *c, int *ret_ifindex)
{
	struct iface iface;
	int r;

	*ret_ifindex = 0;
	if (!c->nic)
		return 0;
	r = iface_by_name(nl, c->nic, &iface);
	if (r < 0)
		return r;
	*ret_ifindex = iface.ifindex;
	return 0;
}

static enum ocf_exitcode monitor_conflict(struct agent_ctx *ctx, const struct iface *iface)
{
	const struct fip_config *c = ctx->config;
	struct pkt_probe_plan plan = probe_plan(c);
	struct pkt pkt = PKT_INIT;
	char ip[INADDR_STRLEN], mac[18];
	uint8_t holder[6];
	int r = pkt_open(c->ip.family, iface->ifindex, iface->mac, &pkt);

	if (r >= 0)
		r = pkt_probe(&pkt, &c->ip, &plan, ctx->deadline, holder);
	pkt_close(&pkt);
	inaddr_format(&c->ip, ip);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot probe for %s on '%s': %s", ip,
				  iface->name, strerror(-r));
	if (r > 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "another host (%s) also holds %s on the link of '%s'",
				  mac_format(holder, mac), ip, iface->name);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode fip_monitor(struct agent_ctx *ctx)
{
	const struct fip_config *c = ctx->config;
	_cleanup_nl_ struct nl *nl = NULL;
	char ip[INADDR_STRLEN], other[IFNAMSIZ];
	struct addr_where w;
	struct iface iface;
	enum ocf_exitcode rc;
	int want, r;

	if ((rc = netlink_open(ctx, 0, &nl)) != PCMK_OCF_OK)
		return rc;
	inaddr_format(&c->ip, ip);
	r = wanted_ifindex(nl, c, &want);
	if (r == -ENODEV)
		return PCMK_OCF_NOT_RUNNING; /* the address cannot be on a missing interface */
	if (r >= 0)
		r = addr_find(nl, &c->ip, want, &w);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot list addresses: %s",
				  strerror(-r));
	if (w.count == 0)
		return PCMK_OCF_NOT_RUNNING;
	if (!addr_where_is_ours(&w)) {
		/* A static address of this node is not the floating IP running here. */
		log_warning("%s is on '%s', but exha did not add it: not running here", ip,
			    ifname_of(nl, w.ifindex, other));
		return PCMK_OCF_NOT_RUNNING;
	}
	if (want && w.ifindex != want)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "%s is on '%s', not on '%s'", ip,
				  ifname_of(nl, w.ifindex, other), c->nic);
	r = iface_by_index(nl, w.ifindex, &iface);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot read interface %d: %s", w.ifindex,
				  strerror(-r));
	if (addr_flags_dadfailed(w.flags))
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "%s on '%s' failed duplicate address detection", ip, iface.name);
	if (!iface_is_up(&iface))
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the link of '%s' is down: %s is unreachable", iface.name, ip);
	rc = held_monitor(ctx);
	if (rc == PCMK_OCF_OK && ctx->check_level >= 10 && iface.has_mac)
		rc = monitor_conflict(ctx, &iface);
	return rc;
}

static void stop_announcer(struct agent_ctx *ctx)
{
	_cleanup_close_ int statefd = -1;
	int r = state_dir_open(EXHA_RUNDIR, ctx->instance, &statefd);

	if (r >= 0)
		r = announcer_stop(statefd, ctx->deadline);
	if (r < 0)
		log_warning("cannot stop the announcer: %s", strerror(-r));
}

static enum ocf_exitcode fip_stop(struct agent_ctx *ctx)
{
	const struct fip_config *c = ctx->config;
	_cleanup_nl_ struct nl *nl = NULL;
	char ip[INADDR_STRLEN], name[IFNAMSIZ];
	enum ocf_exitcode rc;
	int want, r;

	/*
	 * First: neither may speak for an address this node is giving up (both
	 * end at once). A defender that cannot be ended is no reason to fail
	 * stop and be fenced: it defends only while the address carries exha's
	 * mark on its interface, and the address goes next.
	 */
	held_defend_hurry(ctx);
	stop_announcer(ctx);
	r = held_defend_stop(ctx);
	if (r < 0)
		log_warning("cannot end the defender: %s " QB_XS
			    " it ends by itself at the next claim once the address is gone",
			    strerror(-r));
	if ((rc = netlink_open(ctx, 0, &nl)) != PCMK_OCF_OK)
		return rc;
	inaddr_format(&c->ip, ip);
	r = wanted_ifindex(nl, c, &want);
	if (r == -ENODEV)
		return PCMK_OCF_OK;
	/* Only what exha added, on any interface without nic; one pass per copy. */
	for (unsigned pass = 0; r >= 0 && pass < 16; pass++) {
		struct addr_where w;

		r = addr_find(nl, &c->ip, want, &w);
		if (r < 0 || w.count == 0)
			break;
		if (!addr_where_is_ours(&w)) {
			log_notice("%s on '%s' was not added by exha: leaving it there", ip,
				   ifname_of(nl, w.ifindex, name));
			break;
		}
		if (want && w.ifindex != want) {
			log_warning("%s is on '%s', not on '%s': leaving it there", ip,
				    ifname_of(nl, w.ifindex, name), c->nic);
			break;
		}
		r = addr_del(nl, &c->ip, w.prefix, w.ifindex);
		if (r == -EADDRNOTAVAIL)
			r = 0;
		if (r == 0)
			log_notice("%s/%u removed from '%s'", ip, w.prefix,
				   ifname_of(nl, w.ifindex, name));
	}
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot remove %s: %s", ip, strerror(-r));
	return PCMK_OCF_OK;
}

static enum ocf_exitcode fip_validate(struct agent_ctx *ctx)
{
	_cleanup_nl_ struct nl *nl = NULL;
	struct target t;
	enum ocf_exitcode rc;

	const struct fip_config *c = ctx->config;
	struct addr_where w;
	int r;

	if ((rc = netlink_open(ctx, 0, &nl)) != PCMK_OCF_OK ||
	    (rc = target_resolve(ctx, nl, &t)) != PCMK_OCF_OK)
		return rc;
	r = addr_find(nl, &c->ip, t.iface.ifindex, &w);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot list addresses: %s",
				  strerror(-r));
	return w.count > 0 && !addr_where_is_ours(&w) ? refuse_foreign(ctx, nl, &w) : PCMK_OCF_OK;
}

static const struct action_def fip_actions[] = {
	{"start", fip_start, 20, 0, -1, 0},	{"stop", fip_stop, 20, 0, -1, 0},
	{"monitor", fip_monitor, 20, 10, 0, 0}, {"monitor", fip_monitor, 20, 60, 10, 0},
	{"meta-data", NULL, 5, 0, -1, 0},	{"validate-all", fip_validate, 20, 0, -1, 0},
};

static const struct agent_def fip_agent = {
	.name = "floating-ip",
	.shortdesc = "Floating IP address of a failover group",
	.longdesc =
		"Adds an IPv4 or IPv6 address to an interface and announces it (gratuitous ARP or "
		"unsolicited neighbour advertisements), after checking that no other host holds "
		"it. This is the ExpressCluster FIP: exactly one per failover group, the address "
		"clients and DNS use, moved with the group. Everything goes through rtnetlink and "
		"packet sockets; the monitor forks nothing. While the address is up a small "
		"process defends it against another host's claims (defend); start can also "
		"verify that a neighbour answers the address (verify). OCF_CHECK_LEVEL=10 also "
		"probes the link for another holder of the address.",
	.params = fip_params,
	.n_params = FIP_N_PARAMS,
	.config_size = sizeof(struct fip_config),
	.config_check = fip_config_check,
	.actions = fip_actions,
	.n_actions = ARRAY_SIZE(fip_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&fip_agent, argc, argv);
}
