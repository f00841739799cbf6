/*
 * Processes of a service as the kernel sees them: the pid its pid file
 * names, and the session its daemon leads (daemons call setsid(); the exec
 * backend starts each in a session of its own), so that what remains after
 * a stop (workers of a killed master) can be found and killed (ARMKILL).
 */
#pragma once

#include <sys/types.h>

#include "deadline.h"

/* "  1234\n" (Postfix pads with blanks): strict otherwise. Pure. */
int pidfile_parse(const char *buf, pid_t *ret_pid);

/* The pid path names: -ENOENT when there is no file, -EINVAL when it holds no pid. */
int pidfile_read(const char *path, pid_t *ret_pid);

/* 1 when path names a live (not zombie) process, 0 when not (or no file), -errno. */
int pidfile_alive(const char *path, pid_t *ret_pid);

/*
 * Wait until path names a live process (daemons write it after forking,
 * often after their starter returned): woken by inotify on its directory,
 * re-checked every 50 ms when that cannot be watched. -ETIME at the deadline.
 */
int pidfile_wait(const char *path, deadline_t deadline, pid_t *ret_pid);

#define PIDFILE_PACE_MS 50
/* An inotify descriptor watching path's directory, or -1 (then pace instead). */
int pidfile_watch(const char *path);
/* Wait for a change next to the pid file (or PIDFILE_PACE_MS), bounded by deadline. */
void pidfile_watch_wait(int watchfd, deadline_t deadline);

/* The session id (field 6) from the text of /proc/<pid>/stat. Pure. */
int proc_stat_session(const char *stat, pid_t *ret_sid);

/* The session of pid now: -ESRCH when there is no such process. */
int proc_session_of(pid_t pid, pid_t *ret_sid);

/*
 * SIGKILL every live process of session sid (sid > 1) and wait for each to
 * be gone. Returns how many were killed, -ETIME when one outlived the
 * deadline, -errno.
 */
int session_kill(pid_t sid, deadline_t deadline);

/* How many live processes session sid has (sid > 1). */
int session_count(pid_t sid);
