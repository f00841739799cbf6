/*
 * inaddr (floating-ip): the address arithmetic behind the ip and
 * cidr_netmask parameters and the choice of interface. Pure functions over
 * bytes, so each case states the exact bytes or text expected; expected
 * addresses come from inet_pton, not from the code under test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include "check_common.h"
#include "inaddr.h"
#include "macro.h"

/* addr from text through inet_pton alone. */
static struct inaddr addr_of(const char *s)
{
	struct inaddr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.v4) == 1) {
		a.family = AF_INET;
		return a;
	}
	ck_assert_msg(inet_pton(AF_INET6, s, &a.v6) == 1, "bad address in the test: %s", s);
	a.family = AF_INET6;
	return a;
}

/* A value nothing under test writes: output parameters must keep it on failure. */
static struct inaddr poisoned(void)
{
	struct inaddr a;

	memset(&a, 0xa5, sizeof(a));
	return a;
}

#define ck_assert_untouched(a)                                                                     \
	do {                                                                                       \
		struct inaddr p_ = poisoned();                                                     \
		ck_assert_int_eq(memcmp(&(a), &p_, sizeof(p_)), 0);                                \
	} while (0)

START_TEST(test_an_ipv4_host_address_is_parsed_into_network_order_bytes)
{
	static const uint8_t want[4] = {192, 0, 2, 10};
	struct inaddr a = poisoned();
	const char *reason = "untouched";

	ck_assert_int_eq(inaddr_parse_host("192.0.2.10", &a, &reason), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_mem_eq(a.bytes, want, 4);
	ck_assert_str_eq(reason, "untouched");
}
END_TEST

START_TEST(test_an_ipv6_host_address_is_parsed_into_network_order_bytes)
{
	static const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					 0,    0,    0,	   0,	 0, 0, 0, 0x10};
	struct inaddr a = poisoned();
	const char *reason = "untouched";

	ck_assert_int_eq(inaddr_parse_host("2001:db8::10", &a, &reason), 0);
	ck_assert_int_eq(a.family, AF_INET6);
	ck_assert_mem_eq(a.bytes, want, 16);
	ck_assert_str_eq(reason, "untouched");
}
END_TEST

START_TEST(test_a_prefix_in_the_address_points_to_cidr_netmask)
{
	const char *in[] = {"192.0.2.1/24", "2001:db8::1/64", "/"};

	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		struct inaddr a = poisoned();
		const char *reason = NULL;

		ck_assert_int_eq(inaddr_parse_host(in[i], &a, &reason), -EINVAL);
		ck_assert_str_eq(reason, "must be an address without a prefix: set cidr_netmask "
					 "for the prefix");
		ck_assert_untouched(a);
	}
}
END_TEST

START_TEST(test_text_that_is_no_address_is_rejected)
{
	const char *in[] = {"abc",	    "",
			    "1.2.3",	    "192.0.2.256",
			    "192.0.2.1 ",   " 192.0.2.1",
			    "192.0.2.1.5",  "0x7f.1",
			    "2001:db8:::1", "2001:db8::g",
			    "192.0.2.010a", "1.2.3.4\n"};

	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		struct inaddr a = poisoned();
		const char *reason = NULL;

		ck_assert_msg(inaddr_parse_host(in[i], &a, &reason) == -EINVAL, "accepted '%s'",
			      in[i]);
		ck_assert_str_eq(reason, "must be an IPv4 or IPv6 address");
		ck_assert_untouched(a);
	}
}
END_TEST

