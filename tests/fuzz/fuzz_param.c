/*
 * fuzz_param: the floating IP's parameters as Pacemaker hands them over,
 * through param_parse_all() and fip_config_check() as every action runs
 * them. Each input is tried as the value of every parameter in turn, next
 * to valid IPv4, IPv6 and minimal configurations, and once split at
 * newlines into one value per parameter in table order. Whatever comes in,
 * the outcome is a config inside every documented range or a refusal with
 * a message.
 */
#include <errno.h>
#include <sys/socket.h>

#include "fip.h"
#include "fuzz.h"
#include "macro.h"
#include "strutil.h"

struct kv {
	const char *name;
	const char *value;
};

static const struct kv base_v4[] = {{"ip", "192.0.2.10"}, {"cidr_netmask", "24"}, {"nic", "eth0"},
				    {"label", "vip"},	  {"arp_count", "3"},	  {NULL, NULL}};
static const struct kv base_v6[] = {{"ip", "2001:db8::10"},
				    {"cidr_netmask", "64"},
				    {"nic", "eth0"},
				    {"preferred_lft", "300"},
				    {NULL, NULL}};
static const struct kv base_min[] = {{"ip", "192.0.2.10"}, {NULL, NULL}};

/* A base configuration with one parameter replaced. */
struct one {
	const struct kv *base;
	const char *name;
	const char *value;
};

static const char *lookup_one(const char *name, void *userdata)
{
	const struct one *o = userdata;

	if (strcmp(name, o->name) == 0)
		return o->value;
	for (const struct kv *kv = o->base; kv->name; kv++)
		if (strcmp(kv->name, name) == 0)
			return kv->value;
	return NULL;
}

/* One value per parameter, in table order. */
static const char *lookup_all(const char *name, void *userdata)
{
	const char *const *values = userdata;
	const struct param_def *def = param_find(fip_params, FIP_N_PARAMS, name);

	FUZZ_ASSERT(def);
	return values[def - fip_params];
}

/* What a successful parse promises the actions. */
static void check_config(const struct fip_config *c)
{
	char buf[INADDR_STRLEN], label[IFNAMSIZ];
	const char *reason = NULL;
	struct inaddr again;

	FUZZ_ASSERT(c->ip.family == AF_INET || c->ip.family == AF_INET6);
	FUZZ_ASSERT(inaddr_parse_host(inaddr_format(&c->ip, buf), &again, &reason) == 0);
	FUZZ_ASSERT(inaddr_equal(&again, &c->ip));
	FUZZ_ASSERT(c->prefix <= inaddr_max_prefix(c->ip.family));
	FUZZ_ASSERT(!c->cidr_netmask || c->prefix >= 1);
	FUZZ_ASSERT(!c->nic || ifname_is_valid(c->nic));
	FUZZ_ASSERT(!c->label || c->ip.family == AF_INET);
	FUZZ_ASSERT(!c->label || !c->nic || fip_full_label(c->nic, c->label, label) == 0);
	FUZZ_ASSERT(c->arp_count <= 100);
	FUZZ_ASSERT(c->arp_interval_ms >= 10 && c->arp_interval_ms <= 10000);
	FUZZ_ASSERT(c->conflict_probes >= 1 && c->conflict_probes <= 20);
	FUZZ_ASSERT(c->conflict_interval_ms >= 1 && c->conflict_interval_ms <= 5000);
	FUZZ_ASSERT(c->conflict_wait_ms >= 10 && c->conflict_wait_ms <= 5000);
	FUZZ_ASSERT(c->preferred_lft == FIP_LFT_FOREVER || c->ip.family == AF_INET6);
}

static void check(param_lookup_fn lookup, void *userdata)
{
	struct fip_config c;
	struct error err;
	int r;

	memset(&c, 0, sizeof(c));
	memset(&err, 0, sizeof(err));
	r = param_parse_all(fip_params, FIP_N_PARAMS, lookup, userdata, &c, &err);
	if (r == 0)
		r = fip_config_check(&c, &err);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL || r == -ERANGE || r == -ENAMETOOLONG);
		FUZZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) && err.msg[0] != '\0');
		return;
	}
	check_config(&c);
	param_free_all(fip_params, FIP_N_PARAMS, &c);
}

static void check_split(char *s)
{
	const char *values[FIP_N_PARAMS] = {NULL};
	char *p = s;

	for (size_t i = 0; i < FIP_N_PARAMS && p; i++) {
		char *nl = strchr(p, '\n');

		values[i] = p;
		if (nl)
			*nl++ = '\0';
		p = nl;
	}
	check(lookup_all, values);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kv *const bases[] = {base_v4, base_v6, base_min};
	char *s = fuzz_string(data, size);

	for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
		for (size_t i = 0; i < FIP_N_PARAMS; i++) {
			struct one o = {bases[b], fip_params[i].name, s};

			check(lookup_one, &o);
		}
	}
	check_split(s);
	free(s);
	return 0;
}
