#include "held.h"

#include <errno.h>
#include <string.h>

#include "agent_alert.h"
#include "defend.h"
#include "fip.h"
#include "gateway.h"
#include "log.h"
#include "state.h"
#include "verify.h"

static enum ocf_exitcode verify_target(struct agent_ctx *ctx, const struct target *t,
				       struct inaddr *ret)
{
	const struct fip_config *c = ctx->config;
	_cleanup_nl_ struct nl *nl = NULL;
	int r;

	if (c->verify.mode == FIP_VERIFY_ADDRESS) {
		*ret = c->verify.target;
		return PCMK_OCF_OK;
	}
	r = nl_open(0, &nl);
	if (r >= 0)
		r = gateway_find(nl, c->ip.family, t->iface.ifindex, ret);
	if (r == -ENOENT)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "verify=gateway, but no route through '%s' has a gateway here",
				  t->iface.name);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot read the routing table: %s",
				  strerror(-r));
	return PCMK_OCF_OK;
}

enum ocf_exitcode held_verify(struct agent_ctx *ctx, struct pkt *pkt, const struct target *t)
{
	const struct fip_config *c = ctx->config;
	/* Half of what is left at most: a failed start still has to undo itself in time. */
	deadline_t until = deadline_share(ctx->deadline, 50, 0);
	char ip[INADDR_STRLEN], gw[INADDR_STRLEN], mac[18];
	struct verify_result res;
	struct inaddr target;
	enum ocf_exitcode rc = verify_target(ctx, t, &target);
	uint64_t t0 = now_us();
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	inaddr_format(&c->ip, ip);
	inaddr_format(&target, gw);
	if (pkt->fd < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "cannot verify %s: '%s' has no Ethernet address to ask %s from",
				  ip, t->iface.name, gw);
	r = verify_neighbour(pkt, &c->ip, &target, c->verify_timeout_ms, until, &res);
	if (r == -ETIME)
		return agent_fail(
			ctx, PCMK_OCF_UNKNOWN_ERROR,
			"%s did not answer %s on '%s' within %llu ms: the address would be "
			"up but unreachable from this node",
			gw, ip, t->iface.name, (unsigned long long)((now_us() - t0) / 1000));
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot verify %s against %s: %s", ip, gw,
				  strerror(-r));
	log_info("%s answered %s in %llu.%03llu ms (%s, request %u of %u)", gw, ip,
		 (unsigned long long)(res.latency_us / 1000),
		 (unsigned long long)(res.latency_us % 1000), mac_format(res.mac, mac),
		 res.requests, VERIFY_REQUESTS);
	return PCMK_OCF_OK;
}

/* Runs in the defender: its log reopened, a fresh deadline for the alert (the start's is gone). */
static void defender_event(void *arg, enum defender_event ev, const char *text)
{
	struct agent_ctx *ctx = arg;
	const struct fip_config *c = ctx->config;
	char ip[INADDR_STRLEN];
	int r;

	inaddr_format(&c->ip, ip);
	switch (ev) {
	case DEFENDER_STARTED:
		log_close();
		log_open(ctx->def->name, ctx->instance, false);
		log_info("defending %s", ip);
		break;
	case DEFENDER_DEFENDED:
		log_warning("%s is claimed by %s: defended with one announcement " QB_XS
			    " a second claim within %d s loses it",
			    ip, text, DEFEND_INTERVAL_MS / 1000);
		break;
	case DEFENDER_LOST:
		log_error("%s", text);
		ctx->deadline = deadline_in_ms(2000);
		r = agent_alert(ctx, ALERT_CRITICAL, "%s", text);
		if (r < 0)
			log_debug("no cluster alert for the lost address: %s", strerror(-r));
		break;
	case DEFENDER_GONE:
		log_info("%s is no longer on this node: the defender ends", ip);
		break;
	}
}

void held_defend_start(struct agent_ctx *ctx, const struct target *t, bool keep_running)
{
	const struct fip_config *c = ctx->config;
	struct defender_opts o = {
		.addr = c->ip, .ifindex = t->iface.ifindex, .event = defender_event, .arg = ctx};
	_cleanup_close_ int statefd = -1;
	int r;

	if (!c->defend)
		return;
	if (!t->iface.has_mac) {
		log_notice("'%s' has no Ethernet address: the address is not defended",
			   t->iface.name);
		return;
	}
	memcpy(o.ifname, t->iface.name, IFNAMSIZ);
	memcpy(o.mac, t->iface.mac, 6);
	r = state_dir_open(EXHA_RUNDIR, ctx->instance, &statefd);
	if (r >= 0 && keep_running) {
		struct defender_status s;

		if (defender_check(statefd, &s) == 0 && s.health == DEFENDER_OK)
			return;
	}
	if (r >= 0)
		r = defender_start(statefd, &o, deadline_share(ctx->deadline, 20, 0));
	if (r < 0)
		log_warning("cannot start the defender: %s " QB_XS
			    " another host claiming the address goes unnoticed until a level-10 "
			    "monitor",
			    strerror(-r));
}

void held_defend_hurry(struct agent_ctx *ctx)
{
	_cleanup_close_ int statefd = -1;

	if (state_dir_open(EXHA_RUNDIR, ctx->instance, &statefd) >= 0)
		defender_hurry(statefd);
}

int held_defend_stop(struct agent_ctx *ctx)
{
	_cleanup_close_ int statefd = -1;
	int r = state_dir_open(EXHA_RUNDIR, ctx->instance, &statefd);

	return r < 0 ? r : defender_stop(statefd, deadline_share(ctx->deadline, 50, 0));
}

enum ocf_exitcode held_monitor(struct agent_ctx *ctx)
{
	const struct fip_config *c = ctx->config;
	_cleanup_close_ int statefd = -1;
	struct defender_status s;
	char ip[INADDR_STRLEN];
	enum ocf_exitcode rc = agent_state_open(ctx, &statefd);
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	r = defender_check(statefd, &s);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot check the defender: %s",
				  strerror(-r));
	if (s.health == DEFENDER_LOST_ADDR)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "%s", s.note);
	if (s.health == DEFENDER_DEAD && c->defend)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the defender of %s (process %d) is gone: the address is no "
				  "longer defended",
				  inaddr_format(&c->ip, ip), (int)s.pid);
	return PCMK_OCF_OK;
}
