/*
 * Strict service names: letters, digits and "_.-" (and "@" for systemd
 * template instances), starting with a letter or digit, so a name can never
 * be "..", an absolute path, an option ("-x") or a glob.
 */
#include "name.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SUFFIX ".service"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The part before ".service" for systemd: no other dot-suffix is a service. */
static int systemd_check(const char *name, size_t len, const char **ret_reason)
{
	const char *at = memchr(name, '@', len);

	if (at && (at == name + len - 1 || memchr(at + 1, '@', (size_t)(name + len - at - 1)))) {
		*ret_reason = "a template instance needs one '@' followed by the instance name";
		return -EINVAL;
	}
	static const char *const other_types[] = {
		".socket", ".target", ".mount", ".automount", ".timer", ".path",
		".device", ".swap",   ".slice", ".scope",     NULL,
	};

	for (const char *const *t = other_types; *t; t++)
		if (ends_with(name, *t)) {
			*ret_reason = "names a unit of another type than service";
			return -EINVAL;
		}
	if (at && at[-1] == '.') {
		*ret_reason = "a template name may not end with '.'";
		return -EINVAL;
	}
	return 0;
}

int service_name_check(const char *name, enum ss_backend backend, const char **ret_reason)
{
	static const char *reason_chars =
		"must start with a letter or digit and hold only letters, digits, '_', '.' or "
		"'-' (systemd: also one '@'), without a path";
	size_t len;

	if (!name || !ret_reason)
		return -EINVAL;
	len = strlen(name);
	if (backend == SS_BACKEND_SYSTEMD && ends_with(name, SUFFIX))
		len -= strlen(SUFFIX);
	if (len == 0 || !is_alnum(name[0])) {
		*ret_reason = reason_chars;
		return -EINVAL;
	}
	if (strlen(name) > SERVICE_NAME_MAX) {
		*ret_reason = "is longer than 64 characters";
		return -ENAMETOOLONG;
	}
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (is_alnum(c) || c == '_' || c == '.' || c == '-')
			continue;
		if (c == '@' && backend == SS_BACKEND_SYSTEMD)
			continue;
		*ret_reason = reason_chars;
		return -EINVAL;
	}
	if (backend == SS_BACKEND_SYSTEMD)
		return systemd_check(name, len, ret_reason);
	return 0;
}

int service_unit_name(const char *name, char *buf, size_t size)
{
	int n;

	if (!name || !buf)
		return -EINVAL;
	n = snprintf(buf, size, "%s%s", name, ends_with(name, SUFFIX) ? "" : SUFFIX);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
