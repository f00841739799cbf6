/*
 * A process identity that survives PID reuse: pid + start time (clock ticks
 * after boot, /proc/<pid>/stat field 22) + boot id. Helpers exha leaves
 * running (announcers, lease keepers, exec-backend daemons) are recorded as
 * one, and signalled only while the recorded process is still that process.
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

/* Send sig through a pidfd once id is verified. -ESRCH when id is gone. */
int proc_id_signal(const struct proc_id *id, int sig);

/*
 * Send sig to id (verified) and wait until it has exited: 0 once gone (or
 * already gone), -ETIME when it still runs at the deadline.
 */
int proc_id_terminate(const struct proc_id *id, int sig, deadline_t deadline);
