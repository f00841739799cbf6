#!/usr/bin/env bash
#
# ocf-tester (resource-agents' compliance checker) against
# ocf:exha:floating-ip, once with an IPv4 and once with an IPv6 address.
# ocf-tester runs the agent itself, so it runs inside a namespace with a
# veth pair: "node" (the agent's side) and "peer" (the rest of the link).
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require ip ocf-tester
require_agent

ns_new NODE node
ns_new PEER peer
veth_new "$NODE" eth0 "$PEER" eth0
ip -n "$NODE" addr add 192.0.2.1/24 dev eth0
ip -n "$NODE" addr add 2001:db8::1/64 dev eth0 nodad
ip -n "$PEER" addr add 192.0.2.2/24 dev eth0
ip -n "$PEER" addr add 2001:db8::2/64 dev eth0 nodad
wait_until 10 link_is_up "$NODE" eth0

test_case "IPv4"
ocf_tester "$NODE" fip-ocft ip=192.0.2.50 nic=eth0 cidr_netmask=24
check "192.0.2.50 is gone afterwards" ns_lacks_addr "$NODE" 192.0.2.50

test_case "IPv6"
ocf_tester "$NODE" fip-ocft-v6 ip=2001:db8::50 nic=eth0 cidr_netmask=64
check "2001:db8::50 is gone afterwards" ns_lacks_addr "$NODE" 2001:db8::50

test_case "IPv4, nic and prefix found automatically"
ocf_tester "$NODE" fip-ocft-auto ip=192.0.2.51

check "no process is left in the node's namespace" \
	wait_until 5 ns_no_processes "$NODE"

# Every agent shares the dispatch: an instance name validation refuses can
# have nothing running under it, so stop succeeds (a failed stop means
# fencing) and monitor and probe find it not running, whatever the
# parameters; start refuses it as a configuration error.
test_case "an instance name that cannot exist, every agent"
for agent_file in "$EXHA_AGENT_DIR"/*; do
	AGENT_TYPE=$(basename "$agent_file")
	assert_rc 0 agent "$NODE" stop OCF_RESOURCE_INSTANCE=../evil
	assert_rc 7 agent "$NODE" monitor OCF_RESOURCE_INSTANCE=../evil
	assert_rc 7 agent "$NODE" monitor OCF_RESOURCE_INSTANCE=.x OCF_RESKEY_CRM_meta_interval=10000
	assert_rc 6 agent "$NODE" start OCF_RESOURCE_INSTANCE=a/b
	assert_exit_reason instance
done
finish
