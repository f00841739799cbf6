#!/usr/bin/env bash
#
# ocf:exha:ad-fixup against a real slapd (tests/ldap/slapd.sh) holding an
# Exchange 2007 organization (tests/ldap/fixture.py): servers EX1 (primary),
# EX10 (backup: the substring trap) and EX100 (never touched), N mail users
# over CN=Users and nested OUs. The test inspects with ldapsearch and
# ldapmodify over ldapi://; the agent uses neither.
#
# Run as root after `make install`, or with EXHA_AGENT_DIR pointing at a
# build tree's agent directory (make install DESTDIR=...).
# shellcheck disable=SC2317 # helpers run through check and wait_until
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=tests/ldap/slapd.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ldap/slapd.sh"
# shellcheck source=tests/ldap/adfix.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ldap/adfix.sh"

require_root
require ip slapd slapadd ldapsearch ldapmodify openssl python3 xmllint
require_agent

# More than one page (1,000 entries) of users.
USERS=${ADF_USERS:-1500}
DTD=/usr/share/resource-agents/ra-api-1.dtd

python3 "$SLAPD_HERE/fixture.py" "$USERS" >"$T_TMP/fixture.ldif"
slapd_setup "$T_TMP/slapd" "$T_TMP/fixture.ldif" >/dev/null
ns_new NS ldap
defer slapd_stop
if ! slapd_start "$NS"; then
	not_ok "slapd starts"
	finish
fi
diag "slapd $SLAPD_PID in $NS, $USERS users, $(slapd_ldapi)"
slapd_dump "$T_TMP/initial"
ON_EX1=$(users_on EX1)
ON_EX100=$(users_on EX100)
diag "mail users on EX1: $ON_EX1, on EX100: $ON_EX100"

same_as() {
	slapd_dump "$T_TMP/now"
	diff -u "$1" "$T_TMP/now" | head -n 40
	cmp -s "$1" "$T_TMP/now"
}

is_count() {
	[[ $(users_on "$1") == "$2" ]]
}

is_entries() {
	[[ $(entries "$1" "$2") == "$3" ]]
}

# --------------------------------------------------------------- meta-data

test_case "meta-data"
assert_rc 0 adf node2 meta-data
printf '%s\n' "$T_OUT" >"$T_TMP/meta.xml"
check "meta-data is valid OCF 1.1 XML" xmllint --noout --dtdvalid "$DTD" "$T_TMP/meta.xml"
assert_not_contains "$T_OUT" '<action name="ldif"' "the ldif mode is not an OCF action"

# ----------------------------------------------------------- bad parameters

test_case "bad parameters are OCF_ERR_CONFIGURED, naming the parameter"
assert_rc 6 adf node2 validate-all primary=
assert_exit_reason primary
assert_rc 6 adf node2 validate-all backup=ex1
assert_exit_reason backup
assert_rc 6 adf node2 validate-all primary=EX,1
assert_exit_reason primary
assert_rc 6 adf node2 validate-all uri=http://127.0.0.1/
assert_exit_reason uri
assert_rc 6 adf node2 validate-all tasks="spn mailbox"
assert_exit_reason tasks
assert_rc 6 adf node2 validate-all uri=ldaps://127.0.0.1:636/ tls=false
assert_exit_reason tls
assert_rc 6 adf node2 validate-all bind_dn=
assert_exit_reason bind_dn
assert_rc 6 adf node2 validate-all timeout=0
assert_exit_reason timeout
assert_rc 6 adf node2 start user_base="OU=a,,DC=x"
assert_exit_reason user_base
check "bad parameters changed nothing" same_as "$T_TMP/initial"

