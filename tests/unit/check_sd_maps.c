/*
 * switching-disk maps parser: device numbers in hex, the inode, lines with
 * and without a path, malformed lines refused, and this process's maps.
 */
#include <errno.h>

#include "check_common.h"
#include "macro.h"
#include "maps.h"

static struct map_entry e;

START_TEST(test_a_file_mapping_yields_device_and_inode)
{
	ck_assert_int_eq(maps_parse_line("7f1c2a000000-7f1c2a021000 r-xp 00002000 fd:1a 1234567    "
					 "      /srv/mail/lib/libx.so\n",
					 &e),
			 0);
	ck_assert_uint_eq(e.start, 0x7f1c2a000000ull);
	ck_assert_uint_eq(e.end, 0x7f1c2a021000ull);
	ck_assert_uint_eq(e.major, 0xfd);
	ck_assert_uint_eq(e.minor, 0x1a);
	ck_assert_uint_eq(e.inode, 1234567);
}
END_TEST

START_TEST(test_anonymous_and_pathless_mappings_parse)
{
	ck_assert_int_eq(maps_parse_line("00400000-00401000 rw-p 00000000 00:00 0", &e), 0);
	ck_assert_uint_eq(e.major, 0);
	ck_assert_uint_eq(e.inode, 0);
	ck_assert_int_eq(
		maps_parse_line("00400000-00401000 rw-s 00000000 07:00 12 (deleted)\n", &e), 0);
	ck_assert_uint_eq(e.minor, 0);
	ck_assert_uint_eq(e.inode, 12);
}
END_TEST

START_TEST(test_malformed_lines_are_refused)
{
	static const char *const bad[] = {
		"",
		"00400000 rw-p 00000000 00:00 0",
		"00401000-00400000 rw-p 00000000 00:00 0", /* end before start */
		"00400000-00401000 rw-pp 00000000 00:00 0",
		"00400000-00401000 rw-p 00000000 0000 0",
		"00400000-00401000 rw-p 00000000 00:00",
		"00400000-00401000 rw-p 00000000 00:00 x",
		"00400000-00401000 rw-p 00000000 -1:00 0",
		"0040000g-00401000 rw-p 00000000 00:00 0",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(maps_parse_line(bad[i], &e) == -EINVAL, "accepted: %s", bad[i]);
}
END_TEST

START_TEST(test_every_line_of_this_process_maps_parses)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char *line = NULL;
	size_t cap = 0;
	int lines = 0;

	ck_assert_ptr_nonnull(f);
	while (getline(&line, &cap, f) >= 0) {
		ck_assert_msg(maps_parse_line(line, &e) == 0, "refused: %s", line);
		lines++;
	}
	free(line);
	fclose(f);
	ck_assert_int_gt(lines, 3);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("switching-disk maps");

	ADD_CASE(s, test_a_file_mapping_yields_device_and_inode, 5);
	ADD_CASE(s, test_anonymous_and_pathless_mappings_parse, 5);
	ADD_CASE(s, test_malformed_lines_are_refused, 5);
	ADD_CASE(s, test_every_line_of_this_process_maps_parses, 5);
	return check_run(s);
}
