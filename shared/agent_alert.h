/*
 * Raise a cluster alert from an agent's action (see alert.h): every node's
 * alert listener logs it with this node's name. Returns 0 or -errno
 * (-ENOTCONN outside a cluster, -ENOENT when alert-io.so is not installed,
 * -EPERM when it is unsafe); the caller decides what a failure means,
 * usually nothing more than a debug line.
 */
#pragma once

#include "agent.h"
#include "alert.h"

int agent_alert(struct agent_ctx *ctx, enum alert_severity severity, const char *fmt, ...)
	_printf_(3, 4);
