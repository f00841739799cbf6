/*
 * ocf:exha:switching-disk actions: start = lease, fsck, mount, verify;
 * stop = unmount (scanning /proc for holders only when busy), keeper,
 * lease; monitor = mountinfo and the keeper's notes (level 0, no fork,
 * no disk I/O), a direct read (10), a file written and read back (20).
 * Each action maps the modules' -errno answers to one OCF code and one
 * log line; the modules never log.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "agent_alert.h"
#include "deepcheck.h"
#include "devstack.h"
#include "disk.h"
#include "exec.h"
#include "fenceproof.h"
#include "fsck.h"
#include "fskernel.h"
#include "holders.h"
#include "keeper.h"
#include "leasedev.h"
#include "leaseio.h"
#include "leasetime.h"
#include "log.h"
#include "nsmount.h"
#include "sd.h"
#include "selffence.h"
#include "state.h"
#include "watchdog.h"

struct target {
	char *path; /* the resolved device */
	dev_t rdev;
};

static void target_done(struct target *t)
{
	free(t->path);
	t->path = NULL;
}

static enum ocf_exitcode resolve(struct agent_ctx *ctx, const char *param, const char *spec,
				 struct target *t)
{
	int r = disk_resolve(spec, &t->path, &t->rdev);

	if (r == -ENOENT)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
				  "%s '%s' does not exist on this node", param, spec);
	if (r == -ENOTBLK)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "invalid %s='%s': not a block device", param, spec);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot resolve %s '%s': %s", param, spec,
				  strerror(-r));
	return PCMK_OCF_OK;
}

static uint32_t lease_timeout_ms(const struct sd_config *c)
{
	return (uint32_t)(c->lease_timeout_s * 1000u);
}

/* ------------------------------------------------------------------ lease */

static enum ocf_exitcode lease_refused(struct agent_ctx *ctx, int r, const struct lease_rec *seen)
{
	const struct sd_config *c = ctx->config;
	uint64_t now = leaseio_realtime_ms();

	switch (r) {
	case -EBUSY:
		/* Our own name: another keeper of this node renews it (another resource
		 * on the same lease_device, or a keeper this instance lost track of). */
		if (strcmp(seen->owner, ctx->node) == 0)
			return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
					  "the lease on '%s' is renewed by another keeper on this "
					  "node (another resource using lease_device '%s'?): not "
					  "mounting '%s'",
					  c->lease_device, c->lease_device, c->device);
		/* renewed_ms is the holder's clock: say so when it runs ahead of ours. */
		if (seen->renewed_ms > now)
			return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
					  "the lease on '%s' is held by node '%s' (its clock is "
					  "%llu ms ahead of this node's): not mounting '%s'",
					  c->lease_device, seen->owner,
					  (unsigned long long)(seen->renewed_ms - now), c->device);
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease on '%s' is held by node '%s' (renewed %llu ms ago): "
				  "not mounting '%s'",
				  c->lease_device, seen->owner,
				  (unsigned long long)(now - seen->renewed_ms), c->device);
	case -EBADMSG:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease record on '%s' is corrupt: refusing to take it over "
				  "(clear it by hand once no node uses '%s')",
				  c->lease_device, c->device);
	case -EPROTONOSUPPORT:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease record on '%s' has a newer format than this agent "
				  "knows: refusing to take it over",
				  c->lease_device);
	case -ETIME:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease on '%s' of node '%s' looks stale, but confirming that "
				  "takes lease_timeout (%llu s): the start timeout is too short",
				  c->lease_device, seen->owner,
				  (unsigned long long)c->lease_timeout_s);
	default:
		return agent_fail(ctx, ocf_from_errno(r), "cannot take the lease on '%s': %s",
				  c->lease_device, strerror(-r));
	}
}

/* leasedev_open's refusals: the device is not one this resource may use. */
static enum ocf_exitcode lease_open_refused(struct agent_ctx *ctx, int r,
					    const struct leasedev_info *info)
{
	const struct sd_config *c = ctx->config;

	switch (r) {
	case -EMEDIUMTYPE:
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "lease_device '%s' is not formatted for leases (%s): nothing was "
				  "written to it; format it once with 'exha-lease init %s'",
				  c->lease_device,
				  info->kind == LEASEAREA_ZERO ? "it is blank"
							       : "it holds other data",
				  c->lease_device);
	case -ERANGE:
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "invalid lease_slot=%llu: lease_device '%s' has %u slot(s)%s",
				  (unsigned long long)c->lease_slot, c->lease_device, info->slots,
				  info->kind == LEASEAREA_V1 ? " (version 1: reformat it with "
							       "'exha-lease init --force' for more)"
							     : "");
	case -EADDRINUSE:
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "slot %llu of lease_device '%s' belongs to resource '%s': give "
				  "each resource its own lease_slot (or 'exha-lease clear --slot "
				  "%llu %s' once '%s' no longer exists)",
				  (unsigned long long)c->lease_slot, c->lease_device,
				  info->resource, (unsigned long long)c->lease_slot,
				  c->lease_device, info->resource);
	case -ENOSPC:
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "lease_device '%s' is shorter than the lease area its header "
				  "describes (%u slots)",
				  c->lease_device, info->slots);
	case -EINVAL:
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "the resource name '%s' cannot name a lease slot (1 to %u bytes, "
				  "no control characters)",
				  ctx->instance, LEASEAREA_RESOURCE_MAX);
	case -EBADMSG:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease %s on '%s' is damaged: refusing to use it (see "
				  "'exha-lease show %s')",
				  info->kind == LEASEAREA_V2 ? "slot record"
							     : "area header (or version 1 record)",
				  c->lease_device, c->lease_device);
	case -EPROTONOSUPPORT:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "lease_device '%s' has a newer format than this agent knows: "
				  "refusing to use it",
				  c->lease_device);
	default:
		return agent_fail(ctx, ocf_from_errno(r), "cannot open lease_device '%s': %s",
				  c->lease_device, strerror(-r));
	}
}

