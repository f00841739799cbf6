/*
 * params (switching-disk): the agent's real parameter table through
 * param_parse_all() and sd_config_check(), as validate-all and every action
 * run them; each refusal names its parameter. The meta-data built from the
 * same table is validated as ocf-tester and pcs would.
 */
#include <errno.h>
#include <stdio.h>

#include "check_common.h"
#include "macro.h"
#include "sd.h"

static int parse(const struct param_kv *kv, struct sd_config *c, struct error *err)
{
	int r;

	memset(c, 0, sizeof(*c));
	memset(err, 0, sizeof(*err));
	r = param_parse_all(sd_params, SD_N_PARAMS, param_kv_lookup, (void *)kv, c, err);
	if (r < 0)
		return r;
	return sd_config_check(c, err);
}

#define ck_assert_names(kv, code, param)                                                           \
	do {                                                                                       \
		struct sd_config c_;                                                               \
		struct error e_;                                                                   \
		ck_assert_int_eq(parse((kv), &c_, &e_), (code));                                   \
		ck_assert_msg(strstr(e_.msg, (param)), "'%s' does not name %s", e_.msg, (param));  \
	} while (0)

START_TEST(test_defaults_fill_every_optional_parameter)
{
	const struct param_kv kv[] = {{"device", "/dev/sdb1"}, {"directory", "/srv/mail"}, {NULL}};
	struct sd_config c;
	struct error err;

	ck_assert_int_eq(parse(kv, &c, &err), 0);
	ck_assert_str_eq(c.device, "/dev/sdb1");
	ck_assert_str_eq(c.directory, "/srv/mail");
	ck_assert_ptr_null(c.fstype);
	ck_assert_str_eq(c.options, "defaults");
	ck_assert_uint_eq(c.fsck, FSCK_AUTO);
	ck_assert_ptr_null(c.lease_device);
	ck_assert_uint_eq(c.lease_timeout_s, 10);
	ck_assert_uint_eq(c.lease_slot, 0);
	ck_assert(c.force_unmount);
	ck_assert(!c.ro);
}
END_TEST

START_TEST(test_tags_ro_options_and_choices_are_read)
{
	const struct param_kv kv[] = {{"device", "LABEL=mail"},
				      {"directory", "/srv/mail"},
				      {"options", "noatime,ro"},
				      {"fsck", "never"},
				      {"lease_device", "PARTLABEL=mail-lease"},
				      {"lease_timeout", "30"},
				      {"lease_slot", "1023"},
				      {"force_unmount", "no"},
				      {NULL}};
	struct sd_config c;
	struct error err;

	ck_assert_int_eq(parse(kv, &c, &err), 0);
	ck_assert(c.ro);
	ck_assert_uint_eq(c.fsck, FSCK_NEVER);
	ck_assert_str_eq(c.lease_device, "PARTLABEL=mail-lease");
	ck_assert_uint_eq(c.lease_timeout_s, 30);
	ck_assert_uint_eq(c.lease_slot, 1023);
	ck_assert(!c.force_unmount);
}
END_TEST

START_TEST(test_bad_values_name_their_parameter)
{
	const struct param_kv no_dev[] = {{"directory", "/srv/mail"}, {NULL}};
	const struct param_kv rel_dev[] = {{"device", "sdb1"}, {"directory", "/srv/mail"}, {NULL}};
	const struct param_kv empty_tag[] = {{"device", "UUID="}, {"directory", "/m"}, {NULL}};
	const struct param_kv dots[] = {{"device", "/dev/a"}, {"directory", "/srv/../etc"}, {NULL}};
	const struct param_kv root[] = {{"device", "/dev/a"}, {"directory", "/"}, {NULL}};
	const struct param_kv slash[] = {{"device", "/dev/a"}, {"directory", "/srv/"}, {NULL}};
	const struct param_kv fstype[] = {
		{"device", "/dev/a"}, {"directory", "/m"}, {"fstype", "Ext4"}, {NULL}};
	const struct param_kv opts[] = {
		{"device", "/dev/a"}, {"directory", "/m"}, {"options", "remount"}, {NULL}};
	const struct param_kv fsck[] = {
		{"device", "/dev/a"}, {"directory", "/m"}, {"fsck", "yes"}, {NULL}};
	const struct param_kv timeout[] = {
		{"device", "/dev/a"}, {"directory", "/m"}, {"lease_timeout", "601"}, {NULL}};
	const struct param_kv slot[] = {
		{"device", "/dev/a"}, {"directory", "/m"}, {"lease_slot", "1024"}, {NULL}};
	const struct param_kv slot_neg[] = {
		{"device", "/dev/a"}, {"directory", "/m"}, {"lease_slot", "-1"}, {NULL}};
	const struct param_kv same[] = {
		{"device", "/dev/a"}, {"directory", "/m"}, {"lease_device", "/dev/a"}, {NULL}};

	ck_assert_names(no_dev, -EINVAL, "device");
	ck_assert_names(rel_dev, -EINVAL, "device");
	ck_assert_names(empty_tag, -EINVAL, "device");
	ck_assert_names(dots, -EINVAL, "directory");
	ck_assert_names(root, -EINVAL, "directory");
	ck_assert_names(slash, -EINVAL, "directory");
	ck_assert_names(fstype, -EINVAL, "fstype");
	ck_assert_names(opts, -EINVAL, "options");
	ck_assert_names(fsck, -EINVAL, "fsck");
	ck_assert_names(timeout, -ERANGE, "lease_timeout");
	ck_assert_names(slot, -ERANGE, "lease_slot");
	ck_assert_names(slot_neg, -EINVAL, "lease_slot");
	ck_assert_names(same, -EINVAL, "lease_device");
}
END_TEST

static const struct action_def actions[] = {
	{"start", NULL, 60, 0, -1, 0},	      {"stop", NULL, 60, 0, -1, 0},
	{"monitor", NULL, 20, 20, 0, 0},      {"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", NULL, 20, 0, -1, 0},
};

static const struct agent_def sd_agent = {
	.name = "switching-disk",
	.shortdesc = "Switching disk of a failover group",
	.longdesc = "Mounts the shared disk on one node, under a lease.",
	.params = sd_params,
	.n_params = SD_N_PARAMS,
	.config_size = sizeof(struct sd_config),
	.config_check = sd_config_check,
	.actions = actions,
	.n_actions = ARRAY_SIZE(actions),
};

START_TEST(test_the_meta_data_is_valid_against_ra_api_1_dtd_and_ocf_1_1)
{
	char *xml = metadata_string(&sd_agent);

	/* Shared by several groups' resources, a slot each: not unique. */
	ck_assert_ptr_nonnull(strstr(xml, "<parameter name=\"lease_device\" required=\"0\" "
					  "unique=\"0\">"));
	if (have_xmllint(RA_API_DTD))
		xml_validate(xml, "--dtdvalid", RA_API_DTD);
	if (have_xmllint(OCF_11_RNG))
		xml_validate(xml, "--relaxng", OCF_11_RNG);
	free(xml);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("switching-disk params");

	ADD_CASE(s, test_defaults_fill_every_optional_parameter, 5);
	ADD_CASE(s, test_tags_ro_options_and_choices_are_read, 5);
	ADD_CASE(s, test_bad_values_name_their_parameter, 5);
	ADD_CASE(s, test_the_meta_data_is_valid_against_ra_api_1_dtd_and_ocf_1_1, 30);
	return check_run(s);
}
