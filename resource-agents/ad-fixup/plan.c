/*
 * The change planner. Each user or configuration object gets at most one
 * modify holding every attribute that changes, as DIR_REPLACE of the whole
 * value list, so a modify applied twice is harmless and a directory never
 * holds half of a user's move.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dn.h"
#include "macro.h"
#include "plan.h"
#include "spn.h"

const struct plan_rule plan_user_rules[3] = {
	{"homeMDB", PLAN_DN},
	{"homeMTA", PLAN_DN},
	{"msExchHomeServerName", PLAN_LEGACY_DN},
};

static void strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void dir_mod_clear(struct dir_mod *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_changes; i++)
		strv_free(m->changes[i].values, m->changes[i].n);
	free(m->dn);
	memset(m, 0, sizeof(*m));
}

void dir_mods_free(struct dir_mod *mods, size_t n)
{
	for (size_t i = 0; mods && i < n; i++)
		dir_mod_clear(&mods[i]);
	free(mods);
}

const struct dir_attr *dir_entry_attr(const struct dir_entry *e, const char *attr)
{
	for (size_t i = 0; i < e->n_attrs; i++)
		if (strcasecmp(e->attrs[i].name, attr) == 0)
			return &e->attrs[i];
	return NULL;
}

static int rewrite_one(const char *value, enum plan_syntax syntax, const char *from, const char *to,
		       char **ret)
{
	int r = syntax == PLAN_DN ? dn_rewrite_server(value, from, to, ret)
				  : legdn_rewrite_server(value, from, to, ret);

	/* A value that does not parse names no server we know: leave it. */
	return r == -EINVAL ? 0 : r;
}

/* The rewritten value list of a, or 0 when no value names from. */
static int rewrite_values(const struct dir_attr *a, enum plan_syntax syntax, const char *from,
			  const char *to, char ***ret)
{
	char **out = calloc(a->n, sizeof(char *));
	bool changed = false;
	size_t i;
	int r = 0;

	if (!out)
		return -ENOMEM;
	for (i = 0; i < a->n; i++) {
		r = rewrite_one(a->values[i], syntax, from, to, &out[i]);
		if (r < 0)
			break;
		changed |= r > 0;
		if (r == 0 && !(out[i] = strdup(a->values[i]))) {
			r = -ENOMEM;
			break;
		}
	}
	if (r < 0 || !changed) {
		strv_free(out, a->n);
		return r < 0 ? r : 0;
	}
	*ret = out;
	return 1;
}

static int mod_start(struct dir_mod *m, const char *dn)
{
	if (m->dn)
		return 0;
	m->dn = strdup(dn);
	return m->dn ? 0 : -ENOMEM;
}

int plan_rewrite(const struct dir_entry *e, const struct plan_rule *rules, size_t n_rules,
		 const char *from, const char *to, struct dir_mod *ret)
{
	struct dir_mod m = {0};

	for (size_t i = 0; i < n_rules && i < DIR_MOD_MAX; i++) {
		const struct dir_attr *a = dir_entry_attr(e, rules[i].attr);
		char **values = NULL;
		int r;

		if (!a || a->n == 0)
			continue;
		r = rewrite_values(a, rules[i].syntax, from, to, &values);
		if (r > 0 && (r = mod_start(&m, e->dn)) < 0)
			strv_free(values, a->n);
		if (r < 0) {
			dir_mod_clear(&m);
			return r;
		}
		if (r == 0 && values)
			m.changes[m.n_changes++] =
				(struct dir_change){DIR_REPLACE, rules[i].attr, a->n, values};
	}
	if (!m.dn)
		return 0;
	*ret = m;
	return 1;
}

/* A mod with one change of a single value. */
static int mod_single(const char *dn, enum dir_op op, const char *attr, const char *value,
		      struct dir_mod *ret)
{
	struct dir_mod m = {0};
	char **v = calloc(1, sizeof(char *));

	if (!v || !(v[0] = strdup(value)) || mod_start(&m, dn) < 0) {
		strv_free(v, 1);
		free(m.dn);
		return -ENOMEM;
	}
	m.changes[0] = (struct dir_change){op, attr, 1, v};
	m.n_changes = 1;
	*ret = m;
	return 1;
}

