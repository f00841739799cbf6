/*
 * hangfs: a FUSE file system with one file, "disk" (8 MiB of zeros), that
 * is always read through this process (direct I/O: no page cache). A loop
 * device over it is a block device that the test can make hang by stopping
 * this process (SIGSTOP) and answer again with SIGCONT: the kernel here has
 * no device-mapper for dmsetup suspend. Test helper only.
 *
 * usage: hangfs -f -s MOUNTPOINT
 */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fuse.h>
#include <string.h>
#include <sys/stat.h>

#define DISK_SIZE (8 * 1024 * 1024)

static int hang_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/disk") != 0)
		return -ENOENT;
	st->st_mode = S_IFREG | 0600;
	st->st_nlink = 1;
	st->st_size = DISK_SIZE;
	return 0;
}

static int hang_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
			struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "disk", NULL, 0, 0);
	return 0;
}

static int hang_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/disk") != 0)
		return -ENOENT;
	fi->direct_io = 1; /* every read reaches this process */
	return 0;
}

static int hang_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	if (off >= DISK_SIZE)
		return 0;
	if (size > (size_t)(DISK_SIZE - off))
		size = (size_t)(DISK_SIZE - off);
	memset(buf, 0, size);
	return (int)size;
}

static int hang_write(const char *path, const char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	return off < DISK_SIZE ? (int)size : -ENOSPC;
}

static const struct fuse_operations ops = {
	.getattr = hang_getattr,
	.readdir = hang_readdir,
	.open = hang_open,
	.read = hang_read,
	.write = hang_write,
};

int main(int argc, char **argv)
{
	return fuse_main(argc, argv, &ops, NULL);
}