START_TEST(test_addresses_no_host_may_float_are_rejected_with_the_reason)
{
	static const struct {
		const char *in, *reason;
	} cases[] = {
		{"0.0.0.0", "the unspecified address cannot be a floating IP"},
		{"127.0.0.1", "a loopback address cannot be a floating IP"},
		{"127.255.255.254", "a loopback address cannot be a floating IP"},
		{"224.0.0.1", "a multicast address cannot be a floating IP"},
		{"239.255.255.255", "a multicast address cannot be a floating IP"},
		{"255.255.255.255", "the broadcast address cannot be a floating IP"},
		{"240.0.0.1", "a reserved (240.0.0.0/4) address cannot be a floating IP"},
		{"255.255.255.254", "a reserved (240.0.0.0/4) address cannot be a floating IP"},
		{"::", "the unspecified address cannot be a floating IP"},
		{"::1", "a loopback address cannot be a floating IP"},
		{"ff02::1", "a multicast address cannot be a floating IP"},
		{"ff05::1:3", "a multicast address cannot be a floating IP"},
		{"fe80::1", "a link-local address cannot be a floating IP"},
		{"febf::1", "a link-local address cannot be a floating IP"},
		{"::ffff:192.0.2.1", "write an IPv4-mapped address as plain IPv4"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct inaddr a = poisoned();
		const char *reason = NULL;

		ck_assert_msg(inaddr_parse_host(cases[i].in, &a, &reason) == -EINVAL,
			      "accepted '%s'", cases[i].in);
		ck_assert_str_eq(reason, cases[i].reason);
		ck_assert_untouched(a);
	}
}
END_TEST

START_TEST(test_the_neighbours_of_reserved_ranges_are_accepted)
{
	const char *in[] = {"1.0.0.0", "126.255.255.255", "128.0.0.1", "223.255.255.255",
			    "fec0::1", "fe7f::1",	  "fd00::1",   "::2"};

	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		struct inaddr want = addr_of(in[i]);
		struct inaddr a = poisoned();
		const char *reason = NULL;

		ck_assert_msg(inaddr_parse_host(in[i], &a, &reason) == 0, "rejected '%s': %s",
			      in[i], reason);
		ck_assert(inaddr_equal(&a, &want));
	}
}
END_TEST

START_TEST(test_parse_host_rejects_null_arguments)
{
	struct inaddr a;
	const char *reason;

	ck_assert_int_eq(inaddr_parse_host(NULL, &a, &reason), -EINVAL);
	ck_assert_int_eq(inaddr_parse_host("192.0.2.1", NULL, &reason), -EINVAL);
	ck_assert_int_eq(inaddr_parse_host("192.0.2.1", &a, NULL), -EINVAL);
}
END_TEST

START_TEST(test_a_prefix_length_is_read_within_the_family_range)
{
	static const struct {
		const char *in;
		int family;
		unsigned want;
	} cases[] = {
		{"24", AF_INET, 24},  {"1", AF_INET, 1},    {"32", AF_INET, 32},
		{"64", AF_INET6, 64}, {"33", AF_INET6, 33}, {"128", AF_INET6, 128},
		{"1", AF_INET6, 1},   {"024", AF_INET, 24},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned prefix = 999;

		ck_assert_int_eq(inaddr_parse_prefix(cases[i].in, cases[i].family, &prefix), 0);
		ck_assert_uint_eq(prefix, cases[i].want);
	}
}
END_TEST

START_TEST(test_a_prefix_length_outside_the_family_range_is_erange)
{
	static const struct {
		const char *in;
		int family;
	} cases[] = {
		{"0", AF_INET},	   {"33", AF_INET},	    {"0", AF_INET6},
		{"129", AF_INET6}, {"4294967320", AF_INET}, {"99999999999999999999999", AF_INET6},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned prefix = 999;

		ck_assert_msg(inaddr_parse_prefix(cases[i].in, cases[i].family, &prefix) == -ERANGE,
			      "'%s' for family %d", cases[i].in, cases[i].family);
		ck_assert_uint_eq(prefix, 999);
	}
}
END_TEST

START_TEST(test_a_contiguous_ipv4_netmask_becomes_its_prefix_length)
{
	static const struct {
		const char *in;
		unsigned want;
	} cases[] = {
		{"255.255.255.0", 24},	 {"255.255.255.255", 32}, {"128.0.0.0", 1},
		{"255.255.255.252", 30}, {"255.255.254.0", 23},	  {"255.255.255.254", 31},
		{"255.0.0.0", 8},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned prefix = 999;

		ck_assert_int_eq(inaddr_parse_prefix(cases[i].in, AF_INET, &prefix), 0);
		ck_assert_uint_eq(prefix, cases[i].want);
	}
}
END_TEST

START_TEST(test_a_netmask_with_holes_is_einval)
{
	const char *in[] = {"255.0.255.0", "0.255.255.255", "255.255.255.1", "127.0.0.0",
			    "255.255.253.0"};

	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		unsigned prefix = 999;

		ck_assert_msg(inaddr_parse_prefix(in[i], AF_INET, &prefix) == -EINVAL, "'%s'",
			      in[i]);
		ck_assert_uint_eq(prefix, 999);
	}
}
END_TEST

