/*
 * fuzz_procid: the two text formats behind verified process identities,
 * the state file line "pid starttime boot_id" and /proc/<pid>/stat (whose
 * comm field may hold anything, ") " included). An accepted identity
 * formats and parses back to itself.
 */
#include <errno.h>

#include "fuzz.h"
#include "procid.h"

static void check_proc_id(const char *s)
{
	struct proc_id id, again;
	char buf[128];
	int n;

	if (proc_id_parse(s, &id) < 0)
		return;
	FUZZ_ASSERT(id.pid > 0);
	FUZZ_ASSERT(strlen(id.boot_id) == BOOT_ID_SIZE - 1);
	n = proc_id_format(&id, buf, sizeof(buf));
	FUZZ_ASSERT(n > 0 && (size_t)n < sizeof(buf));
	FUZZ_ASSERT(proc_id_parse(buf, &again) == 0);
	FUZZ_ASSERT(again.pid == id.pid && again.starttime == id.starttime);
	FUZZ_ASSERT(strcmp(again.boot_id, id.boot_id) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t start = 12345;
	int r;

	check_proc_id(s);
	r = proc_stat_starttime(s, &start);
	FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r < 0)
		FUZZ_ASSERT(start == 12345);
	free(s);
	return 0;
}
