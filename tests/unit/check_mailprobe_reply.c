/*
 * mail-probe's line protocols: CRLF splitting and the SMTP, IMAP and POP3
 * reply forms a probe must tell apart (a wrong greeting is a failure).
 */
#include <errno.h>

#include "check_common.h"
#include "macro.h"
#include "reply.h"

START_TEST(test_line_split_finds_a_crlf_line)
{
	size_t n = 99;

	ck_assert_int_eq(reply_line_split("220 ok\r\nrest", 12, &n), 1);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(reply_line_split("\r\n", 2, &n), 1);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_line_split_waits_for_the_rest_of_a_line)
{
	size_t n = 99;

	ck_assert_int_eq(reply_line_split("", 0, &n), 0);
	ck_assert_int_eq(reply_line_split("220 ok", 6, &n), 0);
	ck_assert_int_eq(reply_line_split("220 ok\r", 7, &n), 0);
	ck_assert_uint_eq(n, 99);
}
END_TEST

START_TEST(test_line_split_rejects_nul_bare_lf_bare_cr_and_long_lines)
{
	static char big[REPLY_LINE_MAX + 3];
	size_t n = 99;

	ck_assert_int_eq(reply_line_split("22\0 ok\r\n", 8, &n), -EPROTO);
	ck_assert_int_eq(reply_line_split("220 ok\n", 7, &n), -EPROTO);
	ck_assert_int_eq(reply_line_split("220\rok\r\n", 8, &n), -EPROTO);
	memset(big, 'a', sizeof(big));
	ck_assert_int_eq(reply_line_split(big, sizeof(big), &n), -EPROTO);
	memcpy(big + REPLY_LINE_MAX, "\r\n", 2);
	ck_assert_int_eq(reply_line_split(big, REPLY_LINE_MAX + 2, &n), 1);
	ck_assert_uint_eq(n, REPLY_LINE_MAX);
}
END_TEST

START_TEST(test_smtp_line_parse_reads_code_and_continuation)
{
	unsigned code = 0;
	bool last = false;

	ck_assert_int_eq(smtp_line_parse("250-PIPELINING", &code, &last), 0);
	ck_assert_uint_eq(code, 250);
	ck_assert(!last);
	ck_assert_int_eq(smtp_line_parse("220 mx ESMTP", &code, &last), 0);
	ck_assert_uint_eq(code, 220);
	ck_assert(last);
	ck_assert_int_eq(smtp_line_parse("554", &code, &last), 0);
	ck_assert_uint_eq(code, 554);
	ck_assert(last);
}
END_TEST

START_TEST(test_smtp_line_parse_rejects_what_is_not_a_reply)
{
	static const char *const bad[] = {"",	    "* OK imap",   "+OK pop3", "22",
					  "2200 x", "120 x",	   "650 x",    "25x ok",
					  "220_x",  "HTTP/1.1 400"};
	unsigned code = 7;
	bool last = false;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(smtp_line_parse(bad[i], &code, &last) == -EPROTO, "'%s' accepted",
			      bad[i]);
	ck_assert_uint_eq(code, 7);
}
END_TEST

START_TEST(test_smtp_keyword_matches_whole_words_of_250_lines)
{
	ck_assert(smtp_line_has_keyword("250-STARTTLS", "STARTTLS"));
	ck_assert(smtp_line_has_keyword("250 starttls", "STARTTLS"));
	ck_assert(!smtp_line_has_keyword("250-STARTTLSX", "STARTTLS"));
	ck_assert(!smtp_line_has_keyword("220-STARTTLS", "STARTTLS"));
	ck_assert(!smtp_line_has_keyword("250", "STARTTLS"));
}
END_TEST

START_TEST(test_imap_line_parse_tells_untagged_from_tagged)
{
	enum imap_status st;
	const char *text;
	bool tagged;

	ck_assert_int_eq(imap_line_parse("* OK Dovecot ready.", "", &tagged, &st, &text), 0);
	ck_assert(!tagged);
	ck_assert_int_eq(st, IMAP_OK);
	ck_assert_str_eq(text, "Dovecot ready.");
	ck_assert_int_eq(imap_line_parse("* CAPABILITY IMAP4rev1 X", "x1", &tagged, &st, &text), 0);
	ck_assert_int_eq(st, IMAP_OTHER);
	ck_assert_str_eq(text, "CAPABILITY IMAP4rev1 X");
	ck_assert_int_eq(
		imap_line_parse("x1 NO [AUTHENTICATIONFAILED] no", "x1", &tagged, &st, &text), 0);
	ck_assert(tagged);
	ck_assert_int_eq(st, IMAP_NO);
	ck_assert_int_eq(imap_line_parse("* BYE shutting down", "x1", &tagged, &st, &text), 0);
	ck_assert_int_eq(st, IMAP_BYE);
}
END_TEST

