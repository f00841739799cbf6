#!/usr/bin/env bash
#
# ocf:exha:ad-fixup never sends a bind in clear, binds as the name it was
# given, and names the cause of a TLS failure. The directory here is a
# listening fake (tests/ldap/fakeldap.py) in a network namespace of the
# test's own: it speaks just enough LDAP (StartTLS, ldaps, bind) to record,
# for every bind, whether TLS was on when it arrived and the name sent.
# slapd refuses names that are not DNs, hence the fake; the real-slapd
# cases are tests/integration/ad-fixup.sh. Certificates come from openssl.
#
# Run as root after `make install`, or with EXHA_AGENT_DIR pointing at a
# build tree's agent directory (make install DESTDIR=...).
# shellcheck disable=SC2317 # helpers run through run_cmd, assert_rc and check
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require ip openssl python3
require_agent
AGENT_TYPE=ad-fixup
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ -z ${EXHA_PLUGIN_DIR:-} && $EXHA_AGENT_DIR == */usr/lib/ocf/resource.d/exha &&
	$EXHA_AGENT_DIR != /usr/lib/ocf/resource.d/exha ]]; then
	EXHA_PLUGIN_DIR=$(find "${EXHA_AGENT_DIR%/usr/lib/ocf/resource.d/exha}" \
		-name ad-fixup-io.so -printf '%h\n' -quit)
fi

C=$T_TMP/certs
REC=$T_TMP/record
mkdir -p "$C"
(umask 077 && echo "s3cret-$$" >"$T_TMP/pw")

# ------------------------------------------------------------ certificates

