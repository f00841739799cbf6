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

/* Append s to the string in msg (size bytes) as far as it fits. */
static void msg_append(char *msg, size_t size, const char *s)
{
	size_t used = strlen(msg);
	size_t n = MIN(strlen(s), size - 1 - used);

	memcpy(msg + used, s, n);
	msg[used + n] = '\0';
}

void error_prefix(struct error *err, const char *fmt, ...)
{
	char prefix[ERROR_MSG_SIZE];
	char old[ERROR_MSG_SIZE];
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
	msg_append(err->msg, sizeof(err->msg), ": ");
	msg_append(err->msg, sizeof(err->msg), old);
}
