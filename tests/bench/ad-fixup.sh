#!/usr/bin/env bash
#
# ocf:exha:ad-fixup against the alternatives, on one private slapd
# (tests/ldap/slapd.sh) holding 10,000 mail users (ADF_BENCH_USERS): one
# failover of the users each, from the same freshly loaded database, over
# the same transport (ldap:// + StartTLS, verified CA, simple bind):
#
#   agent       ad-fixup start tasks=mailboxes (paged search, one modify per
#               user with its three attributes, pipelined)
#   naive       tests/bench/adfix-naive.c: the straight port of exch.vbs's
#               loop (three synchronous modifies per user)
#   ldapmodify  ldapmodify -f of the LDIF the agent's ldif mode printed for
#               the same changes (computed beforehand, not timed)
#
# Each run is checked (every user moved) before its time counts. Targets:
# the agent at least 5x faster than the naive port, within 1.5x of
# ldapmodify. Also the per-exec cost of a level-0 monitor (no libldap).
# Figures only: the script fails when a run is wrong, not when it is slow.
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=tests/ldap/slapd.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ldap/slapd.sh"
# shellcheck source=tests/ldap/adfix.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ldap/adfix.sh"

require_root
require ip cc pkg-config slapd slapadd ldapsearch ldapmodify openssl python3
require_agent

USERS=${ADF_BENCH_USERS:-10000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! cc -O2 -o "$T_TMP/naive" "$here/adfix-naive.c" $(pkg-config --cflags --libs ldap); then
	not_ok "build the naive port"
	finish
fi
python3 "$SLAPD_HERE/fixture.py" "$USERS" >"$T_TMP/fixture.ldif"
slapd_setup "$T_TMP/slapd" "$T_TMP/fixture.ldif" >/dev/null
cp -a "$SLAPD_DIR/db" "$T_TMP/pristine"
tr -d '\n' <"$SLAPD_DIR/password" >"$T_TMP/pw-nonl"
chmod 600 "$T_TMP/pw-nonl"
ns_new NS ldap
defer slapd_stop

# A fresh copy of the loaded database for each run.
fresh() {
	slapd_stop
	rm -rf "$SLAPD_DIR/db"
	cp -a "$T_TMP/pristine" "$SLAPD_DIR/db"
	slapd_start "$NS"
}

fresh
ON_EX1=$(users_on EX1)
diag "$USERS users, $ON_EX1 of them on EX1"
adf node2 ldif tasks=mailboxes >"$T_TMP/plan.ldif"
diag "$(grep -c '^dn:' "$T_TMP/plan.ldif") change records in the precomputed LDIF"

declare -A MS
# timed <name> <cmd...>: run on a fresh database, check, keep the wall time.
timed() {
	local name=$1 t0 t1
	shift
	fresh
	t0=$(now_ms)
	run_cmd "$@"
	t1=$(now_ms)
	if ((T_RC != 0)); then
		not_ok "$name runs (rc $T_RC)"
		diag_block stderr "$T_ERR"
		return 0
	fi
	if [[ $(users_on EX10) == "$ON_EX1" && $(users_on EX1) == 0 ]]; then
		ok "$name moved all $ON_EX1 users in $((t1 - t0)) ms"
		MS[$name]=$((t1 - t0))
	else
		not_ok "$name moved all $ON_EX1 users (EX10 has $(users_on EX10))"
	fi
}

test_case "one failover of $ON_EX1 users"
timed agent adf node2 start tasks=mailboxes
timed naive ip netns exec "$NS" "$T_TMP/naive" ldap://127.0.0.1:389/ "$SLAPD_DIR/ca.pem" \
	"$SLAPD_ADMIN" "$SLAPD_DIR/password" "$SLAPD_BASE" EX1 EX10
timed ldapmodify ip netns exec "$NS" env LDAPTLS_CACERT="$SLAPD_DIR/ca.pem" LDAPTLS_REQCERT=hard \
	ldapmodify -ZZ -H ldap://127.0.0.1:389/ -D "$SLAPD_ADMIN" -y "$T_TMP/pw-nonl" \
	-f "$T_TMP/plan.ldif"

test_case "per-exec cost of a level-0 monitor"
adf node2 start tasks=mailboxes >/dev/null 2>&1
N=100
mon_loop() {
	local i
	for ((i = 0; i < N; i++)); do
		env -i OCF_ROOT="$OCF_ROOT" OCF_RESOURCE_INSTANCE="${T_PREFIX}-adf-node2" \
			OCF_RESKEY_CRM_meta_on_node=node2 OCF_RESKEY_uri=ldap://127.0.0.1:389/ \
			OCF_RESKEY_bind_dn="$SLAPD_ADMIN" \
			OCF_RESKEY_bind_password_file="$SLAPD_DIR/password" \
			OCF_RESKEY_primary=EX1 OCF_RESKEY_backup=EX10 "$(agent_path)" monitor 2>/dev/null
	done
}
t0=$(now_ms)
cpu=$( { TIMEFORMAT='%U %S'; time mon_loop; } 2>&1 >/dev/null)
t1=$(now_ms)
MON_US=$(((t1 - t0) * 1000 / N))
MON_CPU_US=$(awk -v c="$cpu" -v n=$N 'BEGIN { split(c, a, " "); printf "%d", (a[1] + a[2]) * 1e6 / n }')
ok "level-0 monitor: $MON_CPU_US us CPU, $MON_US us wall per exec (env + agent, $N execs)"
if ldd "$(agent_path)" | grep -q libldap; then
	not_ok "the agent binary does not link libldap"
else
	ok "the agent binary does not link libldap (ad-fixup-io.so does, loaded only to talk to the directory)"
fi

if [[ -n ${MS[agent]:-} && -n ${MS[naive]:-} && -n ${MS[ldapmodify]:-} ]]; then
	awk -v a="${MS[agent]}" -v n="${MS[naive]}" -v l="${MS[ldapmodify]}" -v u="$ON_EX1" 'BEGIN {
		printf "#\n# %-12s %10s %12s\n", "", "ms", "users/s"
		printf "# %-12s %10d %12.0f\n", "agent", a, u * 1000 / (a ? a : 1)
		printf "# %-12s %10d %12.0f\n", "naive port", n, u * 1000 / (n ? n : 1)
		printf "# %-12s %10d %12.0f\n", "ldapmodify", l, u * 1000 / (l ? l : 1)
		printf "# naive/agent %.1fx (target >= 5x: %s); agent/ldapmodify %.2fx (target <= 1.5x: %s)\n",
			n / a, n / a >= 5 ? "met" : "MISSED", a / l, a / l <= 1.5 ? "met" : "MISSED"
	}'
fi
finish