static enum ocf_exitcode lease_open(struct agent_ctx *ctx, struct leaseio *ret)
{
	const struct sd_config *c = ctx->config;
	struct target t = {0};
	struct leasedev_info info;
	enum ocf_exitcode rc = resolve(ctx, "lease_device", c->lease_device, &t);
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	r = leasedev_open(t.path, (uint32_t)c->lease_slot, ctx->instance, ret, &info);
	target_done(&t);
	if (r < 0)
		return lease_open_refused(ctx, r, &info);
	return PCMK_OCF_OK;
}

/* Runs in the keeper when it fences: the action's deadline is long gone, so a fresh one. */
static void keeper_alert(void *arg, const char *why)
{
	struct agent_ctx *ctx = arg;
	const struct sd_config *c = ctx->config;

	ctx->deadline = deadline_in_ms(2000);
	(void)agent_alert(ctx, ALERT_CRITICAL, "lease on '%s' lost, '%s' fenced off: %s",
			  c->lease_device, c->directory, why);
}

/*
 * The watchdog the keeper arms: watchdog=none, a path, or by default
 * /dev/watchdog when it exists and is free (a node whose watchdog another
 * daemon such as sbd holds runs without, with a warning). -1 in ret_fd for
 * none.
 */
static enum ocf_exitcode watchdog_open(struct agent_ctx *ctx, int *ret_fd)
{
	const struct sd_config *c = ctx->config;
	bool by_default = !c->watchdog;
	const char *path = by_default ? "/dev/watchdog" : c->watchdog;
	struct leasetime lt;
	unsigned secs;
	int r;

	*ret_fd = -1;
	if ((!by_default && strcmp(path, "none") == 0) ||
	    (by_default && access(path, F_OK) < 0 && errno == ENOENT))
		return PCMK_OCF_OK;
	if (leasetime_init(lease_timeout_ms(c), &lt) < 0 || leasetime_watchdog_s(&lt, &secs) < 0)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "lease_timeout=%llu is too short for a watchdog of whole "
				  "seconds: raise it or set watchdog=none",
				  (unsigned long long)c->lease_timeout_s);
	r = watchdog_arm(path, secs, ret_fd);
	if (r == -EBUSY && by_default) {
		log_warning("'%s' is held by another program: the lease runs without a watchdog",
			    path);
		return PCMK_OCF_OK;
	}
	if (r == -ENOENT)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED, "watchdog '%s' does not exist",
				  path);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot arm the watchdog '%s' (%u s): %s",
				  path, secs,
				  r == -ENOTTY	 ? "not a watchdog device"
				  : r == -ERANGE ? "the driver keeps a longer timeout"
				  : r == -EINVAL ? "the driver refuses that timeout"
						 : strerror(-r));
	log_info("watchdog '%s' armed with %u s", path, secs);
	return PCMK_OCF_OK;
}

/*
 * The cluster's word on the holder of rec (fenceproof.h): run the query
 * program under a share of the deadline, at most FENCE_QUERY_MAX_MS (past
 * that the watch is cheaper). Any failure is a refusal, logged with why.
 */
#define FENCE_QUERY_MAX_MS 3000u

static const char *fence_query_path(void)
{
	const char *env = secure_getenv("EXHA_FENCE_QUERY"); /* tests: a stand-in */

	return env && env[0] == '/' ? env : EXHA_LIBEXECDIR "/switching-disk-fence-query";
}

/* The query's whole answer: its fence history of the node may be long. */
#define FENCE_QUERY_OUTPUT_MAX 32768u

static enum fenceproof_verdict fence_ask(struct agent_ctx *ctx, const struct lease_rec *rec,
					 struct fenceproof_evidence *ev, char *why, size_t size)
{
	char *argv[] = {(char *)fence_query_path(), (char *)rec->owner, NULL};
	deadline_t d = deadline_min(deadline_share(ctx->deadline, 20, 500),
				    deadline_in_ms(FENCE_QUERY_MAX_MS));
	_cleanup_free_ char *out = malloc(FENCE_QUERY_OUTPUT_MAX);
	struct spawn_result res;
	const char *err = NULL;
	int r = out ? spawn_run(argv, NULL, d, 100, out, FENCE_QUERY_OUTPUT_MAX, &res) : -ENOMEM;

