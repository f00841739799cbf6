#!/usr/bin/env bash
#
# ocf:exha:floating-ip against real kernel objects: two network namespaces,
# "node" (where the agent runs) and "peer" (another host on the link),
# joined by a veth pair. The test inspects with ip(8); the agent may not.
#
#   node eth0 192.0.2.1/24 2001:db8::1/64 ---- peer eth0 192.0.2.2/24 2001:db8::2/64
#   node eth1 198.51.100.1/24 ---- node eth2 198.51.100.2/24   (two NICs, one subnet)
#
# Run as root after `make install`, or with EXHA_AGENT_DIR pointing at a
# build tree's agent directory.
# shellcheck disable=SC2317 # helpers run through check and wait_until
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require ip xmllint awk strace
require_agent

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DTD=/usr/share/resource-agents/ra-api-1.dtd
FAKE_MAC=02:00:00:00:00:99

# ----------------------------------------------------------------- topology

setup_topology() {
	local ns
	ns_new NODE node
	ns_new PEER peer
	veth_new "$NODE" eth0 "$PEER" eth0
	veth_new "$NODE" eth1 "$NODE" eth2
	for ns in "$NODE" "$PEER"; do
		# Link-down cases must not cost the fixed IPv6 addresses.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.keep_addr_on_down=1
	done
	ip -n "$NODE" addr add 192.0.2.1/24 dev eth0
	ip -n "$NODE" addr add 2001:db8::1/64 dev eth0 nodad
	ip -n "$PEER" addr add 192.0.2.2/24 dev eth0
	ip -n "$PEER" addr add 2001:db8::2/64 dev eth0 nodad
	ip -n "$NODE" addr add 198.51.100.1/24 dev eth1
	ip -n "$NODE" addr add 198.51.100.2/24 dev eth2
	NODE_MAC=$(if_mac "$NODE" eth0)
	PEER_MAC=$(if_mac "$PEER" eth0)
	wait_until 10 link_is_up "$NODE" eth0
	wait_until 10 link_is_up "$PEER" eth0
	diag "node $NODE eth0 $NODE_MAC, peer $PEER eth0 $PEER_MAC"
}

# agent_rc_is <rc> <agent args...>: for wait_until.
agent_rc_is() {
	local want=$1 rc=0
	shift
	agent "$@" >/dev/null 2>&1 || rc=$?
	((rc == want))
}

neigh_is() {
	[[ $(neigh_mac "$1" "$2") == "$3" ]]
}

# The exit reason of the last run, lower case, must hold the MAC.
assert_reason_names_mac() {
	local reason
	reason=$(exit_reason)
	diag "exit reason: $reason"
	assert_contains "${reason,,}" "$1" "exit reason names the holder's MAC $1"
}

# A process that exists and is not a zombie.
proc_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# ----------------------------------------------------------------- the cases

case_metadata() {
	local xml="$T_TMP/meta-data.xml" rng
	test_case "meta-data"
	assert_rc 0 agent "$NODE" meta-data
	printf '%s\n' "$T_OUT" >"$xml"
	check "is well-formed XML" xmllint --noout "$xml"
	check "is valid against $DTD" xmllint --noout --dtdvalid "$DTD" "$xml"
	# shellcheck disable=SC2016 # expanded by the inner shell
	check "validates with its own DOCTYPE, as ocf-tester checks it" \
		bash -c 'cd "$(dirname "$1")" && xmllint --noout --valid - <"$2"' _ "$DTD" "$xml"
	rng=$(find_ocf_rng)
	if [[ -n $rng ]]; then
		check "is valid against pcs's $rng" xmllint --noout --relaxng "$rng" "$xml"
	else
		skip "pcs's ocf-1.1.rng not found"
	fi
	if [[ -f /usr/share/resource-agents/metadata.rng ]]; then
		check "is valid against resource-agents' metadata.rng" \
			xmllint --noout --relaxng /usr/share/resource-agents/metadata.rng "$xml"
	fi
	check "declares ip required and unique" xmllint --noout \
		--xpath '//parameter[@name="ip" and @required="1" and @unique="1"]' "$xml"
}

