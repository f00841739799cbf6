# shellcheck shell=bash
#
# Running ocf:exha:ad-fixup against the private slapd of tests/ldap/slapd.sh
# (sourced after it): `adf <node> <action> [name=value...]` runs the agent in
# the slapd's namespace as if on Pacemaker node <node>, with one resource
# instance per node (as on a real cluster, each node has its own state), on
# ldap:// with StartTLS, the test CA, the rootdn and its password file.
# name= (empty) unsets a default; OCF_* and EXHA_* words pass as they are.

AGENT_TYPE=ad-fixup

# A build tree installed with DESTDIR keeps its plugin next to its agents.
if [[ -z ${EXHA_PLUGIN_DIR:-} && $EXHA_AGENT_DIR == */usr/lib/ocf/resource.d/exha &&
	$EXHA_AGENT_DIR != /usr/lib/ocf/resource.d/exha ]]; then
	EXHA_PLUGIN_DIR=$(find "${EXHA_AGENT_DIR%/usr/lib/ocf/resource.d/exha}" \
		-name ad-fixup-io.so -printf '%h\n' -quit)
fi
[[ -z ${EXHA_PLUGIN_DIR:-} ]] || export EXHA_PLUGIN_DIR

adf() {
	local node=$1 action=$2 arg
	local -a envs=(
		"PATH=$PATH"
		"OCF_ROOT=$OCF_ROOT"
		"OCF_RESOURCE_INSTANCE=${T_PREFIX}-adf-${node,,}"
		"OCF_RESKEY_CRM_meta_timeout=${ADF_TIMEOUT_MS:-60000}"
		"OCF_RESKEY_CRM_meta_on_node=$node"
		"OCF_RESKEY_uri=ldap://127.0.0.1:389/"
		"OCF_RESKEY_bind_dn=$SLAPD_ADMIN"
		"OCF_RESKEY_bind_password_file=$SLAPD_DIR/password"
		"OCF_RESKEY_ca_file=$SLAPD_DIR/ca.pem"
		"OCF_RESKEY_primary=EX1"
		"OCF_RESKEY_backup=EX10"
	)
	[[ -z ${EXHA_PLUGIN_DIR:-} ]] || envs+=("EXHA_PLUGIN_DIR=$EXHA_PLUGIN_DIR")
	shift 2
	for arg in "$@"; do
		case $arg in
		OCF_*=* | EXHA_*=*) envs+=("$arg") ;;
		*=*) envs+=("OCF_RESKEY_$arg") ;;
		*) return 2 ;;
		esac
	done
	ip netns exec "$SLAPD_NS" env -i "${envs[@]}" "$(agent_path)" "$action"
}

# ldapsearch as the directory's root over ldapi (tests only: the agent never runs it).
lsearch() {
	ldapsearch -H "$(slapd_ldapi)" -Y EXTERNAL -Q -LLL -o ldif-wrap=no "$@"
}

lmodify() {
	ldapmodify -H "$(slapd_ldapi)" -Y EXTERNAL -Q "$@"
}

SRV_SUFFIX="CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Org,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=example"

# How many mail users' homeMTA names server $1.
users_on() {
	lsearch -b "$SLAPD_BASE" "(&(mail=*)(homeMTA=CN=Microsoft MTA,CN=$1,$SRV_SUFFIX))" dn |
		grep -c '^dn:' || true
}
