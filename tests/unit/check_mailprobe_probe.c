/*
 * mail-probe's API: URL parsing, the root-only credentials file, and
 * probe_run against loopback servers this test plays itself (a closed port,
 * one that never answers, scripted replies from a child), with exact -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "check_common.h"
#include "mailprobe.h"

START_TEST(test_target_parse_reads_scheme_host_and_port)
{
	struct probe_target t;
	struct error err = {""};

	ck_assert_int_eq(probe_target_parse("smtp://127.0.0.1:2525", &t, &err), 0);
	ck_assert_int_eq(t.proto, PROBE_SMTP);
	ck_assert_str_eq(t.host, "127.0.0.1");
	ck_assert_uint_eq(t.port, 2525);
	ck_assert(!t.starttls);
	ck_assert_ptr_null(t.ca_file);
	ck_assert_int_eq(probe_target_parse("imap+starttls://[2001:db8::1]", &t, &err), 0);
	ck_assert_int_eq(t.proto, PROBE_IMAP);
	ck_assert_str_eq(t.host, "2001:db8::1");
	ck_assert_uint_eq(t.port, 143);
	ck_assert(t.starttls);
	ck_assert_int_eq(probe_target_parse("pop3://mail.example.org", &t, &err), 0);
	ck_assert_uint_eq(t.port, 110);
	/* The scheme in any case (shared/uri.c): STARTTLS is never lost to a capital. */
	ck_assert_int_eq(probe_target_parse("IMAP+StartTLS://mail.example.org", &t, &err), 0);
	ck_assert_int_eq(t.proto, PROBE_IMAP);
	ck_assert(t.starttls);
}
END_TEST

START_TEST(test_target_format_gives_the_url_back)
{
	struct probe_target t;
	char buf[300];

	ck_assert_int_eq(probe_target_parse("imap+starttls://[::1]", &t, NULL), 0);
	probe_target_format(&t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "imap+starttls://[::1]:143");
}
END_TEST

START_TEST(test_target_parse_rejects_bad_urls_untouched)
{
	static const char *const bad[] = {
		"",
		"127.0.0.1:25",
		"http://127.0.0.1",
		"smtp:/127.0.0.1",
		"smtp://",
		"smtp://:25",
		"smtp://127.0.0.1:0",
		"smtp://h:65536",
		"smtp://h:25x",
		"smtp://h:",
		"smtp://h/path",
		"smtp://u@h",
		"smtp://[::1",
		"smtp://[]:25",
		"smtp://[::1]x",
		"smtp://h h",
		"smtp://h,smtp://g",
		"smtp://010.0.0.1",
		"smtp+tls://h",
		"smtp://-h",
		"smtp://[fe80::1%lo]",
		"smtp://[1.2.3.4]",
		"smtp://[..E1]",
	};
	struct probe_target t = {.port = 7};
	struct error err = {""};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_msg(probe_target_parse(bad[i], &t, &err) == -EINVAL, "'%s' accepted",
			      bad[i]);
		ck_assert_str_ne(err.msg, "");
	}
	ck_assert_uint_eq(t.port, 7);
}
END_TEST

