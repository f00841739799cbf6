/*
 * TLS client sessions over an already connected non-blocking socket, with
 * OpenSSL loaded by dlopen() on first use: binaries that link the probe
 * library but never ask for STARTTLS do not map libssl and libcrypto at
 * exec (DT_NEEDED stays clean; see tests/bench/mail-probe.sh).
 */
#pragma once

#include <sys/types.h>

#include "deadline.h"
#include "error.h"

struct tls;

/*
 * Handshake on fd, verifying the peer against ca_file (NULL: the system's
 * trust store) and host (a name, or an address matched against the
 * certificate's IP entries). -ELIBACC when OpenSSL cannot be loaded,
 * -ETIME, -EPROTO with a message starting "TLS".
 */
int tls_start(int fd, const char *host, const char *ca_file, deadline_t deadline, struct tls **ret,
	      struct error *err);

/* Up to size bytes: > 0 read, 0 the peer closed, -EAGAIN nothing yet (wait for events_needed). */
ssize_t tls_read(struct tls *tls, void *buf, size_t size, short *events_needed, struct error *err);

/* Write all of buf within deadline. */
int tls_write(struct tls *tls, const void *buf, size_t size, deadline_t deadline,
	      struct error *err);

/* Frees the session (no close_notify wait: the socket closes next). NULL is fine. */
struct tls *tls_free(struct tls *tls);
