/*
 * The floating IP's parameters: the one table behind its meta-data,
 * validate-all and every action. Values that need the address family
 * (cidr_netmask, label, preferred_lft) are checked in fip_config_check()
 * once ip is known.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <arpa/inet.h>

#include "fip.h"
#include "strutil.h"

static int parse_ip(const struct param_def *def, const char *value, void *field, struct error *err)
{
	const char *reason = NULL;

	if (inaddr_parse_host(value, field, &reason) < 0)
		return error_set(err, EINVAL, "%s", reason);
	return 0;
}

static int parse_nic(const struct param_def *def, const char *value, void *field, struct error *err)
{
	if (!ifname_is_valid(value))
		return error_set(err, EINVAL,
				 "must be an interface name of 1 to %d characters without '/', ':' "
				 "or blanks",
				 IFNAMSIZ - 1);
	*(const char **)field = value;
	return 0;
}

static int parse_label(const struct param_def *def, const char *value, void *field,
		       struct error *err)
{
	for (const char *p = value; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return error_set(err, EINVAL,
					 "must use only letters, digits, '_', '-' or '.'");
	*(const char **)field = value;
	return 0;
}

static int parse_lifetime(const struct param_def *def, const char *value, void *field,
			  struct error *err)
{
	uint64_t v;

	if (strcmp(value, "forever") == 0) {
		*(uint64_t *)field = FIP_LFT_FOREVER;
		return 0;
	}
	if (parse_uint64(value, 0, FIP_LFT_FOREVER - 1, &v) < 0)
		return error_set(err, EINVAL, "must be 'forever' or a number of seconds");
	*(uint64_t *)field = v;
	return 0;
}

/* none, gateway, or an address (a link-local IPv6 one too: the interface is known). */
static int parse_verify(const struct param_def *def, const char *value, void *field,
			struct error *err)
{
	struct fip_verify *v = field;
	const char *reason = NULL;
	struct inaddr a = {0};

	if (strcmp(value, "none") == 0 || strcmp(value, "gateway") == 0) {
		v->mode = value[0] == 'n' ? FIP_VERIFY_NONE : FIP_VERIFY_GATEWAY;
		return 0;
	}
	if (inet_pton(AF_INET6, value, &a.v6) == 1 && IN6_IS_ADDR_LINKLOCAL(&a.v6))
		a.family = AF_INET6;
	else if (inaddr_parse_host(value, &a, &reason) < 0)
		return error_set(err, EINVAL, "must be none, gateway or a neighbour's address");
	v->mode = FIP_VERIFY_ADDRESS;
	v->target = a;
	return 0;
}

#define FIELD(f) offsetof(struct fip_config, f)

