#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strutil.h"

int error_set(struct error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code > 0 ? -code : code;
}

void error_prefix(struct error *err, const char *fmt, ...)
{
	char prefix[sizeof(err->msg)];
	char old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation keeps the start of the line, which says the most. */
	if (strscpy(err->msg, prefix, sizeof(err->msg)) < 0)
		return;
	strncat(err->msg, ": ", sizeof(err->msg) - strlen(err->msg) - 1);
	strncat(err->msg, old, sizeof(err->msg) - strlen(err->msg) - 1);
}
