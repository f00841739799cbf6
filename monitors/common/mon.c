/*
 * Parameter parsers the monitors share. Attribute names end up in the CIB
 * as XML attribute values and in location rules: keep them to the
 * characters Pacemaker's own agents use.
 */
#include "mon.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "strutil.h"

int mon_parse_attr_name(const struct param_def *def, const char *value, void *field,
			struct error *err)
{
	size_t len = strlen(value);

	if (len > 64 || !isalpha((unsigned char)value[0]))
		return error_set(err, EINVAL,
				 "must start with a letter and have at most 64 characters");
	for (const char *p = value; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return error_set(err, EINVAL,
					 "must use only letters, digits, '-', '_' or '.'");
	*(const char **)field = value;
	return 0;
}

int mon_duration_parse(const char *s, uint64_t *ret_ms)
{
	static const struct {
		const char *suffix;
		uint64_t ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"min", 60000}, {"", 1000}};
	char num[24];
	size_t digits = strspn(s, "0123456789");
	uint64_t v;

	if (digits == 0 || digits >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, digits);
	num[digits] = '\0';
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + digits, units[i].suffix) != 0)
			continue;
		if (parse_uint64(num, 0, 86400000 / units[i].ms, &v) < 0)
			return -ERANGE;
		*ret_ms = v * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

int mon_parse_duration_ms(const struct param_def *def, const char *value, void *field,
			  struct error *err)
{
	int r = mon_duration_parse(value, field);

	if (r == -ERANGE)
		return error_set(err, ERANGE, "must be at most a day");
	if (r < 0)
		return error_set(err, EINVAL,
				 "must be a number of seconds, or a number followed by ms, s or "
				 "min");
	return 0;
}