	why[0] = '\0';
	if (r < 0)
		snprintf(why, size, "%s",
			 r == -ENOENT ? "the query program is not installed" : strerror(-r));
	else if (res.timed_out || !res.exited || res.truncated)
		snprintf(why, size, "%s",
			 res.timed_out	 ? "the cluster query timed out"
			 : res.truncated ? "the cluster's answer is too long"
					 : "the query died");
	else if ((r = fenceproof_parse(out, rec->owner, ev, &err)) == -EREMOTEIO)
		snprintf(why, size, "%.*s", (int)strcspn(err, "\n"), err); /* the query's words */
	else if (r < 0 || res.status != 0)
		snprintf(why, size, "the cluster's answer is malformed");
	return why[0] ? FENCEPROOF_NO_FENCE : fenceproof_decide(rec, ctx->node, ev);
}

/* HH:MM:SS of ms since the epoch, in UTC (Pacemaker's history shows the same). */
static void utc_hms(uint64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%H:%M:%S", &tm))
		snprintf(buf, size, "%llu", (unsigned long long)t);
}

/*
 * The record on the device when it is another node's held lease and the
 * cluster has proven that node dead (then *ret_fenced is the record to
 * take at once), false otherwise: the acquire watches as ever.
 */
static bool lease_proven_dead(struct agent_ctx *ctx, const struct leaseio *lio,
			      struct lease_rec *ret_fenced)
{
	_cleanup_free_ struct fenceproof_evidence *ev = calloc(1, sizeof(*ev));
	const struct sd_config *c = ctx->config;
	struct lease_rec rec;
	enum fenceproof_verdict v;
	char why[256], when[16];
	int rc;

	if (!ev || leaseio_read(lio, &rec, &rc) < 0 || rc != 0 || rec.state != LEASE_HELD ||
	    strcmp(rec.owner, ctx->node) == 0)
		return false;
	v = fence_ask(ctx, &rec, ev, why, sizeof(why));
	if (v != FENCEPROOF_DEAD) {
		log_notice("the lease on '%s' is held by node '%s' and the cluster does not prove "
			   "it dead (%s): watching it for %u s",
			   c->lease_device, rec.owner, why[0] ? why : fenceproof_verdict_str(v),
			   (unsigned)(leasetime_watch_ms(lease_timeout_ms(c), rec.timeout_ms) /
				      1000u));
		return false;
	}
	utc_hms(ev->fenced_ms, when, sizeof(when));
	log_notice("holder '%s' of the lease on '%s' was fenced (%s) at %s.%03u UTC and has not "
		   "been a member since: taking over at once " QB_XS " generation %llu",
		   rec.owner, c->lease_device, ev->fenced_action, when,
		   (unsigned)(ev->fenced_ms % 1000), (unsigned long long)rec.generation);
	*ret_fenced = rec;
	return true;
}

static const char *const stack_why[] = {
	[DEVSTACK_SAME] = "it is the device itself",
	[DEVSTACK_ON] = "it lies on the device (a partition of it, a device stacked on it, or a "
			"loop device over a file on it)",
	[DEVSTACK_UNDER] = "the device is built on it (a partition of it, or stacked on it)",
	[DEVSTACK_UNKNOWN] = "the devices are stacked too deep to tell them apart",
};

/*
 * The lease must live apart from the data: a lease on the device, on a
 * partition of it, or on anything stacked over or under it would be
 * written over the filesystem (or the filesystem over the lease).
 */
static enum ocf_exitcode lease_check_apart(struct agent_ctx *ctx, const struct target *data)
{
	const struct sd_config *c = ctx->config;
	_cleanup_free_ struct devstack *ls = malloc(sizeof(*ls));
	_cleanup_free_ struct devstack *ds = malloc(sizeof(*ds));
	struct target l = {0};
	enum ocf_exitcode rc = resolve(ctx, "lease_device", c->lease_device, &l);
	enum devstack_relation rel;
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	target_done(&l);
	if (!ls || !ds)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "out of memory");
	r = devstack_gather("/sys", l.rdev, true, ls);
	if (r >= 0)
		r = devstack_gather("/sys", data->rdev, false, ds);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot read the stacking of '%s': %s",
				  c->lease_device, strerror(-r));
	rel = devstack_relate(ls, ds);
	if (rel == DEVSTACK_APART)
		return PCMK_OCF_OK;
	return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
			  "invalid lease_device='%s' for device '%s': %s", c->lease_device,
			  c->device, stack_why[rel]);
}

/*
 * A record acquire could not decode. It passed leasedev_open's check a
 * moment before, so it is more likely a second resource configured with
 * this slot that took it meanwhile than damage: open it again to say which.
 */
static enum ocf_exitcode lease_refused_damaged(struct agent_ctx *ctx, const struct lease_rec *seen)
{
	_cleanup_(leaseio_close) struct leaseio again = LEASEIO_NULL;
	enum ocf_exitcode rc = lease_open(ctx, &again);

	return rc != PCMK_OCF_OK ? rc : lease_refused(ctx, -EBADMSG, seen);
}

