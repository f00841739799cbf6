/*
 * Which SPNs move with a server. Kerberos finds a service's key through the
 * computer object holding the SPN, so the names clients use for the primary
 * (short and FQDN) must sit on the computer now running it.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "spn.h"

const char *const spn_moved_classes[] = {"HOST", "exchangeMDB", "exchangeRFR", NULL};

int spn_parse(const char *spn, const char **ret_class, size_t *ret_class_len, const char **ret_host,
	      size_t *ret_host_len)
{
	const char *slash, *host, *end;

	if (!spn)
		return -EINVAL;
	slash = strchr(spn, '/');
	if (!slash || slash == spn)
		return -EINVAL;
	host = slash + 1;
	end = host + strcspn(host, ":/");
	if (end == host)
		return -EINVAL;
	if (*end == ':') {
		const char *port = end + 1, *q = port;

		while (*q >= '0' && *q <= '9')
			q++;
		if (q == port || (*q && *q != '/'))
			return -EINVAL;
	}
	*ret_class = spn;
	*ret_class_len = (size_t)(slash - spn);
	*ret_host = host;
	*ret_host_len = (size_t)(end - host);
	return 0;
}

bool spn_host_is(const char *host, size_t len, const char *name)
{
	size_t nlen = strlen(name);

	if (nlen == 0 || len < nlen || strncasecmp(host, name, nlen) != 0)
		return false;
	if (len == nlen)
		return true;
	/* An FQDN: the name is the whole first label and a domain follows. */
	return host[nlen] == '.' && len > nlen + 1;
}

bool spn_moves_with(const char *spn, const char *name)
{
	const char *cls, *host;
	size_t cls_len, host_len;

	if (spn_parse(spn, &cls, &cls_len, &host, &host_len) < 0)
		return false;
	for (const char *const *c = spn_moved_classes; *c; c++)
		if (strlen(*c) == cls_len && strncasecmp(*c, cls, cls_len) == 0)
			return spn_host_is(host, host_len, name);
	return false;
}
