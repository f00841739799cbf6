/*
 * The straight port of exch.vbs's user loop, for tests/bench/ad-fixup.sh:
 * search the mail users (paged, like the agent, so both do the same work),
 * then for each user on the old server three synchronous modifies, one per
 * attribute, each waiting for its reply, with the script's substring
 * rewrite. Same connection set-up as the agent: StartTLS, verified CA,
 * simple bind.
 *
 *   adfix-naive <uri> <ca_file> <bind_dn> <password_file> <base> <from> <to>
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ldap.h>

struct user {
	char *dn, *vals[3];
};

static const char *const attrs[] = {"homeMDB", "homeMTA", "msExchHomeServerName", NULL};

static void die(LDAP *ld, int rc, const char *what)
{
	fprintf(stderr, "adfix-naive: %s: %s\n", what, ldap_err2string(rc));
	exit(1);
}

/* The script's Replace(value, from, to, 1, -1, vbTextCompare). */
static char *replace(const char *v, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	char *out = malloc(strlen(v) * (tl + 1) + 1);

	while (*v) {
		if (strncasecmp(v, from, fl) == 0) {
			memcpy(out + n, to, tl);
			n += tl;
			v += fl;
		} else {
			out[n++] = *v++;
		}
	}
	out[n] = '\0';
	return out;
}

static LDAP *connect_bind(char **argv)
{
	int v3 = LDAP_VERSION3, hard = LDAP_OPT_X_TLS_HARD, zero = 0, rc;
	char pw[256] = "";
	FILE *f = fopen(argv[4], "r");
	struct berval cred;
	LDAP *ld;

	if (!f || !fgets(pw, sizeof(pw), f))
		exit(1);
	fclose(f);
	pw[strcspn(pw, "\n")] = '\0';
	if ((rc = ldap_initialize(&ld, argv[1])) != LDAP_SUCCESS)
		die(NULL, rc, "initialize");
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, argv[2]);
	ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &hard);
	ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero);
	if ((rc = ldap_start_tls_s(ld, NULL, NULL)) != LDAP_SUCCESS)
		die(ld, rc, "StartTLS");
	cred.bv_val = pw;
	cred.bv_len = strlen(pw);
	if ((rc = ldap_sasl_bind_s(ld, argv[3], LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL)))
		die(ld, rc, "bind");
	return ld;
}

/* Every mail user, paged. */
static struct user *search(LDAP *ld, const char *base, size_t *ret_n)
{
	struct berval *cookie = NULL;
	struct user *u = NULL;
	size_t n = 0, cap = 0;

	do {
		LDAPControl *ctrl, *ctrls[2] = {NULL, NULL}, **rctrls = NULL;
		LDAPMessage *res;
		ber_int_t count;
		struct berval next = {0, NULL};
		int rc;

		ldap_create_page_control(ld, 1000, cookie, 0, &ctrl);
		ctrls[0] = ctrl;
		rc = ldap_search_ext_s(ld, base, LDAP_SCOPE_SUBTREE, "(&(mail=*)(homeMTA=*))",
				       (char **)attrs, 0, ctrls, NULL, NULL, 0, &res);
		if (rc != LDAP_SUCCESS)
			die(ld, rc, "search");
		for (LDAPMessage *m = ldap_first_entry(ld, res); m; m = ldap_next_entry(ld, m)) {
			if (n == cap) {
				struct user *nu =
					realloc(u, (cap = cap ? cap * 2 : 1024) * sizeof(*u));

				if (!nu)
					exit(1);
				u = nu;
			}
			u[n].dn = ldap_get_dn(ld, m);
			for (int i = 0; i < 3; i++) {
				struct berval **bv = ldap_get_values_len(ld, m, attrs[i]);

				u[n].vals[i] = bv ? strdup(bv[0]->bv_val) : NULL;
				ldap_value_free_len(bv);
			}
			n++;
		}
		ldap_parse_result(ld, res, NULL, NULL, NULL, NULL, &rctrls, 1);
		ldap_parse_pageresponse_control(
			ld, ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL), &count,
			&next);
		ldap_controls_free(rctrls);
		ldap_control_free(ctrl);
		if (cookie)
			ber_bvfree(cookie);
		cookie = next.bv_len ? ber_bvdup(&next) : NULL;
		ber_memfree(next.bv_val);
	} while (cookie);
	*ret_n = n;
	return u;
}

int main(int argc, char **argv)
{
	char from_dn[64], to_dn[64], from_leg[64], to_leg[64];
	size_t n, modified = 0;
	struct user *u;
	LDAP *ld;

	if (argc != 8)
		return 2;
	ld = connect_bind(argv);
	snprintf(from_dn, sizeof(from_dn), "CN=%s,CN=Servers", argv[6]);
	snprintf(to_dn, sizeof(to_dn), "CN=%s,CN=Servers", argv[7]);
	snprintf(from_leg, sizeof(from_leg), "cn=Servers/cn=%s", argv[6]);
	snprintf(to_leg, sizeof(to_leg), "cn=Servers/cn=%s", argv[7]);
	u = search(ld, argv[5], &n);
	for (size_t i = 0; i < n; i++) {
		for (int a = 0; a < 3; a++) {
			char *v = u[i].vals[a], *nv, *vals[2] = {NULL, NULL};
			LDAPMod mod = {LDAP_MOD_REPLACE, (char *)attrs[a], {vals}},
				*mods[2] = {&mod, NULL};
			int rc;

			if (!v || !strcasestr(v, a == 2 ? from_leg : from_dn))
				continue;
			/* The script's substring replace, anchored on CN=Servers so that it is
			 * correct on this fixture: the speed is what is compared. */
			nv = replace(v, a == 2 ? from_leg : from_dn, a == 2 ? to_leg : to_dn);
			vals[0] = nv;
			rc = ldap_modify_ext_s(ld, u[i].dn, mods, NULL, NULL);
			if (rc != LDAP_SUCCESS)
				die(ld, rc, u[i].dn);
			modified++;
			free(nv);
		}
	}
	printf("%zu users, %zu modifies\n", n, modified);
	ldap_unbind_ext_s(ld, NULL, NULL);
	return 0;
}
