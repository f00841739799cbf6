/*
 * AF_PACKET/SOCK_DGRAM sockets: the kernel adds the Ethernet header from
 * sockaddr_ll, we write ARP payloads or whole IPv6 packets. Outgoing copies
 * of our own frames are skipped by packet type and by source MAC.
 */
#include "pkt.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#include "arp.h"
#include "macro.h"
#include "ndisc.h"
#include "pktfilter.h"

static uint16_t pkt_proto(int family)
{
	return family == AF_INET ? ETH_P_ARP : ETH_P_IPV6;
}

int pkt_open(int family, int ifindex, const uint8_t mac[6], struct pkt *ret_pkt)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(pkt_proto(family)),
		.sll_ifindex = ifindex,
	};
	_cleanup_close_ int fd = -1;

	if (!ret_pkt || !mac || ifindex <= 0 || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	/*
	 * Protocol 0 here, the real one in bind(): a socket created with a
	 * protocol is already hooked in, and re-binding it waits for an RCU
	 * grace period (synchronize_net, 10-20 ms on a busy node: a third of
	 * the conflict check's budget). Nor can it queue frames from other
	 * interfaces meanwhile.
	 */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return negative_errno();
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return negative_errno();
	ret_pkt->family = family;
	ret_pkt->ifindex = ifindex;
	memcpy(ret_pkt->mac, mac, 6);
	ret_pkt->fd = TAKE_FD(fd);
	return 0;
}

void pkt_close(struct pkt *pkt)
{
	if (pkt && pkt->fd >= 0) {
		close(pkt->fd);
		pkt->fd = -1;
	}
}

