/*
 * The mail canary: whether mail really flows, not only whether the servers
 * greet. One check submits a uniquely tagged message through SMTP to a
 * canary mailbox, waits until IMAP shows it in INBOX, reads its tag back
 * and deletes it (expunged), timing each step, all within the caller's
 * deadline and without a fork. Every canary carries the header
 *
 *     X-Exha-Canary: v1 <owner> <unix seconds> <16 hex digits>
 *
 * (and "exha canary" and the same words as its Subject), so each check
 * first deletes whatever canaries of the same owner an earlier one left
 * behind: a check killed mid-way, one that timed out, a message that
 * arrived late. Owners never touch each other's canaries.
 */
#pragma once

#include <stdint.h>

#include "mailprobe.h"

#define CANARY_OWNER_MAX   64
#define CANARY_ADDRESS_MAX 254
#define CANARY_TAG_SIZE	   128
#define CANARY_TEXT_SIZE   160

enum canary_step {
	CANARY_CLEAN,	/* IMAP login, SELECT INBOX, earlier canaries deleted */
	CANARY_SUBMIT,	/* SMTP up to the server's 250 for the message */
	CANARY_DELIVER, /* from that 250 until IMAP finds the tag in INBOX */
	CANARY_READ,	/* FETCH of the tag header */
	CANARY_DELETE,	/* \Deleted and expunged */
	CANARY_N_STEPS,
};

struct canary {
	const struct probe_target *smtp; /* where to submit (smtp://, port 25) */
	const struct probe_target *imap; /* where to read back, logged in with cred */
	const char *address;		 /* the canary mailbox: local@domain */
	const char *owner;		 /* whose canaries: the resource instance */
};

struct canary_report {
	uint64_t step_us[CANARY_N_STEPS]; /* the steps done */
	unsigned cleaned;		  /* earlier canaries deleted */
	char tag[CANARY_TAG_SIZE];	  /* "v1 <owner> <time> <random>" */
	char queued[CANARY_TEXT_SIZE];	  /* the SMTP server's 250 for the message */
};

/* Pure checks, 0 or -EINVAL: local@domain in printable ASCII, no <>"\ or blanks. */
int canary_address_check(const char *address);
/* An owner as tags carry it: letters, digits, '.', '_', ':', '-'; at most 64. */
int canary_owner_check(const char *owner);

/* Pure: "v1 <owner> <unix_s> <random as 16 hex>" into buf. -EINVAL, -ENOBUFS. */
int canary_tag_format(const char *owner, uint64_t unix_s, uint64_t random, char *buf, size_t size);

/* "clean", "submit", "deliver", "read", "delete". */
const char *canary_step_name(enum canary_step step);

/*
 * One check. 0 with *ret filled; else -errno and err names the step that
 * failed or stalled: "deliver: accepted by smtp://127.0.0.1:25 ('250 2.0.0
 * Ok: queued as 4F2'), not in INBOX at imap://127.0.0.1:143 after 8.0 s".
 * -ETIME when a step ran out of time, -EACCES login refused, -EPERM a
 * password would cross the network in cleartext, -EINVAL bad arguments.
 * *ret holds what was measured even on failure.
 */
int canary_run(const struct canary *k, const struct probe_credentials *cred, deadline_t deadline,
	       struct canary_report *ret, struct error *err);

/* "submit 12 ms, deliver 150 ms, read 1 ms, delete 2 ms (clean 4 ms, 0 old removed)". */
void canary_report_format(const struct canary_report *rep, char *buf, size_t size);