int plan_store(const struct dir_entry *e, const char *to, struct dir_mod *ret)
{
	const struct dir_attr *a = dir_entry_attr(e, "msExchPatchMDB");

	if (dn_under_server(e->dn, to) != 1)
		return 0;
	if (a && a->n == 1 && strcasecmp(a->values[0], "TRUE") == 0)
		return 0;
	return mod_single(e->dn, DIR_REPLACE, "msExchPatchMDB", "TRUE", ret);
}

/* A growing list of strings for the SPN sets. */
struct strv {
	char **v;
	size_t n, cap;
};

static bool strv_has(const struct strv *s, const char *value)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->v[i], value) == 0)
			return true;
	return false;
}

static int strv_add(struct strv *s, const char *value)
{
	if (strv_has(s, value))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = realloc(s->v, cap * sizeof(char *));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n] = strdup(value);
	if (!s->v[s->n])
		return -ENOMEM;
	s->n++;
	return 0;
}

/* Add the SPNs of e that move with name. */
static int collect_spns(const struct dir_entry *e, const char *name, struct strv *s)
{
	const struct dir_attr *a = e ? dir_entry_attr(e, "servicePrincipalName") : NULL;

	for (size_t i = 0; a && i < a->n; i++) {
		int r = spn_moves_with(a->values[i], name) ? strv_add(s, a->values[i]) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

static int canonical_spns(const char *name, const char *fqdn, struct strv *s)
{
	for (const char *const *c = spn_moved_classes; *c; c++) {
		const char *hosts[2] = {name, fqdn};

		for (size_t i = 0; i < ARRAY_SIZE(hosts) && hosts[i]; i++) {
			char *spn = NULL;
			int r = asprintf(&spn, "%s/%s", *c, hosts[i]) < 0 ? -ENOMEM
									  : strv_add(s, spn);

			free(spn);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Hand the list over as a change of m. */
static int mod_take(const char *dn, enum dir_op op, struct strv *s, struct dir_mod *m)
{
	int r = mod_start(m, dn);

	if (r < 0)
		return r;
	m->changes[0] = (struct dir_change){op, "servicePrincipalName", s->n, s->v};
	m->n_changes = 1;
	*s = (struct strv){0};
	return 1;
}

/* What dst lacks of moved. */
static int missing_on(const struct dir_entry *dst, const char *name, const struct strv *moved,
		      struct strv *ret)
{
	struct strv have = {0};
	int r = collect_spns(dst, name, &have);

	for (size_t i = 0; r >= 0 && i < moved->n; i++)
		if (!strv_has(&have, moved->v[i]))
			r = strv_add(ret, moved->v[i]);
	strv_free(have.v, have.n);
	return r;
}

int plan_spn(const struct dir_entry *src, const struct dir_entry *dst, const char *primary,
	     const char *fqdn, struct dir_mod *ret_src, struct dir_mod *ret_dst)
{
	struct strv on_src = {0}, moved = {0}, add = {0};
	struct dir_mod ms = {0}, md = {0};
	int r, result = 0;

	if (!dst || !primary)
		return -EINVAL;
	r = collect_spns(src, primary, &on_src);
	for (size_t i = 0; r >= 0 && i < on_src.n; i++)
		r = strv_add(&moved, on_src.v[i]);
	if (r >= 0)
		r = collect_spns(dst, primary, &moved);
	if (r >= 0 && moved.n == 0)
		r = canonical_spns(primary, fqdn, &moved);
	if (r >= 0)
		r = missing_on(dst, primary, &moved, &add);
	if (r >= 0 && on_src.n > 0 && (r = mod_take(src->dn, DIR_DELETE, &on_src, &ms)) > 0)
		result |= 1;
	if (r >= 0 && add.n > 0 && (r = mod_take(dst->dn, DIR_ADD, &add, &md)) > 0)
		result |= 2;
	strv_free(on_src.v, on_src.n);
	strv_free(moved.v, moved.n);
	strv_free(add.v, add.n);
	if (r < 0) {
		dir_mod_clear(&ms);
		dir_mod_clear(&md);
		return r;
	}
	*ret_src = ms;
	*ret_dst = md;
	return result;
}