static int pkt_send(struct pkt *pkt, const void *buf, size_t len, const uint8_t dst[6])
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(pkt_proto(pkt->family)),
		.sll_ifindex = pkt->ifindex,
		.sll_halen = 6,
	};

	memcpy(sll.sll_addr, dst, 6);
	if (sendto(pkt->fd, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return negative_errno();
	return 0;
}

static const uint8_t broadcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

int pkt_announce(struct pkt *pkt, const struct inaddr *addr)
{
	uint8_t buf[NDISC_NA_LEN], dst[6];

	if (!pkt || pkt->fd < 0 || !addr || addr->family != pkt->family)
		return -EINVAL;
	if (addr->family == AF_INET) {
		arp_build_announce(buf, pkt->mac, addr->v4);
		return pkt_send(pkt, buf, ARP_PACKET_LEN, broadcast_mac);
	}
	ndisc_build_announce(buf, &addr->v6, pkt->mac, dst);
	return pkt_send(pkt, buf, NDISC_NA_LEN, dst);
}

static int send_probe(struct pkt *pkt, const struct inaddr *addr)
{
	uint8_t buf[NDISC_NS_LEN], dst[6];

	if (addr->family == AF_INET) {
		arp_build_probe(buf, pkt->mac, addr->v4);
		return pkt_send(pkt, buf, ARP_PACKET_LEN, broadcast_mac);
	}
	ndisc_build_dad_probe(buf, &addr->v6, dst);
	return pkt_send(pkt, buf, NDISC_NS_LEN, dst);
}

int pkt_solicit(struct pkt *pkt, const struct inaddr *from, const struct inaddr *target)
{
	uint8_t buf[NDISC_NS_LL_LEN], dst[6];

	if (!pkt || pkt->fd < 0 || !from || !target || from->family != pkt->family ||
	    target->family != pkt->family)
		return -EINVAL;
	if (from->family == AF_INET) {
		arp_build_request(buf, pkt->mac, from->v4, target->v4);
		return pkt_send(pkt, buf, ARP_PACKET_LEN, broadcast_mac);
	}
	ndisc_build_solicit(buf, &from->v6, &target->v6, pkt->mac, dst);
	return pkt_send(pkt, buf, NDISC_NS_LL_LEN, dst);
}

/* Decode one received frame: false when it is ours, from elsewhere, or not ARP/NDP. */
static bool frame_decode(const struct pkt *pkt, const uint8_t *buf, size_t len,
			 const struct sockaddr_ll *from, struct pkt_frame *ret)
{
	/* Frames queued between socket() and bind() may come from any interface. */
	if (from->sll_pkttype == PACKET_OUTGOING || from->sll_halen != 6 ||
	    from->sll_ifindex != pkt->ifindex)
		return false;
	ret->family = pkt->family;
	memcpy(ret->src_mac, from->sll_addr, 6);
	if (pkt->family == AF_INET)
		return arp_parse(buf, len, &ret->arp) == 0;
	return ndisc_parse(buf, len, &ret->nd) == 0;
}

void pkt_frame_holder(const struct pkt_frame *f, uint8_t ret_mac[6])
{
	if (f->family == AF_INET)
		memcpy(ret_mac, f->arp.sender_mac, 6);
	else
		memcpy(ret_mac, f->nd.has_lladdr ? f->nd.lladdr : f->src_mac, 6);
}

int pkt_drain(struct pkt *pkt, pkt_match_fn match, const void *arg, struct pkt_frame *ret_frame)
{
	uint8_t buf[2048];

	if (!pkt || pkt->fd < 0 || !match || !ret_frame)
		return -EINVAL;
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		ssize_t n =
			recvfrom(pkt->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		struct pkt_frame f;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return negative_errno();
		if (frame_decode(pkt, buf, (size_t)n, &from, &f) && match(pkt, &f, arg)) {
			*ret_frame = f;
			return 1;
		}
	}
}

int pkt_listen(struct pkt *pkt, pkt_match_fn match, const void *arg, deadline_t until,
	       struct pkt_frame *ret_frame)
{
	struct pollfd pfd = {.fd = pkt ? pkt->fd : -1, .events = POLLIN};

	for (;;) {
		int r = pkt_drain(pkt, match, arg, ret_frame);

		if (r != 0)
			return r;
		if (deadline_expired(until))
			return 0;
		r = poll(&pfd, 1, deadline_poll_timeout(until));
		if (r < 0 && errno != EINTR)
			return negative_errno();
	}
}

static bool match_conflict(const struct pkt *pkt, const struct pkt_frame *f, const void *arg)
{
	const struct inaddr *addr = arg;

	if (f->family == AF_INET)
		return arp_is_conflict(&f->arp, addr->v4, pkt->mac);
	return ndisc_is_conflict(&f->nd, &addr->v6, f->src_mac, pkt->mac);
}

static bool match_claim(const struct pkt *pkt, const struct pkt_frame *f, const void *arg)
{
	const struct inaddr *addr = arg;

	if (f->family == AF_INET)
		return arp_is_claim(&f->arp, addr->v4, pkt->mac);
	return ndisc_is_claim(&f->nd, &addr->v6, f->src_mac, pkt->mac);
}

static int drain_holder(struct pkt *pkt, pkt_match_fn match, const struct inaddr *addr,
			uint8_t ret_mac[6])
{
	struct pkt_frame f;
	int r;

	if (!addr || !ret_mac || addr->family != (pkt ? pkt->family : 0))
		return -EINVAL;
	r = pkt_drain(pkt, match, addr, &f);
	if (r > 0)
		pkt_frame_holder(&f, ret_mac);
	return r;
}

int pkt_drain_conflicts(struct pkt *pkt, const struct inaddr *addr, uint8_t ret_mac[6])
{
	return drain_holder(pkt, match_conflict, addr, ret_mac);
}

int pkt_drain_claims(struct pkt *pkt, const struct inaddr *addr, uint8_t ret_mac[6])
{
	return drain_holder(pkt, match_claim, addr, ret_mac);
}

int pkt_probe(struct pkt *pkt, const struct inaddr *addr, const struct pkt_probe_plan *plan,
	      deadline_t deadline, uint8_t ret_mac[6])
{
	if (!pkt || pkt->fd < 0 || !addr || addr->family != pkt->family || !ret_mac || !plan ||
	    !plan->probes)
		return -EINVAL;
	for (unsigned i = 0; i < plan->probes; i++) {
		/* Listening never stops: a late answer to one probe counts during the next. */
		unsigned ms = i + 1 < plan->probes ? plan->interval_ms : plan->wait_ms;
		int r = send_probe(pkt, addr);
		struct pkt_frame f;

		if (r < 0)
			return r;
		r = pkt_listen(pkt, match_conflict, addr,
			       deadline_min(deadline_in_ms(ms), deadline), &f);
		if (r > 0)
			pkt_frame_holder(&f, ret_mac);
		if (r != 0)
			return r;
		if (deadline_expired(deadline))
			return -ETIME;
	}
	return 0;
}

int pkt_filter_claims(struct pkt *pkt, const struct inaddr *addr)
{
	struct sock_filter prog[PKTFILTER_MAX];
	struct sock_fprog fprog = {.filter = prog};
	int n;

	if (!pkt || pkt->fd < 0 || !addr || addr->family != pkt->family)
		return -EINVAL;
	n = pktfilter_claims(addr, prog);
	if (n < 0)
		return n;
	fprog.len = (unsigned short)n;
	if (setsockopt(pkt->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) < 0)
		return negative_errno();
	return 0;
}

const char *mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}
