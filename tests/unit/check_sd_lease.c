/*
 * switching-disk lease record: encode/decode round trips, the CRC against
 * the published check value, every kind of damage refused, and the acquire
 * decision table.
 */
#include <errno.h>

#include "check_common.h"
#include "lease.h"

static struct lease_rec held(const char *owner, uint64_t gen, uint64_t renewed, uint32_t timeout)
{
	struct lease_rec r = {.generation = gen,
			      .renewed_ms = renewed,
			      .timeout_ms = timeout,
			      .state = LEASE_HELD};

	snprintf(r.owner, sizeof(r.owner), "%s", owner);
	return r;
}

static void encode(const struct lease_rec *r, uint8_t buf[LEASE_RECORD_SIZE])
{
	ck_assert_int_eq(lease_encode(r, buf, LEASE_RECORD_SIZE), 0);
}

START_TEST(test_crc32c_matches_the_standard_check_value)
{
	ck_assert_uint_eq(lease_crc32c("123456789", 9), 0xe3069283u);
	ck_assert_uint_eq(lease_crc32c("", 0), 0);
}
END_TEST

START_TEST(test_a_record_decodes_to_what_was_encoded)
{
	struct lease_rec in =
		held("node-a.example", 0x0102030405060708ull, 1700000000123ull, 10000);
	struct lease_rec out;
	uint8_t buf[LEASE_RECORD_SIZE];

	encode(&in, buf);
	ck_assert_int_eq(lease_decode(buf, sizeof(buf), &out), 0);
	ck_assert_uint_eq(out.generation, in.generation);
	ck_assert_uint_eq(out.renewed_ms, in.renewed_ms);
	ck_assert_uint_eq(out.timeout_ms, 10000);
	ck_assert_int_eq(out.state, LEASE_HELD);
	ck_assert_str_eq(out.owner, "node-a.example");
}
END_TEST

START_TEST(test_the_layout_is_little_endian_at_fixed_offsets)
{
	struct lease_rec in = held("n", 0x0102030405060708ull, 0x1122334455667788ull, 0xaabbccdd);
	uint8_t buf[LEASE_RECORD_SIZE];

	encode(&in, buf);
	ck_assert_int_eq(memcmp(buf, "EXHALEAS", 8), 0);
	ck_assert_uint_eq(buf[8], 1);
	ck_assert_uint_eq(buf[12] | buf[13] << 8, 512);
	ck_assert_uint_eq(buf[16], 0x08);
	ck_assert_uint_eq(buf[23], 0x01);
	ck_assert_uint_eq(buf[24], 0x88);
	ck_assert_uint_eq(buf[32], 0xdd);
	ck_assert_uint_eq(buf[36], 1);
	ck_assert_uint_eq(buf[40], 'n');
	ck_assert_uint_eq(buf[41], 0);
	ck_assert_uint_eq((uint32_t)buf[508] | (uint32_t)buf[509] << 8 | (uint32_t)buf[510] << 16 |
				  (uint32_t)buf[511] << 24,
			  lease_crc32c(buf, 508));
}
END_TEST

START_TEST(test_a_blank_sector_is_a_free_lease)
{
	uint8_t buf[LEASE_RECORD_SIZE] = {0};
	struct lease_rec out = held("x", 9, 9, 9);

	ck_assert_int_eq(lease_decode(buf, sizeof(buf), &out), 1);
	ck_assert_int_eq(out.state, LEASE_FREE);
	ck_assert_int_eq(lease_decide(1, &out, "me", 0), LEASE_TAKE);
}
END_TEST

