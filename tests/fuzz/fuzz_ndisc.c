/*
 * fuzz_ndisc: whatever a packet socket delivers on IPv6 goes through
 * ndisc_parse() and, when it decodes, ndisc_is_conflict(). An accepted
 * packet has hop limit 255, a payload inside the buffer and a checksum
 * that verifies, and any one changed byte under the checksum makes it
 * rejected. Packets built for the decoded target parse back.
 */
#include <errno.h>

#include "fuzz.h"
#include "ndisc.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t other_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

static void check_built(const struct in6_addr *target)
{
	uint8_t buf[NDISC_NA_LEN], dst[6];
	struct ndisc_info info;

	ndisc_build_dad_probe(buf, target, dst);
	FUZZ_ASSERT(ndisc_checksum(buf, NDISC_NS_LEN) == 0);
	FUZZ_ASSERT(ndisc_parse(buf, NDISC_NS_LEN, &info) == 0);
	FUZZ_ASSERT(info.type == NDISC_NS && !info.has_lladdr);
	FUZZ_ASSERT(memcmp(&info.target, target, 16) == 0);
	FUZZ_ASSERT(IN6_IS_ADDR_UNSPECIFIED(&info.src));
	/* Another host's probe for the address is a conflict; our own is not. */
	FUZZ_ASSERT(ndisc_is_conflict(&info, target, other_mac, our_mac));
	FUZZ_ASSERT(!ndisc_is_conflict(&info, target, our_mac, our_mac));

	ndisc_build_announce(buf, target, other_mac, dst);
	FUZZ_ASSERT(ndisc_checksum(buf, NDISC_NA_LEN) == 0);
	FUZZ_ASSERT(ndisc_parse(buf, NDISC_NA_LEN, &info) == 0);
	FUZZ_ASSERT(info.type == NDISC_NA && info.has_lladdr);
	FUZZ_ASSERT(memcmp(info.lladdr, other_mac, 6) == 0);
	FUZZ_ASSERT(memcmp(&info.target, target, 16) == 0);
	FUZZ_ASSERT(ndisc_is_conflict(&info, target, our_mac, our_mac));
}

/* Change one byte under the checksum (picked by the input itself): rejected. */
static void check_flip(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len);
	struct ndisc_info info;
	size_t i = 8 + data[42] % (len - 8);

	FUZZ_ASSERT(copy);
	memcpy(copy, data, len);
	copy[i] ^= (uint8_t)(data[43] | 1);
	FUZZ_ASSERT(ndisc_parse(copy, len, &info) == -EBADMSG);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ndisc_info info;
	size_t len;

	if (size >= 40)
		(void)ndisc_checksum(data, size);
	if (ndisc_parse(data, size, &info) < 0)
		return 0;
	len = 40 + ((size_t)data[4] << 8 | data[5]);
	FUZZ_ASSERT(size >= NDISC_NS_LEN && len <= size && len >= NDISC_NS_LEN);
	FUZZ_ASSERT(data[0] >> 4 == 6 && data[6] == 58 && data[7] == 255);
	FUZZ_ASSERT(ndisc_checksum(data, len) == 0);
	FUZZ_ASSERT(info.type == NDISC_NS || info.type == NDISC_NA);
	FUZZ_ASSERT(memcmp(&info.src, data + 8, 16) == 0);
	FUZZ_ASSERT(memcmp(&info.dst, data + 24, 16) == 0);
	FUZZ_ASSERT(memcmp(&info.target, data + 48, 16) == 0);

	/* Never a conflict with ourselves, whatever the frame or option says. */
	if (info.has_lladdr)
		FUZZ_ASSERT(!ndisc_is_conflict(&info, &info.target, other_mac, info.lladdr));
	else
		FUZZ_ASSERT(!ndisc_is_conflict(&info, &info.target, our_mac, our_mac));
	/* Never about an address the packet does not name. */
	if (info.target.s6_addr[15] != 0xff) {
		struct in6_addr other = info.target;

		other.s6_addr[15] = 0xff;
		FUZZ_ASSERT(!ndisc_is_conflict(&info, &other, other_mac, our_mac));
	}
	(void)ndisc_is_conflict(&info, &info.target, other_mac, our_mac);
	/* The defender's claims are conflicts too (the narrower rule: no DAD probes). */
	if (ndisc_is_claim(&info, &info.target, other_mac, our_mac))
		FUZZ_ASSERT(info.type == NDISC_NA &&
			    ndisc_is_conflict(&info, &info.target, other_mac, our_mac));
	if (info.has_lladdr)
		FUZZ_ASSERT(!ndisc_is_claim(&info, &info.target, other_mac, info.lladdr));
	check_flip(data, len);
	check_built(&info.target);
	return 0;
}
