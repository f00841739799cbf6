#!/usr/bin/env bash
#
# ocf:exha:switching-disk against real loop devices, ext4 and xfs
# filesystems and mount namespaces. The test inspects with losetup, mount,
# dumpe2fs and /proc; the agent itself uses only libraries.
#
# Two "nodes" share one disk and one lease device: each is a mount
# namespace of its own (nsenter --mount) with its own /run/exha (a tmpfs),
# and its own node name (OCF_RESKEY_CRM_meta_on_node).
#
# Run as root after `make install`, or with EXHA_AGENT_DIR pointing at a
# DESTDIR install's agent directory.
# shellcheck disable=SC2317 # helpers run through check and wait_until
set -euo pipefail
AGENT_TYPE=switching-disk
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require losetup mkfs.ext4 debugfs dumpe2fs e2fsck nsenter unshare xmllint od cmp
require_agent

AGENT_INSTANCE="${T_PREFIX}-sd"
DTD=/usr/share/resource-agents/ra-api-1.dtd
RACES=${SD_RACES:-50}
SAME_RACES=${SD_SAME_RACES:-30}
HOLDERS=50
LEASE_TIMEOUT=2

# ------------------------------------------------------------------ helpers

# loop_new <var> <size>: a loop device over a sparse file, detached at exit.
loop_new() {
	local img dev
	img=$(mktemp "$T_TMP/img.XXXXXX")
	truncate -s "$2" "$img"
	dev=$(losetup -f --show "$img")
	defer losetup -d "$dev"
	printf -v "$1" '%s' "$dev"
}

# sd <ns|-> <action> [name=value...]: the agent in a node's mount namespace
# (- for this one). name=value sets OCF_RESKEY_name; OCF_* words pass as is.
sd() {
	local ns=$1 action=$2 arg
	local -a envs=(
		"OCF_ROOT=$OCF_ROOT"
		"OCF_RESOURCE_INSTANCE=$AGENT_INSTANCE"
		"OCF_RESKEY_CRM_meta_timeout=${AGENT_TIMEOUT_MS:-20000}"
	)
	shift 2
	for arg in "$@"; do
		# node-b reaches the disk and the lease through loop devices of its
		# own (two paths to one LUN): never node-a's page cache.
		if [[ -n ${NODE_B:-} && $ns == "$NODE_B" ]]; then
			case $arg in
			"device=$DISK") arg="device=$DISK_B" ;;
			"lease_device=$LEASE") arg="lease_device=$LEASE_B" ;;
			esac
		fi
		case $arg in
		OCF_*=*) envs+=("$arg") ;;
		*=*) envs+=("OCF_RESKEY_$arg") ;;
		esac
	done
	# SD_KILL_AFTER=<s>: killed then, as Pacemaker kills an agent past its timeout.
	local -a runner=(env)
	[[ -n ${SD_KILL_AFTER:-} ]] && runner=(timeout -s KILL "$SD_KILL_AFTER" env)
	if [[ $ns == - ]]; then
		"${runner[@]}" "${envs[@]}" "$(agent_path)" "$action"
	else
		nsenter --mount="$ns" -- "${runner[@]}" "${envs[@]}" "$(agent_path)" "$action"
	fi
}

in_ns() {
	local ns=$1
	shift
	if [[ $ns == - ]]; then "$@"; else nsenter --mount="$ns" -- "$@"; fi
}

# The mount at a directory in a namespace, as /proc/self/mountinfo shows it.
mounted_at() {
	in_ns "$1" awk -v d="$2" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo
}

not_mounted_at() {
	! mounted_at "$@"
}

# Kill a node's lease keeper by the PID its state file records (cleanup and
# the dead-holder case: only keepers this script's agents started).
kill_keeper() {
	local ns=$1 pid
	pid=$(in_ns "$ns" cat "$EXHA_RUNDIR/$AGENT_INSTANCE/keeper" 2>/dev/null) || return 0
	kill -9 "${pid%% *}" 2>/dev/null || true
}

# second_path <var> <loop device>: one more loop device over the same file.
second_path() {
	local dev
	dev=$(losetup -f --show "$(losetup -n -O BACK-FILE "$2")")
	defer losetup -d "$dev"
	printf -v "$1" '%s' "$dev"
}

