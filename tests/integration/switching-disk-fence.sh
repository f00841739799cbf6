#!/usr/bin/env bash
#
# ocf:exha:switching-disk's takeover without watching (fenceproof.h), on two
# "nodes" (mount namespaces, each with its own /run/exha) over one disk and
# one lease image, each node reaching both through loop devices of its own
# (two paths to one LUN: no block cache shared by the nodes to hide what
# only one of them wrote). The cluster's answer comes from a stand-in for
# switching-disk-fence-query (EXHA_FENCE_QUERY): outside a cluster there is
# no fencer to ask, and the point here is what the agent does with the
# answer; tests/cluster/drill.sh runs the real query against a real
# fencer and CIB. The stand-in is the adversary: it claims the holder was
# fenced while its keeper lives and renews during the check, and the start
# must watch (and refuse) instead of taking the lease.
#
# Run as root after `make install`, or with EXHA_AGENT_DIR pointing at a
# DESTDIR install's agent directory.
# shellcheck disable=SC2317,SC2016 # helpers run through check; awk programs
set -euo pipefail
AGENT_TYPE=switching-disk
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require losetup mkfs.ext4 nsenter unshare od dd
require_agent

AGENT_INSTANCE="${T_PREFIX}-sdf"
LEASE_TIMEOUT=3

# image_new VAR SIZE: an image file; loop_new VAR IMAGE: a loop device over it.
image_new() {
	local img
	img=$(mktemp "$T_TMP/img.XXXXXX")
	truncate -s "$2" "$img"
	printf -v "$1" '%s' "$img"
}
loop_new() {
	local dev
	dev=$(losetup -f --show "$2")
	defer losetup -d "$dev"
	printf -v "$1" '%s' "$dev"
}

# The node's own paths: node-a's devices and node-b's.
disk_of() { [[ $1 == node-a ]] && echo "$DISK_A" || echo "$DISK_B"; }
lease_of() { [[ $1 == node-a ]] && echo "$LEASE_A" || echo "$LEASE_B"; }

# sd <ns> <node> <action> [VAR=value...]: the agent as node in its namespace.
sd() {
	local ns=$1 node=$2 action=$3
	shift 3
	nsenter --mount="$ns" -- env "OCF_ROOT=$OCF_ROOT" "OCF_RESOURCE_INSTANCE=$AGENT_INSTANCE" \
		"OCF_RESKEY_CRM_meta_timeout=20000" "OCF_RESKEY_CRM_meta_on_node=$node" \
		"OCF_RESKEY_device=$(disk_of "$node")" "OCF_RESKEY_directory=$MNT" \
		"OCF_RESKEY_lease_device=$(lease_of "$node")" "OCF_RESKEY_lease_timeout=$LEASE_TIMEOUT" \
		"EXHA_FENCE_QUERY=$QUERY" "$@" "$(agent_path)" "$action"
}

mounted_at() {
	nsenter --mount="$1" -- awk -v d="$2" '$5 == d { f = 1 } END { exit !f }' /proc/self/mountinfo
}

not_mounted_at() { ! mounted_at "$@"; }

kill_keeper() {
	local pid
	pid=$(nsenter --mount="$1" -- cat "$EXHA_RUNDIR/$AGENT_INSTANCE/keeper" 2>/dev/null) ||
		return 0
	kill -9 "${pid%% *}" 2>/dev/null || true
}

node_new() {
	local file="$NSDIR/$2"
	touch "$file"
	unshare --mount="$file" --propagation private true
	defer node_delete "$file"
	nsenter --mount="$file" -- mount -t tmpfs -o mode=0700,size=1m "exha-t-$2" "$EXHA_RUNDIR"
	printf -v "$1" '%s' "$file"
}

node_delete() {
	kill_keeper "$1"
	nsenter --mount="$1" -- umount -l "$MNT" 2>/dev/null
	umount "$1"
}

lease_generation() {
	dd if="$LEASE" bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | od -An -t u8 -j 32 -N 8 | tr -d ' '
}

lease_owner() {
	dd if="$LEASE" bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | tail -c +57 | head -c 256 |
		tr -d '\0'
}

lease_state() {
	dd if="$LEASE" bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | od -An -t u4 -j 20 -N 4 | tr -d ' '
}

# standin <mode>: the query program the agent runs. Every mode answers that
# the node asked about was rebooted by the fencer just now and is down;
# "renewed" first waits until the lease record's generation has moved on
# (the holder's keeper renewing during the check); "error" reports that the
# fencer does not answer.
standin() {
	local mode=$1
	cat >"$QUERY" <<EOF
#!/bin/bash
[ "$mode" = error ] && { echo "error cannot connect to the fencer: Transport endpoint is not connected"; exit 1; }
if [ "$mode" = renewed ]; then
	g0=\$(dd if=$LEASE bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | od -An -t u8 -j 32 -N 8)
	for i in \$(seq 100); do
		g=\$(dd if=$LEASE bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | od -An -t u8 -j 32 -N 8)
		[ "\$g" != "\$g0" ] && break
		sleep 0.05
	done
	echo "\$g0 \$g" >$T_TMP/standin-saw
fi
t=\$(date +%s%N)
echo "fence \$1 reboot 2 \${t:0:-9} \${t: -9}"
echo "node \$1 false offline down down"
echo end
EOF
	chmod 0755 "$QUERY"
}

