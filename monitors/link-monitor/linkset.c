/* Link state bookkeeping for link-monitor (pure). */
#include "linkset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "strutil.h"

/* In <linux/if.h>, which clashes with <net/if.h>. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

struct parse_state {
	const char *name;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct parse_state *st = data;

	if (mnl_attr_get_type(attr) == IFLA_IFNAME) {
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		st->name = mnl_attr_get_str(attr);
	}
	return MNL_CB_OK;
}

int link_info_parse(const struct nlmsghdr *nlh, struct link_info *ret_info)
{
	struct parse_state st = {0};
	const struct ifinfomsg *ifi;
	struct link_info info = {0};

	if (!nlh || !ret_info)
		return -EINVAL;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -ENOMSG;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return -EBADMSG;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, &st) < 0 || !st.name ||
	    strscpy(info.name, st.name, sizeof(info.name)) < 0 || ifi->ifi_index <= 0)
		return -EBADMSG;
	info.ifindex = ifi->ifi_index;
	info.flags = ifi->ifi_flags;
	info.deleted = nlh->nlmsg_type == RTM_DELLINK;
	*ret_info = info;
	return 0;
}

bool link_flags_up(unsigned flags)
{
	return (flags & IFF_UP) && (flags & IFF_LOWER_UP);
}

int linkset_new(char *const *names, struct linkset **ret_set)
{
	size_t n = names ? strv_length(names) : 0;
	struct linkset *s;

	if (n == 0 || !ret_set)
		return -EINVAL;
	s = calloc(1, sizeof(*s) + n * sizeof(s->e[0]));
	if (!s)
		return -ENOMEM;
	s->n = n;
	for (size_t i = 0; i < n; i++)
		if (strscpy(s->e[i].name, names[i], sizeof(s->e[i].name)) < 0) {
			free(s);
			return -ENAMETOOLONG;
		}
	*ret_set = s;
	return 0;
}

static int entry_set(struct linkset *s, size_t i, int ifindex, bool up)
{
	bool was = s->e[i].up;

	s->e[i].ifindex = ifindex;
	s->e[i].up = up;
	return was != up ? (int)i : -1;
}

int linkset_apply(struct linkset *s, const struct link_info *info)
{
	int changed = -1;

	for (size_t i = 0; i < s->n; i++) {
		bool same_name = strcmp(s->e[i].name, info->name) == 0;
		int r = -1;

		if (same_name && !info->deleted)
			r = entry_set(s, i, info->ifindex, link_flags_up(info->flags));
		else if (s->e[i].ifindex == info->ifindex)
			r = entry_set(s, i, 0, false); /* deleted, or renamed away */
		if (r >= 0)
			changed = r;
	}
	return changed;
}

unsigned linkset_up(const struct linkset *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->e[i].up;
	return n;
}
