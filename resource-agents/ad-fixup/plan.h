/*
 * The change planner: from an entry's current values, the server names and
 * the direction, the one modify that entry needs, or nothing when it
 * already points right (so a second run, or a run after a kill, only does
 * what is left). Pure: no directory, no logging.
 */
#pragma once

#include "dirops.h"

/* How an attribute names a server. */
enum plan_syntax {
	PLAN_DN,	/* LDAP DN: homeMDB, homeMTA, msExchRoutingMasterDN, ... */
	PLAN_LEGACY_DN, /* msExchHomeServerName: /o=Org/.../cn=Servers/cn=EX1 */
};

struct plan_rule {
	const char *attr;
	enum plan_syntax syntax;
};

/* The attributes of a mail user that name its server. */
extern const struct plan_rule plan_user_rules[3];

void dir_mod_clear(struct dir_mod *m);
void dir_mods_free(struct dir_mod *mods, size_t n);

/* The values of attr in e (case-insensitive name), or NULL. */
const struct dir_attr *dir_entry_attr(const struct dir_entry *e, const char *attr);

/*
 * Rewrite every value of the rules' attributes that names server from so it
 * names to: one DIR_REPLACE per attribute that changes. 1 and *ret when the
 * entry needs a modify, 0 when not; -ENOMEM.
 */
int plan_rewrite(const struct dir_entry *e, const struct plan_rule *rules, size_t n_rules,
		 const char *from, const char *to, struct dir_mod *ret);

/* msExchPatchMDB=TRUE on a store of server to: 1 and *ret when needed, 0 when set or not to's. */
int plan_store(const struct dir_entry *e, const char *to, struct dir_mod *ret);

/*
 * Move primary's SPNs from computer src to computer dst (the primary's
 * FQDN is fqdn, may be NULL). The moved set is what either object holds;
 * when neither holds any (a run killed between the two modifies), the
 * canonical set: HOST, exchangeMDB, exchangeRFR for the short name and
 * the FQDN. ret_src deletes them from src, ret_dst adds the missing ones
 * to dst; bit 0 of the result says ret_src is needed, bit 1 ret_dst.
 */
int plan_spn(const struct dir_entry *src, const struct dir_entry *dst, const char *primary,
	     const char *fqdn, struct dir_mod *ret_src, struct dir_mod *ret_dst);
