/*
 * ad-fixup-io.so: the agent's directory I/O over libldap (and its cluster
 * alert over libcpg), loaded by
 * dlopen() only in the actions that talk to the directory (see dirops.h).
 * TLS is verified against ca_file (never "allow"); searches are paged;
 * modifies are pipelined with a bounded window. It never logs: every
 * failure comes back as -errno plus one line in err.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ldap.h>

#include "deadline.h"
#include "dirops.h"
#include "tlsdiag.h"

#define ATTRS_MAX 16

struct dir {
	LDAP *ld;
	uint64_t op_timeout_ms;
	ldap_conncb one_conn; /* lives as long as ld: libldap keeps the pointer */
	unsigned connections;
};

/*
 * One connection per handle. libldap opens a new default connection
 * whenever the old one is gone (ldap_send_initial_request), and on ldap://
 * that one has no StartTLS: a bind sent over it would go in clear.
 * Referrals are off, so a second connection is only ever that; refuse it.
 */
static int one_conn_add(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
			struct ldap_conncb *ctx)
{
	unsigned *connections = ctx->lc_arg;

	return (*connections)++ == 0 ? 0 : -1;
}

static void one_conn_del(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
}

/* What one operation may wait: the per-operation timeout, never past the deadline. */
static int op_timeval(const struct dir *d, uint64_t deadline_us, struct timeval *tv)
{
	uint64_t now = now_us(), left, us;

	if (now >= deadline_us)
		return -ETIME;
	left = deadline_us - now;
	us = d->op_timeout_ms * 1000u;
	if (us == 0 || us > left)
		us = left;
	tv->tv_sec = (time_t)(us / 1000000u);
	tv->tv_usec = (suseconds_t)(us % 1000000u);
	return 0;
}

static int errno_of(int rc)
{
	switch (rc) {
	case LDAP_INVALID_CREDENTIALS:
	case LDAP_INAPPROPRIATE_AUTH:
		return -EACCES;
	case LDAP_INSUFFICIENT_ACCESS:
	case LDAP_STRONG_AUTH_REQUIRED:
	case LDAP_CONFIDENTIALITY_REQUIRED:
		return -EPERM;
	case LDAP_NO_SUCH_OBJECT:
		return -ENOENT;
	case LDAP_SERVER_DOWN:
	case LDAP_CONNECT_ERROR:
		return -ECONNREFUSED;
	case LDAP_TIMEOUT:
	case LDAP_TIMELIMIT_EXCEEDED:
		return -ETIME;
	case LDAP_NO_MEMORY:
		return -ENOMEM;
	case LDAP_TYPE_OR_VALUE_EXISTS:
		return -EEXIST;
	case LDAP_NO_SUCH_ATTRIBUTE:
		return -ENODATA;
	default:
		return -EIO;
	}
}

/* -errno for rc, with the server's or library's explanation in err. */
static int fail(LDAP *ld, int rc, const char *what, char *err)
{
	char *diag = NULL;

	if (ld)
		ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	snprintf(err, DIR_ERR_SIZE, "%s: %s%s%s", what, ldap_err2string(rc),
		 diag && *diag ? ": " : "", diag && *diag ? diag : "");
	ldap_memfree(diag);
	return errno_of(rc);
}

