/*
 * hangfs: a FUSE file system with one file, "disk", always read and written
 * through this process (direct I/O: no page cache), so that a loop device
 * over it is a block device the test controls. The kernel here has no
 * device-mapper (no dmsetup suspend, no error target), so:
 *   SIGSTOP / SIGCONT   the device hangs / answers again;
 *   SIGUSR1 / SIGUSR2   every read and write fails with EIO / works again
 *                       (a failed path to the disk).
 * Without HANGFS_BACKING the disk is 8 MiB of zeros that swallows writes;
 * with HANGFS_BACKING=<image file> it passes through to that file, so two
 * hangfs over one image are two paths to one shared disk, each of which can
 * fail on its own. Test helper only.
 *
 * usage: [HANGFS_BACKING=FILE] hangfs -f -s MOUNTPOINT
 */
#define FUSE_USE_VERSION 35
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZERO_DISK_SIZE (8 * 1024 * 1024)

static int backing_fd = -1;
static off_t disk_size = ZERO_DISK_SIZE;
static volatile sig_atomic_t failing;

static void on_fail(int sig)
{
	failing = sig == SIGUSR1;
}

/* The part of [off, off + size) inside the disk (off is inside it). */
static size_t in_disk(size_t size, off_t off)
{
	return size > (size_t)(disk_size - off) ? (size_t)(disk_size - off) : size;
}

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
	st->st_size = disk_size;
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
	ssize_t n;

	if (failing)
		return -EIO;
	if (off >= disk_size)
		return 0;
	size = in_disk(size, off);
	if (backing_fd < 0) {
		memset(buf, 0, size);
		return (int)size;
	}
	n = pread(backing_fd, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int hang_write(const char *path, const char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	ssize_t n;

	if (failing)
		return -EIO;
	if (off >= disk_size)
		return -ENOSPC;
	size = in_disk(size, off);
	if (backing_fd < 0)
		return (int)size;
	n = pwrite(backing_fd, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

/* Both paths share the host's page cache of the image: nothing to flush for the other. */
static int hang_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	return failing ? -EIO : 0;
}

static const struct fuse_operations ops = {
	.getattr = hang_getattr,
	.readdir = hang_readdir,
	.open = hang_open,
	.read = hang_read,
	.write = hang_write,
	.fsync = hang_fsync,
};

int main(int argc, char **argv)
{
	const char *backing = getenv("HANGFS_BACKING");
	struct sigaction sa = {.sa_handler = on_fail};
	struct stat st;

	if (backing && *backing) {
		backing_fd = open(backing, O_RDWR | O_CLOEXEC);
		if (backing_fd < 0 || fstat(backing_fd, &st) < 0) {
			fprintf(stderr, "hangfs: %s: %s\n", backing, strerror(errno));
			return 1;
		}
		disk_size = st.st_size;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	return fuse_main(argc, argv, &ops, NULL);
}
