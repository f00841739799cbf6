/*
 * What systemd's answers about a unit mean to service-set, kept apart from
 * the bus so that unit tests reach them. They are read as Pacemaker reads
 * them for its own systemd: resources: a unit systemd does not know cannot
 * start on this node (it is not installed here, not a failure worth a
 * retry), and it is stopped. Pure.
 */
#pragma once

#include <stdbool.h>

/* The manager's error for a unit it does not know ("not found", "not loaded"). */
#define UNIT_ERROR_NO_SUCH_UNIT "org.freedesktop.systemd1.NoSuchUnit"

/* ActiveState "active" or "reloading": the unit runs. */
bool unit_state_running(const char *active_state);

/* ActiveState "failed": systemd holds a failure against it (a start may be refused for it). */
bool unit_state_failed(const char *active_state);

/*
 * Whether the unit's LoadState means it is installed on this node: -ENOPKG
 * for "not-found" (no unit file here), 0 for any other (loaded, masked, a
 * bad setting: there, if not startable), -EINVAL for NULL.
 */
int unit_load_state_check(const char *load_state);

/*
 * What a failed manager method on a unit comes to: systemd answered with
 * the D-Bus error error_name (NULL: no answer, a local failure) and sd-bus
 * returned r (< 0). No such unit is -ENOPKG for StartUnit (not installed on
 * this node), 0 for StopUnit (an unknown unit is stopped) and for
 * ResetFailedUnit (an unloaded unit has no failure to forget); anything
 * else is r. -EINVAL without a method.
 */
int unit_call_result(const char *method, const char *error_name, int r);
