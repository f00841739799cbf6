/*
 * systemd over D-Bus (sd-bus): StartUnit/StopUnit with "replace", each job
 * waited for through the manager's JobRemoved signal (subscribed before the
 * call, so the answer cannot slip past), status from the unit's ActiveState
 * property, ARMKILL as KillUnit(SIGKILL) on the unit's whole cgroup.
 * ResetFailedUnit before each start: a unit that failed, or hit its start
 * rate limit (start-limit-hit), would otherwise be refused, and recovery is
 * the cluster's, not systemd's. A unit systemd does not know (NoSuchUnit)
 * cannot start here: -ENOPKG, so the cluster keeps the set off this node;
 * a stop finds it stopped, validate-all its LoadState "not-found". Nothing
 * is forked.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "backend.h"
#include "unit.h"

#define DEST	"org.freedesktop.systemd1"
#define PATH	"/org/freedesktop/systemd1"
#define MANAGER "org.freedesktop.systemd1.Manager"
#define UNIT	"org.freedesktop.systemd1.Unit"
#define SERVICE "org.freedesktop.systemd1.Service"

struct job_wait {
	const char *path; /* the job we wait for */
	char result[32];  /* its JobRemoved result ("done", "failed", ...) */
	bool done;
};

static void busp(sd_bus **bus)
{
	sd_bus_flush_close_unref(*bus);
}

/*
 * Every method call on the connection answers within what is left of the
 * action (sd-bus's own default is 25 s, whatever the action's timeout).
 */
static void bound_calls(struct backend_ctx *b, sd_bus *bus)
{
	uint64_t ms = deadline_remaining_ms(b->deadline);

	(void)sd_bus_set_method_call_timeout(bus, (ms ? ms : 1) * 1000);
}

static int bus_get(struct backend_ctx *b, sd_bus **ret, struct error *err)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus *bus = NULL;
	int r;

	if (b->bus) {
		bound_calls(b, b->bus);
		*ret = b->bus;
		return 0;
	}
	r = sd_bus_open_system(&bus);
	if (r < 0)
		return error_set(err, -r, "cannot connect to systemd over D-Bus: %s", strerror(-r));
	bound_calls(b, bus);
	/* Once per connection: a second Subscribe is refused ("already subscribed"). */
	r = sd_bus_call_method(bus, DEST, PATH, MANAGER, "Subscribe", &e, NULL, NULL);
	if (r < 0) {
		error_set(err, -r, "cannot subscribe to systemd's job signals: %s",
			  e.message ? e.message : strerror(-r));
		busp(&bus);
		return r;
	}
	b->bus = bus;
	*ret = bus;
	return 0;
}

static int on_job_removed(sd_bus_message *m, void *userdata, _unused_ sd_bus_error *e)
{
	struct job_wait *w = userdata;
	const char *path, *unit, *result;
	uint32_t id;

	if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0 || !w->path ||
	    strcmp(path, w->path) != 0)
		return 0;
	snprintf(w->result, sizeof(w->result), "%s", result);
	w->done = true;
	return 0;
}

static int job_wait(sd_bus *bus, struct job_wait *w, deadline_t deadline)
{
	while (!w->done) {
		int r = sd_bus_process(bus, NULL);

		if (r < 0)
			return r;
		if (r > 0)
			continue;
		if (deadline_expired(deadline))
			return -ETIME;
		r = sd_bus_wait(bus, deadline_remaining_ms(deadline) * 1000);
		if (r < 0 && r != -EINTR)
			return r;
	}
	return 0;
}

/*
 * method(unit, "replace") and wait for its job; -EIO when the job did not end
 * "done". No such unit: -ENOPKG for StartUnit, done for StopUnit.
 */
static int unit_job(struct backend_ctx *b, const char *method, const char *unit,
		    deadline_t deadline, struct error *err)
{
	_cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	struct job_wait w = {0};
	sd_bus *bus;
	int r = bus_get(b, &bus, err);

	if (r < 0)
		return r;
	r = sd_bus_match_signal(bus, &slot, DEST, PATH, MANAGER, "JobRemoved", on_job_removed, &w);
	if (r >= 0) {
		r = sd_bus_call_method(bus, DEST, PATH, MANAGER, method, &e, &reply, "ss", unit,
				       "replace");
		if (r < 0 && (r = unit_call_result(method, e.name, r)) == 0)
			return 0; /* StopUnit of a unit systemd does not know: it is stopped */
	}
	if (r >= 0)
		r = sd_bus_message_read(reply, "o", &w.path);
	if (r < 0)
		return error_set(err, -r, "%s '%s': %s", method, unit,
				 e.message ? e.message : strerror(-r));
	r = job_wait(bus, &w, deadline);
	if (r < 0)
		return error_set(err, -r, "%s '%s': %s", method, unit,
				 r == -ETIME ? "the job did not finish in time" : strerror(-r));
	if (strcmp(w.result, "done") != 0)
		return error_set(err, EIO, "%s '%s': the job ended '%s'", method, unit, w.result);
	return 0;
}

