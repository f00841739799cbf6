/*
 * pktfilter (floating-ip): the defender's BPF program run over packets the
 * other modules build (arp.h, ndisc.h) by a small interpreter of the
 * instructions it may use, with the kernel's rule for a load past the end
 * of the packet (the packet is dropped). What passes must be a superset of
 * what arp_is_claim()/ndisc_is_claim() accept; what it drops spares the
 * defender a wake-up.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "arp.h"
#include "check_common.h"
#include "ndisc.h"
#include "pktfilter.h"

static const uint8_t other_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

/* Classic BPF as the kernel runs it, for LD|ABS (W, B), JMP|JEQ|K and RET|K. */
static uint32_t run(const struct sock_filter *prog, int n, const uint8_t *pkt, size_t len)
{
	uint32_t a = 0;

	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &prog[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k + 4 > len)
				return 0;
			a = (uint32_t)pkt[i->k] << 24 | (uint32_t)pkt[i->k + 1] << 16 |
			    (uint32_t)pkt[i->k + 2] << 8 | pkt[i->k + 3];
			break;
		case BPF_LD | BPF_B | BPF_ABS:
			if (i->k + 1 > len)
				return 0;
			a = pkt[i->k];
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			ck_assert_int_lt(pc + 1, n);
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			ck_abort_msg("unexpected instruction %#x", i->code);
		}
	}
	ck_abort_msg("ran off the end of the program");
	return 0;
}

static struct inaddr addr(const char *s)
{
	struct inaddr a = {0};

	if (inet_pton(AF_INET, s, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.v6) == 1)
		a.family = AF_INET6;
	ck_assert_int_ne(a.family, 0);
	return a;
}

static bool passes(const char *ip, const uint8_t *pkt, size_t len)
{
	struct sock_filter prog[PKTFILTER_MAX];
	struct inaddr a = addr(ip);
	int n = pktfilter_claims(&a, prog);

	ck_assert_int_gt(n, 0);
	ck_assert_int_le(n, PKTFILTER_MAX);
	return run(prog, n, pkt, len) != 0;
}

START_TEST(test_arp_from_the_address_passes)
{
	struct in_addr ip = addr("192.0.2.10").v4, gw = addr("192.0.2.254").v4;
	uint8_t buf[ARP_PACKET_LEN];

	arp_build_announce(buf, other_mac, ip);
	ck_assert(passes("192.0.2.10", buf, sizeof(buf)));
	arp_build_request(buf, other_mac, ip, gw);
	ck_assert(passes("192.0.2.10", buf, sizeof(buf)));
}
END_TEST

START_TEST(test_other_arp_is_dropped)
{
	struct in_addr ip = addr("192.0.2.10").v4, other = addr("192.0.2.11").v4;
	uint8_t buf[ARP_PACKET_LEN];

	arp_build_probe(buf, other_mac, ip); /* from 0.0.0.0: no claim */
	ck_assert(!passes("192.0.2.10", buf, sizeof(buf)));
	arp_build_request(buf, other_mac, other, ip); /* asks for it: normal traffic */
	ck_assert(!passes("192.0.2.10", buf, sizeof(buf)));
	arp_build_announce(buf, other_mac, other);
	ck_assert(!passes("192.0.2.10", buf, sizeof(buf)));
	arp_build_announce(buf, other_mac, ip);
	ck_assert(!passes("192.0.2.10", buf, 17)); /* truncated before the sender address */
}
END_TEST

START_TEST(test_an_na_for_the_address_passes)
{
	struct in6_addr ip = addr("2001:db8::50").v6;
	uint8_t buf[NDISC_NA_LEN], mac[6];

	ndisc_build_announce(buf, &ip, other_mac, mac);
	ck_assert(passes("2001:db8::50", buf, sizeof(buf)));
}
END_TEST

START_TEST(test_other_ipv6_is_dropped)
{
	struct in6_addr ip = addr("2001:db8::50").v6, other = addr("2001:db8::51").v6;
	uint8_t buf[NDISC_NA_LEN], mac[6];

	ndisc_build_announce(buf, &other, other_mac, mac);
	ck_assert(!passes("2001:db8::50", buf, sizeof(buf)));
	ndisc_build_dad_probe(buf, &ip, mac); /* an NS: no claim */
	ck_assert(!passes("2001:db8::50", buf, NDISC_NS_LEN));
	ndisc_build_solicit(buf, &other, &ip, other_mac, mac);
	ck_assert(!passes("2001:db8::50", buf, NDISC_NS_LL_LEN));
	ndisc_build_announce(buf, &ip, other_mac, mac);
	buf[6] = 17; /* UDP, not ICMPv6 */
	ck_assert(!passes("2001:db8::50", buf, sizeof(buf)));
	buf[6] = 58;
	ck_assert(!passes("2001:db8::50", buf, 60)); /* truncated inside the target */
}
END_TEST

START_TEST(test_other_families_are_einval)
{
	struct sock_filter prog[PKTFILTER_MAX];
	struct inaddr a = {.family = AF_UNIX};

	ck_assert_int_eq(pktfilter_claims(&a, prog), -EINVAL);
	ck_assert_int_eq(pktfilter_claims(NULL, prog), -EINVAL);
}
END_TEST

static Suite *pktfilter_suite(void)
{
	Suite *s = suite_create("pktfilter");

	ADD_CASE(s, test_arp_from_the_address_passes, 5);
	ADD_CASE(s, test_other_arp_is_dropped, 5);
	ADD_CASE(s, test_an_na_for_the_address_passes, 5);
	ADD_CASE(s, test_other_ipv6_is_dropped, 5);
	ADD_CASE(s, test_other_families_are_einval, 5);
	return s;
}

int main(void)
{
	return check_run(pktfilter_suite());
}
