/*
 * The maps parser. Fields: "start-end perms offset major:minor inode
 * [path]", numbers in hex except the inode; the path is not needed (the
 * device and inode identify the file, a path can lie).
 */
#include "maps.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Parse an unsigned number of base up to the character stop; advance *p past stop. */
static int take_num(const char **p, int base, char stop, uint64_t max, uint64_t *ret)
{
	const char *s = *p;
	char *end;
	unsigned long long v;

	if (!((*s >= '0' && *s <= '9') ||
	      (base == 16 && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end != stop || v > max)
		return -EINVAL;
	*ret = v;
	*p = end + (stop != '\0');
	return 0;
}

int maps_parse_line(const char *line, struct map_entry *ret)
{
	struct map_entry e = {0};
	const char *p = line;
	uint64_t maj, min, ignored;
	size_t len;

	if (!line || !ret)
		return -EINVAL;
	if (take_num(&p, 16, '-', UINT64_MAX, &e.start) < 0 ||
	    take_num(&p, 16, ' ', UINT64_MAX, &e.end) < 0 || e.end < e.start)
		return -EINVAL;
	len = strspn(p, "rwxsp-");
	if (len != 4 || p[4] != ' ')
		return -EINVAL;
	p += 5;
	if (take_num(&p, 16, ' ', UINT64_MAX, &ignored) < 0 ||
	    take_num(&p, 16, ':', UINT32_MAX, &maj) < 0 ||
	    take_num(&p, 16, ' ', UINT32_MAX, &min) < 0)
		return -EINVAL;
	/* The inode is the last field when no path follows. */
	len = strspn(p, "0123456789");
	if (len == 0 || (p[len] != ' ' && p[len] != '\n' && p[len] != '\0'))
		return -EINVAL;
	if (take_num(&p, 10, p[len], UINT64_MAX, &e.inode) < 0)
		return -EINVAL;
	e.major = (unsigned)maj;
	e.minor = (unsigned)min;
	*ret = e;
	return 0;
}
