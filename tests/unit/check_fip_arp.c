/*
 * arp (floating-ip): the RFC 5227 probe and announcement, byte for byte
 * against packets written out by hand, the decoder's refusals, and which
 * received packets mean that another host holds the address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if_arp.h>

#include "arp.h"
#include "check_common.h"
#include "macro.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t other_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* A reply from 02:00:00:00:00:02 / 192.0.2.10 to 02:00:00:00:00:01 / 192.0.2.1. */
static const uint8_t reply[ARP_PACKET_LEN] = {
	0x00, 0x01,			    /* hardware: Ethernet */
	0x08, 0x00,			    /* protocol: IPv4 */
	6,    4,			    /* address lengths */
	0x00, 0x02,			    /* op: reply */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, /* sender MAC */
	192,  0,    2,	  10,		    /* sender IP */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* target MAC */
	192,  0,    2,	  1,		    /* target IP */
};

START_TEST(test_a_probe_asks_for_the_address_from_0_0_0_0)
{
	/* RFC 5227 2.1.1: sender IP all zero, target MAC zero, target IP the address. */
	static const uint8_t want[ARP_PACKET_LEN] = {
		0x00, 0x01,			    /* hardware: Ethernet */
		0x08, 0x00,			    /* protocol: IPv4 */
		6,    4,			    /* address lengths */
		0x00, 0x01,			    /* op: request */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* sender MAC: ours */
		0,    0,    0,	  0,		    /* sender IP: 0.0.0.0 */
		0,    0,    0,	  0,	0,    0,    /* target MAC: unknown */
		192,  0,    2,	  10,		    /* target IP: the address */
	};
	uint8_t buf[ARP_PACKET_LEN + 4];

	memset(buf, 0xa5, sizeof(buf));
	arp_build_probe(buf, our_mac, ip4("192.0.2.10"));
	ck_assert_mem_eq(buf, want, ARP_PACKET_LEN);
	/* Not a byte more. */
	for (size_t i = ARP_PACKET_LEN; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xa5);
}
END_TEST

START_TEST(test_an_announcement_is_a_request_from_and_for_the_address)
{
	/* RFC 5227 2.3: sender IP = target IP = the address, target MAC zero. */
	static const uint8_t want[ARP_PACKET_LEN] = {
		0x00, 0x01,			    /* hardware: Ethernet */
		0x08, 0x00,			    /* protocol: IPv4 */
		6,    4,			    /* address lengths */
		0x00, 0x01,			    /* op: request */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* sender MAC: ours */
		192,  0,    2,	  10,		    /* sender IP: the address */
		0,    0,    0,	  0,	0,    0,    /* target MAC: unknown */
		192,  0,    2,	  10,		    /* target IP: the address */
	};
	uint8_t buf[ARP_PACKET_LEN + 4];

	memset(buf, 0xa5, sizeof(buf));
	arp_build_announce(buf, our_mac, ip4("192.0.2.10"));
	ck_assert_mem_eq(buf, want, ARP_PACKET_LEN);
	for (size_t i = ARP_PACKET_LEN; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xa5);
}
END_TEST

START_TEST(test_built_packets_parse_back_to_what_was_built)
{
	static const uint8_t zero[6] = {0};
	uint8_t buf[ARP_PACKET_LEN];
	struct arp_info info;

	arp_build_probe(buf, our_mac, ip4("192.0.2.10"));
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &info), 0);
	ck_assert_uint_eq(info.op, ARPOP_REQUEST);
	ck_assert_mem_eq(info.sender_mac, our_mac, 6);
	ck_assert_uint_eq(info.sender_ip.s_addr, 0);
	ck_assert_mem_eq(info.target_mac, zero, 6);
	ck_assert_uint_eq(info.target_ip.s_addr, ip4("192.0.2.10").s_addr);

	arp_build_announce(buf, our_mac, ip4("192.0.2.10"));
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &info), 0);
	ck_assert_uint_eq(info.op, ARPOP_REQUEST);
	ck_assert_mem_eq(info.sender_mac, our_mac, 6);
	ck_assert_uint_eq(info.sender_ip.s_addr, ip4("192.0.2.10").s_addr);
	ck_assert_mem_eq(info.target_mac, zero, 6);
	ck_assert_uint_eq(info.target_ip.s_addr, ip4("192.0.2.10").s_addr);
}
END_TEST