static enum ocf_exitcode lease_take(struct agent_ctx *ctx, int statefd, const struct target *t)
{
	const struct sd_config *c = ctx->config;
	_cleanup_(leaseio_close) struct leaseio lio = LEASEIO_NULL;
	struct lease_rec mine, seen = {0}, fenced;
	struct keeper_opts ko = {.directory = c->directory,
				 .device = t->path,
				 .rdev = t->rdev,
				 .self_fence = c->self_fence == SELF_FENCE_SHUTDOWN,
				 .watchdog_fd = -1,
				 .alert = keeper_alert,
				 .alert_arg = ctx};
	enum ocf_exitcode rc = lease_open(ctx, &lio);
	uint64_t t0;
	bool proven;
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	proven = lease_proven_dead(ctx, &lio, &fenced);
	t0 = now_us();
	r = leaseio_acquire(&lio, ctx->node, lease_timeout_ms(c), ctx->deadline,
			    proven ? &fenced : NULL, &mine, &seen, &ko.written_us);
	/* Taken at once takes a collision window; anything else is the watch. */
	if (proven && (r < 0 || now_us() - t0 >= lease_timeout_ms(c) * 1000ull))
		log_notice("the lease record on '%s' changed since the fencing check (it was "
			   "generation %llu): not taken at once",
			   c->lease_device, (unsigned long long)fenced.generation);
	if (r < 0)
		return r == -EBADMSG ? lease_refused_damaged(ctx, &seen)
				     : lease_refused(ctx, r, &seen);
	rc = watchdog_open(ctx, &ko.watchdog_fd);
	if (rc != PCMK_OCF_OK) {
		(void)leaseio_release(&lio, ctx->node);
		return rc;
	}
	r = keeper_start(statefd, &lio, &mine, &ko);
	if (r < 0) {
		(void)leaseio_release(&lio, ctx->node);
		return agent_fail(ctx, ocf_from_errno(r), "cannot start the lease keeper: %s",
				  strerror(-r));
	}
	log_info("lease on '%s' taken at generation %llu", c->lease_device,
		 (unsigned long long)mine.generation);
	return PCMK_OCF_OK;
}

/* Keeper first, so no renewal follows the release. */
static int lease_give_back(struct agent_ctx *ctx, int statefd)
{
	const struct sd_config *c = ctx->config;
	_cleanup_(leaseio_close) struct leaseio lio = LEASEIO_NULL;
	struct target t = {0};
	struct leasedev_info info;
	int r = keeper_stop(statefd, deadline_share(ctx->deadline, 50, 1000));

	if (r < 0)
		return r;
	r = disk_resolve(c->lease_device, &t.path, &t.rdev);
	if (r >= 0)
		r = leasedev_open(t.path, (uint32_t)c->lease_slot, ctx->instance, &lio, &info);
	target_done(&t);
	/*
	 * Not a lease device, not this resource's slot, or a record no longer
	 * ours to judge: nothing of ours to give back, and never a write.
	 */
	if (r == -EMEDIUMTYPE || r == -ERANGE || r == -EADDRINUSE || r == -EINVAL || r == -ENOSPC ||
	    r == -EBADMSG || r == -EPROTONOSUPPORT)
		return 0;
	if (r >= 0)
		r = leaseio_release(&lio, ctx->node);
	return r;
}

/* -------------------------------------------------------------------- start */

/* A checker's output goes to the log line by line; the exit reason stays one line. */
static void log_tool_output(int level, const char *program, char *output)
{
	for (char *save, *line = strtok_r(output, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		qb_log(level, "%s: %s", program, line);
}

static enum ocf_exitcode check_fsck(struct agent_ctx *ctx, const char *dev, const char *fstype)
{
	const struct sd_config *c = ctx->config;
	_cleanup_free_ struct fsck_report *rep = calloc(1, sizeof(*rep));
	int r;

	if (!rep)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "out of memory");
	r = fsck_apply(dev, fstype, (enum fsck_policy)c->fsck, ctx->deadline, rep);
	if (r == -ENOENT)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
				  "no filesystem checker for %s is installed (fsck=%s)", fstype,
				  c->fsck == FSCK_ALWAYS ? "always" : "auto");
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "checking '%s' failed: %s", dev,
				  r == -ETIME ? "timed out" : strerror(-r));
	switch (rep->outcome) {
	case FSCK_REPAIRED:
		log_warning("'%s' was repaired by %s (exit %d)", dev, rep->program, rep->status);
		log_tool_output(LOG_INFO, rep->program, rep->output);
		break;
	case FSCK_LOG_REPLAY:
		log_notice("'%s' has a dirty xfs log: the mount replays it", dev);
		break;
	case FSCK_NOT_REPAIRED:
		log_tool_output(LOG_ERR, rep->program, rep->output);
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "%s found errors on '%s' it could not repair (exit %d): not "
				  "mounting (its output is in the log)",
				  rep->program, dev, rep->status);
	default:
		log_debug("'%s': fsck outcome %d", dev, rep->outcome);
	}
	return PCMK_OCF_OK;
}

static enum ocf_exitcode fstype_of(struct agent_ctx *ctx, const char *dev, char *buf, size_t size)
{
	const struct sd_config *c = ctx->config;
	int r;

	if (c->fstype)
		return snprintf(buf, size, "%s", c->fstype) < (int)size ? PCMK_OCF_OK
									: PCMK_OCF_NOT_CONFIGURED;
	r = disk_fstype(dev, buf, size);
	if (r == -ENOMEDIUM || r == -EUCLEAN)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "no filesystem type found on '%s'%s: set fstype", dev,
				  r == -EUCLEAN ? " (several signatures)" : "");
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot probe '%s': %s", dev,
				  strerror(-r));
	return PCMK_OCF_OK;
}

