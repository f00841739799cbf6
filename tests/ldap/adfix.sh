# shellcheck shell=bash
#
# Running ocf:exha:ad-fixup against the private slapd of tests/ldap/slapd.sh
# (sourced after it): `adf <node> <action> [name=value...]` runs the agent in
# the slapd's namespace as if on Pacemaker node <node>, with one resource
# instance per node (as on a real cluster, each node has its own state), on
# ldap:// with StartTLS, the test CA, the rootdn and its password file.
# name= (empty) unsets a default; OCF_* and EXHA_* words pass as they are.
# Then what the tests (and the cluster drill) read back over ldapi://:
# users_on, spns_of, dir_points_at, the whole "the directory points at
# this server" check, and pair_snapshot (to tell that nothing touched a pair).

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

# The servicePrincipalName values of computer $1, sorted, on one line.
spns_of() {
	lsearch -b "CN=$1,CN=Computers,$SLAPD_BASE" -s base servicePrincipalName |
		sed -n 's/^servicePrincipalName: //p' | sort | tr '\n' ' '
}

# How many entries under base $1 match filter $2.
entries() {
	lsearch -b "$1" "$2" dn | grep -c '^dn:' || true
}

# The three filters a mail user homed on server $1 matches.
home_filters() {
	printf '(homeMDB=CN=Mailbox Database,CN=First Storage Group,CN=InformationStore,CN=%s,%s)' "$1" "$SRV_SUFFIX"
	printf '(homeMTA=CN=Microsoft MTA,CN=%s,%s)' "$1" "$SRV_SUFFIX"
	printf '(msExchHomeServerName=/o=Org/ou=First Administrative Group/cn=Configuration/cn=Servers/cn=%s)' "$1"
}

# The filter of a configuration object naming server $1 (or any, with *).
link_filter() {
	local v="CN=$1,$SRV_SUFFIX"
	[[ $1 != '*' ]] || v='*'
	printf '(|(msExchRoutingMasterDN=%s)(offLineABServer=%s)(msExchAddressListServiceLink=%s))' "$v" "$v" "$v"
}

# dir_points_at <server> <primary> <backup> [<users> [<links>]]: the
# directory is as ad-fixup's start leaves it with <server> (the primary or
# the backup) active, in the fixture's organization: its mail users
# (<users> of them, if given), the routing master, every RUS and the OAB
# name it; its stores are patched; the primary's SPNs (short name and FQDN)
# are on its computer object; nothing names the other of the two. With
# <links> (a directory of several pairs, fixture.py's extra pairs: 4 each),
# exactly that many routing groups, RUSes and OABs name it, and the others
# are some other pair's. What is wrong goes to stderr.
dir_points_at() {
	local to=$1 primary=$2 backup=$3 want=${4:-} links=${5:-} from=$2 n fqdn cls host bad=0
	local stores="(|(objectClass=msExchPrivateMDB)(objectClass=msExchPublicMDB))"
	[[ ${to,,} != "${primary,,}" ]] || from=$backup
	n=$(entries "$SLAPD_BASE" "(&(mail=*)$(home_filters "$to"))")
	if ((n == 0)) || [[ -n $want && $n != "$want" ]]; then
		echo "$n mail users are wholly on $to${want:+, not $want}" >&2
		bad=1
	fi
	n=$(entries "$SLAPD_BASE" "(&(mail=*)(|$(home_filters "$from")))")
	((n == 0)) || { echo "$n mail users still name $from" >&2; bad=1; }
	n=${links:-$(entries "$SLAPD_BASE" "$(link_filter '*')")}
	if ((n == 0)) || [[ $(entries "$SLAPD_BASE" "$(link_filter "$to")") != "$n" ||
		$(entries "$SLAPD_BASE" "$(link_filter "$from")") != 0 ]]; then
		echo "not ${links:-every} routing group, RUS and OAB names $to alone:" >&2
		lsearch -b "$SLAPD_BASE" "$(link_filter '*')" msExchRoutingMasterDN offLineABServer \
			msExchAddressListServiceLink | grep -v '^$' >&2
		bad=1
	fi
	n=$(entries "CN=$to,$SRV_SUFFIX" "$stores")
	if ((n == 0)) || [[ $(entries "CN=$to,$SRV_SUFFIX" "(&$stores(msExchPatchMDB=TRUE))") != "$n" ]]; then
		echo "the stores of $to are not all patched (msExchPatchMDB)" >&2
		bad=1
	fi
	fqdn=$(lsearch -b "CN=$primary,CN=Computers,$SLAPD_BASE" -s base dNSHostName |
		sed -n 's/^dNSHostName: //p')
	for cls in HOST exchangeMDB exchangeRFR; do
		for host in "$primary" ${fqdn:+"$fqdn"}; do
			[[ $(entries "CN=$to,CN=Computers,$SLAPD_BASE" "(servicePrincipalName=$cls/$host)") == 1 ]] ||
				{ echo "$to lacks the SPN $cls/$host" >&2; bad=1; }
			[[ $(entries "CN=$from,CN=Computers,$SLAPD_BASE" "(servicePrincipalName=$cls/$host)") == 0 ]] ||
				{ echo "$from still holds the SPN $cls/$host" >&2; bad=1; }
		done
	done
	return "$bad"
}

# pair_snapshot <primary> <backup>: every object of that pair as it stands,
# with its modifyTimestamp (a rewrite to the same value shows too): the mail
# users homed on either server, the routing groups, RUSes and OABs naming
# either, the servers with their stores, the computers with their SPNs (and
# the user named like the server). Two snapshots differ if anything touched
# the pair meanwhile.
pair_snapshot() {
	local name
	lsearch -b "$SLAPD_BASE" "(|$(home_filters "$1")$(home_filters "$2")$(link_filter "$1")$(link_filter "$2")(cn=$1)(cn=$2))" \
		'*' modifyTimestamp
	for name in "$1" "$2"; do
		lsearch -b "CN=$name,$SRV_SUFFIX" '(objectClass=*)' '*' modifyTimestamp
	done
}
