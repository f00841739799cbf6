/*
 * The node's watchdog, through the kernel's API (linux/watchdog.h): armed
 * with a timeout when the keeper starts, petted after each renewal that
 * counted, disarmed with the magic close ('V', then close) only on a clean
 * stop or after a successful self-fence. A keeper that dies, hangs or is
 * paused stops petting, and the node is reset when the timeout runs out
 * (see leasetime.h for why that is before anyone may take the lease).
 */
#pragma once

/*
 * Open path and set its timeout to timeout_s (the driver may round it: the
 * timeout it reports must not be longer). The fd in ret_fd; -ENOTTY when
 * path is not a watchdog; -EINVAL when the driver refuses that timeout;
 * -ERANGE when the driver keeps a longer one.
 */
int watchdog_arm(const char *path, unsigned timeout_s, int *ret_fd);

/* One keepalive. */
int watchdog_pet(int fd);

/* The magic close: the driver stops the timer (unless built nowayout). */
void watchdog_disarm(int fd);
