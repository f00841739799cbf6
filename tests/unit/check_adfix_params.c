/*
 * ad-fixup's parameters: the uri's scheme, read in any case, is what
 * decides TLS (the transport handed to the plugin), lists never pass, and
 * the three spellings of a bind name AD accepts are taken and kept exactly
 * as given (what reaches the bind is checked against a listening server
 * in tests/integration/ad-fixup-tls.sh).
 */
#include <errno.h>

#include "adfix.h"
#include "bindname.h"
#include "check_common.h"

struct env {
	const char *uri, *bind_dn, *tls, *scope, *tasks;
};

static const char *lookup(const char *name, void *userdata)
{
	const struct env *e = userdata;

	if (strcmp(name, "uri") == 0)
		return e->uri;
	if (strcmp(name, "bind_dn") == 0)
		return e->bind_dn;
	if (strcmp(name, "tls") == 0)
		return e->tls;
	if (strcmp(name, "scope") == 0)
		return e->scope;
	if (strcmp(name, "tasks") == 0)
		return e->tasks;
	if (strcmp(name, "bind_password_file") == 0)
		return "/etc/exha/pw";
	if (strcmp(name, "primary") == 0)
		return "EX1";
	if (strcmp(name, "backup") == 0)
		return "EX2";
	return NULL;
}

/* Parse and check; 0 and the config, or -errno with the message in err. */
static int load(const struct env *e, struct adfix_config *c, struct error *err)
{
	int r;

	memset(c, 0, sizeof(*c));
	r = param_parse_all(adfix_params, ADFIX_N_PARAMS, lookup, (void *)e, c, err);
	if (r == 0 && (r = adfix_config_check(c, err)) < 0)
		param_free_all(adfix_params, ADFIX_N_PARAMS, c);
	return r;
}

static void expect_transport(const char *uri, const char *tls, enum dir_transport want,
			     const char *text)
{
	struct env e = {uri, "CN=a,DC=x", tls};
	struct adfix_config c;
	struct error err = {""};

	ck_assert_msg(load(&e, &c, &err) == 0, "'%s' refused: %s", uri, err.msg);
	ck_assert_msg(c.uri.parsed.scheme == want, "'%s': transport %u", uri, c.uri.parsed.scheme);
	ck_assert_str_eq(c.uri.text, text);
	param_free_all(adfix_params, ADFIX_N_PARAMS, &c);
}

START_TEST(test_the_transport_comes_from_the_scheme_in_any_case)
{
	expect_transport("ldap://dc.example", NULL, DIR_LDAP, "ldap://dc.example");
	expect_transport("LDAP://dc.example", NULL, DIR_LDAP, "ldap://dc.example");
	expect_transport("Ldap://127.0.0.1:389/", NULL, DIR_LDAP, "ldap://127.0.0.1:389");
	expect_transport("LDAPS://dc.example", NULL, DIR_LDAPS, "ldaps://dc.example");
	expect_transport("ldapS://[2001:db8::1]:636", NULL, DIR_LDAPS, "ldaps://[2001:db8::1]:636");
	expect_transport("LDAPI://%2Frun%2Fslapd%2Fldapi", NULL, DIR_LDAPI,
			 "ldapi://%2Frun%2Fslapd%2Fldapi");
}
END_TEST

START_TEST(test_lists_and_contradictions_are_configuration_errors)
{
	static const char *const lists[] = {
		"ldaps://h:1,ldap://h",
		"ldapi://%2Ftmp%2Fx,ldap://h",
		"ldap://h ldap://g",
		"LDAPS://h,LDAP://g",
	};
	struct adfix_config c;
	struct error err = {""};

	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		struct env e = {lists[i], "CN=a,DC=x", NULL};

		ck_assert_msg(load(&e, &c, &err) == -EINVAL, "'%s' accepted", lists[i]);
		ck_assert_ptr_nonnull(strstr(err.msg, "uri"));
	}
	ck_assert_int_eq(load(&(struct env){"LDAPS://h", "CN=a,DC=x", "false"}, &c, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "tls"));
	ck_assert_int_eq(load(&(struct env){"LDAP://h", NULL, NULL}, &c, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "bind_dn"));
}
END_TEST

