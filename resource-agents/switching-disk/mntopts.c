/* Mount option checks: see mntopts.h. */
#include "mntopts.h"

#include <errno.h>
#include <string.h>

static const char *const refused[] = {
	"bind",
	"rbind",
	"move",
	"remount",
	"loop",
	"make-shared",
	"make-private",
	"make-slave",
	"make-unbindable",
	"make-rshared",
	"make-rprivate",
	"make-rslave",
	"make-runbindable",
	"X-mount.mkdir",
};

/* Whether the option of len bytes at p is name, alone or with a value ("loop=/dev/x"). */
static bool is_option(const char *p, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len >= n && strncmp(p, name, n) == 0 && (len == n || p[n] == '=');
}

static int check_one(const char *p, size_t len, struct mntopts *m, const char **ret_reason)
{
	if (len == 0) {
		*ret_reason = "must not hold an empty option (',,' or a leading or trailing ',')";
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] <= ' ' || p[i] == 0x7f || p[i] == '"' || p[i] == '\\') {
			*ret_reason = "must not hold blanks, quotes, backslashes or control "
				      "characters";
			return -EINVAL;
		}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (is_option(p, len, refused[i])) {
			*ret_reason = "must not hold bind, move, remount, loop or propagation "
				      "options: the agent mounts the device itself";
			return -EINVAL;
		}
	if (len == 2 && strncmp(p, "ro", 2) == 0)
		m->ro = true;
	else if (len == 2 && strncmp(p, "rw", 2) == 0)
		m->ro = false;
	return 0;
}

int mntopts_parse(const char *opts, struct mntopts *ret, const char **ret_reason)
{
	struct mntopts m = {0};
	const char *reason_unused;
	const char *p = opts;

	if (!ret_reason)
		ret_reason = &reason_unused;
	if (!opts || !ret)
		return -EINVAL;
	for (;;) {
		size_t len = strcspn(p, ",");
		int r = check_one(p, len, &m, ret_reason);

		if (r < 0)
			return r;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*ret = m;
	return 0;
}