START_TEST(test_imap_line_parse_rejects_other_tags_and_continuations)
{
	enum imap_status st = IMAP_OK;
	const char *text = NULL;
	bool tagged = false;

	ck_assert_int_eq(imap_line_parse("x2 OK done", "x1", &tagged, &st, &text), -EPROTO);
	ck_assert_int_eq(imap_line_parse("x10 OK done", "x1", &tagged, &st, &text), -EPROTO);
	ck_assert_int_eq(imap_line_parse("+ go ahead", "x1", &tagged, &st, &text), -EPROTO);
	ck_assert_int_eq(imap_line_parse("x1 PREAUTH", "x1", &tagged, &st, &text), -EPROTO);
	ck_assert_int_eq(imap_line_parse("220 smtp", "", &tagged, &st, &text), -EPROTO);
	ck_assert_int_eq(imap_line_parse("*OK", "", &tagged, &st, &text), -EPROTO);
	ck_assert_ptr_null(text);
}
END_TEST

START_TEST(test_imap_capability_matches_whole_words)
{
	ck_assert(imap_has_capability("IMAP4rev1 SASL-IR STARTTLS", "starttls"));
	ck_assert(imap_has_capability("IMAP4rev1  LOGINDISABLED", "LOGINDISABLED"));
	ck_assert(!imap_has_capability("IMAP4rev1 STARTTLSX", "STARTTLS"));
	ck_assert(!imap_has_capability("", "IMAP4rev1"));
}
END_TEST

START_TEST(test_pop3_line_parse_reads_ok_and_err)
{
	ck_assert_int_eq(pop3_line_parse("+OK Dovecot ready."), 1);
	ck_assert_int_eq(pop3_line_parse("+OK"), 1);
	ck_assert_int_eq(pop3_line_parse("-ERR [AUTH] Authentication failed."), 0);
	ck_assert_int_eq(pop3_line_parse("+OKAY"), -EPROTO);
	ck_assert_int_eq(pop3_line_parse("* OK imap"), -EPROTO);
	ck_assert_int_eq(pop3_line_parse(""), -EPROTO);
}
END_TEST

START_TEST(test_sanitize_masks_control_bytes_and_cuts_with_dots)
{
	char out[8];

	reply_sanitize("a\tb\x1b"
		       "c\xff",
		       out, sizeof(out));
	ck_assert_str_eq(out, "a?b?c?");
	reply_sanitize("0123456789", out, sizeof(out));
	ck_assert_str_eq(out, "0123...");
}
END_TEST

START_TEST(test_imap_literal_size_reads_the_announcement_at_the_end)
{
	ck_assert_int_eq(imap_literal_size("* 1 FETCH (UID 4 BODY[HEADER.FIELDS (X-A)] {60}"), 60);
	ck_assert_int_eq(imap_literal_size("{0}"), 0);
	ck_assert_int_eq(imap_literal_size("* 1 FETCH (UID 4 FLAGS ())"), -1);
	ck_assert_int_eq(imap_literal_size("* OK {}"), -1);
	ck_assert_int_eq(imap_literal_size("* OK {6x}"), -1);
	ck_assert_int_eq(imap_literal_size("* OK {60} more"), -1);
	ck_assert_int_eq(imap_literal_size(""), -1);
	ck_assert_int_gt(imap_literal_size("{99999999999999999999999999}"), IMAP_LITERAL_MAX);
}
END_TEST

static Suite *reply_suite(void)
{
	Suite *s = suite_create("mailprobe_reply");

	ADD_CASE(s, test_line_split_finds_a_crlf_line, 5);
	ADD_CASE(s, test_line_split_waits_for_the_rest_of_a_line, 5);
	ADD_CASE(s, test_line_split_rejects_nul_bare_lf_bare_cr_and_long_lines, 5);
	ADD_CASE(s, test_smtp_line_parse_reads_code_and_continuation, 5);
	ADD_CASE(s, test_smtp_line_parse_rejects_what_is_not_a_reply, 5);
	ADD_CASE(s, test_smtp_keyword_matches_whole_words_of_250_lines, 5);
	ADD_CASE(s, test_imap_line_parse_tells_untagged_from_tagged, 5);
	ADD_CASE(s, test_imap_line_parse_rejects_other_tags_and_continuations, 5);
	ADD_CASE(s, test_imap_capability_matches_whole_words, 5);
	ADD_CASE(s, test_imap_literal_size_reads_the_announcement_at_the_end, 5);
	ADD_CASE(s, test_pop3_line_parse_reads_ok_and_err, 5);
	ADD_CASE(s, test_sanitize_masks_control_bytes_and_cuts_with_dots, 5);
	return s;
}

int main(void)
{
	return check_run(reply_suite());
}