find_ocf_rng() {
	local f
	for f in /usr/share/pcs/data/ocf-1.1.rng \
		/usr/lib/python3/dist-packages/pcs/data/ocf-1.1.rng; do
		[[ -f $f ]] && {
			printf '%s' "$f"
			return 0
		}
	done
	find /usr/share /usr/lib -name ocf-1.1.rng -print -quit 2>/dev/null || true
}

case_ipv4_explicit() {
	local p=(ip=192.0.2.10 nic=eth0 cidr_netmask=24)
	test_case "IPv4 with nic and cidr_netmask"
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	check "192.0.2.10/24 is on eth0" ns_has_addr "$NODE" 192.0.2.10/24 eth0
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	check "192.0.2.10 is gone" ns_lacks_addr "$NODE" 192.0.2.10
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
}

case_ipv4_automatic() {
	test_case "IPv4 with the nic and prefix found automatically"
	assert_rc 0 agent "$NODE" start ip=192.0.2.11
	check "192.0.2.11/24 is on eth0 (the interface of 192.0.2.0/24)" \
		ns_has_addr "$NODE" 192.0.2.11/24 eth0
	assert_rc 0 agent "$NODE" monitor ip=192.0.2.11
	assert_rc 0 agent "$NODE" stop ip=192.0.2.11
	check "192.0.2.11 is gone" ns_lacks_addr "$NODE" 192.0.2.11
	assert_rc 7 agent "$NODE" monitor ip=192.0.2.11

	test_case "IPv4 with a dotted netmask"
	assert_rc 0 agent "$NODE" start ip=192.0.2.12 cidr_netmask=255.255.255.128
	check "192.0.2.12/25 is on eth0" ns_has_addr "$NODE" 192.0.2.12/25 eth0
	assert_rc 0 agent "$NODE" stop ip=192.0.2.12 cidr_netmask=255.255.255.128
	check "192.0.2.12 is gone" ns_lacks_addr "$NODE" 192.0.2.12
}

case_idempotence() {
	local p=(ip=192.0.2.14 nic=eth0 cidr_netmask=24)
	test_case "idempotence"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	check "192.0.2.14 is there exactly once" \
		test "$(addr_lines "$NODE" 192.0.2.14 | wc -l)" -eq 1
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	check "192.0.2.14 is gone" ns_lacks_addr "$NODE" 192.0.2.14
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
}

case_ipv6() {
	local p=(ip=2001:db8::10 nic=eth0 cidr_netmask=64) line
	test_case "IPv6 with nic and cidr_netmask"
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	line=$(addr_lines "$NODE" 2001:db8::10)
	check "2001:db8::10/64 is on eth0" ns_has_addr "$NODE" 2001:db8::10/64 eth0
	assert_not_contains "$line" tentative "not tentative once start returned"
	assert_not_contains "$line" dadfailed "did not fail duplicate address detection"
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	check "2001:db8::10 is gone" ns_lacks_addr "$NODE" 2001:db8::10
	assert_rc 7 agent "$NODE" monitor "${p[@]}"

	test_case "IPv6 with the nic and prefix found automatically"
	assert_rc 0 agent "$NODE" start ip=2001:db8::11
	line=$(addr_lines "$NODE" 2001:db8::11)
	check "2001:db8::11/64 is on eth0" ns_has_addr "$NODE" 2001:db8::11/64 eth0
	assert_not_contains "$line" tentative "not tentative once start returned"
	assert_rc 0 agent "$NODE" monitor ip=2001:db8::11
	assert_rc 0 agent "$NODE" stop ip=2001:db8::11
	check "2001:db8::11 is gone" ns_lacks_addr "$NODE" 2001:db8::11
}

