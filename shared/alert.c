/*
 * Alerts over corosync CPG. The sender joins the group only for as long as
 * it takes to send: CPG delivers a multicast to every member in agreed
 * order, so listeners joined before it on any node receive it, and one
 * joined after it never sees a stale alert.
 */
#include "alert.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <corosync/cpg.h>

#include "macro.h"

struct alert_listener {
	cpg_handle_t handle;
	alert_fn fn;
	void *userdata;
	unsigned dropped;
};

static int cs_to_errno(cs_error_t e)
{
	switch (e) {
	case CS_OK:
		return 0;
	case CS_ERR_TRY_AGAIN:
	case CS_ERR_QUEUE_FULL:
		return -EAGAIN;
	case CS_ERR_LIBRARY:
	case CS_ERR_BAD_HANDLE:
		return -ENOTCONN;
	case CS_ERR_ACCESS:
	case CS_ERR_SECURITY:
		return -EACCES;
	case CS_ERR_NO_MEMORY:
		return -ENOMEM;
	case CS_ERR_TOO_BIG:
		return -EMSGSIZE;
	case CS_ERR_TIMEOUT:
		return -ETIME;
	default:
		return -EIO;
	}
}

static void group_name(struct cpg_name *name)
{
	name->length = (uint32_t)strlen(ALERT_GROUP);
	memcpy(name->value, ALERT_GROUP, name->length);
}

/* Wait a little for corosync's flow control to clear, never past the deadline. */
static bool retry_after_pause(deadline_t deadline)
{
	deadline_t pause = deadline_min(deadline_in_ms(10), deadline);

	if (deadline_expired(deadline))
		return false;
	(void)poll(NULL, 0, deadline_poll_timeout(pause));
	return true;
}

static int send_joined(cpg_handle_t handle, const uint8_t *buf, size_t len, deadline_t deadline)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	cs_error_t e;

	do
		e = cpg_mcast_joined(handle, CPG_TYPE_AGREED, &iov, 1);
	while (e == CS_ERR_TRY_AGAIN && retry_after_pause(deadline));
	return cs_to_errno(e);
}

int alert_send(const struct alert *a, deadline_t deadline)
{
	cpg_callbacks_t callbacks = {0};
	struct cpg_name name;
	uint8_t buf[ALERT_MSG_MAX];
	cpg_handle_t handle;
	struct alert stamped;
	size_t len;
	cs_error_t e;
	int r;

	if (!a)
		return -EINVAL;
	stamped = *a;
	if (stamped.time_s == 0)
		stamped.time_s = (uint64_t)time(NULL);
	r = alert_msg_encode(&stamped, buf, sizeof(buf), &len);
	if (r < 0)
		return r;
	e = cpg_initialize(&handle, &callbacks);
	if (e != CS_OK)
		return e == CS_ERR_LIBRARY ? -ENOTCONN : cs_to_errno(e);
	group_name(&name);
	do
		e = cpg_join(handle, &name);
	while (e == CS_ERR_TRY_AGAIN && retry_after_pause(deadline));
	r = cs_to_errno(e);
	if (r == 0) {
		r = send_joined(handle, buf, len, deadline);
		(void)cpg_leave(handle, &name);
	}
	(void)cpg_finalize(handle);
	return r;
}

static void deliver(cpg_handle_t handle, const struct cpg_name *group, uint32_t nodeid,
		    uint32_t pid, void *msg, size_t msg_len)
{
	struct alert_listener *l = NULL;
	struct alert a;

	if (cpg_context_get(handle, (void **)&l) != CS_OK || !l)
		return;
	if (alert_msg_decode(msg, msg_len, &a) < 0) {
		l->dropped++;
		return;
	}
	l->fn(&a, nodeid, l->userdata);
}

struct alert_listener *alert_listener_close(struct alert_listener *l)
{
	if (!l)
		return NULL;
	if (l->handle)
		(void)cpg_finalize(l->handle);
	free(l);
	return NULL;
}

static void listener_closep(struct alert_listener **l)
{
	*l = alert_listener_close(*l);
}

int alert_listener_open(alert_fn fn, void *userdata, struct alert_listener **ret)
{
	_cleanup_(listener_closep) struct alert_listener *l = NULL;
	cpg_callbacks_t callbacks = {.cpg_deliver_fn = deliver};
	struct cpg_name name;
	cs_error_t e;

	if (!fn || !ret)
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->fn = fn;
	l->userdata = userdata;
	e = cpg_initialize(&l->handle, &callbacks);
	if (e != CS_OK) {
		l->handle = 0;
		return e == CS_ERR_LIBRARY ? -ENOTCONN : cs_to_errno(e);
	}
	e = cpg_context_set(l->handle, l);
	if (e == CS_OK) {
		group_name(&name);
		e = cpg_join(l->handle, &name);
	}
	if (e != CS_OK)
		return cs_to_errno(e);
	*ret = TAKE_PTR(l);
	return 0;
}

int alert_listener_fd(struct alert_listener *l)
{
	int fd = -1;

	if (!l)
		return -EINVAL;
	return cpg_fd_get(l->handle, &fd) == CS_OK ? fd : -ENOTCONN;
}

int alert_listener_dispatch(struct alert_listener *l)
{
	if (!l)
		return -EINVAL;
	return cs_to_errno(cpg_dispatch(l->handle, CS_DISPATCH_ALL));
}

unsigned alert_listener_dropped(const struct alert_listener *l)
{
	return l ? l->dropped : 0;
}