START_TEST(test_the_all_zero_netmask_is_erange)
{
	unsigned prefix = 999;

	ck_assert_int_eq(inaddr_parse_prefix("0.0.0.0", AF_INET, &prefix), -ERANGE);
	ck_assert_uint_eq(prefix, 999);
}
END_TEST

START_TEST(test_a_dotted_netmask_is_einval_for_ipv6)
{
	unsigned prefix = 999;

	ck_assert_int_eq(inaddr_parse_prefix("255.255.255.0", AF_INET6, &prefix), -EINVAL);
	ck_assert_int_eq(inaddr_parse_prefix("ffff:ffff:ffff:ffff::", AF_INET6, &prefix), -EINVAL);
	ck_assert_uint_eq(prefix, 999);
}
END_TEST

START_TEST(test_a_malformed_prefix_is_einval)
{
	const char *in[] = {"abc", " 24",  "24 ", "+24", "-1",		"",
			    "24/", "0x18", "/24", "2 4", "255.255.255", "255.255.255.0.0",
			    "24.", "1e1"};

	for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
		unsigned prefix = 999;

		ck_assert_msg(inaddr_parse_prefix(in[i], AF_INET, &prefix) == -EINVAL, "'%s'",
			      in[i]);
		ck_assert_uint_eq(prefix, 999);
	}
}
END_TEST

START_TEST(test_parse_prefix_rejects_null_arguments_and_other_families)
{
	unsigned prefix = 999;

	ck_assert_int_eq(inaddr_parse_prefix(NULL, AF_INET, &prefix), -EINVAL);
	ck_assert_int_eq(inaddr_parse_prefix("24", AF_INET, NULL), -EINVAL);
	ck_assert_int_eq(inaddr_parse_prefix("24", AF_UNIX, &prefix), -EINVAL);
	ck_assert_int_eq(inaddr_parse_prefix("24", AF_UNSPEC, &prefix), -EINVAL);
	ck_assert_uint_eq(prefix, 999);
}
END_TEST

/* Whether addr is in net/prefix, all as text. */
static bool in_subnet(const char *addr, const char *net, unsigned prefix)
{
	struct inaddr a = addr_of(addr), n = addr_of(net);

	return inaddr_in_subnet(&a, &n, prefix);
}

START_TEST(test_subnet_membership_at_byte_boundaries)
{
	ck_assert(in_subnet("192.0.2.10", "192.0.2.0", 24));
	ck_assert(in_subnet("192.0.2.255", "192.0.2.0", 24));
	ck_assert(!in_subnet("192.0.3.10", "192.0.2.0", 24));
	ck_assert(in_subnet("192.0.3.10", "192.0.0.0", 16));
	ck_assert(!in_subnet("192.1.2.10", "192.0.0.0", 16));
	ck_assert(in_subnet("10.1.2.3", "10.0.0.0", 8));
	ck_assert(!in_subnet("11.1.2.3", "10.0.0.0", 8));
	ck_assert(in_subnet("2001:db8::1", "2001:db8::", 64));
	ck_assert(in_subnet("2001:db8::ffff:ffff:ffff:ffff", "2001:db8::", 64));
	ck_assert(!in_subnet("2001:db8:0:1::1", "2001:db8::", 64));
	ck_assert(in_subnet("2001:db8:1::1", "2001:db8::", 32));
	ck_assert(!in_subnet("2001:db9::1", "2001:db8::", 32));
}
END_TEST

START_TEST(test_subnet_membership_inside_a_byte)
{
	ck_assert(in_subnet("192.0.2.130", "192.0.2.128", 25));
	ck_assert(!in_subnet("192.0.2.127", "192.0.2.128", 25));
	ck_assert(in_subnet("192.0.3.1", "192.0.2.0", 23));
	ck_assert(!in_subnet("192.0.4.1", "192.0.2.0", 23));
	ck_assert(in_subnet("192.0.2.7", "192.0.2.4", 30));
	ck_assert(!in_subnet("192.0.2.8", "192.0.2.4", 30));
	ck_assert(!in_subnet("192.0.2.3", "192.0.2.4", 30));
	ck_assert(in_subnet("192.0.2.5", "192.0.2.4", 31));
	ck_assert(!in_subnet("192.0.2.6", "192.0.2.4", 31));
	ck_assert(in_subnet("127.0.0.1", "0.0.0.0", 1));
	ck_assert(!in_subnet("128.0.0.1", "0.0.0.0", 1));
	ck_assert(in_subnet("2001:db8::7fff:0:0:1", "2001:db8::", 65));
	ck_assert(!in_subnet("2001:db8::8000:0:0:1", "2001:db8::", 65));
	ck_assert(in_subnet("2001:db8::1", "2001:db8::", 127));
	ck_assert(!in_subnet("2001:db8::2", "2001:db8::", 127));
}
END_TEST

