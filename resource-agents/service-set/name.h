/*
 * Service names reach init systems (a unit name over D-Bus, a path under
 * /etc/init.d, a state file name): only plain names pass, never a path,
 * an option, a glob or a unit of another type.
 */
#pragma once

#include <stddef.h>

enum ss_backend {
	SS_BACKEND_SYSTEMD,
	SS_BACKEND_LSB,
	SS_BACKEND_EXEC,
};

#define SERVICE_NAME_MAX 64

/*
 * 0 when name is valid for backend; -EINVAL (-ENAMETOOLONG past
 * SERVICE_NAME_MAX) with what a valid name looks like in *ret_reason.
 * systemd: "name" or "name.service" (templates "name@instance.service");
 * lsb, exec: a script or daemon name. Pure.
 */
int service_name_check(const char *name, enum ss_backend backend, const char **ret_reason);

/* The systemd unit of a valid name: "<name>.service" unless it ends so. */
int service_unit_name(const char *name, char *buf, size_t size);
