/*
 * The restart count (restarts.h). The count is written before it is
 * published, so a failure to reach the attribute manager (outside a
 * cluster, attrd restarting) loses nothing but the attribute's freshness:
 * the next restart publishes the whole count again. The time of a restart
 * is the wall clock's (CLOCK_REALTIME, milliseconds since the epoch): what
 * exha-timeline puts it beside Pacemaker's and the fencer's records with.
 */
#include "restarts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "attr_io.h"
#include "plugin.h"
#include "state.h"
#include "strutil.h"

static int publish(const char *instance, const char *member, uint64_t total)
{
	char count_name[256], last_name[256], count[24], last[280];
	struct timespec ts;
	struct plugin *p = NULL;
	const struct ss_attr_io *io;
	void *sym = NULL;
	int r = snprintf(count_name, sizeof(count_name), RESTARTS_ATTR_PREFIX "%s", instance);
	int r2 = snprintf(last_name, sizeof(last_name), RESTARTED_ATTR_PREFIX "%s", instance);

	if (r < 0 || (size_t)r >= sizeof(count_name) || r2 < 0 || (size_t)r2 >= sizeof(last_name))
		return -ENAMETOOLONG;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -errno;
	snprintf(count, sizeof(count), "%" PRIu64, total);
	r = snprintf(last, sizeof(last), "%lld %s",
		     (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, member);
	if (r < 0 || (size_t)r >= sizeof(last))
		return -ENAMETOOLONG;
	r = plugin_open(plugin_dir(EXHA_PLUGIN_DIR), SS_ATTR_IO_PLUGIN, SS_ATTR_IO_SYMBOL, &p, &sym,
			NULL, 0);
	if (r < 0)
		return r;
	io = sym;
	/* The count first: exha-timeline shows it beside the restart. */
	r = io->version == SS_ATTR_IO_VERSION
		    ? io->set((const struct ss_attr[]){{count_name, count}, {last_name, last}}, 2)
		    : -ELIBBAD;
	plugin_close(p);
	return r;
}

int restarts_count_one(struct agent_ctx *ctx, int statefd, const char *member, uint64_t *ret_total)
{
	char buf[32];
	uint64_t total = 0;
	int r = state_read(statefd, RESTARTS_TOTAL, buf, sizeof(buf));

	*ret_total = 0;
	if (r >= 0) {
		buf[strcspn(buf, "\n")] = '\0';
		if (parse_uint64(buf, 0, UINT64_MAX - 1, &total) < 0)
			total = 0; /* damaged: counted afresh */
	} else if (r != -ENOENT) {
		return r;
	}
	total++;
	snprintf(buf, sizeof(buf), "%" PRIu64 "\n", total);
	r = state_write(statefd, RESTARTS_TOTAL, buf, strlen(buf));
	if (r < 0)
		return r;
	*ret_total = total;
	r = publish(ctx->instance, member, total);
	return r < 0 ? r : 0;
}