case_label() {
	test_case "IPv4 label"
	assert_rc 0 agent "$NODE" start ip=192.0.2.15 nic=eth0 label=fip
	assert_contains "$(addr_lines "$NODE" 192.0.2.15)" "eth0:fip" "address is labelled eth0:fip"
	assert_rc 0 agent "$NODE" stop ip=192.0.2.15 nic=eth0 label=fip
	check "192.0.2.15 is gone" ns_lacks_addr "$NODE" 192.0.2.15

	assert_rc 0 agent "$NODE" start ip=192.0.2.16 label=web
	assert_contains "$(addr_lines "$NODE" 192.0.2.16)" "eth0:web" \
		"label joins the automatically found nic: eth0:web"
	assert_rc 0 agent "$NODE" stop ip=192.0.2.16 label=web
}

case_conflict() {
	test_case "IPv4 address already held by the peer"
	ip -n "$PEER" addr add 192.0.2.20/24 dev eth0
	assert_rc 1 agent "$NODE" start ip=192.0.2.20 nic=eth0
	assert_reason_names_mac "$PEER_MAC"
	check "192.0.2.20 was not added on the node" ns_lacks_addr "$NODE" 192.0.2.20
	assert_rc 7 agent "$NODE" monitor ip=192.0.2.20 nic=eth0
	assert_rc 0 agent "$NODE" start ip=192.0.2.20 nic=eth0 conflict_check=false arp_count=0
	check "conflict_check=false adds it anyway" ns_has_addr "$NODE" 192.0.2.20/24 eth0
	assert_rc 0 agent "$NODE" stop ip=192.0.2.20 nic=eth0
	ip -n "$PEER" addr del 192.0.2.20/24 dev eth0

	test_case "IPv6 address already held by the peer"
	ip -n "$PEER" addr add 2001:db8::20/64 dev eth0 nodad
	assert_rc 1 agent "$NODE" start ip=2001:db8::20 nic=eth0
	assert_reason_names_mac "$PEER_MAC"
	check "2001:db8::20 was not left on the node" ns_lacks_addr "$NODE" 2001:db8::20
	assert_rc 7 agent "$NODE" monitor ip=2001:db8::20 nic=eth0
	ip -n "$PEER" addr del 2001:db8::20/64 dev eth0
}

# late_holder <ip> <delay_ms>: a peer process that answers ARP probes for ip
# delay_ms late (the peer's kernel does not hold ip, so only it answers).
late_holder() {
	local ready="$T_TMP/late-holder.$1"
	rm -f "$ready"
	ip netns exec "$PEER" /usr/bin/python3 "$HERE/../helpers/late-arp-holder.py" eth0 "$1" "$2" \
		"$ready" </dev/null >/dev/null 2>&1 &
	LATE_PID=$!
	defer kill -9 "$LATE_PID"
	wait_until 10 test -s "$ready"
}

late_holder_stop() {
	kill -9 "$LATE_PID"
	wait "$LATE_PID" 2>/dev/null || true
}

# The conflict check's one bound (conflict_wait_ms after the last probe, 35
# ms in all by default): a holder answering within it is caught (10 ms late
# leaves 25 ms of slack for a loaded machine), one answering after it is
# not - the documented trade-off - unless the parameters are raised for a
# slow network.
case_conflict_late() {
	test_case "IPv4 holder answering 10 ms late (within the default bound)"
	late_holder 192.0.2.21 10
	assert_rc 1 agent "$NODE" start ip=192.0.2.21 nic=eth0
	assert_reason_names_mac "$PEER_MAC"
	check "192.0.2.21 was not added on the node" ns_lacks_addr "$NODE" 192.0.2.21
	late_holder_stop

	test_case "IPv4 holder answering 150 ms late (after the default bound)"
	late_holder 192.0.2.22 150
	assert_rc 0 agent "$NODE" start ip=192.0.2.22 nic=eth0 arp_count=0
	diag "not seen with the defaults: the trade-off conflict_wait_ms documents"
	assert_rc 0 agent "$NODE" stop ip=192.0.2.22 nic=eth0
	assert_rc 1 agent "$NODE" start ip=192.0.2.22 nic=eth0 conflict_wait_ms=400
	assert_reason_names_mac "$PEER_MAC"
	check "conflict_wait_ms=400 catches it: 192.0.2.22 was not added" \
		ns_lacks_addr "$NODE" 192.0.2.22
	late_holder_stop
}