const struct param_def fip_params[FIP_N_PARAMS] = {
	{
		.name = "ip",
		.type = PARAM_STRING,
		.flags = PARAM_REQUIRED | PARAM_UNIQUE,
		.shortdesc = "Floating IPv4 or IPv6 address",
		.longdesc = "The address clients and DNS use for the service, without a prefix "
			    "(192.0.2.10 or 2001:db8::10). It moves with the group.",
		.offset = FIELD(ip),
		.parse = parse_ip,
	},
	{
		.name = "cidr_netmask",
		.type = PARAM_STRING,
		.shortdesc = "Prefix length",
		.longdesc = "Prefix length of the address (24, 64), or for IPv4 a netmask "
			    "(255.255.255.0). Default: the prefix of the connected route that "
			    "contains ip.",
		.offset = FIELD(cidr_netmask),
		.parse = param_parse_string,
	},
	{
		.name = "nic",
		.type = PARAM_STRING,
		.shortdesc = "Network interface",
		.longdesc = "Interface that carries the address. Default: the one interface whose "
			    "connected subnet contains ip; start fails when there is none or more "
			    "than one.",
		.offset = FIELD(nic),
		.parse = parse_nic,
	},
	{
		.name = "label",
		.type = PARAM_STRING,
		.shortdesc = "IPv4 address label suffix",
		.longdesc = "IPv4 only: the address is labelled <nic>:<label> (at most 15 "
			    "characters in all), as ifconfig-era tools expect.",
		.offset = FIELD(label),
		.parse = parse_label,
	},
	{
		.name = "arp_count",
		.type = PARAM_INTEGER,
		.default_value = "5",
		.shortdesc = "Announcements after start",
		.longdesc = "Gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) "
			    "sent after start so that hosts and switches learn the new location at "
			    "once. The first goes out before start returns, the rest in the "
			    "background. 0 sends none.",
		.offset = FIELD(arp_count),
		.parse = param_parse_uint,
		.min = 0,
		.max = 100,
	},
	{
		.name = "arp_interval_ms",
		.type = PARAM_INTEGER,
		.default_value = "200",
		.shortdesc = "Milliseconds between announcements",
		.offset = FIELD(arp_interval_ms),
		.parse = param_parse_uint,
		.min = 10,
		.max = 10000,
	},
	{
		.name = "conflict_check",
		.type = PARAM_BOOLEAN,
		.default_value = "true",
		.shortdesc = "Refuse an address another host holds",
		.longdesc = "Before adding the address, probe for another holder (ARP probes for "
			    "IPv4, duplicate address detection probes for IPv6, both sent by the "
			    "agent) and refuse to start, naming its MAC address, when one "
			    "answers. Costs (conflict_probes - 1) x conflict_interval_ms + "
			    "conflict_wait_ms: 35 ms by default. The defaults are for a cluster "
			    "moving an address it owns on a LAN, where a holder answers within a "
			    "millisecond; RFC 5227's seconds are for hosts joining a network. A "
			    "holder that answers later than conflict_wait_ms after the last probe "
			    "is not seen: on a slow or congested link raise conflict_wait_ms.",
		.offset = FIELD(conflict_check),
		.parse = param_parse_bool,
	},
	{
		.name = "conflict_probes",
		.type = PARAM_INTEGER,
		.default_value = "3",
		.shortdesc = "Probes sent by the conflict check",
		.longdesc = "Probes sent conflict_interval_ms apart: more than one so that a "
			    "single lost frame does not hide a holder.",
		.offset = FIELD(conflict_probes),
		.parse = param_parse_uint,
		.min = 1,
		.max = 20,
	},
	{
		.name = "conflict_interval_ms",
		.type = PARAM_INTEGER,
		.default_value = "5",
		.shortdesc = "Milliseconds between the conflict check's probes",
		.longdesc = "The agent listens all along, so an answer to any probe counts.",
		.offset = FIELD(conflict_interval_ms),
		.parse = param_parse_uint,
		.min = 1,
		.max = 5000,
	},
	{
		.name = "conflict_wait_ms",
		.type = PARAM_INTEGER,
		.default_value = "25",
		.shortdesc = "Milliseconds to wait for an answer after the last probe",
		.longdesc = "The one bound on how late a holder may answer and still be seen. "
			    "Raise it for slow or congested links (RFC 5227 waits 1 to 2 s).",
		.offset = FIELD(conflict_wait_ms),
		.parse = param_parse_uint,
		.min = 10,
		.max = 5000,
	},
	{
		.name = "preferred_lft",
		.type = PARAM_STRING,
		.default_value = "forever",
		.shortdesc = "IPv6 preferred lifetime",
		.longdesc = "IPv6 only: preferred lifetime in seconds, or forever. 0 keeps the "
			    "address from being chosen as a source address for outgoing "
			    "connections.",
		.offset = FIELD(preferred_lft),
		.parse = parse_lifetime,
	},
	{
		.name = "verify",
		.type = PARAM_STRING,
		.default_value = "none",
		.shortdesc = "Neighbour that must answer the address after start",
		.longdesc = "After adding and announcing the address, start asks a neighbour for "
			    "its link-layer address from the floating IP itself (an ARP request, "
			    "for IPv6 a neighbour solicitation) and fails (OCF_ERR_GENERIC, naming "
			    "the neighbour) when no answer comes within verify_timeout_ms, so the "
			    "group moves to a node whose network works instead of staying up and "
			    "unreachable. gateway asks the gateway of the main table's route "
			    "through the address's interface (a default route first); an address "
			    "asks that neighbour; none skips the check. Off by default: a gateway "
			    "that is down for every node (maintenance) would otherwise stop the "
			    "group everywhere, though clients on the LAN could still reach it.",
		.offset = FIELD(verify),
		.parse = parse_verify,
	},
	{
		.name = "verify_timeout_ms",
		.type = PARAM_INTEGER,
		.default_value = "1000",
		.shortdesc = "Milliseconds the verify neighbour has to answer",
		.longdesc = "Four requests are sent evenly within it; a LAN neighbour answers "
			    "within a millisecond. Never more than half of what is left of the "
			    "start's timeout.",
		.offset = FIELD(verify_timeout_ms),
		.parse = param_parse_uint,
		.min = 10,
		.max = 60000,
	},
	{
		.name = "defend",
		.type = PARAM_BOOLEAN,
		.default_value = "true",
		.shortdesc = "Defend the address while it is up",
		.longdesc = "A small process watches the link for another host claiming the "
			    "address (ARP from it, neighbour advertisements for it, from another "
			    "MAC). The first claim is answered with one announcement (RFC 5227 "
			    "2.4 (b)); a second within 10 s means the address is lost: the next "
			    "monitor fails naming the other MAC, and a cluster alert goes out at "
			    "once. stop ends the process.",
		.offset = FIELD(defend),
		.parse = param_parse_bool,
	},
};

int fip_full_label(const char *nic, const char *label, char ret[IFNAMSIZ])
{
	int n = snprintf(ret, IFNAMSIZ, "%s:%s", nic, label);

	return n < 0 || n >= IFNAMSIZ ? -ENAMETOOLONG : 0;
}

int fip_config_check(void *config, struct error *err)
{
	struct fip_config *c = config;
	unsigned max = inaddr_max_prefix(c->ip.family);
	char label[IFNAMSIZ];
	int r;

	if (c->cidr_netmask) {
		r = inaddr_parse_prefix(c->cidr_netmask, c->ip.family, &c->prefix);
		if (r < 0)
			return error_set(
				err, EINVAL,
				"invalid cidr_netmask='%s': must be a prefix length from 1 "
				"to %u%s",
				c->cidr_netmask, max,
				c->ip.family == AF_INET ? " or a netmask" : "");
	}
	if (c->label && c->ip.family != AF_INET)
		return error_set(err, EINVAL, "label applies to IPv4 addresses only");
	if (c->label && c->nic && fip_full_label(c->nic, c->label, label) < 0)
		return error_set(err, ENAMETOOLONG, "label '%s:%s' is longer than %d characters",
				 c->nic, c->label, IFNAMSIZ - 1);
	if (c->preferred_lft != FIP_LFT_FOREVER && c->ip.family != AF_INET6)
		return error_set(err, EINVAL, "preferred_lft applies to IPv6 addresses only");
	if (c->verify.mode == FIP_VERIFY_ADDRESS && c->verify.target.family != c->ip.family)
		return error_set(err, EINVAL,
				 "invalid verify: the neighbour must be an %s address, "
				 "as ip is",
				 c->ip.family == AF_INET ? "IPv4" : "IPv6");
	if (c->verify.mode == FIP_VERIFY_ADDRESS && inaddr_equal(&c->verify.target, &c->ip))
		return error_set(err, EINVAL, "invalid verify: the neighbour cannot be ip itself");
	return 0;
}
