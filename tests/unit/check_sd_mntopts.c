/*
 * switching-disk mount options and superblock state: what is accepted,
 * what is refused and why, ro/rw resolution; the ext clean flag read from
 * a superblock built by hand.
 */
#include <errno.h>

#include "check_common.h"
#include "macro.h"
#include "fsstate.h"
#include "mntopts.h"

START_TEST(test_ordinary_options_are_accepted_and_the_last_ro_rw_wins)
{
	struct mntopts m;
	const char *why = NULL;

	ck_assert_int_eq(mntopts_parse("defaults", &m, &why), 0);
	ck_assert(!m.ro);
	ck_assert_int_eq(mntopts_parse("noatime,ro,data=ordered", &m, &why), 0);
	ck_assert(m.ro);
	ck_assert_int_eq(mntopts_parse("ro,rw", &m, &why), 0);
	ck_assert(!m.ro);
	/* "rootcontext=" is not "ro". */
	ck_assert_int_eq(mntopts_parse("rootcontext=system_u:object_r:x_t", &m, &why), 0);
	ck_assert(!m.ro);
}
END_TEST

START_TEST(test_options_that_change_what_is_mounted_are_refused)
{
	static const char *const bad[] = {
		"bind",	       "noatime,rbind",	     "move",
		"remount,rw",  "loop=/dev/loop3",    "loop",
		"make-shared", "X-mount.mkdir=0700",
	};
	struct mntopts m;
	const char *why;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		why = NULL;
		ck_assert_msg(mntopts_parse(bad[i], &m, &why) == -EINVAL, "accepted %s", bad[i]);
		ck_assert_ptr_nonnull(why);
	}
	/* Only whole names: "loopy" is someone's option, not loop. */
	ck_assert_int_eq(mntopts_parse("loopy", &m, &why), 0);
}
END_TEST

START_TEST(test_malformed_lists_are_refused)
{
	static const char *const bad[] = {"",	 ",",	 "a,",	 ",a",	"a,,b",
					  "a b", "a\tb", "a\"b", "a\\b"};
	struct mntopts m;
	const char *why;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(mntopts_parse(bad[i], &m, &why) == -EINVAL, "accepted '%s'", bad[i]);
}
END_TEST

static void ext_sb(uint8_t *buf, unsigned magic, unsigned state, uint32_t incompat)
{
	memset(buf, 0, FSSTATE_READ_SIZE);
	buf[1024 + 56] = (uint8_t)magic;
	buf[1024 + 57] = (uint8_t)(magic >> 8);
	buf[1024 + 58] = (uint8_t)state;
	buf[1024 + 59] = (uint8_t)(state >> 8);
	for (int i = 0; i < 4; i++)
		buf[1024 + 96 + i] = (uint8_t)(incompat >> (8 * i));
}

START_TEST(test_the_ext_clean_flag_decides)
{
	static uint8_t buf[FSSTATE_READ_SIZE];
	enum fs_state st;

	ext_sb(buf, 0xef53, 1, 0x2c0);
	ck_assert_int_eq(fsstate_ext(buf, sizeof(buf), &st), 0);
	ck_assert_int_eq(st, FS_CLEAN);
	ext_sb(buf, 0xef53, 0, 0x2c0);
	ck_assert_int_eq(fsstate_ext(buf, sizeof(buf), &st), 0);
	ck_assert_int_eq(st, FS_DIRTY);
	ext_sb(buf, 0xef53, 3, 0x2c0);
	ck_assert_int_eq(fsstate_ext(buf, sizeof(buf), &st), 0);
	ck_assert_int_eq(st, FS_DIRTY);
	ext_sb(buf, 0xef53, 1, 0x2c4);
	ck_assert_int_eq(fsstate_ext(buf, sizeof(buf), &st), 0);
	ck_assert_int_eq(st, FS_DIRTY);
	ext_sb(buf, 0x58465342, 1, 0);
	ck_assert_int_eq(fsstate_ext(buf, sizeof(buf), &st), -EINVAL);
	ck_assert_int_eq(fsstate_ext(buf, 1100, &st), -EINVAL);
	ck_assert(fsstate_is_ext("ext4") && !fsstate_is_ext("xfs") && !fsstate_is_ext("ext"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("switching-disk mount options");

	ADD_CASE(s, test_ordinary_options_are_accepted_and_the_last_ro_rw_wins, 5);
	ADD_CASE(s, test_options_that_change_what_is_mounted_are_refused, 5);
	ADD_CASE(s, test_malformed_lists_are_refused, 5);
	ADD_CASE(s, test_the_ext_clean_flag_decides, 5);
	return check_run(s);
}
