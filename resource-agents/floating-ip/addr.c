/*
 * Address add/delete/lookup. IPv4 addresses are matched on IFA_LOCAL (on
 * point-to-point links IFA_ADDRESS is the peer); IPv6 on IFA_ADDRESS.
 * IFA_FLAGS (32 bits) supersedes the 8-bit ifa_flags where present.
 */
#include "addr.h"

#include <errno.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "strutil.h"

struct addr_msg {
	struct inaddr addr;
	bool has_addr;
	int ifindex;
	unsigned prefix;
	uint32_t flags;
	char label[IFNAMSIZ];
	bool has_proto;
	uint8_t proto;
};

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	struct addr_msg *m = data;
	unsigned type = mnl_attr_get_type(attr);
	bool wanted = m->addr.family == AF_INET ? type == IFA_LOCAL : type == IFA_ADDRESS;

	if (wanted && inaddr_from_bytes(m->addr.family, mnl_attr_get_payload(attr),
					mnl_attr_get_payload_len(attr), &m->addr) == 0)
		m->has_addr = true;
	else if (type == IFA_FLAGS && mnl_attr_get_payload_len(attr) == sizeof(uint32_t))
		m->flags = mnl_attr_get_u32(attr);
	else if (type == IFA_LABEL && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		(void)strscpy(m->label, mnl_attr_get_str(attr), sizeof(m->label));
	else if (type == IFA_PROTO && mnl_attr_get_payload_len(attr) == sizeof(uint8_t)) {
		m->has_proto = true;
		m->proto = mnl_attr_get_u8(attr);
	}
	return MNL_CB_OK;
}

/* Decode an RTM_NEWADDR/RTM_DELADDR message of family. */
static int addr_msg_parse(const struct nlmsghdr *nlh, int family, struct addr_msg *ret)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	memset(ret, 0, sizeof(*ret));
	if (ifa->ifa_family != family)
		return 0;
	ret->addr.family = family;
	ret->ifindex = (int)ifa->ifa_index;
	ret->prefix = ifa->ifa_prefixlen;
	ret->flags = ifa->ifa_flags;
	if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, ret) < 0)
		return -EBADMSG;
	return ret->has_addr ? 1 : 0;
}

struct find_ctx {
	const struct inaddr *addr;
	int prefer_ifindex;
	struct addr_where where;
	unsigned rank;
};

/* Which copy to report: the wanted interface first, then one of exha's. */
static unsigned find_rank(const struct find_ctx *f, const struct addr_msg *m)
{
	return (m->ifindex == f->prefer_ifindex ? 2u : 0u) +
	       (m->has_proto && m->proto == ADDR_PROTO_EXHA ? 1u : 0u);
}

static int find_cb(const struct nlmsghdr *nlh, void *data)
{
	struct find_ctx *f = data;
	struct addr_msg m;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	if (addr_msg_parse(nlh, f->addr->family, &m) <= 0 || !inaddr_equal(&m.addr, f->addr))
		return MNL_CB_OK;
	if (f->where.count == 0 || find_rank(f, &m) > f->rank) {
		f->rank = find_rank(f, &m);
		f->where.ifindex = m.ifindex;
		f->where.prefix = m.prefix;
		f->where.flags = m.flags;
		memcpy(f->where.label, m.label, sizeof(m.label));
		f->where.has_proto = m.has_proto;
		f->where.proto = m.proto;
	}
	f->where.count++;
	return MNL_CB_OK;
}

int addr_find(struct nl *nl, const struct inaddr *addr, int prefer_ifindex,
	      struct addr_where *ret_where)
{
	struct find_ctx f = {.addr = addr, .prefer_ifindex = prefer_ifindex};
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int r;

	if (!nl || !addr || !ret_where)
		return -EINVAL;
	nlh = nl_message(nl, RTM_GETADDR, NLM_F_DUMP);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)addr->family;
	r = nl_request(nl, nlh, find_cb, &f);
	if (r < 0)
		return r;
	*ret_where = f.where;
	return 0;
}

static struct nlmsghdr *addr_message(struct nl *nl, uint16_t type, uint16_t flags,
				     const struct inaddr *addr, unsigned prefix, int ifindex)
{
	struct nlmsghdr *nlh = nl_message(nl, type, flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	unsigned len = inaddr_len(addr->family);

	ifa->ifa_family = (unsigned char)addr->family;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = (unsigned)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	mnl_attr_put(nlh, IFA_LOCAL, len, addr->bytes);
	mnl_attr_put(nlh, IFA_ADDRESS, len, addr->bytes);
	return nlh;
}

int addr_add(struct nl *nl, const struct addr_spec *spec)
{
	struct nlmsghdr *nlh;
	struct in_addr brd;
	uint32_t flags = 0;

	if (!nl || !spec || !spec->addr || spec->ifindex <= 0 || spec->prefix == 0 ||
	    spec->prefix > inaddr_max_prefix(spec->addr->family))
		return -EINVAL;
	nlh = addr_message(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, spec->addr, spec->prefix,
			   spec->ifindex);
	if (spec->addr->family == AF_INET) {
		if (inaddr_broadcast(spec->addr, spec->prefix, &brd))
			mnl_attr_put(nlh, IFA_BROADCAST, sizeof(brd), &brd);
		if (spec->label)
			mnl_attr_put_strz(nlh, IFA_LABEL, spec->label);
	} else {
		struct ifa_cacheinfo ci = {
			.ifa_prefered = spec->preferred_lft,
			.ifa_valid = UINT32_MAX,
		};

		if (spec->nodad)
			flags |= IFA_F_NODAD;
		if (spec->preferred_lft != UINT32_MAX)
			mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	if (flags)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	mnl_attr_put_u8(nlh, IFA_PROTO, ADDR_PROTO_EXHA);
	return nl_request(nl, nlh, NULL, NULL);
}

int addr_del(struct nl *nl, const struct inaddr *addr, unsigned prefix, int ifindex)
{
	if (!nl || !addr || ifindex <= 0)
		return -EINVAL;
	return nl_request(nl, addr_message(nl, RTM_DELADDR, 0, addr, prefix, ifindex), NULL, NULL);
}

bool addr_flags_dadfailed(uint32_t flags)
{
	return flags & IFA_F_DADFAILED;
}
