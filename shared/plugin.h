/*
 * Optional code loaded only by the actions that need it: a shared object
 * under a directory fixed at build time (its libraries, libldap or libcpg,
 * are then paid for only when used, never on a monitor's hot path), opened
 * with RTLD_NOW | RTLD_LOCAL, one symbol looked up.
 *
 * The object must be a regular file owned by root (or by the caller) and
 * writable by no one else, in a directory that is the same, or it is
 * refused: a plugin runs with the agent's privileges. EXHA_PLUGIN_DIR
 * replaces the directory for tests (ignored in set-uid programs); the same
 * checks apply to it.
 */
#pragma once

struct plugin;

/*
 * Open <dir>/<name> (name: one path component) and find symbol. 0 with
 * *ret (plugin_close() it) and *ret_symbol; -ENOENT when the file is
 * missing, -EPERM when ownership or modes are unsafe, -ELIBBAD when it does
 * not load, -ENOEXEC when the symbol is missing, -EINVAL on bad arguments.
 * dlerror()'s text, when there is one, goes to errbuf (size bytes; may be NULL).
 */
int plugin_open(const char *dir, const char *name, const char *symbol, struct plugin **ret,
		void **ret_symbol, char *errbuf, unsigned size);

/* Release p (NULL is fine; returns NULL). The object itself stays loaded until exit. */
struct plugin *plugin_close(struct plugin *p);

/* The directory plugins are taken from: EXHA_PLUGIN_DIR or dir. */
const char *plugin_dir(const char *dir);
