/*
 * What the timeline's modules share and its users need not see.
 */
#pragma once

#include <crm/common/results.h>

#include "timeline.h"

#define TL_EXEC_PENDING	  PCMK_EXEC_PENDING
#define TL_EXEC_DONE	  PCMK_EXEC_DONE
#define TL_EXEC_CANCELLED PCMK_EXEC_CANCELLED

/* The fencer's enum op_state (crm/stonith-ng.h): st_done, st_failed. */
#define TL_FENCE_DONE	2
#define TL_FENCE_FAILED 4

/* The resource id rsc (or a clone instance of it, rsc:N) is a member of g. */
bool tl_rsc_in_group(const char *rsc, const struct tl_group *g);

/* A successful start (or the end of a live migration). */
bool tl_event_is_start(const struct tl_event *e);

/* A zeroed event at the end of tl->events. */
int tl_event_push(struct tl *tl, struct tl_event **ret_event);

/* Free a NULL-terminated vector; returns NULL. */
char **tl_strv_free(char **strv);
