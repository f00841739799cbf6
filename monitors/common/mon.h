/*
 * What every health monitor shares, agent and daemon alike: the node
 * attribute it publishes (name, dampening, multiplier: the score is the
 * number of healthy items times multiplier, as with ocf:pacemaker:ping) and
 * where its daemon lives. No library beyond libexha's core is needed here.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "param.h"

/* The daemons are not agents: they live outside Pacemaker's resource.d. */
#define MON_DAEMON_DIR EXHA_LIBEXECDIR

/* The readiness pipe a starting agent hands its daemon (its number in the environment). */
#define MON_READY_ENV "EXHA_READY_FD"
#define MON_READY_FD  3

struct mon_attr {
	const char *name;
	uint64_t dampen_ms;
	uint64_t multiplier;
};

int mon_parse_attr_name(const struct param_def *def, const char *value, void *field,
			struct error *err);
int mon_parse_duration_ms(const struct param_def *def, const char *value, void *field,
			  struct error *err);

/* The three parameter-table entries of struct mon_attr at offset off of the config. */
#define MON_ATTR_PARAMS(off, default_name, default_dampen)                                         \
	{                                                                                          \
		.name = "name",                                                                    \
		.type = PARAM_STRING,                                                              \
		.flags = PARAM_UNIQUE,                                                             \
		.default_value = default_name,                                                     \
		.shortdesc = "Node attribute name",                                                \
		.longdesc = "The node attribute that carries the score (the number of healthy "    \
			    "items times multiplier). Location rules refer to it.",                \
		.offset = (off) + offsetof(struct mon_attr, name),                                 \
		.parse = mon_parse_attr_name,                                                      \
	},                                                                                         \
		{                                                                                  \
			.name = "dampen",                                                          \
			.type = PARAM_STRING,                                                      \
			.default_value = default_dampen,                                           \
			.shortdesc = "Dampening delay",                                            \
			.longdesc = "How long a new score must hold before the attribute manager " \
				    "writes "                                                      \
				    "it to the CIB (attrd's dampening): a short flap moves "       \
				    "nothing. A "                                                  \
				    "number of seconds, or with a unit: 500ms, 5s, 1min.",         \
			.offset = (off) + offsetof(struct mon_attr, dampen_ms),                    \
			.parse = mon_parse_duration_ms,                                            \
		},                                                                                 \
	{                                                                                          \
		.name = "multiplier", .type = PARAM_INTEGER, .default_value = "1",                 \
		.shortdesc = "Score per healthy item",                                             \
		.offset = (off) + offsetof(struct mon_attr, multiplier),                           \
		.parse = param_parse_uint, .min = 1, .max = 1000000,                               \
	}
#define MON_ATTR_N_PARAMS 3

/* "500ms", "5s", "5", "2min" into milliseconds (at most a day). */
int mon_duration_parse(const char *s, uint64_t *ret_ms);
