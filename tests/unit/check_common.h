/*
 * Helpers shared by the Check unit tests: one TCase per behaviour, named
 * after its test function (a sentence), each with its own timeout; a main
 * that runs one suite; scratch directories, descriptor counting, and
 * meta-data validation with xmllint.
 */
#pragma once

#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

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

/* What ocf-tester validates meta-data against, and pcs's OCF 1.1 schema. */
#define RA_API_DTD "/usr/share/resource-agents/ra-api-1.dtd"
#define OCF_11_RNG "/usr/share/pcs/data/ocf-1.1.rng"

/* Parameter values for param_parse_all() from a {name, value} array ending in {NULL}. */
struct param_kv {
	const char *name;
	const char *value;
};

static inline const char *param_kv_lookup(const char *name, void *userdata)
{
	for (const struct param_kv *kv = userdata; kv->name; kv++)
		if (strcmp(kv->name, name) == 0)
			return kv->value;
	return NULL;
}

/* Whether xmllint and schema are installed; a missing one is reported, not failed. */
static inline bool have_xmllint(const char *schema)
{
	if (system("command -v xmllint >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP validation: xmllint is not installed (libxml2-utils)\n");
		return false;
	}
	if (access(schema, R_OK) != 0) {
		fprintf(stderr, "SKIP validation: %s is not installed\n", schema);
		return false;
	}
	return true;
}

/* Run xmllint with how (--dtdvalid or --relaxng) and schema on the document xml. */
static inline void xml_validate(const char *xml, const char *how, const char *schema)
{
	char *dir = scratch_dir_new();
	char *path = NULL, *cmd = NULL;
	FILE *f;

	ck_assert_int_gt(asprintf(&path, "%s/ra-api-1.dtd", dir), 0);
	/* Where the DOCTYPE points (next to the document), as ocf-tester arranges it. */
	if (access(RA_API_DTD, R_OK) == 0)
		ck_assert_int_eq(symlink(RA_API_DTD, path), 0);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/meta-data.xml", dir), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(xml, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_gt(asprintf(&cmd, "xmllint --noout --nonet %s '%s' '%s'", how, schema, path),
			 0);
	ck_assert_msg(system(cmd) == 0, "%s failed on:\n%s", cmd, xml);
	free(cmd);
	free(path);
	scratch_dir_free(dir);
}

/* The meta-data of def as a string; the caller frees it. */
static inline char *metadata_string(const struct agent_def *def)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(metadata_write(out, def), 0);
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}
