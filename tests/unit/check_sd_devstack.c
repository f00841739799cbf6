/*
 * switching-disk same-device rules: a lease device that is the data
 * device, a partition of it, stacked on it or under it (device-mapper,
 * md), or a loop device over a file on its filesystem, is told apart from
 * a sibling partition or an unrelated disk. The stacking is read from a
 * sysfs tree the test builds (the layout of /sys/dev/block,
 * /sys/class/block and the devices' holders/, slaves/, partition and
 * loop/backing_file), so every rule is reached without root.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "check_common.h"
#include "devstack.h"

static char *root;

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* mkdir root/rel/sub (sub may be ""). */
static void mkdirs(const char *rel, const char *sub)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s%s%s", root, rel, sub[0] ? "/" : "", sub);
	ck_assert_int_eq(mkdir(path, 0755) == 0 || errno == EEXIST, 1);
}

/*
 * A device at devices/<dir> (dir may be "sdb/sdb1": a partition), named
 * name, with MAJ:MIN, reachable as /sys/dev/block/MAJ:MIN and
 * /sys/class/block/<name>.
 */
static void dev_add(const char *dir, const char *name, unsigned maj, unsigned min)
{
	char path[4096], target[4096], devt[32];

	snprintf(path, sizeof(path), "devices/%s", dir);
	mkdirs(path, "");
	mkdirs(path, "holders");
	mkdirs(path, "slaves");
	snprintf(devt, sizeof(devt), "%u:%u\n", maj, min);
	snprintf(path, sizeof(path), "%s/devices/%s/dev", root, dir);
	put_file(path, devt);
	if (strchr(dir, '/')) {
		snprintf(path, sizeof(path), "%s/devices/%s/partition", root, dir);
		put_file(path, "1\n");
	}
	snprintf(target, sizeof(target), "%s/devices/%s", root, dir);
	snprintf(path, sizeof(path), "%s/dev/block/%u:%u", root, maj, min);
	ck_assert_int_eq(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/class/block/%s", root, name);
	ck_assert_int_eq(symlink(target, path), 0);
}

/* upper is stacked on lower: lower/holders/upper and upper/slaves/lower. */
static void stack(const char *upper_dir, const char *upper, const char *lower_dir,
		  const char *lower)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/devices/%s/holders/%s", root, lower_dir, upper);
	put_file(path, "");
	snprintf(path, sizeof(path), "%s/devices/%s/slaves/%s", root, upper_dir, lower);
	put_file(path, "");
}

/*
 * sdb (8:16) with partitions sdb1 (8:17) and sdb2 (8:18); dm-0 (253:0) on
 * sdb1; md0 (9:0) on sdb2; sdc (8:32) alone; loop7 (7:7) over a file in
 * the scratch directory (on the filesystem of st_dev of root).
 */
static void setup(void)
{
	char path[4096];

	root = scratch_dir_new();
	mkdirs("dev", "");
	mkdirs("dev", "block");
	mkdirs("class", "");
	mkdirs("class", "block");
	mkdirs("devices", "");
	dev_add("sdb", "sdb", 8, 16);
	dev_add("sdb/sdb1", "sdb1", 8, 17);
	dev_add("sdb/sdb2", "sdb2", 8, 18);
	dev_add("dm-0", "dm-0", 253, 0);
	stack("dm-0", "dm-0", "sdb/sdb1", "sdb1");
	dev_add("md0", "md0", 9, 0);
	stack("md0", "md0", "sdb/sdb2", "sdb2");
	dev_add("sdc", "sdc", 8, 32);
	dev_add("loop7", "loop7", 7, 7);
	mkdirs("devices/loop7", "loop");
	snprintf(path, sizeof(path), "%s/image", root);
	put_file(path, "");
	snprintf(path, sizeof(path), "%s/devices/loop7/loop/backing_file", root);
	{
		char file[4096];

		snprintf(file, sizeof(file), "%s/image\n", root);
		put_file(path, file);
	}
}

static void teardown(void)
{
	scratch_dir_free(root);
	root = NULL;
}

static enum devstack_relation relate(dev_t lease, dev_t data)
{
	struct devstack *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	enum devstack_relation rel;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(devstack_gather(root, lease, true, a), 0);
	ck_assert_int_eq(devstack_gather(root, data, false, b), 0);
	rel = devstack_relate(a, b);
	free(a);
	free(b);
	return rel;
}