/* What validate-all checks, start checks again, with the same codes. */
static enum ocf_exitcode check_kernel_takes(struct agent_ctx *ctx, const char *fstype)
{
	const struct sd_config *c = ctx->config;
	char why[256];
	int r = fskernel_check(fstype, c->options, why, sizeof(why));

	if (r == -ENODEV)
		return agent_fail(ctx, PCMK_OCF_NOT_INSTALLED,
				  "this node's kernel knows no filesystem type '%s'", fstype);
	if (r == -EINVAL)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED, "invalid options='%s': %s",
				  c->options, why);
	if (r < 0)
		log_debug("cannot ask the kernel about %s options: %s", fstype, strerror(-r));
	return PCMK_OCF_OK;
}

static enum ocf_exitcode mount_it(struct agent_ctx *ctx, const struct target *t, const char *fstype)
{
	const struct sd_config *c = ctx->config;
	_cleanup_free_ struct mountinfo *m = malloc(sizeof(*m));
	int r;

	if (!m)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "out of memory");
	if (mkdir(c->directory, 0755) < 0 && errno != EEXIST)
		return agent_fail(ctx, ocf_from_errno(-errno), "cannot create '%s': %s",
				  c->directory, strerror(errno));
	r = disk_mount(t->path, c->directory, fstype, c->options);
	if (r < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot mount '%s' (%s) on '%s': %s",
				  t->path, fstype, c->directory, strerror(-r));
	r = disk_find_mount(c->directory, m);
	if (r <= 0 || !disk_mount_is(m, t->rdev))
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "'%s' is not mounted on '%s' after mounting it", t->path,
				  c->directory);
	return PCMK_OCF_OK;
}

/* What is at directory, and where the device is: 1 when already ours. */
static enum ocf_exitcode start_precheck(struct agent_ctx *ctx, const struct target *t,
					bool *ret_mounted)
{
	const struct sd_config *c = ctx->config;
	_cleanup_free_ struct mountinfo *m = malloc(sizeof(*m));
	int r;

	*ret_mounted = false;
	if (!m)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "out of memory");
	r = disk_find_mount(c->directory, m);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot read mountinfo: %s",
				  strerror(-r));
	if (r > 0 && disk_mount_is(m, t->rdev)) {
		*ret_mounted = true;
		return PCMK_OCF_OK;
	}
	/* Mounting over it would hide it, and stop would uncover it again: refuse. */
	if (r > 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "'%s' already holds %s from '%s': not mounting '%s' over it",
				  c->directory, m->fstype, m->source, t->path);
	r = disk_find_device(t->rdev, m);
	if (r > 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "'%s' is already mounted on '%s'",
				  t->path, m->target);
	return PCMK_OCF_OK;
}

/* The keeper may have fenced while fsck and mount ran: a start must not report a lost lease held.
 */
static enum ocf_exitcode lease_still_held(struct agent_ctx *ctx, int statefd)
{
	const struct sd_config *c = ctx->config;
	struct keeper_status ks;

	if (keeper_check(statefd, lease_timeout_ms(c), &ks) == 0 && ks.health == KEEPER_OK)
		return PCMK_OCF_OK;
	return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
			  "the lease on '%s' was lost while mounting%s%s", c->lease_device,
			  ks.health == KEEPER_FENCED ? ": " : "",
			  ks.health == KEEPER_FENCED ? ks.reason : "");
}

/*
 * Whether this agent can run fstype here, the same from validate-all and
 * start: a type this node's kernel does not know is this node's lack (5,
 * another node may have it); then what is wrong everywhere (6): no
 * shutdown ioctl to fence with, or btrfs, whose mounts carry an anonymous
 * device number, not the device's, so neither start's check nor stop could
 * tell its mount from another (a failed start would leave it mounted).
 */
static enum ocf_exitcode check_fstype(struct agent_ctx *ctx, const char *fstype, const char *path)
{
	const struct sd_config *c = ctx->config;
	enum ocf_exitcode rc = check_kernel_takes(ctx, fstype);

	if (rc != PCMK_OCF_OK)
		return rc;
	if (c->lease_device && c->self_fence == SELF_FENCE_SHUTDOWN && !selffence_supported(fstype))
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "%s has no shutdown ioctl to fence this node off '%s' when the "
				  "lease is lost: use ext4 or xfs, or set self_fence=none (the "
				  "risk is in the meta-data)",
				  fstype, path);
	if (strcmp(fstype, "btrfs") == 0)
		return agent_fail(ctx, PCMK_OCF_NOT_CONFIGURED,
				  "btrfs on '%s' is not supported: its mounts do not carry the "
				  "device's number, so this agent cannot find its own mount",
				  path);
	return PCMK_OCF_OK;
}

