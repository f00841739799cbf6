/*
 * state: per-resource state files. Each case works in its own mkdtemp
 * directory standing in for /run/exha, and plants the symlinks an attacker
 * (or a confused admin) would, to show they are refused, never followed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "check_common.h"
#include "state.h"

struct scratch {
	char *dir;  /* the mkdtemp directory */
	char *root; /* <dir>/run: what /run/exha is in production */
};

static struct scratch scratch_new(void)
{
	struct scratch s = {.dir = scratch_dir_new()};

	ck_assert_int_gt(asprintf(&s.root, "%s/run", s.dir), 0);
	return s;
}

static void scratch_free(struct scratch *s)
{
	free(s->root);
	scratch_dir_free(s->dir);
}

static int open_instance(const struct scratch *s, const char *instance)
{
	int fd = -1;

	ck_assert_int_eq(state_dir_open(s->root, instance, &fd), 0);
	ck_assert_int_ge(fd, 0);
	return fd;
}

START_TEST(test_instance_names_must_be_one_safe_path_component)
{
	static const char *const bad[] = {"", ".", "..", ".hidden", "a/b", "/abs", "a/"};
	char name[202];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(state_instance_valid(bad[i]) == -EINVAL, "'%s' accepted", bad[i]);
	ck_assert_int_eq(state_instance_valid(NULL), -EINVAL);
	ck_assert_int_eq(state_instance_valid("fip"), 0);
	ck_assert_int_eq(state_instance_valid("fip:0"), 0);
	ck_assert_int_eq(state_instance_valid("mail-group_disk.1"), 0);
	memset(name, 'n', sizeof(name) - 1);
	name[200] = '\0';
	ck_assert_int_eq(state_instance_valid(name), 0);
	name[200] = 'n';
	name[201] = '\0';
	ck_assert_int_eq(state_instance_valid(name), -EINVAL);
}
END_TEST

