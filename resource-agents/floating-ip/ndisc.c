/*
 * Neighbour discovery wire format. The packet socket bypasses the kernel's
 * IPv6 stack, so this code sets the hop limit of 255 that receivers insist
 * on and computes the ICMPv6 checksum over the pseudo-header itself.
 */
#include "ndisc.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#define IP6_HDR_LEN  40
#define ICMP6_NH     58
#define OPT_SRC_LL   1
#define OPT_TGT_LL   2
#define NA_OVERRIDE  0x20
#define ICMP6_OFF(n) (IP6_HDR_LEN + (n))

void ndisc_solicited_node(const struct in6_addr *addr, struct in6_addr *ret_group)
{
	static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};

	memcpy(ret_group->s6_addr, prefix, sizeof(prefix));
	memcpy(ret_group->s6_addr + 13, addr->s6_addr + 13, 3);
}

void ndisc_multicast_mac(const struct in6_addr *group, uint8_t ret_mac[6])
{
	ret_mac[0] = 0x33;
	ret_mac[1] = 0x33;
	memcpy(ret_mac + 2, group->s6_addr + 12, 4);
}

static void ip6_header(uint8_t *buf, uint16_t payload_len, const struct in6_addr *src,
		       const struct in6_addr *dst)
{
	uint32_t vtf = htonl(6u << 28);
	uint16_t plen = htons(payload_len);

	memcpy(buf, &vtf, 4);
	memcpy(buf + 4, &plen, 2);
	buf[6] = ICMP6_NH;
	buf[7] = 255;
	memcpy(buf + 8, src, 16);
	memcpy(buf + 24, dst, 16);
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}