static enum ocf_exitcode start_steps(struct agent_ctx *ctx, int statefd, const struct target *t,
				     bool *ret_leased)
{
	const struct sd_config *c = ctx->config;
	char fstype[64];
	enum ocf_exitcode rc;

	if ((rc = fstype_of(ctx, t->path, fstype, sizeof(fstype))) != PCMK_OCF_OK)
		return rc;
	if ((rc = check_fstype(ctx, fstype, t->path)) != PCMK_OCF_OK)
		return rc;
	if (c->lease_device) {
		if ((rc = lease_take(ctx, statefd, t)) != PCMK_OCF_OK)
			return rc;
		*ret_leased = true;
	}
	if ((rc = check_fsck(ctx, t->path, fstype)) != PCMK_OCF_OK)
		return rc;
	rc = mount_it(ctx, t, fstype);
	if (rc == PCMK_OCF_OK && c->lease_device)
		rc = lease_still_held(ctx, statefd);
	if (rc == PCMK_OCF_OK)
		log_notice("'%s' (%s) is mounted on '%s'%s", t->path, fstype, c->directory,
			   c->lease_device ? ", lease held" : "");
	return rc;
}

static enum ocf_exitcode sd_start(struct agent_ctx *ctx)
{
	const struct sd_config *c = ctx->config;
	_cleanup_close_ int statefd = -1;
	struct target t = {0};
	struct keeper_status ks = {0};
	bool mounted, leased = false;
	enum ocf_exitcode rc;

	if ((rc = agent_state_open(ctx, &statefd)) != PCMK_OCF_OK ||
	    (rc = resolve(ctx, "device", c->device, &t)) != PCMK_OCF_OK)
		return rc;
	/* Refused before anything is taken: nothing to undo, whatever is mounted. */
	if (c->lease_device && (rc = lease_check_apart(ctx, &t)) != PCMK_OCF_OK) {
		target_done(&t);
		return rc;
	}
	rc = start_precheck(ctx, &t, &mounted);
	if (rc == PCMK_OCF_OK && mounted) {
		/* Already mounted: only a lease whose keeper is gone needs taking again. */
		if (c->lease_device && keeper_check(statefd, lease_timeout_ms(c), &ks) == 0 &&
		    ks.health == KEEPER_FENCED) {
			target_done(&t);
			return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
					  "'%s' is mounted but was fenced off (%s): stop it first",
					  c->directory, ks.reason);
		}
		if (c->lease_device && (keeper_check(statefd, lease_timeout_ms(c), &ks) < 0 ||
					ks.health != KEEPER_OK)) {
			(void)keeper_stop(statefd, deadline_share(ctx->deadline, 20, 500));
			rc = lease_take(ctx, statefd, &t);
		}
		target_done(&t);
		return rc;
	}
	if (rc == PCMK_OCF_OK)
		rc = start_steps(ctx, statefd, &t, &leased);
	if (rc != PCMK_OCF_OK) {
		/* Leave nothing behind: not mounted, lease given back. */
		struct mountinfo *m = malloc(sizeof(*m));

		if (m && disk_find_mount(c->directory, m) > 0 && disk_mount_is(m, t.rdev))
			(void)disk_umount(c->directory);
		free(m);
		if (leased && lease_give_back(ctx, statefd) < 0)
			log_warning("cannot give the lease on '%s' back", c->lease_device);
	}
	target_done(&t);
	return rc;
}

/* --------------------------------------------------------------------- stop */

static void alert_killed(struct agent_ctx *ctx, const char *list)
{
	const struct sd_config *c = ctx->config;
	int r = agent_alert(ctx, ALERT_WARNING, "stop killed processes using '%s': %s",
			    c->directory, list);

	if (r < 0)
		log_debug("no cluster alert for the killed processes: %s", strerror(-r));
}

/* The holders of the mount: SIGTERM, then SIGKILL for those left. 0 or -errno. */
static int release_holders(struct agent_ctx *ctx, uint64_t mnt_id, dev_t dev)
{
	const struct sd_config *c = ctx->config;
	struct holders h = {0};
	char list[400];
	int r = holders_find(dev, mnt_id, &h);

	if (r < 0 || h.n == 0)
		return r;
	holders_format(&h, list, sizeof(list));
	if (!c->force_unmount) {
		log_error("'%s' is busy: used by %s (force_unmount is off)", c->directory, list);
		holders_free(&h);
		return -EBUSY;
	}
	log_warning("'%s' is busy: sending SIGTERM to %s", c->directory, list);
	r = holders_signal_wait(&h, SIGTERM, deadline_share(ctx->deadline, 40, 500));
	if (r > 0) {
		log_warning("%d process(es) outlived SIGTERM: SIGKILL", r);
		r = holders_signal_wait(&h, SIGKILL, deadline_share(ctx->deadline, 50, 500));
	}
	alert_killed(ctx, list);
	holders_free(&h);
	return r < 0 ? r : 0;
}

/* Unmount, scanning for holders only when the kernel says busy. */
static int unmount_busy(struct agent_ctx *ctx, const struct mountinfo *m)
{
	const struct sd_config *c = ctx->config;
	uint64_t mnt_id;
	dev_t dev;
	int r = disk_umount(c->directory);

	for (unsigned round = 1; r == -EBUSY && !deadline_expired(ctx->deadline); round++) {
		if (holders_mount_of(c->directory, &mnt_id, &dev) < 0) {
			mnt_id = (uint64_t)m->mnt_id;
			dev = makedev(m->major, m->minor);
		}
		r = release_holders(ctx, mnt_id, dev);
		if (r < 0)
			return r;
		r = disk_umount(c->directory);
		if (r == -EBUSY) {
			/* Held by something exiting, or a mount below: back off, within the budget.
			 */
			uint64_t ms =
				MIN(MIN(round, 10u) * 20u, deadline_remaining_ms(ctx->deadline));
			struct timespec ts = {.tv_nsec = (long)ms * 1000000L};

			nanosleep(&ts, NULL);
		}
	}
	return r;
}

