/*
 * The defender process, launched by shared/child.c's one rule: its own
 * session, stdio on /dev/null, and of the agent's descriptors only its
 * filtered packet socket and the state directory. It sleeps in poll()
 * until the kernel passes a claim; it wakes for nothing else.
 */
#include "defend.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "addr.h"
#include "child.h"
#include "macro.h"
#include "pkt.h"
#include "procid.h"
#include "state.h"

#define DEFENDER_FILE "defender"      /* written by start after the fork */
#define DEFENDER_SELF "defender.self" /* written by the defender itself, first */
#define LOST_FILE     "defender.lost"
#define PKT_FD	      3
#define STATE_FD      4

static void notify(const struct defender_opts *o, enum defender_event ev, const char *text)
{
	if (o->event)
		o->event(o->arg, ev, text);
}

/* Whether the address is still on the interface with exha's mark (else: not ours to defend). */
static bool still_ours(const struct defender_opts *o)
{
	_cleanup_nl_ struct nl *nl = NULL;
	struct addr_where w;

	if (nl_open(0, &nl) < 0 || addr_find(nl, &o->addr, o->ifindex, &w) < 0)
		return true; /* cannot tell: keep defending rather than leave a claim unanswered */
	return w.count > 0 && w.ifindex == o->ifindex && addr_where_is_ours(&w);
}

static _Noreturn void lost(const struct defender_opts *o, const uint8_t mac[6], uint64_t ms)
{
	char ip[INADDR_STRLEN], m[18], note[300];

	snprintf(note, sizeof(note),
		 "%s is claimed by %s on the link of '%s': defended once, claimed again %" PRIu64
		 " ms later (RFC 5227: the address is lost)",
		 inaddr_format(&o->addr, ip), mac_format(mac, m), o->ifname, ms);
	/* The note first: the monitor reports the loss from the moment it is known. */
	(void)state_write(STATE_FD, LOST_FILE, note, strlen(note));
	notify(o, DEFENDER_LOST, note);
	_exit(0);
}

/* One claim: defend once, or lose the address to a second within DEFEND_INTERVAL_MS. */
static void claimed(struct pkt *pkt, const struct defender_opts *o, const uint8_t mac[6],
		    uint64_t *last_us)
{
	uint64_t now = now_us();
	char m[18];

	if (!still_ours(o)) {
		notify(o, DEFENDER_GONE, NULL);
		_exit(0);
	}
	if (*last_us && now - *last_us < DEFEND_INTERVAL_MS * 1000u)
		lost(o, mac, (now - *last_us) / 1000u);
	*last_us = now;
	(void)pkt_announce(pkt, &o->addr);
	notify(o, DEFENDER_DEFENDED, mac_format(mac, m));
}

static _Noreturn void defender_run(const struct defender_opts *o)
{
	struct pkt pkt = {.fd = PKT_FD, .family = o->addr.family, .ifindex = o->ifindex};
	struct pollfd pfd = {.fd = PKT_FD, .events = POLLIN};
	uint64_t last_us = 0;
	uint8_t mac[6];

	(void)prctl(PR_SET_NAME, "exha-fip-defend");
	memcpy(pkt.mac, o->mac, 6);
	/* Recorded before anything else: see defend.h. */
	if (proc_id_record(STATE_FD, DEFENDER_SELF, getpid()) < 0)
		_exit(1);
	notify(o, DEFENDER_STARTED, NULL);
	if (!still_ours(o)) {
		notify(o, DEFENDER_GONE, NULL);
		_exit(0);
	}
	for (;;) {
		int r = pkt_drain_claims(&pkt, &o->addr, mac);

		if (r > 0) {
			claimed(&pkt, o, mac, &last_us);
			continue;
		}
		if (r < 0)
			_exit(1);
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			_exit(1);
	}
}

int defender_start(int statefd, const struct defender_opts *o, deadline_t deadline)
{
	struct pkt pkt = PKT_INIT;
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_OWN_SESSION);
	pid_t pid;
	int r;

	if (statefd < 0 || !o)
		return -EINVAL;
	r = defender_stop(statefd, deadline);
	if (r >= 0)
		r = pkt_open(o->addr.family, o->ifindex, o->mac, &pkt);
	if (r >= 0)
		r = pkt_filter_claims(&pkt, &o->addr);
	if (r < 0)
		goto out;
	spec.fds[PKT_FD] = pkt.fd;
	spec.fds[STATE_FD] = statefd;
	spec.n_fds = STATE_FD + 1;
	r = child_fork(&spec, &pid);
	if (r == 0)
		defender_run(o);
	if (r < 0)
		goto out;
	r = proc_id_record(statefd, DEFENDER_FILE, pid);
	if (r == -ESRCH) /* it ended already (the address left): nothing to record */
		r = 0;
	if (r < 0)
		(void)kill(pid, SIGKILL); /* just forked, never reaped: it is ours */
out:
	pkt_close(&pkt);
	return r;
}

void defender_hurry(int statefd)
{
	const char *names[] = {DEFENDER_FILE, DEFENDER_SELF};
	struct proc_id id;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (proc_id_load(statefd, names[i], &id) == 0)
			(void)proc_id_signal(&id, SIGTERM);
}

int defender_stop(int statefd, deadline_t deadline)
{
	int r;

	if (statefd < 0)
		return -EINVAL;
	r = proc_id_end_pair(statefd, DEFENDER_FILE, DEFENDER_SELF, deadline, NULL);
	if (r < 0)
		return r;
	(void)state_remove(statefd, LOST_FILE);
	return r;
}

int defender_check(int statefd, struct defender_status *ret)
{
	struct defender_status s = {.health = DEFENDER_NONE};
	const char *names[] = {DEFENDER_FILE, DEFENDER_SELF};
	struct proc_id id;
	int r;

	if (statefd < 0 || !ret)
		return -EINVAL;
	if (state_read(statefd, LOST_FILE, s.note, sizeof(s.note)) >= 0) {
		s.health = DEFENDER_LOST_ADDR;
		*ret = s;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names) && s.health != DEFENDER_OK; i++) {
		r = proc_id_load(statefd, names[i], &id);
		if (r == -ENOENT)
			continue;
		if (r == 0)
			r = proc_id_alive(&id);
		if (r < 0)
			return r;
		s.health = r ? DEFENDER_OK : DEFENDER_DEAD;
		s.pid = id.pid;
	}
	*ret = s;
	return 0;
}