START_TEST(test_a_reply_is_decoded_field_by_field)
{
	struct arp_info info;

	ck_assert_int_eq(arp_parse(reply, sizeof(reply), &info), 0);
	ck_assert_uint_eq(info.op, ARPOP_REPLY);
	ck_assert_mem_eq(info.sender_mac, other_mac, 6);
	ck_assert_uint_eq(info.sender_ip.s_addr, ip4("192.0.2.10").s_addr);
	ck_assert_mem_eq(info.target_mac, our_mac, 6);
	ck_assert_uint_eq(info.target_ip.s_addr, ip4("192.0.2.1").s_addr);
}
END_TEST

START_TEST(test_ethernet_padding_after_the_packet_is_ignored)
{
	uint8_t buf[46];
	struct arp_info info;

	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, reply, sizeof(reply));
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &info), 0);
	ck_assert_uint_eq(info.op, ARPOP_REPLY);
	ck_assert_uint_eq(info.target_ip.s_addr, ip4("192.0.2.1").s_addr);
}
END_TEST

/* arp_parse must fail with -EBADMSG and leave its output alone. */
static void assert_rejected(const uint8_t *buf, size_t len)
{
	struct arp_info info, before;

	memset(&info, 0xa5, sizeof(info));
	before = info;
	ck_assert_int_eq(arp_parse(buf, len, &info), -EBADMSG);
	ck_assert_mem_eq(&info, &before, sizeof(info));
}

START_TEST(test_a_packet_shorter_than_28_bytes_is_ebadmsg)
{
	for (size_t len = 0; len < ARP_PACKET_LEN; len++)
		assert_rejected(reply, len);
	assert_rejected(NULL, ARP_PACKET_LEN);
	ck_assert_int_eq(arp_parse(reply, sizeof(reply), NULL), -EBADMSG);
}
END_TEST

/* reply with the byte at off replaced by v. */
static void assert_rejected_with(size_t off, uint8_t v)
{
	uint8_t buf[ARP_PACKET_LEN];

	memcpy(buf, reply, sizeof(buf));
	buf[off] = v;
	assert_rejected(buf, sizeof(buf));
}

START_TEST(test_a_non_ethernet_packet_is_ebadmsg)
{
	assert_rejected_with(1, 6); /* IEEE 802 */
	assert_rejected_with(0, 1); /* 0x0101 */
	assert_rejected_with(4, 8); /* EUI-64 length */
	assert_rejected_with(4, 0);
}
END_TEST

START_TEST(test_a_non_ipv4_packet_is_ebadmsg)
{
	uint8_t buf[ARP_PACKET_LEN];

	assert_rejected_with(5, 16);   /* IPv6 length */
	assert_rejected_with(2, 0x86); /* 0x8600 */
	memcpy(buf, reply, sizeof(buf));
	buf[2] = 0x86; /* IPv6 ethertype 0x86dd */
	buf[3] = 0xdd;
	assert_rejected(buf, sizeof(buf));
}
END_TEST

START_TEST(test_an_unknown_operation_is_ebadmsg)
{
	assert_rejected_with(7, 0); /* 0 */
	assert_rejected_with(7, 3); /* RARP request */
	assert_rejected_with(7, 4); /* RARP reply */
	assert_rejected_with(6, 1); /* 0x0102 */
}
END_TEST

/* An arp_info as a packet from mac / sender about target, decoded. */
static struct arp_info info_of(uint16_t op, const uint8_t mac[6], const char *sender,
			       const char *target)
{
	struct arp_info info = {.op = op};

	memcpy(info.sender_mac, mac, 6);
	info.sender_ip = ip4(sender);
	info.target_ip = ip4(target);
	return info;
}

