/*
 * Built by hand, as the kernel documents classic BPF: every test that fails
 * jumps to the one "drop" at the end, so the jump offsets follow from the
 * position of each test alone.
 */
#include "pktfilter.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "ndisc.h"

#define ARP_SPA_OFF    14 /* sender protocol address */
#define IP6_NH_OFF     6
#define ICMP6_TYPE_OFF 40
#define NA_TARGET_OFF  48
#define ICMP6_NH       58
#define PKTFILTER_ALL  0xffffu

struct prog {
	struct sock_filter *ins;
	unsigned n;
};

static void load(struct prog *p, unsigned size, unsigned off)
{
	p->ins[p->n++] = (struct sock_filter)BPF_STMT(BPF_LD | size | BPF_ABS, off);
}

/* Equal: on to the next instruction; else to the drop, patched in finish(). */
static void test(struct prog *p, uint32_t value)
{
	p->ins[p->n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, 0);
}

static int finish(struct prog *p)
{
	unsigned drop = p->n + 1;

	for (unsigned i = 0; i < p->n; i++)
		if (BPF_CLASS(p->ins[i].code) == BPF_JMP)
			p->ins[i].jf = (uint8_t)(drop - i - 1);
	p->ins[p->n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, PKTFILTER_ALL);
	p->ins[p->n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	return (int)p->n;
}

int pktfilter_claims(const struct inaddr *addr, struct sock_filter prog[PKTFILTER_MAX])
{
	struct prog p = {.ins = prog};

	if (!addr || !prog)
		return -EINVAL;
	if (addr->family == AF_INET) {
		load(&p, BPF_W, ARP_SPA_OFF);
		test(&p, ntohl(addr->v4.s_addr));
		return finish(&p);
	}
	if (addr->family != AF_INET6)
		return -EINVAL;
	load(&p, BPF_B, IP6_NH_OFF);
	test(&p, ICMP6_NH);
	load(&p, BPF_B, ICMP6_TYPE_OFF);
	test(&p, NDISC_NA);
	for (unsigned i = 0; i < 4; i++) {
		uint32_t word;

		memcpy(&word, addr->v6.s6_addr + 4 * i, 4);
		load(&p, BPF_W, NA_TARGET_OFF + 4 * i);
		test(&p, ntohl(word));
	}
	return finish(&p);
}
