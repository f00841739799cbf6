/*
 * ARP wire format (RFC 826) for Ethernet and IPv4, built by hand: the
 * layout is fixed at 28 bytes and the kernel adds the Ethernet header.
 */
#include "arp.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <netinet/if_ether.h>

static void arp_build(uint8_t *buf, uint16_t op, const uint8_t mac[6], struct in_addr sender,
		      struct in_addr target)
{
	uint16_t v;

	v = htons(ARPHRD_ETHER);
	memcpy(buf + 0, &v, 2);
	v = htons(ETH_P_IP);
	memcpy(buf + 2, &v, 2);
	buf[4] = 6;
	buf[5] = 4;
	v = htons(op);
	memcpy(buf + 6, &v, 2);
	memcpy(buf + 8, mac, 6);
	memcpy(buf + 14, &sender, 4);
	memset(buf + 18, 0, 6);
	memcpy(buf + 24, &target, 4);
}

void arp_build_probe(uint8_t *buf, const uint8_t mac[6], struct in_addr target)
{
	arp_build(buf, ARPOP_REQUEST, mac, (struct in_addr){0}, target);
}

void arp_build_announce(uint8_t *buf, const uint8_t mac[6], struct in_addr ip)
{
	arp_build(buf, ARPOP_REQUEST, mac, ip, ip);
}

void arp_build_request(uint8_t *buf, const uint8_t mac[6], struct in_addr sender,
		       struct in_addr target)
{
	arp_build(buf, ARPOP_REQUEST, mac, sender, target);
}

int arp_parse(const uint8_t *buf, size_t len, struct arp_info *ret_info)
{
	struct arp_info info;
	uint16_t hrd, pro, op;

	if (!buf || !ret_info || len < ARP_PACKET_LEN)
		return -EBADMSG;
	memcpy(&hrd, buf + 0, 2);
	memcpy(&pro, buf + 2, 2);
	memcpy(&op, buf + 6, 2);
	if (ntohs(hrd) != ARPHRD_ETHER || ntohs(pro) != ETH_P_IP || buf[4] != 6 || buf[5] != 4)
		return -EBADMSG;
	op = ntohs(op);
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY)
		return -EBADMSG;
	info.op = op;
	memcpy(info.sender_mac, buf + 8, 6);
	memcpy(&info.sender_ip, buf + 14, 4);
	memcpy(info.target_mac, buf + 18, 6);
	memcpy(&info.target_ip, buf + 24, 4);
	*ret_info = info;
	return 0;
}

bool arp_is_conflict(const struct arp_info *info, struct in_addr ip, const uint8_t our_mac[6])
{
	if (memcmp(info->sender_mac, our_mac, 6) == 0)
		return false;
	if (info->sender_ip.s_addr == ip.s_addr)
		return true;
	/* Another host probing for the same address at the same time. */
	return info->op == ARPOP_REQUEST && info->sender_ip.s_addr == 0 &&
	       info->target_ip.s_addr == ip.s_addr;
}

bool arp_is_claim(const struct arp_info *info, struct in_addr ip, const uint8_t our_mac[6])
{
	return memcmp(info->sender_mac, our_mac, 6) != 0 && info->sender_ip.s_addr == ip.s_addr;
}

bool arp_is_answer(const struct arp_info *info, struct in_addr from, struct in_addr to)
{
	return info->op == ARPOP_REPLY && info->sender_ip.s_addr == from.s_addr &&
	       info->target_ip.s_addr == to.s_addr;
}