static int set_timeouts(struct dir *d, uint64_t deadline_us)
{
	struct timeval tv;
	int r = op_timeval(d, deadline_us, &tv);

	if (r < 0)
		return r;
	if (ldap_set_option(d->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(d->ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS)
		return -EINVAL;
	return 0;
}

static int dir_bind(struct dir *d, const struct dir_conn_opts *o, char *err)
{
	struct berval cred = {0, NULL};
	int rc;

	if (o->bind_dn) {
		/* As given: a DN, user@domain or DOMAIN\user are AD's business. */
		cred.bv_val = (char *)(o->password ? o->password : "");
		cred.bv_len = strlen(cred.bv_val);
		rc = ldap_sasl_bind_s(d->ld, o->bind_dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	} else if (o->transport == DIR_LDAPI) {
		/* An empty initial response: the identity the socket proves. */
		cred.bv_val = (char *)"";
		rc = ldap_sasl_bind_s(d->ld, NULL, "EXTERNAL", &cred, NULL, NULL, NULL);
	} else {
		return 0; /* anonymous */
	}
	if (rc != LDAP_SUCCESS)
		return fail(d->ld, rc, "cannot bind", err);
	return 0;
}

static void dir_close(struct dir *d)
{
	if (!d)
		return;
	if (d->ld)
		ldap_unbind_ext_s(d->ld, NULL, NULL);
	free(d);
}

static int tls_options(LDAP *ld, const struct dir_conn_opts *o, int require, char *err)
{
	int zero = 0, rc;

	if (o->ca_file &&
	    (rc = ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, o->ca_file)) != LDAP_OPT_SUCCESS)
		return fail(ld, rc, "cannot use ca_file", err);
	rc = ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require);
	if (rc == LDAP_OPT_SUCCESS)
		rc = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero);
	if (rc != LDAP_OPT_SUCCESS)
		return fail(ld, rc, "cannot set up TLS", err);
	return 0;
}

/*
 * After a failed handshake: connect again accepting any certificate, only
 * to read the one the server sends and say what is wrong with it. Nothing
 * but the handshake (and StartTLS) goes over this connection.
 */
