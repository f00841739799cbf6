/*
 * Cluster alerts: the classic scripts' ARMBCAST ("broadcast a message to
 * every node"). An alert is multicast through corosync CPG to the group
 * "exha-alert"; a listener on every node (ocf:exha:alert-listener, or
 * exha-alert --listen) logs it with the node it came from.
 *
 * alert_msg_* is the wire format (pure, no I/O): packed, little-endian,
 * magic + version + lengths, strings without terminators, strictly checked.
 * alert_send() and the listener link libcpg; only binaries that call them
 * carry it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "deadline.h"

#define ALERT_GROUP	 "exha-alert"
#define ALERT_NODE_MAX	 255
#define ALERT_SOURCE_MAX 127
#define ALERT_TEXT_MAX	 511
/* Header (24 bytes) plus the three strings at their longest. */
#define ALERT_MSG_MAX (24 + ALERT_NODE_MAX + ALERT_SOURCE_MAX + ALERT_TEXT_MAX)

enum alert_severity {
	ALERT_INFO = 0,
	ALERT_WARNING = 1,
	ALERT_CRITICAL = 2,
};

struct alert {
	enum alert_severity severity;
	uint64_t time_s;		   /* sender's wall clock, seconds since the epoch */
	char node[ALERT_NODE_MAX + 1];	   /* the sending node's name */
	char source[ALERT_SOURCE_MAX + 1]; /* "floating-ip(fip)" */
	char text[ALERT_TEXT_MAX + 1];
};

const char *alert_severity_name(enum alert_severity s);
/* "info", "warning", "critical" (exactly). -EINVAL else. */
int alert_severity_parse(const char *s, enum alert_severity *ret_severity);

/*
 * Fill an alert; strings that do not fit or hold control characters are
 * refused (-EMSGSIZE, -EINVAL): an alert is one line in every node's log.
 */
int alert_init(struct alert *a, enum alert_severity severity, const char *node, const char *source,
	       const char *text);

/* Encode into buf (ALERT_MSG_MAX bytes always suffice); length in ret_len. */
int alert_msg_encode(const struct alert *a, uint8_t *buf, size_t size, size_t *ret_len);
/* Decode exactly len bytes. -EBADMSG on anything malformed. */
int alert_msg_decode(const uint8_t *buf, size_t len, struct alert *ret_alert);

/*
 * Multicast a to every node's listeners through CPG (join, send, leave),
 * retrying corosync's flow control until the deadline. -ENOTCONN when
 * corosync is not running here.
 */
int alert_send(const struct alert *a, deadline_t deadline);

/* A listener joined to the alert group; its fd goes into a main loop. */
struct alert_listener;
typedef void (*alert_fn)(const struct alert *a, uint32_t nodeid, void *userdata);

int alert_listener_open(alert_fn fn, void *userdata, struct alert_listener **ret);
struct alert_listener *alert_listener_close(struct alert_listener *l);
int alert_listener_fd(struct alert_listener *l);
/* Deliver what is pending (calls fn per alert). -ENOTCONN once corosync is gone. */
int alert_listener_dispatch(struct alert_listener *l);
/* Alerts that arrived malformed (dropped) since the listener opened. */
unsigned alert_listener_dropped(const struct alert_listener *l);

/* The one line every node logs: "critical alert from node 'n1' (source): text". */
int alert_format(const struct alert *a, char *buf, size_t size);
