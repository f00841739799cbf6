/*
 * The fixup engine. Configuration objects are few and go first; mail users
 * are searched page by page, planned, and written pipelined. Every entry
 * gets at most one modify, planned from its current values, so a second
 * run (or a run after a kill) writes only what is left.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dn.h"
#include "fixup.h"
#include "ldif.h"
#include "plan.h"

#define PAGE_SIZE   1000 /* Active Directory's MaxPageSize */
#define SAMPLE_SIZE 16

struct collector {
	struct fixup *f;
	const struct plan_rule *rules;
	size_t n_rules;
	bool stores;
	size_t seen; /* entries that concern us */
	struct dir_mod *mods;
	size_t n, cap;
};

static void collector_free(struct collector *col)
{
	dir_mods_free(col->mods, col->n);
	col->mods = NULL;
	col->n = col->cap = 0;
}

static int collector_push(struct collector *col, struct dir_mod *m)
{
	if (col->n == col->cap) {
		size_t cap = col->cap ? col->cap * 2 : 64;
		struct dir_mod *v = realloc(col->mods, cap * sizeof(*v));

		if (!v) {
			dir_mod_clear(m);
			return -ENOMEM;
		}
		col->mods = v;
		col->cap = cap;
	}
	col->mods[col->n++] = *m;
	return 0;
}

static int collect(const struct dir_entry *e, void *userdata)
{
	struct collector *col = userdata;
	struct dir_mod m = {0};
	int r;

	if (col->stores) {
		if (dn_under_server(e->dn, col->f->to) == 1)
			col->seen++;
		r = plan_store(e, col->f->to, &m);
	} else {
		col->seen++;
		r = plan_rewrite(e, col->rules, col->n_rules, col->f->from, col->f->to, &m);
	}
	return r > 0 ? collector_push(col, &m) : r;
}

/* Write (or print) what was collected for task. */
static int apply(struct fixup *f, enum adfix_task task, struct dir_mod *mods, size_t n)
{
	size_t done = 0;
	int r = 0;

	f->planned[task] += n;
	if (f->ldif) {
		for (; done < n && r >= 0; done++)
			r = ldif_write_mod(f->ldif, &mods[done]);
		if (r < 0)
			snprintf(f->err, sizeof(f->err), "cannot write the LDIF: %s", strerror(-r));
	} else if (n > 0) {
		r = f->ops->modify(f->d, mods, n, (unsigned)f->c->window, f->deadline.end_us, &done,
				   f->err);
	}
	f->done[task] += done;
	return r;
}

static int search(struct fixup *f, const char *base, const char *filter, const char *const *attrs,
		  unsigned size_limit, struct collector *col)
{
	return f->ops->search(f->d, base, DIR_SCOPE_SUB, filter, attrs, size_limit ? 0 : PAGE_SIZE,
			      size_limit, f->deadline.end_us, collect, col, f->err);
}

static char *config_dn(const struct fixup *f)
{
	char *dn = NULL;

	return asprintf(&dn, "CN=Configuration,%s", f->base) < 0 ? NULL : dn;
}

struct config_task {
	const char *what;
	const char *filter;
	struct plan_rule rule;
};

static const struct config_task config_tasks[TASK_COUNT] = {
	[TASK_STORES] = {"store",
			 "(|(objectClass=msExchPrivateMDB)(objectClass=msExchPublicMDB))",
			 {"msExchPatchMDB", PLAN_DN}},
	[TASK_ROUTING] = {"routing group",
			  "(objectClass=msExchRoutingGroup)",
			  {"msExchRoutingMasterDN", PLAN_DN}},
	[TASK_RUS] = {"Recipient Update Service",
		      "(objectClass=msExchAddressListService)",
		      {"msExchAddressListServiceLink", PLAN_DN}},
	[TASK_OAB] = {"offline address book",
		      "(objectClass=msExchOAB)",
		      {"offLineABServer", PLAN_DN}},
};

/* stores, routing, rus, oab: objects under CN=Configuration. */
static int run_config_task(struct fixup *f, enum adfix_task task)
{
	const struct config_task *t = &config_tasks[task];
	const char *attrs[] = {t->rule.attr, NULL};
	struct collector col = {
		.f = f, .rules = &t->rule, .n_rules = 1, .stores = task == TASK_STORES};
	char *base = config_dn(f);
	int r = base ? search(f, base, t->filter, attrs, 0, &col) : -ENOMEM;

	if (r >= 0 && col.seen == 0) {
		snprintf(f->err, sizeof(f->err), "no %s%s%s under '%s'", t->what,
			 task == TASK_STORES ? " of server " : "", task == TASK_STORES ? f->to : "",
			 base);
		r = -ENOENT;
	}
	if (r >= 0)
		r = apply(f, task, col.mods, col.n);
	collector_free(&col);
	free(base);
	return r;
}

static int run_mailboxes(struct fixup *f, unsigned size_limit)
{
	static const char *const attrs[] = {"homeMDB", "homeMTA", "msExchHomeServerName", NULL};
	struct collector col = {
		.f = f, .rules = plan_user_rules, .n_rules = ARRAY_SIZE(plan_user_rules)};
	const char *base = f->c->user_base ? f->c->user_base : f->base;
	int r = search(f, base, "(&(mail=*)(|(homeMDB=*)(homeMTA=*)(msExchHomeServerName=*)))",
		       attrs, size_limit, &col);

	if (r >= 0 && size_limit) {
		f->planned[TASK_MAILBOXES] += col.n;
		if (col.n > 0) {
			snprintf(f->err, sizeof(f->err), "mail user '%s' still points at '%s'",
				 col.mods[0].dn, f->from);
			r = -EREMCHG;
		}
	} else if (r >= 0) {
		r = apply(f, TASK_MAILBOXES, col.mods, col.n);
	}
	collector_free(&col);
	return r;
}

