/*
 * ad-fixup's change planner: one modify per entry with every attribute
 * that names the old server, nothing when the entry already points right
 * (idempotence), and the SPN move that survives a kill between its halves.
 */
#include <errno.h>

#include "check_common.h"
#include "ldif.h"
#include "plan.h"

#define SRV(name) "CN=" name ",CN=Servers,CN=AG,CN=Administrative Groups,CN=Org,DC=x"
#define MDB(name) "CN=Mailbox Database,CN=SG,CN=InformationStore," SRV(name)
#define MTA(name) "CN=Microsoft MTA," SRV(name)
#define LEG(name) "/o=Org/ou=AG/cn=Configuration/cn=Servers/cn=" name

static struct dir_entry user(const char *mdb, const char *mta, const char *leg,
			     struct dir_attr attrs[3], char *vals[3])
{
	vals[0] = (char *)mdb;
	vals[1] = (char *)mta;
	vals[2] = (char *)leg;
	attrs[0] = (struct dir_attr){"homemdb", 1, &vals[0]};
	attrs[1] = (struct dir_attr){"homeMTA", 1, &vals[1]};
	attrs[2] = (struct dir_attr){"msExchHomeServerName", 1, &vals[2]};
	return (struct dir_entry){"CN=u1,OU=Sales,DC=x", 3, attrs};
}

START_TEST(test_a_user_on_the_old_server_gets_one_modify_with_three_replaces)
{
	struct dir_attr attrs[3];
	char *vals[3];
	struct dir_entry e = user(MDB("EX1"), MTA("EX1"), LEG("EX1"), attrs, vals);
	struct dir_mod m;

	ck_assert_int_eq(plan_rewrite(&e, plan_user_rules, 3, "EX1", "EX2", &m), 1);
	ck_assert_str_eq(m.dn, "CN=u1,OU=Sales,DC=x");
	ck_assert_uint_eq(m.n_changes, 3);
	ck_assert_int_eq(m.changes[0].op, DIR_REPLACE);
	ck_assert_str_eq(m.changes[0].values[0], MDB("EX2"));
	ck_assert_str_eq(m.changes[1].values[0], MTA("EX2"));
	ck_assert_str_eq(m.changes[2].values[0], LEG("EX2"));
	dir_mod_clear(&m);
}
END_TEST

START_TEST(test_a_user_already_moved_needs_nothing)
{
	struct dir_attr attrs[3];
	char *vals[3];
	struct dir_entry e = user(MDB("EX2"), MTA("EX2"), LEG("EX2"), attrs, vals);
	struct dir_mod m = {0};

	ck_assert_int_eq(plan_rewrite(&e, plan_user_rules, 3, "EX1", "EX2", &m), 0);
	ck_assert_ptr_null(m.dn);
}
END_TEST

START_TEST(test_a_user_on_ex10_is_left_alone_when_ex1_moves)
{
	struct dir_attr attrs[3];
	char *vals[3];
	struct dir_entry e = user(MDB("EX10"), MTA("EX10"), LEG("EX10"), attrs, vals);
	struct dir_mod m = {0};

	ck_assert_int_eq(plan_rewrite(&e, plan_user_rules, 3, "EX1", "EX2", &m), 0);
}
END_TEST

START_TEST(test_only_the_attributes_that_change_are_in_the_modify)
{
	struct dir_attr attrs[3];
	char *vals[3];
	struct dir_entry e = user(MDB("EX2"), "CN=broken,", LEG("EX1"), attrs, vals);
	struct dir_mod m;

	ck_assert_int_eq(plan_rewrite(&e, plan_user_rules, 3, "EX1", "EX2", &m), 1);
	ck_assert_uint_eq(m.n_changes, 1);
	ck_assert_str_eq(m.changes[0].attr, "msExchHomeServerName");
	dir_mod_clear(&m);
}
END_TEST

START_TEST(test_a_multivalued_attribute_is_replaced_whole)
{
	char *v[] = {(char *)SRV("EX1"), (char *)SRV("EX10")};
	struct dir_attr a = {"msExchAddressListServiceLink", 2, v};
	struct dir_entry e = {"CN=RUS,DC=x", 1, &a};
	struct plan_rule rule = {"msExchAddressListServiceLink", PLAN_DN};
	struct dir_mod m;

	ck_assert_int_eq(plan_rewrite(&e, &rule, 1, "EX1", "EX2", &m), 1);
	ck_assert_uint_eq(m.changes[0].n, 2);
	ck_assert_str_eq(m.changes[0].values[0], SRV("EX2"));
	ck_assert_str_eq(m.changes[0].values[1], SRV("EX10"));
	dir_mod_clear(&m);
}
END_TEST

