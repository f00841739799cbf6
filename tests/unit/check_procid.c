/*
 * procid: process identities that survive PID reuse. The /proc/<pid>/stat
 * parser gets hostile comm values; the live checks use real children of
 * the test, held on a pipe so they end however a case ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "check_common.h"
#include "procid.h"

/* A stat line whose comm is comm and whose field 22 is start. */
static void stat_line(char *buf, size_t size, const char *comm, const char *start)
{
	int n = snprintf(buf, size,
			 "4242 (%s) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 %s 20 21\n",
			 comm, start);

	ck_assert_int_lt(n, (int)size);
}

/* Field 22 of a stat line, by a different route than the code under test. */
static unsigned long long starttime_by_tokens(const char *stat)
{
	char copy[1024], *save = NULL, *tok;
	unsigned field = 2;

	ck_assert_uint_lt(strlen(stat), sizeof(copy));
	snprintf(copy, sizeof(copy), "%s", strrchr(stat, ')') + 1);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (++field == 22)
			return strtoull(tok, NULL, 10);
	ck_abort_msg("no field 22 in %s", stat);
	return 0;
}

START_TEST(test_the_start_time_of_this_process_is_read_from_its_stat)
{
	char stat[1024];
	uint64_t start = 0;
	struct proc_id id;
	FILE *f = fopen("/proc/self/stat", "re");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	ck_assert_int_eq(proc_stat_starttime(stat, &start), 0);
	ck_assert_uint_eq(start, starttime_by_tokens(stat));
	ck_assert_uint_gt(start, 0);
	ck_assert_int_eq(proc_id_of(getpid(), &id), 0);
	ck_assert_int_eq(id.pid, getpid());
	ck_assert_uint_eq(id.starttime, start);
	ck_assert_uint_eq(strlen(id.boot_id), BOOT_ID_SIZE - 1);
}
END_TEST

START_TEST(test_a_comm_holding_parentheses_and_spaces_does_not_shift_the_fields)
{
	static const char *const comms[] = {"a) (b c", ") (", "x) S 1 2 3", "((", "", " ", "a)b"};
	char stat[512];

	for (size_t i = 0; i < sizeof(comms) / sizeof(comms[0]); i++) {
		uint64_t start = 0;

		stat_line(stat, sizeof(stat), comms[i], "987654");
		ck_assert_msg(proc_stat_starttime(stat, &start) == 0, "comm '%s'", comms[i]);
		ck_assert_uint_eq(start, 987654);
	}
}
END_TEST

START_TEST(test_malformed_stat_text_is_einval)
{
	static const char *const bad[] = {
		"",
		"4242 no parentheses S 1 2 3",
		"4242 (x)",
		"4242 (x)S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 99 20",
		"4242 (x) S 1 2 3",
		"4242 (x)  S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 99 20",
		"4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
		"4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 ",
		"4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 abc 20",
		"4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 -5 20",
		"4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 12x 20",
		"4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
		"1234567890123456789012345678901234567890 20",
	};
	uint64_t start = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(proc_stat_starttime(bad[i], &start) == -EINVAL, "accepted: '%s'",
			      bad[i]);
	ck_assert_uint_eq(start, 7);
	ck_assert_int_eq(proc_stat_starttime(NULL, &start), -EINVAL);
	ck_assert_int_eq(proc_stat_starttime("1 (x) S", NULL), -EINVAL);
}
END_TEST

