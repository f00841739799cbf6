/* echo: reach-monitor's ICMP echo messages, built and parsed without a socket. */
#include <errno.h>
#include <netinet/in.h>

#include "check_common.h"
#include "../../monitors/reach-monitor/echo.h"

START_TEST(test_the_rfc1071_checksum_of_a_known_header)
{
	/* RFC 1071's example words sum to 0xddf2, so the checksum is ~0xddf2. */
	const uint8_t words[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	ck_assert_uint_eq(inet_checksum(words, sizeof(words)), (uint16_t)~0xddf2);
}
END_TEST

START_TEST(test_an_ipv4_request_checksums_to_zero)
{
	struct echo e = {.id = 0x1234, .seq = 7, .token = 0xdeadbeef};
	uint8_t buf[ECHO_LEN];

	ck_assert_int_eq(echo_build(AF_INET, &e, buf, sizeof(buf)), ECHO_LEN);
	ck_assert_uint_eq(buf[0], 8);
	ck_assert_uint_eq(inet_checksum(buf, ECHO_LEN), 0);
	ck_assert_int_eq(echo_build(AF_INET, &e, buf, ECHO_LEN - 1), -EINVAL);
}
END_TEST

/* Turn a request into the reply a host sends back. */
static void as_reply(uint8_t *buf, int family)
{
	buf[0] = family == AF_INET ? 0 : 129;
}

START_TEST(test_a_reply_gives_back_id_sequence_and_token)
{
	struct echo e = {.id = 0x1234, .seq = 0xbeef, .token = 0x01020304}, got;
	uint8_t buf[20 + ECHO_LEN] = {0x45};

	ck_assert_int_eq(echo_build(AF_INET6, &e, buf, sizeof(buf)), ECHO_LEN);
	ck_assert_uint_eq(buf[0], 128);
	as_reply(buf, AF_INET6);
	ck_assert_int_eq(echo_parse(AF_INET6, false, buf, ECHO_LEN, &got), 0);
	ck_assert_uint_eq(got.id, 0x1234);
	ck_assert_uint_eq(got.seq, 0xbeef);
	ck_assert_uint_eq(got.token, 0x01020304);
	/* A raw IPv4 socket hands back the IP header first. */
	buf[0] = 0x45;
	ck_assert_int_eq(echo_build(AF_INET, &e, buf + 20, ECHO_LEN), ECHO_LEN);
	as_reply(buf + 20, AF_INET);
	ck_assert_int_eq(echo_parse(AF_INET, true, buf, sizeof(buf), &got), 0);
	ck_assert_uint_eq(got.seq, 0xbeef);
}
END_TEST

START_TEST(test_other_messages_and_short_ones_are_refused)
{
	struct echo e = {0}, got;
	uint8_t buf[ECHO_LEN];

	echo_build(AF_INET, &e, buf, sizeof(buf)); /* a request, not a reply */
	ck_assert_int_eq(echo_parse(AF_INET, false, buf, ECHO_LEN, &got), -ENOMSG);
	as_reply(buf, AF_INET);
	ck_assert_int_eq(echo_parse(AF_INET, false, buf, 7, &got), -EBADMSG);
	ck_assert_int_eq(echo_parse(AF_INET, false, buf, ECHO_LEN - 1, &got), -EBADMSG);
	ck_assert_int_eq(echo_parse(AF_INET, true, buf, ECHO_LEN, &got), -EBADMSG);
	buf[1] = 1; /* a code other than 0 */
	ck_assert_int_eq(echo_parse(AF_INET, false, buf, ECHO_LEN, &got), -ENOMSG);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("echo");

	ADD_CASE(s, test_the_rfc1071_checksum_of_a_known_header, 5);
	ADD_CASE(s, test_an_ipv4_request_checksums_to_zero, 5);
	ADD_CASE(s, test_a_reply_gives_back_id_sequence_and_token, 5);
	ADD_CASE(s, test_other_messages_and_short_ones_are_refused, 5);
	return check_run(s);
}
