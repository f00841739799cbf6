/*
 * The exec backend's command lines: exec_commands holds one entry per
 * service, "name=/absolute/program arg ...", entries separated by ';'.
 * Arguments are split on blanks and passed as they are: there is no shell,
 * so quotes, backslashes, '$' and '`' are refused rather than silently
 * taken literally.
 */
#pragma once

#include <stddef.h>

#include "error.h"

struct cmd {
	char *name;
	char **argv; /* NULL-terminated, argv[0] an absolute path */
};

struct cmdmap {
	size_t n;
	struct cmd cmd[];
};

/* Parse s (pure). The caller frees *ret with cmdmap_free(). */
int cmdmap_parse(const char *s, struct cmdmap **ret, struct error *err);
struct cmdmap *cmdmap_free(struct cmdmap *m);

/* The command line of name, or NULL. */
char **cmdmap_find(const struct cmdmap *m, const char *name);

/* "name=value" lists (pid_files): the value of the first entry for name, or NULL. */
const char *keyval_find(char *const *list, const char *name);
