/*
 * fuzz_uri: shared/uri.c, the parser of ad-fixup's uri and the mail
 * probes' URLs, and ad-fixup's bind names. An accepted URI holds no list
 * separator, its scheme is the table's whatever the case of the input,
 * and its canonical text parses back to the same URI.
 */
#include <errno.h>
#include <strings.h>

#include "bindname.h"
#include "fuzz.h"
#include "uri.h"

static const struct uri_scheme schemes[] = {
	{"ldap", 0}, {"ldaps", 0}, {"ldapi", URI_SOCKET}, {"smtp", 0}, {"imap+starttls", 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct uri u = {.port = 7}, again;
	struct error err;
	char text[URI_TEXT_MAX];
	int r = uri_parse(s, schemes, ARRAY_SIZE(schemes), &u, &err);

	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		const char *name = schemes[u.scheme].name;

		FUZZ_ASSERT(u.scheme < ARRAY_SIZE(schemes));
		FUZZ_ASSERT(!strpbrk(s, ", \t\r\n"));
		FUZZ_ASSERT(strncasecmp(s, name, strlen(name)) == 0 &&
			    strncmp(s + strlen(name), "://", 3) == 0);
		FUZZ_ASSERT(uri_format(&u, schemes, ARRAY_SIZE(schemes), text, sizeof(text)) == 0);
		FUZZ_ASSERT(strncmp(text, name, strlen(name)) == 0);
		FUZZ_ASSERT(uri_parse(text, schemes, ARRAY_SIZE(schemes), &again, &err) == 0);
		FUZZ_ASSERT(again.scheme == u.scheme && again.port == u.port &&
			    again.ipv6 == u.ipv6 && strcmp(again.host, u.host) == 0);
	} else {
		FUZZ_ASSERT(u.port == 7);
	}
	r = bind_name_kind(s);
	if (r == BIND_NAME_UPN || r == BIND_NAME_DOWNLEVEL)
		FUZZ_ASSERT(s[0] != '\0' && !strpbrk(s, "\r\n\t,="));
	free(s);
	return 0;
}
