/*
 * A one-line explanation carried from the code that detected a problem to
 * the action layer, which logs it once and turns it into the OCF exit
 * reason. Library code fills it; it never prints.
 */
#pragma once

#include <stddef.h>

#include "macro.h"

#define ERROR_MSG_SIZE 512

struct error {
	char msg[ERROR_MSG_SIZE];
};

/* Set the message (printf style) and return -code, so callers can
 * `return error_set(err, EINVAL, "...")`. err may be NULL. */
int error_set(struct error *err, int code, const char *fmt, ...) _printf_(3, 4);

/* Prefix the current message with more context ("cannot add ...: <msg>"). */
void error_prefix(struct error *err, const char *fmt, ...) _printf_(2, 3);