START_TEST(test_a_reply_from_another_mac_with_our_address_is_a_conflict)
{
	struct arp_info info;

	ck_assert_int_eq(arp_parse(reply, sizeof(reply), &info), 0);
	ck_assert(arp_is_conflict(&info, ip4("192.0.2.10"), our_mac));
}
END_TEST

START_TEST(test_an_announcement_from_another_mac_is_a_conflict)
{
	struct arp_info info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.10", "192.0.2.10");

	ck_assert(arp_is_conflict(&info, ip4("192.0.2.10"), our_mac));
	/* Asking for someone else from our address uses it too. */
	info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.10", "192.0.2.1");
	ck_assert(arp_is_conflict(&info, ip4("192.0.2.10"), our_mac));
}
END_TEST

START_TEST(test_our_own_packets_are_no_conflict)
{
	uint8_t buf[ARP_PACKET_LEN];
	struct arp_info info;

	arp_build_announce(buf, our_mac, ip4("192.0.2.10"));
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &info), 0);
	ck_assert(!arp_is_conflict(&info, ip4("192.0.2.10"), our_mac));
	arp_build_probe(buf, our_mac, ip4("192.0.2.10"));
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &info), 0);
	ck_assert(!arp_is_conflict(&info, ip4("192.0.2.10"), our_mac));
	info = info_of(ARPOP_REPLY, our_mac, "192.0.2.10", "192.0.2.1");
	ck_assert(!arp_is_conflict(&info, ip4("192.0.2.10"), our_mac));
}
END_TEST

START_TEST(test_a_simultaneous_probe_from_another_mac_is_a_conflict)
{
	uint8_t buf[ARP_PACKET_LEN];
	struct arp_info info;

	/* RFC 5227 2.1.1: another host probing for the same address at the same time. */
	arp_build_probe(buf, other_mac, ip4("192.0.2.10"));
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &info), 0);
	ck_assert(arp_is_conflict(&info, ip4("192.0.2.10"), our_mac));
}
END_TEST

START_TEST(test_unrelated_traffic_is_no_conflict)
{
	const struct in_addr ours = ip4("192.0.2.10");
	struct arp_info info;

	/* Another host resolving some other address. */
	info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.1", "192.0.2.2");
	ck_assert(!arp_is_conflict(&info, ours, our_mac));
	/* Another host resolving our address: normal traffic to the holder. */
	info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.1", "192.0.2.10");
	ck_assert(!arp_is_conflict(&info, ours, our_mac));
	/* A reply about someone else. */
	info = info_of(ARPOP_REPLY, other_mac, "192.0.2.1", "192.0.2.10");
	ck_assert(!arp_is_conflict(&info, ours, our_mac));
	/* A probe for another address. */
	info = info_of(ARPOP_REQUEST, other_mac, "0.0.0.0", "192.0.2.11");
	ck_assert(!arp_is_conflict(&info, ours, our_mac));
	/* A reply cannot be a probe, even from 0.0.0.0. */
	info = info_of(ARPOP_REPLY, other_mac, "0.0.0.0", "192.0.2.10");
	ck_assert(!arp_is_conflict(&info, ours, our_mac));
}
END_TEST

START_TEST(test_a_request_asks_for_the_target_from_the_sender)
{
	uint8_t buf[ARP_PACKET_LEN];
	struct arp_info info;

	arp_build_request(buf, our_mac, ip4("192.0.2.10"), ip4("192.0.2.254"));
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &info), 0);
	ck_assert_uint_eq(info.op, ARPOP_REQUEST);
	ck_assert_mem_eq(info.sender_mac, our_mac, 6);
	ck_assert_uint_eq(info.sender_ip.s_addr, ip4("192.0.2.10").s_addr);
	ck_assert_uint_eq(info.target_ip.s_addr, ip4("192.0.2.254").s_addr);
	ck_assert_mem_eq(info.target_mac, (uint8_t[6]){0}, 6);
}
END_TEST

