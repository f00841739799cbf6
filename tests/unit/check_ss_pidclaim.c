/*
 * service-set's identity rules: when the process a pid file names is the
 * service's (a stale file from the switching disk names a stranger), the
 * DAEMON= of an init script, and /proc/<pid>/exe text. Pure functions.
 */
#include <errno.h>
#include <string.h>

#include "check_common.h"
#include "proc.h"
#include "procid.h"

#define BOOT "0f0e0d0c-0b0a-0908-0706-050403020100"

static struct pid_seen seen_of(pid_t pid, uint64_t start, pid_t sid, int exe_is)
{
	struct pid_seen s = {.id = {.pid = pid, .starttime = start, .boot_id = BOOT},
			     .sid = sid,
			     .exe_is = exe_is};
	return s;
}

START_TEST(test_the_recorded_process_is_the_service)
{
	struct proc_id rec = {.pid = 100, .starttime = 5000, .boot_id = BOOT};
	struct pid_claim claim = {.recorded = &rec};
	struct pid_seen seen = seen_of(100, 5000, 100, -1);

	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_OURS);
}
END_TEST

START_TEST(test_a_reused_pid_is_not_the_recorded_process)
{
	struct proc_id rec = {.pid = 100, .starttime = 5000, .boot_id = BOOT};
	struct pid_claim claim = {.recorded = &rec, .exe = "/usr/sbin/dovecot"};
	struct pid_seen seen = seen_of(100, 9000, 100, 0);

	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_STRANGER);
	/* Without a program to compare, nothing tells: the script must answer. */
	claim.exe = NULL;
	seen.exe_is = -1;
	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_UNKNOWN);
}
END_TEST

START_TEST(test_a_recorded_identity_of_another_boot_does_not_count)
{
	struct proc_id rec = {.pid = 100, .starttime = 5000, .boot_id = BOOT};
	struct pid_claim claim = {.recorded = &rec};
	struct pid_seen seen = seen_of(100, 5000, 100, -1);

	seen.id.boot_id[0] = '1';
	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_UNKNOWN);
}
END_TEST

START_TEST(test_outside_a_start_the_program_decides)
{
	struct pid_claim claim = {.exe = "/usr/sbin/dovecot"};
	struct pid_seen ours = seen_of(200, 10, 200, 1), other = seen_of(200, 10, 200, 0);

	ck_assert_int_eq(pid_claim_judge(&claim, &ours), PID_OURS);
	ck_assert_int_eq(pid_claim_judge(&claim, &other), PID_STRANGER);
}
END_TEST

START_TEST(test_at_start_a_process_older_than_the_launch_is_a_stranger)
{
	struct pid_claim claim = {.born_since = 7000, .launch_sid = 300, .exe = "/usr/bin/x"};
	/* Same program, same session even: born before the launch, it is a stale pid. */
	struct pid_seen seen = seen_of(250, 6999, 300, 1);

	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_STRANGER);
	seen.id.starttime = 7000;
	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_OURS);
}
END_TEST

START_TEST(test_at_start_a_young_process_needs_the_program_or_the_launch)
{
	struct pid_claim claim = {.born_since = 7000, .launch_sid = 300, .exe = "/usr/bin/x"};
	struct pid_seen seen = seen_of(400, 8000, 400, 0);

	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_STRANGER);
	seen.sid = 300; /* in the launched session */
	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_OURS);
	seen.sid = 400;
	seen.descends = true; /* a descendant of the launched process (Postfix's master) */
	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_OURS);
	/* lsb start without executables: born since the script ran is enough. */
	claim = (struct pid_claim){.born_since = 7000};
	seen = seen_of(400, 8000, 400, -1);
	ck_assert_int_eq(pid_claim_judge(&claim, &seen), PID_OURS);
}
END_TEST

START_TEST(test_the_daemon_line_of_an_init_script_is_read_strictly)
{
	char buf[64];

	ck_assert_int_eq(lsb_script_daemon("#!/bin/sh\nNAME=x\nDAEMON=/usr/sbin/dovecot\n", buf,
					   sizeof(buf)),
			 0);
	ck_assert_str_eq(buf, "/usr/sbin/dovecot");
	ck_assert_int_eq(
		lsb_script_daemon("  DAEMON=\"/usr/sbin/a\"  # comment\n", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/usr/sbin/a");
	ck_assert_int_eq(lsb_script_daemon("#!/bin/sh\nexit 0\n", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(lsb_script_daemon("DAEMON=$PREFIX/sbin/a\n", buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(lsb_script_daemon("DAEMON=sbin/a\n", buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(lsb_script_daemon("DAEMON=/a/`id`\n", buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(lsb_script_daemon("DAEMON=\"/a/b\n", buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(lsb_script_daemon("DAEMON=/a/b; rm x\n", buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(lsb_script_daemon("DAEMON=/a/very/long/path\n", buf, 8), -EINVAL);
}
END_TEST

START_TEST(test_an_exe_link_names_its_program_even_when_replaced)
{
	ck_assert(proc_exe_link_is("/usr/sbin/dovecot", "/usr/sbin/dovecot"));
	ck_assert(proc_exe_link_is("/usr/sbin/dovecot (deleted)", "/usr/sbin/dovecot"));
	ck_assert(!proc_exe_link_is("/usr/sbin/dovecot2", "/usr/sbin/dovecot"));
	ck_assert(!proc_exe_link_is("/usr/bin/sleep", "/usr/sbin/dovecot"));
	ck_assert(!proc_exe_link_is("/usr/sbin/dovecot (deleted) x", "/usr/sbin/dovecot"));
	ck_assert(!proc_exe_link_is("dovecot", "dovecot"));
}
END_TEST

START_TEST(test_this_process_runs_its_own_program_and_no_other)
{
	char exe[4096];

	ck_assert_int_eq(proc_exe_of(getpid(), exe, sizeof(exe)), 0);
	ck_assert_int_eq(proc_exe_is(getpid(), exe), 1);
	ck_assert_int_eq(proc_exe_is(getpid(), "/bin/sh"), 0);
	ck_assert_int_eq(proc_exe_is(0, exe), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("service-set process identities");

	ADD_CASE(s, test_the_recorded_process_is_the_service, 5);
	ADD_CASE(s, test_a_reused_pid_is_not_the_recorded_process, 5);
	ADD_CASE(s, test_a_recorded_identity_of_another_boot_does_not_count, 5);
	ADD_CASE(s, test_outside_a_start_the_program_decides, 5);
	ADD_CASE(s, test_at_start_a_process_older_than_the_launch_is_a_stranger, 5);
	ADD_CASE(s, test_at_start_a_young_process_needs_the_program_or_the_launch, 5);
	ADD_CASE(s, test_the_daemon_line_of_an_init_script_is_read_strictly, 5);
	ADD_CASE(s, test_an_exe_link_names_its_program_even_when_replaced, 5);
	ADD_CASE(s, test_this_process_runs_its_own_program_and_no_other, 5);
	return check_run(s);
}