START_TEST(test_a_zero_prefix_holds_every_address_of_the_family)
{
	ck_assert(in_subnet("192.0.2.10", "0.0.0.0", 0));
	ck_assert(in_subnet("255.255.255.254", "10.0.0.0", 0));
	ck_assert(in_subnet("2001:db8::1", "::", 0));
	ck_assert(in_subnet("fd00::1", "2001:db8::", 0));
}
END_TEST

START_TEST(test_a_full_length_prefix_holds_only_the_address_itself)
{
	ck_assert(in_subnet("192.0.2.10", "192.0.2.10", 32));
	ck_assert(!in_subnet("192.0.2.11", "192.0.2.10", 32));
	ck_assert(in_subnet("2001:db8::10", "2001:db8::10", 128));
	ck_assert(!in_subnet("2001:db8::11", "2001:db8::10", 128));
}
END_TEST

START_TEST(test_a_prefix_longer_than_the_address_holds_nothing)
{
	ck_assert(!in_subnet("192.0.2.10", "192.0.2.10", 33));
	ck_assert(!in_subnet("2001:db8::10", "2001:db8::10", 129));
}
END_TEST

START_TEST(test_addresses_of_different_families_are_never_in_one_subnet)
{
	ck_assert(!in_subnet("192.0.2.10", "::", 0));
	ck_assert(!in_subnet("::ffff:192.0.2.10", "192.0.2.0", 24));
	ck_assert(!in_subnet("2001:db8::1", "0.0.0.0", 0));
}
END_TEST

START_TEST(test_subnet_membership_rejects_null_arguments)
{
	struct inaddr a = addr_of("192.0.2.10");

	ck_assert(!inaddr_in_subnet(NULL, &a, 24));
	ck_assert(!inaddr_in_subnet(&a, NULL, 24));
}
END_TEST

/* The broadcast of addr/prefix as text, or NULL when there is none. */
static const char *broadcast(const char *addr, unsigned prefix, char *buf)
{
	struct inaddr a = addr_of(addr);
	struct in_addr brd = {.s_addr = 0xa5a5a5a5};

	if (!inaddr_broadcast(&a, prefix, &brd)) {
		ck_assert_uint_eq(brd.s_addr, 0xa5a5a5a5);
		return NULL;
	}
	ck_assert_ptr_nonnull(inet_ntop(AF_INET, &brd, buf, INET_ADDRSTRLEN));
	return buf;
}

START_TEST(test_the_ipv4_broadcast_sets_every_host_bit)
{
	char buf[INET_ADDRSTRLEN];

	ck_assert_str_eq(broadcast("192.0.2.10", 24, buf), "192.0.2.255");
	ck_assert_str_eq(broadcast("192.0.2.5", 30, buf), "192.0.2.7");
	ck_assert_str_eq(broadcast("192.0.2.10", 23, buf), "192.0.3.255");
	ck_assert_str_eq(broadcast("10.1.2.3", 8, buf), "10.255.255.255");
	ck_assert_str_eq(broadcast("10.1.2.3", 1, buf), "127.255.255.255");
	ck_assert_str_eq(broadcast("10.1.2.3", 0, buf), "255.255.255.255");
}
END_TEST

START_TEST(test_point_to_point_and_host_prefixes_have_no_broadcast)
{
	char buf[INET_ADDRSTRLEN];

	ck_assert_ptr_null(broadcast("192.0.2.10", 31, buf));
	ck_assert_ptr_null(broadcast("192.0.2.10", 32, buf));
	ck_assert_ptr_null(broadcast("192.0.2.10", 33, buf));
}
END_TEST

START_TEST(test_ipv6_has_no_broadcast)
{
	char buf[INET_ADDRSTRLEN];
	struct inaddr a = addr_of("192.0.2.10");

	ck_assert_ptr_null(broadcast("2001:db8::10", 64, buf));
	ck_assert(!inaddr_broadcast(NULL, 24, &(struct in_addr){0}));
	ck_assert(!inaddr_broadcast(&a, 24, NULL));
}
END_TEST

static const char *role(const char *ip, unsigned prefix)
{
	struct inaddr a = addr_of(ip);

	return inaddr_subnet_role(&a, prefix);
}