# node_new <var> <name>: a mount namespace kept in a file, with its own
# /run/exha; torn down (its mounts and keeper with it) at exit.
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

# The state field of slot 0's record (block 1, offset 20): 0 free, 1 held;
# and the owner (offset 56).
lease_state() {
	dd if="$LEASE" bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | od -An -t u4 -j 20 -N 4 |
		tr -d ' '
}

lease_owner() {
	dd if="$LEASE" bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | tail -c +57 | head -c 256 |
		tr -d '\0'
}

lease_is_free() {
	[[ $(lease_state) == 0 ]]
}

proc_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

none_alive() {
	local pid
	for pid in "$@"; do
		if proc_alive "$pid"; then
			echo "pid $pid is still alive" >&2
			return 1
		fi
	done
}

# ----------------------------------------------------------------- set-up

mkdir -p "$EXHA_RUNDIR"
chmod 0700 "$EXHA_RUNDIR"
loop_new DISK 64M
loop_new LEASE 1M
lease_init "$LEASE" --slots 4
mkfs.ext4 -q -F "$DISK"
MNT="$T_TMP/mail"
mkdir -p "$MNT"
defer kill_keeper -
defer umount -l "$MNT"
NSDIR="$T_TMP/ns"
mkdir -p "$NSDIR"
mount -t tmpfs -o size=1m exha-t-ns "$NSDIR"
mount --make-private "$NSDIR"
defer umount -l "$NSDIR"
P=(device="$DISK" directory="$MNT" lease_device="$LEASE" lease_timeout=$LEASE_TIMEOUT)
diag "disk $DISK, lease $LEASE, mount point $MNT"

# ------------------------------------------------------------------ cases

case_metadata() {
	local xml="$T_TMP/meta-data.xml"
	test_case "meta-data"
	run_cmd "$(agent_path)" meta-data
	printf '%s\n' "$T_OUT" >"$xml"
	check "meta-data is valid against ra-api-1.dtd" xmllint --noout --dtdvalid "$DTD" "$xml"
	assert_contains "$T_OUT" 'name="lease_device"' "meta-data documents lease_device"
	assert_contains "$T_OUT" "destroy" "meta-data explains the risk of running without a lease"
	assert_contains "$T_OUT" 'depth="20"' "meta-data documents monitor depth 20"
}

case_bad_parameters() {
	test_case "bad parameters"
	assert_rc 6 sd - validate-all directory="$MNT"
	assert_exit_reason device
	assert_rc 6 sd - start device=sda directory="$MNT"
	assert_exit_reason device
	assert_rc 6 sd - validate-all device="$DISK" directory=mail
	assert_exit_reason directory
	assert_rc 6 sd - validate-all device="$DISK" directory="$MNT/"
	assert_exit_reason directory
	assert_rc 6 sd - validate-all device="$DISK" directory="$MNT" fsck=sometimes
	assert_exit_reason fsck
	assert_rc 6 sd - validate-all "${P[@]}" lease_timeout=1
	assert_exit_reason lease_timeout
	assert_rc 6 sd - validate-all "${P[@]}" options=bind
	assert_exit_reason options
	assert_rc 6 sd - validate-all "${P[@]}" options='noatime,,ro'
	assert_exit_reason options
	assert_rc 6 sd - validate-all "${P[@]}" fstype='ext4;rm'
	assert_exit_reason fstype
	assert_rc 6 sd - validate-all "${P[@]}" force_unmount=maybe
	assert_exit_reason force_unmount
	assert_rc 6 sd - validate-all "${P[@]}" lease_device="$DISK"
	assert_exit_reason lease_device
	assert_rc 6 sd - validate-all device=/dev/null directory="$MNT"
	assert_exit_reason device
	assert_rc 5 sd - validate-all device=/dev/exha-no-such-disk directory="$MNT"
	assert_exit_reason device
	assert_rc 5 sd - start device=LABEL=exha-no-such-label directory="$MNT"
	assert_exit_reason device
	check "nothing was mounted" not_mounted_at - "$MNT"
	assert_rc 0 sd - validate-all device="$DISK" directory="$MNT"
	assert_contains "$T_ERR" "no lease_device" "validate-all warns when there is no lease device"
	assert_rc 0 sd - validate-all "${P[@]}"
}