START_TEST(test_the_store_of_the_server_taking_over_is_patched_once)
{
	char *t[] = {(char *)"TRUE"};
	struct dir_attr patched = {"msExchPatchMDB", 1, t};
	struct dir_entry mine = {MDB("EX2"), 0, NULL}, other = {MDB("EX1"), 0, NULL};
	struct dir_entry done = {MDB("EX2"), 1, &patched};
	struct dir_mod m;

	ck_assert_int_eq(plan_store(&other, "EX2", &m), 0);
	ck_assert_int_eq(plan_store(&done, "EX2", &m), 0);
	ck_assert_int_eq(plan_store(&mine, "EX2", &m), 1);
	ck_assert_str_eq(m.changes[0].attr, "msExchPatchMDB");
	ck_assert_str_eq(m.changes[0].values[0], "TRUE");
	dir_mod_clear(&m);
}
END_TEST

#define C1 "CN=EX1,CN=Computers,DC=x"
#define C2 "CN=EX2,CN=Computers,DC=x"

START_TEST(test_the_primarys_spns_move_and_others_stay)
{
	char *v1[] = {(char *)"HOST/EX1", (char *)"HOST/ex1.x", (char *)"ldap/EX1",
		      (char *)"exchangeMDB/EX1", (char *)"HOST/EX10"};
	char *v2[] = {(char *)"HOST/EX2"};
	struct dir_attr a1 = {"servicePrincipalName", 5, v1}, a2 = {"servicePrincipalName", 1, v2};
	struct dir_entry src = {C1, 1, &a1}, dst = {C2, 1, &a2};
	struct dir_mod ms, md;

	ck_assert_int_eq(plan_spn(&src, &dst, "EX1", "ex1.x", &ms, &md), 3);
	ck_assert_str_eq(ms.dn, C1);
	ck_assert_int_eq(ms.changes[0].op, DIR_DELETE);
	ck_assert_uint_eq(ms.changes[0].n, 3);
	ck_assert_str_eq(md.dn, C2);
	ck_assert_int_eq(md.changes[0].op, DIR_ADD);
	ck_assert_uint_eq(md.changes[0].n, 3);
	ck_assert_str_eq(md.changes[0].values[2], "exchangeMDB/EX1");
	dir_mod_clear(&ms);
	dir_mod_clear(&md);
}
END_TEST

START_TEST(test_spns_already_moved_need_nothing)
{
	char *v2[] = {(char *)"HOST/EX2", (char *)"HOST/EX1"};
	struct dir_attr a2 = {"servicePrincipalName", 2, v2};
	struct dir_entry src = {C1, 0, NULL}, dst = {C2, 1, &a2};
	struct dir_mod ms, md;

	ck_assert_int_eq(plan_spn(&src, &dst, "EX1", "ex1.x", &ms, &md), 0);
}
END_TEST

START_TEST(test_spns_lost_between_the_two_modifies_come_back_canonical)
{
	struct dir_entry src = {C1, 0, NULL}, dst = {C2, 0, NULL};
	struct dir_mod ms, md;

	ck_assert_int_eq(plan_spn(&src, &dst, "EX1", "ex1.x", &ms, &md), 2);
	ck_assert_uint_eq(md.changes[0].n, 6);
	ck_assert_str_eq(md.changes[0].values[0], "HOST/EX1");
	ck_assert_str_eq(md.changes[0].values[1], "HOST/ex1.x");
	dir_mod_clear(&md);
	ck_assert_int_eq(plan_spn(&src, NULL, "EX1", NULL, &ms, &md), -EINVAL);
}
END_TEST

START_TEST(test_ldif_records_are_what_ldapmodify_reads)
{
	char *v[] = {(char *)"CN=EX2,DC=x", (char *)" lead"};
	struct dir_mod m = {(char *)"CN=u1,DC=x", 1, {{DIR_REPLACE, "homeMTA", 2, v}}};
	char buf[512] = "";
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ldif_write_mod(f, &m), 0);
	fclose(f);
	ck_assert_str_eq(buf, "dn: CN=u1,DC=x\nchangetype: modify\nreplace: homeMTA\n"
			      "homeMTA: CN=EX2,DC=x\nhomeMTA:: IGxlYWQ=\n-\n\n");
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("adfix_plan");

	ADD_CASE(s, test_a_user_on_the_old_server_gets_one_modify_with_three_replaces, 5);
	ADD_CASE(s, test_a_user_already_moved_needs_nothing, 5);
	ADD_CASE(s, test_a_user_on_ex10_is_left_alone_when_ex1_moves, 5);
	ADD_CASE(s, test_only_the_attributes_that_change_are_in_the_modify, 5);
	ADD_CASE(s, test_a_multivalued_attribute_is_replaced_whole, 5);
	ADD_CASE(s, test_the_store_of_the_server_taking_over_is_patched_once, 5);
	ADD_CASE(s, test_the_primarys_spns_move_and_others_stay, 5);
	ADD_CASE(s, test_spns_already_moved_need_nothing, 5);
	ADD_CASE(s, test_spns_lost_between_the_two_modifies_come_back_canonical, 5);
	ADD_CASE(s, test_ldif_records_are_what_ldapmodify_reads, 5);
	return s;
}

int main(void)
{
	return check_run(plan_suite());
}