START_TEST(test_the_network_and_broadcast_addresses_of_a_subnet_are_named)
{
	ck_assert_str_eq(role("192.0.2.0", 24), "the network address");
	ck_assert_str_eq(role("192.0.2.255", 24), "the broadcast address");
	ck_assert_str_eq(role("192.0.2.4", 30), "the network address");
	ck_assert_str_eq(role("192.0.2.7", 30), "the broadcast address");
	ck_assert_str_eq(role("192.0.3.255", 23), "the broadcast address");
	ck_assert_str_eq(role("192.0.2.0", 23), "the network address");
	ck_assert_str_eq(role("2001:db8::", 64), "the network address");
	ck_assert_str_eq(role("2001:db8::10:0", 112), "the network address");
	ck_assert_str_eq(role("2001:db8::4", 126), "the network address");
}
END_TEST

START_TEST(test_host_addresses_and_point_to_point_subnets_have_no_role)
{
	struct inaddr odd = {.family = AF_UNIX};

	ck_assert_ptr_null(role("192.0.2.10", 24));
	ck_assert_ptr_null(role("192.0.2.1", 24));
	ck_assert_ptr_null(role("192.0.2.254", 24));
	ck_assert_ptr_null(role("192.0.2.255", 23)); /* a host of 192.0.2.0/23 */
	ck_assert_ptr_null(role("192.0.2.0", 31));
	ck_assert_ptr_null(role("192.0.2.1", 31));
	ck_assert_ptr_null(role("192.0.2.0", 32));
	ck_assert_ptr_null(role("2001:db8::ffff", 112)); /* IPv6 has no broadcast */
	ck_assert_ptr_null(role("2001:db8::", 127));
	ck_assert_ptr_null(role("2001:db8::", 128));
	ck_assert_ptr_null(role("2001:db8::10", 64));
	ck_assert_ptr_null(inaddr_subnet_role(NULL, 24));
	ck_assert_ptr_null(inaddr_subnet_role(&odd, 24));
}
END_TEST

START_TEST(test_addresses_are_formatted_as_inet_ntop_does)
{
	struct inaddr v4 = addr_of("192.0.2.10"), v6 = addr_of("2001:0db8:0000::0010");
	struct inaddr none = {.family = AF_UNSPEC};
	char buf[INADDR_STRLEN];

	ck_assert_str_eq(inaddr_format(&v4, buf), "192.0.2.10");
	ck_assert_ptr_eq(inaddr_format(&v4, buf), buf);
	ck_assert_str_eq(inaddr_format(&v6, buf), "2001:db8::10");
	ck_assert_str_eq(inaddr_format(&none, buf), "?");
}
END_TEST

START_TEST(test_raw_bytes_of_the_family_length_become_an_address)
{
	static const uint8_t v4[4] = {192, 0, 2, 10};
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10};
	struct inaddr a = poisoned();
	char buf[INADDR_STRLEN];

	ck_assert_int_eq(inaddr_from_bytes(AF_INET, v4, sizeof(v4), &a), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_str_eq(inaddr_format(&a, buf), "192.0.2.10");
	/* The rest of the union is zeroed, so whole-struct comparisons work. */
	for (size_t i = 4; i < sizeof(a.bytes); i++)
		ck_assert_uint_eq(a.bytes[i], 0);
	ck_assert_int_eq(inaddr_from_bytes(AF_INET6, v6, sizeof(v6), &a), 0);
	ck_assert_int_eq(a.family, AF_INET6);
	ck_assert_str_eq(inaddr_format(&a, buf), "2001:db8::10");
}
END_TEST

START_TEST(test_raw_bytes_of_another_length_or_family_are_einval)
{
	static const uint8_t bytes[16] = {192, 0, 2, 10};
	struct inaddr a = poisoned();

	ck_assert_int_eq(inaddr_from_bytes(AF_INET, bytes, 16, &a), -EINVAL);
	ck_assert_int_eq(inaddr_from_bytes(AF_INET, bytes, 3, &a), -EINVAL);
	ck_assert_int_eq(inaddr_from_bytes(AF_INET6, bytes, 4, &a), -EINVAL);
	ck_assert_int_eq(inaddr_from_bytes(AF_UNIX, bytes, 4, &a), -EINVAL);
	ck_assert_int_eq(inaddr_from_bytes(AF_UNSPEC, bytes, 0, &a), -EINVAL);
	ck_assert_int_eq(inaddr_from_bytes(AF_INET, NULL, 4, &a), -EINVAL);
	ck_assert_int_eq(inaddr_from_bytes(AF_INET, bytes, 4, NULL), -EINVAL);
	ck_assert_untouched(a);
}
END_TEST

