/* Opening a formatted lease device at a slot: see leasedev.h. */
#include "leasedev.h"

#include <errno.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "macro.h"

uint8_t *leasedev_block_new(void)
{
	void *buf = NULL;

	if (posix_memalign(&buf, LEASE_BLOCK_SIZE, LEASE_BLOCK_SIZE) != 0)
		return NULL;
	memset(buf, 0, LEASE_BLOCK_SIZE);
	return buf;
}

int leasedev_block_read(int fd, uint64_t offset, uint8_t *block)
{
	ssize_t n = pread(fd, block, LEASE_BLOCK_SIZE, (off_t)offset);

	if (n < 0)
		return negative_errno();
	return n == LEASE_BLOCK_SIZE ? 0 : -ENOSPC;
}

int leasedev_block_write(int fd, uint64_t offset, const uint8_t *block)
{
	ssize_t n = pwrite(fd, block, LEASE_BLOCK_SIZE, (off_t)offset);

	if (n < 0)
		return negative_errno();
	return n == LEASE_BLOCK_SIZE ? 0 : -EIO;
}

int leasedev_size(int fd, uint64_t *ret_bytes)
{
	uint64_t bytes = 0;

	if (ioctl(fd, BLKGETSIZE64, &bytes) < 0)
		return negative_errno();
	*ret_bytes = bytes;
	return 0;
}

/* What block 0 holds, as an errno: 0 for a lease device (v1 or v2). */
static int kind_errno(enum leasearea_kind kind)
{
	switch (kind) {
	case LEASEAREA_V1:
	case LEASEAREA_V2:
		return 0;
	case LEASEAREA_DAMAGED:
		return -EBADMSG;
	case LEASEAREA_NEWER:
		return -EPROTONOSUPPORT;
	default:
		return -EMEDIUMTYPE;
	}
}

/* The slot's record must be a slot record of this slot, unassigned or resource's. */
static int slot_check(int fd, const struct leasearea_place *place, uint8_t *block,
		      struct leasedev_info *info)
{
	struct lease_rec rec;
	int r = leasedev_block_read(fd, leasearea_slot_offset(place->slot), block);

	if (r < 0)
		return r;
	r = leasearea_slot_decode(block, LEASE_BLOCK_SIZE, place->slot, &rec, info->resource);
	if (r < 0)
		return r;
	if (info->resource[0] && strcmp(info->resource, place->resource) != 0)
		return -EADDRINUSE;
	return 0;
}

static int place_slot(int fd, uint32_t slot, const char *resource, struct leasedev_info *info,
		      uint64_t *ret_offset, struct leasearea_place *ret_place)
{
	_cleanup_free_ uint8_t *block = leasedev_block_new();
	struct leasearea_header h = {0};
	struct leasearea_place place = {.version = LEASEAREA_VERSION, .slot = slot};
	uint64_t size;
	int r;

	if (!block)
		return -ENOMEM;
	r = leasedev_block_read(fd, 0, block);
	if (r < 0)
		return r == -ENOSPC ? -EMEDIUMTYPE : r; /* smaller than a block: never formatted */
	info->kind = leasearea_probe(block, LEASE_BLOCK_SIZE, &h);
	r = kind_errno(info->kind);
	if (r < 0)
		return r;
	if (info->kind == LEASEAREA_V1) {
		/* Before slots: the one record in block 0 is slot 0, written as v1. */
		info->slots = 1;
		if (slot != 0)
			return -ERANGE;
		*ret_offset = 0;
		*ret_place = (struct leasearea_place){.version = LEASE_VERSION};
		return 0;
	}
	info->slots = h.slots;
	if (slot >= h.slots)
		return -ERANGE;
	r = leasedev_size(fd, &size);
	if (r < 0)
		return r;
	if (size < leasearea_size(h.slots))
		return -ENOSPC;
	memcpy(place.resource, resource, strlen(resource) + 1);
	r = slot_check(fd, &place, block, info);
	if (r < 0)
		return r;
	*ret_offset = leasearea_slot_offset(slot);
	*ret_place = place;
	return 0;
}

int leasedev_open(const char *path, uint32_t slot, const char *resource, struct leaseio *ret,
		  struct leasedev_info *ret_info)
{
	struct leaseio lio = LEASEIO_NULL;
	struct leasedev_info info = {0};
	uint64_t offset = 0;
	struct leasearea_place place;
	int r;

	if (!path || !ret || !ret_info)
		return -EINVAL;
	*ret_info = info;
	if (!leasearea_resource_valid(resource))
		return -EINVAL;
	r = leaseio_open(path, &lio);
	if (r < 0)
		return r;
	r = place_slot(lio.fd, slot, resource, &info, &offset, &place);
	*ret_info = info;
	if (r < 0) {
		leaseio_close(&lio);
		return r;
	}
	lio.offset = offset;
	lio.place = place;
	*ret = lio;
	return 0;
}
