/*
 * params (floating-ip): the agent's real parameter table through
 * param_parse_all() and fip_config_check(), as validate-all and every
 * action run them. Values come from a lookup over an array instead of the
 * environment, so each case states exactly what Pacemaker would pass, and
 * each refusal is checked word for word: it is what the administrator
 * reads in crm_mon. The meta-data built from the same table is validated
 * as ocf-tester and pcs would.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "check_common.h"
#include "fip.h"
#include "macro.h"

/* What the runtime does before any action: parse every parameter, then the cross-checks. */
static int parse(const struct param_kv *kv, struct fip_config *c, struct error *err)
{
	int r;

	memset(c, 0, sizeof(*c));
	memset(err, 0, sizeof(*err));
	r = param_parse_all(fip_params, FIP_N_PARAMS, param_kv_lookup, (void *)kv, c, err);
	if (r < 0)
		return r;
	return fip_config_check(c, err);
}

/* parse() must fail with code and exactly the message want. */
#define ck_assert_refused(kv, code, want)                                                          \
	do {                                                                                       \
		struct fip_config c_;                                                              \
		struct error e_;                                                                   \
		ck_assert_int_eq(parse((kv), &c_, &e_), (code));                                   \
		ck_assert_str_eq(e_.msg, (want));                                                  \
	} while (0)

