/*
 * The answer is recognised by what it says, not by where it comes from: an
 * ARP reply from target to the floating IP, or a neighbour advertisement
 * for target sent to the floating IP (ndisc.h, arp.h).
 */
#include "verify.h"

#include <errno.h>

struct question {
	const struct inaddr *from, *target;
};

static bool match_answer(const struct pkt *pkt, const struct pkt_frame *f, const void *arg)
{
	const struct question *q = arg;

	if (f->family == AF_INET)
		return arp_is_answer(&f->arp, q->target->v4, q->from->v4);
	return ndisc_is_answer(&f->nd, &q->target->v6, &q->from->v6);
}

int verify_neighbour(struct pkt *pkt, const struct inaddr *from, const struct inaddr *target,
		     uint64_t wait_ms, deadline_t deadline, struct verify_result *ret)
{
	struct question q = {.from = from, .target = target};
	deadline_t end = deadline_min(deadline_in_ms(wait_ms), deadline);
	uint64_t start = now_us(), step_us = wait_ms * 1000u / VERIFY_REQUESTS;
	struct pkt_frame f;

	if (!pkt || !from || !target || !ret || !wait_ms)
		return -EINVAL;
	for (unsigned i = 0; i < VERIFY_REQUESTS; i++) {
		deadline_t next = {.end_us = start + step_us * (i + 1)};
		int r = pkt_solicit(pkt, from, target);

		if (r < 0)
			return r;
		r = pkt_listen(pkt, match_answer, &q, deadline_min(next, end), &f);
		if (r < 0)
			return r;
		if (r > 0) {
			ret->latency_us = now_us() - start;
			ret->requests = i + 1;
			pkt_frame_holder(&f, ret->mac);
			return 0;
		}
		if (deadline_expired(end))
			break;
	}
	return -ETIME;
}
