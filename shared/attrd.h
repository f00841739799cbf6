/*
 * Node attributes through Pacemaker's attribute manager (pacemaker-attrd).
 * Only the long-running monitor daemons link this: it pulls in libcrmcommon
 * (33 libraries, about 11 ms per exec), which an agent's monitor must not pay.
 *
 * Pacemaker 2.1.5 has no public attrd client API: this wraps the exported
 * pcmk__attrd_api_* functions from the installed ipc_attrd_internal.h, the
 * ones attrd_updater itself calls, instead of forking attrd_updater.
 */
#pragma once

#include <stdint.h>

struct attrd;

/* Connect to the local attribute manager. -ENOTCONN when it is not running. */
int attrd_open(struct attrd **ret_attrd);
struct attrd *attrd_close(struct attrd *attrd);
void attrd_closep(struct attrd **attrd);
#define _cleanup_attrd_ __attribute__((cleanup(attrd_closep)))

/*
 * Set name to value on this node; attrd writes it to the CIB once it has
 * stayed unchanged for dampen_ms (its dampening delay). Reconnects once if
 * the connection was lost (attrd restarted).
 */
int attrd_update(struct attrd *attrd, const char *name, const char *value, uint64_t dampen_ms);

/* Remove name from this node (after dampen_ms, as attrd_updater -D -d). */
int attrd_delete(struct attrd *attrd, const char *name, uint64_t dampen_ms);
