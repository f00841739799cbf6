/*
 * ARP packets for the floating IP (RFC 5227 terms): the probe asks "who has
 * this address?" from 0.0.0.0 without claiming it; the announcement (a
 * gratuitous ARP request, sender = target = the address) makes neighbours
 * and switches repoint their caches. Pure encoding and decoding of the ARP
 * payload that a SOCK_DGRAM packet socket sends and receives.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define ARP_PACKET_LEN 28

struct arp_info {
	uint16_t op; /* ARPOP_REQUEST or ARPOP_REPLY */
	uint8_t sender_mac[6];
	struct in_addr sender_ip;
	uint8_t target_mac[6];
	struct in_addr target_ip;
};

/* Fill buf (ARP_PACKET_LEN bytes). */
void arp_build_probe(uint8_t *buf, const uint8_t mac[6], struct in_addr target);
void arp_build_announce(uint8_t *buf, const uint8_t mac[6], struct in_addr ip);
/* An ordinary request "who has target? tell sender" (the verify step's question). */
void arp_build_request(uint8_t *buf, const uint8_t mac[6], struct in_addr sender,
		       struct in_addr target);

/* Decode an Ethernet/IPv4 ARP packet. -EBADMSG when it is not one. */
int arp_parse(const uint8_t *buf, size_t len, struct arp_info *ret_info);

/*
 * Whether a received ARP packet shows another host using or claiming ip:
 * it sends from ip (a reply or an announcement), or it probes for ip too.
 */
bool arp_is_conflict(const struct arp_info *info, struct in_addr ip, const uint8_t our_mac[6]);

/*
 * Whether a received ARP packet claims ip for another MAC: it is sent from
 * ip (RFC 5227 2.4's conflicting packet). A probe (sender 0.0.0.0) is not a
 * claim: the kernel answers it, and the prober backs off.
 */
bool arp_is_claim(const struct arp_info *info, struct in_addr ip, const uint8_t our_mac[6]);

/* Whether a received ARP packet is from's reply to a request from `to`. */
bool arp_is_answer(const struct arp_info *info, struct in_addr from, struct in_addr to);
