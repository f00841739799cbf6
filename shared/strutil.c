/*
 * Strict string parsing. "abc", "12abc", " 12", "-1" and "" are all errors:
 * a typo in a cluster configuration must never become 0.
 */
#include "strutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <net/if.h>

#include "macro.h"

int parse_uint64(const char *s, uint64_t min, uint64_t max, uint64_t *ret_value)
{
	unsigned long long v;
	char *end = NULL;

	if (!s || !ret_value)
		return -EINVAL;
	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno != 0 || !end || *end != '\0')
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*ret_value = v;
	return 0;
}

int parse_bool(const char *s, bool *ret_value)
{
	static const char *const yes[] = {"true", "yes", "on", "1", "y"};
	static const char *const no[] = {"false", "no", "off", "0", "n"};

	if (!s || !ret_value)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret_value = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret_value = false;
			return 0;
		}
	}
	return -EINVAL;
}

char **strv_free(char **strv)
{
	if (!strv)
		return NULL;
	for (char **p = strv; *p; p++)
		free(*p);
	free(strv);
	return NULL;
}

size_t strv_length(char *const *strv)
{
	size_t n = 0;

	while (strv && strv[n])
		n++;
	return n;
}

static void strv_freep(char ***strv)
{
	strv_free(*strv);
}

int strv_split(const char *s, char ***ret_strv)
{
	_cleanup_(strv_freep) char **v = NULL;
	size_t n = 0;

	if (!s || !ret_strv)
		return -EINVAL;
	v = calloc(1, sizeof(char *));
	if (!v)
		return -ENOMEM;
	for (const char *p = s;;) {
		size_t len;
		char **grown;

		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		len = strcspn(p, " \t");
		grown = reallocarray(v, n + 2, sizeof(char *));
		if (!grown)
			return -ENOMEM;
		v = grown;
		v[n] = strndup(p, len);
		v[n + 1] = NULL;
		if (!v[n])
			return -ENOMEM;
		n++;
		p += len;
	}
	*ret_strv = TAKE_PTR(v);
	return 0;
}

bool ifname_is_valid(const char *s)
{
	size_t len;

	if (!s)
		return false;
	len = strlen(s);
	if (len == 0 || len >= IFNAMSIZ)
		return false;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) ||
		    !isprint((unsigned char)*p))
			return false;
	}
	return true;
}

int strscpy(char *dst, const char *src, size_t n)
{
	size_t len;

	if (!dst || !src || n == 0)
		return -EINVAL;
	len = strlen(src);
	if (len >= n)
		return -ENAMETOOLONG;
	memcpy(dst, src, len + 1);
	return 0;
}
