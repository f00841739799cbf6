/*
 * The v2 lease area's layout, header and slot records (see leasearea.h).
 * Decoding trusts nothing: every field, the reserved bytes included, is
 * checked, so only canonical bytes decode and a damaged block can only
 * ever make a start refuse.
 */
#include "leasearea.h"

#include <errno.h>
#include <string.h>

#include "le.h"

/* Header */
#define H_MAGIC	  0
#define H_VERSION 8
#define H_SIZE	  12
#define H_BLOCK	  16
#define H_SLOTS	  20
#define H_OFFSET  24
#define H_RSVD	  32
#define H_CRC	  (LEASEAREA_HEADER_SIZE - 4)

/* Slot record */
#define S_MAGIC	   0
#define S_VERSION  8
#define S_SIZE	   12
#define S_SLOT	   16
#define S_STATE	   20
#define S_OFFSET   24
#define S_GEN	   32
#define S_RENEWED  40
#define S_TIMEOUT  48
#define S_RSVD1	   52
#define S_OWNER	   56
#define OWNER_LEN  256
#define S_RESOURCE 312
#define RES_LEN	   128
#define S_RSVD2	   440
#define S_CRC	   (LEASE_RECORD_SIZE - 4)

/* The v1 record's version field sits where the header's does. */
#define V1_VERSION 8

uint64_t leasearea_slot_offset(uint32_t slot)
{
	return ((uint64_t)slot + 1u) * LEASE_BLOCK_SIZE;
}

uint64_t leasearea_size(uint32_t slots)
{
	return leasearea_slot_offset(slots);
}

int leasearea_header_encode(const struct leasearea_header *h, uint8_t *buf, size_t size)
{
	if (!h || !buf || size < LEASEAREA_HEADER_SIZE || h->slots < 1 ||
	    h->slots > LEASEAREA_SLOTS_MAX || h->block_size != LEASE_BLOCK_SIZE)
		return -EINVAL;
	memset(buf, 0, LEASEAREA_HEADER_SIZE);
	memcpy(buf + H_MAGIC, LEASE_MAGIC, 8);
	le_put32(buf + H_VERSION, LEASEAREA_VERSION);
	le_put32(buf + H_SIZE, LEASEAREA_HEADER_SIZE);
	le_put32(buf + H_BLOCK, h->block_size);
	le_put32(buf + H_SLOTS, h->slots);
	le_put64(buf + H_OFFSET, 0);
	le_put32(buf + H_CRC, lease_crc32c(buf, H_CRC));
	return 0;
}

int leasearea_header_decode(const uint8_t *buf, size_t size, struct leasearea_header *ret)
{
	struct leasearea_header h;
	uint32_t version;

	if (!buf || !ret)
		return -EINVAL;
	if (size < LEASEAREA_HEADER_SIZE)
		return -ENODATA;
	if (memcmp(buf + H_MAGIC, LEASE_MAGIC, 8) != 0)
		return -EBADMSG;
	version = le_get32(buf + H_VERSION);
	if (version > LEASEAREA_VERSION)
		return -EPROTONOSUPPORT;
	if (version != LEASEAREA_VERSION || le_get32(buf + H_SIZE) != LEASEAREA_HEADER_SIZE ||
	    le_get32(buf + H_CRC) != lease_crc32c(buf, H_CRC) || le_get64(buf + H_OFFSET) != 0 ||
	    !le_all_zero(buf + H_RSVD, H_CRC - H_RSVD))
		return -EBADMSG;
	h.block_size = le_get32(buf + H_BLOCK);
	h.slots = le_get32(buf + H_SLOTS);
	if (h.block_size != LEASE_BLOCK_SIZE || h.slots < 1 || h.slots > LEASEAREA_SLOTS_MAX)
		return -EBADMSG;
	*ret = h;
	return 0;
}

enum leasearea_kind leasearea_probe(const uint8_t *buf, size_t size,
				    struct leasearea_header *ret_header)
{
	struct leasearea_header h;
	struct lease_rec rec;
	uint32_t version;

	if (!buf || size < LEASEAREA_HEADER_SIZE)
		return LEASEAREA_FOREIGN;
	if (le_all_zero(buf, size))
		return LEASEAREA_ZERO;
	if (memcmp(buf, LEASE_MAGIC, 8) != 0)
		return LEASEAREA_FOREIGN;
	version = le_get32(buf + V1_VERSION);
	if (version == LEASE_VERSION)
		return lease_decode(buf, size, &rec) == 0 ? LEASEAREA_V1 : LEASEAREA_DAMAGED;
	switch (leasearea_header_decode(buf, size, &h)) {
	case 0:
		if (ret_header)
			*ret_header = h;
		return LEASEAREA_V2;
	case -EPROTONOSUPPORT:
		return LEASEAREA_NEWER;
	default:
		return LEASEAREA_DAMAGED;
	}
}

/* A NUL-padded name field of len bytes: at most len - 1 bytes, no control characters. */
static int name_decode(const uint8_t *field, size_t len, char *out)
{
	size_t n = strnlen((const char *)field, len);

	if (n >= len || !le_all_zero(field + n, len - n))
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if (field[i] < 0x20 || field[i] == 0x7f)
			return -EBADMSG;
	memcpy(out, field, n + 1);
	return 0;
}

