/*
 * switching-disk's parameters: the one table behind its meta-data,
 * validate-all and every action. Only syntax is checked here (it is wrong
 * everywhere: OCF_ERR_CONFIGURED); whether the device exists on this node is
 * the actions' business.
 */
#include <errno.h>
#include <string.h>

#include "leasearea.h"
#include "mntopts.h"
#include "sd.h"

static const char *const fsck_choices[] = {"auto", "always", "never", NULL};
static const char *const self_fence_choices[] = {"shutdown", "none", NULL};

bool sd_device_spec_valid(const char *s)
{
	static const char *const tags[] = {"UUID=", "LABEL=", "PARTUUID=", "PARTLABEL="};

	if (s[0] == '/')
		return strlen(s) < 4096 && !strstr(s, "/../") && strcmp(s, "/") != 0;
	for (size_t i = 0; i < ARRAY_SIZE(tags); i++)
		if (strncmp(s, tags[i], strlen(tags[i])) == 0)
			return s[strlen(tags[i])] != '\0' && strlen(s) < 512;
	return false;
}

static int parse_device(const struct param_def *def, const char *value, void *field,
			struct error *err)
{
	if (!sd_device_spec_valid(value))
		return error_set(err, EINVAL,
				 "must be an absolute device path or UUID=, LABEL=, PARTUUID= or "
				 "PARTLABEL=");
	*(const char **)field = value;
	return 0;
}

/* Normalised absolute paths only: the monitor compares them with mountinfo byte for byte. */
static int parse_directory(const struct param_def *def, const char *value, void *field,
			   struct error *err)
{
	size_t len = strlen(value);

	if (value[0] != '/' || len < 2 || len >= 4096 || value[len - 1] == '/' ||
	    strstr(value, "//") || strstr(value, "/./") || strstr(value, "/../") ||
	    strcmp(value + len - 2, "/.") == 0 || (len >= 3 && strcmp(value + len - 3, "/..") == 0))
		return error_set(err, EINVAL,
				 "must be an absolute path other than /, without '.', '..', '//' "
				 "or a trailing '/'");
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return error_set(err, EINVAL, "must not hold control characters");
	*(const char **)field = value;
	return 0;
}

static int parse_fstype(const struct param_def *def, const char *value, void *field,
			struct error *err)
{
	size_t len = strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789._-");

	if (len != strlen(value) || len > 63 || value[0] == '.' || value[0] == '-')
		return error_set(err, EINVAL,
				 "must be a filesystem type such as ext4 or xfs (lower-case "
				 "letters, digits, '.', '_', '-')");
	*(const char **)field = value;
	return 0;
}

static int parse_options(const struct param_def *def, const char *value, void *field,
			 struct error *err)
{
	struct mntopts m;
	const char *why = "is not a mount option list";

	if (mntopts_parse(value, &m, &why) < 0)
		return error_set(err, EINVAL, "%s", why);
	*(const char **)field = value;
	return 0;
}

static int parse_watchdog(const struct param_def *def, const char *value, void *field,
			  struct error *err)
{
	if (strcmp(value, "none") != 0 &&
	    (value[0] != '/' || strlen(value) >= 4096 || strstr(value, "/../")))
		return error_set(err, EINVAL,
				 "must be none or the absolute path of a watchdog device");
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return error_set(err, EINVAL, "must not hold control characters");
	*(const char **)field = value;
	return 0;
}

#define FIELD(f) offsetof(struct sd_config, f)