# reason_one_line: the last stderr line is the reason, and it holds no
# libqb separator (QB_XS, BEL) and no tool output.
reason_one_line() {
	local last
	last=$(printf '%s\n' "$T_ERR" | tail -n 1)
	[[ $last == ocf-exit-reason:* && $last != *$'\a'* ]]
}

case_kernel_refuses() {
	local spec want word
	test_case "options and fstype the kernel refuses: start answers as validate-all"
	for spec in "options=nosuchopt 6 nosuchopt" "options=data=bogus 6 data" \
		"fstype=nosuchfs 5 nosuchfs"; do
		read -r spec want word <<<"$spec"
		assert_rc "$want" sd - validate-all "${P[@]}" "$spec"
		assert_exit_reason "$word"
		assert_rc "$want" sd - start "${P[@]}" "$spec"
		assert_exit_reason "$word"
		check "$spec: nothing was mounted" not_mounted_at - "$MNT"
		check "$spec: the lease was not taken" lease_is_free
	done
	# Mount-point flags and userspace options are not the filesystem's to judge.
	assert_rc 0 sd - validate-all "${P[@]}" options=noatime,nodev,data=ordered,nofail,x-exha=1
}

case_fsck_unrepairable() {
	local fdisk
	test_case "a filesystem fsck cannot repair: a one-line reason, the output in the log"
	loop_new fdisk 64M
	mkfs.ext4 -q -F "$fdisk"
	# A root inode that is no directory: e2fsck -p stops and asks for a manual run.
	debugfs -w -R "set_inode_field <2> mode 0100644" "$fdisk" 2>/dev/null
	assert_rc 1 sd - start device="$fdisk" directory="$MNT" fsck=always
	assert_exit_reason repair
	check "the reason is one line without libqb's separator" reason_one_line
	assert_contains "$T_ERR" "e2fsck:" "e2fsck's output is logged"
	check "nothing was mounted" not_mounted_at - "$MNT"
	assert_rc 0 sd - stop device="$fdisk" directory="$MNT"
}

# One node, one instance, two actions at once (issue 11, case 6): the
# instance lock serialises them. Both starts succeed and leave the disk
# mounted with one keeper; a start racing a stop ends in one of the two
# orders, never in between.
same_node_round() {
	local i=$1 ra=0 rb=0 pa pb mounted rc_m
	sd "$NODE_A" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >"$T_TMP/s1" 2>&1 &
	pa=$!
	sd "$NODE_A" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >"$T_TMP/s2" 2>&1 &
	pb=$!
	wait "$pa" || ra=$?
	wait "$pb" || rb=$?
	if ((ra != 0 || rb != 0)); then
		diag "round $i: two starts gave $ra $rb"
		diag_block start "$(cat "$T_TMP/s1" "$T_TMP/s2")"
		return 1
	fi
	if ! mounted_at "$NODE_A" "$MNT" || [[ $(lease_owner) != node-a ]]; then
		diag "round $i: both starts said 0, but mounted: $(mounted_at "$NODE_A" "$MNT" &&
			echo yes || echo no), lease owner '$(lease_owner)'"
		return 1
	fi
	if ! sd "$NODE_A" monitor "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >"$T_TMP/m" 2>&1; then
		diag "round $i: monitor after two starts failed"
		diag_block monitor "$(cat "$T_TMP/m")"
		return 1
	fi
	# A start racing a stop (the disk is mounted: the stop has work to do).
	ra=0 rb=0
	sd "$NODE_A" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >"$T_TMP/s1" 2>&1 &
	pa=$!
	sd "$NODE_A" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >"$T_TMP/s2" 2>&1 &
	pb=$!
	wait "$pa" || ra=$?
	wait "$pb" || rb=$?
	mounted=0
	mounted_at "$NODE_A" "$MNT" && mounted=1
	rc_m=0
	sd "$NODE_A" monitor "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >"$T_TMP/m" 2>&1 || rc_m=$?
	if ((ra != 0 || rb != 0)) || { ((mounted)) && [[ $rc_m != 0 || $(lease_owner) != node-a ]]; } ||
		{ ((!mounted)) && { [[ $rc_m != 7 ]] || ! lease_is_free; }; }; then
		diag "round $i: stop $ra, start $rb, mounted $mounted, monitor $rc_m, lease '$(lease_owner)'"
		diag_block "stop, start, monitor" "$(cat "$T_TMP/s1" "$T_TMP/s2" "$T_TMP/m")"
		return 1
	fi
	sd "$NODE_A" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >/dev/null 2>&1
}