case_announce() {
	test_case "gratuitous ARP updates the peer's cache"
	ip -n "$PEER" neigh replace 192.0.2.30 dev eth0 lladdr "$FAKE_MAC" nud stale
	check "peer first maps 192.0.2.30 to $FAKE_MAC" neigh_is "$PEER" 192.0.2.30 "$FAKE_MAC"
	assert_rc 0 agent "$NODE" start ip=192.0.2.30 nic=eth0
	check "peer maps 192.0.2.30 to the node's $NODE_MAC within 5 s" \
		wait_until 5 neigh_is "$PEER" 192.0.2.30 "$NODE_MAC"
	diag "peer: $(ip -n "$PEER" neigh show 192.0.2.30)"
	assert_rc 0 agent "$NODE" stop ip=192.0.2.30 nic=eth0

	test_case "unsolicited neighbour advertisement updates the peer's cache"
	ip -n "$PEER" neigh replace 2001:db8::30 dev eth0 lladdr "$FAKE_MAC" nud stale
	check "peer first maps 2001:db8::30 to $FAKE_MAC" neigh_is "$PEER" 2001:db8::30 "$FAKE_MAC"
	assert_rc 0 agent "$NODE" start ip=2001:db8::30 nic=eth0
	check "peer maps 2001:db8::30 to the node's $NODE_MAC within 5 s" \
		wait_until 5 neigh_is "$PEER" 2001:db8::30 "$NODE_MAC"
	diag "peer: $(ip -n "$PEER" neigh show 2001:db8::30)"
	assert_rc 0 agent "$NODE" stop ip=2001:db8::30 nic=eth0
}

case_link_down() {
	local p=(ip=192.0.2.40 nic=eth0 cidr_netmask=24)
	test_case "carrier lost (peer end down)"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	ip -n "$PEER" link set eth0 down
	check "monitor turns to 1 within 5 s" wait_until 5 agent_rc_is 1 "$NODE" monitor "${p[@]}"
	assert_rc 1 agent "$NODE" monitor "${p[@]}"
	assert_exit_reason eth0
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	check "192.0.2.40 is gone" ns_lacks_addr "$NODE" 192.0.2.40
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
	assert_rc 1 agent "$NODE" start "${p[@]}"
	diag "start on a link without carrier: $(exit_reason)"
	check "nothing was added" ns_lacks_addr "$NODE" 192.0.2.40
	ip -n "$PEER" link set eth0 up
	check "link back up" wait_until 10 link_is_up "$NODE" eth0

	test_case "node's own interface down"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	ip -n "$NODE" link set eth0 down
	check "monitor turns to 1 within 5 s" wait_until 5 agent_rc_is 1 "$NODE" monitor "${p[@]}"
	assert_rc 1 agent "$NODE" monitor "${p[@]}"
	assert_exit_reason eth0
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	check "192.0.2.40 is gone" ns_lacks_addr "$NODE" 192.0.2.40
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
	ip -n "$NODE" link set eth0 up
	check "link back up" wait_until 10 link_is_up "$NODE" eth0
	check "fixed addresses survived" ns_has_addr "$NODE" 2001:db8::1/64 eth0
}

case_check_level_10() {
	local p=(ip=192.0.2.50 nic=eth0 cidr_netmask=24)
	test_case "OCF_CHECK_LEVEL=10 finds another holder (IPv4)"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_rc 0 agent "$NODE" monitor "${p[@]}" OCF_CHECK_LEVEL=10
	ip -n "$PEER" addr add 192.0.2.50/24 dev eth0
	assert_rc 1 agent "$NODE" monitor "${p[@]}" OCF_CHECK_LEVEL=10
	assert_reason_names_mac "$PEER_MAC"
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	ip -n "$PEER" addr del 192.0.2.50/24 dev eth0
	assert_rc 0 agent "$NODE" monitor "${p[@]}" OCF_CHECK_LEVEL=10
	assert_rc 0 agent "$NODE" stop "${p[@]}"

	p=(ip=2001:db8::50 nic=eth0 cidr_netmask=64)
	test_case "OCF_CHECK_LEVEL=10 finds another holder (IPv6)"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_rc 0 agent "$NODE" monitor "${p[@]}" OCF_CHECK_LEVEL=10
	ip -n "$PEER" addr add 2001:db8::50/64 dev eth0 nodad
	assert_rc 1 agent "$NODE" monitor "${p[@]}" OCF_CHECK_LEVEL=10
	assert_reason_names_mac "$PEER_MAC"
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	ip -n "$PEER" addr del 2001:db8::50/64 dev eth0
	assert_rc 0 agent "$NODE" monitor "${p[@]}" OCF_CHECK_LEVEL=10
	assert_rc 0 agent "$NODE" stop "${p[@]}"
}

