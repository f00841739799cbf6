/*
 * param: the table-driven OCF_RESKEY_* parsing. Values come from a lookup
 * over a NULL-terminated array here instead of the environment, so every
 * case states exactly what Pacemaker would have passed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "check_common.h"
#include "param.h"
#include "strutil.h"

struct cfg {
	const char *ip;
	char **services;
	uint64_t port;
	bool arp;
	unsigned mode;
};

static const char *const modes[] = {"fast", "safe", "paranoid", NULL};

static const struct param_def defs[] = {
	{.name = "ip",
	 .type = PARAM_STRING,
	 .flags = PARAM_REQUIRED | PARAM_UNIQUE,
	 .offset = offsetof(struct cfg, ip),
	 .parse = param_parse_string},
	{.name = "services",
	 .type = PARAM_STRING,
	 .default_value = "postfix dovecot",
	 .offset = offsetof(struct cfg, services),
	 .parse = param_parse_list,
	 .free = param_free_list},
	{.name = "port",
	 .type = PARAM_INTEGER,
	 .default_value = "25",
	 .offset = offsetof(struct cfg, port),
	 .parse = param_parse_uint,
	 .min = 1,
	 .max = 65535},
	{.name = "arp",
	 .type = PARAM_BOOLEAN,
	 .default_value = "true",
	 .offset = offsetof(struct cfg, arp),
	 .parse = param_parse_bool},
	{.name = "mode",
	 .type = PARAM_STRING,
	 .default_value = "safe",
	 .offset = offsetof(struct cfg, mode),
	 .parse = param_parse_choice,
	 .choices = modes},
};

#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

/* Parse kv into cfg; err gets the message. */
static int parse(const struct param_kv *kv, struct cfg *cfg, struct error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(err, 0, sizeof(*err));
	return param_parse_all(defs, N_DEFS, param_kv_lookup, (void *)kv, cfg, err);
}

START_TEST(test_every_field_is_filled_from_the_lookup)
{
	const struct param_kv kv[] = {{"ip", "192.0.2.10"}, {"services", "a b"},  {"port", "2525"},
				      {"arp", "no"},	    {"mode", "paranoid"}, {NULL, NULL}};
	struct cfg cfg;
	struct error err;

	ck_assert_int_eq(parse(kv, &cfg, &err), 0);
	ck_assert_str_eq(cfg.ip, "192.0.2.10");
	ck_assert_uint_eq(strv_length(cfg.services), 2);
	ck_assert_str_eq(cfg.services[0], "a");
	ck_assert_str_eq(cfg.services[1], "b");
	ck_assert_uint_eq(cfg.port, 2525);
	ck_assert(!cfg.arp);
	ck_assert_uint_eq(cfg.mode, 2);
	param_free_all(defs, N_DEFS, &cfg);
}
END_TEST

START_TEST(test_defaults_apply_when_a_value_is_unset_or_empty)
{
	const struct param_kv unset[] = {{"ip", "192.0.2.10"}, {NULL, NULL}};
	const struct param_kv empty[] = {{"ip", "192.0.2.10"}, {"services", ""}, {"port", ""},
					 {"arp", ""},	       {"mode", ""},	 {NULL, NULL}};
	const struct param_kv *cases[] = {unset, empty};

	for (size_t i = 0; i < 2; i++) {
		struct cfg cfg;
		struct error err;

		ck_assert_int_eq(parse(cases[i], &cfg, &err), 0);
		ck_assert_uint_eq(strv_length(cfg.services), 2);
		ck_assert_str_eq(cfg.services[0], "postfix");
		ck_assert_str_eq(cfg.services[1], "dovecot");
		ck_assert_uint_eq(cfg.port, 25);
		ck_assert(cfg.arp);
		ck_assert_uint_eq(cfg.mode, 1);
		param_free_all(defs, N_DEFS, &cfg);
	}
}
END_TEST

