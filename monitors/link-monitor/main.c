/*
 * ocf:exha:link-monitor actions. The work happens in link-monitord, which
 * start launches; this binary links neither libcrmcommon nor anything else
 * its monitor does not need.
 */
#include "link.h"
#include "monctl.h"

static enum ocf_exitcode link_validate(struct agent_ctx *ctx)
{
	return monctl_validate(ctx);
}

static const struct action_def link_actions[] = {
	{"start", monctl_start, 20, 0, -1, 0},
	{"stop", monctl_stop, 20, 0, -1, 0},
	{"monitor", monctl_monitor, 20, 10, 0, 0},
	{"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", link_validate, 20, 0, -1, 0},
	{"check", monctl_check, 20, 0, -1, ACTION_HIDDEN},
};

static const struct agent_def link_agent = {
	.name = "link-monitor",
	.shortdesc = "Link (carrier) of network interfaces as a node attribute",
	.longdesc =
		"Meant to be cloned. Start launches a small daemon that watches the carrier of "
		"the named interfaces through rtnetlink notifications (no polling: a link loss "
		"reaches the attribute manager within milliseconds) and publishes the number of "
		"interfaces that are up, times multiplier, as the node attribute name (default "
		"exha-link), with attrd's dampening. Monitor checks that the daemon runs; stop "
		"ends it and removes the attribute. A location rule moves the mail group off a "
		"node whose links are down:\n"
		"  pcs constraint location mail rule score=-INFINITY "
		"not_defined exha-link or exha-link lt 1\n"
		"Run by hand, 'OCF_RESKEY_interfaces=eth0 link-monitor check' prints the score "
		"and exits 0 when every interface is up.",
	.params = link_params,
	.n_params = LINK_N_PARAMS,
	.config_size = sizeof(struct link_config),
	.actions = link_actions,
	.n_actions = ARRAY_SIZE(link_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&link_agent, argc, argv);
}