# The announcer's descriptors: 0-2 on /dev/null and 3, a packet socket;
# nothing of the agent's (netlink socket, state directory).
announcer_fds_are_its_own() {
	local pid=$1 fd target want
	for fd in /proc/"$pid"/fd/*; do
		target=$(readlink "$fd") || continue
		case ${fd##*/} in
		0 | 1 | 2) want=/dev/null ;;
		3) want=socket:* ;;
		*) want="" ;;
		esac
		printf 'fd %s -> %s\n' "${fd##*/}" "$target"
		# shellcheck disable=SC2053 # want is a pattern
		[[ -n $want && $target == $want ]] || return 1
	done
	# The socket is a packet socket: its inode is listed in /proc/net/packet.
	target=$(readlink "/proc/$pid/fd/3")
	target=${target#socket:[}
	awk -v ino="${target%]}" 'NR > 1 && $NF == ino { found = 1 } END { exit !found }' \
		"/proc/$pid/net/packet"
}

case_announcer_stops() {
	local p=(ip=192.0.2.60 nic=eth0 cidr_netmask=24 arp_count=100 arp_interval_ms=1000)
	local saved=$AGENT_INSTANCE state pid=""
	AGENT_INSTANCE="${T_PREFIX}-announcer"
	state="$EXHA_RUNDIR/$AGENT_INSTANCE/announcer"
	test_case "the background announcer ends with stop"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	check "its record $state exists" test -f "$state"
	[[ -f $state ]] && read -r pid _ <"$state"
	if [[ -n $pid ]]; then
		diag "announcer: pid $pid, $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
		check "announcer $pid is running" proc_alive "$pid"
		check "announcer $pid runs the agent" \
			test "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$(agent_path)")"
		check "announcer $pid is in the node's namespace" \
			test "$(ip netns identify "$pid")" = "$NODE"
		check "announcer $pid holds only /dev/null and its packet socket" \
			announcer_fds_are_its_own "$pid"
	fi
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	if [[ -n $pid ]]; then
		check "announcer $pid is gone within 5 s" wait_until 5 eval "! proc_alive $pid"
	fi
	check "its record is removed" test ! -e "$state"
	check "no process is left in the node's namespace" wait_until 5 ns_no_processes "$NODE"
	AGENT_INSTANCE=$saved
}

# bad_param <parameter named in the reason> <name=value...>
bad_param() {
	local name=$1
	shift
	assert_rc 6 agent "$NODE" validate-all "$@"
	assert_exit_reason "$name"
	assert_rc 6 agent "$NODE" start "$@"
	assert_exit_reason "$name"
}

