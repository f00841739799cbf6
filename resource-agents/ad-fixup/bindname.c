/*
 * Bind names (see bindname.h). The account part follows what AD allows in
 * sAMAccountName and a UPN prefix: none of "/\[]:;|=,+*?<>@ and no control
 * characters, so a name is never half DN, half logon name.
 */
#include "bindname.h"

#include <stdbool.h>
#include <string.h>

#include "dn.h"
#include "uri.h"

#define ACCOUNT_MAX	   64 /* AD: sAMAccountName 20, UPN prefix 64 */
#define NETBIOS_DOMAIN_MAX 15

static bool account_valid(const char *s, size_t len)
{
	if (len == 0 || len > ACCOUNT_MAX || s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f ||
		    strchr("\"/\\[]:;|=,+*?<>@", s[i]))
			return false;
	return true;
}

/* A NetBIOS domain name: letters, digits, '-' and '_', not starting with '-'. */
static bool netbios_domain_valid(const char *s, size_t len)
{
	if (len == 0 || len > NETBIOS_DOMAIN_MAX || s[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

enum bind_name_kind bind_name_kind(const char *name)
{
	const char *at, *bs;

	if (!name || !name[0])
		return BIND_NAME_INVALID;
	if (strchr(name, '='))
		return dn_valid(name) ? BIND_NAME_DN : BIND_NAME_INVALID;
	at = strchr(name, '@');
	bs = strchr(name, '\\');
	if (at && !bs)
		return account_valid(name, (size_t)(at - name)) && uri_dns_name_valid(at + 1)
			       ? BIND_NAME_UPN
			       : BIND_NAME_INVALID;
	if (bs && !at)
		return netbios_domain_valid(name, (size_t)(bs - name)) &&
				       account_valid(bs + 1, strlen(bs + 1))
			       ? BIND_NAME_DOWNLEVEL
			       : BIND_NAME_INVALID;
	return BIND_NAME_INVALID;
}