# The file is this node's: OCF_ERR_INSTALLED keeps the resource off this node only.
test_case "the password file must be root's alone"
cp "$SLAPD_DIR/password" "$T_TMP/pw"
chmod 640 "$T_TMP/pw"
assert_rc 5 adf node2 validate-all bind_password_file="$T_TMP/pw"
assert_exit_reason bind_password_file
assert_rc 5 adf node2 start bind_password_file="$T_TMP/pw"
chmod 600 "$T_TMP/pw"
chown nobody "$T_TMP/pw"
assert_rc 5 adf node2 validate-all bind_password_file="$T_TMP/pw"
assert_exit_reason bind_password_file root
chown root "$T_TMP/pw"
ln -s "$T_TMP/pw" "$T_TMP/pw-link"
assert_rc 5 adf node2 validate-all bind_password_file="$T_TMP/pw-link"
assert_rc 5 adf node2 validate-all bind_password_file="$T_TMP/absent"
assert_rc 5 adf node2 start bind_password_file="$T_TMP/absent"
assert_exit_reason bind_password_file
assert_rc 5 adf node2 start ca_file="$T_TMP/absent.pem"
assert_exit_reason ca_file
assert_rc 0 adf node2 validate-all bind_password_file="$T_TMP/pw"

test_case "the I/O plugin: missing is OCF_ERR_INSTALLED, unsafe is refused"
mkdir -m 700 "$T_TMP/noplugin" "$T_TMP/badplugin"
assert_rc 5 adf node2 validate-all EXHA_PLUGIN_DIR="$T_TMP/noplugin"
assert_exit_reason ad-fixup-io.so
assert_rc 5 adf node2 start EXHA_PLUGIN_DIR="$T_TMP/noplugin"
plugin=$(find "${EXHA_PLUGIN_DIR:-/usr/local/lib/exha}" /usr/lib/exha -name ad-fixup-io.so \
	-print -quit 2>/dev/null || true)
if [[ -n $plugin ]]; then
	install -m 666 "$plugin" "$T_TMP/badplugin/ad-fixup-io.so"
	chmod 666 "$T_TMP/badplugin/ad-fixup-io.so"
	assert_rc 4 adf node2 validate-all EXHA_PLUGIN_DIR="$T_TMP/badplugin"
	assert_exit_reason unsafe
else
	skip "no installed ad-fixup-io.so found to copy"
fi

# ------------------------------------------------------------ monitor idle

test_case "before start"
assert_rc 7 adf node2 monitor
assert_rc 7 adf node2 monitor OCF_CHECK_LEVEL=10
assert_rc 0 adf node2 stop

# ----------------------------------------------------------------- ldif

test_case "the ldif mode prints the changes and writes nothing"
assert_rc 0 adf node2 ldif
printf '%s\n' "$T_OUT" >"$T_TMP/plan.ldif"
check "nothing was written" same_as "$T_TMP/initial"
records=$(grep -c '^dn:' "$T_TMP/plan.ldif" || true)
# 2 stores, 2 computers, routing group, 2 RUS, OAB, the EX1 users.
diag "$records change records"
check "one record per user on EX1 plus 8 configuration records" test "$records" -eq $((ON_EX1 + 8))
assert_contains "$T_OUT" "servicePrincipalName: HOST/ex1.corp.example"
assert_not_contains "$T_OUT" "EX100" "nothing about EX100"
assert_not_contains "$T_OUT" "CN=No Mail" "a user without mail is not a mail user"

# ------------------------------------------------------------ fail over

test_case "fail over (start on a node other than the primary)"
assert_rc 0 adf node2 start
check "every mail user of EX1 is on EX10" is_count EX10 "$ON_EX1"
check "no mail user is left on EX1" is_count EX1 0
check "the users of EX100 stayed there (EX1 never touches EX10 or EX100)" is_count EX100 "$ON_EX100"
check "the user named EX1 and the one with an escaped comma moved" test "$(lsearch \
	-b "$SLAPD_BASE" "(&(|(cn=EX1)(cn=Doe, John))(msExchHomeServerName=*cn=EX10))" dn |
	grep -c '^dn:')" -eq 2