case_bad_params() {
	test_case "ip=abc"
	bad_param ip ip=abc
	test_case "ip with a prefix"
	bad_param ip ip=192.0.2.10/24
	check "nothing was added" ns_lacks_addr "$NODE" 192.0.2.10
	test_case "missing ip"
	bad_param ip nic=eth0
	test_case "cidr_netmask=33"
	bad_param cidr_netmask ip=192.0.2.10 cidr_netmask=33
	test_case "cidr_netmask=abc"
	bad_param cidr_netmask ip=192.0.2.10 cidr_netmask=abc
	test_case "cidr_netmask=129 for IPv6"
	bad_param cidr_netmask ip=2001:db8::10 cidr_netmask=129
	test_case "nic of 16 characters"
	bad_param nic ip=192.0.2.10 nic=abcdefghijklmnop
	test_case "arp_count=-1"
	bad_param arp_count ip=192.0.2.10 arp_count=-1
	test_case "conflict_check=maybe"
	bad_param conflict_check ip=192.0.2.10 conflict_check=maybe
	test_case "label on an IPv6 address"
	bad_param label ip=2001:db8::10 label=fip
	test_case "preferred_lft=soon"
	bad_param preferred_lft ip=2001:db8::10 preferred_lft=soon
	check "nothing was added by any of them" ns_lacks_addr "$NODE" 192.0.2.10

	# An interface missing on this node: OCF_ERR_INSTALLED, as above.
	test_case "nic=does-not-exist"
	assert_rc 5 agent "$NODE" validate-all ip=192.0.2.10 nic=does-not-exist
	assert_exit_reason does-not-exist
	assert_rc 5 agent "$NODE" start ip=192.0.2.10 nic=does-not-exist
	assert_rc 7 agent "$NODE" monitor ip=192.0.2.10 nic=does-not-exist

	# Missing here, maybe present on another node: OCF_ERR_INSTALLED keeps
	# the resource off this node only (OCF_ERR_CONFIGURED would stop it
	# everywhere).
	test_case "no interface holds the subnet of ip"
	assert_rc 5 agent "$NODE" validate-all ip=203.0.113.5
	assert_exit_reason 203.0.113.5
	assert_rc 5 agent "$NODE" start ip=203.0.113.5
	assert_exit_reason 203.0.113.5
	check "nothing was added" ns_lacks_addr "$NODE" 203.0.113.5

	test_case "two interfaces hold the subnet of ip"
	assert_rc 6 agent "$NODE" validate-all ip=198.51.100.10
	assert_exit_reason eth1 eth2
	assert_rc 6 agent "$NODE" start ip=198.51.100.10
	assert_exit_reason eth1 eth2
	check "nothing was added" ns_lacks_addr "$NODE" 198.51.100.10
}

# Network and broadcast addresses: no host may use them, on any node.
case_subnet_edges() {
	local spec ip
	for spec in "ip=192.0.2.0" "ip=192.0.2.255 nic=eth0 cidr_netmask=24" \
		"ip=192.0.2.4 nic=eth0 cidr_netmask=30" "ip=192.0.2.7 nic=eth0 cidr_netmask=30" \
		"ip=2001:db8::"; do
		test_case "$spec: the subnet's network or broadcast address"
		# shellcheck disable=SC2086 # spec is a list of name=value words
		bad_param "address" $spec
		ip=${spec%% *}
		check "nothing was added" ns_lacks_addr "$NODE" "${ip#ip=}"
	done
	test_case "a /31 has no network or broadcast address"
	assert_rc 0 agent "$NODE" validate-all ip=192.0.2.20 nic=eth0 cidr_netmask=31
}