/* A computer object, copied out of the search that found it. */
struct computer {
	const char *name;
	size_t found;
	char *dn;
	char *fqdn;
	struct dir_attr spn;
	struct dir_entry entry;
};

static void computer_free(struct computer *c)
{
	for (size_t i = 0; i < c->spn.n; i++)
		free(c->spn.values[i]);
	free(c->spn.values);
	free(c->dn);
	free(c->fqdn);
}

static int computer_take(const struct dir_entry *e, void *userdata)
{
	struct computer *c = userdata;
	const struct dir_attr *spn = dir_entry_attr(e, "servicePrincipalName");
	const struct dir_attr *host = dir_entry_attr(e, "dNSHostName");

	if (c->found++)
		return 0;
	c->dn = strdup(e->dn);
	c->fqdn = host && host->n ? strdup(host->values[0]) : NULL;
	c->spn.name = "servicePrincipalName";
	c->spn.n = spn ? spn->n : 0;
	c->spn.values = calloc(c->spn.n + 1, sizeof(char *));
	if (!c->dn || !c->spn.values || (host && host->n && !c->fqdn))
		return -ENOMEM;
	for (size_t i = 0; i < c->spn.n; i++)
		if (!(c->spn.values[i] = strdup(spn->values[i])))
			return -ENOMEM;
	c->entry = (struct dir_entry){c->dn, 1, &c->spn};
	return 0;
}

static int computer_find(struct fixup *f, struct computer *c)
{
	static const char *const attrs[] = {"servicePrincipalName", "dNSHostName", NULL};
	char filter[64];
	int r;

	snprintf(filter, sizeof(filter), "(&(objectClass=computer)(cn=%s))", c->name);
	r = f->ops->search(f->d, f->base, DIR_SCOPE_SUB, filter, attrs, 0, 0, f->deadline.end_us,
			   computer_take, c, f->err);
	if (r >= 0 && c->found != 1) {
		snprintf(f->err, sizeof(f->err), "%s computer object '%s' under '%s'",
			 c->found ? "more than one" : "no", c->name, f->base);
		r = c->found ? -ENOTUNIQ : -ENOENT;
	}
	return r;
}

/*
 * Move the primary's SPNs: delete them from the computer losing them
 * first, then add them to the other (Active Directory refuses an SPN held
 * twice); plan_spn() recovers the set if a kill fell in between.
 */
static int run_spn(struct fixup *f)
{
	struct computer prim = {.name = f->c->primary}, back = {.name = f->c->backup};
	bool failover = strcasecmp(f->to, f->c->backup) == 0;
	struct dir_mod mods[2] = {{0}};
	int r = computer_find(f, &prim);

	if (r >= 0)
		r = computer_find(f, &back);
	if (r >= 0)
		r = plan_spn(failover ? &prim.entry : &back.entry,
			     failover ? &back.entry : &prim.entry, f->c->primary, prim.fqdn,
			     &mods[0], &mods[1]);
	for (size_t i = 0; r >= 0 && i < 2; i++)
		if (mods[i].dn)
			r = apply(f, TASK_SPN, &mods[i], 1);
	dir_mod_clear(&mods[0]);
	dir_mod_clear(&mods[1]);
	computer_free(&prim);
	computer_free(&back);
	return r;
}

int fixup_run(struct fixup *f)
{
	static const enum adfix_task order[] = {TASK_STORES, TASK_SPN, TASK_ROUTING,
						TASK_RUS,    TASK_OAB, TASK_MAILBOXES};
	int r = 0;

	f->failed_task = -1;
	for (size_t i = 0; i < ARRAY_SIZE(order) && r >= 0; i++) {
		enum adfix_task t = order[i];

		if (!(f->c->task_mask & (1u << t)))
			continue;
		if (t == TASK_SPN)
			r = run_spn(f);
		else if (t == TASK_MAILBOXES)
			r = run_mailboxes(f, 0);
		else
			r = run_config_task(f, t);
		if (r < 0)
			f->failed_task = (int)t;
		else
			f->finished |= 1u << t;
	}
	return r;
}

/* The routing master must name f->to. */
static int sample_routing(struct fixup *f)
{
	const struct config_task *t = &config_tasks[TASK_ROUTING];
	const char *attrs[] = {t->rule.attr, NULL};
	struct collector col = {.f = f, .rules = &t->rule, .n_rules = 1};
	char *base = config_dn(f);
	int r = base ? search(f, base, t->filter, attrs, SAMPLE_SIZE, &col) : -ENOMEM;

	if (r >= 0 && col.n > 0) {
		snprintf(f->err, sizeof(f->err), "the routing master of '%s' is still '%s'",
			 col.mods[0].dn, f->from);
		r = -EREMCHG;
	}
	collector_free(&col);
	free(base);
	return r;
}

int fixup_sample(struct fixup *f)
{
	int r = 0;

	if (f->c->task_mask & (1u << TASK_ROUTING))
		r = sample_routing(f);
	if (r >= 0 && (f->c->task_mask & (1u << TASK_MAILBOXES)))
		r = run_mailboxes(f, SAMPLE_SIZE);
	return r;
}

void fixup_describe(const struct fixup *f, unsigned mask, bool left, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned t = 0; t < TASK_COUNT && len < size; t++) {
		if (!(mask & (1u << t)))
			continue;
		if (left && f->done[t])
			len += (size_t)snprintf(buf + len, size - len, "%s%s (%zu of %zu written)",
						len ? ", " : "", adfix_task_names[t], f->done[t],
						f->planned[t]);
		else if (left)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						adfix_task_names[t]);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%s (%zu modified)",
						len ? ", " : "", adfix_task_names[t], f->done[t]);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}
