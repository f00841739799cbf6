/*
 * fuzz_lease: the lease record decoder sees whatever the lease device
 * holds. An accepted record encodes back to the very same bytes (so no two
 * sectors decode alike), and the decision on it is one of the verdicts.
 */
#include <errno.h>

#include "fuzz.h"
#include "lease.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lease_rec rec;
	uint8_t again[LEASE_RECORD_SIZE];
	enum lease_verdict v;
	int r = lease_decode(data, size, &rec);

	FUZZ_ASSERT(r == 0 || r == 1 || r == -ENODATA || r == -EBADMSG || r == -EPROTONOSUPPORT);
	v = lease_decide(r, &rec, "node-a", 1700000000000ull);
	FUZZ_ASSERT(v >= LEASE_TAKE && v <= LEASE_UNKNOWN_V);
	if (r < 0) {
		FUZZ_ASSERT(v == LEASE_CORRUPT || v == LEASE_UNKNOWN_V);
		return 0;
	}
	if (r == 1) {
		FUZZ_ASSERT(v == LEASE_TAKE);
		return 0;
	}
	FUZZ_ASSERT(lease_encode(&rec, again, sizeof(again)) == 0);
	FUZZ_ASSERT(memcmp(again, data, LEASE_RECORD_SIZE) == 0);
	return 0;
}
