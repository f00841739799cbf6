/*
 * ocf:exha:floating-ip: the address clients and DNS use, exactly one per
 * failover group, moved with the group. Everything goes through rtnetlink
 * and packet sockets; nothing is forked in the monitor path.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "agent.h"
#include "inaddr.h"

#define FIP_LFT_FOREVER UINT32_MAX

/* What start asks from the floating IP once it is up (verify=). */
enum fip_verify_mode {
	FIP_VERIFY_NONE,
	FIP_VERIFY_GATEWAY, /* the gateway through the address's interface (gateway.h) */
	FIP_VERIFY_ADDRESS, /* target */
};

struct fip_verify {
	enum fip_verify_mode mode;
	struct inaddr target;
};

struct fip_config {
	struct inaddr ip;
	const char *cidr_netmask; /* resolved into prefix once the family is known */
	unsigned prefix;	  /* 0 = take it from the connected route */
	const char *nic;	  /* NULL = the interface whose subnet holds ip */
	const char *label;	  /* IPv4 only: the address gets "<nic>:<label>" */
	uint64_t arp_count;
	uint64_t arp_interval_ms;
	bool conflict_check;
	uint64_t conflict_probes;
	uint64_t conflict_interval_ms;
	uint64_t conflict_wait_ms;
	uint64_t preferred_lft; /* seconds, FIP_LFT_FOREVER */
	struct fip_verify verify;
	uint64_t verify_timeout_ms;
	bool defend;
};

#define FIP_N_PARAMS 14
extern const struct param_def fip_params[FIP_N_PARAMS];
int fip_config_check(void *config, struct error *err);

/* "<nic>:<label>" into ret (IFNAMSIZ). -ENAMETOOLONG when it does not fit. */
int fip_full_label(const char *nic, const char *label, char ret[IFNAMSIZ]);
