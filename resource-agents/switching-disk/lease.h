/*
 * The ownership lease of the switching disk: one record in the first
 * sector of lease_device. Pure code: encoding, decoding and the acquire
 * decision, apart from the I/O (leaseio.c) so unit tests and the fuzzer
 * reach every rule.
 *
 * This is format version 1, still read and written on a device whose
 * first block holds such a record (used as slot 0). exha-lease init
 * formats version 2, a header and a record per slot: leasearea.h. Both
 * carry the fields below with the same meaning.
 *
 * On disk (512 bytes, little-endian, packed; the rest of the 4 KiB block
 * is zero):
 *     0  magic "EXHALEAS"        8
 *     8  version (1)             u32
 *    12  record size (512)       u32
 *    16  generation              u64  bumped by every write
 *    24  renewed_ms              u64  writer's CLOCK_REALTIME, ms
 *    32  timeout_ms              u32  writer's lease_timeout
 *    36  state                   u32  0 free (released), 1 held
 *    40  owner                   256  node name, NUL-padded
 *   296  reserved (zero)         212
 *   508  CRC-32C of bytes 0..507 u32
 *
 * Safety never rests on clocks agreeing: renewed_ms only decides whether a
 * foreign lease is refused at once (it looks live) or watched; a lease held
 * by another node is taken over only after this node has seen its
 * generation stand still for a whole timeout on its own monotonic clock,
 * while a live keeper bumps it every timeout/3. Clock skew only moves the
 * moment the watch starts: a dead holder's lease is taken over at most
 * 2 x lease_timeout + skew after its last renewal.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEASE_MAGIC	  "EXHALEAS"
#define LEASE_VERSION	  1u
#define LEASE_RECORD_SIZE 512u
#define LEASE_OWNER_MAX	  255u	/* bytes of name; the field has room for the NUL */
#define LEASE_BLOCK_SIZE  4096u /* what is read and written, O_DIRECT-aligned */

enum lease_state {
	LEASE_FREE = 0,
	LEASE_HELD = 1,
};

struct lease_rec {
	uint64_t generation;
	uint64_t renewed_ms;
	uint32_t timeout_ms;
	enum lease_state state;
	char owner[LEASE_OWNER_MAX + 1];
};

/* CRC-32C (Castagnoli), as ext4 and iSCSI compute it. */
uint32_t lease_crc32c(const void *data, size_t len);

/* Write rec into buf (LEASE_RECORD_SIZE bytes). -EINVAL for a bad owner or state. */
int lease_encode(const struct lease_rec *rec, uint8_t *buf, size_t size);

/*
 * Decode buf. 0: a record; 1: a blank (all-zero) record, never written,
 * free; -ENODATA: buf shorter than a record; -EBADMSG: not a lease record,
 * or a damaged one (magic, size, CRC, state, owner); -EPROTONOSUPPORT: a
 * record of a version this code does not know. ret_rec is untouched on
 * failure.
 */
int lease_decode(const uint8_t *buf, size_t size, struct lease_rec *ret_rec);

enum lease_verdict {
	LEASE_TAKE,	 /* free or blank: write ours */
	LEASE_OURS,	 /* held by this node already (a restart): write ours again */
	LEASE_WATCH,	 /* another node's, looks stale: watch it for a whole timeout */
	LEASE_BUSY,	 /* another node's and live: refuse at once */
	LEASE_CORRUPT,	 /* damaged or foreign data: refuse, never overwrite */
	LEASE_UNKNOWN_V, /* a newer format: refuse, never overwrite */
};

/*
 * The acquire decision from decode_rc (lease_decode's answer) and the
 * record, for node me at now_ms (CLOCK_REALTIME). A foreign lease counts as
 * live until renewed_ms + timeout_ms has passed here.
 */
enum lease_verdict lease_decide(int decode_rc, const struct lease_rec *rec, const char *me,
				uint64_t now_ms);

/*
 * After watching a foreign lease for a whole timeout: true when it stood
 * still (same owner, state and generation), so its holder is dead.
 */
bool lease_stood_still(const struct lease_rec *first, const struct lease_rec *later);

/* rec is a lease this node (me) holds at generation. */
bool lease_is_ours(const struct lease_rec *rec, const char *me);

/* The collision window of an acquire: lease_timeout/20, 100 ms to 1 s. */
uint64_t lease_collision_window_ms(uint64_t timeout_ms);
