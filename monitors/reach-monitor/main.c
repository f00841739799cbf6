/*
 * ocf:exha:reach-monitor actions. The pinging happens in reach-monitord,
 * which start launches; no ping binary, no fork per check.
 */
#include "monctl.h"
#include "reach.h"

static const struct action_def reach_actions[] = {
	{"start", monctl_start, 20, 0, -1, 0},
	{"stop", monctl_stop, 20, 0, -1, 0},
	{"monitor", monctl_monitor, 20, 10, 0, 0},
	{"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", monctl_validate, 20, 0, -1, 0},
	{"check", monctl_check, 70, 0, -1, ACTION_HIDDEN},
};

static const struct agent_def reach_agent = {
	.name = "reach-monitor",
	.shortdesc = "Reachability of addresses (ICMP echo) as a node attribute",
	.longdesc =
		"Meant to be cloned. Start launches a small daemon that sends ICMP echo requests "
		"(its own datagram or raw ICMP socket: no ping binary, nothing forked per check) "
		"to every target each interval and publishes the number of targets that "
		"answered, times multiplier, as the node attribute name (default exha-reach), "
		"with attrd's dampening: ocf:pacemaker:ping's score. Monitor checks that the "
		"daemon runs; stop ends it and removes the attribute. A location rule moves the "
		"mail group off a node that cannot reach its gateway:\n"
		"  pcs constraint location mail rule score=-INFINITY "
		"not_defined exha-reach or exha-reach lt 1\n"
		"Run by hand, 'OCF_RESKEY_targets=192.0.2.1 reach-monitor check' does one round, "
		"prints the score and exits 0 when every target answered.",
	.params = reach_params,
	.n_params = REACH_N_PARAMS,
	.config_size = sizeof(struct reach_config),
	.config_check = reach_config_check,
	.actions = reach_actions,
	.n_actions = ARRAY_SIZE(reach_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&reach_agent, argc, argv);
}
