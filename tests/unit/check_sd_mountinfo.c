/*
 * switching-disk mountinfo parser: real kernel lines, escapes, optional
 * fields, malformed lines refused, the visible mount of a stack, and this
 * process's own /proc/self/mountinfo parsed whole.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "check_common.h"
#include "macro.h"
#include "mountinfo.h"

static struct mountinfo mi;

START_TEST(test_a_kernel_line_parses_into_every_field)
{
	ck_assert_int_eq(mountinfo_parse_line("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 "
					      "/dev/root rw,errors=continue\n",
					      &mi),
			 0);
	ck_assert_int_eq(mi.mnt_id, 36);
	ck_assert_int_eq(mi.parent_id, 35);
	ck_assert_uint_eq(mi.major, 98);
	ck_assert_uint_eq(mi.minor, 0);
	ck_assert_str_eq(mi.root, "/mnt1");
	ck_assert_str_eq(mi.target, "/mnt2");
	ck_assert(!mi.ro);
	ck_assert_str_eq(mi.fstype, "ext3");
	ck_assert_str_eq(mi.source, "/dev/root");
	ck_assert(!mi.sb_ro);
}
END_TEST

START_TEST(test_no_optional_fields_and_several_are_both_read)
{
	ck_assert_int_eq(mountinfo_parse_line("1 0 7:3 / /srv/mail ro - ext4 /dev/loop3 ro", &mi),
			 0);
	ck_assert(mi.ro && mi.sb_ro);
	ck_assert_int_eq(
		mountinfo_parse_line("1 0 7:3 / /a rw shared:1 master:2 propagate_from:3 - "
				     "xfs /dev/loop3 ro,attr2",
				     &mi),
		0);
	ck_assert(!mi.ro && mi.sb_ro);
	ck_assert_str_eq(mi.fstype, "xfs");
}
END_TEST

START_TEST(test_escaped_blanks_and_backslashes_are_unescaped)
{
	ck_assert_int_eq(mountinfo_parse_line("5 1 8:1 / /srv/my\\040mail\\011x\\134y rw - ext4 "
					      "/dev/sda\\0401 rw",
					      &mi),
			 0);
	ck_assert_str_eq(mi.target, "/srv/my mail\tx\\y");
	ck_assert_str_eq(mi.source, "/dev/sda 1");
}
END_TEST

START_TEST(test_malformed_lines_are_refused)
{
	static const char *const bad[] = {
		"",
		"36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root",	       /* no super options */
		"36 35 98:0 /mnt1 /mnt2 rw ext3 /dev/root rw",	       /* no separator */
		"36 35 98 /mnt1 /mnt2 rw - ext3 /dev/root rw",	       /* no minor */
		"36 35 98:x /mnt1 /mnt2 rw - ext3 /dev/root rw",       /* minor */
		"-1 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw",       /* id */
		"36 35 98:0 /mnt1 /m\\9nt2 rw - ext3 /dev/root rw",    /* escape */
		"36 35 98:0 /mnt1 /m\\000 rw - ext3 /dev/root rw",     /* NUL */
		"36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw extra", /* trailing field */
		"36  35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw",      /* double blank */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(mountinfo_parse_line(bad[i], &mi) == -EINVAL, "accepted: %s", bad[i]);
}
END_TEST

START_TEST(test_the_last_mount_on_a_target_is_the_visible_one)
{
	static const char text[] = "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
				   "30 20 7:0 / /srv/mail rw - ext4 /dev/loop0 rw\n"
				   "31 20 7:1 / /srv/mail2 rw - ext4 /dev/loop1 rw\n"
				   "32 30 7:2 / /srv/mail ro - xfs /dev/loop2 rw\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(mountinfo_find_target(f, "/srv/mail", &mi), 1);
	ck_assert_int_eq(mi.mnt_id, 32);
	ck_assert_uint_eq(mi.minor, 2);
	rewind(f);
	ck_assert_int_eq(mountinfo_find_target(f, "/srv/mai", &mi), 0);
	fclose(f);
}
END_TEST

START_TEST(test_one_bad_line_fails_the_lookup)
{
	static const char text[] = "20 1 8:1 / / rw - ext4 /dev/sda1 rw\ngarbage\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(mountinfo_find_target(f, "/", &mi), -EINVAL);
	fclose(f);
}
END_TEST

START_TEST(test_this_process_mountinfo_parses_and_holds_root)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	struct stat st;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(mountinfo_find_target(f, "/", &mi), 1);
	fclose(f);
	ck_assert_int_eq(stat("/", &st), 0);
	ck_assert_uint_eq(mi.major, major(st.st_dev));
	ck_assert_uint_eq(mi.minor, minor(st.st_dev));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("switching-disk mountinfo");

	ADD_CASE(s, test_a_kernel_line_parses_into_every_field, 5);
	ADD_CASE(s, test_no_optional_fields_and_several_are_both_read, 5);
	ADD_CASE(s, test_escaped_blanks_and_backslashes_are_unescaped, 5);
	ADD_CASE(s, test_malformed_lines_are_refused, 5);
	ADD_CASE(s, test_the_last_mount_on_a_target_is_the_visible_one, 5);
	ADD_CASE(s, test_one_bad_line_fails_the_lookup, 5);
	ADD_CASE(s, test_this_process_mountinfo_parses_and_holds_root, 5);
	return check_run(s);
}
