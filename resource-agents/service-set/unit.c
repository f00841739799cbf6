/*
 * systemd's answers about a unit, by exact name: a state or error that is
 * not listed here means what it says (running: no; a failed call: the
 * failure sd-bus reported).
 */
#include "unit.h"

#include <errno.h>
#include <string.h>

static bool streq_ptr(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool unit_state_running(const char *active_state)
{
	return streq_ptr(active_state, "active") || streq_ptr(active_state, "reloading");
}

bool unit_state_failed(const char *active_state)
{
	return streq_ptr(active_state, "failed");
}

int unit_load_state_check(const char *load_state)
{
	if (!load_state)
		return -EINVAL;
	return strcmp(load_state, "not-found") == 0 ? -ENOPKG : 0;
}

int unit_call_result(const char *method, const char *error_name, int r)
{
	if (!method)
		return -EINVAL;
	if (r >= 0 || !streq_ptr(error_name, UNIT_ERROR_NO_SUCH_UNIT))
		return r;
	if (strcmp(method, "StartUnit") == 0)
		return -ENOPKG;
	if (strcmp(method, "StopUnit") == 0 || strcmp(method, "ResetFailedUnit") == 0)
		return 0;
	return r;
}
