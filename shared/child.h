/*
 * The one way exha launches a process: init scripts, fsck, exec-backend
 * daemons, monitor daemons and their helpers, announcers, probers. Every
 * child starts under the same rule, whether it execs a program
 * (child_spawn) or runs a function of ours (child_fork):
 *
 *  - descriptors: exactly those the caller lists, at the numbers it lists
 *    them (0, 1, 2, 3, ...), stdio on /dev/null where it lists none; every
 *    other descriptor is closed, whether or not it had O_CLOEXEC (a library
 *    that forgot it must not leak a netlink socket or a lease device);
 *  - signals: default dispositions and an empty mask (both survive exec: a
 *    child that inherited an ignored or blocked SIGTERM could only be
 *    SIGKILLed);
 *  - its own process group or session, as the caller asks, so that what it
 *    starts can be found and stopped with it;
 *  - working directory /, so that it never holds the switching disk busy.
 *
 * No shell is ever involved: argv[0] is an absolute path.
 */
#pragma once

#include <sys/types.h>

#define CHILD_FDS_MAX 8

enum child_detach {
	CHILD_KEEP_GROUP,  /* stays in the caller's process group (dies with it) */
	CHILD_OWN_GROUP,   /* a process group of its own: a timeout kills what it started */
	CHILD_OWN_SESSION, /* a session of its own: outlives the agent's action */
};

struct child_spec {
	/*
	 * fds[i] becomes descriptor i of the child (one descriptor may go to
	 * several numbers: stdout and stderr). -1 stands for /dev/null (stdio
	 * only). n_fds is 3 at least.
	 */
	int fds[CHILD_FDS_MAX];
	unsigned n_fds;
	enum child_detach detach;
};

/* A spec with stdio on /dev/null and nothing else. */
#define CHILD_SPEC_QUIET(d) ((struct child_spec){.fds = {-1, -1, -1}, .n_fds = 3, .detach = (d)})

/*
 * Run argv[0] (absolute, -EINVAL otherwise) with argv and envp under the
 * rule. -ENOENT, -EACCES, ... when it cannot be executed.
 */
int child_spawn(const struct child_spec *spec, char *const argv[], char *const envp[],
		pid_t *ret_pid);

/*
 * Fork under the rule. Returns 1 (and *ret_pid) in the parent, 0 in the
 * child, which finds its descriptors at the spec's numbers and must end
 * with _exit(); -errno when it cannot fork. A child that cannot apply the
 * rule exits 127 at once.
 */
int child_fork(const struct child_spec *spec, pid_t *ret_pid);