static char *cred_file(const char *dir, const char *text, mode_t mode)
{
	char *path = NULL;
	int fd;

	ck_assert_int_gt(asprintf(&path, "%s/cred", dir), 0);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

START_TEST(test_credentials_read_takes_user_and_password)
{
	char *dir = scratch_dir_new();
	char *path = cred_file(dir, "# probe\nuser=probe\n\npassword=s3 cr=t\n", 0600);
	struct probe_credentials c;
	struct error err = {""};

	ck_assert_int_eq(probe_credentials_read(path, &c, &err), 0);
	ck_assert_str_eq(c.user, "probe");
	ck_assert_str_eq(c.password, "s3 cr=t");
	free(path);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_credentials_read_refuses_files_others_may_read)
{
	char *dir = scratch_dir_new();
	char *path = cred_file(dir, "user=u\npassword=p\n", 0640);
	struct probe_credentials c = {.user = "x"};
	struct error err = {""};

	ck_assert_int_eq(probe_credentials_read(path, &c, &err), -EPERM);
	ck_assert_str_eq(c.user, "x");
	ck_assert_ptr_null(strstr(err.msg, "=p"));
	ck_assert_int_eq(chmod(path, 0604), 0);
	ck_assert_int_eq(probe_credentials_read(path, &c, &err), -EPERM);
	if (geteuid() == 0) {
		ck_assert_int_eq(chmod(path, 0600), 0);
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(probe_credentials_read(path, &c, &err), -EPERM);
	}
	free(path);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_credentials_read_rejects_malformed_files_without_echoing_secrets)
{
	static const char *const bad[] = {
		"user=u\n",
		"password=topsecret\n",
		"user=u\npassword=topsecret\npassword=topsecret\n",
		"user=u\npassword=topsecret\nextra=1\n",
		"user=u\npassword=topsecret\r\n",
		"user=u\npassword=\n",
		"user=u\ntopsecret\n",
	};
	char *dir = scratch_dir_new();
	struct probe_credentials c;
	struct error err = {""};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *path = cred_file(dir, bad[i], 0600);

		ck_assert_msg(probe_credentials_read(path, &c, &err) == -EINVAL, "accepted: %s",
			      bad[i]);
		ck_assert_msg(!strstr(err.msg, "topsecret"), "secret in '%s'", err.msg);
		free(path);
	}
	scratch_dir_free(dir);
}
END_TEST

