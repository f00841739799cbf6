/*
 * fuzz_mountinfo: the /proc text parsers of switching-disk (mountinfo and
 * maps lines) and its options check. Accepted lines hold what the parser
 * promises: NUL-terminated fields without the escapes.
 */
#include <errno.h>

#include "fuzz.h"
#include "maps.h"
#include "mntopts.h"
#include "mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct mountinfo *mi = malloc(sizeof(*mi));
	struct map_entry e;
	struct mntopts m;
	const char *why = NULL;
	int r;

	if (!mi)
		abort();
	r = mountinfo_parse_line(s, mi);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(strlen(mi->target) < sizeof(mi->target));
		FUZZ_ASSERT(strlen(mi->fstype) > 0);
	}
	r = maps_parse_line(s, &e);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0)
		FUZZ_ASSERT(e.start <= e.end);
	r = mntopts_parse(s, &m, &why);
	FUZZ_ASSERT(r == 0 || (r == -EINVAL && why));
	free(mi);
	free(s);
	return 0;
}
