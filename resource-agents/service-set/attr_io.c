/* service-set-attrd.so: the one symbol restarts.c looks up (see attr_io.h). */
#include "attr_io.h"

#include <stddef.h>

#include "attrd.h"

static int attr_set(const char *name, const char *value)
{
	_cleanup_attrd_ struct attrd *a = NULL;
	int r = attrd_open(&a);

	return r < 0 ? r : attrd_update(a, name, value, 0);
}

__attribute__((visibility("default"))) const struct ss_attr_io exha_ss_attr_io = {
	.version = SS_ATTR_IO_VERSION,
	.set = attr_set,
};