START_TEST(test_lengths_and_equality_follow_the_family)
{
	struct inaddr v4 = addr_of("192.0.2.10"), v6 = addr_of("::c000:20a");

	ck_assert_uint_eq(inaddr_len(AF_INET), 4);
	ck_assert_uint_eq(inaddr_len(AF_INET6), 16);
	ck_assert_uint_eq(inaddr_len(AF_UNIX), 0);
	ck_assert_uint_eq(inaddr_max_prefix(AF_INET), 32);
	ck_assert_uint_eq(inaddr_max_prefix(AF_INET6), 128);
	ck_assert_uint_eq(inaddr_max_prefix(AF_UNSPEC), 0);
	ck_assert(inaddr_equal(&v4, &v4));
	/* Same last four bytes, other family. */
	ck_assert(!inaddr_equal(&v4, &v6));
	v6 = addr_of("192.0.2.11");
	ck_assert(!inaddr_equal(&v4, &v6));
}
END_TEST

static Suite *inaddr_suite(void)
{
	Suite *s = suite_create("inaddr");

	ADD_CASE(s, test_an_ipv4_host_address_is_parsed_into_network_order_bytes, 5);
	ADD_CASE(s, test_the_network_and_broadcast_addresses_of_a_subnet_are_named, 5);
	ADD_CASE(s, test_host_addresses_and_point_to_point_subnets_have_no_role, 5);
	ADD_CASE(s, test_an_ipv6_host_address_is_parsed_into_network_order_bytes, 5);
	ADD_CASE(s, test_a_prefix_in_the_address_points_to_cidr_netmask, 5);
	ADD_CASE(s, test_text_that_is_no_address_is_rejected, 5);
	ADD_CASE(s, test_addresses_no_host_may_float_are_rejected_with_the_reason, 5);
	ADD_CASE(s, test_the_neighbours_of_reserved_ranges_are_accepted, 5);
	ADD_CASE(s, test_parse_host_rejects_null_arguments, 5);
	ADD_CASE(s, test_a_prefix_length_is_read_within_the_family_range, 5);
	ADD_CASE(s, test_a_prefix_length_outside_the_family_range_is_erange, 5);
	ADD_CASE(s, test_a_contiguous_ipv4_netmask_becomes_its_prefix_length, 5);
	ADD_CASE(s, test_a_netmask_with_holes_is_einval, 5);
	ADD_CASE(s, test_the_all_zero_netmask_is_erange, 5);
	ADD_CASE(s, test_a_dotted_netmask_is_einval_for_ipv6, 5);
	ADD_CASE(s, test_a_malformed_prefix_is_einval, 5);
	ADD_CASE(s, test_parse_prefix_rejects_null_arguments_and_other_families, 5);
	ADD_CASE(s, test_subnet_membership_at_byte_boundaries, 5);
	ADD_CASE(s, test_subnet_membership_inside_a_byte, 5);
	ADD_CASE(s, test_a_zero_prefix_holds_every_address_of_the_family, 5);
	ADD_CASE(s, test_a_full_length_prefix_holds_only_the_address_itself, 5);
	ADD_CASE(s, test_a_prefix_longer_than_the_address_holds_nothing, 5);
	ADD_CASE(s, test_addresses_of_different_families_are_never_in_one_subnet, 5);
	ADD_CASE(s, test_subnet_membership_rejects_null_arguments, 5);
	ADD_CASE(s, test_the_ipv4_broadcast_sets_every_host_bit, 5);
	ADD_CASE(s, test_point_to_point_and_host_prefixes_have_no_broadcast, 5);
	ADD_CASE(s, test_ipv6_has_no_broadcast, 5);
	ADD_CASE(s, test_addresses_are_formatted_as_inet_ntop_does, 5);
	ADD_CASE(s, test_raw_bytes_of_the_family_length_become_an_address, 5);
	ADD_CASE(s, test_raw_bytes_of_another_length_or_family_are_einval, 5);
	ADD_CASE(s, test_lengths_and_equality_follow_the_family, 5);
	return s;
}

int main(void)
{
	return check_run(inaddr_suite());
}
