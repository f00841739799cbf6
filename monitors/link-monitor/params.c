/* link-monitor's parameters: the one table behind its meta-data, validate-all and daemon. */
#include <errno.h>
#include <string.h>

#include "link.h"
#include "strutil.h"

#define LINK_MAX_INTERFACES 32

static int parse_interfaces(const struct param_def *def, const char *value, void *field,
			    struct error *err)
{
	char **list = NULL;
	int r = param_parse_list(def, value, &list, err);

	if (r < 0)
		return r;
	if (strv_length(list) == 0 || strv_length(list) > LINK_MAX_INTERFACES) {
		strv_free(list);
		return error_set(err, EINVAL, "must name 1 to %d interfaces", LINK_MAX_INTERFACES);
	}
	for (char **p = list; *p; p++) {
		if (!ifname_is_valid(*p)) {
			error_set(err, EINVAL, "'%s' is not an interface name", *p);
			strv_free(list);
			return -EINVAL;
		}
		for (char **q = list; q < p; q++)
			if (strcmp(*p, *q) == 0) {
				error_set(err, EINVAL, "'%s' is listed twice", *p);
				strv_free(list);
				return -EINVAL;
			}
	}
	*(char ***)field = list;
	return 0;
}

const struct param_def link_params[LINK_N_PARAMS] = {
	{
		.name = "interfaces",
		.type = PARAM_STRING,
		.flags = PARAM_REQUIRED,
		.shortdesc = "Interfaces to watch",
		.longdesc = "Space-separated interface names (\"eth0 eth1\"). Each one that is "
			    "administratively up and has carrier counts as healthy; a missing "
			    "interface counts as down.",
		.offset = offsetof(struct link_config, interfaces),
		.parse = parse_interfaces,
		.free = param_free_list,
	},
	MON_ATTR_PARAMS(offsetof(struct link_config, attr), "exha-link", "5s"),
};
