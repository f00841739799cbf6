/*
 * The watched interfaces and their state, fed with rtnetlink link messages
 * (pure: no socket here, so unit tests feed it built messages). Interfaces
 * are watched by name: an index only counts while it carries that name, so
 * a rename or a deletion takes the interface down, and a new interface with
 * the name brings it back.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <linux/netlink.h>

struct link_info {
	int ifindex;
	char name[IFNAMSIZ];
	unsigned flags; /* IFF_* */
	bool deleted;	/* RTM_DELLINK */
};

/* RTM_NEWLINK/RTM_DELLINK into info. -ENOMSG for other types, -EBADMSG when malformed. */
int link_info_parse(const struct nlmsghdr *nlh, struct link_info *ret_info);

/* Up means what carries traffic: administratively up with carrier (IFF_LOWER_UP). */
bool link_flags_up(unsigned flags);

struct link_entry {
	char name[IFNAMSIZ];
	int ifindex; /* 0 while absent */
	bool up;
};

struct linkset {
	size_t n;
	struct link_entry e[];
};

int linkset_new(char *const *names, struct linkset **ret_set);
/* Apply one message: the index of the entry whose up state changed, or -1. */
int linkset_apply(struct linkset *s, const struct link_info *info);
unsigned linkset_up(const struct linkset *s);