START_TEST(test_every_flipped_bit_is_refused)
{
	struct lease_rec in = held("node-a", 7, 1000, 10000), out;
	uint8_t buf[LEASE_RECORD_SIZE];

	encode(&in, buf);
	for (unsigned bit = 0; bit < LEASE_RECORD_SIZE * 8; bit++) {
		int r;

		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		r = lease_decode(buf, sizeof(buf), &out);
		ck_assert_msg(r == -EBADMSG || r == -EPROTONOSUPPORT, "bit %u: %d", bit, r);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_int_eq(lease_decode(buf, sizeof(buf), &out), 0);
}
END_TEST

START_TEST(test_a_short_buffer_is_refused)
{
	struct lease_rec in = held("node-a", 1, 1, 1), out;
	uint8_t buf[LEASE_RECORD_SIZE];

	encode(&in, buf);
	ck_assert_int_eq(lease_decode(buf, LEASE_RECORD_SIZE - 1, &out), -ENODATA);
	ck_assert_int_eq(lease_decode(buf, 0, &out), -ENODATA);
}
END_TEST

START_TEST(test_an_unknown_version_is_refused_as_such)
{
	struct lease_rec in = held("node-a", 1, 1, 1), out;
	uint8_t buf[LEASE_RECORD_SIZE];
	uint32_t crc;

	encode(&in, buf);
	buf[8] = 2;
	crc = lease_crc32c(buf, 508);
	for (int i = 0; i < 4; i++)
		buf[508 + i] = (uint8_t)(crc >> (8 * i));
	ck_assert_int_eq(lease_decode(buf, sizeof(buf), &out), -EPROTONOSUPPORT);
	ck_assert_int_eq(lease_decide(-EPROTONOSUPPORT, NULL, "me", 0), LEASE_UNKNOWN_V);
}
END_TEST

/* A record with a valid CRC whose fields are still wrong. */
static int decode_patched(unsigned off, uint8_t value)
{
	struct lease_rec in = held("node-a", 1, 1, 1), out;
	uint8_t buf[LEASE_RECORD_SIZE];
	uint32_t crc;

	encode(&in, buf);
	buf[off] = value;
	crc = lease_crc32c(buf, 508);
	for (int i = 0; i < 4; i++)
		buf[508 + i] = (uint8_t)(crc >> (8 * i));
	return lease_decode(buf, sizeof(buf), &out);
}

START_TEST(test_checksummed_nonsense_is_still_refused)
{
	ck_assert_int_eq(decode_patched(36, 2), -EBADMSG);    /* state */
	ck_assert_int_eq(decode_patched(13, 0), -EBADMSG);    /* size */
	ck_assert_int_eq(decode_patched(47, 'x'), -EBADMSG);  /* owner not NUL-padded */
	ck_assert_int_eq(decode_patched(41, '\n'), -EBADMSG); /* control character */
	ck_assert_int_eq(decode_patched(40, 0), -EBADMSG);    /* held by nobody */
	ck_assert_int_eq(decode_patched(300, 1), -EBADMSG);   /* reserved */
	ck_assert_int_eq(decode_patched(0, 'e'), -EBADMSG);   /* magic */
}
END_TEST

START_TEST(test_encode_refuses_what_decode_would_refuse)
{
	struct lease_rec r = held("", 1, 1, 1);
	uint8_t buf[LEASE_RECORD_SIZE];

	ck_assert_int_eq(lease_encode(&r, buf, sizeof(buf)), -EINVAL);
	r = held("a", 1, 1, 1);
	r.state = 5;
	ck_assert_int_eq(lease_encode(&r, buf, sizeof(buf)), -EINVAL);
	r.state = LEASE_HELD;
	ck_assert_int_eq(lease_encode(&r, buf, sizeof(buf) - 1), -EINVAL);
	memset(r.owner, 'a', sizeof(r.owner));
	ck_assert_int_eq(lease_encode(&r, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(test_a_longest_owner_survives_the_round_trip)
{
	struct lease_rec r = held("", 1, 1, 1), out;
	uint8_t buf[LEASE_RECORD_SIZE];

	memset(r.owner, 'n', LEASE_OWNER_MAX);
	r.owner[LEASE_OWNER_MAX] = '\0';
	encode(&r, buf);
	ck_assert_int_eq(lease_decode(buf, sizeof(buf), &out), 0);
	ck_assert_uint_eq(strlen(out.owner), LEASE_OWNER_MAX);
}
END_TEST

START_TEST(test_the_decision_table)
{
	struct lease_rec free_rec = {.state = LEASE_FREE, .owner = "b"};
	struct lease_rec other = held("b", 5, 100000, 10000);
	struct lease_rec mine = held("a", 5, 100000, 10000);
	struct lease_rec future = held("b", 5, UINT64_MAX - 5, 10000);

	ck_assert_int_eq(lease_decide(0, &free_rec, "a", 100000), LEASE_TAKE);
	ck_assert_int_eq(lease_decide(0, &mine, "a", 100000), LEASE_OURS);
	ck_assert_int_eq(lease_decide(0, &mine, "a", 999999999), LEASE_OURS);
	ck_assert_int_eq(lease_decide(0, &other, "a", 100000), LEASE_BUSY);
	ck_assert_int_eq(lease_decide(0, &other, "a", 109999), LEASE_BUSY);
	ck_assert_int_eq(lease_decide(0, &other, "a", 110000), LEASE_WATCH);
	/* A clock far behind the holder's sees the lease as live: refuse, never take. */
	ck_assert_int_eq(lease_decide(0, &other, "a", 0), LEASE_BUSY);
	ck_assert_int_eq(lease_decide(0, &future, "a", UINT64_MAX), LEASE_BUSY);
	ck_assert_int_eq(lease_decide(-EBADMSG, &other, "a", 0), LEASE_CORRUPT);
	ck_assert_int_eq(lease_decide(-ENODATA, &other, "a", 0), LEASE_CORRUPT);
	ck_assert_int_eq(lease_decide(0, &other, "", 0), LEASE_CORRUPT);
	/* Names match whole: "node1" does not own "node10"'s lease. */
	other = held("node10", 5, 0, 10000);
	ck_assert_int_eq(lease_decide(0, &other, "node1", 0), LEASE_BUSY);
	ck_assert(!lease_is_ours(&other, "node1"));
	ck_assert(lease_is_ours(&other, "node10"));
}
END_TEST

START_TEST(test_a_watched_lease_is_dead_only_when_it_stood_still)
{
	struct lease_rec a = held("b", 5, 1, 1), b = a;

	ck_assert(lease_stood_still(&a, &b));
	b.generation++;
	ck_assert(!lease_stood_still(&a, &b));
	b = a;
	b.state = LEASE_FREE;
	ck_assert(!lease_stood_still(&a, &b));
	b = held("c", 5, 1, 1);
	ck_assert(!lease_stood_still(&a, &b));
}
END_TEST

START_TEST(test_the_collision_window_is_bounded)
{
	ck_assert_uint_eq(lease_collision_window_ms(2000), 100);
	ck_assert_uint_eq(lease_collision_window_ms(10000), 500);
	ck_assert_uint_eq(lease_collision_window_ms(3600000), 1000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("switching-disk lease");

	ADD_CASE(s, test_crc32c_matches_the_standard_check_value, 5);
	ADD_CASE(s, test_a_record_decodes_to_what_was_encoded, 5);
	ADD_CASE(s, test_the_layout_is_little_endian_at_fixed_offsets, 5);
	ADD_CASE(s, test_a_blank_sector_is_a_free_lease, 5);
	ADD_CASE(s, test_every_flipped_bit_is_refused, 30);
	ADD_CASE(s, test_a_short_buffer_is_refused, 5);
	ADD_CASE(s, test_an_unknown_version_is_refused_as_such, 5);
	ADD_CASE(s, test_checksummed_nonsense_is_still_refused, 5);
	ADD_CASE(s, test_encode_refuses_what_decode_would_refuse, 5);
	ADD_CASE(s, test_a_longest_owner_survives_the_round_trip, 5);
	ADD_CASE(s, test_the_decision_table, 5);
	ADD_CASE(s, test_a_watched_lease_is_dead_only_when_it_stood_still, 5);
	ADD_CASE(s, test_the_collision_window_is_bounded, 5);
	return check_run(s);
}
