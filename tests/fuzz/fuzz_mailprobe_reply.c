/*
 * fuzz_mailprobe_reply: whatever a server sends, as mail-probe reads it:
 * split into CRLF lines, each classified as an SMTP, IMAP and POP3 reply
 * (and an IMAP literal's announcement), and sanitized for a message. A split line lies inside the
 * input and holds no CR, LF or NUL; a sanitized line is printable ASCII.
 */
#include <errno.h>

#include "fuzz.h"
#include "reply.h"

static void check_line(const char *line)
{
	enum imap_status st;
	const char *text = NULL;
	char out[64];
	unsigned code;
	bool last, tagged;
	int r;

	r = smtp_line_parse(line, &code, &last);
	FUZZ_ASSERT(r == 0 || r == -EPROTO);
	if (r == 0)
		FUZZ_ASSERT(code >= 200 && code <= 599);
	r = imap_line_parse(line, "x1", &tagged, &st, &text);
	FUZZ_ASSERT(r == 0 || r == -EPROTO);
	if (r == 0)
		FUZZ_ASSERT(text >= line && text <= line + strlen(line));
	r = pop3_line_parse(line);
	FUZZ_ASSERT(r == 0 || r == 1 || r == -EPROTO);
	(void)smtp_line_has_keyword(line, "STARTTLS");
	(void)imap_has_capability(line, "IMAP4rev1");
	FUZZ_ASSERT(imap_literal_size(line) >= -1);
	reply_sanitize(line, out, sizeof(out));
	for (const char *p = out; *p; p++)
		FUZZ_ASSERT(*p >= 0x20 && *p < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t off = 0, n;

	while (off < size) {
		char *line;
		int r = reply_line_split(buf + off, size - off, &n);

		FUZZ_ASSERT(r >= -EPROTO && r <= 1);
		if (r <= 0)
			break;
		FUZZ_ASSERT(n + 2 <= size - off && n <= REPLY_LINE_MAX);
		FUZZ_ASSERT(!memchr(buf + off, '\0', n) && !memchr(buf + off, '\n', n));
		line = fuzz_string(data + off, n);
		check_line(line);
		free(line);
		off += n + 2;
	}
	return 0;
}
