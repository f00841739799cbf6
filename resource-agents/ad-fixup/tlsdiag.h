/*
 * Why the directory's certificate was refused, in the administrator's
 * words. libldap reports a failed handshake as "Can't contact LDAP server"
 * (GnuTLS leaves no diagnostic message), which sends people to check the
 * network; the usual causes are a name mismatch (ldaps://127.0.0.1 against
 * a certificate for DC1.example), a CA not in ca_file, and expiry. Part of
 * ad-fixup-io.so: GnuTLS is already loaded there by libldap.
 */
#pragma once

#include <stddef.h>

/*
 * Check the DER certificate (der, len) the server sent against host (a
 * DNS name, or an IPv4/IPv6 address in text) and the CAs of ca_file (NULL:
 * the system's). 1 with one line in buf naming each cause found and the
 * names involved; 0 when none of them applies; -errno when the
 * certificate cannot be read.
 */
int tlsdiag_explain(const void *der, size_t len, const char *host, const char *ca_file, char *buf,
		    size_t size);
