/*
 * switching-disk lease area (format version 2): the slot layout, the
 * header and slot records at their fixed offsets, every kind of damage
 * refused, what a first block is recognised as, version 1 devices read as
 * slot 0, and a slot that belongs to another resource never decoded as
 * a lease to take.
 */
#include <errno.h>

#include "check_common.h"
#include "leasearea.h"

static struct lease_rec held(const char *owner, uint64_t gen)
{
	struct lease_rec r = {.generation = gen,
			      .renewed_ms = 1700000000123ull,
			      .timeout_ms = 10000,
			      .state = LEASE_HELD};

	snprintf(r.owner, sizeof(r.owner), "%s", owner);
	return r;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_crc(uint8_t *buf)
{
	uint32_t crc = lease_crc32c(buf, 508);

	for (int i = 0; i < 4; i++)
		buf[508 + i] = (uint8_t)(crc >> (8 * i));
}

static void header(uint32_t slots, uint8_t *buf)
{
	struct leasearea_header h = {.slots = slots, .block_size = LEASE_BLOCK_SIZE};

	memset(buf, 0, LEASE_BLOCK_SIZE);
	ck_assert_int_eq(leasearea_header_encode(&h, buf, LEASE_BLOCK_SIZE), 0);
}

static void slot_rec(uint32_t slot, const char *resource, const struct lease_rec *r, uint8_t *buf)
{
	memset(buf, 0, LEASE_BLOCK_SIZE);
	ck_assert_int_eq(leasearea_slot_encode(slot, resource, r, buf, LEASE_BLOCK_SIZE), 0);
}

START_TEST(test_slot_i_lies_in_block_one_plus_i)
{
	ck_assert_uint_eq(leasearea_slot_offset(0), 4096);
	ck_assert_uint_eq(leasearea_slot_offset(1), 8192);
	ck_assert_uint_eq(leasearea_slot_offset(LEASEAREA_SLOTS_MAX - 1),
			  (uint64_t)LEASEAREA_SLOTS_MAX * 4096);
	ck_assert_uint_eq(leasearea_size(1), 8192);
	ck_assert_uint_eq(leasearea_size(16), 17 * 4096);
	/* No two slots and no slot and the header share a block. */
	for (uint32_t s = 0; s + 1 < LEASEAREA_SLOTS_MAX; s++)
		ck_assert_uint_eq(leasearea_slot_offset(s + 1) - leasearea_slot_offset(s), 4096);
}
END_TEST

START_TEST(test_the_header_is_little_endian_at_fixed_offsets)
{
	uint8_t buf[LEASE_BLOCK_SIZE];
	struct leasearea_header h;

	header(300, buf);
	ck_assert_int_eq(memcmp(buf, "EXHALEAS", 8), 0);
	ck_assert_uint_eq(get32(buf + 8), 2);
	ck_assert_uint_eq(get32(buf + 12), 512);
	ck_assert_uint_eq(get32(buf + 16), 4096);
	ck_assert_uint_eq(buf[20], 300 & 0xff);
	ck_assert_uint_eq(buf[21], 300 >> 8);
	ck_assert_uint_eq(get32(buf + 24) | get32(buf + 28), 0);
	ck_assert_uint_eq(get32(buf + 508), lease_crc32c(buf, 508));
	ck_assert_int_eq(leasearea_header_decode(buf, sizeof(buf), &h), 0);
	ck_assert_uint_eq(h.slots, 300);
	ck_assert_uint_eq(h.block_size, 4096);
}
END_TEST

START_TEST(test_a_version_1_agent_reads_the_header_as_a_newer_record)
{
	uint8_t buf[LEASE_BLOCK_SIZE];
	struct lease_rec r;

	header(4, buf);
	/* It refuses and never writes over it: lease_decide says LEASE_UNKNOWN_V. */
	ck_assert_int_eq(lease_decode(buf, sizeof(buf), &r), -EPROTONOSUPPORT);
	ck_assert_int_eq(lease_decide(-EPROTONOSUPPORT, &r, "me", 0), LEASE_UNKNOWN_V);
}
END_TEST

START_TEST(test_every_flipped_bit_of_a_header_is_refused)
{
	uint8_t buf[LEASE_BLOCK_SIZE];
	struct leasearea_header h = {.slots = 99};

	header(8, buf);
	for (unsigned bit = 0; bit < LEASEAREA_HEADER_SIZE * 8; bit++) {
		int r;

		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		r = leasearea_header_decode(buf, sizeof(buf), &h);
		ck_assert_msg(r == -EBADMSG || r == -EPROTONOSUPPORT, "bit %u: %d", bit, r);
		ck_assert_uint_eq(h.slots, 99);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
}
END_TEST

static int header_patched(unsigned off, uint8_t value)
{
	uint8_t buf[LEASE_BLOCK_SIZE];
	struct leasearea_header h;

	header(8, buf);
	buf[off] = value;
	put_crc(buf);
	return leasearea_header_decode(buf, sizeof(buf), &h);
}

START_TEST(test_a_checksummed_header_with_wrong_fields_is_refused)
{
	ck_assert_int_eq(header_patched(20, 0), -EBADMSG);    /* no slots */
	ck_assert_int_eq(header_patched(21, 0x10), -EBADMSG); /* 4104 slots: beyond the maximum */
	ck_assert_int_eq(header_patched(17, 0x02), -EBADMSG); /* block size 512 */
	ck_assert_int_eq(header_patched(13, 0x04), -EBADMSG); /* header size */
	ck_assert_int_eq(header_patched(24, 1), -EBADMSG);    /* own offset */
	ck_assert_int_eq(header_patched(100, 1), -EBADMSG);   /* reserved */
	ck_assert_int_eq(header_patched(8, 1), -EBADMSG);     /* a v1 record is no header */
	ck_assert_int_eq(header_patched(8, 3), -EPROTONOSUPPORT);
	ck_assert_int_eq(header_patched(0, 'e'), -EBADMSG);
	ck_assert_int_eq(
		leasearea_header_decode((uint8_t[512]){0}, 511, &(struct leasearea_header){0}),
		-ENODATA);
}
END_TEST

START_TEST(test_header_encode_refuses_a_layout_decode_would_refuse)
{
	uint8_t buf[LEASE_BLOCK_SIZE];
	struct leasearea_header h = {.slots = 0, .block_size = LEASE_BLOCK_SIZE};

	ck_assert_int_eq(leasearea_header_encode(&h, buf, sizeof(buf)), -EINVAL);
	h.slots = LEASEAREA_SLOTS_MAX + 1;
	ck_assert_int_eq(leasearea_header_encode(&h, buf, sizeof(buf)), -EINVAL);
	h.slots = 1;
	h.block_size = 512;
	ck_assert_int_eq(leasearea_header_encode(&h, buf, sizeof(buf)), -EINVAL);
	h.block_size = LEASE_BLOCK_SIZE;
	ck_assert_int_eq(leasearea_header_encode(&h, buf, 511), -EINVAL);
}
END_TEST

START_TEST(test_a_slot_record_is_little_endian_at_fixed_offsets)
{
	struct lease_rec in = held("node-a", 0x0102030405060708ull), out;
	char resource[LEASEAREA_RESOURCE_MAX + 1];
	uint8_t buf[LEASE_BLOCK_SIZE];

	slot_rec(5, "mail-disk", &in, buf);
	ck_assert_int_eq(memcmp(buf, "EXHASLOT", 8), 0);
	ck_assert_uint_eq(get32(buf + 8), 2);
	ck_assert_uint_eq(get32(buf + 12), 512);
	ck_assert_uint_eq(get32(buf + 16), 5);
	ck_assert_uint_eq(get32(buf + 20), 1);
	ck_assert_uint_eq(get32(buf + 24), 6 * 4096);
	ck_assert_uint_eq(buf[32], 0x08);
	ck_assert_uint_eq(buf[39], 0x01);
	ck_assert_uint_eq(get32(buf + 48), 10000);
	ck_assert_str_eq((const char *)buf + 56, "node-a");
	ck_assert_str_eq((const char *)buf + 312, "mail-disk");
	ck_assert_uint_eq(get32(buf + 508), lease_crc32c(buf, 508));
	ck_assert_int_eq(leasearea_slot_decode(buf, sizeof(buf), 5, &out, resource), 0);
	ck_assert_uint_eq(out.generation, in.generation);
	ck_assert_uint_eq(out.renewed_ms, in.renewed_ms);
	ck_assert_uint_eq(out.timeout_ms, 10000);
	ck_assert_int_eq(out.state, LEASE_HELD);
	ck_assert_str_eq(out.owner, "node-a");
	ck_assert_str_eq(resource, "mail-disk");
}
END_TEST

START_TEST(test_a_record_read_from_another_slot_is_refused)
{
	struct lease_rec in = held("node-a", 1), out;
	char resource[LEASEAREA_RESOURCE_MAX + 1];
	uint8_t buf[LEASE_BLOCK_SIZE];

	slot_rec(2, "r", &in, buf);
	ck_assert_int_eq(leasearea_slot_decode(buf, sizeof(buf), 3, &out, resource), -EBADMSG);
	ck_assert_int_eq(leasearea_slot_decode(buf, sizeof(buf), 1, &out, resource), -EBADMSG);
	ck_assert_int_eq(leasearea_slot_decode(buf, sizeof(buf), 2, &out, resource), 0);
	/* Slot and offset disagree: damaged, even with a good checksum. */
	buf[24] = 0;
	buf[25] = 0x20;
	put_crc(buf);
	ck_assert_int_eq(leasearea_slot_decode(buf, sizeof(buf), 2, &out, resource), -EBADMSG);
}
END_TEST

START_TEST(test_every_flipped_bit_of_a_slot_record_is_refused)
{
	struct lease_rec in = held("node-a", 7), out = {.generation = 99};
	char resource[LEASEAREA_RESOURCE_MAX + 1] = "untouched";
	uint8_t buf[LEASE_BLOCK_SIZE];

	slot_rec(0, "disk", &in, buf);
	for (unsigned bit = 0; bit < LEASE_RECORD_SIZE * 8; bit++) {
		int r;

		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		r = leasearea_slot_decode(buf, sizeof(buf), 0, &out, resource);
		ck_assert_msg(r == -EBADMSG || r == -EPROTONOSUPPORT, "bit %u: %d", bit, r);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_uint_eq(out.generation, 99);
	ck_assert_str_eq(resource, "untouched");
}
END_TEST

/* One-letter names, so a NUL at their start empties them and nothing else. */
static int slot_patched(unsigned off, uint8_t value)
{
	struct lease_rec in = held("n", 1), out;
	char resource[LEASEAREA_RESOURCE_MAX + 1];
	uint8_t buf[LEASE_BLOCK_SIZE];

	slot_rec(0, "d", &in, buf);
	buf[off] = value;
	put_crc(buf);
	return leasearea_slot_decode(buf, sizeof(buf), 0, &out, resource);
}

START_TEST(test_a_checksummed_slot_record_with_wrong_fields_is_refused)
{
	ck_assert_int_eq(slot_patched(20, 2), -EBADMSG);     /* state */
	ck_assert_int_eq(slot_patched(13, 0), -EBADMSG);     /* record size */
	ck_assert_int_eq(slot_patched(52, 1), -EBADMSG);     /* reserved */
	ck_assert_int_eq(slot_patched(450, 1), -EBADMSG);    /* reserved */
	ck_assert_int_eq(slot_patched(70, 'x'), -EBADMSG);   /* owner not NUL-padded */
	ck_assert_int_eq(slot_patched(320, 'x'), -EBADMSG);  /* resource not NUL-padded */
	ck_assert_int_eq(slot_patched(312, '\t'), -EBADMSG); /* control character */
	ck_assert_int_eq(slot_patched(312, 0), -EBADMSG);    /* held by no resource */
	ck_assert_int_eq(slot_patched(56, 0), -EBADMSG);     /* held by no node */
	ck_assert_int_eq(slot_patched(8, 1), -EBADMSG);
	ck_assert_int_eq(slot_patched(8, 3), -EPROTONOSUPPORT);
}
END_TEST

START_TEST(test_slot_encode_refuses_what_decode_would_refuse)
{
	struct lease_rec r = held("node-a", 1);
	char longest[LEASEAREA_RESOURCE_MAX + 2];
	uint8_t buf[LEASE_BLOCK_SIZE];

	ck_assert_int_eq(leasearea_slot_encode(0, "", &r, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(leasearea_slot_encode(LEASEAREA_SLOTS_MAX, "x", &r, buf, sizeof(buf)),
			 -EINVAL);
	ck_assert_int_eq(leasearea_slot_encode(0, "a\nb", &r, buf, sizeof(buf)), -EINVAL);
	memset(longest, 'r', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	ck_assert_int_eq(leasearea_slot_encode(0, longest, &r, buf, sizeof(buf)), -EINVAL);
	longest[LEASEAREA_RESOURCE_MAX] = '\0';
	ck_assert_int_eq(leasearea_slot_encode(0, longest, &r, buf, sizeof(buf)), 0);
	r.owner[0] = '\0';
	ck_assert_int_eq(leasearea_slot_encode(0, "x", &r, buf, sizeof(buf)), -EINVAL);
	r.state = LEASE_FREE;
	ck_assert_int_eq(leasearea_slot_encode(0, "", &r, buf, sizeof(buf)), 0);
	r.state = 7;
	ck_assert_int_eq(leasearea_slot_encode(0, "x", &r, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(test_the_first_block_is_recognised)
{
	struct lease_rec r = held("node-a", 3);
	struct leasearea_header h = {0};
	uint8_t buf[LEASE_BLOCK_SIZE] = {0};

	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_ZERO);
	/* A zero first sector but data further on is not blank. */
	buf[4000] = 1;
	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_FOREIGN);
	memset(buf, 0, sizeof(buf));
	buf[1080] = 0x53; /* an ext4 superblock's magic, nothing of ours */
	buf[1081] = 0xef;
	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_FOREIGN);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(lease_encode(&r, buf, sizeof(buf)), 0);
	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_V1);
	buf[100] = 1;
	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_DAMAGED);
	header(12, buf);
	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_V2);
	ck_assert_uint_eq(h.slots, 12);
	buf[200] = 1;
	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_DAMAGED);
	header(12, buf);
	buf[8] = 9;
	put_crc(buf);
	ck_assert_int_eq(leasearea_probe(buf, sizeof(buf), &h), LEASEAREA_NEWER);
	ck_assert_int_eq(leasearea_probe(buf, 100, &h), LEASEAREA_FOREIGN);
}
END_TEST

START_TEST(test_a_slot_of_another_resource_is_not_a_lease_to_take)
{
	struct leasearea_place mine = {.version = LEASEAREA_VERSION, .slot = 1, .resource = "a"};
	struct leasearea_place theirs = {.version = LEASEAREA_VERSION, .slot = 1, .resource = "b"};
	struct lease_rec r = held("node-a", 4), out = {0};
	const struct lease_rec unassigned = {.state = LEASE_FREE};
	uint8_t buf[LEASE_BLOCK_SIZE] = {0};

	ck_assert_int_eq(leasearea_record_encode(&mine, &r, buf, sizeof(buf)), 0);
	ck_assert_int_eq(leasearea_record_decode(&mine, buf, sizeof(buf), &out), 0);
	ck_assert_uint_eq(out.generation, 4);
	ck_assert_int_eq(leasearea_record_decode(&theirs, buf, sizeof(buf), &out), -EADDRINUSE);
	/* Released, it is still a's: only exha-lease clear unassigns it. */
	r.state = LEASE_FREE;
	ck_assert_int_eq(leasearea_record_encode(&mine, &r, buf, sizeof(buf)), 0);
	ck_assert_int_eq(leasearea_record_decode(&theirs, buf, sizeof(buf), &out), -EADDRINUSE);
	ck_assert_int_eq(lease_decide(-EADDRINUSE, &out, "node-b", 0), LEASE_CORRUPT);
	/* Unassigned, as init leaves it: free for whichever resource comes first. */
	slot_rec(1, "", &unassigned, buf);
	ck_assert_int_eq(leasearea_record_decode(&theirs, buf, sizeof(buf), &out), 0);
	ck_assert_int_eq(lease_decide(0, &out, "node-b", 0), LEASE_TAKE);
	/* A place without a valid resource writes nothing. */
	theirs.resource[0] = '\0';
	ck_assert_int_eq(leasearea_record_encode(&theirs, &r, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(test_a_version_1_place_reads_and_writes_version_1_records)
{
	const struct leasearea_place v1 = {.version = 0};
	struct lease_rec r = held("node-a", 9), out = {0};
	uint8_t a[LEASE_BLOCK_SIZE] = {0}, b[LEASE_BLOCK_SIZE] = {0};

	ck_assert_int_eq(leasearea_record_encode(&v1, &r, a, sizeof(a)), 0);
	ck_assert_int_eq(lease_encode(&r, b, sizeof(b)), 0);
	ck_assert_int_eq(memcmp(a, b, sizeof(a)), 0);
	ck_assert_int_eq(leasearea_record_decode(&v1, a, sizeof(a), &out), 0);
	ck_assert_uint_eq(out.generation, 9);
	ck_assert_str_eq(out.owner, "node-a");
	/* The header is no v1 record, and a v1 record is no slot record. */
	header(2, a);
	ck_assert_int_eq(leasearea_record_decode(&v1, a, sizeof(a), &out), -EPROTONOSUPPORT);
	ck_assert_int_eq(
		leasearea_record_decode(
			&(struct leasearea_place){.version = 2, .slot = 0, .resource = "x"}, b,
			sizeof(b), &out),
		-EBADMSG);
}
END_TEST

START_TEST(test_resource_names)
{
	char name[LEASEAREA_RESOURCE_MAX + 2];

	ck_assert(!leasearea_resource_valid(NULL));
	ck_assert(!leasearea_resource_valid(""));
	ck_assert(!leasearea_resource_valid("a\x7f"));
	ck_assert(leasearea_resource_valid("mail-disk:0"));
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert(!leasearea_resource_valid(name));
	name[LEASEAREA_RESOURCE_MAX] = '\0';
	ck_assert(leasearea_resource_valid(name));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("switching-disk lease area");

	ADD_CASE(s, test_slot_i_lies_in_block_one_plus_i, 5);
	ADD_CASE(s, test_the_header_is_little_endian_at_fixed_offsets, 5);
	ADD_CASE(s, test_a_version_1_agent_reads_the_header_as_a_newer_record, 5);
	ADD_CASE(s, test_every_flipped_bit_of_a_header_is_refused, 30);
	ADD_CASE(s, test_a_checksummed_header_with_wrong_fields_is_refused, 5);
	ADD_CASE(s, test_header_encode_refuses_a_layout_decode_would_refuse, 5);
	ADD_CASE(s, test_a_slot_record_is_little_endian_at_fixed_offsets, 5);
	ADD_CASE(s, test_a_record_read_from_another_slot_is_refused, 5);
	ADD_CASE(s, test_every_flipped_bit_of_a_slot_record_is_refused, 30);
	ADD_CASE(s, test_a_checksummed_slot_record_with_wrong_fields_is_refused, 5);
	ADD_CASE(s, test_slot_encode_refuses_what_decode_would_refuse, 5);
	ADD_CASE(s, test_the_first_block_is_recognised, 5);
	ADD_CASE(s, test_a_slot_of_another_resource_is_not_a_lease_to_take, 5);
	ADD_CASE(s, test_a_version_1_place_reads_and_writes_version_1_records, 5);
	ADD_CASE(s, test_resource_names, 5);
	return check_run(s);
}
