/*
 * Processes of a service as the kernel sees them: the pid its pid file
 * names, and the session its daemon leads (daemons call setsid(); the exec
 * backend starts each in a session of its own), so that what remains after
 * a stop (workers of a killed master) can be found and killed (ARMKILL).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "deadline.h"
#include "error.h"
#include "procid.h"

/* "  1234\n" (Postfix pads with blanks): strict otherwise. Pure. */
int pidfile_parse(const char *buf, pid_t *ret_pid);

/* The pid path names: -ENOENT when there is no file, -EINVAL when it holds no pid. */
int pidfile_read(const char *path, pid_t *ret_pid);

/*
 * What makes the process a pid file names the service's. A pid file may be
 * stale (the switching disk carries Postfix's from the node that died) and
 * name a stranger that took the pid: its word alone counts for nothing.
 */
struct pid_claim {
	const struct proc_id *recorded; /* the process exha recorded as the service, or NULL */
	uint64_t born_since;		/* start: exha launched it at this start time, else 0 */
	pid_t launch_sid;		/* start: the session exha launched it in, or 0 */
	pid_t launch_pid;		/* start: the process exha launched (unreaped), or 0 */
	const char *exe;		/* its program, or NULL when not known */
};

/* What /proc says of the process a pid file names. */
struct pid_seen {
	struct proc_id id;
	pid_t sid;
	int exe_is;    /* 1 it runs claim->exe, 0 another program, -1 unknown */
	bool descends; /* claim->launch_pid is among its ancestors (or itself) */
};

enum pid_verdict {
	PID_OURS,     /* the service */
	PID_STRANGER, /* another process: the pid file is stale */
	PID_UNKNOWN,  /* nothing tells: no record, no program to compare */
};

/* The verdict on seen under claim (pure). */
enum pid_verdict pid_claim_judge(const struct pid_claim *claim, const struct pid_seen *seen);

/*
 * The process path names, judged: 1 (its identity and session in ret_seen)
 * when it is the service's, 0 when there is none or it is not (err says
 * why when the file names a live stranger: a stale pid file), -ENOKEY when
 * nothing tells, -errno.
 */
int pidfile_claim(const char *path, const struct pid_claim *claim, struct pid_seen *ret_seen,
		  struct error *err);

/* Wait until pidfile_claim() answers 1; -ETIME at the deadline (err: the last stale pid). */
int pidfile_claim_wait(const char *path, const struct pid_claim *claim, deadline_t deadline,
		       struct pid_seen *ret_seen, struct error *err);

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
 * SIGKILL every live process of the session leader leads and wait for each
 * to be gone, only while leader is still the recorded process: once it is
 * gone its session id may be a stranger's. Returns how many were killed,
 * -ETIME when one outlived the deadline, -errno.
 */
int session_kill(const struct proc_id *leader, deadline_t deadline);

/*
 * The program an init script runs, from its first DAEMON= line (Debian's
 * convention: DAEMON=/usr/sbin/dovecot), read as text, never run: an
 * absolute path, optionally in quotes, with nothing a shell would expand.
 * -ENOENT when there is no such line, -EINVAL when its value is not that.
 * Pure.
 */
int lsb_script_daemon(const char *text, char *buf, size_t size);