got=$(spns_of EX10)
assert_contains "$got" "HOST/EX1 HOST/EX10 HOST/ex1.corp.example" "EX10 holds EX1's SPNs and its own"
got=$(spns_of EX1)
check "EX1 kept only its other SPNs" test "$got" = "ldap/ex1.corp.example "
got=$(spns_of EX100)
assert_contains "$got" "HOST/EX100 HOST/ex100.corp.example" "EX100's SPNs are untouched"
got=$(lsearch -b "$SLAPD_BASE" "(msExchPatchMDB=TRUE)" dn)
got=${got,,}
assert_contains "$got" "cn=ex10,cn=servers" "EX10's stores are patched"
assert_not_contains "$got" "cn=ex1,cn=servers" "EX1's stores are not"
got=$(lsearch -b "$SLAPD_BASE" "(|(msExchRoutingMasterDN=*)(offLineABServer=*)(msExchAddressListServiceLink=*))" \
	msExchRoutingMasterDN offLineABServer msExchAddressListServiceLink)
check "routing master, OAB and both RUS name EX10" test "$(grep -ci 'cn=EX10,cn=Servers' <<<"$got")" -eq 4
check "the directory points at EX10 (the drill's check)" dir_points_at EX10 EX1 EX10 "$ON_EX1"
assert_rc 0 adf node2 monitor
assert_rc 0 adf node2 monitor OCF_CHECK_LEVEL=10
slapd_dump "$T_TMP/failedover"

test_case "start again changes nothing"
assert_rc 0 adf node2 start
assert_contains "$T_ERR" "mailboxes (0 modified)"
check "the directory is as the first start left it" same_as "$T_TMP/failedover"
assert_rc 0 adf node2 ldif
check "the ldif mode has nothing left to print" test -z "$T_OUT"

test_case "stop touches nothing"
assert_rc 0 adf node2 stop
assert_rc 7 adf node2 monitor
assert_rc 0 adf node2 stop
check "the directory is unchanged by stop" same_as "$T_TMP/failedover"

# ------------------------------------------------------------ fail back

test_case "fail back (start on the primary) restores the directory exactly"
assert_rc 0 adf ex1 start
check "the full dump equals the initial one" same_as "$T_TMP/initial"
check "the directory points at EX1 (the drill's check)" dir_points_at EX1 EX1 EX10 "$ON_EX1"
assert_rc 0 adf ex1 monitor OCF_CHECK_LEVEL=10
assert_rc 0 adf node2 start tasks=mailboxes
assert_rc 0 adf node2 monitor OCF_CHECK_LEVEL=10 tasks=mailboxes
assert_rc 1 adf ex1 monitor OCF_CHECK_LEVEL=10 tasks=mailboxes
assert_exit_reason EX10
assert_rc 0 adf ex1 start
check "back to the initial directory" same_as "$T_TMP/initial"

# Two instances in one group: the servers' part before the services, the
# per-user rewrite after them (doc/ad-fixup.md: the order in the group).
test_case "scope=servers leaves the users, scope=users does them"
assert_rc 0 adf node2 start scope=servers
check "no routing master, RUS or OAB names EX1" is_entries "$SLAPD_BASE" "$(link_filter EX1)" 0
check "every mail user is still on EX1" is_count EX1 "$ON_EX1"
assert_rc 0 adf node2 start scope=users
check "the directory points at EX10" dir_points_at EX10 EX1 EX10 "$ON_EX1"
assert_rc 6 adf node2 validate-all scope=users tasks="stores spn"
assert_exit_reason scope
assert_rc 0 adf ex1 start
check "back to the initial directory" same_as "$T_TMP/initial"

# ---------------------------------------------------------- resumability

test_case "kill -9 in the middle, then start again"
(adf node2 start window=1 >/dev/null 2>&1) &
apid=$!
moved=0
for _ in $(seq 1 500); do
	moved=$(users_on EX10)
	((moved == 0)) || break
	kill -0 "$apid" 2>/dev/null || break
