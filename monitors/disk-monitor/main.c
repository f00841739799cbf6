/*
 * ocf:exha:disk-monitor actions. The reads happen in disk-monitord's
 * probers, which start launches; the monitor only checks the daemon.
 */
#include "disk.h"
#include "monctl.h"

static const struct action_def disk_actions[] = {
	{"start", monctl_start, 20, 0, -1, 0},
	{"stop", monctl_stop, 20, 0, -1, 0},
	{"monitor", monctl_monitor, 20, 10, 0, 0},
	{"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", monctl_validate, 20, 0, -1, 0},
	{"check", monctl_check, 620, 0, -1, ACTION_HIDDEN},
};

static const struct agent_def disk_agent = {
	.name = "disk-monitor",
	.shortdesc = "I/O liveness of block devices as a node attribute",
	.longdesc =
		"Meant to be cloned. Start launches a small daemon whose helper processes read "
		"the first block of each device directly (O_DIRECT, bypassing the page cache) "
		"every interval; a read that fails, or has not completed within timeout (a hung "
		"device, a dead path), marks the device failed. The number of devices that "
		"answered, times multiplier, is published as the node attribute name (default "
		"exha-disk) with attrd's dampening. Monitor checks that the daemon runs; stop "
		"ends it (even while a read hangs) and removes the attribute. A location rule "
		"moves the mail group off a node that lost its disk:\n"
		"  pcs constraint location mail rule score=-INFINITY "
		"not_defined exha-disk or exha-disk lt 1\n"
		"Run by hand, 'OCF_RESKEY_devices=/dev/sdb disk-monitor check' reads once, prints "
		"the score and exits 0 when every device answered.",
	.params = disk_params,
	.n_params = DISK_N_PARAMS,
	.config_size = sizeof(struct disk_config),
	.config_check = disk_config_check,
	.actions = disk_actions,
	.n_actions = ARRAY_SIZE(disk_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&disk_agent, argc, argv);
}