case_same_node_race() {
	local i bad=0 held_by_self=0
	test_case "two actions on one instance at once, $SAME_RACES rounds (issue 11 case 6)"
	for ((i = 1; i <= SAME_RACES; i++)); do
		if ! same_node_round "$i"; then
			bad=$((bad + 1))
			sd "$NODE_A" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >/dev/null 2>&1 || true
		fi
		grep -q "node 'node-a'" "$T_TMP/s1" "$T_TMP/s2" "$T_TMP/m" &&
			held_by_self=$((held_by_self + 1))
	done
	check "every round: both starts 0 with the disk mounted; start and stop in one order" \
		test "$bad" -eq 0
	check "no reason ever named the node itself as the holder or taker" \
		test "$held_by_self" -eq 0
	check "not mounted at the end" not_mounted_at "$NODE_A" "$MNT"
	check "the lease is free at the end" lease_is_free
}

case_lifecycle() {
	local fs=$1 uuid
	test_case "$fs: start, monitor, stop, idempotence"
	assert_rc 7 sd - monitor "${P[@]}"
	assert_rc 0 sd - stop "${P[@]}"
	assert_rc 0 sd - start "${P[@]}"
	check "$DISK is mounted on $MNT" mounted_at - "$MNT"
	check "the lease is held" test "$(lease_state)" = 1
	assert_contains "$(lease_owner)" "$(uname -n)" "the lease names this node"
	assert_rc 0 sd - start "${P[@]}"
	assert_rc 0 sd - monitor "${P[@]}"
	assert_rc 0 sd - monitor "${P[@]}" OCF_CHECK_LEVEL=10
	assert_rc 0 sd - monitor "${P[@]}" OCF_CHECK_LEVEL=20
	check "level 20 leaves no file behind" test -z "$(ls -A "$MNT" | grep exha || true)"
	assert_rc 1 sd - monitor "${P[@]}" options=ro
	assert_exit_reason read-only
	assert_rc 0 sd - stop "${P[@]}"
	check "$MNT is unmounted" not_mounted_at - "$MNT"
	check "the lease is free" lease_is_free
	assert_rc 0 sd - stop "${P[@]}"
	assert_rc 7 sd - monitor "${P[@]}"
	test_case "$fs: device by UUID, no lease device"
	uuid=$(blkid -o value -s UUID "$DISK")
	assert_rc 0 sd - start device="UUID=$uuid" directory="$MNT"
	assert_rc 0 sd - monitor device="UUID=$uuid" directory="$MNT"
	assert_rc 0 sd - stop device="UUID=$uuid" directory="$MNT"
	check "$MNT is unmounted" not_mounted_at - "$MNT"
}

case_foreign_mount() {
	test_case "another filesystem on the mount point"
	mount -t tmpfs -o size=1m exha-t-foreign "$MNT"
	assert_rc 7 sd - monitor "${P[@]}"
	assert_rc 0 sd - stop "${P[@]}"
	check "stop leaves another filesystem mounted" mounted_at - "$MNT"
	assert_rc 1 sd - start "${P[@]}"
	check "the lease is free after the refused start" lease_is_free
	umount "$MNT"
}

case_namespace_copies() {
	local idle busy
	test_case "copies of the mount in other mount namespaces"
	assert_rc 0 sd - start "${P[@]}"
	# Namespaces made while the disk is mounted hold their own copies of the mount.
	unshare --mount --propagation private sleep 300 &
	idle=$!
	unshare --mount --propagation private bash -c "cd '$MNT' && exec sleep 300" &
	busy=$!
	defer kill "$idle" "$busy"
	check "both namespaces hold a copy" wait_until 5 bash -c "grep -q ' $MNT ' /proc/$idle/mountinfo && grep -q ' $MNT ' /proc/$busy/mountinfo"
	assert_rc 1 sd - stop "${P[@]}"
	assert_exit_reason "still" "lease" "kept"
	check "the lease is kept while a busy copy exists" test "$(lease_state)" = 1
	check "the idle copy was unmounted" bash -c "! grep -q ' $MNT ' /proc/$idle/mountinfo"
	kill "$busy"
	wait "$busy" 2>/dev/null || true
	assert_rc 0 sd - stop "${P[@]}"
	check "the lease is free once no copy is left" lease_is_free
	check "the disk is free (e2fsck can open it exclusively)" e2fsck -n "$DISK"
	kill "$idle" 2>/dev/null || true
}