done
kill -9 "$apid" 2>/dev/null || true
# The agent runs under ip netns exec and env: kill what is left of it by PID.
for p in $(ip netns pids "$NS"); do
	[[ $p == "$SLAPD_PID" ]] || kill -9 "$p" 2>/dev/null || true
done
wait "$apid" 2>/dev/null || true
moved=$(users_on EX10)
diag "killed with $moved of $ON_EX1 users moved"
assert_rc 7 adf node2 monitor
assert_rc 0 adf node2 start
check "the second run finished the job exactly" same_as "$T_TMP/failedover"

test_case "a run stopped between the SPN delete and add, and half the users, recovers"
assert_rc 0 adf ex1 start
check "failed back" same_as "$T_TMP/initial"
assert_rc 0 adf node2 ldif
# Apply the SPN delete and the first half of the users only: a kill's leftovers.
printf '%s\n' "$T_OUT" >"$T_TMP/full.ldif"
awk -v RS= -v half=$((ON_EX1 / 2)) '
	/delete: servicePrincipalName/ { print $0 "\n" }
	/homeMDB/ && n++ < half { print $0 "\n" }' "$T_TMP/full.ldif" >"$T_TMP/half.ldif"
check "the partial changes apply" lmodify -f "$T_TMP/half.ldif"
check "EX1's SPNs are on neither computer" test -z "$({ spns_of EX1; spns_of EX10; } | grep -o 'HOST/EX1 ' || true)"
assert_rc 0 adf node2 start
check "the run finished the job exactly" same_as "$T_TMP/failedover"
assert_rc 0 adf ex1 start
check "and failing back restores it" same_as "$T_TMP/initial"

# -------------------------------------------------------------- failures

test_case "wrong password"
(umask 077 && echo wrong-password >"$T_TMP/badpw")
assert_rc 1 adf node2 start bind_password_file="$T_TMP/badpw"
assert_exit_reason Invalid credentials
assert_not_contains "$T_OUT$T_ERR" "wrong-password" "the password is never printed"
assert_not_contains "$T_OUT$T_ERR" "$(<"$SLAPD_DIR/password")" "the real one neither"
assert_rc 7 adf node2 monitor

test_case "wrong CA, StartTLS and ldaps"
assert_rc 1 adf node2 start ca_file="$SLAPD_DIR/other.pem"
assert_exit_reason "unknown CA" "exha test CA"
assert_rc 1 adf node2 start uri=ldaps://127.0.0.1:636/ ca_file="$SLAPD_DIR/other.pem"
assert_exit_reason "unknown CA"
check "nothing was written" same_as "$T_TMP/initial"

test_case "ldaps, and ldapi with SASL EXTERNAL"
assert_rc 0 adf node2 ldif
printf '%s\n' "$T_OUT" >"$T_TMP/plan-starttls.ldif"
assert_rc 0 adf node2 ldif uri=ldaps://127.0.0.1:636/
printf '%s\n' "$T_OUT" >"$T_TMP/plan-ldaps.ldif"
check "ldaps plans the same changes as StartTLS" cmp "$T_TMP/plan-starttls.ldif" "$T_TMP/plan-ldaps.ldif"
assert_rc 0 adf node2 ldif uri="$(slapd_ldapi)" bind_dn= bind_password_file= ca_file=
printf '%s\n' "$T_OUT" >"$T_TMP/plan-ldapi.ldif"
check "ldapi plans the same changes" cmp "$T_TMP/plan-starttls.ldif" "$T_TMP/plan-ldapi.ldif"
assert_rc 0 adf node2 ldif user_base="OU=Paris,OU=EMEA,OU=Sales,DC=corp,DC=example" tasks=mailboxes
n=$(grep -c '^dn:' <<<"$T_OUT" || true)
diag "$n users under OU=Paris"
check "user_base limits the users" test "$n" -gt 0 -a "$n" -lt $((ON_EX1 / 3))

