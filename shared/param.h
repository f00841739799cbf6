/*
 * The parameter table: one array of param_def per agent drives the
 * meta-data XML, validate-all, OCF_RESKEY_* parsing, defaults and type
 * checks. Each entry names the field of the agent's config struct that
 * receives the parsed, typed value, so no agent reads the environment.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* OCF content types as the meta-data shows them. */
enum param_type {
	PARAM_STRING,
	PARAM_INTEGER,
	PARAM_BOOLEAN,
};

enum param_flags {
	PARAM_REQUIRED = 1u << 0,
	PARAM_UNIQUE = 1u << 1,
};

struct param_def;

/*
 * Parse value (never NULL, never empty) into field. On failure return
 * -errno and say what a valid value looks like in err ("must be ...").
 */
typedef int (*param_parse_fn)(const struct param_def *def, const char *value, void *field,
			      struct error *err);

struct param_def {
	const char *name;
	enum param_type type;
	unsigned flags;
	const char *default_value; /* parsed like a user's value when unset */
	const char *shortdesc;
	const char *longdesc;
	size_t offset; /* of the typed field in the agent's config */
	param_parse_fn parse;
	void (*free)(void *field);  /* for fields that own memory */
	uint64_t min, max;	    /* param_parse_uint */
	const char *const *choices; /* param_parse_choice: NULL-terminated */
};

/* Field: const char * (points into the environment; lives as long as it). */
int param_parse_string(const struct param_def *def, const char *value, void *field,
		       struct error *err);
/* Field: uint64_t, in [def->min, def->max]. */
int param_parse_uint(const struct param_def *def, const char *value, void *field,
		     struct error *err);
/* Field: bool. */
int param_parse_bool(const struct param_def *def, const char *value, void *field,
		     struct error *err);
/* Field: unsigned, the index of value in def->choices. */
int param_parse_choice(const struct param_def *def, const char *value, void *field,
		       struct error *err);
/* Field: char ** (NULL-terminated, space-separated on input); free: param_free_list. */
int param_parse_list(const struct param_def *def, const char *value, void *field,
		     struct error *err);
void param_free_list(void *field);

/* Where values come from: getenv("OCF_RESKEY_<name>") in agents. */
typedef const char *(*param_lookup_fn)(const char *name, void *userdata);
const char *param_lookup_env(const char *name, void *userdata);

/*
 * Parse every parameter of the table (n may be 0: an agent without
 * parameters) into config. Unset or empty values take
 * the default; a missing required value or a bad value fails with -EINVAL
 * (-ERANGE for a number out of range) and a message naming the parameter. Already parsed owned
 * fields are freed on failure.
 */
int param_parse_all(const struct param_def *defs, size_t n, param_lookup_fn lookup, void *userdata,
		    void *config, struct error *err);

/* Release what owned fields of config hold (the config itself stays). */
void param_free_all(const struct param_def *defs, size_t n, void *config);

const struct param_def *param_find(const struct param_def *defs, size_t n, const char *name);
