/*
 * exec (spawn_run): external programs without a shell, with a deadline. The programs
 * run here are coreutils and, where a case needs one, sh as the test's own
 * program. Timeouts are asserted on the result flags, not on elapsed time.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "check_common.h"
#include "exec.h"

/* A NULL-terminated argument vector: ARGV("/bin/sh", "-c", "exit 3"). */
#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

#define MAX_ARGS 16

/* The char *const[] spawn_run() takes (as execve does), from string literals. */
static void argv_fill(char *argv[MAX_ARGS], const char *const args[])
{
	size_t n = 0;

	for (; args[n]; n++) {
		ck_assert_uint_lt(n, MAX_ARGS - 1);
		argv[n] = (char *)args[n];
	}
	argv[n] = NULL;
}

/* spawn_run() that must succeed, with the default environment. */
static struct spawn_result run(unsigned budget_ms, unsigned grace_ms, char *out, size_t size,
			       const char *const args[])
{
	struct spawn_result res = {.status = -1, .signal = -1};
	char *argv[MAX_ARGS];
	int r;

	argv_fill(argv, args);
	r = spawn_run(argv, NULL, deadline_in_ms(budget_ms), grace_ms, out, size, &res);
	ck_assert_msg(r == 0, "spawn_run(%s): %s", args[0], strerror(-r));
	return res;
}

/* spawn_run() that must fail; returns its -errno. */
static int run_fail(const char *const args[])
{
	struct spawn_result res = {.status = 12345};
	char *argv[MAX_ARGS];
	char out[8] = "garbage";
	int r;

	argv_fill(argv, args);
	r = spawn_run(argv, NULL, deadline_in_ms(5000), 100, out, sizeof(out), &res);
	ck_assert_int_lt(r, 0);
	ck_assert_int_eq(res.status, 12345); /* untouched */
	return r;
}

START_TEST(test_true_exits_0_and_false_exits_1)
{
	struct spawn_result res = run(5000, 100, NULL, 0, ARGV("/bin/true"));

	ck_assert(res.exited);
	ck_assert_int_eq(res.status, 0);
	ck_assert_int_eq(res.signal, 0);
	ck_assert(!res.timed_out);
	res = run(5000, 100, NULL, 0, ARGV("/bin/false"));
	ck_assert(res.exited);
	ck_assert_int_eq(res.status, 1);
	ck_assert(!res.timed_out);
}
END_TEST

START_TEST(test_an_exit_code_and_a_killing_signal_are_reported)
{
	struct spawn_result res = run(5000, 100, NULL, 0, ARGV("/bin/sh", "-c", "exit 3"));

	ck_assert(res.exited);
	ck_assert_int_eq(res.status, 3);
	res = run(5000, 100, NULL, 0, ARGV("/bin/sh", "-c", "kill -USR1 $$"));
	ck_assert(!res.exited);
	ck_assert_int_eq(res.signal, SIGUSR1);
	ck_assert(!res.timed_out);
}
END_TEST

START_TEST(test_stdout_and_stderr_are_captured_in_order)
{
	char out[64];
	struct spawn_result res;

	res = run(5000, 100, out, sizeof(out), ARGV("/usr/bin/printf", "hello %s\\n", "world"));
	ck_assert(res.exited);
	ck_assert_str_eq(out, "hello world\n");
	ck_assert(!res.truncated);
	res = run(5000, 100, out, sizeof(out),
		  ARGV("/bin/sh", "-c", "echo out; echo err >&2; exit 2"));
	ck_assert_int_eq(res.status, 2);
	ck_assert_str_eq(out, "out\nerr\n");
	/* Exactly full is not truncated. */
	res = run(5000, 100, out, 11, ARGV("/usr/bin/printf", "0123456789"));
	ck_assert_str_eq(out, "0123456789");
	ck_assert(!res.truncated);
}
END_TEST

START_TEST(test_overflowing_output_keeps_its_tail)
{
	char out[16];
	struct spawn_result res;

	res = run(5000, 100, out, 5, ARGV("/usr/bin/printf", "0123456789"));
	ck_assert_str_eq(out, "6789");
	ck_assert(res.truncated);
	/* Many reads: the window slides across chunks and pipe-fulls. */
	res = run(10000, 100, out, sizeof(out), ARGV("/usr/bin/seq", "1", "100000"));
	ck_assert(res.exited);
	ck_assert_int_eq(res.status, 0);
	ck_assert(res.truncated);
	ck_assert_str_eq(out, "8\n99999\n100000\n");
	/* No buffer at all: the output is drained and dropped. */
	res = run(5000, 100, NULL, 0, ARGV("/usr/bin/seq", "1", "100000"));
	ck_assert(res.exited);
	ck_assert(res.truncated);
	res = run(5000, 100, out, 1, ARGV("/usr/bin/printf", "x"));
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_a_program_not_given_by_absolute_path_is_einval)
{
	struct spawn_result res = {.status = 12345};
	char *argv[] = {NULL, NULL};
	char out[4];

	ck_assert_int_eq(run_fail(ARGV("true")), -EINVAL);
	ck_assert_int_eq(run_fail(ARGV("./true")), -EINVAL);
	ck_assert_int_eq(run_fail(ARGV("bin/true")), -EINVAL);
	ck_assert_int_eq(run_fail(ARGV("")), -EINVAL);
	ck_assert_int_eq(spawn_run(argv, NULL, deadline_in_ms(1000), 0, out, 4, &res), -EINVAL);
	ck_assert_int_eq(spawn_run(NULL, NULL, deadline_in_ms(1000), 0, out, 4, &res), -EINVAL);
	argv[0] = (char *)"/bin/true";
	ck_assert_int_eq(spawn_run(argv, NULL, deadline_in_ms(1000), 0, NULL, 4, &res), -EINVAL);
	ck_assert_int_eq(spawn_run(argv, NULL, deadline_in_ms(1000), 0, out, 4, NULL), -EINVAL);
	ck_assert_int_eq(res.status, 12345);
}
END_TEST

