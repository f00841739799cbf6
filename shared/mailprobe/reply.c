/*
 * Line splitting and reply classification for the mail probes. Strict where
 * the RFCs are (CRLF, three-digit SMTP codes, exact tags), since a wrong
 * greeting is exactly what a probe exists to notice.
 */
#include "reply.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

int reply_line_split(const char *buf, size_t len, size_t *ret_line_len)
{
	for (size_t i = 0; i < len; i++) {
		if (i > REPLY_LINE_MAX)
			return -EPROTO;
		if (buf[i] == '\0' || buf[i] == '\n')
			return -EPROTO;
		if (buf[i] != '\r')
			continue;
		if (i + 1 == len)
			return 0;
		if (buf[i + 1] != '\n')
			return -EPROTO;
		*ret_line_len = i;
		return 1;
	}
	return len > REPLY_LINE_MAX ? -EPROTO : 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int smtp_line_parse(const char *line, unsigned *ret_code, bool *ret_last)
{
	if (line[0] < '2' || line[0] > '5' || !is_digit(line[1]) || !is_digit(line[2]))
		return -EPROTO;
	if (line[3] != '\0' && line[3] != ' ' && line[3] != '-')
		return -EPROTO;
	*ret_code = (unsigned)(line[0] - '0') * 100 + (unsigned)(line[1] - '0') * 10 +
		    (unsigned)(line[2] - '0');
	*ret_last = line[3] != '-';
	return 0;
}

/* Whether s starts with word (any case) followed by a blank or the end. */
static bool word_at(const char *s, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(s, word, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

bool smtp_line_has_keyword(const char *line, const char *keyword)
{
	unsigned code;
	bool last;

	if (smtp_line_parse(line, &code, &last) < 0 || code != 250 || line[3] == '\0')
		return false;
	return word_at(line + 4, keyword);
}

static const struct {
	const char *word;
	enum imap_status status;
} imap_words[] = {
	{"OK", IMAP_OK},	   {"NO", IMAP_NO},   {"BAD", IMAP_BAD},
	{"PREAUTH", IMAP_PREAUTH}, {"BYE", IMAP_BYE},
};

/* The status word at s, and the text after it (its blank skipped). */
static enum imap_status imap_status_word(const char *s, const char **ret_text)
{
	for (size_t i = 0; i < sizeof(imap_words) / sizeof(imap_words[0]); i++) {
		size_t n = strlen(imap_words[i].word);

		if (word_at(s, imap_words[i].word)) {
			*ret_text = s[n] == ' ' ? s + n + 1 : s + n;
			return imap_words[i].status;
		}
	}
	*ret_text = s;
	return IMAP_OTHER;
}

int imap_line_parse(const char *line, const char *tag, bool *ret_tagged,
		    enum imap_status *ret_status, const char **ret_text)
{
	size_t n = strlen(tag);
	enum imap_status status;
	const char *text;

	if (line[0] == '*' && line[1] == ' ') {
		*ret_tagged = false;
		*ret_status = imap_status_word(line + 2, ret_text);
		return 0;
	}
	if (n == 0 || strncmp(line, tag, n) != 0 || line[n] != ' ')
		return -EPROTO;
	status = imap_status_word(line + n + 1, &text);
	if (status != IMAP_OK && status != IMAP_NO && status != IMAP_BAD)
		return -EPROTO;
	*ret_tagged = true;
	*ret_status = status;
	*ret_text = text;
	return 0;
}

long imap_literal_size(const char *line)
{
	const char *open = strrchr(line, '{');
	size_t n = strlen(line);
	long v = 0;

	if (!open || n < 3 || line[n - 1] != '}' || open + 2 == line + n)
		return -1;
	for (const char *p = open + 1; p < line + n - 1; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v <= IMAP_LITERAL_MAX)
			v = v * 10 + (*p - '0');
	}
	return v;
}

bool imap_has_capability(const char *caps, const char *cap)
{
	const char *p = caps;

	while (*p) {
		while (*p == ' ')
			p++;
		if (word_at(p, cap))
			return true;
		p += strcspn(p, " ");
	}
	return false;
}

int pop3_line_parse(const char *line)
{
	if (strncmp(line, "+OK", 3) == 0 && (line[3] == '\0' || line[3] == ' '))
		return 1;
	if (strncmp(line, "-ERR", 4) == 0 && (line[4] == '\0' || line[4] == ' '))
		return 0;
	return -EPROTO;
}

void reply_sanitize(const char *line, char *out, size_t size)
{
	size_t i;

	if (size == 0)
		return;
	for (i = 0; i < size - 1 && line[i]; i++) {
		unsigned char c = (unsigned char)line[i];

		out[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	out[i] = '\0';
	if (line[i] && size >= 4)
		memcpy(out + size - 4, "...", 4);
}
