/*
 * Has the cluster proven the holder of a lease dead? Pure code: the answer
 * of switching-disk-fence-query (fencequery.c) is parsed and weighed here,
 * apart from running it (main.c), so unit tests reach every refusal.
 *
 * The proof, for a lease record rec held by node X (owner), read by this
 * start before it asked:
 *   1. the fencer's history holds a successful "off" or "reboot" of X,
 *      completed at T (the latest such), and nothing about X after it: no
 *      fence in progress, no failed attempt and no "on" later than T (each
 *      means the cluster has had reason to act on X again since);
 *   2. X's node_state, read after the history, is the one Pacemaker writes
 *      when it has fenced a node (or the node left cleanly) and that only a
 *      join undoes: in_ccm "false", crmd "offline", expected "down". A
 *      join after T sets expected back to "member" (and in_ccm "true"),
 *      and it stays so until the next fence or clean shutdown: X has not
 *      been a member since T;
 *   3. rec was last renewed before T by X's own clock (renewed_ms < T): a
 *      record written after the fence is not the fenced keeper's, whatever
 *      else says so. Clocks only make this refuse more, never prove more;
 *   4. (leaseio_acquire) the device still holds exactly rec when it is
 *      taken: any write since, by a keeper X started after a later join,
 *      changes the generation and the ordinary watch applies.
 *
 * Why that suffices: a keeper runs only under Pacemaker, on a node that
 * has joined (its start is scheduled from a CIB where the node is online,
 * so the DC wrote expected="member" first: in Pacemaker 2.1.5 the DC sets
 * it in finalize_join_for and writes it, with join="member", in
 * populate_cib_nodes before the scheduler runs; send_stonith_update writes
 * join="down" expected="down" after a fence and leaves in_ccm to the
 * membership layer, since the node may be back already). The fence at T killed every
 * keeper X ran then (power off, or reboot). So a live keeper of X now
 * would have been started after a join later than T: 2 says there was
 * none up to the moment node_state was read, and a keeper started after
 * that moment cannot have written rec, which this start read before. A
 * keeper started even later finds our record, not X's, and refuses it.
 * The proof is about rec only, never about X in general.
 *
 * What it rests on: the fencer's "done" is true (the fence agent really
 * cut the node off: the same trust Pacemaker itself puts in it before it
 * recovers any resource), and nobody starts the agent by hand on X outside
 * the cluster (then no cluster state describes that keeper; 3 usually
 * still refuses its record).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lease.h"

#define FENCEPROOF_WORD_MAX 64u

/* What the query answered, folded as it is parsed (the history may be long). */
struct fenceproof_evidence {
	char target[LEASE_OWNER_MAX + 1]; /* the node asked about (the record's owner) */
	bool foreign_entry;		  /* a history entry about another node */
	bool pending;			  /* a fence of target not finished */
	uint64_t fenced_ms; /* latest successful off/reboot, ms since the epoch; 0 none */
	char fenced_action[FENCEPROOF_WORD_MAX];
	uint64_t other_ms; /* latest completion of any other entry (failed, "on") */
	bool have_node;	   /* a node_state line */
	char uname[LEASE_OWNER_MAX + 1];
	char in_ccm[FENCEPROOF_WORD_MAX], crmd[FENCEPROOF_WORD_MAX];
	char join[FENCEPROOF_WORD_MAX], expected[FENCEPROOF_WORD_MAX];
};

/*
 * Parse the query's output about target (NUL-terminated text, lines as in
 * fencequery.c, ending with "end"). 0 and ret; -EBADMSG for anything
 * malformed or cut short, -EREMOTEIO when the query reported an error
 * (its text then starts at ret_error, when given, inside text). ret is
 * untouched on failure.
 */
int fenceproof_parse(const char *text, const char *target, struct fenceproof_evidence *ret,
		     const char **ret_error);

enum fenceproof_verdict {
	FENCEPROOF_DEAD = 0,	  /* proven: take rec without watching */
	FENCEPROOF_NOT_FOREIGN,	  /* rec is not another node's held lease */
	FENCEPROOF_NAME_MISMATCH, /* the evidence is about another node */
	FENCEPROOF_NO_FENCE,	  /* no successful off/reboot of the holder */
	FENCEPROOF_FENCE_PENDING, /* a fence of the holder is under way */
	FENCEPROOF_LATER_ACTION,  /* a failed fence or an "on" after the last one */
	FENCEPROOF_NO_NODE_STATE, /* the CIB does not describe the holder */
	FENCEPROOF_MEMBER,	  /* the holder is, or has been since, a member */
	FENCEPROOF_RENEWED_AFTER, /* rec was renewed after the fence completed */
};

/* Weigh ev against rec (read before the query), for node me. */
enum fenceproof_verdict fenceproof_decide(const struct lease_rec *rec, const char *me,
					  const struct fenceproof_evidence *ev);

/* A short phrase for the log ("the holder is a cluster member"). */
const char *fenceproof_verdict_str(enum fenceproof_verdict v);
