/*
 * Helpers shared by the Check unit tests: one TCase per behaviour, named
 * after its test function (a sentence), each with its own timeout; a main
 * that runs one suite; scratch directories and descriptor counting.
 */
#pragma once

#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void add_case(Suite *s, const char *fn_name, const TTest *test, double timeout_s)
{
	const char *prefix = "test_";
	TCase *tc;

	if (strncmp(fn_name, prefix, strlen(prefix)) == 0)
		fn_name += strlen(prefix);
	tc = tcase_create(fn_name);
	tcase_add_test(tc, test);
	tcase_set_timeout(tc, timeout_s);
	suite_add_tcase(s, tc);
}

/* ADD_CASE(suite, test_something_happens, seconds) */
#define ADD_CASE(s, fn, timeout_s) add_case((s), #fn, (fn), (timeout_s))

/* The whole main() of a test program. */
static inline int check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A fresh 0700 directory under $TMPDIR (or /tmp); the caller frees the path. */
static inline char *scratch_dir_new(void)
{
	const char *base = getenv("TMPDIR");
	char *path = NULL;

	if (!base || base[0] != '/')
		base = "/tmp";
	ck_assert_int_gt(asprintf(&path, "%s/exha-unit-XXXXXX", base), 0);
	ck_assert_ptr_nonnull(mkdtemp(path));
	return path;
}

static inline int scratch_unlink(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

/* Remove the directory and everything under it (symlinks themselves, not their targets). */
static inline void scratch_dir_free(char *path)
{
	if (!path)
		return;
	ck_assert_int_eq(nftw(path, scratch_unlink, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(path);
}

/* Open descriptors of this process (the directory stream's own one excluded). */
static inline int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}
