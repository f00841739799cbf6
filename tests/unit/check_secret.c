/*
 * secret: the one reader of root-only secrets files (ad-fixup's password,
 * the mail probes' credentials). The checks hold on the file actually
 * read, the content never reaches a message, and the same file gets the
 * same verdict whoever reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "check_common.h"
#include "secret.h"

static char *file_new(const char *dir, const char *name, const char *text, size_t len, mode_t mode)
{
	char *path = NULL;
	int fd;

	ck_assert_int_gt(asprintf(&path, "%s/%s", dir, name), 0);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

START_TEST(test_the_first_line_is_the_password)
{
	char *dir = scratch_dir_new();
	char *path = file_new(dir, "pw", "s3cret\nignored\n", 15, 0600);
	char buf[64];
	struct error err = {""};

	ck_assert_int_eq(secret_line_read(path, buf, sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "s3cret");
	free(path);
	path = file_new(dir, "crlf", "s3cret\r\n", 8, 0400);
	ck_assert_int_eq(secret_line_read(path, buf, sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "s3cret");
	free(path);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_files_others_may_touch_are_refused_without_the_content)
{
	char *dir = scratch_dir_new();
	char *path = file_new(dir, "pw", "topsecret\n", 10, 0640);
	char buf[64] = "x";
	size_t len = 7;
	struct error err = {""};

	ck_assert_int_eq(secret_line_read(path, buf, sizeof(buf), &err), -EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "chmod 600"));
	ck_assert_ptr_null(strstr(err.msg, "topsecret"));
	ck_assert_int_eq(chmod(path, 0602), 0);
	ck_assert_int_eq(secret_file_read(path, buf, sizeof(buf), &len, &err), -EPERM);
	ck_assert_uint_eq(len, 7);
	if (geteuid() == 0) {
		ck_assert_int_eq(chmod(path, 0600), 0);
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(secret_line_read(path, buf, sizeof(buf), &err), -EPERM);
		ck_assert_ptr_nonnull(strstr(err.msg, "owned by root"));
	}
	free(path);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_symlinks_fifos_and_directories_are_not_read)
{
	char *dir = scratch_dir_new();
	char *path = file_new(dir, "pw", "s3cret\n", 7, 0600), *link = NULL, *fifo = NULL;
	char buf[64];
	struct error err = {""};

	ck_assert_int_gt(asprintf(&link, "%s/link", dir), 0);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(secret_line_read(link, buf, sizeof(buf), &err), -ELOOP);
	ck_assert_ptr_nonnull(strstr(err.msg, "symbolic link"));
	ck_assert_int_gt(asprintf(&fifo, "%s/fifo", dir), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(secret_line_read(fifo, buf, sizeof(buf), &err), -EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	ck_assert_int_eq(secret_line_read(dir, buf, sizeof(buf), &err), -EPERM);
	ck_assert_int_eq(secret_line_read("/nonexistent/pw", buf, sizeof(buf), &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/pw"));
	free(path);
	free(link);
	free(fifo);
	scratch_dir_free(dir);
}
END_TEST

START_TEST(test_empty_long_and_nul_files_are_refused)
{
	char *dir = scratch_dir_new();
	char big[SECRET_FILE_MAX + 2], buf[8];
	char *path;
	size_t len;
	struct error err = {""};

	path = file_new(dir, "empty", "\nx\n", 3, 0600);
	ck_assert_int_eq(secret_line_read(path, buf, sizeof(buf), &err), -ENODATA);
	free(path);
	path = file_new(dir, "long", "12345678\n", 9, 0600);
	ck_assert_int_eq(secret_line_read(path, buf, sizeof(buf), &err), -EFBIG);
	ck_assert_ptr_null(strstr(err.msg, "1234"));
	free(path);
	path = file_new(dir, "nul", "ab\0cd\n", 6, 0600);
	ck_assert_int_eq(secret_line_read(path, buf, sizeof(buf), &err), -EINVAL);
	free(path);
	memset(big, 'a', sizeof(big));
	path = file_new(dir, "big", big, sizeof(big), 0600);
	ck_assert_int_eq(secret_file_read(path, big, sizeof(big), &len, &err), -EFBIG);
	free(path);
	path = file_new(dir, "fits", "abcdefgh", 8, 0600);
	ck_assert_int_eq(secret_file_read(path, buf, sizeof(buf), &len, &err), -EFBIG);
	ck_assert_int_eq(secret_file_read(path, big, sizeof(big), &len, &err), 0);
	ck_assert_uint_eq(len, 8);
	free(path);
	ck_assert_int_eq(secret_file_read(NULL, buf, sizeof(buf), &len, &err), -EINVAL);
	scratch_dir_free(dir);
}
END_TEST

static Suite *secret_suite(void)
{
	Suite *s = suite_create("secret");

	ADD_CASE(s, test_the_first_line_is_the_password, 5);
	ADD_CASE(s, test_files_others_may_touch_are_refused_without_the_content, 5);
	ADD_CASE(s, test_symlinks_fifos_and_directories_are_not_read, 5);
	ADD_CASE(s, test_empty_long_and_nul_files_are_refused, 5);
	return s;
}

int main(void)
{
	return check_run(secret_suite());
}
