#include "node.h"

#include <errno.h>
#include <sys/utsname.h>

#include "strutil.h"

int node_name_resolve(const char *from_pacemaker, char *buf, size_t size)
{
	struct utsname u;

	if (!buf || size == 0)
		return -EINVAL;
	if (from_pacemaker && from_pacemaker[0])
		return strscpy(buf, from_pacemaker, size);
	if (uname(&u) < 0)
		return -errno;
	return strscpy(buf, u.nodename, size);
}
