/*
 * The verify step after start: ask a neighbour (the gateway, or the address
 * configured) for its link-layer address from the floating IP itself, and
 * wait for the answer. An answer proves more than the link's carrier: a
 * frame from the new location reached the neighbour, and its reply,
 * addressed to the floating IP at this node's MAC, came back through
 * whatever lies between (switch ports, VLANs, ARP inspection).
 */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "pkt.h"

/* Requests sent within the wait: one lost frame must not fail a start. */
#define VERIFY_REQUESTS 4

struct verify_result {
	uint64_t latency_us; /* from the first request to the answer */
	unsigned requests;   /* sent before the answer came */
	uint8_t mac[6];	     /* the answer's link-layer address */
};

/*
 * Ask target from `from` VERIFY_REQUESTS times, evenly within wait_ms,
 * listening all along, never past deadline. 0 and the result once it
 * answers; -ETIME when it did not; -errno.
 */
int verify_neighbour(struct pkt *pkt, const struct inaddr *from, const struct inaddr *target,
		     uint64_t wait_ms, deadline_t deadline, struct verify_result *ret);