START_TEST(test_every_optional_parameter_has_its_documented_default)
{
	const struct param_kv kv[] = {{"ip", "192.0.2.10"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;
	char buf[INADDR_STRLEN];

	ck_assert_int_eq(parse(kv, &c, &err), 0);
	ck_assert_int_eq(c.ip.family, AF_INET);
	ck_assert_str_eq(inaddr_format(&c.ip, buf), "192.0.2.10");
	ck_assert_ptr_null(c.cidr_netmask);
	ck_assert_uint_eq(c.prefix, 0);
	ck_assert_ptr_null(c.nic);
	ck_assert_ptr_null(c.label);
	ck_assert_uint_eq(c.arp_count, 5);
	ck_assert_uint_eq(c.arp_interval_ms, 200);
	ck_assert(c.conflict_check);
	ck_assert_uint_eq(c.conflict_probes, 3);
	ck_assert_uint_eq(c.conflict_interval_ms, 5);
	ck_assert_uint_eq(c.conflict_wait_ms, 25);
	ck_assert_uint_eq(c.preferred_lft, FIP_LFT_FOREVER);
	ck_assert_int_eq(c.verify.mode, FIP_VERIFY_NONE);
	ck_assert_uint_eq(c.verify_timeout_ms, 1000);
	ck_assert(c.defend);
}
END_TEST

START_TEST(test_verify_takes_gateway_none_or_a_neighbour_of_the_same_family)
{
	const struct param_kv gw[] = {{"ip", "192.0.2.10"}, {"verify", "gateway"}, {NULL, NULL}};
	const struct param_kv v4[] = {{"ip", "192.0.2.10"}, {"verify", "192.0.2.1"}, {NULL, NULL}};
	const struct param_kv ll[] = {{"ip", "2001:db8::10"}, {"verify", "fe80::1"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;
	char buf[INADDR_STRLEN];

	ck_assert_int_eq(parse(gw, &c, &err), 0);
	ck_assert_int_eq(c.verify.mode, FIP_VERIFY_GATEWAY);
	ck_assert_int_eq(parse(v4, &c, &err), 0);
	ck_assert_int_eq(c.verify.mode, FIP_VERIFY_ADDRESS);
	ck_assert_str_eq(inaddr_format(&c.verify.target, buf), "192.0.2.1");
	/* An IPv6 router is usually known by its link-local address: the interface is known. */
	ck_assert_int_eq(parse(ll, &c, &err), 0);
	ck_assert_str_eq(inaddr_format(&c.verify.target, buf), "fe80::1");
}
END_TEST

START_TEST(test_verify_refuses_what_cannot_answer)
{
	const struct param_kv word[] = {{"ip", "192.0.2.10"}, {"verify", "router"}, {NULL, NULL}};
	const struct param_kv mc[] = {{"ip", "192.0.2.10"}, {"verify", "224.0.0.1"}, {NULL, NULL}};
	const struct param_kv fam[] = {
		{"ip", "192.0.2.10"}, {"verify", "2001:db8::1"}, {NULL, NULL}};
	const struct param_kv self[] = {
		{"ip", "192.0.2.10"}, {"verify", "192.0.2.10"}, {NULL, NULL}};
	const struct param_kv zero[] = {
		{"ip", "192.0.2.10"}, {"verify_timeout_ms", "0"}, {NULL, NULL}};

	ck_assert_refused(
		word, -EINVAL,
		"invalid verify='router': must be none, gateway or a neighbour's address");
	ck_assert_refused(
		mc, -EINVAL,
		"invalid verify='224.0.0.1': must be none, gateway or a neighbour's address");
	ck_assert_refused(fam, -EINVAL,
			  "invalid verify: the neighbour must be an IPv4 address, as ip is");
	ck_assert_refused(self, -EINVAL, "invalid verify: the neighbour cannot be ip itself");
	ck_assert_refused(zero, -ERANGE,
			  "invalid verify_timeout_ms='0': must be a whole number from 10 to 60000");
}
END_TEST

START_TEST(test_empty_values_take_the_defaults_as_pacemaker_passes_them)
{
	const struct param_kv kv[] = {{"ip", "2001:db8::10"},
				      {"cidr_netmask", ""},
				      {"nic", ""},
				      {"label", ""},
				      {"arp_count", ""},
				      {"arp_interval_ms", ""},
				      {"conflict_check", ""},
				      {"conflict_probes", ""},
				      {"conflict_interval_ms", ""},
				      {"conflict_wait_ms", ""},
				      {"preferred_lft", ""},
				      {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_int_eq(parse(kv, &c, &err), 0);
	ck_assert_int_eq(c.ip.family, AF_INET6);
	ck_assert_ptr_null(c.cidr_netmask);
	ck_assert_ptr_null(c.nic);
	ck_assert_ptr_null(c.label);
	ck_assert_uint_eq(c.arp_count, 5);
	ck_assert_uint_eq(c.arp_interval_ms, 200);
	ck_assert(c.conflict_check);
	ck_assert_uint_eq(c.conflict_probes, 3);
	ck_assert_uint_eq(c.conflict_interval_ms, 5);
	ck_assert_uint_eq(c.conflict_wait_ms, 25);
	ck_assert_uint_eq(c.preferred_lft, FIP_LFT_FOREVER);
}
END_TEST

START_TEST(test_every_field_is_filled_from_its_parameter)
{
	const struct param_kv v4[] = {{"ip", "192.0.2.10"},
				      {"cidr_netmask", "24"},
				      {"nic", "eth0"},
				      {"label", "vip"},
				      {"arp_count", "0"},
				      {"arp_interval_ms", "10000"},
				      {"conflict_check", "no"},
				      {"conflict_probes", "20"},
				      {"conflict_interval_ms", "1"},
				      {"conflict_wait_ms", "10"},
				      {NULL, NULL}};
	const struct param_kv v6[] = {{"ip", "2001:db8::10"},
				      {"cidr_netmask", "64"},
				      {"nic", "bond0.100"},
				      {"preferred_lft", "300"},
				      {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_int_eq(parse(v4, &c, &err), 0);
	ck_assert_str_eq(c.cidr_netmask, "24");
	ck_assert_uint_eq(c.prefix, 24);
	ck_assert_str_eq(c.nic, "eth0");
	ck_assert_str_eq(c.label, "vip");
	ck_assert_uint_eq(c.arp_count, 0);
	ck_assert_uint_eq(c.arp_interval_ms, 10000);
	ck_assert(!c.conflict_check);
	ck_assert_uint_eq(c.conflict_probes, 20);
	ck_assert_uint_eq(c.conflict_interval_ms, 1);
	ck_assert_uint_eq(c.conflict_wait_ms, 10);
	ck_assert_uint_eq(c.preferred_lft, FIP_LFT_FOREVER);

	ck_assert_int_eq(parse(v6, &c, &err), 0);
	ck_assert_int_eq(c.ip.family, AF_INET6);
	ck_assert_uint_eq(c.prefix, 64);
	ck_assert_str_eq(c.nic, "bond0.100");
	ck_assert_uint_eq(c.preferred_lft, 300);
}
END_TEST

START_TEST(test_a_missing_ip_is_named)
{
	const struct param_kv unset[] = {{"nic", "eth0"}, {NULL, NULL}};
	const struct param_kv empty[] = {{"ip", ""}, {NULL, NULL}};

	ck_assert_refused(unset, -EINVAL, "parameter 'ip' is required");
	ck_assert_refused(empty, -EINVAL, "parameter 'ip' is required");
}
END_TEST

START_TEST(test_a_bad_ip_is_named_with_its_value_and_the_reason)
{
	const struct param_kv prefix[] = {{"ip", "192.0.2.1/24"}, {NULL, NULL}};
	const struct param_kv garbage[] = {{"ip", "abc"}, {NULL, NULL}};
	const struct param_kv link_local[] = {{"ip", "fe80::1"}, {NULL, NULL}};

	ck_assert_refused(prefix, -EINVAL,
			  "invalid ip='192.0.2.1/24': must be an address without a prefix: set "
			  "cidr_netmask for the prefix");
	ck_assert_refused(garbage, -EINVAL, "invalid ip='abc': must be an IPv4 or IPv6 address");
	ck_assert_refused(link_local, -EINVAL,
			  "invalid ip='fe80::1': a link-local address cannot be a floating IP");
}
END_TEST

START_TEST(test_cidr_netmask_out_of_range_is_named_with_its_value)
{
	const struct param_kv v4[] = {{"ip", "192.0.2.10"}, {"cidr_netmask", "33"}, {NULL, NULL}};
	const struct param_kv v6[] = {
		{"ip", "2001:db8::10"}, {"cidr_netmask", "129"}, {NULL, NULL}};
	const struct param_kv zero[] = {{"ip", "192.0.2.10"}, {"cidr_netmask", "0"}, {NULL, NULL}};

	ck_assert_refused(v4, -EINVAL,
			  "invalid cidr_netmask='33': must be a prefix length from 1 to 32 or a "
			  "netmask");
	ck_assert_refused(v6, -EINVAL,
			  "invalid cidr_netmask='129': must be a prefix length from 1 to 128");
	ck_assert_refused(zero, -EINVAL,
			  "invalid cidr_netmask='0': must be a prefix length from 1 to 32 or a "
			  "netmask");
}
END_TEST

START_TEST(test_cidr_netmask_takes_a_dotted_netmask_for_ipv4_only)
{
	const struct param_kv v4[] = {
		{"ip", "192.0.2.10"}, {"cidr_netmask", "255.255.255.0"}, {NULL, NULL}};
	const struct param_kv holes[] = {
		{"ip", "192.0.2.10"}, {"cidr_netmask", "255.0.255.0"}, {NULL, NULL}};
	const struct param_kv v6[] = {
		{"ip", "2001:db8::10"}, {"cidr_netmask", "255.255.255.0"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_int_eq(parse(v4, &c, &err), 0);
	ck_assert_uint_eq(c.prefix, 24);
	ck_assert_refused(holes, -EINVAL,
			  "invalid cidr_netmask='255.0.255.0': must be a prefix length from 1 to "
			  "32 or a netmask");
	ck_assert_refused(v6, -EINVAL,
			  "invalid cidr_netmask='255.255.255.0': must be a prefix length from 1 "
			  "to 128");
}
END_TEST

START_TEST(test_a_label_applies_to_ipv4_only)
{
	const struct param_kv kv[] = {{"ip", "2001:db8::10"}, {"label", "vip"}, {NULL, NULL}};

	ck_assert_refused(kv, -EINVAL, "label applies to IPv4 addresses only");
}
END_TEST

START_TEST(test_a_label_too_long_for_an_interface_name_is_enametoolong)
{
	/* "eth0:0123456789a" is 16 characters; the kernel keeps 15. */
	const struct param_kv long_label[] = {
		{"ip", "192.0.2.10"}, {"nic", "eth0"}, {"label", "0123456789a"}, {NULL, NULL}};
	const struct param_kv fits[] = {
		{"ip", "192.0.2.10"}, {"nic", "eth0"}, {"label", "0123456789"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_refused(long_label, -ENAMETOOLONG,
			  "label 'eth0:0123456789a' is longer than 15 characters");
	ck_assert_int_eq(parse(fits, &c, &err), 0);
	ck_assert_str_eq(c.label, "0123456789");
}
END_TEST

START_TEST(test_a_label_with_other_characters_is_refused)
{
	const struct param_kv colon[] = {{"ip", "192.0.2.10"}, {"label", "a:b"}, {NULL, NULL}};
	const struct param_kv blank[] = {{"ip", "192.0.2.10"}, {"label", "a b"}, {NULL, NULL}};

	ck_assert_refused(colon, -EINVAL,
			  "invalid label='a:b': must use only letters, digits, '_', '-' or '.'");
	ck_assert_refused(blank, -EINVAL,
			  "invalid label='a b': must use only letters, digits, '_', '-' or '.'");
}
END_TEST

START_TEST(test_a_nic_name_the_kernel_refuses_is_refused)
{
	const struct param_kv too_long[] = {
		{"ip", "192.0.2.10"}, {"nic", "0123456789abcdef"}, {NULL, NULL}};
	const struct param_kv slash[] = {{"ip", "192.0.2.10"}, {"nic", "eth/0"}, {NULL, NULL}};
	const struct param_kv colon[] = {{"ip", "192.0.2.10"}, {"nic", "eth0:1"}, {NULL, NULL}};
	const struct param_kv longest[] = {
		{"ip", "192.0.2.10"}, {"nic", "0123456789abcde"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_refused(too_long, -EINVAL,
			  "invalid nic='0123456789abcdef': must be an interface name of 1 to 15 "
			  "characters without '/', ':' or blanks");
	ck_assert_refused(slash, -EINVAL,
			  "invalid nic='eth/0': must be an interface name of 1 to 15 characters "
			  "without '/', ':' or blanks");
	ck_assert_refused(colon, -EINVAL,
			  "invalid nic='eth0:1': must be an interface name of 1 to 15 characters "
			  "without '/', ':' or blanks");
	ck_assert_int_eq(parse(longest, &c, &err), 0);
	ck_assert_str_eq(c.nic, "0123456789abcde");
}
END_TEST

START_TEST(test_preferred_lft_applies_to_ipv6_only)
{
	const struct param_kv v6[] = {
		{"ip", "2001:db8::10"}, {"preferred_lft", "300"}, {NULL, NULL}};
	const struct param_kv v6_zero[] = {
		{"ip", "2001:db8::10"}, {"preferred_lft", "0"}, {NULL, NULL}};
	const struct param_kv v4[] = {{"ip", "192.0.2.10"}, {"preferred_lft", "300"}, {NULL, NULL}};
	const struct param_kv v4_forever[] = {
		{"ip", "192.0.2.10"}, {"preferred_lft", "forever"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_int_eq(parse(v6, &c, &err), 0);
	ck_assert_uint_eq(c.preferred_lft, 300);
	ck_assert_int_eq(parse(v6_zero, &c, &err), 0);
	ck_assert_uint_eq(c.preferred_lft, 0);
	ck_assert_refused(v4, -EINVAL, "preferred_lft applies to IPv6 addresses only");
	ck_assert_int_eq(parse(v4_forever, &c, &err), 0);
	ck_assert_uint_eq(c.preferred_lft, FIP_LFT_FOREVER);
}
END_TEST

START_TEST(test_preferred_lft_is_forever_or_seconds_below_the_kernel_infinity)
{
	const struct param_kv word[] = {
		{"ip", "2001:db8::10"}, {"preferred_lft", "soon"}, {NULL, NULL}};
	const struct param_kv infinity[] = {
		{"ip", "2001:db8::10"}, {"preferred_lft", "4294967295"}, {NULL, NULL}};
	const struct param_kv longest[] = {
		{"ip", "2001:db8::10"}, {"preferred_lft", "4294967294"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_refused(word, -EINVAL,
			  "invalid preferred_lft='soon': must be 'forever' or a number of seconds");
	ck_assert_refused(infinity, -EINVAL,
			  "invalid preferred_lft='4294967295': must be 'forever' or a number of "
			  "seconds");
	ck_assert_int_eq(parse(longest, &c, &err), 0);
	ck_assert_uint_eq(c.preferred_lft, 4294967294u);
}
END_TEST

START_TEST(test_numbers_out_of_range_are_erange_with_the_range)
{
	const struct param_kv count[] = {{"ip", "192.0.2.10"}, {"arp_count", "101"}, {NULL, NULL}};
	const struct param_kv interval[] = {
		{"ip", "192.0.2.10"}, {"arp_interval_ms", "9"}, {NULL, NULL}};
	const struct param_kv probes[] = {
		{"ip", "192.0.2.10"}, {"conflict_probes", "0"}, {NULL, NULL}};
	const struct param_kv wait[] = {
		{"ip", "192.0.2.10"}, {"conflict_wait_ms", "5001"}, {NULL, NULL}};

	ck_assert_refused(count, -ERANGE,
			  "invalid arp_count='101': must be a whole number from 0 to 100");
	ck_assert_refused(interval, -ERANGE,
			  "invalid arp_interval_ms='9': must be a whole number from 10 to 10000");
	ck_assert_refused(probes, -ERANGE,
			  "invalid conflict_probes='0': must be a whole number from 1 to 20");
	ck_assert_refused(
		wait, -ERANGE,
		"invalid conflict_wait_ms='5001': must be a whole number from 10 to 5000");
}
END_TEST

START_TEST(test_numbers_that_are_no_numbers_are_einval)
{
	const struct param_kv sign[] = {{"ip", "192.0.2.10"}, {"arp_count", "-1"}, {NULL, NULL}};
	const struct param_kv unit[] = {
		{"ip", "192.0.2.10"}, {"arp_interval_ms", "200ms"}, {NULL, NULL}};

	ck_assert_refused(sign, -EINVAL,
			  "invalid arp_count='-1': must be a whole number from 0 to 100");
	ck_assert_refused(unit, -EINVAL,
			  "invalid arp_interval_ms='200ms': must be a whole number from 10 to "
			  "10000");
}
END_TEST

START_TEST(test_conflict_check_takes_a_boolean_only)
{
	const struct param_kv maybe[] = {
		{"ip", "192.0.2.10"}, {"conflict_check", "maybe"}, {NULL, NULL}};
	const struct param_kv off[] = {
		{"ip", "192.0.2.10"}, {"conflict_check", "off"}, {NULL, NULL}};
	struct fip_config c;
	struct error err;

	ck_assert_refused(maybe, -EINVAL, "invalid conflict_check='maybe': must be true or false");
	ck_assert_int_eq(parse(off, &c, &err), 0);
	ck_assert(!c.conflict_check);
}
END_TEST

START_TEST(test_the_full_label_joins_nic_and_label)
{
	char buf[IFNAMSIZ];

	ck_assert_int_eq(fip_full_label("eth0", "vip", buf), 0);
	ck_assert_str_eq(buf, "eth0:vip");
	ck_assert_int_eq(fip_full_label("eth0", "0123456789", buf), 0);
	ck_assert_str_eq(buf, "eth0:0123456789");
	ck_assert_int_eq(fip_full_label("eth0", "0123456789a", buf), -ENAMETOOLONG);
}
END_TEST

static enum ocf_exitcode nothing(struct agent_ctx *ctx)
{
	return PCMK_OCF_OK;
}

/* The agent's own table around fip_params (main.c's actions, which the test cannot link). */
static const struct action_def actions[] = {
	{"start", nothing, 20, 0, -1, 0},   {"stop", nothing, 20, 0, -1, 0},
	{"monitor", nothing, 20, 10, 0, 0}, {"monitor", nothing, 20, 60, 10, 0},
	{"meta-data", NULL, 5, 0, -1, 0},   {"validate-all", nothing, 20, 0, -1, 0},
};

static const struct agent_def fip_agent = {
	.name = "floating-ip",
	.shortdesc = "Floating IP address of a failover group",
	.longdesc = "Adds an IPv4 or IPv6 address to an interface and announces it.",
	.params = fip_params,
	.n_params = FIP_N_PARAMS,
	.config_size = sizeof(struct fip_config),
	.config_check = fip_config_check,
	.actions = actions,
	.n_actions = ARRAY_SIZE(actions),
};

#define ck_assert_contains(haystack, needle)                                                       \
	ck_assert_msg(strstr((haystack), (needle)), "missing: %s\n--- in:\n%s", (needle),          \
		      (haystack))

START_TEST(test_the_meta_data_shows_every_parameter_with_its_default)
{
	static const char *const fragments[] = {
		"<parameter name=\"ip\" required=\"1\" unique=\"1\">",
		"<parameter name=\"cidr_netmask\" required=\"0\" unique=\"0\">",
		"<parameter name=\"nic\" required=\"0\" unique=\"0\">",
		"<parameter name=\"label\" required=\"0\" unique=\"0\">",
		"IPv4 only: the address is labelled &lt;nic&gt;:&lt;label&gt;",
		"<content type=\"integer\" default=\"5\"/>",
		"<content type=\"integer\" default=\"200\"/>",
		"<content type=\"boolean\" default=\"true\"/>",
		"<content type=\"integer\" default=\"3\"/>",
		"<content type=\"integer\" default=\"25\"/>",
		"<content type=\"string\" default=\"forever\"/>",
	};
	char *xml = metadata_string(&fip_agent);

	for (size_t i = 0; i < ARRAY_SIZE(fragments); i++)
		ck_assert_contains(xml, fragments[i]);
	for (size_t i = 0; i < FIP_N_PARAMS; i++) {
		char tag[64];

		snprintf(tag, sizeof(tag), "<parameter name=\"%s\" ", fip_params[i].name);
		ck_assert_contains(xml, tag);
	}
	free(xml);
}
END_TEST

START_TEST(test_the_meta_data_is_valid_against_ra_api_1_dtd)
{
	char *xml;

	if (!have_xmllint(RA_API_DTD))
		return;
	xml = metadata_string(&fip_agent);
	xml_validate(xml, "--dtdvalid", RA_API_DTD);
	free(xml);
}
END_TEST

START_TEST(test_the_meta_data_is_valid_against_the_ocf_1_1_schema)
{
	char *xml;

	if (!have_xmllint(OCF_11_RNG))
		return;
	xml = metadata_string(&fip_agent);
	xml_validate(xml, "--relaxng", OCF_11_RNG);
	free(xml);
}
END_TEST

static Suite *params_suite(void)
{
	Suite *s = suite_create("params");

	ADD_CASE(s, test_every_optional_parameter_has_its_documented_default, 5);
	ADD_CASE(s, test_empty_values_take_the_defaults_as_pacemaker_passes_them, 5);
	ADD_CASE(s, test_every_field_is_filled_from_its_parameter, 5);
	ADD_CASE(s, test_a_missing_ip_is_named, 5);
	ADD_CASE(s, test_a_bad_ip_is_named_with_its_value_and_the_reason, 5);
	ADD_CASE(s, test_cidr_netmask_out_of_range_is_named_with_its_value, 5);
	ADD_CASE(s, test_cidr_netmask_takes_a_dotted_netmask_for_ipv4_only, 5);
	ADD_CASE(s, test_a_label_applies_to_ipv4_only, 5);
	ADD_CASE(s, test_a_label_too_long_for_an_interface_name_is_enametoolong, 5);
	ADD_CASE(s, test_a_label_with_other_characters_is_refused, 5);
	ADD_CASE(s, test_a_nic_name_the_kernel_refuses_is_refused, 5);
	ADD_CASE(s, test_preferred_lft_applies_to_ipv6_only, 5);
	ADD_CASE(s, test_preferred_lft_is_forever_or_seconds_below_the_kernel_infinity, 5);
	ADD_CASE(s, test_numbers_out_of_range_are_erange_with_the_range, 5);
	ADD_CASE(s, test_numbers_that_are_no_numbers_are_einval, 5);
	ADD_CASE(s, test_conflict_check_takes_a_boolean_only, 5);
	ADD_CASE(s, test_the_full_label_joins_nic_and_label, 5);
	ADD_CASE(s, test_verify_takes_gateway_none_or_a_neighbour_of_the_same_family, 5);
	ADD_CASE(s, test_verify_refuses_what_cannot_answer, 5);
	ADD_CASE(s, test_the_meta_data_shows_every_parameter_with_its_default, 5);
	ADD_CASE(s, test_the_meta_data_is_valid_against_ra_api_1_dtd, 20);
	ADD_CASE(s, test_the_meta_data_is_valid_against_the_ocf_1_1_schema, 20);
	return s;
}

int main(void)
{
	return check_run(params_suite());
}