/* A listening loopback socket; its port in *port. */
static int listener(uint16_t *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static struct probe_target target(enum probe_proto proto, uint16_t port)
{
	struct probe_target t = {.proto = proto, .host = "127.0.0.1", .port = port};

	return t;
}

START_TEST(test_probe_of_a_closed_port_is_refused)
{
	struct error err = {""};
	uint16_t port;
	struct probe_target t;

	close(listener(&port));
	t = target(PROBE_SMTP, port);
	ck_assert_int_eq(probe_run(&t, NULL, deadline_in_ms(2000), &err), -ECONNREFUSED);
	ck_assert_ptr_nonnull(strstr(err.msg, "connect"));
}
END_TEST

START_TEST(test_probe_of_a_silent_server_times_out)
{
	struct error err = {""};
	uint16_t port;
	int fd = listener(&port);
	struct probe_target t = target(PROBE_IMAP, port);
	int before = fd_count();

	/* The kernel completes the handshake; nobody ever writes a greeting. */
	ck_assert_int_eq(probe_run(&t, NULL, deadline_in_ms(200), &err), -ETIME);
	ck_assert_ptr_nonnull(strstr(err.msg, "greeting"));
	ck_assert_int_eq(fd_count(), before);
	close(fd);
}
END_TEST

/*
 * A child that accepts once, writes script, reads until the probe closes
 * (which every probe_run does before it returns), exits.
 */
static pid_t scripted_server(int fd, const char *script)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int c = accept(fd, NULL, NULL);
		char buf[512];

		signal(SIGTERM, SIG_DFL); /* Check's handler would end the whole test */
		if (c < 0 || write(c, script, strlen(script)) < 0)
			_exit(1);
		while (read(c, buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	return pid;
}

static int probe_scripted(enum probe_proto proto, const char *script, struct error *err)
{
	uint16_t port;
	int fd = listener(&port), r, status;
	pid_t pid = scripted_server(fd, script);
	struct probe_target t = target(proto, port);

	r = probe_run(&t, NULL, deadline_in_ms(2000), err);
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return r;
}

START_TEST(test_probe_passes_a_whole_smtp_dialog)
{
	struct error err = {""};

	ck_assert_int_eq(probe_scripted(PROBE_SMTP,
					"220-mx ESMTP\r\n220 welcome\r\n"
					"250-mx\r\n250-STARTTLS\r\n250 8BITMIME\r\n221 bye\r\n",
					&err),
			 0);
	ck_assert_str_eq(err.msg, "220-mx ESMTP");
}
END_TEST

START_TEST(test_probe_reports_a_wrong_greeting_as_a_protocol_error)
{
	struct error err = {""};

	ck_assert_int_eq(probe_scripted(PROBE_SMTP, "554 5.3.2 go away\r\n", &err), -EPROTO);
	ck_assert_ptr_nonnull(strstr(err.msg, "554 5.3.2 go away"));
	ck_assert_int_eq(probe_scripted(PROBE_IMAP, "+OK pop3 here\r\n", &err), -EPROTO);
	ck_assert_int_eq(probe_scripted(PROBE_POP3, "* OK imap here\r\n", &err), -EPROTO);
	ck_assert_int_eq(probe_scripted(PROBE_SMTP, "SSH-2.0-OpenSSH_9.2\r\n", &err), -EPROTO);
}
END_TEST

START_TEST(test_probe_passes_imap_and_pop3_dialogs)
{
	struct error err = {""};

	ck_assert_int_eq(
		probe_scripted(PROBE_IMAP,
			       "* OK ready\r\n* CAPABILITY IMAP4rev1 IDLE\r\nx1 OK done\r\n"
			       "* BYE logging out\r\nx2 OK bye\r\n",
			       &err),
		0);
	ck_assert_str_eq(err.msg, "* OK ready");
	ck_assert_int_eq(probe_scripted(PROBE_POP3, "+OK ready\r\n+OK bye\r\n", &err), 0);
}
END_TEST

START_TEST(test_probe_refused_login_is_eacces)
{
	struct probe_credentials cred = {.user = "u", .password = "topsecret"};
	struct error err = {""};
	uint16_t port;
	int fd = listener(&port), status;
	pid_t pid = scripted_server(fd, "+OK ready\r\n+OK user\r\n-ERR [AUTH] failed\r\n");
	struct probe_target t = target(PROBE_POP3, port);

	ck_assert_int_eq(probe_run(&t, &cred, deadline_in_ms(2000), &err), -EACCES);
	ck_assert_ptr_nonnull(strstr(err.msg, "PASS"));
	ck_assert_ptr_null(strstr(err.msg, "topsecret"));
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}
END_TEST

START_TEST(test_probe_of_a_server_mute_after_its_greeting_times_out_in_ehlo)
{
	struct error err = {""};

	ck_assert_int_eq(probe_scripted(PROBE_SMTP, "220 mx\r\n", &err), -ETIME);
	ck_assert_ptr_nonnull(strstr(err.msg, "EHLO"));
}
END_TEST

static Suite *probe_suite(void)
{
	Suite *s = suite_create("mailprobe_probe");

	ADD_CASE(s, test_target_parse_reads_scheme_host_and_port, 5);
	ADD_CASE(s, test_target_format_gives_the_url_back, 5);
	ADD_CASE(s, test_target_parse_rejects_bad_urls_untouched, 5);
	ADD_CASE(s, test_credentials_read_takes_user_and_password, 5);
	ADD_CASE(s, test_credentials_read_refuses_files_others_may_read, 5);
	ADD_CASE(s, test_credentials_read_rejects_malformed_files_without_echoing_secrets, 5);
	ADD_CASE(s, test_probe_of_a_closed_port_is_refused, 5);
	ADD_CASE(s, test_probe_of_a_silent_server_times_out, 5);
	ADD_CASE(s, test_probe_passes_a_whole_smtp_dialog, 10);
	ADD_CASE(s, test_probe_reports_a_wrong_greeting_as_a_protocol_error, 10);
	ADD_CASE(s, test_probe_passes_imap_and_pop3_dialogs, 10);
	ADD_CASE(s, test_probe_refused_login_is_eacces, 10);
	ADD_CASE(s, test_probe_of_a_server_mute_after_its_greeting_times_out_in_ehlo, 10);
	return s;
}

int main(void)
{
	return check_run(probe_suite());
}
