/*
 * --since TIME: an ISO 8601 date and time, or a span back from now. Strict:
 * every character is accounted for, every field range-checked, so a typo
 * is an error and never a timeline from 1970.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "timeline.h"

/* Exactly n digits; the value into *ret. */
static bool digits(const char **p, int n, int *ret)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*ret = v;
	return true;
}

static bool lit(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* 10s, 10m, 2h, 1d: now minus the span. */
static int parse_relative(const char *s, int64_t now_ms, int64_t *ret_ms)
{
	int64_t v = 0, unit;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 100L * 365 * 86400)
			return -EINVAL;
	}
	if (p == s || *p == '\0' || p[1] != '\0')
		return -EINVAL;
	switch (*p) {
	case 's':
		unit = 1000;
		break;
	case 'm':
		unit = 60 * 1000;
		break;
	case 'h':
		unit = 3600 * 1000;
		break;
	case 'd':
		unit = 86400 * 1000;
		break;
	default:
		return -EINVAL;
	}
	*ret_ms = now_ms - v * unit;
	return 0;
}

/* Z, +hh:mm, +hhmm, +hh (east of UTC), or nothing (local time). */
static int parse_zone(const char *p, bool *ret_local, int *ret_offset_s)
{
	int sign, hh, mm = 0;

	*ret_local = false;
	*ret_offset_s = 0;
	if (*p == '\0') {
		*ret_local = true;
		return 0;
	}
	if (strcmp(p, "Z") == 0 || strcmp(p, "z") == 0)
		return 0;
	if (*p != '+' && *p != '-')
		return -EINVAL;
	sign = *p++ == '+' ? 1 : -1;
	if (!digits(&p, 2, &hh) || hh > 23)
		return -EINVAL;
	if (*p == ':')
		p++;
	if (*p && (!digits(&p, 2, &mm) || mm > 59))
		return -EINVAL;
	if (*p)
		return -EINVAL;
	*ret_offset_s = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* YYYY-MM-DD[(T| )hh:mm[:ss[.fff]]][zone] */
static int parse_iso(const char *s, int64_t *ret_ms)
{
	struct tm tm = {0};
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, offset, r;
	bool local;
	time_t t;

	if (!digits(&p, 4, &y) || !lit(&p, '-') || !digits(&p, 2, &mo) || !lit(&p, '-') ||
	    !digits(&p, 2, &d))
		return -EINVAL;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || !lit(&p, ':') || !digits(&p, 2, &mi))
			return -EINVAL;
		if (lit(&p, ':')) {
			if (!digits(&p, 2, &sec))
				return -EINVAL;
			if (lit(&p, '.') || lit(&p, ',')) {
				int scale = 100, dgt;

				if (*p < '0' || *p > '9')
					return -EINVAL;
				while (digits(&p, 1, &dgt)) {
					ms += dgt * scale;
					scale /= 10;
				}
			}
		}
	}
	if ((r = parse_zone(p, &local, &offset)) < 0)
		return r;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -EINVAL;
	tm = (struct tm){.tm_year = y - 1900,
			 .tm_mon = mo - 1,
			 .tm_mday = d,
			 .tm_hour = h,
			 .tm_min = mi,
			 .tm_sec = sec,
			 .tm_isdst = -1};
	t = local ? mktime(&tm) : timegm(&tm);
	/* mktime/timegm normalise 31 February into March: refuse it. */
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -EINVAL;
	*ret_ms = ((int64_t)t - offset) * 1000 + ms;
	return 0;
}

int tl_parse_since(const char *s, int64_t now_ms, int64_t *ret_ms)
{
	int64_t v;
	int r;

	if (!s || !ret_ms)
		return -EINVAL;
	r = strlen(s) >= 10 && s[4] == '-' ? parse_iso(s, &v) : parse_relative(s, now_ms, &v);
	if (r < 0)
		return r;
	*ret_ms = v;
	return 0;
}
