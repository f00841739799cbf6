/*
 * The defender (RFC 5227 2.4 (b)): while the floating IP is up, a small
 * process forked at start waits on a packet socket that lets through only
 * claims of the address (pktfilter.h): ARP packets sent from it, neighbour
 * advertisements for it, from another MAC. The first claim is answered
 * with one announcement; a second within DEFEND_INTERVAL_MS means the
 * address is lost: the defender notes it (the next monitor fails naming
 * the other MAC), reports it (the agent raises a cluster alert) and ends.
 *
 * It is recorded twice, as the service-set watcher is: by start after the
 * fork and by itself before anything else, so an agent killed right after
 * the fork leaves a defender that stop and the next start still find and
 * end by its identity. It never defends an address that is no longer on
 * its interface with exha's mark: it ends instead.
 */
#pragma once

#include <stdint.h>
#include <net/if.h>
#include <sys/types.h>

#include "deadline.h"
#include "inaddr.h"

#define DEFEND_INTERVAL_MS 10000 /* RFC 5227 DEFEND_INTERVAL */

enum defender_event {
	DEFENDER_STARTED,  /* in the new process, before it waits (reopen the log) */
	DEFENDER_DEFENDED, /* text: the first claim's holder MAC */
	DEFENDER_LOST,	   /* text: the note the monitor reports */
	DEFENDER_GONE,	   /* the address left this node: the defender ends */
};

struct defender_opts {
	struct inaddr addr;
	int ifindex;
	char ifname[IFNAMSIZ];
	uint8_t mac[6];
	/* Called in the defender for each event (may be NULL). */
	void (*event)(void *arg, enum defender_event ev, const char *text);
	void *arg;
};

/* Fork the defender and record it in statefd, ending a leftover one first. */
int defender_start(int statefd, const struct defender_opts *o, deadline_t deadline);

/*
 * SIGTERM to the recorded defender, without waiting: its exit (the packet
 * socket's release waits for an RCU grace period, 10-20 ms on a busy node)
 * then overlaps with the rest of stop. defender_stop() still waits for it.
 */
void defender_hurry(int statefd);

/* End the defender under either record and forget its notes. 1 when one ran, 0, -errno. */
int defender_stop(int statefd, deadline_t deadline);

enum defender_health {
	DEFENDER_NONE, /* none recorded (defend=false, or stopped) */
	DEFENDER_OK,
	DEFENDER_DEAD,	    /* recorded, gone without a note */
	DEFENDER_LOST_ADDR, /* note says why */
};

struct defender_status {
	enum defender_health health;
	pid_t pid;
	char note[300];
};

/* How the defender is doing. Reads state files and /proc only: no fork. */
int defender_check(int statefd, struct defender_status *ret);
