/*
 * The CRLF line protocols of SMTP, IMAP and POP3, as pure functions over
 * the bytes a server sent: split lines, classify replies. No I/O, so the
 * unit tests and fuzz targets see exactly what the probes see.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Longest line accepted, CRLF excluded (IMAP CAPABILITY lines run long). */
#define REPLY_LINE_MAX 4096

/*
 * The first line in buf[0..len): 1 with *ret_line_len (CRLF excluded) when
 * a whole line is there (it occupies *ret_line_len + 2 bytes), 0 when more
 * bytes are needed, -EPROTO for a NUL, a lone CR or LF, or a line longer
 * than REPLY_LINE_MAX.
 */
int reply_line_split(const char *buf, size_t len, size_t *ret_line_len);

/*
 * One SMTP reply line ("250-PIPELINING", "250 OK", "220"): its code
 * (200..599) and whether it is the last line of the reply. -EPROTO else.
 */
int smtp_line_parse(const char *line, unsigned *ret_code, bool *ret_last);

/* Whether an EHLO reply line ("250-STARTTLS") names the keyword. */
bool smtp_line_has_keyword(const char *line, const char *keyword);

enum imap_status {
	IMAP_OK,
	IMAP_NO,
	IMAP_BAD,
	IMAP_PREAUTH, /* greeting only */
	IMAP_BYE,     /* untagged only */
	IMAP_OTHER,   /* untagged data: "* CAPABILITY ...", "* 3 EXISTS" */
};

/*
 * An IMAP response line: untagged ("* ...", *ret_tagged false) or tagged
 * with tag ("a1 OK ...", *ret_tagged true); its status, and in *ret_text
 * the rest after the status word (points into line). Continuation requests
 * ("+ ...") and lines with another tag are -EPROTO.
 */
int imap_line_parse(const char *line, const char *tag, bool *ret_tagged,
		    enum imap_status *ret_status, const char **ret_text);

/* Largest literal read (header fields of one message, not whole mailboxes). */
#define IMAP_LITERAL_MAX 65536

/*
 * The size N when line ends in the announcement of an IMAP literal "{N}"
 * (the N bytes after the line's CRLF belong to the response), else -1.
 * N above IMAP_LITERAL_MAX comes back as some value above it.
 */
long imap_literal_size(const char *line);

/* Whether "* CAPABILITY ..." (text after "CAPABILITY") lists cap, any case. */
bool imap_has_capability(const char *caps, const char *cap);

/* A POP3 status line: 1 for "+OK[ ...]", 0 for "-ERR[ ...]", -EPROTO else. */
int pop3_line_parse(const char *line);

/*
 * A server's line made fit for a message: control characters and bytes
 * outside ASCII become '?', cut at size - 1 (with "..." when cut).
 */
void reply_sanitize(const char *line, char *out, size_t size);
