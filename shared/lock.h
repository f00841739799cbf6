/*
 * One lock per resource instance: <root>/<instance>/lock (the state
 * directory of state.h), held for the whole of an action, so actions of one
 * instance never overlap: two starts at once, a start racing a stop, a
 * monitor restarting a service while stop runs.
 *
 * It is a POSIX record lock (fcntl F_SETLKW) on purpose. Such a lock belongs
 * to the process, and fork() does not hand it to the child: agents fork
 * long-lived helpers during start (switching-disk's lease keeper, a plain
 * fork without exec; floating-ip's announcer), and with flock() or an open
 * file description lock (F_OFD_SETLK) the child would share the lock and
 * hold it for its whole life, so the next stop would wait for it in vain.
 * The kernel drops the lock when the process ends, however it ends. The
 * trap of POSIX locks (closing any descriptor of the file drops them) is
 * avoided by opening the file once, here, and nowhere else.
 */
#pragma once

#include <sys/types.h>

#include "deadline.h"

/*
 * Take the lock file in dirfd (the instance's state directory), waiting
 * until deadline at most. 0 and the descriptor holding the lock in ret_fd
 * (close it to release, or just exit); -ETIME when another process still
 * holds it at the deadline, its PID in *ret_holder (0 when unknown);
 * other -errno on failure.
 */
int lock_instance(int dirfd, deadline_t deadline, int *ret_fd, pid_t *ret_holder);