case_busy() {
	local -a pids=() others=()
	local i
	test_case "a mount held busy by $HOLDERS processes"
	assert_rc 0 sd - start "${P[@]}"
	mkdir -p "$MNT/dir"
	: >"$MNT/file"
	cp /bin/sleep "$MNT/sleep"
	for ((i = 0; i < HOLDERS / 2 - 1; i++)); do
		(cd "$MNT/dir" && exec sleep 300) &
		pids+=($!)
		sleep 300 3<"$MNT/file" &
		pids+=($!)
	done
	# Only a memory map: the executable itself lives on the disk.
	(cd / && exec "$MNT/sleep" 300) &
	pids+=($!)
	(cd / && exec "$MNT/sleep" 300) &
	pids+=($!)
	# Not holders: working directory on / and next to the mount point.
	(cd / && exec sleep 300) &
	others+=($!)
	(cd "$T_TMP" && exec sleep 300) &
	others+=($!)
	defer kill "${pids[@]}" "${others[@]}"
	diag "${#pids[@]} holders: $((HOLDERS / 2 - 1)) cwd, $((HOLDERS / 2 - 1)) open file, 2 maps only"
	check "umount(8) finds it busy" bash -c "! umount '$MNT' 2>/dev/null"
	assert_rc 1 sd - stop "${P[@]}" force_unmount=false
	assert_exit_reason busy
	check "still mounted after a refused stop" mounted_at - "$MNT"
	check "the lease is kept while mounted" test "$(lease_state)" = 1
	assert_rc 0 sd - stop "${P[@]}"
	check "$MNT is unmounted" not_mounted_at - "$MNT"
	check "every holder is gone" wait_until 5 none_alive "${pids[@]}"
	check "processes merely near the mount survive" proc_alive "${others[0]}"
	check "a process whose cwd is the mount point's parent survives" proc_alive "${others[1]}"
	check "the lease is free" lease_is_free
	kill "${others[@]}" 2>/dev/null || true
}

# race_once <i>: both nodes start at once; exactly one wins.
race_once() {
	local ra=0 rb=0 pa pb
	sd "$NODE_A" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >"$T_TMP/a" 2>&1 &
	pa=$!
	sd "$NODE_B" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-b >"$T_TMP/b" 2>&1 &
	pb=$!
	wait "$pa" || ra=$?
	wait "$pb" || rb=$?
	RACE_RESULT="$ra $rb"
	if ((ra == 0 && rb != 0)); then
		WINNER=$NODE_A LOSER=$NODE_B WINNER_NAME=node-a
	elif ((rb == 0 && ra != 0)); then
		WINNER=$NODE_B LOSER=$NODE_A WINNER_NAME=node-b
	else
		return 1
	fi
}

case_race() {
	local i won_a=0 won_b=0 bad=0 leaked=0 stop_failed=0
	test_case "two nodes race start $RACES times"
	for ((i = 1; i <= RACES; i++)); do
		if ! race_once; then
			bad=$((bad + 1))
			diag "race $i: exit codes $RACE_RESULT"
			diag_block "node-a" "$(cat "$T_TMP/a")"
			diag_block "node-b" "$(cat "$T_TMP/b")"
			sd "$NODE_A" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a >/dev/null 2>&1 || true
			sd "$NODE_B" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-b >/dev/null 2>&1 || true
			continue
		fi
		[[ $WINNER_NAME == node-a ]] && won_a=$((won_a + 1)) || won_b=$((won_b + 1))
		if mounted_at "$LOSER" "$MNT" || [[ $(lease_owner) != "$WINNER_NAME" ]]; then
			leaked=$((leaked + 1))
			diag "race $i: the loser has a mount, or the lease names $(lease_owner)"
		fi
		sd "$WINNER" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=$WINNER_NAME >/dev/null 2>&1 ||
			stop_failed=$((stop_failed + 1))
	done
	diag "node-a won $won_a, node-b won $won_b of $RACES"
	check "exactly one node won every race" test "$bad" -eq 0
	check "the loser never mounted and the lease always named the winner" test "$leaked" -eq 0
	check "every winner stopped" test "$stop_failed" -eq 0
	assert_contains "$(cat "$T_TMP/a" "$T_TMP/b")" "held by node" \
		"the loser's reason names the holder"
	check "the lease is free after the last stop" lease_is_free
}

