/*
 * fuzz_lease: the lease decoders see whatever the lease device holds: a
 * version 1 record, a version 2 header, a version 2 slot record (its slot
 * taken from the input itself), and the recognition of a first block. An
 * accepted record or header encodes back to the very same bytes (so no
 * two sectors decode alike), the decision on it is one of the verdicts,
 * and a slot another resource owns is never decoded as a lease.
 */
#include <errno.h>

#include "fuzz.h"
#include "lease.h"
#include "leasearea.h"

static void fuzz_v1(const uint8_t *data, size_t size)
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
		return;
	}
	if (r == 1) {
		FUZZ_ASSERT(v == LEASE_TAKE);
		return;
	}
	FUZZ_ASSERT(lease_encode(&rec, again, sizeof(again)) == 0);
	FUZZ_ASSERT(memcmp(again, data, LEASE_RECORD_SIZE) == 0);
}

static void fuzz_header(const uint8_t *data, size_t size)
{
	struct leasearea_header h;
	uint8_t again[LEASEAREA_HEADER_SIZE];
	enum leasearea_kind kind = leasearea_probe(data, size, NULL);
	int r = leasearea_header_decode(data, size, &h);

	FUZZ_ASSERT(r == 0 || r == -ENODATA || r == -EBADMSG || r == -EPROTONOSUPPORT);
	FUZZ_ASSERT(kind >= LEASEAREA_ZERO && kind <= LEASEAREA_NEWER);
	FUZZ_ASSERT((kind == LEASEAREA_V2) == (r == 0));
	if (kind == LEASEAREA_V1)
		FUZZ_ASSERT(lease_decode(data, size, &(struct lease_rec){0}) == 0);
	if (r < 0)
		return;
	FUZZ_ASSERT(h.slots >= 1 && h.slots <= LEASEAREA_SLOTS_MAX);
	FUZZ_ASSERT(leasearea_header_encode(&h, again, sizeof(again)) == 0);
	FUZZ_ASSERT(memcmp(again, data, LEASEAREA_HEADER_SIZE) == 0);
}

static void fuzz_slot(const uint8_t *data, size_t size)
{
	const struct leasearea_place place = {
		.version = LEASEAREA_VERSION, .slot = 0, .resource = "mail-disk"};
	char resource[LEASEAREA_RESOURCE_MAX + 1];
	uint8_t again[LEASE_RECORD_SIZE];
	struct lease_rec rec;
	uint32_t slot;
	int r, rp;

	if (size < 20)
		return;
	slot = (uint32_t)data[16] | (uint32_t)data[17] << 8 | (uint32_t)data[18] << 16 |
	       (uint32_t)data[19] << 24;
	r = leasearea_slot_decode(data, size, slot, &rec, resource);
	FUZZ_ASSERT(r == 0 || r == -ENODATA || r == -EBADMSG || r == -EPROTONOSUPPORT);
	rp = leasearea_record_decode(&(struct leasearea_place){.version = LEASEAREA_VERSION,
							       .slot = slot,
							       .resource = "mail-disk"},
				     data, size, &(struct lease_rec){0});
	if (r < 0) {
		FUZZ_ASSERT(rp == r);
		return;
	}
	FUZZ_ASSERT(slot < LEASEAREA_SLOTS_MAX);
	FUZZ_ASSERT(rp == (resource[0] && strcmp(resource, place.resource) != 0 ? -EADDRINUSE : 0));
	FUZZ_ASSERT(rec.state == LEASE_FREE || (rec.owner[0] && resource[0]));
	FUZZ_ASSERT(leasearea_slot_encode(slot, resource, &rec, again, sizeof(again)) == 0);
	FUZZ_ASSERT(memcmp(again, data, LEASE_RECORD_SIZE) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_v1(data, size);
	fuzz_header(data, size);
	fuzz_slot(data, size);
	return 0;
}
