/*
 * Parameter parsing driven by the agent's table. The table is the single
 * place where a parameter's name, type, default and range are written, so
 * meta-data, validate-all and every action agree by construction.
 */
#include "param.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

static void *field_of(const struct param_def *def, void *config)
{
	return (char *)config + def->offset;
}

int param_parse_string(const struct param_def *def, const char *value, void *field,
		       struct error *err)
{
	*(const char **)field = value;
	return 0;
}

int param_parse_uint(const struct param_def *def, const char *value, void *field, struct error *err)
{
	uint64_t v;
	int r = parse_uint64(value, def->min, def->max, &v);

	if (r < 0)
		return error_set(err, -r, "must be a whole number from %llu to %llu",
				 (unsigned long long)def->min, (unsigned long long)def->max);
	*(uint64_t *)field = v;
	return 0;
}

int param_parse_bool(const struct param_def *def, const char *value, void *field, struct error *err)
{
	if (parse_bool(value, (bool *)field) < 0)
		return error_set(err, EINVAL, "must be true or false");
	return 0;
}

int param_parse_choice(const struct param_def *def, const char *value, void *field,
		       struct error *err)
{
	char allowed[256] = "";
	size_t used = 0;

	for (unsigned i = 0; def->choices && def->choices[i]; i++) {
		if (strcmp(value, def->choices[i]) == 0) {
			*(unsigned *)field = i;
			return 0;
		}
		/* Once full, stop: allowed + used must never point past the array. */
		if (used < sizeof(allowed)) {
			int n = snprintf(allowed + used, sizeof(allowed) - used, "%s%s",
					 i ? ", " : "", def->choices[i]);

			used = n < 0 ? sizeof(allowed) : used + (size_t)n;
		}
	}
	return error_set(err, EINVAL, "must be one of: %s", allowed);
}

int param_parse_list(const struct param_def *def, const char *value, void *field, struct error *err)
{
	char **v = NULL;
	int r = strv_split(value, &v);

	if (r < 0)
		return error_set(err, -r, "cannot split the list: %s", strerror(-r));
	*(char ***)field = v;
	return 0;
}

void param_free_list(void *field)
{
	char ***p = field;

	*p = strv_free(*p);
}

const char *param_lookup_env(const char *name, void *userdata)
{
	char key[128];

	if (snprintf(key, sizeof(key), "OCF_RESKEY_%s", name) >= (int)sizeof(key))
		return NULL;
	return getenv(key);
}

const struct param_def *param_find(const struct param_def *defs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

static int parse_one(const struct param_def *def, const char *value, void *config,
		     struct error *err)
{
	const char *shown = value;
	int r;

	if (!value || value[0] == '\0') {
		if (def->flags & PARAM_REQUIRED)
			return error_set(err, EINVAL, "parameter '%s' is required", def->name);
		if (!def->default_value)
			return 0;
		value = def->default_value;
		shown = value;
	}
	r = def->parse(def, value, field_of(def, config), err);
	if (r < 0)
		error_prefix(err, "invalid %s='%s'", def->name, shown);
	return r;
}

int param_parse_all(const struct param_def *defs, size_t n, param_lookup_fn lookup, void *userdata,
		    void *config, struct error *err)
{
	if ((!defs && n) || !lookup || !config)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int r = parse_one(&defs[i], lookup(defs[i].name, userdata), config, err);

		if (r < 0) {
			param_free_all(defs, i, config);
			return r;
		}
	}
	return 0;
}

void param_free_all(const struct param_def *defs, size_t n, void *config)
{
	for (size_t i = 0; i < n; i++)
		if (defs[i].free)
			defs[i].free(field_of(&defs[i], config));
}
