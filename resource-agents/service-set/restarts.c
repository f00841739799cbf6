/*
 * The restart count (restarts.h). The count is written before it is
 * published, so a failure to reach the attribute manager (outside a
 * cluster, attrd restarting) loses nothing but the attribute's freshness:
 * the next restart publishes the whole count again.
 */
#include "restarts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "attr_io.h"
#include "plugin.h"
#include "state.h"
#include "strutil.h"

static int publish(const char *instance, uint64_t total)
{
	char name[256], value[24];
	struct plugin *p = NULL;
	const struct ss_attr_io *io;
	void *sym = NULL;
	int r = snprintf(name, sizeof(name), RESTARTS_ATTR_PREFIX "%s", instance);

	if (r < 0 || (size_t)r >= sizeof(name))
		return -ENAMETOOLONG;
	snprintf(value, sizeof(value), "%" PRIu64, total);
	r = plugin_open(plugin_dir(EXHA_PLUGIN_DIR), SS_ATTR_IO_PLUGIN, SS_ATTR_IO_SYMBOL, &p, &sym,
			NULL, 0);
	if (r < 0)
		return r;
	io = sym;
	r = io->version == SS_ATTR_IO_VERSION ? io->set(name, value) : -ELIBBAD;
	plugin_close(p);
	return r;
}

int restarts_count_one(struct agent_ctx *ctx, int statefd, uint64_t *ret_total)
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
	r = publish(ctx->instance, total);
	return r < 0 ? r : 0;
}
