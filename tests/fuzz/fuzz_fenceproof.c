/*
 * fuzz_fenceproof: the reader of switching-disk-fence-query's answer (a
 * child's output, the one input that lets a start skip the watch). Whatever
 * it reads, it answers with one of its codes, and a proof only ever comes
 * from an answer that says exactly what fenceproof.h requires.
 */
#include <errno.h>

#include "fenceproof.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lease_rec rec = {.generation = 7,
				.renewed_ms = 1000000,
				.timeout_ms = 5000,
				.state = LEASE_HELD,
				.owner = "node2"};
	struct fenceproof_evidence ev;
	char *text = fuzz_string(data, size);
	const char *err = NULL;
	enum fenceproof_verdict v;
	int r = fenceproof_parse(text, "node2", &ev, &err);

	FUZZ_ASSERT(r == 0 || r == -EBADMSG || r == -EREMOTEIO || r == -ENOMEM);
	FUZZ_ASSERT(r != -EREMOTEIO || err);
	if (r == 0) {
		v = fenceproof_decide(&rec, "node1", &ev);
		FUZZ_ASSERT(v >= FENCEPROOF_DEAD && v <= FENCEPROOF_RENEWED_AFTER);
		if (v == FENCEPROOF_DEAD)
			FUZZ_ASSERT(!ev.pending && !ev.foreign_entry && ev.have_node &&
				    ev.fenced_ms > rec.renewed_ms && ev.other_ms <= ev.fenced_ms &&
				    strcmp(ev.uname, "node2") == 0 &&
				    strcmp(ev.in_ccm, "false") == 0 &&
				    strcmp(ev.expected, "down") == 0);
	}
	free(text);
	return 0;
}