case_takeover() {
	local t0 t1 elapsed
	test_case "a holder that dies without releasing"
	assert_rc 0 sd "$NODE_A" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a
	assert_rc 0 sd "$NODE_A" monitor "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a
	# A live holder: node-b watches the lease, sees node-a's keeper renew it, refuses.
	assert_rc 1 sd "$NODE_B" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-b
	assert_exit_reason held node-a
	check "node-b did not mount while node-a's keeper lives" not_mounted_at "$NODE_B" "$MNT"
	kill_keeper "$NODE_A"
	t0=$(now_ms)
	check "node-a's monitor fails once its keeper is dead" wait_until 2 \
		bash -c "! nsenter --mount='$NODE_A' -- env OCF_ROOT=$OCF_ROOT OCF_RESOURCE_INSTANCE=$AGENT_INSTANCE OCF_RESKEY_device=$DISK OCF_RESKEY_directory=$MNT OCF_RESKEY_lease_device=$LEASE OCF_RESKEY_lease_timeout=$LEASE_TIMEOUT '$(agent_path)' monitor"
	# node-a still has it mounted: only the lease stands between the nodes now.
	nsenter --mount="$NODE_A" -- umount "$MNT"
	# A start too short to watch a whole lease_timeout refuses, naming the holder.
	assert_rc 1 sd "$NODE_B" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-b \
		OCF_RESKEY_CRM_meta_timeout=$((LEASE_TIMEOUT * 1000 / 2))
	assert_exit_reason node-a
	# The documented bound: 2 x lease_timeout after the last renewal (plus clock skew: none here).
	# One start (as after fencing) waits the dead holder's lease out and takes it.
	assert_rc 0 sd "$NODE_B" start "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-b
	t1=$(now_ms)
	elapsed=$((t1 - t0))
	diag "taken over ${elapsed} ms after the keeper died (lease_timeout ${LEASE_TIMEOUT} s)"
	check "node-b holds the lease" test "$(lease_owner)" = node-b
	check "node-b has it mounted" mounted_at "$NODE_B" "$MNT"
	check "not before the lease could have expired" test "$elapsed" -ge $((LEASE_TIMEOUT * 1000))
	check "within 2 x lease_timeout (+3 s for the agent's runs)" \
		test "$elapsed" -le $(((2 * LEASE_TIMEOUT + 3) * 1000))
	assert_rc 0 sd "$NODE_B" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-b
	assert_rc 0 sd "$NODE_A" stop "${P[@]}" OCF_RESKEY_CRM_meta_on_node=node-a
	check "the lease is free" lease_is_free
}

case_corrupt_lease() {
	local before="$T_TMP/lease-before" after="$T_TMP/lease-after"
	test_case "a corrupt lease record"
	head -c 4096 /dev/urandom >"$before"
	dd if="$before" of="$LEASE" bs=4096 seek=1 count=1 oflag=direct conv=notrunc 2>/dev/null
	assert_rc 1 sd - start "${P[@]}"
	assert_exit_reason damaged
	check "nothing was mounted" not_mounted_at - "$MNT"
	dd if="$LEASE" of="$after" bs=4096 skip=1 count=1 iflag=direct 2>/dev/null
	check "the record was not overwritten" cmp "$before" "$after"
	assert_rc 1 "$(exha_lease_path)" clear --slot 0 "$LEASE"
	assert_contains "$T_ERR" "damaged" "exha-lease clear refuses a damaged slot without --force"
	assert_rc 0 "$(exha_lease_path)" clear --slot 0 --force "$LEASE"
	assert_rc 0 sd - start "${P[@]}"
	assert_rc 0 sd - stop "${P[@]}"
}

fs_state() {
	dumpe2fs -h "$DISK" 2>/dev/null | sed -n 's/^Filesystem state: *//p'
}

