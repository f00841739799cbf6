/*
 * fuzz_adfix_dn: ad-fixup's DN, legacy DN and SPN parsers. The input is
 * "from\nto\nvalue". A rewritten DN is valid, names the new server, and
 * rewrites back and forth to itself; nothing else is ever reported changed.
 */
#include <errno.h>

#include "dn.h"
#include "fuzz.h"
#include "spn.h"

static void check_dn(const char *dn, const char *from, const char *to)
{
	char *out = NULL, *back = NULL, *again = NULL;
	int r = dn_rewrite_server(dn, from, to, &out);

	FUZZ_ASSERT(r == 0 || r == 1 || r == -EINVAL);
	if (server_name_valid(from) && server_name_valid(to))
		FUZZ_ASSERT((r == -EINVAL) == !dn_valid(dn));
	if (r != 1) {
		FUZZ_ASSERT(out == NULL);
		return;
	}
	FUZZ_ASSERT(dn_valid(out));
	FUZZ_ASSERT(dn_under_server(out, to) == 1);
	FUZZ_ASSERT(dn_rewrite_server(out, to, from, &back) == 1);
	FUZZ_ASSERT(dn_rewrite_server(back, from, to, &again) == 1);
	FUZZ_ASSERT(strcmp(again, out) == 0);
	free(out);
	free(back);
	free(again);
}

static void check_legacy(const char *s, const char *from, const char *to)
{
	char *out = NULL;
	int r = legdn_rewrite_server(s, from, to, &out);

	FUZZ_ASSERT(r == 0 || r == 1 || r == -EINVAL);
	FUZZ_ASSERT((r == 1) == (out != NULL));
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	char *from = s, *to, *value;

	to = strchr(from, '\n');
	value = to ? strchr(to + 1, '\n') : NULL;
	if (to && value) {
		*to++ = '\0';
		*value++ = '\0';
		check_dn(value, from, to);
		check_legacy(value, from, to);
		(void)spn_moves_with(value, from);
	}
	free(s);
	return 0;
}
