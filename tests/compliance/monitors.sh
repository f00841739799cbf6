#!/bin/bash
# ocf-tester on the installed monitor agents. Their start needs a running
# attribute manager (and the listener corosync), so each runs on a one-node
# cluster made for the purpose (no resources configured in it: ocf-tester
# drives the agents itself). About 30 s.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../monitors/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
command -v ocf-tester >/dev/null || { not_ok "ocf-tester is installed (resource-agents)"; summary; exit 1; }

PEER="${MON_PREFIX}-peer"
node_create n1 || { not_ok "create node n1"; summary; exit 1; }
ip -n "$(node_ns n1)" addr add 192.0.2.1/24 dev lo
ip netns add "$PEER" && on_cleanup ip netns del "$PEER"
veth_pair n1 mon0 198.51.100.1/24 "$PEER" mon0p 198.51.100.2/24
check "a one-node cluster comes up" nodes_start "n1:192.0.2.1"

# A small file-backed loop device for disk-monitor.
img="$MON_TMP/disk.img"
truncate -s 4M "$img"
loopdev=$(losetup -f --show "$img") && on_cleanup losetup -d "$loopdev"

tester() { # tester AGENT k=v...
	local agent=$1 kv args=()
	shift
	for kv in "$@"; do args+=(-o "$kv"); done
	on n1 ocf-tester -n "ocftest-$agent" "${args[@]}" "/usr/lib/ocf/resource.d/exha/$agent" \
		>"$MON_TMP/$agent.out" 2>&1
	local rc=$?
	[ $rc -eq 0 ] || sed 's/^/#   /' "$MON_TMP/$agent.out" | tail -15
	return $rc
}

check "ocf-tester: link-monitor" tester link-monitor interfaces=mon0
check "ocf-tester: reach-monitor" tester reach-monitor targets=198.51.100.2 interval=2 timeout=500
check "ocf-tester: disk-monitor" tester disk-monitor "devices=$loopdev" interval=2 timeout=500
check "ocf-tester: alert-listener" tester alert-listener
# ocf-tester started each (attribute set) and stopped it: nothing may remain.
check "no attribute is left behind" attr_unset n1 exha-link && attr_unset n1 exha-reach &&
	attr_unset n1 exha-disk
for agent in link-monitor reach-monitor disk-monitor alert-listener; do
	check "pcs describes ocf:exha:$agent" bash -c \
		"pcs resource describe ocf:exha:$agent 2>&1 | grep -q '^ocf:exha:$agent - '"
done

node_stop n1
summary
