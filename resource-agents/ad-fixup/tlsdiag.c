/*
 * Explaining a refused certificate (see tlsdiag.h). The checks repeat what
 * the handshake's verification does (name, chain to a trusted CA, validity
 * dates), on the certificate alone, only to say which of them failed.
 */
#include "tlsdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define NAMES_MAX 4 /* subject alternative names quoted in a message */

struct line {
	char *buf;
	size_t size, len;
};

static void line_add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (l->len >= l->size)
		return;
	if (l->len > 0 && l->len + 2 < l->size) {
		memcpy(l->buf + l->len, "; ", 3);
		l->len += 2;
	}
	va_start(ap, fmt);
	k = vsnprintf(l->buf + l->len, l->size - l->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->len += (size_t)k;
}

/* The DNS names and addresses the certificate is for ("DC1.example, 192.0.2.1"). */
static void cert_names(gnutls_x509_crt_t crt, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0, shown = 0; shown < NAMES_MAX && len < size; i++) {
		char name[256], text[INET6_ADDRSTRLEN];
		size_t n = sizeof(name) - 1;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, i, name, &n, NULL);
		const char *show = NULL;

		if (type < 0)
			break;
		if (type == GNUTLS_SAN_DNSNAME) {
			name[n] = '\0';
			show = name;
		} else if (type == GNUTLS_SAN_IPADDRESS && (n == 4 || n == 16)) {
			show = inet_ntop(n == 4 ? AF_INET : AF_INET6, name, text, sizeof(text));
		}
		if (show) {
			int k = snprintf(buf + len, size - len, "%s%s", shown++ ? ", " : "", show);

			len += k > 0 ? (size_t)k : 0;
		}
	}
	if (buf[0] == '\0') {
		size_t n = size;

		if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &n) <
		    0)
			snprintf(buf, size, "no name");
	}
}

static bool name_matches(gnutls_x509_crt_t crt, const char *host)
{
	unsigned char addr[16];

	if (inet_pton(AF_INET, host, addr) == 1)
		return gnutls_x509_crt_check_ip(crt, addr, 4, 0);
	if (inet_pton(AF_INET6, host, addr) == 1)
		return gnutls_x509_crt_check_ip(crt, addr, 16, 0);
	return gnutls_x509_crt_check_hostname2(crt, host, 0);
}

static void date_text(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, size, "?");
}

/* Not chained to a trusted CA: say who issued it and what was trusted. */
static void check_issuer(gnutls_x509_crt_t crt, const char *ca_file, struct line *l)
{
	gnutls_x509_trust_list_t list;
	gnutls_datum_t issuer = {NULL, 0};
	unsigned status = 0;
	int r = gnutls_x509_trust_list_init(&list, 0);

	if (r < 0)
		return;
	r = ca_file ? gnutls_x509_trust_list_add_trust_file(list, ca_file, NULL,
							    GNUTLS_X509_FMT_PEM, 0, 0)
		    : gnutls_x509_trust_list_add_system_trust(list, 0, 0);
	if (r >= 0)
		r = gnutls_x509_trust_list_verify_crt2(
			list, &crt, 1, NULL, 0,
			GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
				GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
			&status, NULL);
	if (r >= 0 && (status & GNUTLS_CERT_INVALID)) {
		gnutls_x509_crt_get_issuer_dn3(crt, &issuer, 0);
		line_add(l, "unknown CA: issued by '%s', which %s does not trust",
			 issuer.data ? (const char *)issuer.data : "?",
			 ca_file ? "ca_file" : "the system");
		gnutls_free(issuer.data);
	}
	gnutls_x509_trust_list_deinit(list, 1);
}

static void check_dates(gnutls_x509_crt_t crt, struct line *l)
{
	time_t now = time(NULL), from = gnutls_x509_crt_get_activation_time(crt),
	       until = gnutls_x509_crt_get_expiration_time(crt);
	char when[40];

	if (until != (time_t)-1 && until < now) {
		date_text(until, when, sizeof(when));
		line_add(l, "expired: on %s", when);
	} else if (from != (time_t)-1 && from > now) {
		date_text(from, when, sizeof(when));
		line_add(l, "not yet valid: from %s (check the clocks)", when);
	}
}

int tlsdiag_explain(const void *der, size_t len, const char *host, const char *ca_file, char *buf,
		    size_t size)
{
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	gnutls_x509_crt_t crt;
	struct line l = {buf, size, 0};
	char names[256];
	int r;

	if (!der || !host || !buf || size == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (gnutls_x509_crt_init(&crt) < 0)
		return -ENOMEM;
	r = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		gnutls_x509_crt_deinit(crt);
		return -EBADMSG;
	}
	if (!name_matches(crt, host)) {
		cert_names(crt, names, sizeof(names));
		line_add(&l, "name mismatch: it is for %s, which does not match '%s'", names, host);
	}
	check_issuer(crt, ca_file, &l);
	check_dates(crt, &l);
	gnutls_x509_crt_deinit(crt);
	return l.len > 0;
}
