#!/usr/bin/env bash
#
# The floating IP failing over and back between two nodes, as a client on
# the same LAN sees it. Three network namespaces:
#
#   node1 eth0 192.0.2.1 --\
#                           br0 (in client) 192.0.2.254   client
#   node2 eth0 192.0.2.2 --/
#
# The floating address 192.0.2.100 starts on node1; the client pings it and
# shows which MAC answers. Failover: stop on node1, start on node2; the
# client's ARP cache follows at once, because node2 announces the address
# (gratuitous ARP), not after the cache entry expires (~30 s). Then back.
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require ip ping
require_agent

FIP=192.0.2.100
T0=$(now_ms)

say() {
	local t=$(($(now_ms) - T0))
	printf '[%3d.%03ds] %s\n' $((t / 1000)) $((t % 1000)) "$*"
}

# node_of <mac>: which node a MAC belongs to.
node_of() {
	case $1 in
	"$NODE1_MAC") printf 'node1' ;;
	"$NODE2_MAC") printf 'node2' ;;
	"") printf 'nobody' ;;
	*) printf 'an unknown host' ;;
	esac
}

# fip <node1|node2> <action>: run the agent there, print how it went.
fip() {
	local name=$1 action=$2 ns t
	[[ $name == node1 ]] && ns=$NODE1 || ns=$NODE2
	t=$(now_ms)
	run_cmd agent "$ns" "$action" ip=$FIP nic=eth0 cidr_netmask=24
	say "$name: $action $FIP -> rc $T_RC in $(($(now_ms) - t)) ms"
	if ((T_RC != 0)); then
		not_ok "$action on $name succeeds: $(exit_reason)"
		diag_block stderr "$T_ERR"
	fi
}

client_ping() {
	local rtt
	if run_cmd ip netns exec "$CLIENT" ping -n -c 1 -W 2 "$FIP" && ((T_RC == 0)); then
		rtt=$(sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' <<<"$T_OUT")
		say "client: ping $FIP -> reply in $rtt ms"
	else
		say "client: ping $FIP -> no reply"
		not_ok "client reaches $FIP"
	fi
}

client_cache() {
	local mac
	mac=$(neigh_mac "$CLIENT" "$FIP")
	say "client: ARP cache: $(ip -n "$CLIENT" neigh show "$FIP") -> $(node_of "$mac")"
}

# expect_holder <node>: the client's cache points at node's MAC; wait for
# it (bounded) without sending anything from the client, so only the new
# holder's own announcement can have changed it.
expect_holder() {
	local want=$1 mac t
	[[ $want == node1 ]] && mac=$NODE1_MAC || mac=$NODE2_MAC
	t=$(now_ms)
	if neigh_is "$CLIENT" "$FIP" "$mac"; then
		say "client: ARP cache already points at $want ($mac) as start returns," \
			"without the client asking: $want's gratuitous ARP"
		ok "client learns $FIP is on $want from its announcement"
	elif wait_until 5 neigh_is "$CLIENT" "$FIP" "$mac"; then
		say "client: ARP cache moved to $want ($mac) $(($(now_ms) - t)) ms after start" \
			"returned, without the client asking: $want's gratuitous ARP"
		ok "client learns $FIP is on $want from its announcement"
	else
		client_cache
		not_ok "client learns $FIP is on $want from its announcement"
	fi
}

neigh_is() {
	[[ $(neigh_mac "$1" "$2") == "$3" ]]
}

# ----------------------------------------------------------------- the show

ns_new CLIENT client
ns_new NODE1 node1
ns_new NODE2 node2
veth_new "$NODE1" eth0 "$CLIENT" port1
veth_new "$NODE2" eth0 "$CLIENT" port2
bridge_new "$CLIENT" br0 port1 port2
ip -n "$CLIENT" addr add 192.0.2.254/24 dev br0
ip -n "$NODE1" addr add 192.0.2.1/24 dev eth0
ip -n "$NODE2" addr add 192.0.2.2/24 dev eth0
NODE1_MAC=$(if_mac "$NODE1" eth0)
NODE2_MAC=$(if_mac "$NODE2" eth0)
wait_until 10 link_is_up "$CLIENT" br0
wait_until 10 link_is_up "$NODE1" eth0
wait_until 10 link_is_up "$NODE2" eth0

printf '\n'
say "LAN up: client 192.0.2.254 on a bridge; node1 192.0.2.1 ($NODE1_MAC);" \
	"node2 192.0.2.2 ($NODE2_MAC); floating IP $FIP"
say "agent: $(agent_path)"

printf '\n'
say "== node1 takes the floating IP"
fip node1 start
client_ping
client_cache
if neigh_is "$CLIENT" "$FIP" "$NODE1_MAC"; then
	ok "client reaches $FIP on node1"
else
	not_ok "client reaches $FIP on node1"
fi

printf '\n'
say "== failover: node1 -> node2"
fip node1 stop
fip node2 start
expect_holder node2
client_ping
client_cache

printf '\n'
say "== failback: node2 -> node1"
fip node2 stop
fip node1 start
expect_holder node1
client_ping
client_cache

printf '\n'
say "== done"
fip node1 stop
finish
