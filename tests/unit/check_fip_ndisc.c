/*
 * ndisc (floating-ip): the IPv6 duplicate address detection probe and the
 * unsolicited neighbour advertisement, byte for byte against packets
 * written out by hand, with checksums from a separate implementation of
 * RFC 8200 8.1 below (and hand-derived values for the two built packets);
 * the decoder's refusals; which received packets mean a conflict.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "check_common.h"
#include "macro.h"
#include "ndisc.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t other_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

static struct in6_addr in6(const char *s)
{
	struct in6_addr a;

	ck_assert_int_eq(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/*
 * The ICMPv6 checksum of an IPv6 packet, the field itself taken as zero:
 * the pseudo-header (source, destination, 32-bit upper-layer length, three
 * zero bytes, next header 58) laid out in front of the ICMPv6 message,
 * 16-bit big-endian words summed in 64 bits, folded, complemented.
 */
static uint16_t checksum_ref(const uint8_t *packet, size_t len)
{
	uint8_t buf[40 + 256] = {0};
	size_t upper = len - 40, n = 40 + upper;
	uint64_t sum = 0;

	ck_assert_uint_ge(len, 44);
	ck_assert_uint_le(upper, 255);
	memcpy(buf, packet + 8, 32);
	buf[32] = (uint8_t)(upper >> 24);
	buf[33] = (uint8_t)(upper >> 16);
	buf[34] = (uint8_t)(upper >> 8);
	buf[35] = (uint8_t)upper;
	buf[39] = 58;
	memcpy(buf + 40, packet + 40, upper);
	buf[42] = 0;
	buf[43] = 0;
	if (n % 2)
		n++; /* buf is zeroed: the pad byte */
	for (size_t i = 0; i < n; i += 2)
		sum += (uint64_t)buf[i] << 8 | buf[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void set_checksum(uint8_t *packet, size_t len)
{
	uint16_t c = checksum_ref(packet, len);

	packet[42] = (uint8_t)(c >> 8);
	packet[43] = (uint8_t)c;
}

/*
 * An NS or NA of type from src to dst about target, hop limit 255, with
 * the option bytes opts after the 24-byte message, checksummed. Returns
 * its length.
 */
static size_t build(uint8_t *buf, uint8_t type, const char *src, const char *dst,
		    const char *target, const uint8_t *opts, size_t opts_len)
{
	size_t plen = 24 + opts_len;
	struct in6_addr a;

	memset(buf, 0, 40 + plen);
	buf[0] = 0x60;
	buf[4] = (uint8_t)(plen >> 8);
	buf[5] = (uint8_t)plen;
	buf[6] = 58;
	buf[7] = 255;
	a = in6(src);
	memcpy(buf + 8, &a, 16);
	a = in6(dst);
	memcpy(buf + 24, &a, 16);
	buf[40] = type;
	if (type == NDISC_NA)
		buf[44] = 0x60; /* solicited, override */
	a = in6(target);
	memcpy(buf + 48, &a, 16);
	if (opts_len)
		memcpy(buf + 64, opts, opts_len);
	set_checksum(buf, 40 + plen);
	return 40 + plen;
}

/* A link-layer address option (1 source, 2 target) carrying mac. */
static void lladdr_opt(uint8_t *opt, uint8_t kind, const uint8_t mac[6])
{
	opt[0] = kind;
	opt[1] = 1;
	memcpy(opt + 2, mac, 6);
}

START_TEST(test_the_solicited_node_group_keeps_the_last_24_bits)
{
	struct in6_addr addr = in6("2001:db8::50"), group, want = in6("ff02::1:ff00:50");
	static const uint8_t want_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x50};
	uint8_t mac[6];

	ndisc_solicited_node(&addr, &group);
	ck_assert_mem_eq(&group, &want, 16);
	ndisc_multicast_mac(&group, mac);
	ck_assert_mem_eq(mac, want_mac, 6);
}
END_TEST

START_TEST(test_multicast_macs_carry_the_last_32_bits_of_the_group)
{
	struct in6_addr addr = in6("2001:db8::1:2345:6789"), group, want = in6("ff02::1:ff45:6789");
	struct in6_addr all_nodes = in6("ff02::1");
	static const uint8_t want_group_mac[6] = {0x33, 0x33, 0xff, 0x45, 0x67, 0x89};
	static const uint8_t want_all_mac[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
	uint8_t mac[6];

	ndisc_solicited_node(&addr, &group);
	ck_assert_mem_eq(&group, &want, 16);
	ndisc_multicast_mac(&group, mac);
	ck_assert_mem_eq(mac, want_group_mac, 6);
	ndisc_multicast_mac(&all_nodes, mac);
	ck_assert_mem_eq(mac, want_all_mac, 6);
}
END_TEST

START_TEST(test_a_dad_probe_is_an_ns_from_the_unspecified_address_to_the_group)
{
	/* RFC 4862 5.4.2: no source link-layer option when the source is ::. */
	/* clang-format off */
	static const uint8_t want[NDISC_NS_LEN] = {
		0x60, 0, 0, 0,			/* version 6, no class or flow */
		0, 24,				/* payload length */
		58,				/* next header: ICMPv6 */
		255,				/* hop limit */
		0, 0, 0, 0, 0, 0, 0, 0,		/* source :: */
		0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0x02, 0, 0, 0, 0, 0, 0,	/* destination ff02::1:ff00:50 */
		0, 0, 0, 0x01, 0xff, 0, 0, 0x50,
		135, 0,				/* neighbour solicitation, code 0 */
		0x4c, 0x4f,			/* checksum */
		0, 0, 0, 0,			/* reserved */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, /* target 2001:db8::50 */
		0, 0, 0, 0, 0, 0, 0, 0x50,
	};
	/* clang-format on */
	static const uint8_t want_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x00, 0x50};
	struct in6_addr target = in6("2001:db8::50");
	uint8_t buf[NDISC_NS_LEN + 4], mac[6];

	memset(buf, 0xa5, sizeof(buf));
	ndisc_build_dad_probe(buf, &target, mac);
	ck_assert_mem_eq(buf, want, NDISC_NS_LEN);
	for (size_t i = NDISC_NS_LEN; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xa5);
	ck_assert_mem_eq(mac, want_mac, 6);
	ck_assert_uint_eq(checksum_ref(buf, NDISC_NS_LEN), 0x4c4f);
	ck_assert_uint_eq(ndisc_checksum(buf, NDISC_NS_LEN), 0);
}
END_TEST

START_TEST(test_an_announcement_is_an_unsolicited_override_na_to_all_nodes)
{
	/* RFC 4861 7.2.6: solicited flag clear, override set, target link-layer option. */
	/* clang-format off */
	static const uint8_t want[NDISC_NA_LEN] = {
		0x60, 0, 0, 0,			/* version 6, no class or flow */
		0, 32,				/* payload length */
		58,				/* next header: ICMPv6 */
		255,				/* hop limit */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, /* source 2001:db8::50 */
		0, 0, 0, 0, 0, 0, 0, 0x50,
		0xff, 0x02, 0, 0, 0, 0, 0, 0,	/* destination ff02::1 */
		0, 0, 0, 0, 0, 0, 0, 0x01,
		136, 0,				/* neighbour advertisement, code 0 */
		0xf8, 0x8c,			/* checksum */
		0x20, 0, 0, 0,			/* flags: override only */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, /* target 2001:db8::50 */
		0, 0, 0, 0, 0, 0, 0, 0x50,
		2, 1,				/* target link-layer address, 8 bytes */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	};
	/* clang-format on */
	static const uint8_t want_mac[6] = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
	struct in6_addr addr = in6("2001:db8::50");
	uint8_t buf[NDISC_NA_LEN + 4], mac[6];

	memset(buf, 0xa5, sizeof(buf));
	ndisc_build_announce(buf, &addr, our_mac, mac);
	ck_assert_mem_eq(buf, want, NDISC_NA_LEN);
	for (size_t i = NDISC_NA_LEN; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xa5);
	ck_assert_mem_eq(mac, want_mac, 6);
	ck_assert_uint_eq(checksum_ref(buf, NDISC_NA_LEN), 0xf88c);
	ck_assert_uint_eq(ndisc_checksum(buf, NDISC_NA_LEN), 0);
}
END_TEST

START_TEST(test_the_checksum_matches_a_separate_implementation)
{
	uint8_t opt[16], buf[128];
	size_t len;

	lladdr_opt(opt, 1, other_mac);
	len = build(buf, NDISC_NS, "2001:db8::1", "ff02::1:ff00:50", "2001:db8::50", opt, 8);
	buf[42] = buf[43] = 0;
	ck_assert_uint_eq(ndisc_checksum(buf, len), checksum_ref(buf, len));
	/* An odd upper-layer length: the last byte is padded with zero. */
	len = build(buf, NDISC_NA, "2001:db8::1", "ff02::1", "2001:db8::ff", opt, 7);
	ck_assert_uint_eq(len % 2, 1);
	buf[42] = buf[43] = 0;
	ck_assert_uint_eq(ndisc_checksum(buf, len), checksum_ref(buf, len));
	/* A set checksum field verifies to zero. */
	set_checksum(buf, len);
	ck_assert_uint_eq(ndisc_checksum(buf, len), 0);
}
END_TEST

START_TEST(test_a_dad_probe_parses_back)
{
	struct in6_addr target = in6("2001:db8::50"), any = in6("::"),
			group = in6("ff02::1:ff00:50");
	uint8_t buf[NDISC_NS_LEN], mac[6];
	struct ndisc_info info;

	ndisc_build_dad_probe(buf, &target, mac);
	ck_assert_int_eq(ndisc_parse(buf, sizeof(buf), &info), 0);
	ck_assert_uint_eq(info.type, NDISC_NS);
	ck_assert_mem_eq(&info.src, &any, 16);
	ck_assert_mem_eq(&info.dst, &group, 16);
	ck_assert_mem_eq(&info.target, &target, 16);
	ck_assert(!info.has_lladdr);
}
END_TEST

START_TEST(test_an_announcement_parses_back_with_its_link_layer_address)
{
	struct in6_addr addr = in6("2001:db8::50"), all_nodes = in6("ff02::1");
	uint8_t buf[NDISC_NA_LEN], mac[6];
	struct ndisc_info info;

	ndisc_build_announce(buf, &addr, our_mac, mac);
	ck_assert_int_eq(ndisc_parse(buf, sizeof(buf), &info), 0);
	ck_assert_uint_eq(info.type, NDISC_NA);
	ck_assert_mem_eq(&info.src, &addr, 16);
	ck_assert_mem_eq(&info.dst, &all_nodes, 16);
	ck_assert_mem_eq(&info.target, &addr, 16);
	ck_assert(info.has_lladdr);
	ck_assert_mem_eq(info.lladdr, our_mac, 6);
}
END_TEST

START_TEST(test_the_option_of_the_packet_kind_is_found_among_others)
{
	uint8_t opts[24], buf[128];
	struct ndisc_info info;
	size_t len;

	/* A nonce option (RFC 3971, type 14) first, then the source link-layer address. */
	memset(opts, 0, sizeof(opts));
	opts[0] = 14;
	opts[1] = 1;
	lladdr_opt(opts + 8, 1, other_mac);
	len = build(buf, NDISC_NS, "2001:db8::1", "ff02::1:ff00:50", "2001:db8::50", opts, 16);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert_uint_eq(info.type, NDISC_NS);
	ck_assert(info.has_lladdr);
	ck_assert_mem_eq(info.lladdr, other_mac, 6);
}
END_TEST

START_TEST(test_options_of_the_wrong_kind_or_shape_are_ignored)
{
	uint8_t opt[16], buf[128];
	struct ndisc_info info;
	size_t len;

	/* A source link-layer address in an NA, a target one in an NS. */
	lladdr_opt(opt, 1, other_mac);
	len = build(buf, NDISC_NA, "2001:db8::1", "ff02::1", "2001:db8::50", opt, 8);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(!info.has_lladdr);
	lladdr_opt(opt, 2, other_mac);
	len = build(buf, NDISC_NS, "2001:db8::1", "ff02::1:ff00:50", "2001:db8::50", opt, 8);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(!info.has_lladdr);
	/* A zero length ends the options (and must not loop). */
	lladdr_opt(opt, 2, other_mac);
	opt[1] = 0;
	len = build(buf, NDISC_NA, "2001:db8::1", "ff02::1", "2001:db8::50", opt, 8);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(!info.has_lladdr);
	/* Longer than what is left of the packet. */
	lladdr_opt(opt, 2, other_mac);
	opt[1] = 2;
	len = build(buf, NDISC_NA, "2001:db8::1", "ff02::1", "2001:db8::50", opt, 8);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(!info.has_lladdr);
	/* Not an Ethernet address: 16 bytes long. */
	memset(opt, 0, sizeof(opt));
	lladdr_opt(opt, 2, other_mac);
	opt[1] = 2;
	len = build(buf, NDISC_NA, "2001:db8::1", "ff02::1", "2001:db8::50", opt, 16);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(!info.has_lladdr);
}
END_TEST

START_TEST(test_ethernet_padding_after_the_payload_is_ignored)
{
	struct in6_addr addr = in6("2001:db8::50");
	uint8_t buf[NDISC_NA_LEN + 6], mac[6];
	struct ndisc_info info;

	memset(buf, 0xee, sizeof(buf));
	ndisc_build_announce(buf, &addr, our_mac, mac);
	ck_assert_int_eq(ndisc_parse(buf, sizeof(buf), &info), 0);
	ck_assert(info.has_lladdr);
	ck_assert_mem_eq(info.lladdr, our_mac, 6);
}
END_TEST

/* ndisc_parse must fail with -EBADMSG and leave its output alone. */
static void assert_rejected(const uint8_t *buf, size_t len)
{
	struct ndisc_info info, before;

	memset(&info, 0xa5, sizeof(info));
	before = info;
	ck_assert_int_eq(ndisc_parse(buf, len, &info), -EBADMSG);
	ck_assert_mem_eq(&info, &before, sizeof(info));
}

/* A valid announcement of 2001:db8::50 from our_mac into buf (NDISC_NA_LEN). */
static void announce(uint8_t *buf)
{
	struct in6_addr addr = in6("2001:db8::50");
	uint8_t mac[6];

	ndisc_build_announce(buf, &addr, our_mac, mac);
}

START_TEST(test_a_hop_limit_below_255_is_ebadmsg)
{
	uint8_t buf[NDISC_NA_LEN];

	/* RFC 4861 7.1.2: a router forwarded it. The hop limit is not checksummed. */
	announce(buf);
	buf[7] = 254;
	ck_assert_uint_eq(ndisc_checksum(buf, sizeof(buf)), 0);
	assert_rejected(buf, sizeof(buf));
	buf[7] = 1;
	assert_rejected(buf, sizeof(buf));
}
END_TEST

START_TEST(test_a_bad_checksum_is_ebadmsg)
{
	uint8_t buf[NDISC_NA_LEN];

	announce(buf);
	buf[43] ^= 1;
	assert_rejected(buf, sizeof(buf));
	announce(buf);
	buf[63] ^= 0x80; /* the target */
	assert_rejected(buf, sizeof(buf));
	announce(buf);
	buf[8] ^= 1; /* the source: in the pseudo-header */
	assert_rejected(buf, sizeof(buf));
}
END_TEST

START_TEST(test_a_truncated_packet_is_ebadmsg)
{
	struct in6_addr target = in6("2001:db8::50");
	uint8_t buf[NDISC_NA_LEN], mac[6];

	ndisc_build_dad_probe(buf, &target, mac);
	for (size_t len = 0; len < NDISC_NS_LEN; len++)
		assert_rejected(buf, len);
	announce(buf);
	for (size_t len = 0; len < NDISC_NA_LEN; len++)
		assert_rejected(buf, len);
	assert_rejected(NULL, NDISC_NA_LEN);
	ck_assert_int_eq(ndisc_parse(buf, sizeof(buf), NULL), -EBADMSG);
}
END_TEST

START_TEST(test_a_next_header_other_than_icmpv6_is_ebadmsg)
{
	uint8_t buf[NDISC_NA_LEN];

	/* The pseudo-header always says 58, so the checksum still holds. */
	announce(buf);
	buf[6] = 17;
	assert_rejected(buf, sizeof(buf));
	buf[6] = 0; /* hop-by-hop options */
	assert_rejected(buf, sizeof(buf));
}
END_TEST

START_TEST(test_a_payload_length_beyond_the_buffer_is_ebadmsg)
{
	uint8_t buf[NDISC_NA_LEN + 8];

	memset(buf, 0, sizeof(buf));
	announce(buf);
	buf[5] = 33;
	assert_rejected(buf, NDISC_NA_LEN);
	buf[4] = 0xff;
	buf[5] = 0xff;
	assert_rejected(buf, NDISC_NA_LEN);
}
END_TEST

START_TEST(test_a_payload_too_short_for_the_message_is_ebadmsg)
{
	uint8_t buf[NDISC_NA_LEN];

	announce(buf);
	buf[5] = 16;
	set_checksum(buf, 40 + 16);
	assert_rejected(buf, sizeof(buf));
	buf[5] = 0;
	assert_rejected(buf, sizeof(buf));
}
END_TEST

START_TEST(test_other_packets_are_ebadmsg)
{
	uint8_t buf[NDISC_NA_LEN];

	announce(buf);
	buf[0] = 0x45; /* IPv4 */
	assert_rejected(buf, sizeof(buf));
	announce(buf);
	buf[40] = 128; /* echo request */
	set_checksum(buf, sizeof(buf));
	assert_rejected(buf, sizeof(buf));
	announce(buf);
	buf[40] = 133; /* router solicitation */
	set_checksum(buf, sizeof(buf));
	assert_rejected(buf, sizeof(buf));
	announce(buf);
	buf[41] = 1; /* code must be 0 */
	set_checksum(buf, sizeof(buf));
	assert_rejected(buf, sizeof(buf));
}
END_TEST

/* Parse buf and ask whether it shows another holder of 2001:db8::50; frame from frame_mac. */
static bool conflict(const uint8_t *buf, size_t len, const uint8_t frame_mac[6])
{
	struct in6_addr addr = in6("2001:db8::50");
	struct ndisc_info info;

	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	return ndisc_is_conflict(&info, &addr, frame_mac, our_mac);
}

START_TEST(test_an_na_for_the_address_from_another_mac_is_a_conflict)
{
	uint8_t opt[8], buf[128];
	size_t len;

	lladdr_opt(opt, 2, other_mac);
	len = build(buf, NDISC_NA, "2001:db8::50", "ff02::1", "2001:db8::50", opt, 8);
	ck_assert(conflict(buf, len, other_mac));
	/* Solicited, from another source: still the same address elsewhere. */
	len = build(buf, NDISC_NA, "fe80::2", "fe80::1", "2001:db8::50", opt, 8);
	ck_assert(conflict(buf, len, other_mac));
}
END_TEST

START_TEST(test_an_na_from_our_mac_is_no_conflict)
{
	struct in6_addr addr = in6("2001:db8::50");
	uint8_t buf[NDISC_NA_LEN], mac[6];

	ndisc_build_announce(buf, &addr, our_mac, mac);
	ck_assert(!conflict(buf, sizeof(buf), our_mac));
	/* The option names the holder, whatever bridge relayed the frame. */
	ck_assert(!conflict(buf, sizeof(buf), other_mac));
}
END_TEST

START_TEST(test_a_dad_probe_for_the_address_from_another_mac_is_a_conflict)
{
	struct in6_addr target = in6("2001:db8::50");
	uint8_t buf[NDISC_NS_LEN], mac[6];

	/* RFC 4862 5.4.3: another node is checking the same tentative address. */
	ndisc_build_dad_probe(buf, &target, mac);
	ck_assert(conflict(buf, sizeof(buf), other_mac));
	/* Our own probe, looped back. */
	ck_assert(!conflict(buf, sizeof(buf), our_mac));
}
END_TEST

START_TEST(test_an_ns_from_a_unicast_source_is_no_conflict)
{
	uint8_t opt[8], buf[128];
	size_t len;

	/* Address resolution of the holder: normal traffic. */
	lladdr_opt(opt, 1, other_mac);
	len = build(buf, NDISC_NS, "2001:db8::1", "ff02::1:ff00:50", "2001:db8::50", opt, 8);
	ck_assert(!conflict(buf, len, other_mac));
	len = build(buf, NDISC_NS, "2001:db8::1", "ff02::1:ff00:50", "2001:db8::50", NULL, 0);
	ck_assert(!conflict(buf, len, other_mac));
}
END_TEST

START_TEST(test_without_an_option_the_frame_mac_decides)
{
	uint8_t buf[128];
	size_t len;

	len = build(buf, NDISC_NA, "2001:db8::50", "ff02::1", "2001:db8::50", NULL, 0);
	ck_assert(conflict(buf, len, other_mac));
	ck_assert(!conflict(buf, len, our_mac));
}
END_TEST

START_TEST(test_packets_about_other_addresses_are_no_conflict)
{
	struct in6_addr other = in6("2001:db8::51");
	uint8_t opt[8], buf[128], mac[6];
	size_t len;

	lladdr_opt(opt, 2, other_mac);
	len = build(buf, NDISC_NA, "2001:db8::51", "ff02::1", "2001:db8::51", opt, 8);
	ck_assert(!conflict(buf, len, other_mac));
	ndisc_build_dad_probe(buf, &other, mac);
	ck_assert(!conflict(buf, NDISC_NS_LEN, other_mac));
}
END_TEST

START_TEST(test_a_solicitation_asks_from_the_address_with_its_mac)
{
	struct in6_addr src = in6("2001:db8::50"), target = in6("fe80::1"), group;
	uint8_t buf[NDISC_NS_LL_LEN], mac[6], want_mac[6];
	struct ndisc_info info;

	ndisc_build_solicit(buf, &src, &target, our_mac, mac);
	ndisc_solicited_node(&target, &group);
	ndisc_multicast_mac(&group, want_mac);
	ck_assert_mem_eq(mac, want_mac, 6);
	ck_assert_uint_eq(ndisc_checksum(buf, sizeof(buf)), 0);
	ck_assert_uint_eq(checksum_ref(buf, sizeof(buf)), (uint16_t)(buf[42] << 8 | buf[43]));
	ck_assert_int_eq(ndisc_parse(buf, sizeof(buf), &info), 0);
	ck_assert_uint_eq(info.type, NDISC_NS);
	ck_assert_mem_eq(&info.src, &src, 16);
	ck_assert_mem_eq(&info.dst, &group, 16);
	ck_assert_mem_eq(&info.target, &target, 16);
	ck_assert(info.has_lladdr);
	ck_assert_mem_eq(info.lladdr, our_mac, 6);
}
END_TEST

static bool claim(const uint8_t *buf, size_t len, const uint8_t frame_mac[6])
{
	struct in6_addr addr = in6("2001:db8::50");
	struct ndisc_info info;

	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	return ndisc_is_claim(&info, &addr, frame_mac, our_mac);
}

START_TEST(test_only_an_na_from_another_mac_claims_the_address)
{
	struct in6_addr addr = in6("2001:db8::50");
	uint8_t opt[8], buf[128], mac[6];
	size_t len;

	lladdr_opt(opt, 2, other_mac);
	len = build(buf, NDISC_NA, "2001:db8::50", "ff02::1", "2001:db8::50", opt, 8);
	ck_assert(claim(buf, len, other_mac));
	len = build(buf, NDISC_NA, "fe80::2", "2001:db8::1", "2001:db8::50", NULL, 0);
	ck_assert(claim(buf, len, other_mac));
	ck_assert(!claim(buf, len, our_mac));
	/* A DAD probe is a conflict for the starting check, not a claim. */
	ndisc_build_dad_probe(buf, &addr, mac);
	ck_assert(!claim(buf, NDISC_NS_LEN, other_mac));
	len = build(buf, NDISC_NA, "2001:db8::51", "ff02::1", "2001:db8::51", opt, 8);
	ck_assert(!claim(buf, len, other_mac));
}
END_TEST

START_TEST(test_an_answer_is_an_na_for_the_target_sent_to_the_asker)
{
	struct in6_addr gw = in6("fe80::1"), ours = in6("2001:db8::50");
	uint8_t opt[8], buf[128];
	struct ndisc_info info;
	size_t len;

	lladdr_opt(opt, 2, other_mac);
	len = build(buf, NDISC_NA, "fe80::1", "2001:db8::50", "fe80::1", opt, 8);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(ndisc_is_answer(&info, &gw, &ours));
	len = build(buf, NDISC_NA, "fe80::1", "2001:db8::1", "fe80::1", opt, 8);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(!ndisc_is_answer(&info, &gw, &ours));
	len = build(buf, NDISC_NS, "fe80::1", "2001:db8::50", "fe80::1", NULL, 0);
	ck_assert_int_eq(ndisc_parse(buf, len, &info), 0);
	ck_assert(!ndisc_is_answer(&info, &gw, &ours));
}
END_TEST

static Suite *ndisc_suite(void)
{
	Suite *s = suite_create("ndisc");

	ADD_CASE(s, test_the_solicited_node_group_keeps_the_last_24_bits, 5);
	ADD_CASE(s, test_multicast_macs_carry_the_last_32_bits_of_the_group, 5);
	ADD_CASE(s, test_a_dad_probe_is_an_ns_from_the_unspecified_address_to_the_group, 5);
	ADD_CASE(s, test_an_announcement_is_an_unsolicited_override_na_to_all_nodes, 5);
	ADD_CASE(s, test_the_checksum_matches_a_separate_implementation, 5);
	ADD_CASE(s, test_a_dad_probe_parses_back, 5);
	ADD_CASE(s, test_an_announcement_parses_back_with_its_link_layer_address, 5);
	ADD_CASE(s, test_the_option_of_the_packet_kind_is_found_among_others, 5);
	ADD_CASE(s, test_options_of_the_wrong_kind_or_shape_are_ignored, 5);
	ADD_CASE(s, test_ethernet_padding_after_the_payload_is_ignored, 5);
	ADD_CASE(s, test_a_hop_limit_below_255_is_ebadmsg, 5);
	ADD_CASE(s, test_a_bad_checksum_is_ebadmsg, 5);
	ADD_CASE(s, test_a_truncated_packet_is_ebadmsg, 5);
	ADD_CASE(s, test_a_next_header_other_than_icmpv6_is_ebadmsg, 5);
	ADD_CASE(s, test_a_payload_length_beyond_the_buffer_is_ebadmsg, 5);
	ADD_CASE(s, test_a_payload_too_short_for_the_message_is_ebadmsg, 5);
	ADD_CASE(s, test_other_packets_are_ebadmsg, 5);
	ADD_CASE(s, test_an_na_for_the_address_from_another_mac_is_a_conflict, 5);
	ADD_CASE(s, test_an_na_from_our_mac_is_no_conflict, 5);
	ADD_CASE(s, test_a_dad_probe_for_the_address_from_another_mac_is_a_conflict, 5);
	ADD_CASE(s, test_an_ns_from_a_unicast_source_is_no_conflict, 5);
	ADD_CASE(s, test_without_an_option_the_frame_mac_decides, 5);
	ADD_CASE(s, test_packets_about_other_addresses_are_no_conflict, 5);
	ADD_CASE(s, test_a_solicitation_asks_from_the_address_with_its_mac, 5);
	ADD_CASE(s, test_only_an_na_from_another_mac_claims_the_address, 5);
	ADD_CASE(s, test_an_answer_is_an_na_for_the_target_sent_to_the_asker, 5);
	return s;
}

int main(void)
{
	return check_run(ndisc_suite());
}
