/*
 * The lease area, format version 2: one small shared device (formatted by
 * exha-lease init) carries the leases of several failover groups, one
 * slot each, as sfex's index does. Pure code: the layout, encoding and
 * decoding of the header and of the slot records, and the recognition of
 * what a device's first block holds, apart from the I/O (leasedev.c) so
 * unit tests and the fuzzer reach every rule.
 *
 * On disk, every block LEASE_BLOCK_SIZE (4096) bytes, each structure in
 * the first 512 bytes of its block, little-endian, packed; the rest of
 * every block is written as zero and never read (as in version 1):
 *
 *   block 0        the header
 *   block 1 + i    the record of slot i, for i < slots
 *
 * Header (block 0, byte offset 0):
 *     0  magic "EXHALEAS"        8    the v1 record's own magic: an agent
 *                                     that knows only version 1 reads the
 *                                     header as a newer record and refuses
 *                                     it, never writing over it
 *     8  version (2)             u32
 *    12  header size (512)       u32
 *    16  block size (4096)       u32
 *    20  slots                   u32  1 .. LEASEAREA_SLOTS_MAX
 *    24  own offset (0)          u64
 *    32  reserved (zero)         476
 *   508  CRC-32C of bytes 0..507 u32
 *
 * Slot record (block 1 + slot, byte offset (1 + slot) x 4096):
 *     0  magic "EXHASLOT"        8
 *     8  version (2)             u32
 *    12  record size (512)       u32
 *    16  slot                    u32  its own index
 *    20  state                   u32  0 free, 1 held
 *    24  own offset              u64  (1 + slot) x block size
 *    32  generation              u64  bumped by every write
 *    40  renewed_ms              u64  writer's CLOCK_REALTIME, ms
 *    48  timeout_ms              u32  writer's lease_timeout
 *    52  reserved (zero)         u32
 *    56  owner                   256  node name, NUL-padded
 *   312  resource                128  resource instance, NUL-padded;
 *                                     empty: the slot is unassigned
 *   440  reserved (zero)         68
 *   508  CRC-32C of bytes 0..507 u32
 *
 * The slot and offset a record repeats about itself catch a write or a
 * read that landed in the wrong block. The resource name makes a slot
 * belong to one resource from its first acquire until exha-lease clear:
 * two groups configured with one slot are refused instead of taking each
 * other's lease. The lease fields mean what they mean in version 1
 * (lease.h), and the acquire protocol is the same.
 *
 * Version 1 (lease.h: one record in block 0, no header) stays readable:
 * such a device is used as slot 0 and keeps being written as version 1,
 * so nodes not yet upgraded read it too.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lease.h"

#define LEASEAREA_VERSION      2u
#define LEASEAREA_HEADER_SIZE  512u
#define LEASEAREA_SLOT_MAGIC   "EXHASLOT"
#define LEASEAREA_SLOTS_MAX    1024u
#define LEASEAREA_RESOURCE_MAX 127u /* bytes of name; the field has room for the NUL */

struct leasearea_header {
	uint32_t slots;
	uint32_t block_size; /* LEASE_BLOCK_SIZE: the only one this version writes */
};

/*
 * Which record a resource uses: version 1 (the record in block 0, or 0 for
 * "not set": the same) or LEASEAREA_VERSION (slot of an area), and the
 * resource instance a v2 slot belongs to.
 */
struct leasearea_place {
	uint32_t version;
	uint32_t slot;
	char resource[LEASEAREA_RESOURCE_MAX + 1];
};

/* What a device's first block holds. */
enum leasearea_kind {
	LEASEAREA_ZERO,	   /* nothing: not formatted */
	LEASEAREA_FOREIGN, /* data that is not ours: not formatted for leases */
	LEASEAREA_V1,	   /* a version 1 lease record: slot 0 only */
	LEASEAREA_V2,	   /* a version 2 header */
	LEASEAREA_DAMAGED, /* our magic, but a damaged record or header */
	LEASEAREA_NEWER,   /* our magic, a version this code does not know */
};

/* Byte offset of slot's record block; of the area's end for slot == slots. */
uint64_t leasearea_slot_offset(uint32_t slot);

/* Bytes an area of slots slots needs on its device. */
uint64_t leasearea_size(uint32_t slots);

/* Header into buf (LEASEAREA_HEADER_SIZE bytes at least). -EINVAL for a bad header. */
int leasearea_header_encode(const struct leasearea_header *h, uint8_t *buf, size_t size);

/*
 * Decode a header. -ENODATA: buf too short; -EBADMSG: not a v2 header or a
 * damaged one (every field checked); -EPROTONOSUPPORT: a newer version.
 * ret is untouched on failure.
 */
int leasearea_header_decode(const uint8_t *buf, size_t size, struct leasearea_header *ret);

/*
 * What block 0 (size bytes, all of them looked at for LEASEAREA_ZERO)
 * holds; ret_header (may be NULL) is filled for LEASEAREA_V2.
 */
enum leasearea_kind leasearea_probe(const uint8_t *buf, size_t size,
				    struct leasearea_header *ret_header);

/*
 * A v2 slot record into buf (LEASE_RECORD_SIZE bytes at least): rec as the
 * lease of resource in slot. -EINVAL for a bad record, slot or resource
 * (a held slot needs an owner and a resource).
 */
int leasearea_slot_encode(uint32_t slot, const char *resource, const struct lease_rec *rec,
			  uint8_t *buf, size_t size);

/*
 * Decode the record of slot. -ENODATA: buf too short; -EBADMSG: not a v2
 * slot record, a damaged one, or one of another slot or offset;
 * -EPROTONOSUPPORT: a newer version. On success ret_rec and ret_resource
 * (LEASEAREA_RESOURCE_MAX + 1 bytes; "" when unassigned) are filled, and
 * untouched otherwise.
 */
int leasearea_slot_decode(const uint8_t *buf, size_t size, uint32_t slot, struct lease_rec *ret_rec,
			  char *ret_resource);

/*
 * The record of place, as lease_encode and lease_decode do for version 1:
 * what leaseio reads and writes. Decoding a v2 slot that belongs to
 * another resource is -EADDRINUSE: a record that is not ours to take,
 * renew or release.
 */
int leasearea_record_encode(const struct leasearea_place *p, const struct lease_rec *rec,
			    uint8_t *buf, size_t size);
int leasearea_record_decode(const struct leasearea_place *p, const uint8_t *buf, size_t size,
			    struct lease_rec *ret_rec);

/* A resource name a slot can carry: 1 .. LEASEAREA_RESOURCE_MAX bytes, no control characters. */
bool leasearea_resource_valid(const char *resource);
