/*
 * Node identity: the name Pacemaker passes (OCF_RESKEY_CRM_meta_on_node),
 * else the kernel's node name when an agent runs by hand. Leases, the
 * fail-over/fail-back direction and alerts all use this one name.
 */
#pragma once

#include <stddef.h>

/* Fill buf with from_pacemaker when set and non-empty, else uname's nodename. */
int node_name_resolve(const char *from_pacemaker, char *buf, size_t size);