# foreign_is_left <ip/prefix>: an address exha did not add is refused by
# start and validate-all, not running for the probe, and survives stop.
foreign_is_left() {
	local addr=$1 ip=${1%/*}
	shift
	assert_rc 6 agent "$NODE" validate-all ip="$ip" "$@"
	assert_exit_reason "$ip" "exha"
	assert_rc 7 agent "$NODE" monitor ip="$ip" "$@"
	assert_rc 7 agent "$NODE" monitor ip="$ip" "$@" OCF_RESKEY_CRM_meta_interval=10000
	assert_rc 6 agent "$NODE" start ip="$ip" "$@"
	assert_exit_reason "$ip" "exha"
	assert_rc 0 agent "$NODE" stop ip="$ip" "$@"
	check "$addr is still on eth0" ns_has_addr "$NODE" "$addr" eth0
}

case_foreign_address() {
	local routes trace="$T_TMP/start.strace" pid rc=0
	routes=$(ip -n "$NODE" route show)
	test_case "the node's own static address is never taken over"
	foreign_is_left 192.0.2.1/24
	foreign_is_left 192.0.2.1/24 nic=eth0 cidr_netmask=24
	check "the node's routes are unchanged" test "$(ip -n "$NODE" route show)" = "$routes"
	test_case "an address an administrator added by hand is never taken over"
	ip -n "$NODE" addr add 192.0.2.30/24 dev eth0
	foreign_is_left 192.0.2.30/24 nic=eth0
	ip -n "$NODE" addr del 192.0.2.30/24 dev eth0
	ip -n "$NODE" addr add 2001:db8::30/64 dev eth0 nodad
	foreign_is_left 2001:db8::30/64 conflict_check=false
	ip -n "$NODE" addr del 2001:db8::30/64 dev eth0
	# The address appears between start's look and its add (strace holds the
	# add, the third netlink request, for 3 s): the kernel's "already there"
	# is someone else's address, not success.
	test_case "an address added by hand while start runs is not adopted"
	ip netns exec "$NODE" env OCF_ROOT="$OCF_ROOT" OCF_RESOURCE_INSTANCE="$AGENT_INSTANCE" \
		OCF_RESKEY_ip=192.0.2.32 OCF_RESKEY_nic=eth0 OCF_RESKEY_cidr_netmask=24 \
		OCF_RESKEY_arp_count=0 OCF_RESKEY_conflict_check=false \
		strace -o "$trace" -e trace=sendto -e inject=sendto:delay_enter=3000000:when=3 \
		"$(agent_path)" start >"$T_TMP/start.out" 2>&1 &
	pid=$!
	check "start reaches its add" wait_until 10 grep -q RTM_NEWADDR "$trace"
	ip -n "$NODE" addr add 192.0.2.32/24 dev eth0
	wait "$pid" || rc=$?
	T_ERR=$(<"$T_TMP/start.out")
	check "start refuses it (rc $rc)" test "$rc" -eq 6
	assert_exit_reason 192.0.2.32 exha
	assert_rc 0 agent "$NODE" stop ip=192.0.2.32 nic=eth0 cidr_netmask=24
	check "192.0.2.32 is still on eth0" ns_has_addr "$NODE" 192.0.2.32/24 eth0
	ip -n "$NODE" addr del 192.0.2.32/24 dev eth0

	# iproute2 6.1 cannot show an address's proto: start itself reads the
	# mark back (OCF_ERR_INSTALLED when the kernel drops it), and monitor
	# says running only for a marked address.
	test_case "what exha adds carries its mark, and stop removes only that"
	assert_rc 0 agent "$NODE" start ip=192.0.2.31 nic=eth0 cidr_netmask=24
	assert_rc 0 agent "$NODE" monitor ip=192.0.2.31 nic=eth0 cidr_netmask=24
	assert_rc 0 agent "$NODE" stop ip=192.0.2.31 nic=eth0 cidr_netmask=24
	check "192.0.2.31 is gone" ns_lacks_addr "$NODE" 192.0.2.31
}

# An instance name validation refuses can have nothing running under it.
case_impossible_instance() {
	local name
	for name in ../evil .hidden a/b; do
		test_case "instance name '$name'"
		assert_rc 0 agent "$NODE" stop ip=192.0.2.1 OCF_RESOURCE_INSTANCE="$name"
		assert_rc 7 agent "$NODE" monitor ip=192.0.2.1 OCF_RESOURCE_INSTANCE="$name"
		assert_rc 6 agent "$NODE" start ip=192.0.2.40 OCF_RESOURCE_INSTANCE="$name"
		assert_exit_reason instance
		check "nothing was added" ns_lacks_addr "$NODE" 192.0.2.40
	done
	check "192.0.2.1 is still there" ns_has_addr "$NODE" 192.0.2.1/24 eth0
}

diag "agent: $(agent_path)"
setup_topology
case_metadata
case_ipv4_explicit
case_ipv4_automatic
case_idempotence
case_ipv6
case_label
case_conflict
case_conflict_late
case_announce
case_link_down
case_check_level_10
case_announcer_stops
case_bad_params
case_subnet_edges
case_foreign_address
case_impossible_instance
finish