START_TEST(test_one_device_is_the_same)
{
	ck_assert_int_eq(relate(makedev(8, 17), makedev(8, 17)), DEVSTACK_SAME);
	/* Even one sysfs does not know. */
	ck_assert_int_eq(relate(makedev(99, 1), makedev(99, 1)), DEVSTACK_SAME);
}
END_TEST

START_TEST(test_a_partition_of_the_data_device_lies_on_it)
{
	ck_assert_int_eq(relate(makedev(8, 17), makedev(8, 16)), DEVSTACK_ON);
}
END_TEST

START_TEST(test_the_disk_of_a_data_partition_lies_under_it)
{
	ck_assert_int_eq(relate(makedev(8, 16), makedev(8, 18)), DEVSTACK_UNDER);
}
END_TEST

START_TEST(test_sibling_partitions_are_apart)
{
	ck_assert_int_eq(relate(makedev(8, 18), makedev(8, 17)), DEVSTACK_APART);
	ck_assert_int_eq(relate(makedev(8, 17), makedev(8, 18)), DEVSTACK_APART);
}
END_TEST

START_TEST(test_device_mapper_over_the_data_device_lies_on_it)
{
	/* dm-0 on sdb1: on the partition, and on its disk. */
	ck_assert_int_eq(relate(makedev(253, 0), makedev(8, 17)), DEVSTACK_ON);
	ck_assert_int_eq(relate(makedev(253, 0), makedev(8, 16)), DEVSTACK_ON);
	/* And the data on md0 over sdb2: the lease on sdb2 or sdb is under it. */
	ck_assert_int_eq(relate(makedev(8, 18), makedev(9, 0)), DEVSTACK_UNDER);
	ck_assert_int_eq(relate(makedev(8, 16), makedev(9, 0)), DEVSTACK_UNDER);
	/* dm-0 (sdb1) and md0 (sdb2) share a disk but no blocks. */
	ck_assert_int_eq(relate(makedev(253, 0), makedev(9, 0)), DEVSTACK_APART);
}
END_TEST

START_TEST(test_a_loop_device_over_a_file_on_the_data_filesystem_lies_on_it)
{
	struct stat st;

	ck_assert_int_eq(stat(root, &st), 0);
	ck_assert_int_eq(relate(makedev(7, 7), st.st_dev), DEVSTACK_ON);
	/* The data device's backing file is never stat()ed (see devstack.h). */
	ck_assert_int_eq(relate(st.st_dev, makedev(7, 7)), DEVSTACK_APART);
}
END_TEST

START_TEST(test_unrelated_devices_are_apart)
{
	ck_assert_int_eq(relate(makedev(8, 32), makedev(8, 16)), DEVSTACK_APART);
	ck_assert_int_eq(relate(makedev(8, 32), makedev(253, 0)), DEVSTACK_APART);
	ck_assert_int_eq(relate(makedev(99, 1), makedev(8, 16)), DEVSTACK_APART);
}
END_TEST

START_TEST(test_a_stack_too_deep_to_list_is_not_judged_apart)
{
	struct devstack a = {.dev = makedev(1, 1), .truncated = 1}, b = {.dev = makedev(1, 2)};

	ck_assert_int_eq(devstack_relate(&a, &b), DEVSTACK_UNKNOWN);
	a.below[a.n_below++] = b.dev;
	ck_assert_int_eq(devstack_relate(&a, &b), DEVSTACK_ON);
	ck_assert_int_eq(devstack_gather(NULL, 0, true, &a), -EINVAL);
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t);
	tcase_set_timeout(tc, 5);
	suite_add_tcase(s, tc);
}

#define ADD(s, fn) add((s), #fn + 5, (fn))

int main(void)
{
	Suite *s = suite_create("switching-disk same-device rules");

	ADD(s, test_one_device_is_the_same);
	ADD(s, test_a_partition_of_the_data_device_lies_on_it);
	ADD(s, test_the_disk_of_a_data_partition_lies_under_it);
	ADD(s, test_sibling_partitions_are_apart);
	ADD(s, test_device_mapper_over_the_data_device_lies_on_it);
	ADD(s, test_a_loop_device_over_a_file_on_the_data_filesystem_lies_on_it);
	ADD(s, test_unrelated_devices_are_apart);
	ADD(s, test_a_stack_too_deep_to_list_is_not_judged_apart);
	return check_run(s);
}
