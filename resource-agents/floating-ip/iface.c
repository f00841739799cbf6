/*
 * Link and route queries over rtnetlink. The subnet search reads connected
 * routes rather than addresses: an interface is "on" a subnet exactly when
 * the kernel would deliver to it without a gateway.
 */
#include "iface.h"

#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "macro.h"
#include "strutil.h"

/* linux/if.h has it but clashes with net/if.h. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct iface *iface = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		(void)strscpy(iface->name, mnl_attr_get_str(attr), sizeof(iface->name));
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(attr) == sizeof(iface->mac)) {
			memcpy(iface->mac, mnl_attr_get_payload(attr), sizeof(iface->mac));
			iface->has_mac = true;
		}
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct iface *iface = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	memset(iface, 0, sizeof(*iface));
	iface->ifindex = ifi->ifi_index;
	iface->flags = ifi->ifi_flags;
	return mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, iface);
}

static int link_get(struct nl *nl, int ifindex, const char *name, struct iface *ret_iface)
{
	struct nlmsghdr *nlh = nl_message(nl, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct iface found = {0};
	int r;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	r = nl_request(nl, nlh, link_cb, &found);
	if (r == -ENODEV || r == -EINVAL)
		return -ENODEV;
	if (r < 0)
		return r;
	if (found.ifindex <= 0)
		return -ENODEV;
	*ret_iface = found;
	return 0;
}

int iface_by_name(struct nl *nl, const char *name, struct iface *ret_iface)
{
	if (!nl || !ifname_is_valid(name) || !ret_iface)
		return -EINVAL;
	return link_get(nl, 0, name, ret_iface);
}

int iface_by_index(struct nl *nl, int ifindex, struct iface *ret_iface)
{
	if (!nl || ifindex <= 0 || !ret_iface)
		return -EINVAL;
	return link_get(nl, ifindex, NULL, ret_iface);
}

bool iface_is_up(const struct iface *iface)
{
	return (iface->flags & IFF_UP) && (iface->flags & IFF_LOWER_UP);
}

struct route_search {
	const struct inaddr *addr;
	int only_ifindex;
	struct subnet_match *matches;
	unsigned max;
	unsigned count;
};

struct route_attrs {
	const struct nlattr *tb[RTA_MAX + 1];
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	struct route_attrs *ra = data;
	unsigned type = mnl_attr_get_type(attr);

	if (type <= RTA_MAX)
		ra->tb[type] = attr;
	return MNL_CB_OK;
}

static void route_record(struct route_search *s, int ifindex, unsigned prefix)
{
	for (unsigned i = 0; i < s->count && i < s->max; i++) {
		if (s->matches[i].ifindex == ifindex) {
			s->matches[i].prefix = MAX(s->matches[i].prefix, prefix);
			return;
		}
	}
	if (s->count < s->max)
		s->matches[s->count] = (struct subnet_match){.ifindex = ifindex, .prefix = prefix};
	s->count++;
}

static bool route_is_connected(const struct rtmsg *rtm, const struct route_attrs *ra)
{
	uint32_t table = ra->tb[RTA_TABLE] ? mnl_attr_get_u32(ra->tb[RTA_TABLE]) : rtm->rtm_table;

	return table == RT_TABLE_MAIN && rtm->rtm_type == RTN_UNICAST && rtm->rtm_dst_len > 0 &&
	       !ra->tb[RTA_GATEWAY] && !ra->tb[RTA_VIA] && !ra->tb[RTA_MULTIPATH] &&
	       ra->tb[RTA_OIF] && ra->tb[RTA_DST];
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_search *s = data;
	struct route_attrs ra = {{0}};
	struct inaddr dst;
	int ifindex;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != s->addr->family)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, &ra) < 0)
		return MNL_CB_ERROR;
	if (!route_is_connected(rtm, &ra))
		return MNL_CB_OK;
	if (inaddr_from_bytes(rtm->rtm_family, mnl_attr_get_payload(ra.tb[RTA_DST]),
			      mnl_attr_get_payload_len(ra.tb[RTA_DST]), &dst) < 0)
		return MNL_CB_OK;
	ifindex = (int)mnl_attr_get_u32(ra.tb[RTA_OIF]);
	if (s->only_ifindex && ifindex != s->only_ifindex)
		return MNL_CB_OK;
	if (inaddr_in_subnet(s->addr, &dst, rtm->rtm_dst_len))
		route_record(s, ifindex, rtm->rtm_dst_len);
	return MNL_CB_OK;
}

int iface_find_subnets(struct nl *nl, const struct inaddr *addr, int only_ifindex,
		       struct subnet_match *matches, unsigned max)
{
	struct route_search s = {
		.addr = addr, .only_ifindex = only_ifindex, .matches = matches, .max = max};
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int r;

	if (!nl || !addr || (!matches && max))
		return -EINVAL;
	nlh = nl_message(nl, RTM_GETROUTE, NLM_F_DUMP);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)addr->family;
	r = nl_request(nl, nlh, route_cb, &s);
	if (r < 0)
		return r;
	return (int)s.count;
}