static int tls_diagnose(const struct dir *d, const struct dir_conn_opts *o, uint64_t deadline_us,
			char *why, size_t size)
{
	struct berval cert = {0, NULL};
	struct dir probe = {.op_timeout_ms = d->op_timeout_ms};
	char ignored[DIR_ERR_SIZE];
	int v3 = LDAP_VERSION3, r = -EIO;

	if (ldap_initialize(&probe.ld, o->uri) != LDAP_SUCCESS)
		return -EIO;
	ldap_set_option(probe.ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	if (set_timeouts(&probe, deadline_us) >= 0 &&
	    tls_options(probe.ld, o, LDAP_OPT_X_TLS_ALLOW, ignored) >= 0 &&
	    ldap_connect(probe.ld) == LDAP_SUCCESS &&
	    (o->transport == DIR_LDAPS || ldap_start_tls_s(probe.ld, NULL, NULL) == LDAP_SUCCESS) &&
	    ldap_get_option(probe.ld, LDAP_OPT_X_TLS_PEERCERT, &cert) == LDAP_OPT_SUCCESS &&
	    cert.bv_val)
		r = tlsdiag_explain(cert.bv_val, cert.bv_len, o->host ? o->host : "", o->ca_file,
				    why, size);
	ber_memfree(cert.bv_val);
	ldap_unbind_ext_s(probe.ld, NULL, NULL);
	return r;
}

/*
 * Connecting or StartTLS failed (the attempt began at started_us): the
 * certificate's fault named where it is one. A server that let the attempt
 * time out is not asked again: that is no certificate's fault, and a
 * second wait would only spend the action's budget.
 */
static int fail_connect(struct dir *d, const struct dir_conn_opts *o, int rc, const char *what,
			uint64_t started_us, uint64_t deadline_us, char *err)
{
	bool timed_out = now_us() - started_us >= d->op_timeout_ms * 900u;
	char why[DIR_ERR_SIZE / 2];

	if (o->transport != DIR_LDAPI && (rc == LDAP_CONNECT_ERROR || rc == LDAP_SERVER_DOWN) &&
	    !timed_out && tls_diagnose(d, o, deadline_us, why, sizeof(why)) > 0) {
		snprintf(err, DIR_ERR_SIZE, "TLS refused the server's certificate: %s", why);
		return -EPROTO;
	}
	return fail(d->ld, rc, what, err);
}

/*
 * The text must be the one URI the agent parsed, with the scheme it parsed:
 * libldap would take a list and connect to whichever member answers.
 */
static bool uri_matches(const struct dir_conn_opts *o)
{
	static const char *const prefix[DIR_TRANSPORT_COUNT] = {
		[DIR_LDAP] = "ldap://", [DIR_LDAPS] = "ldaps://", [DIR_LDAPI] = "ldapi://"};

	return (unsigned)o->transport < DIR_TRANSPORT_COUNT &&
	       strncmp(o->uri, prefix[o->transport], strlen(prefix[o->transport])) == 0 &&
	       !strpbrk(o->uri, ", \t\r\n");
}

/* Connect (ldaps: the handshake too) and StartTLS where asked; TLS proven in place. */
static int secure_channel(struct dir *d, const struct dir_conn_opts *o, uint64_t deadline_us,
			  char *err)
{
	bool want_tls = o->transport == DIR_LDAPS || (o->transport == DIR_LDAP && o->tls);
	uint64_t started_us = now_us();
	int rc, r;

	/* Verified always: a directory on this host is ldapi://, not TLS without checks. */
	if (o->transport != DIR_LDAPI && (r = tls_options(d->ld, o, LDAP_OPT_X_TLS_HARD, err)) < 0)
		return r;
	if ((rc = ldap_connect(d->ld)) != LDAP_SUCCESS)
		return fail_connect(d, o, rc, "cannot connect", started_us, deadline_us, err);
	if (o->transport == DIR_LDAP && o->tls &&
	    (rc = ldap_start_tls_s(d->ld, NULL, NULL)) != LDAP_SUCCESS)
		return fail_connect(d, o, rc, "StartTLS failed", started_us, deadline_us, err);
	/* Nothing secret leaves before this holds, whatever the library made of the uri. */
	if (want_tls && !ldap_tls_inplace(d->ld)) {
		snprintf(err, DIR_ERR_SIZE, "TLS is not in place on '%s': nothing sent", o->uri);
		return -EPROTO;
	}
	return 0;
}

static int connect_bind(struct dir *d, const struct dir_conn_opts *o, uint64_t deadline_us,
			char *err)
{
	int v3 = LDAP_VERSION3, rc, r;

	if (!uri_matches(o)) {
		snprintf(err, DIR_ERR_SIZE, "'%.300s' is not one URI of the scheme parsed", o->uri);
		return -EINVAL;
	}
	rc = ldap_initialize(&d->ld, o->uri);
	if (rc != LDAP_SUCCESS)
		return fail(NULL, rc, "bad uri", err);
	ldap_set_option(d->ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_option(d->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	d->one_conn = (ldap_conncb){one_conn_add, one_conn_del, &d->connections};
	if (ldap_set_option(d->ld, LDAP_OPT_CONNECT_CB, &d->one_conn) != LDAP_OPT_SUCCESS) {
		snprintf(err, DIR_ERR_SIZE, "cannot watch the connections of libldap");
		return -EINVAL;
	}
	if ((r = set_timeouts(d, deadline_us)) < 0)
		return r == -ETIME ? (snprintf(err, DIR_ERR_SIZE, "timed out"), r) : r;
	if ((r = secure_channel(d, o, deadline_us, err)) < 0)
		return r;
	return dir_bind(d, o, err);
}

static int dir_open(const struct dir_conn_opts *o, uint64_t deadline_us, struct dir **ret,
		    char *err)
{
	struct dir *d;
	int r;

	err[0] = '\0';
	if (!o || !o->uri || !ret)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->op_timeout_ms = o->op_timeout_ms;
	r = connect_bind(d, o, deadline_us, err);
	if (r < 0) {
		dir_close(d);
		return r;
	}
	*ret = d;
	return 0;
}

/* Values as NUL-terminated strings (liblber terminates each bv_val). */
static int entry_attr(struct berval **bv, char *name, struct dir_attr *a)
{
	size_t n = (size_t)ldap_count_values_len(bv);

	a->name = name;
	a->n = n;
	a->values = calloc(n + 1, sizeof(char *));
	if (!a->values)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		a->values[i] = bv[i]->bv_val;
	return 0;
}

/* Hand one entry to fn. */
static int deliver(LDAP *ld, LDAPMessage *m, dir_entry_fn fn, void *userdata)
{
	struct dir_attr attrs[ATTRS_MAX];
	struct berval **bvs[ATTRS_MAX];
	char *names[ATTRS_MAX];
	struct dir_entry e = {.attrs = attrs};
	BerElement *ber = NULL;
	char *dn = ldap_get_dn(ld, m), *a;
	int r = dn ? 0 : -ENOMEM;

	for (a = ldap_first_attribute(ld, m, &ber); r == 0 && a;
	     a = ldap_next_attribute(ld, m, ber)) {
		struct berval **bv = ldap_get_values_len(ld, m, a);

		if (!bv || e.n_attrs == ATTRS_MAX) {
			ldap_value_free_len(bv);
			ldap_memfree(a);
			continue;
		}
		names[e.n_attrs] = a;
		bvs[e.n_attrs] = bv;
		r = entry_attr(bv, a, &attrs[e.n_attrs]);
		e.n_attrs++;
	}
	ber_free(ber, 0);
	e.dn = dn;
	if (r == 0)
		r = fn(&e, userdata);
	for (size_t i = 0; i < e.n_attrs; i++) {
		free(attrs[i].values);
		ldap_value_free_len(bvs[i]);
		ldap_memfree(names[i]);
	}
	ldap_memfree(dn);
	return r;
}

/* Entries of one result; the cookie for the next page into cookie. */
static int read_page(struct dir *d, LDAPMessage *res, struct berval *cookie, dir_entry_fn fn,
		     void *userdata, char *err)
{
	LDAPControl **ctrls = NULL, *page;
	ber_int_t count;
	int rc, r = 0;

	for (LDAPMessage *m = ldap_first_entry(d->ld, res); m && r >= 0;
	     m = ldap_next_entry(d->ld, m))
		r = deliver(d->ld, m, fn, userdata);
	if (r < 0)
		return r;
	rc = ldap_parse_result(d->ld, res, NULL, NULL, NULL, NULL, &ctrls, 0);
	if (rc != LDAP_SUCCESS)
		return fail(d->ld, rc, "bad search result", err);
	page = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
	if (page)
		rc = ldap_parse_pageresponse_control(d->ld, page, &count, cookie);
	ldap_controls_free(ctrls);
	if (page && rc != LDAP_SUCCESS)
		return fail(d->ld, rc, "bad paged results control", err);
	return 0;
}

static int one_page(struct dir *d, const char *base, enum dir_scope scope, const char *filter,
		    const char *const *attrs, unsigned page, unsigned size_limit,
		    uint64_t deadline_us, struct berval *cookie, LDAPMessage **res, char *err)
{
	LDAPControl *ctrl = NULL, *ctrls[2] = {NULL, NULL};
	struct timeval tv;
	int rc, r = op_timeval(d, deadline_us, &tv);

	if (r < 0)
		return snprintf(err, DIR_ERR_SIZE, "search of '%s' timed out", base), r;
	if (page) {
		rc = ldap_create_page_control(d->ld, page, cookie, 0, &ctrl);
		if (rc != LDAP_SUCCESS)
			return fail(d->ld, rc, "cannot page the search", err);
		ctrls[0] = ctrl;
	}
	rc = ldap_search_ext_s(d->ld, base,
			       scope == DIR_SCOPE_BASE ? LDAP_SCOPE_BASE : LDAP_SCOPE_SUBTREE,
			       filter, (char **)attrs, 0, ctrls, NULL, &tv, (int)size_limit, res);
	if (ctrl)
		ldap_control_free(ctrl);
	if (rc != LDAP_SUCCESS && !(rc == LDAP_SIZELIMIT_EXCEEDED && size_limit)) {
		char what[DIR_ERR_SIZE / 2];

		snprintf(what, sizeof(what), "cannot search '%s'", base);
		ldap_msgfree(*res);
		*res = NULL;
		return fail(d->ld, rc, what, err);
	}
	return 0;
}

static int dir_search(struct dir *d, const char *base, enum dir_scope scope, const char *filter,
		      const char *const *attrs, unsigned page, unsigned size_limit,
		      uint64_t deadline_us, dir_entry_fn fn, void *userdata, char *err)
{
	struct berval cookie = {0, NULL};
	int r;

	err[0] = '\0';
	if (!d || !base || !filter || !fn)
		return -EINVAL;
	do {
		struct berval next = {0, NULL};
		LDAPMessage *res = NULL;

		r = one_page(d, base, scope, filter, attrs, page, size_limit, deadline_us, &cookie,
			     &res, err);
		if (r >= 0)
			r = read_page(d, res, &next, fn, userdata, err);
		ldap_msgfree(res);
		ber_memfree(cookie.bv_val);
		cookie = next;
	} while (r >= 0 && page && cookie.bv_len > 0);
	ber_memfree(cookie.bv_val);
	return r;
}

struct nc {
	char *dn;
};

static int take_nc(const struct dir_entry *e, void *userdata)
{
	struct nc *nc = userdata;

	for (const char *want = "defaultNamingContext"; want;
	     want = want[0] == 'd' ? "namingContexts" : NULL)
		for (size_t i = 0; i < e->n_attrs && !nc->dn; i++)
			if (strcasecmp(e->attrs[i].name, want) == 0 && e->attrs[i].n > 0 &&
			    !(nc->dn = strdup(e->attrs[i].values[0])))
				return -ENOMEM;
	return 0;
}

static int dir_naming_context(struct dir *d, uint64_t deadline_us, char **ret, char *err)
{
	static const char *const attrs[] = {"defaultNamingContext", "namingContexts", NULL};
	struct nc nc = {NULL};
	int r = dir_search(d, "", DIR_SCOPE_BASE, "(objectClass=*)", attrs, 0, 0, deadline_us,
			   take_nc, &nc, err);

	if (r >= 0 && !nc.dn) {
		snprintf(err, DIR_ERR_SIZE,
			 "the root DSE names no defaultNamingContext or namingContexts");
		r = -ENOENT;
	}
	if (r < 0) {
		free(nc.dn);
		return r;
	}
	*ret = nc.dn;
	return 0;
}

/* Send one modify; the LDAPMod arrays only live until ldap_modify_ext() has encoded them. */
static int send_mod(LDAP *ld, const struct dir_mod *m, int *ret_msgid)
{
	static const int ops[] = {
		[DIR_ADD] = LDAP_MOD_ADD,
		[DIR_DELETE] = LDAP_MOD_DELETE,
		[DIR_REPLACE] = LDAP_MOD_REPLACE,
	};
	LDAPMod mods[DIR_MOD_MAX], *ptrs[DIR_MOD_MAX + 1] = {NULL};
	char **vals[DIR_MOD_MAX] = {NULL};
	size_t n = m->n_changes < DIR_MOD_MAX ? m->n_changes : DIR_MOD_MAX;
	int rc = LDAP_SUCCESS;

	for (size_t i = 0; i < n && rc == LDAP_SUCCESS; i++) {
		const struct dir_change *c = &m->changes[i];

		vals[i] = calloc(c->n + 1, sizeof(char *));
		if (!vals[i]) {
			rc = LDAP_NO_MEMORY;
			break;
		}
		memcpy(vals[i], c->values, c->n * sizeof(char *));
		mods[i] = (LDAPMod){
			.mod_op = ops[c->op], .mod_type = (char *)c->attr, .mod_values = vals[i]};
		ptrs[i] = &mods[i];
	}
	if (rc == LDAP_SUCCESS)
		rc = ldap_modify_ext(ld, m->dn, ptrs, NULL, NULL, ret_msgid);
	for (size_t i = 0; i < n; i++)
		free(vals[i]);
	return rc;
}

struct window {
	int *msgid; /* slot -> message id, 0 = free */
	size_t *index;
	unsigned size, used;
};

static int window_put(struct window *w, int msgid, size_t index)
{
	for (unsigned i = 0; i < w->size; i++)
		if (!w->msgid[i]) {
			w->msgid[i] = msgid;
			w->index[i] = index;
			w->used++;
			return 0;
		}
	return -ENOBUFS;
}

/* The mod index of a reply, its slot freed; -1 when it is not ours. */
static long window_take(struct window *w, int msgid)
{
	for (unsigned i = 0; i < w->size; i++)
		if (w->msgid[i] == msgid) {
			w->msgid[i] = 0;
			w->used--;
			return (long)w->index[i];
		}
	return -1;
}

/* Wait for one reply; 0 when it succeeded, else -errno with err set. */
static int reap_one(struct dir *d, struct window *w, const struct dir_mod *mods,
		    uint64_t deadline_us, char *err)
{
	LDAPMessage *res = NULL;
	struct timeval tv;
	char what[DIR_ERR_SIZE / 2];
	int rc, result = LDAP_OTHER, r = op_timeval(d, deadline_us, &tv);
	long idx;

	if (r < 0)
		return snprintf(err, DIR_ERR_SIZE, "timed out waiting for the directory"), r;
	rc = ldap_result(d->ld, LDAP_RES_ANY, LDAP_MSG_ONE, &tv, &res);
	if (rc == 0)
		return snprintf(err, DIR_ERR_SIZE, "timed out waiting for the directory"), -ETIME;
	if (rc < 0) {
		ldap_get_option(d->ld, LDAP_OPT_RESULT_CODE, &result);
		return fail(d->ld, result, "lost the directory", err);
	}
	idx = window_take(w, ldap_msgid(res));
	rc = ldap_parse_result(d->ld, res, &result, NULL, NULL, NULL, NULL, 1);
	if (idx < 0)
		return 1; /* not a reply to a modify of ours (a notice): ignore */
	if (rc == LDAP_SUCCESS && result == LDAP_SUCCESS)
		return 0;
	snprintf(what, sizeof(what), "cannot modify '%s'", mods[idx].dn);
	return fail(d->ld, rc != LDAP_SUCCESS ? rc : result, what, err);
}

static int dir_modify(struct dir *d, const struct dir_mod *mods, size_t n, unsigned window,
		      uint64_t deadline_us, size_t *ret_done, char *err)
{
	struct window w = {.size = window ? window : 1};
	char later[DIR_ERR_SIZE] = ""; /* errors after the first are not reported */
	size_t next = 0, done = 0;
	int first = 0, r, rc;

	err[0] = '\0';
	if (!d || (!mods && n) || !ret_done)
		return -EINVAL;
	w.msgid = calloc(w.size, sizeof(int));
	w.index = calloc(w.size, sizeof(size_t));
	if (!w.msgid || !w.index)
		first = -ENOMEM;
	while (w.msgid && w.index && (next < n || w.used > 0)) {
		while (!first && w.used < w.size && next < n) {
			int msgid;

			rc = send_mod(d->ld, &mods[next], &msgid);
			if (rc != LDAP_SUCCESS) {
				first = fail(d->ld, rc, "cannot send a modify", err);
				break;
			}
			window_put(&w, msgid, next++);
		}
		if (w.used == 0)
			break;
		r = reap_one(d, &w, mods, deadline_us, first ? later : err);
		if (r == 0)
			done++;
		else if (r < 0 && !first)
			first = r;
		if (r == -ETIME || r == -ECONNREFUSED)
			break; /* nothing more will come back */
	}
	free(w.msgid);
	free(w.index);
	*ret_done = done;
	return first;
}

static int dir_alert(const struct alert *a, uint64_t deadline_us)
{
	return alert_send(a, (deadline_t){deadline_us});
}

__attribute__((visibility("default"))) const struct dir_ops adfix_dir_ops = {
	.version = DIR_OPS_VERSION,
	.open = dir_open,
	.close = dir_close,
	.naming_context = dir_naming_context,
	.search = dir_search,
	.modify = dir_modify,
	.alert = dir_alert,
};