static bool name_valid(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

bool leasearea_resource_valid(const char *resource)
{
	return resource && resource[0] && name_valid(resource, LEASEAREA_RESOURCE_MAX);
}

int leasearea_slot_encode(uint32_t slot, const char *resource, const struct lease_rec *rec,
			  uint8_t *buf, size_t size)
{
	if (!rec || !resource || !buf || size < LEASE_RECORD_SIZE || slot >= LEASEAREA_SLOTS_MAX ||
	    !name_valid(resource, LEASEAREA_RESOURCE_MAX) ||
	    !name_valid(rec->owner, LEASE_OWNER_MAX))
		return -EINVAL;
	if (rec->state != LEASE_FREE && rec->state != LEASE_HELD)
		return -EINVAL;
	if (rec->state == LEASE_HELD && (!rec->owner[0] || !resource[0]))
		return -EINVAL;
	memset(buf, 0, LEASE_RECORD_SIZE);
	memcpy(buf + S_MAGIC, LEASEAREA_SLOT_MAGIC, 8);
	le_put32(buf + S_VERSION, LEASEAREA_VERSION);
	le_put32(buf + S_SIZE, LEASE_RECORD_SIZE);
	le_put32(buf + S_SLOT, slot);
	le_put32(buf + S_STATE, (uint32_t)rec->state);
	le_put64(buf + S_OFFSET, leasearea_slot_offset(slot));
	le_put64(buf + S_GEN, rec->generation);
	le_put64(buf + S_RENEWED, rec->renewed_ms);
	le_put32(buf + S_TIMEOUT, rec->timeout_ms);
	memcpy(buf + S_OWNER, rec->owner, strlen(rec->owner));
	memcpy(buf + S_RESOURCE, resource, strlen(resource));
	le_put32(buf + S_CRC, lease_crc32c(buf, S_CRC));
	return 0;
}

/* The fixed fields of a slot record: magic, version, size, place, reserved bytes, CRC. */
static int slot_check_frame(const uint8_t *buf, uint32_t slot)
{
	uint32_t version;

	if (memcmp(buf + S_MAGIC, LEASEAREA_SLOT_MAGIC, 8) != 0)
		return -EBADMSG;
	version = le_get32(buf + S_VERSION);
	if (version > LEASEAREA_VERSION)
		return -EPROTONOSUPPORT;
	if (version != LEASEAREA_VERSION || le_get32(buf + S_SIZE) != LEASE_RECORD_SIZE ||
	    le_get32(buf + S_CRC) != lease_crc32c(buf, S_CRC))
		return -EBADMSG;
	if (slot >= LEASEAREA_SLOTS_MAX || le_get32(buf + S_SLOT) != slot ||
	    le_get64(buf + S_OFFSET) != leasearea_slot_offset(slot))
		return -EBADMSG;
	if (le_get32(buf + S_RSVD1) != 0 || !le_all_zero(buf + S_RSVD2, S_CRC - S_RSVD2))
		return -EBADMSG;
	return 0;
}

int leasearea_slot_decode(const uint8_t *buf, size_t size, uint32_t slot, struct lease_rec *ret_rec,
			  char *ret_resource)
{
	struct lease_rec rec = {0};
	char resource[RES_LEN];
	uint32_t state;
	int r;

	if (!buf || !ret_rec || !ret_resource)
		return -EINVAL;
	if (size < LEASE_RECORD_SIZE)
		return -ENODATA;
	r = slot_check_frame(buf, slot);
	if (r < 0)
		return r;
	state = le_get32(buf + S_STATE);
	if (state != LEASE_FREE && state != LEASE_HELD)
		return -EBADMSG;
	if (name_decode(buf + S_OWNER, OWNER_LEN, rec.owner) < 0 ||
	    name_decode(buf + S_RESOURCE, RES_LEN, resource) < 0)
		return -EBADMSG;
	if (state == LEASE_HELD && (!rec.owner[0] || !resource[0]))
		return -EBADMSG;
	rec.state = (enum lease_state)state;
	rec.generation = le_get64(buf + S_GEN);
	rec.renewed_ms = le_get64(buf + S_RENEWED);
	rec.timeout_ms = le_get32(buf + S_TIMEOUT);
	*ret_rec = rec;
	memcpy(ret_resource, resource, strlen(resource) + 1);
	return 0;
}

static bool place_is_v1(const struct leasearea_place *p)
{
	return p->version == 0 || p->version == LEASE_VERSION;
}

int leasearea_record_encode(const struct leasearea_place *p, const struct lease_rec *rec,
			    uint8_t *buf, size_t size)
{
	if (!p)
		return -EINVAL;
	if (place_is_v1(p))
		return lease_encode(rec, buf, size);
	if (p->version != LEASEAREA_VERSION || !leasearea_resource_valid(p->resource))
		return -EINVAL;
	return leasearea_slot_encode(p->slot, p->resource, rec, buf, size);
}

int leasearea_record_decode(const struct leasearea_place *p, const uint8_t *buf, size_t size,
			    struct lease_rec *ret_rec)
{
	char resource[LEASEAREA_RESOURCE_MAX + 1];
	struct lease_rec rec;
	int r;

	if (!p)
		return -EINVAL;
	if (place_is_v1(p))
		return lease_decode(buf, size, ret_rec);
	if (p->version != LEASEAREA_VERSION)
		return -EINVAL;
	r = leasearea_slot_decode(buf, size, p->slot, &rec, resource);
	if (r < 0)
		return r;
	/* Unassigned (as init leaves it, or clear) is free for anyone; else only for its resource.
	 */
	if (resource[0] && strcmp(resource, p->resource) != 0)
		return -EADDRINUSE;
	*ret_rec = rec;
	return 0;
}
