/*
 * fuzz_alert_msg: the cluster alert wire format, read from whatever a CPG
 * peer multicasts. A decoded alert holds only what alert_init() accepts
 * (one printable line per string) and encodes back to the same bytes.
 */
#include <errno.h>

#include "alert.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct alert a, check;
	uint8_t buf[ALERT_MSG_MAX];
	size_t len = 0;
	int r = alert_msg_decode(data, size, &a);

	FUZZ_ASSERT(r == 0 || r == -EBADMSG);
	if (r < 0)
		return 0;
	FUZZ_ASSERT(size <= ALERT_MSG_MAX);
	FUZZ_ASSERT(alert_init(&check, a.severity, a.node, a.source, a.text) == 0);
	FUZZ_ASSERT(alert_msg_encode(&a, buf, sizeof(buf), &len) == 0);
	FUZZ_ASSERT(len == size && memcmp(buf, data, size) == 0);
	return 0;
}