START_TEST(test_the_root_and_instance_directories_are_created_0700)
{
	struct scratch s = scratch_new();
	struct stat st;
	int fd = open_instance(&s, "fip:0");

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(stat(s.root, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(close(fd), 0);
	/* Opening an existing directory is the common case. */
	fd = open_instance(&s, "fip:0");
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	scratch_free(&s);
}
END_TEST

START_TEST(test_a_symlinked_instance_directory_or_root_is_refused)
{
	struct scratch s = scratch_new();
	char *elsewhere = NULL, *link = NULL, *root_link = NULL;
	int fd = -1, r;

	ck_assert_int_gt(asprintf(&elsewhere, "%s/elsewhere", s.dir), 0);
	ck_assert_int_gt(asprintf(&link, "%s/evil", s.root), 0);
	ck_assert_int_gt(asprintf(&root_link, "%s/run-link", s.dir), 0);
	ck_assert_int_eq(mkdir(elsewhere, 0700), 0);
	ck_assert_int_eq(mkdir(s.root, 0700), 0);
	ck_assert_int_eq(symlink(elsewhere, link), 0);
	ck_assert_int_eq(symlink(s.root, root_link), 0);

	r = state_dir_open(s.root, "evil", &fd);
	ck_assert_msg(r == -ELOOP || r == -ENOTDIR, "symlinked instance: %d", r);
	r = state_dir_open(root_link, "fip", &fd);
	ck_assert_msg(r == -ELOOP || r == -ENOTDIR, "symlinked root: %d", r);
	ck_assert_int_eq(fd, -1);
	free(elsewhere);
	free(link);
	free(root_link);
	scratch_free(&s);
}
END_TEST

START_TEST(test_a_directory_others_can_enter_is_refused)
{
	struct scratch s = scratch_new();
	char *inst = NULL;
	int fd = open_instance(&s, "fip");

	close(fd);
	fd = -1;
	ck_assert_int_gt(asprintf(&inst, "%s/fip", s.root), 0);
	ck_assert_int_eq(chmod(inst, 0755), 0);
	ck_assert_int_eq(state_dir_open(s.root, "fip", &fd), -EPERM);
	ck_assert_int_eq(fd, -1);
	free(inst);
	scratch_free(&s);
}
END_TEST

START_TEST(test_a_written_file_reads_back_whole)
{
	struct scratch s = scratch_new();
	int fd = open_instance(&s, "fip");
	char buf[64];
	struct stat st;

	ck_assert_int_eq(state_write(fd, "lease", "hello\n", 6), 0);
	ck_assert_int_eq(state_read(fd, "lease", buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "hello\n");
	ck_assert_int_eq(fstatat(fd, "lease", &st, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	/* Replaced, not appended to, and no temporary file left behind. */
	ck_assert_int_eq(state_write(fd, "lease", "x", 1), 0);
	ck_assert_int_eq(state_read(fd, "lease", buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "x");
	ck_assert_int_eq(faccessat(fd, ".lease.tmp", F_OK, AT_SYMLINK_NOFOLLOW), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(state_write(fd, "empty", NULL, 0), 0);
	ck_assert_int_eq(state_read(fd, "empty", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	close(fd);
	scratch_free(&s);
}
END_TEST

START_TEST(test_a_symlinked_state_file_is_never_followed)
{
	struct scratch s = scratch_new();
	int fd = open_instance(&s, "fip");
	char *target = NULL, buf[64];
	struct stat st;
	int tfd;

	ck_assert_int_gt(asprintf(&target, "%s/target", s.dir), 0);
	tfd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ck_assert_int_ge(tfd, 0);
	ck_assert_int_eq(write(tfd, "secret", 6), 6);
	close(tfd);
	ck_assert_int_eq(symlinkat(target, fd, "lease"), 0);
	ck_assert_int_eq(symlinkat(target, fd, ".other.tmp"), 0);

	ck_assert_int_eq(state_read(fd, "lease", buf, sizeof(buf)), -ELOOP);
	/* Writes replace the link itself (rename), and a planted temporary is unlinked. */
	ck_assert_int_eq(state_write(fd, "lease", "new", 3), 0);
	ck_assert_int_eq(state_write(fd, "other", "new", 3), 0);
	ck_assert_int_eq(fstatat(fd, "lease", &st, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(state_read(fd, "lease", buf, sizeof(buf)), 3);
	ck_assert_int_eq(state_read(fd, "other", buf, sizeof(buf)), 3);
	tfd = open(target, O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(read(tfd, buf, sizeof(buf)), 6);
	ck_assert_int_eq(memcmp(buf, "secret", 6), 0);
	close(tfd);
	free(target);
	close(fd);
	scratch_free(&s);
}
END_TEST

START_TEST(test_a_file_larger_than_the_buffer_is_efbig)
{
	struct scratch s = scratch_new();
	int fd = open_instance(&s, "fip");
	char buf[11];

	ck_assert_int_eq(state_write(fd, "big", "0123456789", 10), 0);
	ck_assert_int_eq(state_read(fd, "big", buf, 10), -EFBIG);
	ck_assert_int_eq(state_read(fd, "big", buf, 11), 10);
	ck_assert_str_eq(buf, "0123456789");
	close(fd);
	scratch_free(&s);
}
END_TEST

START_TEST(test_an_absent_file_reads_as_enoent_and_removes_as_success)
{
	struct scratch s = scratch_new();
	int fd = open_instance(&s, "fip");
	char buf[16];

	ck_assert_int_eq(state_read(fd, "lease", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(state_remove(fd, "lease"), 0);
	ck_assert_int_eq(state_write(fd, "lease", "1", 1), 0);
	ck_assert_int_eq(state_remove(fd, "lease"), 0);
	ck_assert_int_eq(state_read(fd, "lease", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(state_remove(fd, "lease"), 0);
	close(fd);
	scratch_free(&s);
}
END_TEST

START_TEST(test_bad_arguments_are_einval)
{
	static const char *const bad_names[] = {"", ".", "..", "a/b", "/x"};
	struct scratch s = scratch_new();
	int fd = open_instance(&s, "fip"), out = -1;
	char buf[16];

	ck_assert_int_eq(state_dir_open("relative/run", "fip", &out), -EINVAL);
	ck_assert_int_eq(state_dir_open(NULL, "fip", &out), -EINVAL);
	ck_assert_int_eq(state_dir_open(s.root, "..", &out), -EINVAL);
	ck_assert_int_eq(state_dir_open(s.root, "fip", NULL), -EINVAL);
	ck_assert_int_eq(out, -1);
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		ck_assert_int_eq(state_write(fd, bad_names[i], "x", 1), -EINVAL);
		ck_assert_int_eq(state_read(fd, bad_names[i], buf, sizeof(buf)), -EINVAL);
		ck_assert_int_eq(state_remove(fd, bad_names[i]), -EINVAL);
	}
	ck_assert_int_eq(state_write(-1, "x", "x", 1), -EINVAL);
	ck_assert_int_eq(state_write(fd, "x", NULL, 1), -EINVAL);
	ck_assert_int_eq(state_read(fd, "x", NULL, 16), -EINVAL);
	ck_assert_int_eq(state_read(fd, "x", buf, 1), -EINVAL);
	close(fd);
	scratch_free(&s);
}
END_TEST

START_TEST(test_the_boot_id_is_a_36_character_uuid)
{
	char id[BOOT_ID_SIZE];

	ck_assert_int_eq(boot_id_read(id), 0);
	ck_assert_uint_eq(strlen(id), 36);
	ck_assert_int_eq(id[8], '-');
	ck_assert_int_eq(id[13], '-');
	ck_assert_int_eq(id[18], '-');
	ck_assert_int_eq(id[23], '-');
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("state");

	ADD_CASE(s, test_instance_names_must_be_one_safe_path_component, 5);
	ADD_CASE(s, test_the_root_and_instance_directories_are_created_0700, 5);
	ADD_CASE(s, test_a_symlinked_instance_directory_or_root_is_refused, 5);
	ADD_CASE(s, test_a_directory_others_can_enter_is_refused, 5);
	ADD_CASE(s, test_a_written_file_reads_back_whole, 5);
	ADD_CASE(s, test_a_symlinked_state_file_is_never_followed, 5);
	ADD_CASE(s, test_a_file_larger_than_the_buffer_is_efbig, 5);
	ADD_CASE(s, test_an_absent_file_reads_as_enoent_and_removes_as_success, 5);
	ADD_CASE(s, test_bad_arguments_are_einval, 5);
	ADD_CASE(s, test_the_boot_id_is_a_36_character_uuid, 5);
	return s;
}

int main(void)
{
	return check_run(state_suite());
}
