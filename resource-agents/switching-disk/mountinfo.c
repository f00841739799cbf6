/* The mountinfo parser: see mountinfo.h. */
#include "mountinfo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "strutil.h"

/* Take the next space-separated field (exactly one space between fields). */
static int next_field(const char **p, char *buf, size_t size)
{
	size_t len = strcspn(*p, " \n");

	if (len == 0 || len >= size)
		return -EINVAL;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p += len;
	if (**p == ' ')
		(*p)++;
	return 0;
}

/* The kernel escapes space, tab, newline and backslash as \ooo. */
static int unescape(char *s)
{
	char *out = s;

	for (const char *in = s; *in; in++) {
		if (*in != '\\') {
			*out++ = *in;
			continue;
		}
		if (in[1] < '0' || in[1] > '3' || in[2] < '0' || in[2] > '7' || in[3] < '0' ||
		    in[3] > '7')
			return -EINVAL;
		*out = (char)((in[1] - '0') << 6 | (in[2] - '0') << 3 | (in[3] - '0'));
		if (*out == '\0')
			return -EINVAL;
		out++;
		in += 3;
	}
	*out = '\0';
	return 0;
}

static int parse_int(const char *s, int *ret)
{
	uint64_t v;
	int r = parse_uint64(s, 0, INT_MAX, &v);

	if (r < 0)
		return r;
	*ret = (int)v;
	return 0;
}

static int parse_devno(const char *s, unsigned *ret_major, unsigned *ret_minor)
{
	char buf[32];
	const char *colon = strchr(s, ':');
	uint64_t maj, min;

	if (!colon || (size_t)(colon - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(colon - s));
	buf[colon - s] = '\0';
	if (parse_uint64(buf, 0, UINT32_MAX, &maj) < 0 ||
	    parse_uint64(colon + 1, 0, UINT32_MAX, &min) < 0)
		return -EINVAL;
	*ret_major = (unsigned)maj;
	*ret_minor = (unsigned)min;
	return 0;
}

/* "ro" or "rw" as one whole option of a comma-separated list. */
static bool opts_ro(const char *opts)
{
	return strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' || opts[2] == '\0');
}

/* Optional fields ("shared:1 master:2") up to the lone "-" separator. */
static int skip_optional(const char **p, char *tmp, size_t size)
{
	for (;;) {
		int r = next_field(p, tmp, size);

		if (r < 0)
			return r;
		if (strcmp(tmp, "-") == 0)
			return 0;
	}
}

int mountinfo_parse_line(const char *line, struct mountinfo *ret)
{
	_cleanup_free_ struct mountinfo *m = calloc(1, sizeof(*m));
	char num[32], dev[64], opts[PATH_MAX];
	const char *p = line;

	if (!line || !ret)
		return -EINVAL;
	if (!m)
		return -ENOMEM;
	if (next_field(&p, num, sizeof(num)) < 0 || parse_int(num, &m->mnt_id) < 0 ||
	    next_field(&p, num, sizeof(num)) < 0 || parse_int(num, &m->parent_id) < 0 ||
	    next_field(&p, dev, sizeof(dev)) < 0 || parse_devno(dev, &m->major, &m->minor) < 0 ||
	    next_field(&p, m->root, sizeof(m->root)) < 0 || unescape(m->root) < 0 ||
	    next_field(&p, m->target, sizeof(m->target)) < 0 || unescape(m->target) < 0 ||
	    next_field(&p, opts, sizeof(opts)) < 0 || skip_optional(&p, num, sizeof(num)) < 0 ||
	    next_field(&p, m->fstype, sizeof(m->fstype)) < 0)
		return -EINVAL;
	m->ro = opts_ro(opts);
	if (next_field(&p, m->source, sizeof(m->source)) < 0 || unescape(m->source) < 0 ||
	    next_field(&p, opts, sizeof(opts)) < 0 || (*p != '\0' && strcmp(p, "\n") != 0))
		return -EINVAL;
	m->sb_ro = opts_ro(opts);
	*ret = *m;
	return 0;
}

int mountinfo_find_target(FILE *f, const char *target, struct mountinfo *ret)
{
	_cleanup_free_ struct mountinfo *m = calloc(1, sizeof(*m));
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	bool found = false;

	if (!f || !target || !ret)
		return -EINVAL;
	if (!m)
		return -ENOMEM;
	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		int r = mountinfo_parse_line(line, m);

		if (r < 0)
			return r;
		if (strcmp(m->target, target) == 0) {
			*ret = *m;
			found = true;
		}
	}
	if (ferror(f))
		return negative_errno();
	return found;
}