/*
 * Copies of the mount in other namespaces keep the filesystem alive after
 * ours is gone: unmount them too, or keep the lease and fail.
 */
static enum ocf_exitcode release_copies(struct agent_ctx *ctx, const struct target *t)
{
	deadline_t until = deadline_share(ctx->deadline, 50, 1000);
	bool copies = false;
	pid_t pid = 0;
	int r = nsmount_device_free(t->path);

	/* Namespaces come and go meanwhile (a service starting): retry while there is time. */
	for (unsigned round = 1; r == -EBUSY && !deadline_expired(until); round++) {
		int q = nsmount_release(t->rdev, &pid);

		copies = true;
		if (q < 0 && q != -EBUSY)
			log_warning("cannot unmount '%s' in the mount namespace of process %d: %s",
				    t->path, (int)pid, strerror(-q));
		r = nsmount_device_free(t->path);
		if (r == -EBUSY) {
			uint64_t ms = MIN(MIN(round, 10u) * 20u, deadline_remaining_ms(until));
			struct timespec ts = {.tv_nsec = (long)ms * 1000000L};

			nanosleep(&ts, NULL);
		}
	}
	if (r == -EBUSY)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "'%s' is still in use (mounted in another mount namespace%s%.0d, "
				  "or held open exclusively): the lease is kept",
				  t->path, pid ? " of process " : "", (int)pid);
	if (copies)
		log_notice("'%s' was also mounted in other mount namespaces: unmounted there",
			   t->path);
	return PCMK_OCF_OK; /* free, or not ours to judge (gone, not a device) */
}

static enum ocf_exitcode sd_stop(struct agent_ctx *ctx)
{
	const struct sd_config *c = ctx->config;
	_cleanup_close_ int statefd = -1;
	_cleanup_free_ struct mountinfo *m = malloc(sizeof(*m));
	struct target t = {0};
	enum ocf_exitcode rc;
	bool resolved;
	int r;

	if (!m)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "out of memory");
	if ((rc = agent_state_open(ctx, &statefd)) != PCMK_OCF_OK)
		return rc;
	r = disk_find_mount(c->directory, m);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot read mountinfo: %s",
				  strerror(-r));
	/*
	 * Another filesystem at directory is left alone. Only when the device
	 * cannot be resolved any more is whatever is there taken for ours: a
	 * stop never reports success while the disk may still be mounted.
	 */
	resolved = disk_resolve(c->device, &t.path, &t.rdev) == 0;
	if (r > 0 && resolved && !disk_mount_is(m, t.rdev)) {
		log_warning("'%s' holds %s from '%s', not '%s': left mounted", c->directory,
			    m->fstype, m->source, t.path);
		r = 0;
	}
	if (r > 0) {
		r = unmount_busy(ctx, m);
		if (r < 0) {
			target_done(&t);
			return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
					  "cannot unmount '%s': %s: the lease is kept",
					  c->directory, r == -EBUSY ? "still busy" : strerror(-r));
		}
		log_notice("'%s' is unmounted", c->directory);
	}
	rc = resolved ? release_copies(ctx, &t) : PCMK_OCF_OK;
	target_done(&t);
	if (rc != PCMK_OCF_OK)
		return rc;
	if (c->lease_device && (r = lease_give_back(ctx, statefd)) < 0)
		return agent_fail(ctx, ocf_from_errno(r), "cannot release the lease on '%s': %s",
				  c->lease_device, strerror(-r));
	(void)keeper_stop(statefd, ctx->deadline);
	return PCMK_OCF_OK;
}

/* ------------------------------------------------------------------ monitor */

static enum ocf_exitcode monitor_lease(struct agent_ctx *ctx)
{
	const struct sd_config *c = ctx->config;
	_cleanup_close_ int statefd = -1;
	struct keeper_status ks;
	enum ocf_exitcode rc = agent_state_open(ctx, &statefd);
	int r;

	if (rc != PCMK_OCF_OK)
		return rc;
	r = keeper_check(statefd, lease_timeout_ms(c), &ks);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot check the lease keeper: %s",
				  strerror(-r));
	switch (ks.health) {
	case KEEPER_OK:
		return PCMK_OCF_OK;
	case KEEPER_FENCED:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease on '%s' was lost and this node fenced off '%s': %s",
				  c->lease_device, c->directory, ks.reason);
	case KEEPER_STALE:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease on '%s' has not been renewed for %llu ms",
				  c->lease_device, (unsigned long long)ks.age_ms);
	default:
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "the lease keeper is not running: the lease on '%s' expires",
				  c->lease_device);
	}
}

