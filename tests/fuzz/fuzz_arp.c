/*
 * fuzz_arp: whatever a packet socket delivers on the ARP protocol goes
 * through arp_parse() and, when it decodes, arp_is_conflict(). The decoder
 * must take exactly the bytes it names, and the conflict rule must never
 * blame our own MAC address nor miss another host sending from ours.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if_arp.h>

#include "arp.h"
#include "fuzz.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

/* A packet built by arp.c decodes to what it was built from. */
static void check_round_trip(const struct arp_info *info)
{
	uint8_t buf[ARP_PACKET_LEN];
	struct arp_info again;

	arp_build_probe(buf, info->sender_mac, info->target_ip);
	FUZZ_ASSERT(arp_parse(buf, sizeof(buf), &again) == 0);
	FUZZ_ASSERT(again.op == ARPOP_REQUEST && again.sender_ip.s_addr == 0);
	FUZZ_ASSERT(memcmp(again.sender_mac, info->sender_mac, 6) == 0);
	FUZZ_ASSERT(again.target_ip.s_addr == info->target_ip.s_addr);
	arp_build_announce(buf, info->sender_mac, info->sender_ip);
	FUZZ_ASSERT(arp_parse(buf, sizeof(buf), &again) == 0);
	FUZZ_ASSERT(again.sender_ip.s_addr == info->sender_ip.s_addr);
	FUZZ_ASSERT(again.target_ip.s_addr == info->sender_ip.s_addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in_addr ip = {.s_addr = htonl(0xc000020a)}; /* 192.0.2.10 */
	struct arp_info info;
	bool ours;

	if (arp_parse(data, size, &info) < 0)
		return 0;
	FUZZ_ASSERT(size >= ARP_PACKET_LEN);
	FUZZ_ASSERT(info.op == ARPOP_REQUEST || info.op == ARPOP_REPLY);
	FUZZ_ASSERT(memcmp(info.sender_mac, data + 8, 6) == 0);
	FUZZ_ASSERT(memcmp(&info.sender_ip, data + 14, 4) == 0);
	FUZZ_ASSERT(memcmp(info.target_mac, data + 18, 6) == 0);
	FUZZ_ASSERT(memcmp(&info.target_ip, data + 24, 4) == 0);

	ours = memcmp(info.sender_mac, our_mac, 6) == 0;
	if (ours)
		FUZZ_ASSERT(!arp_is_conflict(&info, ip, our_mac));
	else if (info.sender_ip.s_addr == ip.s_addr)
		FUZZ_ASSERT(arp_is_conflict(&info, ip, our_mac));
	/* A sender never conflicts with itself. */
	FUZZ_ASSERT(!arp_is_conflict(&info, info.sender_ip, info.sender_mac));
	(void)arp_is_conflict(&info, info.target_ip, our_mac);
	/* The defender's claims: conflicts, but never a probe, never from our MAC. */
	if (arp_is_claim(&info, ip, our_mac))
		FUZZ_ASSERT(arp_is_conflict(&info, ip, our_mac) &&
			    info.sender_ip.s_addr == ip.s_addr);
	if (ours)
		FUZZ_ASSERT(!arp_is_claim(&info, ip, our_mac));
	check_round_trip(&info);
	return 0;
}
