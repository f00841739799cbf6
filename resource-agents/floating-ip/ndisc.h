/*
 * IPv6 neighbour discovery packets for the floating IP: the duplicate
 * address detection probe (a neighbour solicitation from :: to the target's
 * solicited-node group) and the unsolicited neighbour advertisement that
 * announces a new location (RFC 4861 7.2.6). Whole IPv6 packets, as a
 * SOCK_DGRAM packet socket carries them; pure encoding and decoding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define NDISC_NS_LEN	(40 + 24)
#define NDISC_NA_LEN	(40 + 32)
#define NDISC_NS_LL_LEN (40 + 32) /* a solicitation with the source link-layer option */

enum {
	NDISC_NS = 135,
	NDISC_NA = 136,
};

struct ndisc_info {
	uint8_t type; /* NDISC_NS or NDISC_NA */
	struct in6_addr src, dst, target;
	bool has_lladdr; /* source (NS) or target (NA) link-layer address option */
	uint8_t lladdr[6];
};

/* Solicited-node multicast group of addr (ff02::1:ffXX:XXXX) and its MAC. */
void ndisc_solicited_node(const struct in6_addr *addr, struct in6_addr *ret_group);
void ndisc_multicast_mac(const struct in6_addr *group, uint8_t ret_mac[6]);

/* Fill buf (NDISC_NS_LEN): DAD probe for target; ret_dst_mac gets the L2 destination. */
void ndisc_build_dad_probe(uint8_t *buf, const struct in6_addr *target, uint8_t ret_dst_mac[6]);

/* Fill buf (NDISC_NA_LEN): unsolicited, override, to all nodes; ret_dst_mac as above. */
void ndisc_build_announce(uint8_t *buf, const struct in6_addr *addr, const uint8_t mac[6],
			  uint8_t ret_dst_mac[6]);

/*
 * Fill buf (NDISC_NS_LL_LEN): an ordinary solicitation for target from src
 * (the verify step's question), to target's solicited-node group, carrying
 * mac so that the answer needs no resolution of src first.
 */
void ndisc_build_solicit(uint8_t *buf, const struct in6_addr *src, const struct in6_addr *target,
			 const uint8_t mac[6], uint8_t ret_dst_mac[6]);

/* Decode an NS or NA packet, verifying hop limit 255 and the checksum. -EBADMSG else. */
int ndisc_parse(const uint8_t *buf, size_t len, struct ndisc_info *ret_info);

/*
 * Whether a received NS/NA shows another host using or claiming addr: an
 * advertisement for addr, or a DAD probe for addr (from ::). src_mac is the
 * frame's link-layer source, used when the packet carries no option.
 */
bool ndisc_is_conflict(const struct ndisc_info *info, const struct in6_addr *addr,
		       const uint8_t src_mac[6], const uint8_t our_mac[6]);

/*
 * Whether a received NS/NA claims addr for another MAC: an advertisement
 * for it. A DAD probe is not a claim (the kernel answers it; the prober
 * backs off).
 */
bool ndisc_is_claim(const struct ndisc_info *info, const struct in6_addr *addr,
		    const uint8_t src_mac[6], const uint8_t our_mac[6]);

/* Whether a received NS/NA is from's advertisement answering a solicitation sent from `to`. */
bool ndisc_is_answer(const struct ndisc_info *info, const struct in6_addr *from,
		     const struct in6_addr *to);

/* The ICMPv6 checksum of an IPv6 packet whose payload is ICMPv6 (pure). */
uint16_t ndisc_checksum(const uint8_t *packet, size_t len);
