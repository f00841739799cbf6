/*
 * The mail canary's pure parts (canary.h): the tag every canary carries and
 * by which later checks find it, the address and owner checks that keep
 * the tag searchable and RCPT TO one command, the report line; and
 * canary_run's guards and its first step's name when IMAP is not there.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "canary.h"
#include "check_common.h"

START_TEST(test_tag_carries_version_owner_time_and_random)
{
	char buf[CANARY_TAG_SIZE];

	ck_assert_int_eq(canary_tag_format("mail-ss:0", 1765000000, 0xabcULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "v1 mail-ss:0 1765000000 0000000000000abc");
}
END_TEST

START_TEST(test_tag_refuses_owners_that_would_break_the_search)
{
	char buf[CANARY_TAG_SIZE], longest[CANARY_OWNER_MAX + 2];
	static const char *const bad[] = {"",	       "two words", "quo\"te", "back\\slash",
					  "new\nline", "a/b",	    "x*"};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(canary_owner_check(bad[i]), -EINVAL);
		ck_assert_int_eq(canary_tag_format(bad[i], 1, 1, buf, sizeof(buf)), -EINVAL);
	}
	ck_assert_int_eq(canary_owner_check(NULL), -EINVAL);
	memset(longest, 'a', CANARY_OWNER_MAX);
	longest[CANARY_OWNER_MAX] = '\0';
	ck_assert_int_eq(canary_owner_check(longest), 0);
	ck_assert_int_eq(canary_tag_format(longest, UINT64_MAX, UINT64_MAX, buf, sizeof(buf)), 0);
	longest[CANARY_OWNER_MAX] = 'a';
	longest[CANARY_OWNER_MAX + 1] = '\0';
	ck_assert_int_eq(canary_owner_check(longest), -EINVAL);
	ck_assert_int_eq(canary_tag_format("ok", 1, 1, buf, 10), -ENOBUFS);
}
END_TEST

START_TEST(test_address_check_takes_plain_addresses_only)
{
	static const char *const bad[] = {"",	     "nobody",	      "@example.test",
					  "canary@", "a@b@c",	      "a b@example.test",
					  "a@b>",    "<a@b>",	      "a\r\n@b",
					  "\"a\"@b", "a@[192.0.2.1]", "caf\xc3\xa9@example.test"};

	ck_assert_int_eq(canary_address_check("canary@example.test"), 0);
	ck_assert_int_eq(canary_address_check("mail+canary.1@mx-1.example.test"), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_int_eq(canary_address_check(bad[i]), -EINVAL);
	ck_assert_int_eq(canary_address_check(NULL), -EINVAL);
}
END_TEST

START_TEST(test_report_lists_every_step_in_ms)
{
	struct canary_report rep = {.step_us = {4000, 12400, 150000, 600, 2000}, .cleaned = 2};
	char buf[256];

	canary_report_format(&rep, buf, sizeof(buf));
	ck_assert_str_eq(buf, "submit 12 ms, deliver 150 ms, read 1 ms, delete 2 ms "
			      "(clean 4 ms, 2 old removed)");
	ck_assert_str_eq(canary_step_name(CANARY_DELIVER), "deliver");
	ck_assert_str_eq(canary_step_name(CANARY_N_STEPS), "?");
}
END_TEST

START_TEST(test_run_refuses_incomplete_canaries)
{
	struct probe_target smtp, imap;
	struct canary k = {.smtp = &smtp, .imap = &imap, .address = "c@example.test", .owner = "t"};
	struct canary_report rep;
	struct error err = {""};

	ck_assert_int_eq(probe_target_parse("smtp://127.0.0.1", &smtp, NULL), 0);
	ck_assert_int_eq(probe_target_parse("imap://127.0.0.1", &imap, NULL), 0);
	ck_assert_int_eq(canary_run(NULL, NULL, deadline_in_ms(1000), &rep, &err), -EINVAL);
	k.imap = &smtp; /* two SMTP targets */
	ck_assert_int_eq(canary_run(&k, NULL, deadline_in_ms(1000), &rep, &err), -EINVAL);
	k.imap = &imap;
	k.address = "no address";
	ck_assert_int_eq(canary_run(&k, NULL, deadline_in_ms(1000), &rep, &err), -EINVAL);
	k.address = "c@example.test";
	k.owner = "two words";
	ck_assert_int_eq(canary_run(&k, NULL, deadline_in_ms(1000), &rep, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "two words"));
}
END_TEST

/* A loopback port nothing listens on (bound, never listening). */
static int closed_port(uint16_t *ret_port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*ret_port = ntohs(a.sin_port);
	return fd;
}

START_TEST(test_run_without_imap_fails_in_the_clean_step_and_sends_nothing)
{
	struct probe_target smtp, imap;
	struct canary k = {.smtp = &smtp, .imap = &imap, .address = "c@example.test", .owner = "t"};
	struct canary_report rep;
	struct error err = {""};
	uint16_t port;
	int fd = closed_port(&port);

	ck_assert_int_eq(probe_target_parse("smtp://127.0.0.1:1", &smtp, NULL), 0);
	ck_assert_int_eq(probe_target_parse("imap://127.0.0.1", &imap, NULL), 0);
	imap.port = port;
	ck_assert_int_eq(canary_run(&k, NULL, deadline_in_ms(2000), &rep, &err), -ECONNREFUSED);
	ck_assert_msg(strncmp(err.msg, "clean at imap://127.0.0.1:", 26) == 0, "%s", err.msg);
	ck_assert_uint_eq(rep.step_us[CANARY_SUBMIT], 0);
	ck_assert_ptr_nonnull(strstr(rep.tag, "v1 t "));
	close(fd);
}
END_TEST

static Suite *canary_suite(void)
{
	Suite *s = suite_create("mailprobe_canary");

	ADD_CASE(s, test_tag_carries_version_owner_time_and_random, 5);
	ADD_CASE(s, test_tag_refuses_owners_that_would_break_the_search, 5);
	ADD_CASE(s, test_address_check_takes_plain_addresses_only, 5);
	ADD_CASE(s, test_report_lists_every_step_in_ms, 5);
	ADD_CASE(s, test_run_refuses_incomplete_canaries, 5);
	ADD_CASE(s, test_run_without_imap_fails_in_the_clean_step_and_sends_nothing, 10);
	return s;
}

int main(void)
{
	return check_run(canary_suite());
}
