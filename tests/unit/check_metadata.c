/*
 * metadata: the OCF meta-data XML generated from an agent's tables. Besides
 * the exact fragments, the whole document is validated with xmllint against
 * ra-api-1.dtd (what ocf-tester uses) and pcs's OCF 1.1 schema when those
 * are installed; a missing validator is reported, not failed.
 */
#include <errno.h>
#include <stdio.h>

#include "agent.h"
#include "check_common.h"

static enum ocf_exitcode nothing(struct agent_ctx *ctx)
{
	return PCMK_OCF_OK;
}

static const char *const modes[] = {"a<b", "c", NULL};

static const struct param_def params[] = {
	{.name = "ip",
	 .type = PARAM_STRING,
	 .flags = PARAM_REQUIRED | PARAM_UNIQUE,
	 .shortdesc = "Floating IP",
	 .longdesc = "The address <a & \"b\"> clients use."},
	{.name = "port", .type = PARAM_INTEGER, .default_value = "25", .shortdesc = "SMTP port"},
	{.name = "mode",
	 .type = PARAM_STRING,
	 .default_value = "c",
	 .shortdesc = "Mode",
	 .longdesc = "How careful to be.",
	 .choices = modes},
	{.name = "arp", .type = PARAM_BOOLEAN, .default_value = "true", .shortdesc = "Send ARP"},
};

static const struct action_def actions[] = {
	{"start", nothing, 20, 0, -1, 0},
	{"stop", nothing, 20, 0, -1, 0},
	{"monitor", nothing, 20, 10, 0, 0},
	{"monitor", nothing, 30, 60, 10, 0},
	{"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", nothing, 20, 0, -1, 0},
	{"dump-config", nothing, 5, 0, -1, ACTION_HIDDEN | ACTION_NO_CONFIG},
};

static const struct agent_def def = {
	.name = "test-agent",
	.shortdesc = "Mail & more",
	.longdesc = "An agent for tests: 1 < 2.",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.actions = actions,
	.n_actions = sizeof(actions) / sizeof(actions[0]),
};

#define ck_assert_contains(haystack, needle)                                                       \
	ck_assert_msg(strstr((haystack), (needle)), "missing: %s\n--- in:\n%s", (needle),          \
		      (haystack))

START_TEST(test_the_document_names_the_agent_and_escapes_its_descriptions)
{
	char *xml = metadata_string(&def);

	ck_assert_msg(strncmp(xml, "<?xml version=\"1.0\"?>\n", 22) == 0, "%s", xml);
	ck_assert_contains(xml, "<resource-agent name=\"test-agent\" version=\"" PACKAGE_VERSION
				"\">\n  <version>1.1</version>\n");
	ck_assert_contains(xml, "<shortdesc lang=\"en\">Mail &amp; more</shortdesc>");
	ck_assert_contains(xml, "<longdesc lang=\"en\">An agent for tests: 1 &lt; 2.</longdesc>");
	ck_assert_contains(xml, "The address &lt;a &amp; &quot;b&quot;&gt; clients use.");
	ck_assert_ptr_null(strstr(xml, "<a &"));
	ck_assert_msg(strcmp(xml + strlen(xml) - 18, "</resource-agent>\n") == 0, "%s", xml);
	free(xml);
}
END_TEST

START_TEST(test_parameters_show_required_unique_type_and_default)
{
	char *xml = metadata_string(&def);

	ck_assert_contains(xml, "<parameter name=\"ip\" required=\"1\" unique=\"1\">");
	ck_assert_contains(xml, "<shortdesc lang=\"en\">Floating IP</shortdesc>\n"
				"      <content type=\"string\"/>\n");
	ck_assert_contains(xml, "<parameter name=\"port\" required=\"0\" unique=\"0\">\n"
				"      <longdesc lang=\"en\">SMTP port</longdesc>\n");
	ck_assert_contains(xml, "<content type=\"integer\" default=\"25\"/>");
	ck_assert_contains(xml, "<content type=\"boolean\" default=\"true\"/>");
	ck_assert_contains(xml, "How careful to be. Allowed values: a&lt;b, c.</longdesc>");
	ck_assert_contains(xml, "<content type=\"string\" default=\"c\"/>");
	free(xml);
}
END_TEST

START_TEST(test_actions_show_timeout_interval_and_depth_and_hidden_ones_are_omitted)
{
	char *xml = metadata_string(&def);

	ck_assert_contains(xml, "<action name=\"start\" timeout=\"20s\"/>");
	ck_assert_contains(xml, "<action name=\"stop\" timeout=\"20s\"/>");
	ck_assert_contains(xml, "<action name=\"monitor\" timeout=\"20s\" interval=\"10s\" "
				"depth=\"0\"/>");
	ck_assert_contains(xml, "<action name=\"monitor\" timeout=\"30s\" interval=\"60s\" "
				"depth=\"10\"/>");
	ck_assert_contains(xml, "<action name=\"meta-data\" timeout=\"5s\"/>");
	ck_assert_contains(xml, "<action name=\"validate-all\" timeout=\"20s\"/>");
	ck_assert_ptr_null(strstr(xml, "dump-config"));
	free(xml);
}
END_TEST

START_TEST(test_a_failed_write_is_reported)
{
	FILE *out = fopen("/dev/full", "w");

	if (!out) {
		fprintf(stderr, "SKIP write failure: cannot open /dev/full\n");
		return;
	}
	ck_assert_int_eq(metadata_write(out, &def), -ENOSPC);
	fclose(out);
	ck_assert_int_eq(metadata_write(NULL, &def), -EINVAL);
	ck_assert_int_eq(metadata_write(stdout, NULL), -EINVAL);
}
END_TEST

/* Run xmllint with how (--dtdvalid or --relaxng) and schema on the meta-data. */
static void validate(const char *how, const char *schema)
{
	char *xml = metadata_string(&def);

	xml_validate(xml, how, schema);
	free(xml);
}

START_TEST(test_the_document_is_valid_against_ra_api_1_dtd)
{
	if (have_xmllint(RA_API_DTD))
		validate("--dtdvalid", RA_API_DTD);
}
END_TEST

START_TEST(test_the_document_is_valid_against_the_ocf_1_1_schema)
{
	if (have_xmllint(OCF_11_RNG))
		validate("--relaxng", OCF_11_RNG);
}
END_TEST

static Suite *metadata_suite(void)
{
	Suite *s = suite_create("metadata");

	ADD_CASE(s, test_the_document_names_the_agent_and_escapes_its_descriptions, 5);
	ADD_CASE(s, test_parameters_show_required_unique_type_and_default, 5);
	ADD_CASE(s, test_actions_show_timeout_interval_and_depth_and_hidden_ones_are_omitted, 5);
	ADD_CASE(s, test_a_failed_write_is_reported, 5);
	ADD_CASE(s, test_the_document_is_valid_against_ra_api_1_dtd, 20);
	ADD_CASE(s, test_the_document_is_valid_against_the_ocf_1_1_schema, 20);
	return s;
}

int main(void)
{
	return check_run(metadata_suite());
}