/* A string property of the unit (its object path loads the unit if need be). */
static int unit_property(struct backend_ctx *b, const char *unit, const char *iface,
			 const char *name, char **ret, struct error *err)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *path = NULL;
	sd_bus *bus;
	int r = bus_get(b, &bus, err);

	if (r < 0)
		return r;
	r = sd_bus_path_encode(PATH "/unit", unit, &path);
	if (r >= 0)
		r = sd_bus_get_property_string(bus, DEST, path, iface, name, &e, ret);
	if (r < 0)
		return error_set(err, -r, "cannot read the %s of '%s': %s", name, unit,
				 e.message ? e.message : strerror(-r));
	return 0;
}

static int systemd_status(struct backend_ctx *b, const struct ss_service *s,
			  _unused_ deadline_t deadline, struct error *err)
{
	_cleanup_free_ char *state = NULL;
	char unit[SERVICE_NAME_MAX + 16];
	int r = service_unit_name(s->name, unit, sizeof(unit));

	if (r < 0)
		return r;
	r = unit_property(b, unit, UNIT, "ActiveState", &state, err);
	if (r < 0)
		return r;
	return unit_state_running(state);
}

/* ResetFailedUnit forgets both the failed state and the starts the rate limit counted. */
static int systemd_reset_failed(struct backend_ctx *b, const struct ss_service *s,
				struct error *err)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *state = NULL, *result = NULL;
	char unit[SERVICE_NAME_MAX + 16];
	bool failed;
	sd_bus *bus;
	int r = service_unit_name(s->name, unit, sizeof(unit));

	if (r < 0 || (r = unit_property(b, unit, UNIT, "ActiveState", &state, err)) < 0)
		return r;
	failed = unit_state_failed(state);
	if (failed)
		(void)unit_property(b, unit, SERVICE, "Result", &result, NULL);
	r = bus_get(b, &bus, err);
	if (r < 0)
		return r;
	r = sd_bus_call_method(bus, DEST, PATH, MANAGER, "ResetFailedUnit", &e, NULL, "s", unit);
	if (r < 0 && (r = unit_call_result("ResetFailedUnit", e.name, r)) < 0)
		return error_set(err, -r, "ResetFailedUnit '%s': %s", unit,
				 e.message ? e.message : strerror(-r));
	if (!failed)
		return 0;
	error_set(err, 0, "in failed state (result '%s')", result ? result : "unknown");
	return 1;
}

static int systemd_start(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
			 struct error *err)
{
	char unit[SERVICE_NAME_MAX + 16];
	int r = service_unit_name(s->name, unit, sizeof(unit));

	if (r < 0)
		return r;
	r = unit_job(b, "StartUnit", unit, deadline, err);
	if (r < 0)
		return r;
	r = systemd_status(b, s, deadline, err);
	if (r == 0)
		return error_set(err, EIO, "'%s' is not active after its start job", unit);
	return r < 0 ? r : 0;
}

static int systemd_stop(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
			struct error *err)
{
	char unit[SERVICE_NAME_MAX + 16];
	int r = service_unit_name(s->name, unit, sizeof(unit));

	if (r < 0)
		return r;
	return unit_job(b, "StopUnit", unit, deadline, err);
}

/* The unit's whole cgroup, then a stop job so the unit is inactive, not failed-active. */
static int systemd_kill(struct backend_ctx *b, const struct ss_service *s, deadline_t deadline,
			struct error *err)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	char unit[SERVICE_NAME_MAX + 16];
	sd_bus *bus;
	int r = service_unit_name(s->name, unit, sizeof(unit));

	if (r < 0 || (r = systemd_status(b, s, deadline, err)) <= 0)
		return r;
	r = bus_get(b, &bus, err);
	if (r < 0)
		return r;
	r = sd_bus_call_method(bus, DEST, PATH, MANAGER, "KillUnit", &e, NULL, "ssi", unit, "all",
			       SIGKILL);
	if (r < 0)
		return error_set(err, -r, "KillUnit '%s': %s", unit,
				 e.message ? e.message : strerror(-r));
	r = unit_job(b, "StopUnit", unit, deadline, err);
	return r < 0 ? r : 1;
}

