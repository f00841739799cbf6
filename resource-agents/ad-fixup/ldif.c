/*
 * LDIF writer. A value that is not a SAFE-STRING (RFC 2849: starts with
 * space, ':' or '<', ends with a space, or holds NUL, CR, LF or a non-ASCII
 * byte) goes base64-encoded after "::".
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "ldif.h"
#include "macro.h"

static bool safe_string(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return true;
	if (s[0] == ' ' || s[0] == ':' || s[0] == '<' || s[len - 1] == ' ')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] > 126 || s[i] == '\r' || s[i] == '\n')
			return false;
	return true;
}

static void base64_write(FILE *out, const char *s)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (unsigned)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		fputc(tab[(v >> 18) & 63], out);
		fputc(tab[(v >> 12) & 63], out);
		fputc(left > 1 ? tab[(v >> 6) & 63] : '=', out);
		fputc(left > 2 ? tab[v & 63] : '=', out);
	}
}

static void line_write(FILE *out, const char *attr, const char *value)
{
	if (safe_string(value)) {
		fprintf(out, "%s: %s\n", attr, value);
		return;
	}
	fprintf(out, "%s:: ", attr);
	base64_write(out, value);
	fputc('\n', out);
}

int ldif_write_mod(FILE *out, const struct dir_mod *m)
{
	static const char *const ops[] = {
		[DIR_ADD] = "add",
		[DIR_DELETE] = "delete",
		[DIR_REPLACE] = "replace",
	};

	if (!out || !m || !m->dn)
		return -EINVAL;
	line_write(out, "dn", m->dn);
	fputs("changetype: modify\n", out);
	for (size_t i = 0; i < m->n_changes; i++) {
		const struct dir_change *c = &m->changes[i];

		fprintf(out, "%s: %s\n", ops[c->op], c->attr);
		for (size_t j = 0; j < c->n; j++)
			line_write(out, c->attr, c->values[j]);
		fputs("-\n", out);
	}
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}