START_TEST(test_a_program_that_cannot_be_executed_is_reported_with_its_errno)
{
	ck_assert_int_eq(run_fail(ARGV("/nonexistent/program")), -ENOENT);
	ck_assert_int_eq(run_fail(ARGV("/etc/passwd")), -EACCES);
}
END_TEST

START_TEST(test_an_expired_deadline_runs_nothing)
{
	char *argv[] = {(char *)"/bin/true", NULL};
	struct spawn_result res = {.status = 12345};
	deadline_t past = {0};

	ck_assert_int_eq(spawn_run(argv, NULL, past, 100, NULL, 0, &res), -ETIME);
	ck_assert_int_eq(res.status, 12345);
}
END_TEST

START_TEST(test_stdin_is_dev_null)
{
	char out[16] = "garbage";
	struct spawn_result res = run(5000, 100, out, sizeof(out), ARGV("/bin/cat"));

	ck_assert(!res.timed_out);
	ck_assert(res.exited);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_the_environment_is_minimal_unless_one_is_given)
{
	char *argv[] = {(char *)"/usr/bin/env", NULL};
	char *envp[] = {(char *)"FOO=bar", NULL};
	struct spawn_result res;
	char out[256];

	ck_assert_int_eq(setenv("EXHA_SECRET", "must-not-leak", 1), 0);
	res = run(5000, 100, out, sizeof(out), ARGV("/usr/bin/env"));
	ck_assert(res.exited);
	ck_assert_str_eq(out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLANG=C\n");
	ck_assert_int_eq(spawn_run(argv, envp, deadline_in_ms(5000), 100, out, sizeof(out), &res),
			 0);
	ck_assert_str_eq(out, "FOO=bar\n");
}
END_TEST

START_TEST(test_no_descriptor_of_ours_reaches_the_child)
{
	/* dup() clears FD_CLOEXEC: only closing in the child keeps this one out. */
	int leaky = dup(STDERR_FILENO);
	char out[256];
	struct spawn_result res;

	ck_assert_int_ge(leaky, 3);
	res = run(5000, 100, out, sizeof(out), ARGV("/bin/ls", "-1", "/proc/self/fd"));
	ck_assert(res.exited);
	/* 3 is the directory ls itself opened to list. */
	ck_assert_str_eq(out, "0\n1\n2\n3\n");
	close(leaky);
}
END_TEST

START_TEST(test_a_child_past_its_deadline_is_terminated)
{
	char out[16];
	struct spawn_result res = run(200, 5000, out, sizeof(out), ARGV("/bin/sleep", "30"));

	ck_assert(res.timed_out);
	ck_assert(!res.exited);
	ck_assert_int_eq(res.signal, SIGTERM);
}
END_TEST

START_TEST(test_a_child_ignoring_sigterm_is_killed_after_the_grace_period)
{
	struct spawn_result res =
		run(300, 200, NULL, 0, ARGV("/bin/sh", "-c", "trap '' TERM; sleep 30"));

	ck_assert(res.timed_out);
	ck_assert(!res.exited);
	ck_assert_int_eq(res.signal, SIGKILL);
}
END_TEST

/*
 * The grace is the caller's, not extra: a child that ignores SIGTERM, with
 * a grace longer than the whole budget, is still reported by the deadline
 * (with the 20 ms a poll() may overshoot), as killed.
 */
START_TEST(test_a_hung_child_is_reported_by_the_deadline_grace_included)
{
	char *const argv[] = {(char *)"/bin/sh", (char *)"-c", (char *)"trap '' TERM; sleep 30",
			      NULL};
	deadline_t deadline = deadline_in_ms(600);
	struct spawn_result res;

	ck_assert_int_eq(spawn_run(argv, NULL, deadline, 2000, NULL, 0, &res), 0);
	ck_assert_uint_le(now_us(), deadline.end_us + 20000);
	ck_assert(res.timed_out);
	ck_assert(!res.exited);
	ck_assert_int_eq(res.signal, SIGKILL);
}
END_TEST

/* Dead: gone, or a zombie waiting for its new parent. Polled: its death is asynchronous. */
static bool pid_is_dead(pid_t pid)
{
	for (int i = 0; i < 500; i++) {
		char path[64], stat[512];
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "re");
		if (!f)
			return true;
		n = fread(stat, 1, sizeof(stat) - 1, f);
		fclose(f);
		stat[n] = '\0';
		if (strstr(stat, ") Z ") || strstr(stat, ") X "))
			return true;
		nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
	}
	return false;
}