/* LoadState: the object path loads the unit, so one without a unit file reads "not-found". */
static int systemd_installed(struct backend_ctx *b, const struct ss_service *s, struct error *err)
{
	_cleanup_free_ char *state = NULL;
	char unit[SERVICE_NAME_MAX + 16];
	int r = service_unit_name(s->name, unit, sizeof(unit));

	if (r < 0 || (r = unit_property(b, unit, UNIT, "LoadState", &state, err)) < 0)
		return r;
	r = unit_load_state_check(state);
	if (r < 0)
		return error_set(err, -r, "systemd has no unit '%s' on this node (LoadState '%s')",
				 unit, state);
	return 0;
}

static void systemd_close(struct backend_ctx *b)
{
	sd_bus *bus = b->bus;

	b->bus = NULL;
	busp(&bus);
}

/*
 * The watcher's view of a unit: a connection of its own per member, so that
 * its descriptor wakes the watcher for that unit only, with a match on the
 * unit's PropertiesChanged (added before ActiveState is read, so a death in
 * between is not missed). Each wake-up reads ActiveState again rather than
 * trusting the signal's contents (systemd sends only what changed).
 */
#define WATCH_CALL_MS 10000 /* one property read: the watcher has no action's budget */

static int on_changed(_unused_ sd_bus_message *m, _unused_ void *userdata, _unused_ sd_bus_error *e)
{
	return 0;
}

static int watch_state(sd_bus *bus, const char *unit, bool *ret_running)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *path = NULL, *state = NULL;
	int r = sd_bus_path_encode(PATH "/unit", unit, &path);

	if (r >= 0)
		r = sd_bus_get_property_string(bus, DEST, path, UNIT, "ActiveState", &e, &state);
	if (r < 0)
		return r;
	*ret_running = unit_state_running(state);
	return 0;
}

static void systemd_watch_close(struct backend_watch *w)
{
	sd_bus *bus = w->bus;

	w->slot = sd_bus_slot_unref(w->slot);
	w->bus = NULL;
	w->fd = -1;
	busp(&bus);
}

static int systemd_watch(_unused_ struct backend_ctx *b, const struct ss_service *s,
			 struct backend_watch *w, struct error *err)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *path = NULL;
	sd_bus *bus = NULL;
	bool running = false;
	int r = service_unit_name(s->name, w->unit, sizeof(w->unit));

	if (r < 0)
		return error_set(err, -r, "'%s' is not a unit name", s->name);
	r = sd_bus_open_system(&bus);
	if (r < 0)
		return error_set(err, -r, "cannot connect to systemd over D-Bus: %s", strerror(-r));
	w->bus = bus;
	(void)sd_bus_set_method_call_timeout(bus, WATCH_CALL_MS * 1000);
	/* Without a subscriber systemd may not send the unit's signals at all. */
	r = sd_bus_call_method(bus, DEST, PATH, MANAGER, "Subscribe", &e, NULL, NULL);
	if (r >= 0)
		r = sd_bus_path_encode(PATH "/unit", w->unit, &path);
	if (r >= 0)
		r = sd_bus_match_signal(bus, (sd_bus_slot **)&w->slot, DEST, path,
					"org.freedesktop.DBus.Properties", "PropertiesChanged",
					on_changed, NULL);
	if (r >= 0)
		r = watch_state(bus, w->unit, &running);
	if (r >= 0)
		r = sd_bus_get_fd(bus);
	if (r < 0 || !running) {
		systemd_watch_close(w);
		return r < 0 ? error_set(err, -r, "cannot watch '%s': %s", w->unit,
					 e.message ? e.message : strerror(-r))
			     : 0;
	}
	w->fd = r;
	return 1;
}

static int systemd_watch_event(struct backend_watch *w)
{
	bool running = false;
	int r;

	while ((r = sd_bus_process(w->bus, NULL)) > 0)
		;
	if (r < 0 || watch_state(w->bus, w->unit, &running) < 0)
		return 1; /* the bus is gone: the caller checks and watches anew */
	return !running;
}

const struct backend backend_systemd = {
	.name = "systemd",
	.start = systemd_start,
	.reset_failed = systemd_reset_failed,
	.stop = systemd_stop,
	.kill = systemd_kill,
	.status = systemd_status,
	.installed = systemd_installed,
	.close = systemd_close,
	.watch = systemd_watch,
	.watch_event = systemd_watch_event,
	.watch_close = systemd_watch_close,
};
