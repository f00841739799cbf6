/*
 * A process identity that survives PID reuse: pid + start time (clock ticks
 * after boot, /proc/<pid>/stat field 22) + boot id. Helpers exha leaves
 * running (announcers, lease keepers, exec-backend daemons) are recorded as
 * one, and signalled only while the recorded process is still that process.
 * A pid read from anywhere else (a pid file) is the service's only when its
 * executable is the service's (proc_exe_is) or it was born after exha
 * launched the service (proc_id_born_since).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "deadline.h"
#include "state.h"

struct proc_id {
	pid_t pid;
	uint64_t starttime;
	char boot_id[BOOT_ID_SIZE];
};

/* Start time from the text of /proc/<pid>/stat (pure; comm may hold ") "). */
int proc_stat_starttime(const char *stat, uint64_t *ret_starttime);

/* The state letter (field 3: 'R', 'S', 'Z', ...) from the text of /proc/<pid>/stat (pure). */
int proc_stat_state(const char *stat, char *ret_state);

/* The identity of pid now. -ESRCH when there is no such process. */
int proc_id_of(pid_t pid, struct proc_id *ret_id);

/* "pid starttime boot_id\n" and back (strict: exactly that, the newline optional). */
int proc_id_format(const struct proc_id *id, char *buf, size_t size);
int proc_id_parse(const char *buf, struct proc_id *ret_id);

/* 1 when id still names a live process of this boot (not a zombie), 0 when not, -errno. */
int proc_id_alive(const struct proc_id *id);

/*
 * 1 when id names a process of this boot that has exited but is not reaped
 * yet (a zombie: its pid still answers kill(pid, 0)), 0 when not, -errno.
 */
int proc_id_zombie(const struct proc_id *id);

/* Send sig through a pidfd once id is verified. -ESRCH when id is gone. */
int proc_id_signal(const struct proc_id *id, int sig);

/*
 * Send sig to id (verified) and wait until it has exited: 0 once gone (or
 * already gone), -ETIME when it still runs at the deadline.
 */
int proc_id_terminate(const struct proc_id *id, int sig, deadline_t deadline);

/*
 * SIGTERM to id (verified), SIGKILL once term_until passes with it still
 * running, then wait until deadline: 0 once gone, -ETIME when it outlived
 * even SIGKILL (uninterruptible sleep), -errno.
 */
int proc_id_stop(const struct proc_id *id, deadline_t term_until, deadline_t deadline);

/* Whether id was born at or after start time ticks (of this boot). */
bool proc_id_born_since(const struct proc_id *id, uint64_t starttime);

/*
 * Whether link (the text of /proc/<pid>/exe) names path: the same text,
 * " (deleted)" ignored (the program was replaced by an upgrade). Pure.
 */
bool proc_exe_link_is(const char *link, const char *path);

/*
 * 1 when pid runs the program at path (the same file, or the same path
 * for a program replaced since), 0 when it runs another, -ESRCH when there
 * is no such process, -errno.
 */
int proc_exe_is(pid_t pid, const char *path);

/* The program pid runs ("/usr/sbin/dovecot"), " (deleted)" removed. */
int proc_exe_of(pid_t pid, char *buf, size_t size);

/* Record id as name in the directory dirfd (state.h: atomic, no symlink followed). */
int proc_id_store(int dirfd, const char *name, const struct proc_id *id);

/* The identity pid has now, recorded as name: -ESRCH when pid is gone. */
int proc_id_record(int dirfd, const char *name, pid_t pid);

/* Read a record back: -ENOENT when there is none, -EINVAL when it is damaged. */
int proc_id_load(int dirfd, const char *name, struct proc_id *ret_id);

/*
 * A pidfd for id, verified to name that process (poll it: readable once it
 * has exited). -ESRCH when id is gone.
 */
int proc_id_pidfd(const struct proc_id *id, int *ret_pidfd);

/*
 * End the process recorded as name in dirfd (proc_id_stop: SIGTERM, SIGKILL
 * once term_until passes) and remove the record: 1 when it ran, 0 when
 * there was no record or its process was gone, -ETIME when it outlived
 * SIGKILL (the record stays), -errno. A damaged record vouches for no
 * process: it is removed and nothing is signalled. ret_pid (may be NULL):
 * the recorded PID, when there was a readable record.
 */
int proc_id_end_recorded(int dirfd, const char *name, deadline_t term_until, deadline_t deadline,
			 pid_t *ret_pid);

/*
 * End a helper recorded twice: by its parent after the fork (parent_name)
 * and by itself first thing (self_name), so that a parent killed between
 * fork and record leaves it findable. Both records are ended as above,
 * SIGKILL once half of what is left until deadline has passed: 1 when
 * either process ran, 0 when neither, the first -errno. ret_pid (may be
 * NULL): the last recorded PID read.
 */
int proc_id_end_pair(int dirfd, const char *parent_name, const char *self_name, deadline_t deadline,
		     pid_t *ret_pid);
