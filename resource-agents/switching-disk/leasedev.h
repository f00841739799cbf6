/*
 * A lease device as switching-disk and exha-lease open it. Only a device
 * formatted for leases is ever written: a v2 lease area (exha-lease init)
 * or, from before slots, a v1 record in block 0. leasedev_open recognises
 * which, places the resource's slot and checks it is the resource's own
 * before anything reads or writes a lease (leaseio.h).
 */
#pragma once

#include <stdint.h>

#include "leasearea.h"
#include "leaseio.h"

struct leasedev_info {
	enum leasearea_kind kind;
	uint32_t slots;				   /* of the area: 1 for v1 */
	char resource[LEASEAREA_RESOURCE_MAX + 1]; /* -EADDRINUSE: the slot's resource */
};

/*
 * Open path and place slot for resource in ret (closed with
 * leaseio_close). ret_info (always filled as far as known) says what the
 * device holds. -EMEDIUMTYPE: not formatted for leases (all zero, or
 * other data: ret_info->kind); -EBADMSG: a damaged header;
 * -EPROTONOSUPPORT: a newer format; -ERANGE: no such slot;
 * -ENOSPC: the device is shorter than its area; -EADDRINUSE: the slot
 * belongs to another resource; -EINVAL: resource cannot name a slot;
 * -ENOTBLK or -errno of open and read. ret is untouched on failure.
 */
int leasedev_open(const char *path, uint32_t slot, const char *resource, struct leaseio *ret,
		  struct leasedev_info *ret_info);

/* A LEASE_BLOCK_SIZE buffer aligned for direct I/O, zeroed; free() it. NULL: no memory. */
uint8_t *leasedev_block_new(void);

/* One whole block at offset, direct. -ENOSPC for a short read (end of device). */
int leasedev_block_read(int fd, uint64_t offset, uint8_t *block);
int leasedev_block_write(int fd, uint64_t offset, const uint8_t *block);

/* The size of the block device fd in bytes. */
int leasedev_size(int fd, uint64_t *ret_bytes);
