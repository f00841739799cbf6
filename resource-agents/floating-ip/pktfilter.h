/*
 * The classic BPF program that lets only claims of the floating IP through
 * a SOCK_DGRAM packet socket (offsets from the network header): for IPv4 an
 * ARP packet whose sender address is the IP, for IPv6 a neighbour
 * advertisement whose target is the IP. A superset of what arp_is_claim()
 * and ndisc_is_claim() accept (the MAC is compared in user space, where
 * the packet is also fully checked): the filter only spares the defender a
 * wake-up for every other frame on the link. Pure.
 */
#pragma once

#include <linux/filter.h>

#include "inaddr.h"

#define PKTFILTER_MAX 16

/* Fill prog (PKTFILTER_MAX instructions); the number used, or -EINVAL. */
int pktfilter_claims(const struct inaddr *addr, struct sock_filter prog[PKTFILTER_MAX]);
