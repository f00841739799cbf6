/*
 * Parsing exec_commands and name=value lists. Everything here is pure and
 * reached by the unit tests and the parameter fuzzer.
 */
#include "cmdline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "name.h"
#include "strutil.h"

#define MAX_ENTRIES 32

struct cmdmap *cmdmap_free(struct cmdmap *m)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < m->n; i++) {
		free(m->cmd[i].name);
		strv_free(m->cmd[i].argv);
	}
	free(m);
	return NULL;
}

static void cmdmap_freep(struct cmdmap **m)
{
	cmdmap_free(*m);
}

/* One "name=/program args" entry (blanks around it already allowed). */
static int entry_parse(const char *entry, size_t len, struct cmd *ret, struct error *err)
{
	_cleanup_free_ char *copy = strndup(entry, len);
	const char *reason;
	char *eq, **argv = NULL;
	int r;

	if (!copy)
		return -ENOMEM;
	eq = strchr(copy, '=');
	if (!eq)
		return error_set(err, EINVAL, "entry '%s' is not name=/program arguments", copy);
	*eq = '\0';
	if (service_name_check(copy, SS_BACKEND_EXEC, &reason) < 0)
		return error_set(err, EINVAL, "name '%s' %s", copy, reason);
	if (strpbrk(eq + 1, "'\"\\$`"))
		return error_set(err, EINVAL,
				 "command of '%s' holds quotes, '\\', '$' or '`': there is no "
				 "shell, write plain blank-separated arguments",
				 copy);
	r = strv_split(eq + 1, &argv);
	if (r < 0)
		return r;
	if (!argv[0] || argv[0][0] != '/') {
		strv_free(argv);
		return error_set(err, EINVAL, "command of '%s' must start with an absolute path",
				 copy);
	}
	ret->argv = argv;
	ret->name = strdup(copy);
	if (!ret->name) {
		ret->argv = strv_free(argv);
		return -ENOMEM;
	}
	return 0;
}

int cmdmap_parse(const char *s, struct cmdmap **ret, struct error *err)
{
	_cleanup_(cmdmap_freep) struct cmdmap *m = NULL;
	const char *p;
	int r;

	if (!s || !ret)
		return -EINVAL;
	m = calloc(1, sizeof(*m) + MAX_ENTRIES * sizeof(struct cmd));
	if (!m)
		return -ENOMEM;
	for (p = s; *p;) {
		size_t len = strcspn(p, ";");
		const char *start = p + strspn(p, " \t");
		size_t skip = (size_t)(start - p);

		if (len > skip) {
			if (m->n == MAX_ENTRIES)
				return error_set(err, E2BIG, "more than %d entries", MAX_ENTRIES);
			r = entry_parse(start, len - skip, &m->cmd[m->n], err);
			if (r < 0)
				return r;
			if (cmdmap_find(m, m->cmd[m->n].name))
				return error_set(err, EINVAL, "'%s' is given twice",
						 m->cmd[m->n++].name);
			m->n++;
		}
		p += len;
		if (*p == ';')
			p++;
	}
	if (m->n == 0)
		return error_set(err, EINVAL, "holds no command");
	*ret = TAKE_PTR(m);
	return 0;
}

char **cmdmap_find(const struct cmdmap *m, const char *name)
{
	if (!m || !name)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->cmd[i].name, name) == 0)
			return m->cmd[i].argv;
	return NULL;
}

const char *keyval_find(char *const *list, const char *name)
{
	size_t len;

	if (!list || !name)
		return NULL;
	len = strlen(name);
	for (; *list; list++)
		if (strncmp(*list, name, len) == 0 && (*list)[len] == '=')
			return *list + len + 1;
	return NULL;
}
