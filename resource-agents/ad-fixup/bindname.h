/*
 * The names ad-fixup binds as. Active Directory takes three spellings for
 * a simple bind, and administrators know their account by the last two:
 * a DN, a user principal name (user@corp.example) and a down-level logon
 * name (CORP\user). Each is checked here and then passed to the bind
 * unchanged: the directory, not the agent, maps it to an account.
 */
#pragma once

enum bind_name_kind {
	BIND_NAME_INVALID,
	BIND_NAME_DN,	     /* CN=svc-exha,CN=Users,DC=corp,DC=example (RFC 4514) */
	BIND_NAME_UPN,	     /* svc-exha@corp.example */
	BIND_NAME_DOWNLEVEL, /* CORP\svc-exha */
};

/* Pure: which spelling name is, or BIND_NAME_INVALID (also for NULL or ""). */
enum bind_name_kind bind_name_kind(const char *name);
