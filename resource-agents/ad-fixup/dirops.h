/*
 * The boundary between the agent and its I/O plugin (ad-fixup-io.so, the
 * only code linked against libldap and libcpg): plain data and
 * one table of functions, found by dlopen() only in the actions that talk
 * to the directory, so a level-0 monitor never pays for loading libldap.
 * Self-contained on purpose: the plugin links nothing of libexha.
 *
 * Every function returns >= 0 or -errno and leaves a one-line message in
 * err (DIR_ERR_SIZE bytes) on failure. Deadlines are CLOCK_MONOTONIC
 * microseconds, as deadline.h keeps them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"

#define DIR_OPS_SYMBOL	"adfix_dir_ops"
#define DIR_OPS_VERSION 2
#define DIR_ERR_SIZE	512
#define DIR_MOD_MAX	4 /* changes in one modify */

struct dir_attr {
	const char *name;
	size_t n;
	char **values; /* NUL-terminated strings */
};

struct dir_entry {
	const char *dn;
	size_t n_attrs;
	const struct dir_attr *attrs;
};

enum dir_op {
	DIR_ADD,
	DIR_DELETE,
	DIR_REPLACE,
};

struct dir_change {
	enum dir_op op;
	const char *attr; /* static string */
	size_t n;
	char **values; /* owned by the dir_mod */
};

/* One modify of one entry, all its attributes at once. */
struct dir_mod {
	char *dn; /* owned */
	size_t n_changes;
	struct dir_change changes[DIR_MOD_MAX];
};

/* The uri's scheme, as the agent parsed it: the plugin never reads it from the text. */
enum dir_transport {
	DIR_LDAP,  /* StartTLS unless tls is false */
	DIR_LDAPS, /* TLS from the first byte */
	DIR_LDAPI, /* local socket, no TLS */
	DIR_TRANSPORT_COUNT,
};

struct dir_conn_opts {
	const char *uri; /* one URI, canonical (uri_format): scheme in lower case */
	enum dir_transport transport;
	const char *host;    /* the uri's host: what the certificate must name */
	const char *bind_dn; /* a DN, user@domain or DOMAIN\user, bound as given; NULL:
			      * SASL EXTERNAL on ldapi://, else anonymous */
	const char *password;
	const char *ca_file;
	bool tls; /* StartTLS on ldap:// (ldaps:// always, ldapi:// never) */
	uint64_t op_timeout_ms;
};

struct dir;

/* Called for each entry a search returns; a negative return stops the search. */
typedef int (*dir_entry_fn)(const struct dir_entry *e, void *userdata);

enum dir_scope {
	DIR_SCOPE_BASE,
	DIR_SCOPE_SUB,
};

struct dir_ops {
	unsigned version;
	int (*open)(const struct dir_conn_opts *o, uint64_t deadline_us, struct dir **ret,
		    char *err);
	void (*close)(struct dir *d);
	/* The root DSE's defaultNamingContext, else its first namingContexts. */
	int (*naming_context)(struct dir *d, uint64_t deadline_us, char **ret, char *err);
	/*
	 * Search with paged results (page entries per page); size_limit 0 is
	 * none. -ENOENT when base does not exist.
	 */
	int (*search)(struct dir *d, const char *base, enum dir_scope scope, const char *filter,
		      const char *const *attrs, unsigned page, unsigned size_limit,
		      uint64_t deadline_us, dir_entry_fn fn, void *userdata, char *err);
	/*
	 * Apply mods in order with up to window requests in flight. *ret_done
	 * counts the modifies that succeeded; the first failure stops sending
	 * (those in flight are still awaited) and is returned.
	 */
	int (*modify)(struct dir *d, const struct dir_mod *mods, size_t n, unsigned window,
		      uint64_t deadline_us, size_t *ret_done, char *err);
	/* alert_send() (libcpg lives here too, off the monitor path). */
	int (*alert)(const struct alert *a, uint64_t deadline_us);
};