START_TEST(test_an_identity_survives_format_and_parse)
{
	struct proc_id id, back;
	char buf[128];
	int n;

	ck_assert_int_eq(proc_id_of(getpid(), &id), 0);
	n = proc_id_format(&id, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert_int_eq(buf[n - 1], '\n');
	ck_assert_int_eq(proc_id_parse(buf, &back), 0);
	ck_assert_int_eq(back.pid, id.pid);
	ck_assert_uint_eq(back.starttime, id.starttime);
	ck_assert_str_eq(back.boot_id, id.boot_id);
	/* Without the newline too (a value typed by hand). */
	buf[n - 1] = '\0';
	ck_assert_int_eq(proc_id_parse(buf, &back), 0);
	ck_assert_int_eq(proc_id_format(&id, buf, 10), -ENOBUFS);
}
END_TEST

START_TEST(test_a_malformed_identity_is_einval)
{
	const char *boot = "0a1b2c3d-0000-4000-8000-0123456789ab";
	/* The boot id goes between each pair. */
	static const char *const around[][2] = {
		{"", ""},
		{"0 1 ", ""},
		{"-1 1 ", ""},
		{"+1 1 ", ""},
		{"1 x ", ""},
		{"1 1 ", "f"},
		{"1 1 ", " extra"},
		{"1 1 ", "\nextra"},
		{"1  1 ", ""},
		{" 1 1 ", ""},
		{"1 1 ", "\n\n"},
		{"1 1 ", " "},
		{"2147483648 1 ", ""},
		{"1 -1 ", ""},
		{"1 1\n", ""},
		{"1\t1 ", ""},
		{"12345678901234567 1 ", ""},
	};
	struct proc_id id = {.pid = 77};
	char buf[256];

	ck_assert_int_eq(proc_id_parse("", &id), -EINVAL);
	for (size_t i = 0; i < sizeof(around) / sizeof(around[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", around[i][0], boot, around[i][1]);
		ck_assert_msg(proc_id_parse(buf, &id) == -EINVAL, "accepted: '%s'", buf);
	}
	ck_assert_int_eq(proc_id_parse("1 1 0A1B2C3D-0000-4000-8000-0123456789AB", &id), -EINVAL);
	ck_assert_int_eq(proc_id_parse("1 1 0a1b2c3d-0000-4000-8000-0123456789a", &id), -EINVAL);
	ck_assert_int_eq(id.pid, 77);
	snprintf(buf, sizeof(buf), "1 2 %s\n", boot);
	ck_assert_int_eq(proc_id_parse(buf, &id), 0);
	ck_assert_int_eq(id.pid, 1);
	ck_assert_uint_eq(id.starttime, 2);
	ck_assert_int_eq(proc_id_parse(NULL, &id), -EINVAL);
	ck_assert_int_eq(proc_id_parse(buf, NULL), -EINVAL);
}
END_TEST

/* A child that lives until *ret_wfd is closed. */
static pid_t child_new(int *ret_wfd)
{
	int p[2];
	pid_t pid;

	/* Check's runner forwards SIGTERM to its whole group: not from this child (set before
	 * fork, so no signal can arrive before it). */
	ck_assert(signal(SIGTERM, SIG_DFL) != SIG_ERR);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char c;

		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	*ret_wfd = p[1];
	return pid;
}

static int child_end(pid_t pid, int wfd)
{
	int status = 0;

	close(wfd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(test_this_process_is_alive_and_a_reaped_child_is_not)
{
	struct proc_id self, child;
	int wfd;
	pid_t pid = child_new(&wfd);

	ck_assert_int_eq(proc_id_of(getpid(), &self), 0);
	ck_assert_int_eq(proc_id_alive(&self), 1);
	ck_assert_int_eq(proc_id_of(pid, &child), 0);
	ck_assert_int_eq(proc_id_alive(&child), 1);
	ck_assert_int_eq(child_end(pid, wfd), 0);
	ck_assert_int_eq(proc_id_alive(&child), 0);
	ck_assert_int_eq(proc_id_of(pid, &child), -ESRCH);
	ck_assert_int_eq(proc_id_signal(&child, 0), -ESRCH);
	ck_assert_int_eq(proc_id_alive(NULL), -EINVAL);
	ck_assert_int_eq(proc_id_of(0, &child), -EINVAL);
}
END_TEST

START_TEST(test_an_exited_child_not_yet_reaped_is_not_alive)
{
	struct proc_id child, other;
	siginfo_t info;
	int wfd, status = 0;
	pid_t pid = child_new(&wfd);

	ck_assert_int_eq(proc_id_of(pid, &child), 0);
	ck_assert_int_eq(proc_id_zombie(&child), 0);
	close(wfd);
	/* WNOWAIT: wait for the exit but leave the zombie in place. */
	ck_assert_int_eq(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT), 0);
	ck_assert_int_eq(proc_id_alive(&child), 0);
	/* Its own zombie only (service-set removes a pid file on that word). */
	ck_assert_int_eq(proc_id_zombie(&child), 1);
	other = child;
	other.starttime++;
	ck_assert_int_eq(proc_id_zombie(&other), 0);
	ck_assert_int_eq(proc_id_terminate(&child, SIGTERM, deadline_in_ms(1000)), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(proc_id_zombie(&child), 0);
}
END_TEST

START_TEST(test_the_state_letter_is_read_past_any_comm)
{
	char state = 0;

	ck_assert_int_eq(proc_stat_state("42 (a) Z (b) S 1 2) Z 1 2 3", &state), 0);
	ck_assert_int_eq(state, 'Z');
	ck_assert_int_eq(proc_stat_state("42 (x) R 1", &state), 0);
	ck_assert_int_eq(state, 'R');
	ck_assert_int_eq(proc_stat_state("42 (x)", &state), -EINVAL);
	ck_assert_int_eq(proc_stat_state("42 (x) RS 1", &state), -EINVAL);
	ck_assert_int_eq(proc_stat_state("42 x R 1", &state), -EINVAL);
	ck_assert_int_eq(proc_stat_state(NULL, &state), -EINVAL);
}
END_TEST

START_TEST(test_a_stale_identity_is_esrch_and_is_not_signalled)
{
	struct proc_id id, wrong_start, wrong_boot;
	int wfd, status;
	pid_t pid = child_new(&wfd);

	ck_assert_int_eq(proc_id_of(pid, &id), 0);
	wrong_start = id;
	wrong_start.starttime++;
	wrong_boot = id;
	wrong_boot.boot_id[0] = wrong_boot.boot_id[0] == '0' ? '1' : '0';

	ck_assert_int_eq(proc_id_alive(&wrong_start), 0);
	ck_assert_int_eq(proc_id_signal(&wrong_start, SIGKILL), -ESRCH);
	ck_assert_int_eq(proc_id_signal(&wrong_boot, SIGKILL), -ESRCH);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	ck_assert_int_eq(proc_id_alive(&id), 1);

	ck_assert_int_eq(proc_id_signal(&id, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	close(wfd);
}
END_TEST

START_TEST(test_terminate_waits_until_the_process_has_exited)
{
	struct proc_id id;
	int wfd, status;
	pid_t pid = child_new(&wfd);

	ck_assert_int_eq(proc_id_of(pid, &id), 0);
	ck_assert_int_eq(proc_id_terminate(&id, SIGTERM, deadline_in_ms(5000)), 0);
	/* Exited before terminate returned: reaping does not block. */
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(proc_id_terminate(&id, SIGTERM, deadline_in_ms(100)), 0);
	close(wfd);
}
END_TEST

START_TEST(test_terminate_of_a_process_that_ignores_the_signal_is_etime)
{
	struct proc_id id;
	int wfd;
	pid_t pid;

	signal(SIGUSR1, SIG_IGN); /* inherited by the child */
	pid = child_new(&wfd);
	signal(SIGUSR1, SIG_DFL);
	ck_assert_int_eq(proc_id_of(pid, &id), 0);
	ck_assert_int_eq(proc_id_terminate(&id, SIGUSR1, deadline_in_ms(50)), -ETIME);
	ck_assert_int_eq(proc_id_alive(&id), 1);
	ck_assert_int_eq(child_end(pid, wfd), 0);
}
END_TEST

START_TEST(test_stop_escalates_to_sigkill_once_the_term_share_is_over)
{
	struct proc_id id;
	int wfd, status;
	pid_t pid;

	signal(SIGTERM, SIG_IGN); /* inherited by the child: only SIGKILL ends it */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	signal(SIGTERM, SIG_DFL);
	ck_assert_int_eq(proc_id_of(pid, &id), 0);
	ck_assert_int_eq(proc_id_stop(&id, deadline_in_ms(50), deadline_in_ms(2000)), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGKILL);
	/* One that heeds SIGTERM never sees SIGKILL. */
	pid = child_new(&wfd);
	ck_assert_int_eq(proc_id_of(pid, &id), 0);
	ck_assert_int_eq(proc_id_stop(&id, deadline_in_ms(2000), deadline_in_ms(3000)), 0);
	status = child_end(pid, wfd);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
}
END_TEST

START_TEST(test_end_recorded_ends_a_live_record_and_forgets_every_record)
{
	char *dir = scratch_dir_new(), buf[16];
	struct proc_id id, child;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), wfd, status;
	pid_t pid = child_new(&wfd);

	ck_assert_int_ge(dirfd, 0);
	ck_assert_int_eq(proc_id_of(pid, &child), 0);
	ck_assert_int_eq(
		proc_id_end_recorded(dirfd, "none", deadline_in_ms(100), deadline_in_ms(200), NULL),
		0);
	ck_assert_int_eq(proc_id_record(dirfd, "w", pid), 0);
	ck_assert_int_eq(
		proc_id_end_recorded(dirfd, "w", deadline_in_ms(2000), deadline_in_ms(3000), NULL),
		1);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(proc_id_load(dirfd, "w", &id), -ENOENT);
	close(wfd);
	/* Its process gone: 0, the record removed all the same. */
	ck_assert_int_eq(proc_id_store(dirfd, "w", &child), 0);
	ck_assert_int_eq(
		proc_id_end_recorded(dirfd, "w", deadline_in_ms(100), deadline_in_ms(200), NULL),
		0);
	ck_assert_int_eq(proc_id_load(dirfd, "w", &id), -ENOENT);
	ck_assert_int_eq(proc_id_of(getpid(), &id), 0);
	id.starttime++; /* a successor with the same pid: never signalled */
	ck_assert_int_eq(proc_id_store(dirfd, "w", &id), 0);
	ck_assert_int_eq(
		proc_id_end_recorded(dirfd, "w", deadline_in_ms(100), deadline_in_ms(200), NULL),
		0);
	ck_assert_int_eq(proc_id_load(dirfd, "w", &id), -ENOENT);
	/* A damaged record vouches for nothing: removed, nothing signalled. */
	ck_assert_int_eq(state_write(dirfd, "w", "garbage\n", 8), 0);
	ck_assert_int_eq(
		proc_id_end_recorded(dirfd, "w", deadline_in_ms(100), deadline_in_ms(200), NULL),
		0);
	ck_assert_int_eq(state_read(dirfd, "w", buf, sizeof(buf)), -ENOENT);
	close(dirfd);
	scratch_dir_free(dir);
}
END_TEST

/* A helper recorded by its parent and by itself: either record finds it, both go. */
START_TEST(test_end_pair_ends_a_helper_found_by_either_record)
{
	char *dir = scratch_dir_new();
	struct proc_id id;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), wfd, status;
	pid_t pid = child_new(&wfd), seen = 0;

	ck_assert_int_ge(dirfd, 0);
	ck_assert_int_eq(proc_id_end_pair(dirfd, "p", "s", deadline_in_ms(200), &seen), 0);
	ck_assert_int_eq(seen, 0);
	/* The parent died before it recorded: only the helper's own record. */
	ck_assert_int_eq(proc_id_record(dirfd, "s", pid), 0);
	ck_assert_int_eq(proc_id_end_pair(dirfd, "p", "s", deadline_in_ms(3000), &seen), 1);
	ck_assert_int_eq(seen, pid);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), pid);
	ck_assert(WIFSIGNALED(status));
	close(wfd);
	/* Both records of one helper: one ends it, the other finds it gone; both removed. */
	pid = child_new(&wfd);
	ck_assert_int_eq(proc_id_record(dirfd, "p", pid), 0);
	ck_assert_int_eq(proc_id_record(dirfd, "s", pid), 0);
	ck_assert_int_eq(proc_id_end_pair(dirfd, "p", "s", deadline_in_ms(3000), NULL), 1);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), pid);
	ck_assert_int_eq(proc_id_load(dirfd, "p", &id), -ENOENT);
	ck_assert_int_eq(proc_id_load(dirfd, "s", &id), -ENOENT);
	close(wfd);
	close(dirfd);
	scratch_dir_free(dir);
}
END_TEST

static Suite *procid_suite(void)
{
	Suite *s = suite_create("procid");

	ADD_CASE(s, test_the_start_time_of_this_process_is_read_from_its_stat, 5);
	ADD_CASE(s, test_a_comm_holding_parentheses_and_spaces_does_not_shift_the_fields, 5);
	ADD_CASE(s, test_malformed_stat_text_is_einval, 5);
	ADD_CASE(s, test_an_identity_survives_format_and_parse, 5);
	ADD_CASE(s, test_a_malformed_identity_is_einval, 5);
	ADD_CASE(s, test_this_process_is_alive_and_a_reaped_child_is_not, 10);
	ADD_CASE(s, test_an_exited_child_not_yet_reaped_is_not_alive, 10);
	ADD_CASE(s, test_the_state_letter_is_read_past_any_comm, 5);
	ADD_CASE(s, test_a_stale_identity_is_esrch_and_is_not_signalled, 10);
	ADD_CASE(s, test_terminate_waits_until_the_process_has_exited, 10);
	ADD_CASE(s, test_terminate_of_a_process_that_ignores_the_signal_is_etime, 10);
	ADD_CASE(s, test_stop_escalates_to_sigkill_once_the_term_share_is_over, 10);
	ADD_CASE(s, test_end_recorded_ends_a_live_record_and_forgets_every_record, 10);
	ADD_CASE(s, test_end_pair_ends_a_helper_found_by_either_record, 10);
	return s;
}

int main(void)
{
	return check_run(procid_suite());
}
