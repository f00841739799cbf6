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

/* Whether one received frame shows a conflict; its holder's MAC in ret_mac. */
static bool frame_is_conflict(const struct pkt *pkt, const struct inaddr *addr, const uint8_t *buf,
			      size_t len, const struct sockaddr_ll *from, uint8_t ret_mac[6])
{
	/* Frames queued between socket() and bind() may come from any interface. */
	if (from->sll_pkttype == PACKET_OUTGOING || from->sll_halen != 6 ||
	    from->sll_ifindex != pkt->ifindex)
		return false;
	if (addr->family == AF_INET) {
		struct arp_info info;

		if (arp_parse(buf, len, &info) < 0 || !arp_is_conflict(&info, addr->v4, pkt->mac))
			return false;
		memcpy(ret_mac, info.sender_mac, 6);
		return true;
	} else {
		struct ndisc_info info;

		if (ndisc_parse(buf, len, &info) < 0 ||
		    !ndisc_is_conflict(&info, &addr->v6, from->sll_addr, pkt->mac))
			return false;
		memcpy(ret_mac, info.has_lladdr ? info.lladdr : from->sll_addr, 6);
		return true;
	}
}

int pkt_drain_conflicts(struct pkt *pkt, const struct inaddr *addr, uint8_t ret_mac[6])
{
	uint8_t buf[2048];

	if (!pkt || pkt->fd < 0 || !addr || !ret_mac)
		return -EINVAL;
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		ssize_t n =
			recvfrom(pkt->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return negative_errno();
		if (frame_is_conflict(pkt, addr, buf, (size_t)n, &from, ret_mac))
			return 1;
	}
}

/* Listen until `until`, returning 1 on the first conflict. */
static int listen_until(struct pkt *pkt, const struct inaddr *addr, deadline_t until,
			uint8_t ret_mac[6])
{
	struct pollfd pfd = {.fd = pkt->fd, .events = POLLIN};

	for (;;) {
		int r = pkt_drain_conflicts(pkt, addr, ret_mac);

		if (r != 0)
			return r;
		if (deadline_expired(until))
			return 0;
		r = poll(&pfd, 1, deadline_poll_timeout(until));
		if (r < 0 && errno != EINTR)
			return negative_errno();
	}
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

		if (r < 0)
			return r;
		r = listen_until(pkt, addr, deadline_min(deadline_in_ms(ms), deadline), ret_mac);
		if (r != 0)
			return r;
		if (deadline_expired(deadline))
			return -ETIME;
	}
	return 0;
}

const char *mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}
