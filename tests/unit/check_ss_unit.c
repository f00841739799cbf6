/*
 * service-set's reading of systemd's answers: which unit states run or
 * failed, which load state means not installed, and which manager errors
 * are answers (a unit systemd does not know) rather than failures.
 */
#include <errno.h>

#include "check_common.h"
#include "unit.h"

#define NO_SUCH UNIT_ERROR_NO_SUCH_UNIT
#define MASKED	"org.freedesktop.systemd1.UnitMasked"
#define DENIED	"org.freedesktop.DBus.Error.AccessDenied"

START_TEST(test_only_active_and_reloading_units_run)
{
	const char *down[] = {"inactive",    "failed", "activating", "deactivating",
			      "maintenance", "Active", "active ",    "",
			      NULL};

	ck_assert(unit_state_running("active"));
	ck_assert(unit_state_running("reloading"));
	for (size_t i = 0; i < sizeof(down) / sizeof(down[0]); i++)
		ck_assert(!unit_state_running(down[i]));
}
END_TEST

START_TEST(test_only_the_failed_state_counts_as_failed)
{
	const char *not_failed[] = {"inactive", "active",  "activating", "deactivating",
				    "Failed",	"failed ", "",		 NULL};

	ck_assert(unit_state_failed("failed"));
	for (size_t i = 0; i < sizeof(not_failed) / sizeof(not_failed[0]); i++)
		ck_assert(!unit_state_failed(not_failed[i]));
}
END_TEST

START_TEST(test_only_a_unit_without_a_file_is_not_installed)
{
	const char *there[] = {"loaded", "masked", "bad-setting", "error", "merged", "stub"};

	ck_assert_int_eq(unit_load_state_check("not-found"), -ENOPKG);
	for (size_t i = 0; i < sizeof(there) / sizeof(there[0]); i++)
		ck_assert_int_eq(unit_load_state_check(there[i]), 0);
	ck_assert_int_eq(unit_load_state_check(NULL), -EINVAL);
}
END_TEST

START_TEST(test_a_start_of_a_unit_systemd_does_not_know_means_not_installed)
{
	ck_assert_int_eq(unit_call_result("StartUnit", NO_SUCH, -ENOENT), -ENOPKG);
	ck_assert_int_eq(unit_call_result("StartUnit", NO_SUCH, -EIO), -ENOPKG);
}
END_TEST

START_TEST(test_a_stop_of_a_unit_systemd_does_not_know_is_done)
{
	ck_assert_int_eq(unit_call_result("StopUnit", NO_SUCH, -ENOENT), 0);
}
END_TEST

START_TEST(test_a_reset_of_a_unit_systemd_has_not_loaded_has_nothing_to_forget)
{
	ck_assert_int_eq(unit_call_result("ResetFailedUnit", NO_SUCH, -ENOENT), 0);
	ck_assert_int_eq(unit_call_result("ResetFailedUnit", DENIED, -EACCES), -EACCES);
}
END_TEST

START_TEST(test_other_answers_stay_the_failure_sd_bus_reported)
{
	ck_assert_int_eq(unit_call_result("StartUnit", MASKED, -ESHUTDOWN), -ESHUTDOWN);
	ck_assert_int_eq(unit_call_result("StartUnit", NO_SUCH "X", -ENOENT), -ENOENT);
	ck_assert_int_eq(unit_call_result("StartUnit", NULL, -ETIMEDOUT), -ETIMEDOUT);
	ck_assert_int_eq(unit_call_result("StopUnit", DENIED, -EACCES), -EACCES);
	/* Only the methods named: a kill of an unknown unit is no success. */
	ck_assert_int_eq(unit_call_result("KillUnit", NO_SUCH, -ENOENT), -ENOENT);
	ck_assert_int_eq(unit_call_result("startunit", NO_SUCH, -ENOENT), -ENOENT);
}
END_TEST

START_TEST(test_a_call_that_did_not_fail_is_left_alone)
{
	ck_assert_int_eq(unit_call_result("StartUnit", NO_SUCH, 0), 0);
	ck_assert_int_eq(unit_call_result("StartUnit", NULL, 1), 1);
	ck_assert_int_eq(unit_call_result(NULL, NO_SUCH, -ENOENT), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("service-set systemd answers");

	ADD_CASE(s, test_only_active_and_reloading_units_run, 5);
	ADD_CASE(s, test_only_the_failed_state_counts_as_failed, 5);
	ADD_CASE(s, test_only_a_unit_without_a_file_is_not_installed, 5);
	ADD_CASE(s, test_a_start_of_a_unit_systemd_does_not_know_means_not_installed, 5);
	ADD_CASE(s, test_a_stop_of_a_unit_systemd_does_not_know_is_done, 5);
	ADD_CASE(s, test_a_reset_of_a_unit_systemd_has_not_loaded_has_nothing_to_forget, 5);
	ADD_CASE(s, test_other_answers_stay_the_failure_sd_bus_reported, 5);
	ADD_CASE(s, test_a_call_that_did_not_fail_is_left_alone, 5);
	return check_run(s);
}
