/*
 * shared/plugin: loading an optional shared object safely (owner and modes
 * checked on the descriptor that is loaded, no symlinks, one symbol).
 * The shared object loaded is a copy of the C math library.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>

#include "check_common.h"
#include "plugin.h"

static char *dir;

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	ck_assert_int_ge(in, 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	ck_assert_int_eq(chmod(to, mode), 0);
}

/* A copy of the library soname (where the dynamic linker found it) as name. */
static void copy_lib(const char *soname, const char *name, mode_t mode)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	struct link_map *map = NULL;
	char *to = NULL;

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(dlinfo(h, RTLD_DI_LINKMAP, &map), 0);
	ck_assert_int_gt(asprintf(&to, "%s/%s", dir, name), 0);
	copy_file(map->l_name, to, mode);
	free(to);
	dlclose(h);
}

static void copy_libm(const char *name, mode_t mode)
{
	copy_lib("libm.so.6", name, mode);
}

static void setup(void)
{
	dir = scratch_dir_new();
}

static void teardown(void)
{
	scratch_dir_free(dir);
}

START_TEST(test_a_safe_plugin_loads_and_its_symbol_is_found)
{
	struct plugin *p = NULL;
	double (*cosine)(double) = NULL;
	void *sym = NULL;

	copy_libm("m.so", 0644);
	ck_assert_int_eq(plugin_open(dir, "m.so", "cos", &p, &sym, NULL, 0), 0);
	ck_assert_ptr_nonnull(p);
	*(void **)&cosine = sym;
	ck_assert(cosine(0.0) == 1.0);
	ck_assert_ptr_null(plugin_close(p));
	ck_assert_ptr_null(plugin_close(NULL));
}
END_TEST

START_TEST(test_a_missing_symbol_is_enoexec_with_the_loaders_reason)
{
	struct plugin *p = NULL;
	void *sym = NULL;
	char msg[256];

	copy_libm("m.so", 0644);
	ck_assert_int_eq(plugin_open(dir, "m.so", "no_such_symbol", &p, &sym, msg, sizeof(msg)),
			 -ENOEXEC);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(msg, "no_such_symbol"));
}
END_TEST

START_TEST(test_a_file_others_may_write_or_a_symlink_is_eperm)
{
	struct plugin *p = NULL;
	void *sym = NULL;
	char *link = NULL;

	copy_libm("m.so", 0664);
	ck_assert_int_eq(plugin_open(dir, "m.so", "cos", &p, &sym, NULL, 0), -EPERM);
	copy_libm("m.so", 0646);
	ck_assert_int_eq(plugin_open(dir, "m.so", "cos", &p, &sym, NULL, 0), -EPERM);
	copy_libm("m.so", 0644);
	ck_assert_int_gt(asprintf(&link, "%s/link.so", dir), 0);
	ck_assert_int_eq(symlink("m.so", link), 0);
	ck_assert_int_eq(plugin_open(dir, "link.so", "cos", &p, &sym, NULL, 0), -EPERM);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(plugin_open(dir, "m.so", "cos", &p, &sym, NULL, 0), -EPERM);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_ptr_null(p);
	free(link);
}
END_TEST

START_TEST(test_a_missing_or_broken_plugin_fails_cleanly)
{
	struct plugin *p = NULL;
	void *sym = NULL;
	char msg[256] = "x", *path = NULL;
	FILE *f;

	ck_assert_int_eq(plugin_open(dir, "absent.so", "cos", &p, &sym, msg, sizeof(msg)), -ENOENT);
	ck_assert_int_gt(asprintf(&path, "%s/text.so", dir), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("not an ELF file\n", f);
	fclose(f);
	ck_assert_int_eq(plugin_open(dir, "text.so", "cos", &p, &sym, msg, sizeof(msg)), -ELIBBAD);
	ck_assert_str_ne(msg, "");
	ck_assert_ptr_null(p);
	free(path);
}
END_TEST

/*
 * Two plugins one after the other: the second is not handed the first
 * (dlopen() knows objects by name, and both would have been
 * "/proc/self/fd/N" had the first one's descriptor been closed and reused);
 * the first opened again is the same object.
 */
START_TEST(test_a_second_plugin_is_not_taken_for_the_first)
{
	struct plugin *p = NULL, *q = NULL;
	void *cos_sym = NULL, *z_sym = NULL, *again = NULL;

	copy_libm("m.so", 0644);
	copy_lib("libz.so.1", "z.so", 0644);
	ck_assert_int_eq(plugin_open(dir, "m.so", "cos", &p, &cos_sym, NULL, 0), 0);
	p = plugin_close(p);
	ck_assert_int_eq(plugin_open(dir, "z.so", "zlibVersion", &q, &z_sym, NULL, 0), 0);
	ck_assert_ptr_nonnull(z_sym);
	q = plugin_close(q);
	ck_assert_int_eq(plugin_open(dir, "m.so", "cos", &p, &again, NULL, 0), 0);
	ck_assert_ptr_eq(again, cos_sym);
	plugin_close(p);
}
END_TEST

START_TEST(test_bad_arguments_are_einval)
{
	struct plugin *p = NULL;
	void *sym = NULL;

	ck_assert_int_eq(plugin_open("relative", "m.so", "cos", &p, &sym, NULL, 0), -EINVAL);
	ck_assert_int_eq(plugin_open(dir, "../m.so", "cos", &p, &sym, NULL, 0), -EINVAL);
	ck_assert_int_eq(plugin_open(dir, "", "cos", &p, &sym, NULL, 0), -EINVAL);
	ck_assert_int_eq(plugin_open(dir, "m.so", NULL, &p, &sym, NULL, 0), -EINVAL);
	ck_assert_int_eq(plugin_open(NULL, "m.so", "cos", &p, &sym, NULL, 0), -EINVAL);
}
END_TEST

START_TEST(test_the_directory_override_must_be_absolute)
{
	ck_assert_int_eq(setenv("EXHA_PLUGIN_DIR", "/tmp/elsewhere", 1), 0);
	ck_assert_str_eq(plugin_dir("/usr/lib/exha"), "/tmp/elsewhere");
	ck_assert_int_eq(setenv("EXHA_PLUGIN_DIR", "relative", 1), 0);
	ck_assert_str_eq(plugin_dir("/usr/lib/exha"), "/usr/lib/exha");
	ck_assert_int_eq(unsetenv("EXHA_PLUGIN_DIR"), 0);
	ck_assert_str_eq(plugin_dir("/usr/lib/exha"), "/usr/lib/exha");
}
END_TEST

static void add(Suite *s, const char *name, const TTest *test)
{
	TCase *tc = tcase_create(name + strlen("test_"));

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
}

#define ADD(s, fn) add((s), #fn, (fn))

static Suite *plugin_suite(void)
{
	Suite *s = suite_create("plugin");

	ADD(s, test_a_safe_plugin_loads_and_its_symbol_is_found);
	ADD(s, test_a_second_plugin_is_not_taken_for_the_first);
	ADD(s, test_a_missing_symbol_is_enoexec_with_the_loaders_reason);
	ADD(s, test_a_file_others_may_write_or_a_symlink_is_eperm);
	ADD(s, test_a_missing_or_broken_plugin_fails_cleanly);
	ADD(s, test_bad_arguments_are_einval);
	ADD(s, test_the_directory_override_must_be_absolute);
	return s;
}

int main(void)
{
	return check_run(plugin_suite());
}
