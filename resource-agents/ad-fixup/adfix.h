/*
 * ocf:exha:ad-fixup: repoint the directory (Active Directory, or any LDAP
 * server with Exchange's attributes) at the server now active, the job of
 * exch.vbs in the classic design. The agent itself links no libldap: the
 * actions that talk to the directory load ad-fixup-io.so (dirops.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "agent.h"
#include "dirops.h"
#include "uri.h"

enum adfix_task {
	TASK_STORES,
	TASK_SPN,
	TASK_ROUTING,
	TASK_RUS,
	TASK_OAB,
	TASK_MAILBOXES,
	TASK_COUNT,
};

extern const char *const adfix_task_names[TASK_COUNT];

/* scope=servers: what a mail service needs at start; scope=users: the per-user rewrite. */
#define ADFIX_SCOPE_SERVERS                                                                        \
	((1u << TASK_STORES) | (1u << TASK_SPN) | (1u << TASK_ROUTING) | (1u << TASK_RUS) |        \
	 (1u << TASK_OAB))
#define ADFIX_SCOPE_USERS (1u << TASK_MAILBOXES)

/* ldap, ldaps, ldapi: indexed by enum dir_transport. */
extern const struct uri_scheme adfix_uri_schemes[DIR_TRANSPORT_COUNT];

struct adfix_uri {
	struct uri parsed;	 /* parsed.scheme is an enum dir_transport */
	char text[URI_TEXT_MAX]; /* canonical: what libldap is given and messages show */
};

struct adfix_config {
	struct adfix_uri uri;
	const char *bind_dn;
	const char *bind_password_file;
	const char *ca_file;
	bool tls;
	const char *base_dn; /* NULL: the root DSE's defaultNamingContext */
	const char *primary;
	const char *backup;
	const char *user_base; /* NULL: base_dn */
	char **tasks;
	unsigned task_mask;  /* 1 << enum adfix_task, from tasks within scope */
	unsigned scope_mask; /* the tasks scope allows */
	uint64_t timeout_s;  /* per directory operation */
	uint64_t window;     /* modifies in flight */
};

#define ADFIX_N_PARAMS 13
extern const struct param_def adfix_params[ADFIX_N_PARAMS];
int adfix_config_check(void *config, struct error *err);
