/*
 * alert: the CPG wire format. Every node decodes what any node (any
 * version) multicasts, so the decoder gets truncated, padded and forged
 * messages, and the encoder's refusals are exact.
 */
#include <errno.h>

#include "alert.h"
#include "check_common.h"

static struct alert sample(void)
{
	struct alert a = {0};

	ck_assert_int_eq(alert_init(&a, ALERT_CRITICAL, "node1", "switching-disk(disk)",
				    "Failed to connect the switched disk partition"),
			 0);
	a.time_s = 1700000000;
	return a;
}

START_TEST(test_an_alert_survives_encoding_and_decoding)
{
	struct alert a = sample(), b;
	uint8_t buf[ALERT_MSG_MAX];
	size_t len = 0;

	ck_assert_int_eq(alert_msg_encode(&a, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, 24 + 5 + 20 + 45);
	ck_assert_int_eq(alert_msg_decode(buf, len, &b), 0);
	ck_assert_int_eq(b.severity, ALERT_CRITICAL);
	ck_assert_uint_eq(b.time_s, 1700000000);
	ck_assert_str_eq(b.node, "node1");
	ck_assert_str_eq(b.source, "switching-disk(disk)");
	ck_assert_str_eq(b.text, a.text);
}
END_TEST

START_TEST(test_the_header_is_little_endian_with_magic_and_version)
{
	struct alert a = sample();
	uint8_t buf[ALERT_MSG_MAX];
	size_t len;

	ck_assert_int_eq(alert_msg_encode(&a, buf, sizeof(buf), &len), 0);
	ck_assert_mem_eq(buf, "EXAL", 4);
	ck_assert_uint_eq(buf[4], 1);
	ck_assert_uint_eq(buf[5], ALERT_CRITICAL);
	ck_assert_uint_eq(buf[8], 1700000000 & 0xff);
	ck_assert_uint_eq(buf[16], 5);
	ck_assert_uint_eq(buf[17], 0);
}
END_TEST

START_TEST(test_every_truncation_is_refused)
{
	struct alert a = sample(), b;
	uint8_t buf[ALERT_MSG_MAX];
	size_t len;

	ck_assert_int_eq(alert_msg_encode(&a, buf, sizeof(buf), &len), 0);
	for (size_t n = 0; n < len; n++)
		ck_assert_int_eq(alert_msg_decode(buf, n, &b), -EBADMSG);
	ck_assert_int_eq(alert_msg_decode(buf, len + 1, &b), -EBADMSG);
}
END_TEST

START_TEST(test_forged_lengths_magic_version_and_severity_are_refused)
{
	struct alert a = sample(), b;
	uint8_t buf[ALERT_MSG_MAX], bad[ALERT_MSG_MAX];
	size_t len;

	ck_assert_int_eq(alert_msg_encode(&a, buf, sizeof(buf), &len), 0);
	for (size_t off = 0; off < 24; off++) {
		if (off >= 8 && off < 16) /* the sender's time: any value decodes */
			continue;
		memcpy(bad, buf, len);
		bad[off] ^= 0x41;
		ck_assert_int_eq(alert_msg_decode(bad, len, &b), -EBADMSG);
	}
}
END_TEST

START_TEST(test_control_characters_never_reach_a_log)
{
	struct alert a = sample(), b;
	uint8_t buf[ALERT_MSG_MAX];
	size_t len;

	ck_assert_int_eq(alert_init(&b, ALERT_INFO, "n1", "x", "two\nlines"), -EINVAL);
	ck_assert_int_eq(alert_msg_encode(&a, buf, sizeof(buf), &len), 0);
	buf[len - 1] = '\n';
	ck_assert_int_eq(alert_msg_decode(buf, len, &b), -EBADMSG);
	buf[len - 1] = '\0';
	ck_assert_int_eq(alert_msg_decode(buf, len, &b), -EBADMSG);
}
END_TEST

START_TEST(test_oversized_fields_and_small_buffers_are_refused)
{
	char text[ALERT_TEXT_MAX + 2];
	struct alert a = sample(), b;
	uint8_t buf[ALERT_MSG_MAX];
	size_t len;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	ck_assert_int_eq(alert_init(&b, ALERT_INFO, "n1", "x", text), -EMSGSIZE);
	text[ALERT_TEXT_MAX] = '\0';
	ck_assert_int_eq(alert_init(&b, ALERT_INFO, "n1", "x", text), 0);
	ck_assert_int_eq(alert_msg_encode(&b, buf, sizeof(buf), &len), 0);
	ck_assert_int_eq(alert_msg_encode(&a, buf, 30, &len), -ENOBUFS);
	ck_assert_int_eq(alert_init(&b, ALERT_INFO, "", "x", "t"), -EINVAL);
	ck_assert_int_eq(alert_init(&b, ALERT_INFO, "n1", "x", ""), -EINVAL);
}
END_TEST

START_TEST(test_severities_parse_exactly)
{
	enum alert_severity s;

	ck_assert_int_eq(alert_severity_parse("critical", &s), 0);
	ck_assert_int_eq(s, ALERT_CRITICAL);
	ck_assert_int_eq(alert_severity_parse("warn", &s), -EINVAL);
	ck_assert_int_eq(alert_severity_parse("Critical", &s), -EINVAL);
}
END_TEST

START_TEST(test_the_log_line_names_the_origin_node)
{
	struct alert a = sample();
	char line[ALERT_MSG_MAX + 64];

	ck_assert_int_gt(alert_format(&a, line, sizeof(line)), 0);
	ck_assert_str_eq(line, "critical alert from node 'node1' (switching-disk(disk)): Failed "
			       "to connect the switched disk partition");
	ck_assert_int_eq(alert_format(&a, line, 10), -ENOBUFS);
}
END_TEST

START_TEST(test_sending_without_corosync_fails_cleanly)
{
	struct alert a = sample();
	int r;

	/* This test runs outside any cluster: corosync's IPC is not there. */
	r = alert_send(&a, deadline_in_ms(1000));
	ck_assert_int_lt(r, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("alert");

	ADD_CASE(s, test_an_alert_survives_encoding_and_decoding, 5);
	ADD_CASE(s, test_the_header_is_little_endian_with_magic_and_version, 5);
	ADD_CASE(s, test_every_truncation_is_refused, 5);
	ADD_CASE(s, test_forged_lengths_magic_version_and_severity_are_refused, 5);
	ADD_CASE(s, test_control_characters_never_reach_a_log, 5);
	ADD_CASE(s, test_oversized_fields_and_small_buffers_are_refused, 5);
	ADD_CASE(s, test_severities_parse_exactly, 5);
	ADD_CASE(s, test_the_log_line_names_the_origin_node, 5);
	ADD_CASE(s, test_sending_without_corosync_fails_cleanly, 10);
	return check_run(s);
}
