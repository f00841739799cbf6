/*
 * The alert wire format. CPG delivers whole messages to every member,
 * including nodes running another version, so a decoder never trusts a
 * length: every field is bounded, the total must match, and the strings
 * must be printable (they end up in syslog on every node).
 *
 *   0  magic "EXAL"        4  version (1)     5  severity
 *   6  reserved (0, 2)     8  time_s (le64)  16  node_len (le16)
 *  18  source_len (le16)  20  text_len (le16) 22 reserved (0, 2)
 *  24  node, source, text (no terminators)
 */
#include "alert.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ALERT_MAGIC   "EXAL"
#define ALERT_VERSION 1
#define HEADER_SIZE   24

static const char *const severity_names[] = {"info", "warning", "critical"};

const char *alert_severity_name(enum alert_severity s)
{
	return (unsigned)s < 3 ? severity_names[s] : "unknown";
}

int alert_severity_parse(const char *s, enum alert_severity *ret_severity)
{
	if (!s || !ret_severity)
		return -EINVAL;
	for (unsigned i = 0; i < 3; i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*ret_severity = (enum alert_severity)i;
			return 0;
		}
	return -EINVAL;
}

static bool printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int field_set(char *dst, size_t max, const char *src)
{
	size_t len = strlen(src);

	if (len > max)
		return -EMSGSIZE;
	if (!printable(src, len))
		return -EINVAL;
	memcpy(dst, src, len + 1);
	return 0;
}

int alert_init(struct alert *a, enum alert_severity severity, const char *node, const char *source,
	       const char *text)
{
	struct alert tmp = {.severity = severity};
	int r;

	if (!a || !node || !node[0] || !source || !text || !text[0] || (unsigned)severity > 2)
		return -EINVAL;
	if ((r = field_set(tmp.node, ALERT_NODE_MAX, node)) < 0 ||
	    (r = field_set(tmp.source, ALERT_SOURCE_MAX, source)) < 0 ||
	    (r = field_set(tmp.text, ALERT_TEXT_MAX, text)) < 0)
		return r;
	tmp.time_s = a->time_s;
	*a = tmp;
	return 0;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int alert_msg_encode(const struct alert *a, uint8_t *buf, size_t size, size_t *ret_len)
{
	size_t n = a ? strnlen(a->node, ALERT_NODE_MAX + 1) : 0;
	size_t s = a ? strnlen(a->source, ALERT_SOURCE_MAX + 1) : 0;
	size_t t = a ? strnlen(a->text, ALERT_TEXT_MAX + 1) : 0;
	size_t len = HEADER_SIZE + n + s + t;

	if (!a || !buf || !ret_len || n == 0 || t == 0 || (unsigned)a->severity > 2)
		return -EINVAL;
	if (n > ALERT_NODE_MAX || s > ALERT_SOURCE_MAX || t > ALERT_TEXT_MAX)
		return -EMSGSIZE;
	if (size < len)
		return -ENOBUFS;
	memset(buf, 0, HEADER_SIZE);
	memcpy(buf, ALERT_MAGIC, 4);
	buf[4] = ALERT_VERSION;
	buf[5] = (uint8_t)a->severity;
	put_le64(buf + 8, a->time_s);
	put_le16(buf + 16, (uint16_t)n);
	put_le16(buf + 18, (uint16_t)s);
	put_le16(buf + 20, (uint16_t)t);
	memcpy(buf + HEADER_SIZE, a->node, n);
	memcpy(buf + HEADER_SIZE + n, a->source, s);
	memcpy(buf + HEADER_SIZE + n + s, a->text, t);
	*ret_len = len;
	return 0;
}

static int field_get(char *dst, size_t max, const uint8_t *src, size_t len)
{
	if (len > max || !printable((const char *)src, len))
		return -EBADMSG;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int alert_msg_decode(const uint8_t *buf, size_t len, struct alert *ret_alert)
{
	struct alert a = {0};
	size_t n, s, t;

	if (!buf || !ret_alert)
		return -EINVAL;
	/* Reserved bytes are zero in version 1: a later version says what they mean. */
	if (len < HEADER_SIZE || memcmp(buf, ALERT_MAGIC, 4) != 0 || buf[4] != ALERT_VERSION ||
	    buf[5] > ALERT_CRITICAL || buf[6] || buf[7] || buf[22] || buf[23])
		return -EBADMSG;
	n = get_le16(buf + 16);
	s = get_le16(buf + 18);
	t = get_le16(buf + 20);
	if (n == 0 || t == 0 || len != HEADER_SIZE + n + s + t)
		return -EBADMSG;
	a.severity = (enum alert_severity)buf[5];
	a.time_s = get_le64(buf + 8);
	buf += HEADER_SIZE;
	if (field_get(a.node, ALERT_NODE_MAX, buf, n) < 0 ||
	    field_get(a.source, ALERT_SOURCE_MAX, buf + n, s) < 0 ||
	    field_get(a.text, ALERT_TEXT_MAX, buf + n + s, t) < 0)
		return -EBADMSG;
	*ret_alert = a;
	return 0;
}

int alert_format(const struct alert *a, char *buf, size_t size)
{
	int n;

	if (!a || !buf || size == 0)
		return -EINVAL;
	n = snprintf(buf, size, "%s alert from node '%s'%s%s%s: %s",
		     alert_severity_name(a->severity), a->node, a->source[0] ? " (" : "", a->source,
		     a->source[0] ? ")" : "", a->text);
	return n < 0 || (size_t)n >= size ? -ENOBUFS : n;
}
