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
 * How the conflict check probes: `probes` probes interval_ms apart, then one
 * wait of wait_ms after the last. Probes close together survive a lost frame
 * without paying a round trip each; the single wait bounds how late an
 * answer may come. Worst case (probes - 1) x interval_ms + wait_ms.
 */
struct pkt_probe_plan {
	unsigned probes;
	unsigned interval_ms;
	unsigned wait_ms;
};

/*
 * Probe for another holder of addr as plan says, listening all along (never
 * past deadline). Returns 1 and the holder's MAC on a conflict, 0 when nobody
 * answered, -errno.
 */
int pkt_probe(struct pkt *pkt, const struct inaddr *addr, const struct pkt_probe_plan *plan,
	      deadline_t deadline, uint8_t ret_mac[6]);

/*
 * Read what has arrived without waiting, looking for another holder of addr
 * (used while the kernel runs DAD). 1 + MAC on a conflict, 0 otherwise.
 */
int pkt_drain_conflicts(struct pkt *pkt, const struct inaddr *addr, uint8_t ret_mac[6]);

/* "aa:bb:cc:dd:ee:ff" into buf (18 bytes). */
const char *mac_format(const uint8_t mac[6], char buf[18]);