uint16_t ndisc_checksum(const uint8_t *packet, size_t len)
{
	uint8_t pseudo[8] = {0};
	uint32_t upper = (uint32_t)(len - IP6_HDR_LEN);
	uint32_t sum;

	pseudo[0] = (uint8_t)(upper >> 24);
	pseudo[1] = (uint8_t)(upper >> 16);
	pseudo[2] = (uint8_t)(upper >> 8);
	pseudo[3] = (uint8_t)upper;
	pseudo[7] = ICMP6_NH;
	sum = sum16(0, packet + 8, 32); /* source and destination */
	sum = sum16(sum, pseudo, sizeof(pseudo));
	sum = sum16(sum, packet + IP6_HDR_LEN, len - IP6_HDR_LEN);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put_checksum(uint8_t *buf, size_t len)
{
	uint16_t c;

	buf[ICMP6_OFF(2)] = 0;
	buf[ICMP6_OFF(3)] = 0;
	c = ndisc_checksum(buf, len);
	buf[ICMP6_OFF(2)] = (uint8_t)(c >> 8);
	buf[ICMP6_OFF(3)] = (uint8_t)c;
}

void ndisc_build_dad_probe(uint8_t *buf, const struct in6_addr *target, uint8_t ret_dst_mac[6])
{
	struct in6_addr group;

	memset(buf, 0, NDISC_NS_LEN);
	ndisc_solicited_node(target, &group);
	ip6_header(buf, NDISC_NS_LEN - IP6_HDR_LEN, &in6addr_any, &group);
	buf[ICMP6_OFF(0)] = NDISC_NS;
	memcpy(buf + ICMP6_OFF(8), target, 16);
	put_checksum(buf, NDISC_NS_LEN);
	ndisc_multicast_mac(&group, ret_dst_mac);
}

void ndisc_build_announce(uint8_t *buf, const struct in6_addr *addr, const uint8_t mac[6],
			  uint8_t ret_dst_mac[6])
{
	struct in6_addr all_nodes = {{{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}};

	memset(buf, 0, NDISC_NA_LEN);
	ip6_header(buf, NDISC_NA_LEN - IP6_HDR_LEN, addr, &all_nodes);
	buf[ICMP6_OFF(0)] = NDISC_NA;
	buf[ICMP6_OFF(4)] = NA_OVERRIDE;
	memcpy(buf + ICMP6_OFF(8), addr, 16);
	buf[ICMP6_OFF(24)] = OPT_TGT_LL;
	buf[ICMP6_OFF(25)] = 1; /* in units of 8 bytes */
	memcpy(buf + ICMP6_OFF(26), mac, 6);
	put_checksum(buf, NDISC_NA_LEN);
	ndisc_multicast_mac(&all_nodes, ret_dst_mac);
}

void ndisc_build_solicit(uint8_t *buf, const struct in6_addr *src, const struct in6_addr *target,
			 const uint8_t mac[6], uint8_t ret_dst_mac[6])
{
	struct in6_addr group;

	memset(buf, 0, NDISC_NS_LL_LEN);
	ndisc_solicited_node(target, &group);
	ip6_header(buf, NDISC_NS_LL_LEN - IP6_HDR_LEN, src, &group);
	buf[ICMP6_OFF(0)] = NDISC_NS;
	memcpy(buf + ICMP6_OFF(8), target, 16);
	buf[ICMP6_OFF(24)] = OPT_SRC_LL;
	buf[ICMP6_OFF(25)] = 1; /* in units of 8 bytes */
	memcpy(buf + ICMP6_OFF(26), mac, 6);
	put_checksum(buf, NDISC_NS_LL_LEN);
	ndisc_multicast_mac(&group, ret_dst_mac);
}

static void parse_options(const uint8_t *p, size_t len, uint8_t want, struct ndisc_info *info)
{
	while (len >= 8) {
		size_t olen = (size_t)p[1] * 8;

		if (olen == 0 || olen > len)
			return;
		if (p[0] == want && olen == 8) {
			memcpy(info->lladdr, p + 2, 6);
			info->has_lladdr = true;
		}
		p += olen;
		len -= olen;
	}
}

int ndisc_parse(const uint8_t *buf, size_t len, struct ndisc_info *ret_info)
{
	struct ndisc_info info = {0};
	uint16_t plen;

	if (!buf || !ret_info || len < IP6_HDR_LEN + 24 || (buf[0] >> 4) != 6)
		return -EBADMSG;
	memcpy(&plen, buf + 4, 2);
	plen = ntohs(plen);
	if (buf[6] != ICMP6_NH || buf[7] != 255 || (size_t)plen + IP6_HDR_LEN > len || plen < 24)
		return -EBADMSG;
	len = (size_t)plen + IP6_HDR_LEN;
	info.type = buf[ICMP6_OFF(0)];
	if ((info.type != NDISC_NS && info.type != NDISC_NA) || buf[ICMP6_OFF(1)] != 0)
		return -EBADMSG;
	if (ndisc_checksum(buf, len) != 0)
		return -EBADMSG;
	memcpy(&info.src, buf + 8, 16);
	memcpy(&info.dst, buf + 24, 16);
	memcpy(&info.target, buf + ICMP6_OFF(8), 16);
	parse_options(buf + ICMP6_OFF(24), len - ICMP6_OFF(24),
		      info.type == NDISC_NA ? OPT_TGT_LL : OPT_SRC_LL, &info);
	*ret_info = info;
	return 0;
}

bool ndisc_is_conflict(const struct ndisc_info *info, const struct in6_addr *addr,
		       const uint8_t src_mac[6], const uint8_t our_mac[6])
{
	const uint8_t *mac = info->has_lladdr ? info->lladdr : src_mac;

	if (memcmp(mac, our_mac, 6) == 0 || memcmp(&info->target, addr, 16) != 0)
		return false;
	if (info->type == NDISC_NA)
		return true;
	return IN6_IS_ADDR_UNSPECIFIED(&info->src);
}

bool ndisc_is_claim(const struct ndisc_info *info, const struct in6_addr *addr,
		    const uint8_t src_mac[6], const uint8_t our_mac[6])
{
	const uint8_t *mac = info->has_lladdr ? info->lladdr : src_mac;

	return info->type == NDISC_NA && memcmp(&info->target, addr, 16) == 0 &&
	       memcmp(mac, our_mac, 6) != 0;
}

bool ndisc_is_answer(const struct ndisc_info *info, const struct in6_addr *from,
		     const struct in6_addr *to)
{
	return info->type == NDISC_NA && memcmp(&info->target, from, 16) == 0 &&
	       memcmp(&info->dst, to, 16) == 0;
}
