/*
 * The probe's login credentials, from a file only root may read: the
 * password must never sit in a CIB parameter, an environment variable or a
 * command line, all of which other users can see. The file's checks are
 * shared/secret.c's, the same as for ad-fixup's password file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mailprobe.h"
#include "secret.h"
#include "strutil.h"

static bool value_is_valid(const char *v)
{
	if (v[0] == '\0')
		return false;
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

/* One "key=value" line into ret; lineno for messages (never the value). */
static int cred_line(char *line, unsigned lineno, struct probe_credentials *ret, bool *seen,
		     struct error *err)
{
	static const char *const keys[] = {"user", "password"};
	char *eq = strchr(line, '=');

	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (!eq)
		return error_set(err, EINVAL, "line %u: not key=value", lineno);
	*eq = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char *dst = i == 0 ? ret->user : ret->password;

		if (strcmp(line, keys[i]) != 0)
			continue;
		if (seen[i])
			return error_set(err, EINVAL, "line %u: %s given twice", lineno, keys[i]);
		if (!value_is_valid(eq + 1) || strscpy(dst, eq + 1, sizeof(ret->user)) < 0)
			return error_set(err, EINVAL,
					 "line %u: %s empty, too long or with control characters",
					 lineno, keys[i]);
		seen[i] = true;
		return 0;
	}
	return error_set(err, EINVAL, "line %u: unknown key '%.32s' (user, password)", lineno,
			 line);
}

/* Pure: the file's text into credentials. */
static int cred_parse(char *text, struct probe_credentials *ret, struct error *err)
{
	bool seen[2] = {false, false};
	unsigned lineno = 0;
	char *save = NULL;

	for (char *p = text;; p = NULL) {
		char *line = strtok_r(p, "\n", &save);
		int r;

		if (!line)
			break;
		lineno++;
		r = cred_line(line, lineno, ret, seen, err);
		if (r < 0)
			return r;
	}
	if (!seen[0] || !seen[1])
		return error_set(err, EINVAL, "no %s= line", seen[0] ? "password" : "user");
	return 0;
}

int probe_credentials_read(const char *path, struct probe_credentials *ret, struct error *err)
{
	struct probe_credentials c = {{0}};
	char text[SECRET_FILE_MAX + 1];
	size_t len;
	int r;

	if (!path || !ret)
		return error_set(err, EINVAL, "no credentials file");
	r = secret_file_read(path, text, sizeof(text), &len, err);
	if (r < 0)
		return r;
	r = cred_parse(text, &c, err);
	if (r < 0)
		error_prefix(err, "credentials '%s'", path);
	else
		*ret = c;
	explicit_bzero(text, sizeof(text));
	explicit_bzero(&c, sizeof(c));
	return r;
}
