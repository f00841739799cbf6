/*
 * ad-fixup's parameters: the one table behind its meta-data, validate-all
 * and every action. The password file's owner and modes are checked where
 * it is read (shared/secret.c), not here: parsing stays pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "adfix.h"
#include "bindname.h"
#include "dn.h"

const char *const adfix_task_names[TASK_COUNT] = {
	[TASK_STORES] = "stores", [TASK_SPN] = "spn", [TASK_ROUTING] = "routing",
	[TASK_RUS] = "rus",	  [TASK_OAB] = "oab", [TASK_MAILBOXES] = "mailboxes",
};

const struct uri_scheme adfix_uri_schemes[DIR_TRANSPORT_COUNT] = {
	[DIR_LDAP] = {"ldap", 0},
	[DIR_LDAPS] = {"ldaps", 0},
	[DIR_LDAPI] = {"ldapi", URI_SOCKET},
};

/* One URI; every later decision (TLS, SASL EXTERNAL) reads the parsed scheme. */
static int parse_uri(const struct param_def *def, const char *value, void *field, struct error *err)
{
	struct adfix_uri *u = field;
	int r = uri_parse(value, adfix_uri_schemes, DIR_TRANSPORT_COUNT, &u->parsed, err);

	if (r >= 0 && uri_format(&u->parsed, adfix_uri_schemes, DIR_TRANSPORT_COUNT, u->text,
				 sizeof(u->text)) < 0)
		r = error_set(err, ENAMETOOLONG, "too long");
	return r;
}

static int parse_server(const struct param_def *def, const char *value, void *field,
			struct error *err)
{
	if (!server_name_valid(value))
		return error_set(err, EINVAL,
				 "must be a server name of 1 to 15 letters, digits or '-'");
	*(const char **)field = value;
	return 0;
}

static int parse_dn(const struct param_def *def, const char *value, void *field, struct error *err)
{
	if (!dn_valid(value))
		return error_set(err, EINVAL, "must be a distinguished name (RFC 4514)");
	*(const char **)field = value;
	return 0;
}

/* all, servers or users: the tasks this instance may run (one group, two instances). */
static int parse_scope(const struct param_def *def, const char *value, void *field,
		       struct error *err)
{
	unsigned *mask = field;

	if (strcmp(value, "all") == 0)
		*mask = ADFIX_SCOPE_SERVERS | ADFIX_SCOPE_USERS;
	else if (strcmp(value, "servers") == 0)
		*mask = ADFIX_SCOPE_SERVERS;
	else if (strcmp(value, "users") == 0)
		*mask = ADFIX_SCOPE_USERS;
	else
		return error_set(err, EINVAL, "must be all, servers or users");
	return 0;
}

static int parse_bind_name(const struct param_def *def, const char *value, void *field,
			   struct error *err)
{
	if (bind_name_kind(value) == BIND_NAME_INVALID)
		return error_set(
			err, EINVAL,
			"must be a distinguished name (CN=svc,CN=Users,DC=corp,DC=example), "
			"a user principal name (svc@corp.example) or DOMAIN\\user");
	*(const char **)field = value;
	return 0;
}

static int parse_path(const struct param_def *def, const char *value, void *field,
		      struct error *err)
{
	if (value[0] != '/')
		return error_set(err, EINVAL, "must be an absolute path");
	*(const char **)field = value;
	return 0;
}

#define FIELD(f) offsetof(struct adfix_config, f)