test_case "missing objects: an error that says what was done and what is left"
oab="CN=Default Offline Address Book,CN=Offline Address Lists,CN=Address Lists Container,CN=Org,CN=Microsoft Exchange,CN=Services,CN=Configuration,$SLAPD_BASE"
lsearch -b "$oab" -s base >"$T_TMP/oab.ldif"
check "the OAB can be deleted" ldapdelete -H "$(slapd_ldapi)" -Y EXTERNAL -Q "$oab"
assert_rc 1 adf node2 start
assert_exit_reason oab offline address book done left mailboxes
assert_rc 7 adf node2 monitor
check "the OAB comes back" ldapadd -H "$(slapd_ldapi)" -Y EXTERNAL -Q -f "$T_TMP/oab.ldif"
assert_rc 0 adf node2 start
check "then start completes the failover" same_as "$T_TMP/failedover"
assert_rc 1 adf node2 start backup=EX99
assert_exit_reason EX99
assert_rc 0 adf ex1 start
check "failed back" same_as "$T_TMP/initial"

test_case "server down or hung: bounded by the timeout"
kill -STOP "$SLAPD_PID"
t0=$(now_ms)
ADF_TIMEOUT_MS=20000 assert_rc 1 adf node2 start timeout=2
t1=$(now_ms)
kill -CONT "$SLAPD_PID"
diag "a hung server answered in $((t1 - t0)) ms (timeout=2 s)"
assert_exit_reason Timed out
slapd_stop
assert_rc 1 adf node2 start
assert_exit_reason "Can't contact LDAP server"
assert_rc 7 adf node2 monitor

# Two pairs of servers in one directory (tests/cluster/drill-3node.sh: a
# group each): EX1/EX10 and EX2/EX12 (EX1 a prefix of EX12: the substring
# trap across pairs), each pair its users and configuration objects. Each
# fixup moves its own pair, both ways, and leaves every object of the other
# as it was, modifyTimestamp included.
test_case "two pairs in one directory: each fixup keeps to its own"
python3 "$SLAPD_HERE/fixture.py" 40 EX1 EX10 EX100 EX2 EX12 >"$T_TMP/pairs.ldif"
slapd_setup "$T_TMP/slapd-pairs" "$T_TMP/pairs.ldif" >/dev/null
if ! slapd_start "$NS"; then
	not_ok "slapd starts with two pairs"
	finish
fi
n=$(users_on EX1)
check "each pair has its own $n mail users" test "$n" -gt 0 -a "$(users_on EX2)" = "$n"
pair_points_at() { dir_points_at "$1" "$2" "$3" "$n" 4; }
pair_a=$(pair_snapshot EX1 EX10)
B=(primary=EX2 backup=EX12)
assert_rc 0 adf node3 start "${B[@]}"
check "pair b failed over to EX12" pair_points_at EX12 EX2 EX12
check "pair a untouched" test "$(pair_snapshot EX1 EX10)" = "$pair_a"
pair_b=$(pair_snapshot EX2 EX12)
assert_rc 0 adf node2 start
check "pair a failed over to EX10" pair_points_at EX10 EX1 EX10
check "the snapshot shows that ($(grep -c '^dn:' <<<"$pair_a") entries)" test "$(pair_snapshot EX1 EX10)" != "$pair_a"
check "pair b untouched" test "$(pair_snapshot EX2 EX12)" = "$pair_b"
pair_a=$(pair_snapshot EX1 EX10)
assert_rc 0 adf ex2 start "${B[@]}"
check "pair b failed back to EX2" pair_points_at EX2 EX2 EX12
check "pair a untouched" test "$(pair_snapshot EX1 EX10)" = "$pair_a"
pair_b=$(pair_snapshot EX2 EX12)
assert_rc 0 adf ex1 start
check "pair a failed back to EX1" pair_points_at EX1 EX1 EX10
check "pair b untouched" test "$(pair_snapshot EX2 EX12)" = "$pair_b"
check "the other server's users stay" test "$(users_on EX100)" -gt 0
slapd_stop

finish
