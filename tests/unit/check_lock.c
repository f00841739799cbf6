/*
 * lock: the per-instance action lock. Contention needs a second process,
 * so each case forks; the point of a POSIX record lock (not flock, not an
 * OFD lock) is shown directly: a forked child that keeps the descriptor
 * does not keep the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "check_common.h"
#include "lock.h"

static int scratch_dirfd(char **ret_dir)
{
	int fd;

	*ret_dir = scratch_dir_new();
	fd = open(*ret_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

static int child_status(pid_t pid)
{
	int status = 0;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* In a child: try the lock with a deadline ms away; exit 0 when got == want. */
static pid_t try_in_child(int dirfd, uint64_t ms, int want, pid_t want_holder)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t holder = -1;
		int fd = -1;
		int r = lock_instance(dirfd, deadline_in_ms(ms), &fd, &holder);

		if (r != want)
			_exit(1);
		if (r == -ETIME && want_holder && holder != want_holder)
			_exit(2);
		_exit(0);
	}
	return pid;
}

START_TEST(test_a_second_process_gives_up_at_its_deadline_and_names_the_holder)
{
	char *dir;
	int dirfd = scratch_dirfd(&dir), fd = -1;

	ck_assert_int_eq(lock_instance(dirfd, deadline_in_ms(1000), &fd, NULL), 0);
	ck_assert_int_eq(child_status(try_in_child(dirfd, 200, -ETIME, getpid())), 0);
	/* An expired deadline still takes a free lock: the first try costs no wait. */
	close(fd);
	ck_assert_int_eq(child_status(try_in_child(dirfd, 0, 0, 0)), 0);
	close(dirfd);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_a_waiter_gets_the_lock_once_its_holder_exits)
{
	char *dir;
	int dirfd = scratch_dirfd(&dir), ready[2], hold[2];
	pid_t holder, waiter;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(hold), 0);
	holder = fork();
	ck_assert_int_ge(holder, 0);
	if (holder == 0) {
		int fd = -1;

		close(hold[1]);
		if (lock_instance(dirfd, deadline_in_ms(1000), &fd, NULL) < 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		(void)!read(hold[0], &c, 1); /* until killed */
		_exit(0);
	}
	close(hold[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(child_status(try_in_child(dirfd, 0, -ETIME, holder)), 0);
	/* The waiter starts while the holder still holds; the holder's death wakes it. */
	waiter = try_in_child(dirfd, 20000, 0, 0);
	ck_assert_int_eq(kill(holder, SIGKILL), 0);
	ck_assert_int_eq(waitpid(holder, NULL, 0), holder);
	ck_assert_int_eq(child_status(waiter), 0);
	close(hold[1]);
	close(ready[0]);
	close(ready[1]);
	close(dirfd);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_a_forked_child_keeping_the_descriptor_does_not_keep_the_lock)
{
	char *dir;
	int dirfd = scratch_dirfd(&dir), hold[2], fd = -1;
	pid_t keeper;
	char c;

	ck_assert_int_eq(pipe(hold), 0);
	ck_assert_int_eq(lock_instance(dirfd, deadline_in_ms(1000), &fd, NULL), 0);
	keeper = fork(); /* as switching-disk's lease keeper: a plain fork, fd and all */
	ck_assert_int_ge(keeper, 0);
	if (keeper == 0) {
		close(hold[1]);
		(void)!read(hold[0], &c, 1);
		_exit(fcntl(fd, F_GETFD) >= 0 ? 0 : 1);
	}
	close(hold[0]);
	ck_assert_int_eq(child_status(try_in_child(dirfd, 0, -ETIME, getpid())), 0);
	close(fd); /* the action ends; its keeper lives on */
	ck_assert_int_eq(child_status(try_in_child(dirfd, 0, 0, 0)), 0);
	close(hold[1]);
	ck_assert_int_eq(child_status(keeper), 0);
	close(dirfd);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_a_symlink_or_fifo_planted_as_the_lock_is_refused)
{
	char *dir;
	int dirfd = scratch_dirfd(&dir), fd = -1;

	ck_assert_int_eq(symlinkat("/etc/passwd", dirfd, "lock"), 0);
	ck_assert_int_eq(lock_instance(dirfd, deadline_in_ms(100), &fd, NULL), -ELOOP);
	ck_assert_int_eq(unlinkat(dirfd, "lock", 0), 0);
	ck_assert_int_eq(mkfifoat(dirfd, "lock", 0600), 0);
	ck_assert_int_eq(lock_instance(dirfd, deadline_in_ms(100), &fd, NULL), -EPERM);
	ck_assert_int_eq(fd, -1);
	close(dirfd);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_bad_arguments_are_einval)
{
	int fd = -1;

	ck_assert_int_eq(lock_instance(-1, deadline_in_ms(100), &fd, NULL), -EINVAL);
	ck_assert_int_eq(lock_instance(0, deadline_in_ms(100), NULL, NULL), -EINVAL);
}
END_TEST

START_TEST(test_the_wait_leaves_no_timer_or_handler_behind)
{
	char *dir;
	int dirfd = scratch_dirfd(&dir), fd = -1;
	struct sigaction sa, before;
	struct itimerval it;
	pid_t pid;

	ck_assert_int_eq(lock_instance(dirfd, deadline_in_ms(1000), &fd, NULL), 0);
	pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int other = -1;

		if (sigaction(SIGALRM, NULL, &before) < 0)
			_exit(4);
		if (lock_instance(dirfd, deadline_in_ms(50), &other, NULL) != -ETIME)
			_exit(1);
		if (sigaction(SIGALRM, NULL, &sa) < 0 || sa.sa_handler != before.sa_handler)
			_exit(2);
		if (getitimer(ITIMER_REAL, &it) < 0 || it.it_value.tv_sec || it.it_value.tv_usec)
			_exit(3);
		_exit(0);
	}
	ck_assert_int_eq(child_status(pid), 0);
	close(fd);
	close(dirfd);
	scratch_dir_free(dir);
}
END_TEST

static Suite *lock_suite(void)
{
	Suite *s = suite_create("lock");

	ADD_CASE(s, test_a_second_process_gives_up_at_its_deadline_and_names_the_holder, 10);
	ADD_CASE(s, test_a_waiter_gets_the_lock_once_its_holder_exits, 30);
	ADD_CASE(s, test_a_forked_child_keeping_the_descriptor_does_not_keep_the_lock, 10);
	ADD_CASE(s, test_a_symlink_or_fifo_planted_as_the_lock_is_refused, 10);
	ADD_CASE(s, test_bad_arguments_are_einval, 5);
	ADD_CASE(s, test_the_wait_leaves_no_timer_or_handler_behind, 10);
	return s;
}

int main(void)
{
	return check_run(lock_suite());
}