static enum ocf_exitcode monitor_deep(struct agent_ctx *ctx, const struct target *t)
{
	const struct sd_config *c = ctx->config;
	int r = deepcheck_read_device(t->path, ctx->deadline);

	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "a direct read of '%s' failed: %s",
				  t->path, r == -ETIME ? "timed out" : strerror(-r));
	if (ctx->check_level < 20 || c->ro)
		return PCMK_OCF_OK;
	r = deepcheck_write_file(c->directory, ctx->node, ctx->deadline);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR,
				  "writing and reading back a file in '%s' failed: %s",
				  c->directory, r == -ETIME ? "timed out" : strerror(-r));
	return PCMK_OCF_OK;
}

static enum ocf_exitcode sd_monitor(struct agent_ctx *ctx)
{
	const struct sd_config *c = ctx->config;
	_cleanup_free_ struct mountinfo *m = malloc(sizeof(*m));
	struct target t = {0};
	enum ocf_exitcode rc;
	int r;

	if (!m)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "out of memory");
	r = disk_find_mount(c->directory, m);
	if (r < 0)
		return agent_fail(ctx, PCMK_OCF_UNKNOWN_ERROR, "cannot read mountinfo: %s",
				  strerror(-r));
	if (r == 0)
		return PCMK_OCF_NOT_RUNNING;
	if ((rc = resolve(ctx, "device", c->device, &t)) != PCMK_OCF_OK)
		return rc;
	if (!disk_mount_is(m, t.rdev)) {
		/* Not our disk: the resource is not running here, whatever else is. */
		log_warning("'%s' holds %s from '%s', not '%s'", c->directory, m->fstype, m->source,
			    t.path);
		rc = PCMK_OCF_NOT_RUNNING;
	} else if ((m->ro || m->sb_ro) != c->ro) {
		rc = agent_fail(
			ctx, PCMK_OCF_UNKNOWN_ERROR, "'%s' is mounted %s, not %s%s", c->directory,
			c->ro ? "read-write" : "read-only", c->ro ? "read-only" : "read-write",
			m->sb_ro && !m->ro ? " (the filesystem turned read-only on errors)" : "");
	} else if (c->lease_device) {
		rc = monitor_lease(ctx);
	}
	if (rc == PCMK_OCF_OK && ctx->check_level >= 10)
		rc = monitor_deep(ctx, &t);
	target_done(&t);
	return rc;
}

/* ----------------------------------------------------------------- validate */

/* fstype, or what the device holds when it says (a blank disk: nothing to check). */
static enum ocf_exitcode validate_fstype(struct agent_ctx *ctx, const struct target *t)
{
	const struct sd_config *c = ctx->config;
	char fstype[64];

	if (!c->fstype && disk_fstype(t->path, fstype, sizeof(fstype)) < 0)
		return PCMK_OCF_OK;
	return check_fstype(ctx, c->fstype ? c->fstype : fstype, t->path);
}

static enum ocf_exitcode sd_validate(struct agent_ctx *ctx)
{
	const struct sd_config *c = ctx->config;
	struct target t = {0};
	enum ocf_exitcode rc = resolve(ctx, "device", c->device, &t);

	if (rc == PCMK_OCF_OK && c->lease_device)
		rc = lease_check_apart(ctx, &t);
	if (rc == PCMK_OCF_OK)
		rc = validate_fstype(ctx, &t);
	if (rc == PCMK_OCF_OK && !c->lease_device)
		log_warning("no lease_device: nothing but Pacemaker keeps a second node from "
			    "mounting '%s' too (split brain, manual start), which destroys it",
			    c->device);
	target_done(&t);
	return rc;
}

static const struct action_def sd_actions[] = {
	{"start", sd_start, 60, 0, -1, 0},	     {"stop", sd_stop, 60, 0, -1, 0},
	{"monitor", sd_monitor, 20, 20, 0, 0},	     {"monitor", sd_monitor, 20, 60, 10, 0},
	{"monitor", sd_monitor, 40, 120, 20, 0},     {"meta-data", NULL, 5, 0, -1, 0},
	{"validate-all", sd_validate, 20, 0, -1, 0},
};

static const struct agent_def sd_agent = {
	.name = "switching-disk",
	.shortdesc = "Switching disk of a failover group, with an on-disk lease",
	.longdesc = "Mounts the failover group's shared disk on exactly one node. start takes an "
		    "on-disk lease on lease_device (refusing, and naming the holder, when another "
		    "node holds it), runs the filesystem's checker per the fsck policy, and "
		    "mounts with libmount; a keeper process renews the lease while mounted. stop "
		    "unmounts, and only when the disk is busy finds the processes using it "
		    "(open files, working or root directory, memory maps, matched by mount and "
		    "device) and ends them, then releases the lease; a stop that cannot unmount "
		    "fails, so Pacemaker fences. monitor level 0 reads /proc/self/mountinfo and "
		    "the keeper's notes and forks nothing; level 10 adds a direct read of the "
		    "device, level 20 a file written, synced, read back and removed. Without "
		    "lease_device the agent still mounts and unmounts, but nothing protects the "
		    "disk from a second node mounting it: see lease_device.",
	.params = sd_params,
	.n_params = SD_N_PARAMS,
	.config_size = sizeof(struct sd_config),
	.config_check = sd_config_check,
	.actions = sd_actions,
	.n_actions = ARRAY_SIZE(sd_actions),
};

int main(int argc, char **argv)
{
	return agent_main(&sd_agent, argc, argv);
}
