/*
 * LDIF (RFC 2849) change records for planned modifies: what the agent's
 * "ldif" mode prints instead of writing, ready for ldapmodify (the role
 * spn.ldf played in the classic design).
 */
#pragma once

#include <stdio.h>

#include "dirops.h"

/* Write one "changetype: modify" record; -errno on a write error. */
int ldif_write_mod(FILE *out, const struct dir_mod *m);
