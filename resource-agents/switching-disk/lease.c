/*
 * Lease record encoding and the acquire decision (see lease.h). Decoding
 * trusts nothing: every field is checked before a record counts, so a
 * damaged sector can only ever make start refuse.
 */
#include "lease.h"

#include <errno.h>
#include <string.h>

#define OFF_MAGIC   0
#define OFF_VERSION 8
#define OFF_SIZE    12
#define OFF_GEN	    16
#define OFF_RENEWED 24
#define OFF_TIMEOUT 32
#define OFF_STATE   36
#define OFF_OWNER   40
#define OWNER_FIELD 256
#define OFF_CRC	    (LEASE_RECORD_SIZE - 4)

uint32_t lease_crc32c(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;

	/* Bitwise: 512 bytes a few times per second needs no table. */
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
	}
	return crc ^ 0xffffffffu;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

int lease_encode(const struct lease_rec *rec, uint8_t *buf, size_t size)
{
	size_t len;

	if (!rec || !buf || size < LEASE_RECORD_SIZE)
		return -EINVAL;
	len = strnlen(rec->owner, sizeof(rec->owner));
	if (len > LEASE_OWNER_MAX || (rec->state != LEASE_FREE && rec->state != LEASE_HELD) ||
	    (rec->state == LEASE_HELD && len == 0))
		return -EINVAL;
	memset(buf, 0, LEASE_RECORD_SIZE);
	memcpy(buf + OFF_MAGIC, LEASE_MAGIC, 8);
	put32(buf + OFF_VERSION, LEASE_VERSION);
	put32(buf + OFF_SIZE, LEASE_RECORD_SIZE);
	put64(buf + OFF_GEN, rec->generation);
	put64(buf + OFF_RENEWED, rec->renewed_ms);
	put32(buf + OFF_TIMEOUT, rec->timeout_ms);
	put32(buf + OFF_STATE, (uint32_t)rec->state);
	memcpy(buf + OFF_OWNER, rec->owner, len);
	put32(buf + OFF_CRC, lease_crc32c(buf, OFF_CRC));
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* The owner field: a name, NUL-padded to the end, no control characters. */
static int owner_decode(const uint8_t *field, char *out)
{
	size_t len = strnlen((const char *)field, OWNER_FIELD);

	if (len >= OWNER_FIELD || !all_zero(field + len, OWNER_FIELD - len))
		return -EBADMSG;
	for (size_t i = 0; i < len; i++)
		if (field[i] < 0x20 || field[i] == 0x7f)
			return -EBADMSG;
	memcpy(out, field, len + 1);
	return 0;
}

int lease_decode(const uint8_t *buf, size_t size, struct lease_rec *ret_rec)
{
	struct lease_rec rec = {0};
	uint32_t state;

	if (!buf || !ret_rec)
		return -EINVAL;
	if (size < LEASE_RECORD_SIZE)
		return -ENODATA;
	if (all_zero(buf, LEASE_RECORD_SIZE)) {
		*ret_rec = rec;
		return 1;
	}
	if (memcmp(buf + OFF_MAGIC, LEASE_MAGIC, 8) != 0)
		return -EBADMSG;
	/* A newer version may change everything after the magic and the version. */
	if (get32(buf + OFF_VERSION) != LEASE_VERSION)
		return -EPROTONOSUPPORT;
	if (get32(buf + OFF_SIZE) != LEASE_RECORD_SIZE ||
	    get32(buf + OFF_CRC) != lease_crc32c(buf, OFF_CRC) ||
	    !all_zero(buf + OFF_OWNER + OWNER_FIELD, OFF_CRC - OFF_OWNER - OWNER_FIELD))
		return -EBADMSG;
	state = get32(buf + OFF_STATE);
	if (state != LEASE_FREE && state != LEASE_HELD)
		return -EBADMSG;
	if (owner_decode(buf + OFF_OWNER, rec.owner) < 0 || (state == LEASE_HELD && !rec.owner[0]))
		return -EBADMSG;
	rec.state = (enum lease_state)state;
	rec.generation = get64(buf + OFF_GEN);
	rec.renewed_ms = get64(buf + OFF_RENEWED);
	rec.timeout_ms = get32(buf + OFF_TIMEOUT);
	*ret_rec = rec;
	return 0;
}

bool lease_is_ours(const struct lease_rec *rec, const char *me)
{
	return rec->state == LEASE_HELD && strcmp(rec->owner, me) == 0;
}

enum lease_verdict lease_decide(int decode_rc, const struct lease_rec *rec, const char *me,
				uint64_t now_ms)
{
	if (decode_rc == -EPROTONOSUPPORT)
		return LEASE_UNKNOWN_V;
	if (decode_rc < 0 || !rec || !me || !me[0])
		return LEASE_CORRUPT;
	if (decode_rc == 1 || rec->state == LEASE_FREE)
		return LEASE_TAKE;
	if (strcmp(rec->owner, me) == 0)
		return LEASE_OURS;
	/* Saturating: a renewal stamped in the far future stays live, never wraps to stale. */
	if (rec->renewed_ms > UINT64_MAX - rec->timeout_ms ||
	    now_ms < rec->renewed_ms + rec->timeout_ms)
		return LEASE_BUSY;
	return LEASE_WATCH;
}

bool lease_stood_still(const struct lease_rec *first, const struct lease_rec *later)
{
	return first->state == later->state && first->generation == later->generation &&
	       strcmp(first->owner, later->owner) == 0;
}

uint64_t lease_collision_window_ms(uint64_t timeout_ms)
{
	uint64_t w = timeout_ms / 20;

	return w < 100 ? 100 : w > 1000 ? 1000 : w;
}