START_TEST(test_a_missing_required_parameter_is_named)
{
	const struct param_kv unset[] = {{"port", "25"}, {NULL, NULL}};
	const struct param_kv empty[] = {{"ip", ""}, {NULL, NULL}};
	struct cfg cfg;
	struct error err;

	ck_assert_int_eq(parse(unset, &cfg, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "parameter 'ip' is required");
	ck_assert_int_eq(parse(empty, &cfg, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "parameter 'ip' is required");
}
END_TEST

START_TEST(test_a_bad_integer_names_the_parameter_and_the_value)
{
	const struct param_kv garbage[] = {{"ip", "x"}, {"port", "12abc"}, {NULL, NULL}};
	const struct param_kv range[] = {{"ip", "x"}, {"port", "70000"}, {NULL, NULL}};
	struct cfg cfg;
	struct error err;

	ck_assert_int_eq(parse(garbage, &cfg, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "invalid port='12abc': must be a whole number from 1 to 65535");
	ck_assert_int_eq(parse(range, &cfg, &err), -ERANGE);
	ck_assert_str_eq(err.msg, "invalid port='70000': must be a whole number from 1 to 65535");
	ck_assert_ptr_null(cfg.services);
}
END_TEST

START_TEST(test_a_bad_boolean_names_the_parameter_and_the_value)
{
	const struct param_kv kv[] = {{"ip", "x"}, {"arp", "maybe"}, {NULL, NULL}};
	struct cfg cfg;
	struct error err;

	ck_assert_int_eq(parse(kv, &cfg, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "invalid arp='maybe': must be true or false");
}
END_TEST

START_TEST(test_a_choice_is_matched_exactly_and_the_allowed_values_are_listed)
{
	const struct param_kv good[] = {{"ip", "x"}, {"mode", "fast"}, {NULL, NULL}};
	const struct param_kv bad[] = {{"ip", "x"}, {"mode", "FAST"}, {NULL, NULL}};
	struct cfg cfg;
	struct error err;

	ck_assert_int_eq(parse(good, &cfg, &err), 0);
	ck_assert_uint_eq(cfg.mode, 0);
	param_free_all(defs, N_DEFS, &cfg);
	ck_assert_int_eq(parse(bad, &cfg, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "invalid mode='FAST': must be one of: fast, safe, paranoid");
}
END_TEST

START_TEST(test_a_long_list_of_choices_is_cut_without_overflowing)
{
	static char names[40][24];
	const char *choices[41];
	struct param_def def = {.name = "many", .parse = param_parse_choice, .choices = choices};
	unsigned field = 99;
	struct error err;

	for (unsigned i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "choice-number-%02u-xxxx", i);
		choices[i] = names[i];
	}
	choices[40] = NULL;
	ck_assert_int_eq(param_parse_choice(&def, "nope", &field, &err), -EINVAL);
	ck_assert_uint_eq(field, 99);
	ck_assert_msg(strncmp(err.msg, "must be one of: choice-number-00-xxxx, ", 39) == 0, "%s",
		      err.msg);
	ck_assert_uint_lt(strlen(err.msg), sizeof(err.msg));
	ck_assert_int_eq(param_parse_choice(&def, "choice-number-39-xxxx", &field, &err), 0);
	ck_assert_uint_eq(field, 39);
}
END_TEST

START_TEST(test_param_free_all_releases_lists_and_clears_the_field)
{
	const struct param_kv kv[] = {{"ip", "x"}, {"services", "a b c"}, {NULL, NULL}};
	struct cfg cfg;
	struct error err;

	ck_assert_int_eq(parse(kv, &cfg, &err), 0);
	ck_assert_uint_eq(strv_length(cfg.services), 3);
	param_free_all(defs, N_DEFS, &cfg);
	ck_assert_ptr_null(cfg.services);
	/* A second release (agent_main after a failed action) is harmless. */
	param_free_all(defs, N_DEFS, &cfg);
	ck_assert_ptr_null(cfg.services);
}
END_TEST

START_TEST(test_a_failure_midway_frees_the_fields_parsed_before_it)
{
	/* services (owned) parses before port fails: the sanitizer reports a leak otherwise. */
	const struct param_kv kv[] = {
		{"ip", "x"}, {"services", "a b c"}, {"port", "0"}, {NULL, NULL}};
	struct cfg cfg;
	struct error err;

	ck_assert_int_eq(parse(kv, &cfg, &err), -ERANGE);
	ck_assert_ptr_null(cfg.services);
	ck_assert_str_eq(err.msg, "invalid port='0': must be a whole number from 1 to 65535");
}
END_TEST

START_TEST(test_param_find_and_the_environment_lookup)
{
	char longname[200];

	ck_assert_ptr_eq(param_find(defs, N_DEFS, "port"), &defs[2]);
	ck_assert_ptr_null(param_find(defs, N_DEFS, "Port"));
	ck_assert_int_eq(setenv("OCF_RESKEY_port", "99", 1), 0);
	ck_assert_str_eq(param_lookup_env("port", NULL), "99");
	ck_assert_int_eq(unsetenv("OCF_RESKEY_port"), 0);
	ck_assert_ptr_null(param_lookup_env("port", NULL));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_ptr_null(param_lookup_env(longname, NULL));
}
END_TEST

START_TEST(test_param_parse_all_rejects_null_arguments)
{
	struct cfg cfg = {0};
	struct error err;

	ck_assert_int_eq(param_parse_all(NULL, 1, param_kv_lookup, NULL, &cfg, &err), -EINVAL);
	ck_assert_int_eq(param_parse_all(defs, N_DEFS, NULL, NULL, &cfg, &err), -EINVAL);
	ck_assert_int_eq(param_parse_all(defs, N_DEFS, param_kv_lookup, NULL, NULL, &err), -EINVAL);
}
END_TEST

START_TEST(test_an_agent_without_parameters_parses_an_empty_table)
{
	struct cfg cfg = {0};
	struct error err = {{0}};

	ck_assert_int_eq(param_parse_all(NULL, 0, param_kv_lookup, NULL, &cfg, &err), 0);
}
END_TEST

static Suite *param_suite(void)
{
	Suite *s = suite_create("param");

	ADD_CASE(s, test_every_field_is_filled_from_the_lookup, 5);
	ADD_CASE(s, test_defaults_apply_when_a_value_is_unset_or_empty, 5);
	ADD_CASE(s, test_a_missing_required_parameter_is_named, 5);
	ADD_CASE(s, test_a_bad_integer_names_the_parameter_and_the_value, 5);
	ADD_CASE(s, test_a_bad_boolean_names_the_parameter_and_the_value, 5);
	ADD_CASE(s, test_a_choice_is_matched_exactly_and_the_allowed_values_are_listed, 5);
	ADD_CASE(s, test_a_long_list_of_choices_is_cut_without_overflowing, 5);
	ADD_CASE(s, test_param_free_all_releases_lists_and_clears_the_field, 5);
	ADD_CASE(s, test_a_failure_midway_frees_the_fields_parsed_before_it, 5);
	ADD_CASE(s, test_param_find_and_the_environment_lookup, 5);
	ADD_CASE(s, test_param_parse_all_rejects_null_arguments, 5);
	ADD_CASE(s, test_an_agent_without_parameters_parses_an_empty_table, 5);
	return s;
}

int main(void)
{
	return check_run(param_suite());
}