case_fsck() {
	test_case "a dirty filesystem with fsck=auto"
	# Damage that e2fsck -p repairs, and the flag that says a check is due.
	debugfs -w -R "set_inode_field <2> links_count 9" "$DISK" 2>/dev/null
	debugfs -w -R "ssv state 0" "$DISK" 2>/dev/null
	check "the filesystem is marked not clean" test "$(fs_state)" = "not clean"
	assert_rc 0 sd - start "${P[@]}" fsck=auto
	assert_contains "$T_ERR" "repaired" "start says the filesystem was repaired"
	assert_rc 0 sd - stop "${P[@]}"
	check "the filesystem is clean afterwards" test "$(fs_state)" = clean
	check "e2fsck -fn finds nothing" e2fsck -fn "$DISK"
	assert_rc 0 sd - start "${P[@]}" fsck=auto
	assert_not_contains "$T_ERR" "e2fsck" "a clean filesystem is not checked with fsck=auto"
	assert_rc 0 sd - stop "${P[@]}"
	assert_rc 0 sd - start "${P[@]}" fsck=always
	assert_rc 0 sd - stop "${P[@]}"
}

# A checker that hangs and ignores SIGTERM (bound over e2fsck in a node's
# own mount namespace), with an 8 s timeout: the grace for it comes out of
# the action's budget, so the agent answers with its own reason before
# Pacemaker would kill it, and leaves nothing behind.
case_fsck_hung() {
	local node
	test_case "a hung fsck with an 8 s timeout"
	node_new node hang
	printf '#!/bin/sh\ntrap "" TERM\nsleep 100000\n' >"$T_TMP/e2fsck-hang"
	chmod 0755 "$T_TMP/e2fsck-hang"
	nsenter --mount="$node" -- mount --bind "$T_TMP/e2fsck-hang" /usr/sbin/e2fsck
	AGENT_TIMEOUT_MS=8000 SD_KILL_AFTER=8 assert_rc 1 sd "$node" start "${P[@]}" fsck=always
	assert_exit_reason "timed out"
	check "nothing of the hung checker is left" bash -c "! pgrep -f '^/bin/sh /usr/sbin/e2fsck'"
	check "$MNT is not mounted there" not_mounted_at "$node" "$MNT"
	assert_rc 0 sd "$node" stop "${P[@]}"
	check "the lease is free" lease_is_free
}

case_xfs() {
	if ! command -v mkfs.xfs >/dev/null; then
		skip "xfs: mkfs.xfs is not installed"
		return 0
	fi
	loop_new XDISK 320M
	mkfs.xfs -q -f "$XDISK"
	local -a X=(device="$XDISK" directory="$MNT" lease_device="$LEASE" lease_timeout=$LEASE_TIMEOUT)
	test_case "xfs: start, monitor, stop, busy, fsck=always"
	assert_rc 7 sd - monitor "${X[@]}"
	assert_rc 0 sd - start "${X[@]}"
	assert_rc 0 sd - start "${X[@]}"
	check "the mount is xfs" bash -c "grep -F ' $MNT ' /proc/self/mountinfo | grep -q ' - xfs '"
	assert_rc 0 sd - monitor "${X[@]}" OCF_CHECK_LEVEL=20
	(cd "$MNT" && exec sleep 300) &
	local holder=$!
	defer kill "$holder"
	assert_rc 0 sd - stop "${X[@]}"
	check "the holder is gone" wait_until 5 none_alive "$holder"
	check "$MNT is unmounted" not_mounted_at - "$MNT"
	assert_rc 0 sd - stop "${X[@]}"
	assert_rc 0 sd - start "${X[@]}" fsck=always
	assert_rc 0 sd - stop "${X[@]}"
	check "the lease is free" lease_is_free
}

started=$(now_ms)
case_metadata
case_bad_parameters
case_kernel_refuses
case_fsck_unrepairable
case_lifecycle ext4
case_foreign_mount
case_namespace_copies
case_busy
case_corrupt_lease
case_fsck
case_fsck_hung
node_new NODE_A node-a
node_new NODE_B node-b
second_path DISK_B "$DISK"
second_path LEASE_B "$LEASE"
case_race
case_same_node_race
case_takeover
case_xfs
diag "$(((($(now_ms) - started) + 500) / 1000)) s in all"
finish
