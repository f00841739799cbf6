/*
 * attrd client over libcrmcommon's IPC API, in synchronous mode: attrd
 * answers a local request in well under a millisecond, and libcrmcommon
 * bounds the wait for its reply (crm_ipc_send's default timeout).
 */
#include "attrd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Before glib, whose MIN/MAX replace ours (#undef) instead of clashing. */
#include "macro.h"

#include <crm/common/ipc.h>
#include <crm/common/ipc_attrd_internal.h>

/*
 * Option bits of pcmk__attrd_api_update() (enum pcmk__node_attr_opts in
 * Pacemaker's uninstalled attrd_internal.h; stable since 2.1.3).
 */
#define ATTRD_OPT_VALUE (1u << 3)
#define ATTRD_OPT_DELAY (1u << 4)

struct attrd {
	pcmk_ipc_api_t *api;
};

/* Pacemaker return codes: 0, positive errno, or negative Pacemaker-specific codes. */
static int rc_to_errno(int rc)
{
	if (rc == 0)
		return 0;
	return rc > 0 ? -rc : -EPROTO;
}

struct attrd *attrd_close(struct attrd *attrd)
{
	if (!attrd)
		return NULL;
	if (attrd->api) {
		pcmk_disconnect_ipc(attrd->api);
		pcmk_free_ipc_api(attrd->api);
	}
	free(attrd);
	return NULL;
}

void attrd_closep(struct attrd **attrd)
{
	*attrd = attrd_close(*attrd);
}

static int attrd_connect(struct attrd *attrd)
{
	int rc = pcmk_connect_ipc(attrd->api, pcmk_ipc_dispatch_sync);

	return rc == 0 ? 0 : -ENOTCONN;
}

int attrd_open(struct attrd **ret_attrd)
{
	_cleanup_attrd_ struct attrd *attrd = NULL;
	int r;

	if (!ret_attrd)
		return -EINVAL;
	attrd = calloc(1, sizeof(*attrd));
	if (!attrd)
		return -ENOMEM;
	r = rc_to_errno(pcmk_new_ipc_api(&attrd->api, pcmk_ipc_attrd));
	if (r < 0)
		return r;
	r = attrd_connect(attrd);
	if (r < 0)
		return r;
	*ret_attrd = TAKE_PTR(attrd);
	return 0;
}

static int send_update(struct attrd *attrd, const char *name, const char *value, const char *dampen,
		       unsigned options)
{
	/* NULL node: the local node, as attrd knows it (remote nodes included). */
	return rc_to_errno(
		pcmk__attrd_api_update(attrd->api, NULL, name, value, dampen, NULL, NULL, options));
}

static int update(struct attrd *attrd, const char *name, const char *value, uint64_t dampen_ms)
{
	char dampen[32];
	unsigned options = ATTRD_OPT_VALUE | ATTRD_OPT_DELAY;
	int r;

	if (!attrd || !name || !name[0])
		return -EINVAL;
	snprintf(dampen, sizeof(dampen), "%llums", (unsigned long long)dampen_ms);
	if (!pcmk_ipc_is_connected(attrd->api)) {
		r = attrd_connect(attrd);
		if (r < 0)
			return r;
	}
	r = send_update(attrd, name, value, dampen, options);
	if (r == -ENOTCONN || r == -EPIPE || r == -ECONNRESET) {
		/* attrd restarted under us: one fresh connection, then give up. */
		pcmk_disconnect_ipc(attrd->api);
		r = attrd_connect(attrd);
		if (r == 0)
			r = send_update(attrd, name, value, dampen, options);
	}
	return r;
}

int attrd_update(struct attrd *attrd, const char *name, const char *value, uint64_t dampen_ms)
{
	if (!value)
		return -EINVAL;
	return update(attrd, name, value, dampen_ms);
}

int attrd_delete(struct attrd *attrd, const char *name, uint64_t dampen_ms)
{
	return update(attrd, name, NULL, dampen_ms);
}
