/* disk-monitor's parameters: the one table behind its meta-data, validate-all and daemon. */
#include <errno.h>
#include <string.h>

#include "disk.h"
#include "strutil.h"

#define DISK_MAX_DEVICES 16

static int parse_devices(const struct param_def *def, const char *value, void *field,
			 struct error *err)
{
	char **list = NULL;
	int r = param_parse_list(def, value, &list, err);

	if (r < 0)
		return r;
	if (strv_length(list) == 0 || strv_length(list) > DISK_MAX_DEVICES) {
		strv_free(list);
		return error_set(err, EINVAL, "must name 1 to %d devices", DISK_MAX_DEVICES);
	}
	for (char **p = list; *p; p++)
		if ((*p)[0] != '/' || strlen(*p) >= 256) {
			error_set(err, EINVAL, "'%s' is not an absolute device path", *p);
			strv_free(list);
			return -EINVAL;
		}
	*(char ***)field = list;
	return 0;
}

#define FIELD(f) offsetof(struct disk_config, f)

const struct param_def disk_params[DISK_N_PARAMS] = {
	{
		.name = "devices",
		.type = PARAM_STRING,
		.flags = PARAM_REQUIRED,
		.shortdesc = "Block devices to read",
		.longdesc = "Space-separated block device paths (/dev/sdb, "
			    "/dev/disk/by-id/...). Each one whose direct read completes within "
			    "timeout counts as healthy.",
		.offset = FIELD(devices),
		.parse = parse_devices,
		.free = param_free_list,
	},
	{
		.name = "interval",
		.type = PARAM_INTEGER,
		.default_value = "10",
		.shortdesc = "Seconds between reads",
		.offset = FIELD(interval_s),
		.parse = param_parse_uint,
		.min = 1,
		.max = 3600,
	},
	{
		.name = "timeout",
		.type = PARAM_INTEGER,
		.default_value = "5000",
		.shortdesc = "Milliseconds a read may take",
		.longdesc = "A read still unanswered after this long marks the device failed "
			    "(a hung device, a dead path); it stays failed until a read completes.",
		.offset = FIELD(timeout_ms),
		.parse = param_parse_uint,
		.min = 10,
		.max = 600000,
	},
	MON_ATTR_PARAMS(offsetof(struct disk_config, attr), "exha-disk", "5s"),
};

int disk_config_check(void *config, struct error *err)
{
	struct disk_config *c = config;

	if (c->timeout_ms >= c->interval_s * 1000)
		return error_set(
			err, EINVAL, "timeout (%llu ms) must be shorter than interval (%llu s)",
			(unsigned long long)c->timeout_ms, (unsigned long long)c->interval_s);
	return 0;
}