const struct param_def adfix_params[ADFIX_N_PARAMS] = {
	{.name = "uri",
	 .type = PARAM_STRING,
	 .flags = PARAM_REQUIRED,
	 .shortdesc = "Directory URI",
	 .longdesc = "Exactly one URI (no list): ldaps://dc.example:636, ldap://dc.example "
		     "(StartTLS unless tls=false) or ldapi://%2Frun%2Fslapd%2Fldapi (local "
		     "socket; without bind_dn the agent binds with SASL EXTERNAL). The scheme "
		     "may be in any case; the host is a DNS name, a.b.c.d or [IPv6].",
	 .offset = FIELD(uri),
	 .parse = parse_uri},
	{.name = "bind_dn",
	 .type = PARAM_STRING,
	 .shortdesc = "Account to bind as",
	 .longdesc = "The account the agent binds as (simple bind over TLS), in any form "
		     "Active Directory accepts for a simple bind, passed to it unchanged: a DN "
		     "(CN=svc-exha,CN=Users,DC=corp,DC=example), a user principal name "
		     "(svc-exha@corp.example) or a down-level logon name (CORP\\svc-exha). "
		     "Other LDAP servers (slapd) take only a DN. Required except on ldapi://.",
	 .offset = FIELD(bind_dn),
	 .parse = parse_bind_name},
	{.name = "bind_password_file",
	 .type = PARAM_STRING,
	 .shortdesc = "File holding the bind password",
	 .longdesc = "A regular file owned by root and open to no one else; missing, unreadable "
		     "or unsafe, it is OCF_ERR_INSTALLED (the file is this node's). "
		     "The first line is the password; it never reaches a command line, an "
		     "environment or a log.",
	 .offset = FIELD(bind_password_file),
	 .parse = parse_path},
	{.name = "ca_file",
	 .type = PARAM_STRING,
	 .shortdesc = "CA certificates (PEM)",
	 .longdesc = "The CAs the directory's certificate must chain to (missing: "
		     "OCF_ERR_INSTALLED). Default: the system's (ldap.conf). A refused "
		     "certificate is reported with its cause: name mismatch, unknown CA, "
		     "expired.",
	 .offset = FIELD(ca_file),
	 .parse = parse_path},
	{.name = "tls",
	 .type = PARAM_BOOLEAN,
	 .default_value = "true",
	 .shortdesc = "Require TLS on ldap://",
	 .longdesc = "StartTLS on ldap:// URIs, with the certificate verified. Turning it off "
		     "sends the password in clear, so it is refused (OCF_ERR_CONFIGURED) "
		     "unless the URI's host is this host's loopback (127.0.0.1, ::1, "
		     "localhost).",
	 .offset = FIELD(tls),
	 .parse = param_parse_bool},
	{.name = "base_dn",
	 .type = PARAM_STRING,
	 .shortdesc = "Domain DN",
	 .longdesc = "DC=corp,DC=example. Default: the root DSE's defaultNamingContext (Active "
		     "Directory), else its first namingContexts value (other servers).",
	 .offset = FIELD(base_dn),
	 .parse = parse_dn},
	{.name = "primary",
	 .type = PARAM_STRING,
	 .flags = PARAM_REQUIRED,
	 .shortdesc = "Primary server name",
	 .longdesc = "The Exchange server (and Pacemaker node) the directory points at "
		     "normally. Starting on this node fails back; on any other node, over.",
	 .offset = FIELD(primary),
	 .parse = parse_server},
	{.name = "backup",
	 .type = PARAM_STRING,
	 .flags = PARAM_REQUIRED,
	 .shortdesc = "Backup server name",
	 .longdesc = "The server the directory points at after a failover.",
	 .offset = FIELD(backup),
	 .parse = parse_server},
	{.name = "user_base",
	 .type = PARAM_STRING,
	 .shortdesc = "Where mail users are searched",
	 .longdesc = "Subtree searched (paged) for users with mail. Default: the whole domain.",
	 .offset = FIELD(user_base),
	 .parse = parse_dn},
	{.name = "tasks",
	 .type = PARAM_STRING,
	 .default_value = "stores spn mailboxes routing rus oab",
	 .shortdesc = "What to repoint",
	 .longdesc = "Space-separated subset of: stores (msExchPatchMDB on the store taking "
		     "over), spn (move the primary's SPNs), mailboxes (homeMDB, homeMTA, "
		     "msExchHomeServerName of every mail user), routing (routing master), rus "
		     "(Recipient Update Services), oab (offline address book server).",
	 .offset = FIELD(tasks),
	 .parse = param_parse_list,
	 .free = param_free_list},
	{.name = "scope",
	 .type = PARAM_STRING,
	 .default_value = "all",
	 .shortdesc = "Which part of the fixup this instance runs",
	 .longdesc = "servers: what a mail service needs when it starts (stores, spn, "
		     "routing, rus, oab: a handful of objects, milliseconds); users: the "
		     "per-user rewrite (mailboxes: one modify per mail user, seconds to "
		     "minutes on a large directory); all: both. Two instances in one group, "
		     "scope=servers before the services and scope=users after them, keep the "
		     "per-user rewrite off the path to mail answering. Only the tasks named "
		     "in tasks that the scope allows run.",
	 .offset = FIELD(scope_mask),
	 .parse = parse_scope},
	{.name = "timeout",
	 .type = PARAM_INTEGER,
	 .default_value = "10",
	 .shortdesc = "Seconds per directory operation",
	 .longdesc = "Each connect, bind, search page or reply waits at most this long (and "
		     "never past the action's own timeout).",
	 .offset = FIELD(timeout_s),
	 .parse = param_parse_uint,
	 .min = 1,
	 .max = 3600},
	{.name = "window",
	 .type = PARAM_INTEGER,
	 .default_value = "64",
	 .shortdesc = "Modifies in flight",
	 .longdesc = "How many modify requests are pipelined before waiting for replies.",
	 .offset = FIELD(window),
	 .parse = param_parse_uint,
	 .min = 1,
	 .max = 1024},
};

