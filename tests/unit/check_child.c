/*
 * child: the one rule every launched process starts under. Each case
 * forks or spawns a real child that reports what it found (its
 * descriptors, signal dispositions and mask, session and group, working
 * directory) through a pipe, from inside the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "check_common.h"
#include "child.h"

/* Reap pid and return its exit status (it must exit, not be killed). */
static int reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Descriptors open in this process, as a bitmask of 0..31 (more: bit 31). */
static unsigned fds_open(void)
{
	unsigned mask = 0;

	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			mask |= 1u << (fd < 31 ? fd : 31);
	return mask;
}

START_TEST(test_a_forked_child_holds_only_the_descriptors_it_is_given)
{
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_KEEP_GROUP);
	int leaky = dup(STDERR_FILENO), p[2];
	unsigned mask = 0;
	pid_t pid;

	ck_assert_int_ge(leaky, 3); /* dup(): no O_CLOEXEC */
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	spec.fds[3] = p[1];
	spec.n_fds = 4;
	if (child_fork(&spec, &pid) == 0) {
		unsigned m = fds_open();

		_exit(write(3, &m, sizeof(m)) == sizeof(m) ? 0 : 1);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &mask, sizeof(mask)), (int)sizeof(mask));
	ck_assert_int_eq(reap(pid), 0);
	ck_assert_uint_eq(mask, 0xfu); /* 0-2 on /dev/null, 3 the pipe: the leaky one is gone */
	close(p[0]);
	close(leaky);
}
END_TEST

struct report {
	int term_ignored;
	int mask_empty;
	pid_t sid, pgid, pid;
	char cwd[8];
};

START_TEST(test_signals_are_reset_and_a_session_is_its_own)
{
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_OWN_SESSION);
	struct report rep = {0};
	sigset_t block, old;
	int p[2];
	pid_t pid;

	signal(SIGTERM, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	spec.fds[3] = p[1];
	spec.n_fds = 4;
	if (child_fork(&spec, &pid) == 0) {
		struct report r = {0};
		struct sigaction sa;
		sigset_t now;

		sigaction(SIGTERM, NULL, &sa);
		r.term_ignored = sa.sa_handler == SIG_IGN;
		sigprocmask(SIG_SETMASK, NULL, &now);
		r.mask_empty = !sigismember(&now, SIGUSR1);
		r.sid = getsid(0);
		r.pgid = getpgid(0);
		r.pid = getpid();
		if (!getcwd(r.cwd, sizeof(r.cwd)))
			r.cwd[0] = '\0';
		_exit(write(3, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGTERM, SIG_DFL);
	close(p[1]);
	ck_assert_int_eq(read(p[0], &rep, sizeof(rep)), (int)sizeof(rep));
	ck_assert_int_eq(reap(pid), 0);
	ck_assert(!rep.term_ignored);
	ck_assert(rep.mask_empty);
	ck_assert_int_eq(rep.sid, pid);
	ck_assert_int_eq(rep.pgid, pid);
	ck_assert_str_eq(rep.cwd, "/");
	close(p[0]);
}
END_TEST

START_TEST(test_a_spawned_program_gets_its_descriptors_at_the_given_numbers)
{
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_OWN_GROUP);
	char *argv[] = {(char *)"/bin/sh", (char *)"-c",
			(char *)"ls /proc/self/fd | tr '\\n' ' ' >&4; pwd >&4; "
				"ps -o pgid= -p $$ | tr -d ' ' >&4",
			NULL};
	char *envp[] = {(char *)"PATH=/usr/bin:/bin", NULL};
	int leaky = dup(STDERR_FILENO), p[2];
	char out[128] = {0}, want[128];
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	spec.fds[3] = p[1]; /* 3 and 4: one pipe at two numbers */
	spec.fds[4] = p[1];
	spec.n_fds = 5;
	ck_assert_int_eq(child_spawn(&spec, argv, envp, &pid), 0);
	close(p[1]);
	for (size_t used = 0; (n = read(p[0], out + used, sizeof(out) - 1 - used)) > 0;)
		used += (size_t)n;
	ck_assert_int_eq(reap(pid), 0);
	/* ls's own directory descriptor is 5: nothing past the given ones, not the leaky one. */
	snprintf(want, sizeof(want), "0 1 2 3 4 5 /\n%d\n", (int)pid);
	ck_assert_str_eq(out, want);
	close(p[0]);
	close(leaky);
}
END_TEST

START_TEST(test_bad_specs_and_relative_programs_are_einval)
{
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_KEEP_GROUP);
	char *rel[] = {(char *)"sh", NULL}, *envp[] = {NULL};
	pid_t pid;

	ck_assert_int_eq(child_spawn(&spec, rel, envp, &pid), -EINVAL);
	spec.n_fds = 2;
	ck_assert_int_eq(child_fork(&spec, &pid), -EINVAL);
	spec.n_fds = CHILD_FDS_MAX + 1;
	ck_assert_int_eq(child_fork(&spec, &pid), -EINVAL);
	spec = CHILD_SPEC_QUIET(CHILD_KEEP_GROUP);
	spec.fds[3] = -1; /* /dev/null stands in for stdio only */
	spec.n_fds = 4;
	ck_assert_int_eq(child_fork(&spec, &pid), -EINVAL);
	ck_assert_int_eq(child_fork(NULL, &pid), -EINVAL);
}
END_TEST

START_TEST(test_a_missing_program_is_enoent)
{
	struct child_spec spec = CHILD_SPEC_QUIET(CHILD_OWN_GROUP);
	char *argv[] = {(char *)"/nonexistent/exha-unit", NULL}, *envp[] = {NULL};
	pid_t pid;

	ck_assert_int_eq(child_spawn(&spec, argv, envp, &pid), -ENOENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("child");

	ADD_CASE(s, test_a_forked_child_holds_only_the_descriptors_it_is_given, 10);
	ADD_CASE(s, test_signals_are_reset_and_a_session_is_its_own, 10);
	ADD_CASE(s, test_a_spawned_program_gets_its_descriptors_at_the_given_numbers, 10);
	ADD_CASE(s, test_bad_specs_and_relative_programs_are_einval, 10);
	ADD_CASE(s, test_a_missing_program_is_enoent, 10);
	return check_run(s);
}
