/*
 * Restart bookkeeping: a short list of times, parsed strictly because it is
 * read back from a file (a damaged file must not grant extra restarts: the
 * caller treats a parse error as "no restart allowed").
 */
#include "restart.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "strutil.h"

int restart_log_parse(const char *s, struct restart_log *ret)
{
	struct restart_log log = {0};
	char num[24];

	if (!s || !ret)
		return -EINVAL;
	for (const char *p = s; *p;) {
		size_t len = strcspn(p, " \n");

		if (len == 0) {
			p++;
			continue;
		}
		if (len >= sizeof(num) || log.n == RESTART_MAX)
			return -EINVAL;
		memcpy(num, p, len);
		num[len] = '\0';
		if (parse_uint64(num, 0, UINT64_MAX, &log.t_ms[log.n]) < 0)
			return -EINVAL;
		if (log.n > 0 && log.t_ms[log.n] < log.t_ms[log.n - 1])
			return -EINVAL;
		log.n++;
		p += len;
	}
	*ret = log;
	return 0;
}

int restart_log_format(const struct restart_log *log, char *buf, size_t size)
{
	size_t used = 0;

	if (!log || !buf || size == 0)
		return -EINVAL;
	buf[0] = '\0';
	for (size_t i = 0; i < log->n; i++) {
		int n = snprintf(buf + used, size - used, "%s%" PRIu64, i ? " " : "", log->t_ms[i]);

		if (n < 0 || (size_t)n >= size - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	if (used + 2 > size)
		return -ENOSPC;
	memcpy(buf + used, "\n", 2);
	return 0;
}

size_t restart_log_prune(struct restart_log *log, uint64_t now_ms, uint64_t window_ms)
{
	size_t keep = 0;

	for (size_t i = 0; i < log->n; i++)
		if (log->t_ms[i] <= now_ms && now_ms - log->t_ms[i] < window_ms)
			log->t_ms[keep++] = log->t_ms[i];
	log->n = keep;
	return keep;
}

bool restart_allowed(struct restart_log *log, uint64_t now_ms, uint64_t window_ms, uint64_t count)
{
	return restart_log_prune(log, now_ms, window_ms) < count;
}

void restart_log_add(struct restart_log *log, uint64_t now_ms)
{
	if (log->n == RESTART_MAX) {
		memmove(log->t_ms, log->t_ms + 1, (RESTART_MAX - 1) * sizeof(log->t_ms[0]));
		log->n--;
	}
	log->t_ms[log->n++] = now_ms;
}

size_t restart_log_newer(const struct restart_log *log, uint64_t since_ms)
{
	size_t n = 0;

	for (size_t i = 0; i < log->n; i++)
		n += log->t_ms[i] > since_ms;
	return n;
}