static pid_t pid_from_output(const char *out)
{
	char *end = NULL;
	long pid = strtol(out, &end, 10);

	ck_assert_msg(pid > 1 && end && *end == '\n', "no pid in '%s'", out);
	return (pid_t)pid;
}

START_TEST(test_what_a_timed_out_child_started_dies_with_it)
{
	/* The grandchild ignores SIGTERM and outlives its parent: only the group's SIGKILL ends it.
	 */
	char out[64];
	struct spawn_result res =
		run(300, 2000, out, sizeof(out),
		    ARGV("/bin/sh", "-c", "trap '' TERM; sleep 30 & echo $!; trap - TERM; wait"));

	ck_assert(res.timed_out);
	ck_assert_int_eq(res.signal, SIGTERM);
	ck_assert(pid_is_dead(pid_from_output(out)));
}
END_TEST

START_TEST(test_a_daemon_holding_the_output_open_does_not_delay_the_exit)
{
	char out[64];
	struct spawn_result res =
		run(10000, 100, out, sizeof(out), ARGV("/bin/sh", "-c", "sleep 30 & echo $!"));
	pid_t daemon = pid_from_output(out);

	ck_assert(!res.timed_out);
	ck_assert(res.exited);
	ck_assert_int_eq(res.status, 0);
	ck_assert_int_eq(kill(daemon, SIGKILL), 0);
}
END_TEST

START_TEST(test_a_chatty_child_cannot_outrun_the_deadline)
{
	char out[8];
	struct spawn_result res = run(300, 2000, out, sizeof(out), ARGV("/usr/bin/yes"));

	ck_assert(res.timed_out);
	ck_assert_int_eq(res.signal, SIGTERM);
	ck_assert(res.truncated);
	ck_assert_uint_eq(strlen(out), 7);
}
END_TEST

START_TEST(test_no_descriptor_leaks_on_any_path)
{
	int before = fd_count();
	char out[32];

	run(5000, 100, out, sizeof(out), ARGV("/bin/true"));
	run(5000, 100, out, sizeof(out), ARGV("/usr/bin/seq", "1", "10000"));
	run(200, 100, out, sizeof(out), ARGV("/bin/sleep", "30"));
	run(200, 100, NULL, 0, ARGV("/bin/sh", "-c", "trap '' TERM; sleep 30"));
	ck_assert_int_eq(run_fail(ARGV("/nonexistent/program")), -ENOENT);
	ck_assert_int_eq(run_fail(ARGV("relative")), -EINVAL);
	ck_assert_int_eq(fd_count(), before);
}
END_TEST

static Suite *exec_suite(void)
{
	Suite *s = suite_create("exec");

	ADD_CASE(s, test_true_exits_0_and_false_exits_1, 10);
	ADD_CASE(s, test_a_hung_child_is_reported_by_the_deadline_grace_included, 10);
	ADD_CASE(s, test_an_exit_code_and_a_killing_signal_are_reported, 10);
	ADD_CASE(s, test_stdout_and_stderr_are_captured_in_order, 10);
	ADD_CASE(s, test_overflowing_output_keeps_its_tail, 20);
	ADD_CASE(s, test_a_program_not_given_by_absolute_path_is_einval, 10);
	ADD_CASE(s, test_a_program_that_cannot_be_executed_is_reported_with_its_errno, 10);
	ADD_CASE(s, test_an_expired_deadline_runs_nothing, 10);
	ADD_CASE(s, test_stdin_is_dev_null, 10);
	ADD_CASE(s, test_the_environment_is_minimal_unless_one_is_given, 10);
	ADD_CASE(s, test_no_descriptor_of_ours_reaches_the_child, 10);
	ADD_CASE(s, test_a_child_past_its_deadline_is_terminated, 10);
	ADD_CASE(s, test_a_child_ignoring_sigterm_is_killed_after_the_grace_period, 10);
	ADD_CASE(s, test_what_a_timed_out_child_started_dies_with_it, 15);
	ADD_CASE(s, test_a_daemon_holding_the_output_open_does_not_delay_the_exit, 15);
	ADD_CASE(s, test_a_chatty_child_cannot_outrun_the_deadline, 10);
	ADD_CASE(s, test_no_descriptor_leaks_on_any_path, 20);
	return s;
}

int main(void)
{
	return check_run(exec_suite());
}