# ca <name>: a CA key and certificate $C/<name>.pem.
ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj "/CN=exha test $1" -keyout "$C/$1.key" -out "$C/$1.pem" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# leaf <name> <ca> <subjectAltName> [<startdate> <enddate>]: $C/<name>.{key,pem},
# signed by ca; with dates (YYYYMMDDHHMMSSZ), valid only then.
leaf() {
	local name=$1 ca=$2 san=$3 d=$C/$1.ca
	mkdir -p "$d"
	: >"$d/index"
	echo 01 >"$d/serial"
	cat >"$d/cnf" <<-CNF
		[ca]
		default_ca = x
		[x]
		database = $d/index
		serial = $d/serial
		new_certs_dir = $d
		default_md = sha256
		policy = any
		copy_extensions = none
		x509_extensions = ext
		unique_subject = no
		[any]
		commonName = supplied
		[ext]
		subjectAltName = $san
		extendedKeyUsage = serverAuth
	CNF
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-subj "/CN=${san#*:}" -keyout "$C/$name.key" -out "$d/csr" 2>/dev/null
	local -a dates=(-days 2)
	[[ $# -lt 5 ]] || dates=(-startdate "$4" -enddate "$5")
	openssl ca -batch -config "$d/cnf" -cert "$C/$ca.pem" -keyfile "$C/$ca.key" \
		"${dates[@]}" -in "$d/csr" -out "$C/$name.pem" -notext 2>/dev/null
}

ca ca
ca other
leaf good ca IP:127.0.0.1,DNS:localhost
leaf dc1 ca DNS:DC1.example
leaf stranger other IP:127.0.0.1
leaf expired ca IP:127.0.0.1 20200101000000Z 20200102000000Z
leaf wrong other DNS:DC1.example 20200101000000Z 20200102000000Z

# ------------------------------------------------------------- the server

ns_new NS ldap

FAKE_PID=
# fake_start <cert>: the fake directory on 127.0.0.1:389 and :636, with cert.
fake_start() {
	fake_stop
	: >"$REC"
	coproc FAKE { exec ip netns exec "$NS" python3 "$HERE/ldap/fakeldap.py" "$REC" \
		"$C/$1.pem" "$C/$1.key" 389 636; }
	local line
	read -r -t 10 line <&"${FAKE[0]}" && [[ $line == ready ]]
}

fake_stop() {
	[[ -n $FAKE_PID ]] || return 0
	kill "$FAKE_PID" 2>/dev/null || true
	wait "$FAKE_PID" 2>/dev/null || true
	FAKE_PID=
}
defer fake_stop

# adf <action> [name=value...]: the agent in the namespace, binding as
# cn=admin over ldap:// with StartTLS and the test CA unless told otherwise.
adf() {
	local action=$1 arg
	local -a envs=(
		"OCF_ROOT=$OCF_ROOT"
		"OCF_RESOURCE_INSTANCE=${T_PREFIX}-adf"
		"OCF_RESKEY_CRM_meta_timeout=20000"
		"OCF_RESKEY_CRM_meta_on_node=node2"
		"OCF_RESKEY_uri=ldap://127.0.0.1"
		"OCF_RESKEY_bind_dn=cn=admin,DC=corp,DC=example"
		"OCF_RESKEY_bind_password_file=$T_TMP/pw"
		"OCF_RESKEY_ca_file=$C/ca.pem"
		"OCF_RESKEY_base_dn=DC=corp,DC=example"
		"OCF_RESKEY_primary=EX1"
		"OCF_RESKEY_backup=EX10"
		"OCF_RESKEY_timeout=5"
	)
	[[ -z ${EXHA_PLUGIN_DIR:-} ]] || envs+=("EXHA_PLUGIN_DIR=$EXHA_PLUGIN_DIR")
	shift
	for arg in "$@"; do
		envs+=("OCF_RESKEY_$arg")
	done
	ip netns exec "$NS" env -i "${envs[@]}" "$(agent_path)" "$action"
}

# No bind reached the server without TLS.
no_clear_bind() {
	! grep -q '^bind tls=0' "$REC"
}

if ! fake_start good; then
	not_ok "the fake directory starts"
	finish
fi
diag "fake directory $FAKE_PID in $NS"

# --------------------------------------------------------------- spellings

test_case "every spelling of the scheme: TLS before the bind"
for uri in ldap://127.0.0.1 LDAP://127.0.0.1 Ldap://127.0.0.1 lDaP://127.0.0.1:389/ \
	ldaps://127.0.0.1 LDAPS://127.0.0.1:636 LdApS://127.0.0.1/; do
	: >"$REC"
	run_cmd adf start uri="$uri"
	check "$uri: a bind arrived" grep -q '^bind ' "$REC"
	check "$uri: never in clear" no_clear_bind
	diag_block "$uri" "$(cat "$REC")"
done
: >"$REC"
run_cmd adf start uri=LDAP://127.0.0.1
check "LDAP:// (upper case) uses StartTLS" grep -q '^starttls' "$REC"

test_case "lists are refused before anything is sent"
for uri in "ldaps://127.0.0.1:1,ldap://127.0.0.1" "ldapi:///,ldap://127.0.0.1" \
	"ldapi://%2Ftmp%2Fnone,ldap://127.0.0.1" "ldaps://127.0.0.1 ldap://127.0.0.1" \
	"ldap://127.0.0.1, ldap://127.0.0.1" "ldap://127.0.0.1	ldap://127.0.0.1"; do
	: >"$REC"
	assert_rc 6 adf start uri="$uri"
	assert_exit_reason uri
	check "'$uri': nothing reached the server" test ! -s "$REC"
done

test_case "malformed URIs are refused"
for uri in ldap:// ldap://127.0.0.1:0 ldap://127.0.0.1:65536 ldap://127.1 \
	ldap://0x7f.0.0.1 ldap://010.0.0.1 'ldap://[127.0.0.1]' 'ldap://[::1' \
	ldap://::1 ldap://host/dc=x ldap://user@host ldap://-host ldaps://h:636:1 \
	http://127.0.0.1 ldapi://127.0.0.1:389; do
	assert_rc 6 adf validate-all uri="$uri"
	assert_exit_reason uri
done

test_case "tls=false on ldap:// is the only bind in clear"
: >"$REC"
run_cmd adf start tls=false
check "a clear bind with tls=false (the control: the record works)" grep -q '^bind tls=0' "$REC"
assert_rc 6 adf validate-all uri=LDAPS://127.0.0.1 tls=false
assert_exit_reason tls
# Anywhere but this host's loopback, the password would cross a network in
# clear: refused before anything is sent, by start as by validate-all.
for uri in ldap://192.0.2.10 ldap://dc.example 'ldap://[2001:db8::10]' ldap://128.0.0.1; do
	: >"$REC"
	assert_rc 6 adf start uri="$uri" tls=false
	assert_exit_reason "in clear"
	assert_rc 6 adf validate-all uri="$uri" tls=false
	check "$uri: nothing reached the server" test ! -s "$REC"
done

# ------------------------------------------------------------ bind names

test_case "DN, user@domain and DOMAIN\\user reach the bind unchanged"
for name in 'cn=admin,DC=corp,DC=example' 'svc-exha@corp.example' 'CORP\svc-exha' \
	'CN=Svc\, Exha,CN=Users,DC=corp,DC=example'; do
	: >"$REC"
	assert_rc 0 adf validate-all bind_dn="$name"
	run_cmd adf start bind_dn="$name"
	check "'$name' sent as given, over TLS" grep -qxF "bind tls=1 name=$name" "$REC"
done

test_case "names that are none of the three are refused"
for name in 'svc@' '@corp.example' 'a@b@c.example' 'CORP\' '\svc' 'CORP\a\b' \
	'A-VERY-LONG-DOMAIN\svc' 'svc@corp..example' 'svc exha' 'CORP\svc@corp.example' \
	'cn=admin,,dc=x'; do
	assert_rc 6 adf validate-all bind_dn="$name"
	assert_exit_reason bind_dn
done

# ------------------------------------------------------------- TLS causes

test_case "a certificate for another name: name mismatch, both names"
fake_start dc1
assert_rc 1 adf start uri=ldaps://127.0.0.1
assert_exit_reason "does not match"
assert_exit_reason 127.0.0.1
assert_exit_reason DC1.example
assert_not_contains "$T_ERR" "Can't contact LDAP server" "not 'Can't contact LDAP server'"
assert_rc 1 adf start uri=ldap://127.0.0.1
assert_exit_reason "does not match"
check "no bind reached the server" test ! -s "$REC" -o -z "$(grep '^bind' "$REC")"

test_case "a certificate from an unknown CA"
fake_start stranger
assert_rc 1 adf start uri=ldaps://127.0.0.1
assert_exit_reason "unknown CA"
assert_exit_reason "exha test other"
check "no bind reached the server" test -z "$(grep '^bind' "$REC")"

test_case "an expired certificate"
fake_start expired
assert_rc 1 adf start uri=ldaps://127.0.0.1
assert_exit_reason expired
check "no bind reached the server" test -z "$(grep '^bind' "$REC")"

test_case "everything wrong at once: every cause, over StartTLS too"
fake_start wrong
assert_rc 1 adf start uri=ldap://127.0.0.1
assert_exit_reason "name mismatch" DC1.example "unknown CA" "exha test other" expired
check "no bind reached the server" test -z "$(grep '^bind' "$REC")"

# --------------------------------------------------------------- exit codes

test_case "node-local files: OCF_ERR_INSTALLED in validate-all and start alike"
fake_start good
for action in validate-all start; do
	assert_rc 5 adf "$action" ca_file="$T_TMP/absent.pem"
	assert_exit_reason ca_file
	assert_rc 5 adf "$action" bind_password_file="$T_TMP/absent"
	assert_exit_reason bind_password_file
done
check "nothing reached the server" test -z "$(grep '^bind' "$REC")"

finish