static unsigned scope_tasks(const char *scope, const char *tasks)
{
	struct env e = {"ldap://dc.example", "CN=a,DC=x", NULL, scope, tasks};
	struct adfix_config c;
	struct error err = {""};
	unsigned mask;

	ck_assert_msg(load(&e, &c, &err) == 0, "scope '%s' refused: %s", scope, err.msg);
	mask = c.task_mask;
	param_free_all(adfix_params, ADFIX_N_PARAMS, &c);
	return mask;
}

START_TEST(test_scope_splits_the_tasks_between_two_instances)
{
	const unsigned all = (1u << TASK_COUNT) - 1;
	struct adfix_config c;
	struct error err = {""};

	ck_assert_uint_eq(scope_tasks(NULL, NULL), all);
	ck_assert_uint_eq(scope_tasks("all", NULL), all);
	ck_assert_uint_eq(scope_tasks("servers", NULL), all & ~(1u << TASK_MAILBOXES));
	ck_assert_uint_eq(scope_tasks("users", NULL), 1u << TASK_MAILBOXES);
	ck_assert_uint_eq(scope_tasks("servers", "stores mailboxes"), 1u << TASK_STORES);
	ck_assert_int_eq(
		load(&(struct env){"ldap://h", "CN=a,DC=x", NULL, "users", "stores spn"}, &c, &err),
		-EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "scope"));
	ck_assert_int_eq(
		load(&(struct env){"ldap://h", "CN=a,DC=x", NULL, "Users", NULL}, &c, &err),
		-EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "scope"));
}
END_TEST

START_TEST(test_bind_names_of_the_three_kinds_pass_unchanged)
{
	static const struct {
		const char *name;
		enum bind_name_kind kind;
	} good[] = {
		{"CN=svc-exha,CN=Users,DC=corp,DC=example", BIND_NAME_DN},
		{"cn=Svc\\, Exha,dc=x", BIND_NAME_DN},
		{"CN=a@b,DC=x", BIND_NAME_DN},
		{"svc-exha@corp.example", BIND_NAME_UPN},
		{"First.Last@Corp.Example", BIND_NAME_UPN},
		{"CORP\\svc-exha", BIND_NAME_DOWNLEVEL},
		{"corp_1\\John Smith", BIND_NAME_DOWNLEVEL},
	};
	struct adfix_config c;
	struct error err = {""};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct env e = {"ldaps://dc.example", good[i].name, NULL};

		ck_assert_int_eq(bind_name_kind(good[i].name), good[i].kind);
		ck_assert_msg(load(&e, &c, &err) == 0, "'%s' refused: %s", good[i].name, err.msg);
		ck_assert_str_eq(c.bind_dn, good[i].name);
		param_free_all(adfix_params, ADFIX_N_PARAMS, &c);
	}
}
END_TEST

START_TEST(test_other_names_are_refused)
{
	static const char *const bad[] = {
		"",
		"svc",
		"svc@",
		"@corp.example",
		"a@b@corp.example",
		"svc@corp..example",
		"svc@192.0.2.1",
		"svc\"x@corp.example",
		"CORP\\",
		"\\svc",
		"CORP\\a\\b",
		"CORP\\svc@corp.example",
		"A-VERY-LONG-DOMAIN\\svc",
		"-CORP\\svc",
		"CORP\\svc.",
		"CORP\\ svc",
		"CORP\\a\tb",
		"cn=a,,dc=x",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(bind_name_kind(bad[i]) == BIND_NAME_INVALID, "'%s' accepted", bad[i]);
	ck_assert_int_eq(bind_name_kind(NULL), BIND_NAME_INVALID);
}
END_TEST

static Suite *adfix_params_suite(void)
{
	Suite *s = suite_create("adfix_params");

	ADD_CASE(s, test_the_transport_comes_from_the_scheme_in_any_case, 5);
	ADD_CASE(s, test_lists_and_contradictions_are_configuration_errors, 5);
	ADD_CASE(s, test_bind_names_of_the_three_kinds_pass_unchanged, 5);
	ADD_CASE(s, test_other_names_are_refused, 5);
	ADD_CASE(s, test_scope_splits_the_tasks_between_two_instances, 5);
	return s;
}

int main(void)
{
	return check_run(adfix_params_suite());
}
