/*
 * service-set's pure modules: service names (they reach init systems),
 * exec_commands parsing, pid files and /proc stat sessions.
 */
#include <errno.h>
#include <string.h>

#include "check_common.h"
#include "cmdline.h"
#include "name.h"
#include "proc.h"

static int name_rc(const char *name, enum ss_backend b)
{
	const char *reason = NULL;
	int r = service_name_check(name, b, &reason);

	if (r < 0)
		ck_assert_ptr_nonnull(reason);
	return r;
}

START_TEST(test_plain_names_pass_for_every_backend)
{
	const char *ok[] = {"postfix", "dovecot", "postfix-instance1", "a", "x_y.z", "9lives"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		for (int b = SS_BACKEND_SYSTEMD; b <= SS_BACKEND_EXEC; b++)
			ck_assert_int_eq(name_rc(ok[i], (enum ss_backend)b), 0);
}
END_TEST

START_TEST(test_paths_options_globs_and_blanks_are_refused)
{
	const char *bad[] = {"",       "../x",	  "/etc/init.d/postfix",
			     "a/b",    "-rf",	  ".hidden",
			     "a b",    "post*",	  "x;reboot",
			     "a$b",    "a\\x2d",  "é",
			     "name\n", ".service"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (int b = SS_BACKEND_SYSTEMD; b <= SS_BACKEND_EXEC; b++)
			ck_assert_int_eq(name_rc(bad[i], (enum ss_backend)b), -EINVAL);
}
END_TEST

START_TEST(test_systemd_takes_service_units_and_template_instances_only)
{
	ck_assert_int_eq(name_rc("postfix.service", SS_BACKEND_SYSTEMD), 0);
	ck_assert_int_eq(name_rc("postfix@-.service", SS_BACKEND_SYSTEMD), 0);
	ck_assert_int_eq(name_rc("getty@tty1", SS_BACKEND_SYSTEMD), 0);
	ck_assert_int_eq(name_rc("sshd.socket", SS_BACKEND_SYSTEMD), -EINVAL);
	ck_assert_int_eq(name_rc("multi-user.target", SS_BACKEND_SYSTEMD), -EINVAL);
	ck_assert_int_eq(name_rc("a@", SS_BACKEND_SYSTEMD), -EINVAL);
	ck_assert_int_eq(name_rc("a@b@c", SS_BACKEND_SYSTEMD), -EINVAL);
	/* '@' and the .service suffix mean nothing to init scripts or exec. */
	ck_assert_int_eq(name_rc("getty@tty1", SS_BACKEND_LSB), -EINVAL);
	ck_assert_int_eq(name_rc("a@b", SS_BACKEND_EXEC), -EINVAL);
}
END_TEST

START_TEST(test_names_longer_than_64_characters_are_refused)
{
	char name[SERVICE_NAME_MAX + 2];

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(name_rc(name, SS_BACKEND_LSB), -ENAMETOOLONG);
	name[SERVICE_NAME_MAX] = '\0';
	ck_assert_int_eq(name_rc(name, SS_BACKEND_LSB), 0);
}
END_TEST

START_TEST(test_unit_names_get_the_service_suffix_once)
{
	char unit[80];

	ck_assert_int_eq(service_unit_name("postfix", unit, sizeof(unit)), 0);
	ck_assert_str_eq(unit, "postfix.service");
	ck_assert_int_eq(service_unit_name("dovecot.service", unit, sizeof(unit)), 0);
	ck_assert_str_eq(unit, "dovecot.service");
	ck_assert_int_eq(service_unit_name("postfix", unit, 15), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_exec_commands_split_into_argv_per_service)
{
	struct cmdmap *m = NULL;
	struct error err = {""};
	char **argv;

	ck_assert_int_eq(
		cmdmap_parse(" postfix=/usr/sbin/postfix start-fg ;dovecot=/usr/sbin/dovecot"
			     "  -F\t-c /etc/d.conf;",
			     &m, &err),
		0);
	ck_assert_uint_eq(m->n, 2);
	argv = cmdmap_find(m, "postfix");
	ck_assert_str_eq(argv[0], "/usr/sbin/postfix");
	ck_assert_str_eq(argv[1], "start-fg");
	ck_assert_ptr_null(argv[2]);
	argv = cmdmap_find(m, "dovecot");
	ck_assert_str_eq(argv[1], "-F");
	ck_assert_str_eq(argv[3], "/etc/d.conf");
	ck_assert_ptr_null(argv[4]);
	ck_assert_ptr_null(cmdmap_find(m, "dove"));
	cmdmap_free(m);
}
END_TEST

START_TEST(test_exec_commands_refuse_shell_syntax_relative_paths_and_repeats)
{
	const char *bad[] = {"",
			     " ; ",
			     "postfix",
			     "postfix=",
			     "postfix=usr/sbin/postfix",
			     "../x=/bin/true",
			     "a=/bin/echo 'quoted arg'",
			     "a=/bin/echo \"x\"",
			     "a=/bin/echo $HOME",
			     "a=/bin/echo `id`",
			     "a=/bin/echo a\\ b",
			     "a=/bin/true; a=/bin/false"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cmdmap *m = NULL;
		struct error err = {""};

		ck_assert_int_lt(cmdmap_parse(bad[i], &m, &err), 0);
		ck_assert_ptr_null(m);
	}
}
END_TEST

START_TEST(test_keyval_finds_whole_names_only)
{
	char a[] = "postfix=/a", b[] = "dovecot=/b";
	char *list[] = {a, b, NULL};

	ck_assert_str_eq(keyval_find(list, "dovecot"), "/b");
	ck_assert_ptr_null(keyval_find(list, "post"));
	ck_assert_ptr_null(keyval_find(NULL, "post"));
}
END_TEST

START_TEST(test_pid_files_parse_strictly_with_postfix_padding)
{
	pid_t pid = 0;

	ck_assert_int_eq(pidfile_parse("        1234\n", &pid), 0);
	ck_assert_int_eq(pid, 1234);
	ck_assert_int_eq(pidfile_parse("42", &pid), 0);
	ck_assert_int_eq(pid, 42);
	ck_assert_int_eq(pidfile_parse("", &pid), -EINVAL);
	ck_assert_int_eq(pidfile_parse("0\n", &pid), -EINVAL);
	ck_assert_int_eq(pidfile_parse("-5\n", &pid), -EINVAL);
	ck_assert_int_eq(pidfile_parse("12 34\n", &pid), -EINVAL);
	ck_assert_int_eq(pidfile_parse("12x\n", &pid), -EINVAL);
	ck_assert_int_eq(pidfile_parse("99999999999\n", &pid), -EINVAL);
	ck_assert_int_eq(pid, 42);
}
END_TEST

START_TEST(test_the_session_comes_after_a_comm_holding_parentheses)
{
	pid_t sid = 0;

	ck_assert_int_eq(proc_stat_session("77 (a) b) S 1 77 77 0 -1 4194560 ...", &sid), 0);
	ck_assert_int_eq(sid, 77);
	ck_assert_int_eq(proc_stat_session("77 (x) S 1 2", &sid), -EINVAL);
	ck_assert_int_eq(proc_stat_session("no parenthesis", &sid), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("service-set names and parsers");

	ADD_CASE(s, test_plain_names_pass_for_every_backend, 5);
	ADD_CASE(s, test_paths_options_globs_and_blanks_are_refused, 5);
	ADD_CASE(s, test_systemd_takes_service_units_and_template_instances_only, 5);
	ADD_CASE(s, test_names_longer_than_64_characters_are_refused, 5);
	ADD_CASE(s, test_unit_names_get_the_service_suffix_once, 5);
	ADD_CASE(s, test_exec_commands_split_into_argv_per_service, 5);
	ADD_CASE(s, test_exec_commands_refuse_shell_syntax_relative_paths_and_repeats, 5);
	ADD_CASE(s, test_keyval_finds_whole_names_only, 5);
	ADD_CASE(s, test_pid_files_parse_strictly_with_postfix_padding, 5);
	ADD_CASE(s, test_the_session_comes_after_a_comm_holding_parentheses, 5);
	return check_run(s);
}
