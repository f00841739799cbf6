/*
 * The one netlink request helper (libmnl). Every request carries a fresh
 * sequence number; replies are run through libmnl's callback runner and an
 * NLMSG_ERROR becomes -errno, so callers see the kernel's own answer
 * ("File exists", "Cannot assign requested address") and decide whether it
 * means success (idempotence through the protocol).
 */
#pragma once

#include <libmnl/libmnl.h>

#include "deadline.h"

struct nl;

/* Open a NETLINK_ROUTE socket subscribed to groups (RTMGRP_* bits, or 0). */
int nl_open(unsigned groups, struct nl **ret_nl);
struct nl *nl_close(struct nl *nl);
void nl_closep(struct nl **nl);

/* A zeroed message buffer of the right size, owned by nl. */
struct nlmsghdr *nl_message(struct nl *nl, uint16_t type, uint16_t flags);

/*
 * Send nlh and run every reply through cb until the kernel's ACK or
 * NLMSG_DONE. Non-dump requests get NLM_F_ACK. Returns 0 or -errno.
 */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * Wait for multicast notifications until cb returns MNL_CB_STOP (returns 1)
 * or the deadline passes (returns -ETIME). cb returning MNL_CB_ERROR ends the
 * wait with -errno.
 */
int nl_wait_event(struct nl *nl, deadline_t deadline, mnl_cb_t cb, void *data);

/* The socket's descriptor, for a main loop (readable: call nl_receive()). */
int nl_fd(struct nl *nl);

/*
 * Read what one recv() returns without blocking and run it through cb:
 * 1 when cb returned MNL_CB_STOP, 0 when nothing (more) is pending or the
 * messages were processed, -ENOBUFS when the kernel dropped notifications
 * (the caller must re-read the state), other -errno.
 */
int nl_receive(struct nl *nl, mnl_cb_t cb, void *data);

#define _cleanup_nl_ _cleanup_(nl_closep)
