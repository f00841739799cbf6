#!/usr/bin/env bash
#
# ocf-tester (resource-agents' compliance checker) against ocf:exha:ad-fixup,
# with a private slapd (tests/ldap/slapd.sh) in a namespace: once over
# ldap:// with StartTLS and a password, once over ldapi:// with SASL
# EXTERNAL. ocf-tester runs on this host's node name, so start fails over.
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=tests/ldap/slapd.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ldap/slapd.sh"
# shellcheck source=tests/ldap/adfix.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ldap/adfix.sh"

require_root
require ip ocf-tester slapd slapadd ldapsearch openssl python3
require_agent

python3 "$SLAPD_HERE/fixture.py" 50 >"$T_TMP/fixture.ldif"
slapd_setup "$T_TMP/slapd" "$T_TMP/fixture.ldif" >/dev/null
ns_new NS ldap
defer slapd_stop
if ! slapd_start "$NS"; then
	not_ok "slapd starts"
	finish
fi

test_case "ldap:// with StartTLS"
ocf_tester "$NS" "${T_PREFIX}-adf-ocft" uri=ldap://127.0.0.1:389/ bind_dn="$SLAPD_ADMIN" \
	bind_password_file="$SLAPD_DIR/password" ca_file="$SLAPD_DIR/ca.pem" primary=EX1 backup=EX10

test_case "ldapi:// with SASL EXTERNAL"
ocf_tester "$NS" "${T_PREFIX}-adf-ocft-ldapi" uri="$(slapd_ldapi)" primary=EX1 backup=EX10

check "the directory points at EX10" dir_points_at EX10 EX1 EX10
finish
