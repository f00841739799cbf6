/*
 * servicePrincipalName values ("class/host[:port][/service]") that belong to
 * a server and move with it on failover: classes HOST, exchangeMDB and
 * exchangeRFR, host the server's short name or an FQDN whose first label is
 * that name. Whole host names only: EX1 owns "HOST/ex1.corp.example" but not
 * "HOST/EX10" or "HOST/ex10.corp.example".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Split spn: 0 with the class and host spans, -EINVAL when it is not an SPN. */
int spn_parse(const char *spn, const char **ret_class, size_t *ret_class_len, const char **ret_host,
	      size_t *ret_host_len);

/* Whether host (len bytes) is name or an FQDN whose first label is name (ASCII case ignored). */
bool spn_host_is(const char *host, size_t len, const char *name);

/* Whether spn is one of server name's SPNs that move on failover. */
bool spn_moves_with(const char *spn, const char *name);

/* The classes that move, NULL-terminated, in the order the canonical set uses. */
extern const char *const spn_moved_classes[];
