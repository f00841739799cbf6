/*
 * Multipath routes and nexthop objects are left out: their gateways may
 * leave through other interfaces, and one that answers says nothing about
 * the others. An administrator with those names verify=<address>.
 */
#include "gateway.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/rtnetlink.h>

struct gw_search {
	int family;
	int ifindex;
	bool found;
	bool is_default;
	uint32_t metric;
	struct inaddr gw;
};

struct gw_attrs {
	const struct nlattr *tb[RTA_MAX + 1];
};

static int gw_attr_cb(const struct nlattr *attr, void *data)
{
	struct gw_attrs *ga = data;
	unsigned type = mnl_attr_get_type(attr);

	if (type <= RTA_MAX)
		ga->tb[type] = attr;
	return MNL_CB_OK;
}

/* Whether a candidate beats what was found: a default route, then a lower metric. */
static bool better(const struct gw_search *s, bool is_default, uint32_t metric)
{
	if (!s->found)
		return true;
	if (is_default != s->is_default)
		return is_default;
	return metric < s->metric;
}

static int gw_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct gw_search *s = data;
	struct gw_attrs ga = {{0}};
	struct inaddr gw;
	uint32_t table, metric;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != s->family ||
	    rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), gw_attr_cb, &ga) < 0)
		return MNL_CB_ERROR;
	table = ga.tb[RTA_TABLE] ? mnl_attr_get_u32(ga.tb[RTA_TABLE]) : rtm->rtm_table;
	if (table != RT_TABLE_MAIN || !ga.tb[RTA_GATEWAY] || !ga.tb[RTA_OIF] ||
	    (int)mnl_attr_get_u32(ga.tb[RTA_OIF]) != s->ifindex)
		return MNL_CB_OK;
	if (inaddr_from_bytes(s->family, mnl_attr_get_payload(ga.tb[RTA_GATEWAY]),
			      mnl_attr_get_payload_len(ga.tb[RTA_GATEWAY]), &gw) < 0)
		return MNL_CB_OK;
	metric = ga.tb[RTA_PRIORITY] ? mnl_attr_get_u32(ga.tb[RTA_PRIORITY]) : 0;
	if (better(s, rtm->rtm_dst_len == 0, metric)) {
		s->found = true;
		s->is_default = rtm->rtm_dst_len == 0;
		s->metric = metric;
		s->gw = gw;
	}
	return MNL_CB_OK;
}

int gateway_find(struct nl *nl, int family, int ifindex, struct inaddr *ret_gw)
{
	struct gw_search s = {.family = family, .ifindex = ifindex};
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int r;

	if (!nl || !ret_gw || ifindex <= 0 || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	nlh = nl_message(nl, RTM_GETROUTE, NLM_F_DUMP);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	r = nl_request(nl, nlh, gw_cb, &s);
	if (r < 0)
		return r;
	if (!s.found)
		return -ENOENT;
	*ret_gw = s.gw;
	return 0;
}
