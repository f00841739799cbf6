/*
 * reach-monitor's parameters. Targets are addresses, not names: resolving
 * a name could block the daemon on a dead DNS server exactly when the
 * network is in trouble.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reach.h"
#include "strutil.h"

static int target_parse(const char *s, struct reach_target *t)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&t->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&t->addr;

	memset(t, 0, sizeof(*t));
	if (strscpy(t->text, s, sizeof(t->text)) < 0)
		return -EINVAL;
	if (inet_pton(AF_INET, s, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		t->len = sizeof(*in);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		t->len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

static void targets_free(void *field)
{
	struct reach_target **t = field;

	free(*t);
	*t = NULL;
}

static int parse_targets(const struct param_def *def, const char *value, void *field,
			 struct error *err)
{
	struct reach_config *c =
		(struct reach_config *)((char *)field - offsetof(struct reach_config, targets));
	char **list = NULL;
	size_t n;
	int r = strv_split(value, &list);

	if (r < 0)
		return error_set(err, -r, "cannot split the list: %s", strerror(-r));
	n = strv_length(list);
	if (n == 0 || n > REACH_MAX_TARGETS) {
		strv_free(list);
		return error_set(err, EINVAL, "must list 1 to %d addresses", REACH_MAX_TARGETS);
	}
	c->targets = calloc(n, sizeof(*c->targets));
	for (size_t i = 0; c->targets && i < n; i++)
		if (target_parse(list[i], &c->targets[i]) < 0) {
			error_set(err, EINVAL, "'%s' is not an IPv4 or IPv6 address", list[i]);
			targets_free(&c->targets);
			strv_free(list);
			return -EINVAL;
		}
	strv_free(list);
	if (!c->targets)
		return error_set(err, ENOMEM, "out of memory");
	c->n_targets = (unsigned)n;
	return 0;
}

#define FIELD(f) offsetof(struct reach_config, f)

const struct param_def reach_params[REACH_N_PARAMS] = {
	{
		.name = "targets",
		.type = PARAM_STRING,
		.flags = PARAM_REQUIRED,
		.shortdesc = "Addresses to ping",
		.longdesc = "Space-separated IPv4 or IPv6 addresses (a gateway, the router, the "
			    "other node). Each one that answers an ICMP echo counts as healthy.",
		.offset = FIELD(targets),
		.parse = parse_targets,
		.free = targets_free,
	},
	{
		.name = "interval",
		.type = PARAM_INTEGER,
		.default_value = "5",
		.shortdesc = "Seconds between rounds",
		.offset = FIELD(interval_s),
		.parse = param_parse_uint,
		.min = 1,
		.max = 3600,
	},
	{
		.name = "count",
		.type = PARAM_INTEGER,
		.default_value = "3",
		.shortdesc = "Echo requests per target and round",
		.longdesc = "A target is reachable when any of them is answered within timeout.",
		.offset = FIELD(count),
		.parse = param_parse_uint,
		.min = 1,
		.max = 10,
	},
	{
		.name = "timeout",
		.type = PARAM_INTEGER,
		.default_value = "2000",
		.shortdesc = "Milliseconds to wait for replies",
		.offset = FIELD(timeout_ms),
		.parse = param_parse_uint,
		.min = 10,
		.max = 60000,
	},
	MON_ATTR_PARAMS(offsetof(struct reach_config, attr), "exha-reach", "5s"),
};

int reach_config_check(void *config, struct error *err)
{
	struct reach_config *c = config;

	if (c->timeout_ms >= c->interval_s * 1000)
		return error_set(
			err, EINVAL, "timeout (%llu ms) must be shorter than interval (%llu s)",
			(unsigned long long)c->timeout_ms, (unsigned long long)c->interval_s);
	return 0;
}