START_TEST(test_a_claim_is_a_packet_from_the_address_by_another_mac)
{
	const struct in_addr ours = ip4("192.0.2.10");
	struct arp_info info;

	info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.10", "192.0.2.10");
	ck_assert(arp_is_claim(&info, ours, our_mac));
	info = info_of(ARPOP_REPLY, other_mac, "192.0.2.10", "192.0.2.1");
	ck_assert(arp_is_claim(&info, ours, our_mac));
	info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.10", "192.0.2.1");
	ck_assert(arp_is_claim(&info, ours, our_mac));
	/* Our own announcement, and a probe (the kernel answers it; the prober backs off). */
	info = info_of(ARPOP_REQUEST, our_mac, "192.0.2.10", "192.0.2.10");
	ck_assert(!arp_is_claim(&info, ours, our_mac));
	info = info_of(ARPOP_REQUEST, other_mac, "0.0.0.0", "192.0.2.10");
	ck_assert(!arp_is_claim(&info, ours, our_mac));
	info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.1", "192.0.2.10");
	ck_assert(!arp_is_claim(&info, ours, our_mac));
}
END_TEST

START_TEST(test_an_answer_is_the_targets_reply_to_the_asker)
{
	struct in_addr gw = ip4("192.0.2.254"), ours = ip4("192.0.2.10");
	struct arp_info info;

	info = info_of(ARPOP_REPLY, other_mac, "192.0.2.254", "192.0.2.10");
	ck_assert(arp_is_answer(&info, gw, ours));
	/* Its request, a reply to another host, another host's reply. */
	info = info_of(ARPOP_REQUEST, other_mac, "192.0.2.254", "192.0.2.10");
	ck_assert(!arp_is_answer(&info, gw, ours));
	info = info_of(ARPOP_REPLY, other_mac, "192.0.2.254", "192.0.2.1");
	ck_assert(!arp_is_answer(&info, gw, ours));
	info = info_of(ARPOP_REPLY, other_mac, "192.0.2.253", "192.0.2.10");
	ck_assert(!arp_is_answer(&info, gw, ours));
}
END_TEST

static Suite *arp_suite(void)
{
	Suite *s = suite_create("arp");

	ADD_CASE(s, test_a_probe_asks_for_the_address_from_0_0_0_0, 5);
	ADD_CASE(s, test_an_announcement_is_a_request_from_and_for_the_address, 5);
	ADD_CASE(s, test_built_packets_parse_back_to_what_was_built, 5);
	ADD_CASE(s, test_a_reply_is_decoded_field_by_field, 5);
	ADD_CASE(s, test_ethernet_padding_after_the_packet_is_ignored, 5);
	ADD_CASE(s, test_a_packet_shorter_than_28_bytes_is_ebadmsg, 5);
	ADD_CASE(s, test_a_non_ethernet_packet_is_ebadmsg, 5);
	ADD_CASE(s, test_a_non_ipv4_packet_is_ebadmsg, 5);
	ADD_CASE(s, test_an_unknown_operation_is_ebadmsg, 5);
	ADD_CASE(s, test_a_reply_from_another_mac_with_our_address_is_a_conflict, 5);
	ADD_CASE(s, test_an_announcement_from_another_mac_is_a_conflict, 5);
	ADD_CASE(s, test_our_own_packets_are_no_conflict, 5);
	ADD_CASE(s, test_a_simultaneous_probe_from_another_mac_is_a_conflict, 5);
	ADD_CASE(s, test_unrelated_traffic_is_no_conflict, 5);
	ADD_CASE(s, test_a_request_asks_for_the_target_from_the_sender, 5);
	ADD_CASE(s, test_a_claim_is_a_packet_from_the_address_by_another_mac, 5);
	ADD_CASE(s, test_an_answer_is_the_targets_reply_to_the_asker, 5);
	return s;
}

int main(void)
{
	return check_run(arp_suite());
}
