/*
 * One line of /proc/<pid>/maps (pure): the address range and the file's
 * device and inode. A process that only maps a file of the switching disk
 * (a shared library, an mmap'ed database) holds it as surely as an open
 * descriptor, and the stock Filesystem agent misses it.
 */
#pragma once

#include <stdint.h>

struct map_entry {
	uint64_t start, end;
	unsigned major, minor; /* 0:0 for anonymous mappings */
	uint64_t inode;
};

/* -EINVAL when the line is not a maps line. */
int maps_parse_line(const char *line, struct map_entry *ret);
