#include "target.h"

#include <errno.h>
#include <string.h>

#include "log.h"

static enum ocf_exitcode resolve_auto(struct agent_ctx *ctx, struct nl *nl, struct target *t)
{
	const struct fip_config *c = ctx->config;
	struct subnet_match m[IFACE_MATCH_MAX];
	char ip[INADDR_STRLEN];
	struct iface other;
	int n = iface_find_subnets(nl, &c->ip, 0, m, ARRAY_SIZE(m));

	inaddr_format(&c->ip, ip);
	if (n < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot read the routing table: %s",
				  strerror(-n));
	if (n == 0)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
				  "no interface on this node has a connected subnet containing %s: "
				  "set nic and cidr_netmask",
				  ip);
	if (iface_by_index(nl, m[0].ifindex, &t->iface) < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "interface %d vanished",
				  m[0].ifindex);
	if (n > 1) {
		if (iface_by_index(nl, m[1].ifindex, &other) < 0)
			memcpy(other.name, "?", 2);
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "%s is in the connected subnets of '%s' and '%s'%s: set nic", ip,
				  t->iface.name, other.name, n > 2 ? " and others" : "");
	}
	t->prefix = c->prefix ? c->prefix : m[0].prefix;
	log_debug("%s belongs to '%s' (connected /%u)", ip, t->iface.name, m[0].prefix);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode resolve_named(struct agent_ctx *ctx, struct nl *nl, struct target *t)
{
	const struct fip_config *c = ctx->config;
	struct subnet_match m;
	char ip[INADDR_STRLEN];
	int r = iface_by_name(nl, c->nic, &t->iface);

	if (r == -ENODEV)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
				  "interface '%s' does not exist on this node", c->nic);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot look up interface '%s': %s",
				  c->nic, strerror(-r));
	t->prefix = c->prefix;
	if (t->prefix)
		return PCMK_OCF_OK;
	r = iface_find_subnets(nl, &c->ip, t->iface.ifindex, &m, 1);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot read the routing table: %s",
				  strerror(-r));
	if (r == 0)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
				  "no connected subnet on '%s' contains %s: set cidr_netmask",
				  c->nic, inaddr_format(&c->ip, ip));
	t->prefix = m.prefix;
	return PCMK_OCF_OK;
}

enum ocf_exitcode target_resolve(struct agent_ctx *ctx, struct nl *nl, struct target *ret_target)
{
	const struct fip_config *c = ctx->config;
	struct target t = {0};
	enum ocf_exitcode rc = c->nic ? resolve_named(ctx, nl, &t) : resolve_auto(ctx, nl, &t);
	char ip[INADDR_STRLEN];
	const char *role;

	if (rc != PCMK_OCF_OK)
		return rc;
	role = inaddr_subnet_role(&c->ip, t.prefix);
	if (role)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "invalid ip='%s': it is %s of its /%u subnet on '%s', which no "
				  "host may use",
				  inaddr_format(&c->ip, ip), role, t.prefix, t.iface.name);
	if (c->label && fip_full_label(t.iface.name, c->label, t.label) < 0)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "label '%s:%s' is longer than %d characters", t.iface.name,
				  c->label, IFNAMSIZ - 1);
	*ret_target = t;
	return PCMK_OCF_OK;
}
