/* alert-io.so: the one symbol agent_alert() looks up (see alert_io.h). */
#include "alert_io.h"

__attribute__((visibility("default"))) const struct alert_io exha_alert_io = {
	.version = ALERT_IO_VERSION,
	.send = alert_send,
};
