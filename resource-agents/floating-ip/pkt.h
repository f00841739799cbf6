/*
 * Packet-socket I/O for the floating IP: probe for another holder of the
 * address and announce it, on one interface, in-process (no arping, no
 * fork), each wait bounded by the caller's deadline.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "deadline.h"
#include "inaddr.h"

struct pkt {
	int fd;
	int family;
	int ifindex;
	uint8_t mac[6];
};

#define PKT_INIT                                                                                   \
	{                                                                                          \
		.fd = -1                                                                           \
	}

/* Open a packet socket for family's neighbour protocol (ARP or IPv6) on ifindex. */
int pkt_open(int family, int ifindex, const uint8_t mac[6], struct pkt *ret_pkt);
void pkt_close(struct pkt *pkt);

/* Send one announcement of addr (gratuitous ARP or unsolicited NA). */
int pkt_announce(struct pkt *pkt, const struct inaddr *addr);

/*
 * Probe for another holder of addr: `probes` probes, wait_ms apart, listening
 * until wait_ms after the last one (never past deadline). Returns 1 and the
 * holder's MAC on a conflict, 0 when nobody answered, -errno.
 */
int pkt_probe(struct pkt *pkt, const struct inaddr *addr, unsigned probes, unsigned wait_ms,
	      deadline_t deadline, uint8_t ret_mac[6]);

/*
 * Read what has arrived without waiting, looking for another holder of addr
 * (used while the kernel runs DAD). 1 + MAC on a conflict, 0 otherwise.
 */
int pkt_drain_conflicts(struct pkt *pkt, const struct inaddr *addr, uint8_t ret_mac[6]);

/* "aa:bb:cc:dd:ee:ff" into buf (18 bytes). */
const char *mac_format(const uint8_t mac[6], char buf[18]);