# ----------------------------------------------------------------- set-up

mkdir -p "$EXHA_RUNDIR"
chmod 0700 "$EXHA_RUNDIR"
image_new DISK_IMG 64M
image_new LEASE_IMG 1M
loop_new DISK_A "$DISK_IMG"
loop_new DISK_B "$DISK_IMG"
loop_new LEASE_A "$LEASE_IMG"
loop_new LEASE_B "$LEASE_IMG"
# What the test itself reads of the lease (direct I/O: no cache either).
LEASE=$LEASE_A
lease_init "$LEASE_A" # slot 0 in block 1 (leasearea.h)
mkfs.ext4 -q -F "$DISK_A"
MNT="$T_TMP/mail"
mkdir -p "$MNT"
NSDIR="$T_TMP/ns"
mkdir -p "$NSDIR"
mount -t tmpfs -o size=1m exha-t-ns "$NSDIR"
mount --make-private "$NSDIR"
defer umount -l "$NSDIR"
QUERY="$T_TMP/fence-query"
node_new NODE_A node-a
node_new NODE_B node-b

# ------------------------------------------------------------------ cases

case_fenced_holder() {
	test_case "a fenced holder's lease is taken at once"
	standin fenced
	assert_rc 0 sd "$NODE_A" node-a start
	kill_keeper "$NODE_A"
	nsenter --mount="$NODE_A" -- umount "$MNT"
	assert_rc 0 sd "$NODE_B" node-b start
	assert_contains "$T_ERR" "holder 'node-a' of the lease on '$LEASE_B' was fenced (reboot)" \
		"the start names the fence it relies on"
	assert_contains "$T_ERR" "taking over at once" "the start takes over without watching"
	assert_not_contains "$T_ERR" "watching" "nothing was watched"
	check "node-b holds the lease" test "$(lease_owner)" = node-b
	check "node-b has it mounted" mounted_at "$NODE_B" "$MNT"
	assert_rc 0 sd "$NODE_B" node-b stop
	assert_rc 0 sd "$NODE_A" node-a stop
}

case_record_changes_during_check() {
	local saw
	test_case "a record renewed during the check is watched, not taken"
	standin renewed
	assert_rc 0 sd "$NODE_A" node-a start
	# node-a's keeper lives and renews every lease_timeout/3; the stand-in
	# claims node-a was fenced once it has seen a renewal.
	assert_rc 1 sd "$NODE_B" node-b start
	saw=$(cat "$T_TMP/standin-saw" 2>/dev/null) || saw=""
	diag "generations the stand-in saw before answering: ${saw:-none}"
	read -r g0 g1 <<<"$saw"
	check "the record changed while the check ran" test "${g0:-0}" != "${g1:-0}"
	assert_contains "$T_ERR" "changed since the fencing check" \
		"the start says the proof no longer applies"
	assert_exit_reason held node-a
	check "node-b did not mount" not_mounted_at "$NODE_B" "$MNT"
	check "the lease still names node-a" test "$(lease_owner)" = node-a
	assert_rc 0 sd "$NODE_A" node-a monitor
	assert_rc 0 sd "$NODE_A" node-a stop
	check "the lease is free" test "$(lease_state)" = 0
}

case_no_answer() {
	local t0 elapsed
	test_case "no answer from the fencer: the start watches as before"
	standin error
	assert_rc 0 sd "$NODE_A" node-a start
	kill_keeper "$NODE_A"
	nsenter --mount="$NODE_A" -- umount "$MNT"
	t0=$(now_ms)
	assert_rc 0 sd "$NODE_B" node-b start
	elapsed=$(($(now_ms) - t0))
	assert_contains "$T_ERR" "does not prove it dead (cannot connect to the fencer" \
		"the start says why it watches"
	assert_contains "$T_ERR" "watching it for $LEASE_TIMEOUT s" "and for how long"
	check "not taken before a whole lease_timeout ($elapsed ms)" \
		test "$elapsed" -ge $((LEASE_TIMEOUT * 1000))
	check "node-b holds the lease" test "$(lease_owner)" = node-b
	assert_rc 0 sd "$NODE_B" node-b stop
	assert_rc 0 sd "$NODE_A" node-a stop
}

case_fenced_holder
case_record_changes_during_check
case_no_answer
finish