const struct param_def sd_params[SD_N_PARAMS] = {
	{
		.name = "device",
		.type = PARAM_STRING,
		.flags = PARAM_REQUIRED | PARAM_UNIQUE,
		.shortdesc = "Block device of the switching disk",
		.longdesc = "The shared block device: a path (/dev/disk/by-id/...) or UUID=, "
			    "LABEL=, PARTUUID=, PARTLABEL= (resolved with libblkid).",
		.offset = FIELD(device),
		.parse = parse_device,
	},
	{
		.name = "directory",
		.type = PARAM_STRING,
		.flags = PARAM_REQUIRED | PARAM_UNIQUE,
		.shortdesc = "Mount point",
		.longdesc = "Absolute path where the disk is mounted; created (one level) when "
			    "missing.",
		.offset = FIELD(directory),
		.parse = parse_directory,
	},
	{
		.name = "fstype",
		.type = PARAM_STRING,
		.shortdesc = "Filesystem type",
		.longdesc = "ext4, xfs, ... Default: what libblkid finds on the device.",
		.offset = FIELD(fstype),
		.parse = parse_fstype,
	},
	{
		.name = "options",
		.type = PARAM_STRING,
		.default_value = "defaults",
		.shortdesc = "Mount options",
		.longdesc = "Comma-separated mount options (noatime,data=ordered). bind, move, "
			    "remount, loop and propagation options are refused. With ro the "
			    "monitor expects a read-only mount.",
		.offset = FIELD(options),
		.parse = parse_options,
	},
	{
		.name = "fsck",
		.type = PARAM_STRING,
		.default_value = "auto",
		.shortdesc = "When to check the filesystem before mounting",
		.longdesc = "auto: run the filesystem's checker (e2fsck -p) only when the "
			    "superblock says it is not clean (errors recorded, not cleanly "
			    "unmounted, a journal to replay); xfs has no such flag and replays its "
			    "log at mount, so auto never runs xfs_repair. always: e2fsck -f -p, or "
			    "xfs_repair (a dirty xfs log is left to the mount to replay, never "
			    "zeroed). never. The checker runs without a shell, within the start "
			    "timeout; a check that cannot repair fails the start.",
		.offset = FIELD(fsck),
		.parse = param_parse_choice,
		.choices = fsck_choices,
	},
	{
		.name = "lease_device",
		.type = PARAM_STRING,
		/* Not unique: the groups of a cluster share one lease device, a
		 * slot each (lease_slot); the slot's owner record refuses a
		 * second resource in the same slot. unique="1" makes crm and pcs
		 * refuse the second group's configuration. */
		.shortdesc = "Small shared device carrying the ownership lease",
		.longdesc = "Recommended. A small separate partition or block device reachable "
			    "from every node, formatted once with 'exha-lease init DEVICE' (4 KiB "
			    "for the header and 4 KiB per slot), holding a checksummed lease "
			    "record per slot: owner node, generation, renewal time, resource. "
			    "start takes the lease before mounting and fails, naming the holder, "
			    "as soon as it sees another node renew it; a keeper process renews it "
			    "every lease_timeout/3 while mounted. Without fencing, two nodes "
			    "mounting one disk destroy it: without a lease device nothing but "
			    "Pacemaker's own view stops a second node (after a split brain, or a "
			    "manual start) from mounting the disk too. start refuses a device "
			    "that is not formatted for leases (it writes nothing there), and one "
			    "that is the device itself, a partition of it, or stacked on it or "
			    "under it. A corrupt record is never taken over: 'exha-lease clear' "
			    "it once you know no node uses the disk.",
		.offset = FIELD(lease_device),
		.parse = parse_device,
	},
	{
		.name = "lease_timeout",
		.type = PARAM_INTEGER,
		.default_value = "10",
		.shortdesc = "Seconds a lease lives without renewal",
		.longdesc = "A holder that stops renewing (crashed node, dead keeper) loses the "
			    "lease: another node takes it over once it has seen the record stand "
			    "still for this long on its own clock, at most 2 x lease_timeout "
			    "(plus the nodes' clock difference) after the last renewal. Clocks "
			    "never decide safety. start watches a foreign lease until it moves "
			    "(a live holder: refused within about lease_timeout/3) or has stood "
			    "still for lease_timeout (a dead or fenced one: taken over), so the "
			    "start timeout must exceed lease_timeout. A taker watches the longer "
			    "of its own lease_timeout and the one the holder wrote in its record. "
			    "The holder's right to write ends lease_timeout less a tenth after the "
			    "start of its last renewal that completed within an eighth of it; "
			    "then it fences itself (self_fence).",
		.offset = FIELD(lease_timeout_s),
		.parse = param_parse_uint,
		.min = 2,
		.max = 600,
	},
	{
		.name = "lease_slot",
		.type = PARAM_INTEGER,
		.default_value = "0",
		.shortdesc = "Slot of lease_device this resource uses",
		.longdesc = "One small lease device carries the leases of several failover groups, "
			    "one slot each (as sfex's index): give every switching-disk resource "
			    "that shares lease_device its own slot, below the number of slots "
			    "the device was formatted with (exha-lease init --slots N). A slot "
			    "belongs to the first resource that takes it until 'exha-lease clear "
			    "--slot N': a second resource configured with the same slot is "
			    "refused. A lease device from before slots (version 1) has slot 0 "
			    "only.",
		.offset = FIELD(lease_slot),
		.parse = param_parse_uint,
		.min = 0,
		.max = LEASEAREA_SLOTS_MAX - 1,
	},
	{
		.name = "force_unmount",
		.type = PARAM_BOOLEAN,
		.default_value = "true",
		.shortdesc = "Kill the processes that keep the disk busy at stop",
		.longdesc = "When unmounting finds the disk busy, the processes using it (open "
			    "files, working or root directory, memory maps), matched by mount "
			    "and device, never by path, get SIGTERM, then SIGKILL; a cluster "
			    "alert names them. false: stop fails instead, and Pacemaker fences.",
		.offset = FIELD(force_unmount),
		.parse = param_parse_bool,
	},
	{
		.name = "self_fence",
		.type = PARAM_STRING,
		.default_value = "shutdown",
		.shortdesc = "How the lease keeper stops this node's writes when the lease is lost",
		.longdesc = "shutdown: when the keeper cannot renew the lease before its right to "
			    "write ends (a stalled lease device, a paused node), or finds another "
			    "node's newer record, it shuts the filesystem down at once without "
			    "flushing its log (EXT4_IOC_SHUTDOWN, XFS_IOC_GOINGDOWN: every later "
			    "read and write fails), kills the processes using it, raises a "
			    "cluster alert, and the monitor fails naming why. start refuses a "
			    "filesystem without such an ioctl (only ext2/3/4 and xfs have it). "
			    "none: nothing is shut down. The risk: a holder that was paused or "
			    "stalled longer than lease_timeout keeps writing after another node "
			    "took the lease over, and both nodes writing one filesystem destroy "
			    "it; only fencing or a watchdog then protects the disk.",
		.offset = FIELD(self_fence),
		.parse = param_parse_choice,
		.choices = self_fence_choices,
	},
	{
		.name = "watchdog",
		.type = PARAM_STRING,
		.shortdesc = "Watchdog device the lease keeper pets",
		.longdesc = "Default: /dev/watchdog when it exists (left alone, with a warning, "
			    "when another program such as sbd holds it). none: no watchdog. The "
			    "keeper arms it with a timeout that runs out before its right to "
			    "write ends (about 3/4 of lease_timeout, whole seconds), pets it only "
			    "after a renewal that completed in time, and disarms it (magic close) "
			    "on a clean stop or a successful self-fence. A node too stuck to "
			    "fence itself (frozen, its keeper killed or hung) is reset before "
			    "another node may take the lease. Needs lease_timeout of 2 s or more.",
		.offset = FIELD(watchdog),
		.parse = parse_watchdog,
	},
};

int sd_config_check(void *config, struct error *err)
{
	struct sd_config *c = config;
	struct mntopts m = {0};

	if (c->lease_device && strcmp(c->lease_device, c->device) == 0)
		return error_set(err, EINVAL,
				 "invalid lease_device='%s': must be a separate device, not the "
				 "device itself",
				 c->lease_device);
	if (c->options && mntopts_parse(c->options, &m, NULL) == 0)
		c->ro = m.ro;
	return 0;
}
