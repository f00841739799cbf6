/*
 * fuzz_mailprobe_url: probe URLs as exha-mail-probe and service-set's
 * `probes` parameter take them. An accepted URL formats back to a URL
 * that parses to the same target.
 */
#include <errno.h>

#include "fuzz.h"
#include "mailprobe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct probe_target t = {.port = 7}, again;
	struct error err;
	char url[300];
	int r;

	r = probe_target_parse(s, &t, &err);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(t.port > 0 && t.host[0] != '\0');
		probe_target_format(&t, url, sizeof(url));
		FUZZ_ASSERT(probe_target_parse(url, &again, &err) == 0);
		FUZZ_ASSERT(again.proto == t.proto && again.port == t.port);
		FUZZ_ASSERT(again.starttls == t.starttls && strcmp(again.host, t.host) == 0);
	} else {
		FUZZ_ASSERT(t.port == 7);
	}
	free(s);
	return 0;
}
