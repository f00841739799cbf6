/*
 * ocf:exha:alert-listener actions: start launches alert-listenerd, which
 * logs every cluster alert (exha-alert, or an agent's alert_send()) with
 * the node it came from. Clone it so that every node logs every alert.
 */
#include "agent.h"
#include "monctl.h"

static const struct action_def listener_actions[] = {
	{"start", monctl_start, 20, 0, -1, 0},		 {"stop", monctl_stop, 20, 0, -1, 0},
	{"monitor", monctl_monitor, 20, 30, 0, 0},	 {"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", monctl_validate, 20, 0, -1, 0},
};

static const struct agent_def listener_agent = {
	.name = "alert-listener",
	.shortdesc = "Logs the cluster alerts of every node",
	.longdesc = "Meant to be cloned on every node. Start launches a small daemon that joins "
		    "the corosync CPG group exha-alert and logs each alert it receives (syslog "
		    "and Pacemaker's log file), naming the node it came from: the classic "
		    "ARMBCAST, where an event an administrator must see on one node shows on "
		    "all of them. Agents raise alerts for refused address conflicts, processes "
		    "killed to unmount, fsck repairs and directory fixup failures; "
		    "'exha-alert TEXT' raises one by hand. Monitor checks that the daemon runs.",
	.actions = listener_actions,
	.n_actions = ARRAY_SIZE(listener_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&listener_agent, argc, argv);
}
