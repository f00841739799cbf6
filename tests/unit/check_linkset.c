/*
 * linkset: link-monitor's bookkeeping, fed with RTM_NEWLINK/RTM_DELLINK
 * messages built here with libmnl as the kernel would send them.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "check_common.h"
#include "../../monitors/link-monitor/linkset.h"

#ifndef IFF_LOWER_UP /* <linux/if.h> has it but clashes with <net/if.h> */
#define IFF_LOWER_UP 0x10000
#endif

static char msgbuf[8192];

static struct nlmsghdr *link_msg(uint16_t type, int ifindex, const char *name, unsigned flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = type;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

static struct link_info info_of(uint16_t type, int ifindex, const char *name, unsigned flags)
{
	struct link_info info;

	ck_assert_int_eq(link_info_parse(link_msg(type, ifindex, name, flags), &info), 0);
	return info;
}

static struct linkset *set_of(const char *a, const char *b)
{
	char *names[] = {(char *)a, (char *)b, NULL};
	struct linkset *s = NULL;

	ck_assert_int_eq(linkset_new(names, &s), 0);
	return s;
}

#define UP (IFF_UP | IFF_LOWER_UP)

START_TEST(test_a_message_names_index_flags_and_kind)
{
	struct link_info info = info_of(RTM_DELLINK, 7, "eth0", IFF_UP);

	ck_assert_int_eq(info.ifindex, 7);
	ck_assert_str_eq(info.name, "eth0");
	ck_assert_uint_eq(info.flags, IFF_UP);
	ck_assert(info.deleted);
}
END_TEST

START_TEST(test_malformed_or_foreign_messages_are_refused)
{
	struct link_info info;
	struct nlmsghdr *nlh;

	ck_assert_int_eq(link_info_parse(link_msg(RTM_NEWADDR, 7, "eth0", 0), &info), -ENOMSG);
	ck_assert_int_eq(link_info_parse(link_msg(RTM_NEWLINK, 7, NULL, 0), &info), -EBADMSG);
	ck_assert_int_eq(link_info_parse(link_msg(RTM_NEWLINK, 0, "eth0", 0), &info), -EBADMSG);
	ck_assert_int_eq(
		link_info_parse(link_msg(RTM_NEWLINK, 7, "averyveryverylongname", 0), &info),
		-EBADMSG);
	nlh = link_msg(RTM_NEWLINK, 7, "eth0", 0);
	nlh->nlmsg_len = mnl_nlmsg_size(4);
	ck_assert_int_eq(link_info_parse(nlh, &info), -EBADMSG);
}
END_TEST

START_TEST(test_up_needs_both_admin_up_and_carrier)
{
	ck_assert(link_flags_up(UP));
	ck_assert(!link_flags_up(IFF_UP));
	ck_assert(!link_flags_up(IFF_LOWER_UP));
	ck_assert(!link_flags_up(0));
}
END_TEST

START_TEST(test_a_carrier_loss_and_return_are_changes)
{
	struct linkset *s = set_of("eth0", "eth1");
	struct link_info i;

	i = info_of(RTM_NEWLINK, 2, "eth0", UP);
	ck_assert_int_eq(linkset_apply(s, &i), 0);
	i = info_of(RTM_NEWLINK, 3, "eth1", UP);
	ck_assert_int_eq(linkset_apply(s, &i), 1);
	ck_assert_uint_eq(linkset_up(s), 2);
	i = info_of(RTM_NEWLINK, 2, "eth0", UP);
	ck_assert_int_eq(linkset_apply(s, &i), -1); /* no news */
	i = info_of(RTM_NEWLINK, 3, "eth1", IFF_UP);
	ck_assert_int_eq(linkset_apply(s, &i), 1);
	ck_assert_uint_eq(linkset_up(s), 1);
	free(s);
}
END_TEST

START_TEST(test_unwatched_interfaces_change_nothing)
{
	struct linkset *s = set_of("eth0", "eth1");
	struct link_info i = info_of(RTM_NEWLINK, 9, "wlan0", UP);

	ck_assert_int_eq(linkset_apply(s, &i), -1);
	ck_assert_uint_eq(linkset_up(s), 0);
	free(s);
}
END_TEST

START_TEST(test_deletion_and_rename_take_a_link_down_and_the_name_returns_it)
{
	struct linkset *s = set_of("eth0", "eth1");
	struct link_info i = info_of(RTM_NEWLINK, 2, "eth0", UP);

	ck_assert_int_eq(linkset_apply(s, &i), 0);
	i = info_of(RTM_NEWLINK, 2, "old0", UP); /* renamed away */
	ck_assert_int_eq(linkset_apply(s, &i), 0);
	ck_assert_uint_eq(linkset_up(s), 0);
	ck_assert_int_eq(s->e[0].ifindex, 0);
	i = info_of(RTM_NEWLINK, 5, "eth0", UP); /* a new interface takes the name */
	ck_assert_int_eq(linkset_apply(s, &i), 0);
	ck_assert_int_eq(s->e[0].ifindex, 5);
	i = info_of(RTM_DELLINK, 5, "eth0", UP);
	ck_assert_int_eq(linkset_apply(s, &i), 0);
	ck_assert_uint_eq(linkset_up(s), 0);
	free(s);
}
END_TEST

START_TEST(test_an_empty_list_is_refused)
{
	char *none[] = {NULL};
	struct linkset *s = NULL;

	ck_assert_int_eq(linkset_new(none, &s), -EINVAL);
	ck_assert_ptr_null(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("linkset");

	ADD_CASE(s, test_a_message_names_index_flags_and_kind, 5);
	ADD_CASE(s, test_malformed_or_foreign_messages_are_refused, 5);
	ADD_CASE(s, test_up_needs_both_admin_up_and_carrier, 5);
	ADD_CASE(s, test_a_carrier_loss_and_return_are_changes, 5);
	ADD_CASE(s, test_unwatched_interfaces_change_nothing, 5);
	ADD_CASE(s, test_deletion_and_rename_take_a_link_down_and_the_name_returns_it, 5);
	ADD_CASE(s, test_an_empty_list_is_refused, 5);
	return check_run(s);
}
