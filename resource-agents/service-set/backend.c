/* The backend a config names. */
#include "backend.h"

const struct backend *backend_of(enum ss_backend which)
{
	switch (which) {
	case SS_BACKEND_SYSTEMD:
		return &backend_systemd;
	case SS_BACKEND_LSB:
		return &backend_lsb;
	case SS_BACKEND_EXEC:
		return &backend_exec;
	}
	return NULL;
}