static int tasks_mask(char **tasks, unsigned *ret, struct error *err)
{
	unsigned mask = 0;

	for (char **t = tasks; t && *t; t++) {
		size_t i;

		for (i = 0; i < TASK_COUNT; i++)
			if (strcmp(*t, adfix_task_names[i]) == 0)
				break;
		if (i == TASK_COUNT)
			return error_set(err, EINVAL,
					 "tasks: '%s' is not one of stores, spn, mailboxes, "
					 "routing, rus, oab",
					 *t);
		mask |= 1u << i;
	}
	if (!mask)
		return error_set(err, EINVAL, "tasks: must name at least one task");
	*ret = mask;
	return 0;
}

int adfix_config_check(void *config, struct error *err)
{
	struct adfix_config *c = config;
	bool ldapi = c->uri.parsed.scheme == DIR_LDAPI;
	int r;

	if (strcasecmp(c->primary, c->backup) == 0)
		return error_set(err, EINVAL, "backup: must differ from primary ('%s')",
				 c->primary);
	if (c->uri.parsed.scheme == DIR_LDAPS && !c->tls)
		return error_set(err, EINVAL,
				 "tls: ldaps:// is always TLS; tls=false contradicts it");
	if (!c->bind_dn && !ldapi)
		return error_set(err, EINVAL, "bind_dn: required except on ldapi://");
	/* A simple bind without TLS puts the password on the wire: only this host's loopback. */
	if (c->uri.parsed.scheme == DIR_LDAP && !c->tls && c->bind_dn &&
	    !uri_host_is_loopback(&c->uri.parsed))
		return error_set(
			err, EINVAL,
			"tls=false would send bind_dn's password in clear to '%s': without "
			"TLS only a directory on this host (127.0.0.1, ::1, localhost) or "
			"ldapi:// may be used",
			c->uri.parsed.host);
	if (c->bind_dn && !c->bind_password_file)
		return error_set(err, EINVAL, "bind_password_file: required with bind_dn");
	r = tasks_mask(c->tasks, &c->task_mask, err);
	if (r < 0)
		return r;
	c->task_mask &= c->scope_mask;
	if (!c->task_mask)
		return error_set(err, EINVAL, "scope: none of the tasks named in tasks is in it");
	return 0;
}
