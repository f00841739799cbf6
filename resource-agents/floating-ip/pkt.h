/*
 * Packet-socket I/O for the floating IP: probe for another holder of the
 * address and announce it, on one interface, in-process (no arping, no
 * fork), each wait bounded by the caller's deadline.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arp.h"
#include "deadline.h"
#include "inaddr.h"
#include "ndisc.h"

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

/*
 * The same for claims only (arp_is_claim, ndisc_is_claim): a packet that
 * uses addr from another MAC, not a probe for it. The defender's question.
 */
int pkt_drain_claims(struct pkt *pkt, const struct inaddr *addr, uint8_t ret_mac[6]);

/* Ask for target from the address `from` (ARP request or neighbour solicitation). */
int pkt_solicit(struct pkt *pkt, const struct inaddr *from, const struct inaddr *target);

/* One received ARP or NDP frame on the socket's interface, not one of ours, decoded. */
struct pkt_frame {
	int family;
	uint8_t src_mac[6]; /* the frame's link-layer source */
	union {
		struct arp_info arp;  /* AF_INET */
		struct ndisc_info nd; /* AF_INET6 */
	};
};

/* The MAC a frame speaks for: ARP's sender, NDP's link-layer option or else the source. */
void pkt_frame_holder(const struct pkt_frame *f, uint8_t ret_mac[6]);

typedef bool (*pkt_match_fn)(const struct pkt *pkt, const struct pkt_frame *f, const void *arg);

/* Read without waiting until a frame matches: 1 and the frame, 0 when none did, -errno. */
int pkt_drain(struct pkt *pkt, pkt_match_fn match, const void *arg, struct pkt_frame *ret_frame);

/* pkt_drain(), waiting for frames until `until`: 0 once it passes with no match. */
int pkt_listen(struct pkt *pkt, pkt_match_fn match, const void *arg, deadline_t until,
	       struct pkt_frame *ret_frame);

/*
 * Let the kernel pass only frames that claim addr (a classic BPF program on
 * the socket; pktfilter.h), so a process that waits for claims sleeps
 * through the link's other traffic.
 */
int pkt_filter_claims(struct pkt *pkt, const struct inaddr *addr);

/* "aa:bb:cc:dd:ee:ff" into buf (18 bytes). */
const char *mac_format(const uint8_t mac[6], char buf[18]);
