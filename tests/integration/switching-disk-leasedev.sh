#!/usr/bin/env bash
#
# ocf:exha:switching-disk and exha-lease: a lease lives only on a device
# made for it. Loop devices only, about 20 s:
#   - lease_device=LABEL=<the data filesystem's label>, a partition of the
#     data disk, the disk under a data partition, a loop device over a file
#     on the data filesystem: start and validate-all refuse, and not one
#     byte of the data device changes (a checksum before and after);
#   - an all-zero (unformatted) lease device: start refuses, names
#     `exha-lease init`, and leaves it all-zero;
#   - exha-lease init refuses a filesystem, other data and a mounted device;
#   - two resources in two slots of one lease device run at once; one slot
#     configured for two resources is refused until exha-lease clear;
#     clear watches a held slot and refuses while its keeper renews it;
#   - a version 1 lease device (one record in block 0) still works as
#     slot 0, and stays version 1.
#
# Run as root after `make install`, or with EXHA_AGENT_DIR (and EXHA_LEASE,
# or a DESTDIR install that holds both) pointing at the build.
# shellcheck disable=SC2317 # helpers run through check
set -euo pipefail
AGENT_TYPE=switching-disk
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require losetup mkfs.ext4 blkid python3 sha256sum cmp
require_agent
LEASE_CMD=$(exha_lease_path)
if [[ ! -x $LEASE_CMD ]]; then
	not_ok "exha-lease is installed (make install, or set EXHA_LEASE)"
	finish
fi

LEASE_TIMEOUT=2

# loop_new <var> <size> [-P]: a loop device over a sparse file, detached at
# exit. (Its locals must not shadow the caller's variable.)
loop_new() {
	local _img _dev
	_img=$(mktemp "$T_TMP/img.XXXXXX")
	truncate -s "$2" "$_img"
	_dev=$(losetup -f --show ${3:+"$3"} "$_img")
	defer losetup -d "$_dev"
	printf -v "$1" '%s' "$_dev"
}

# sd <instance> <action> [name=value...]: the agent, OCF_RESKEY_name=value.
sd() {
	local inst=$1 action=$2 arg
	local -a envs=(
		"OCF_ROOT=$OCF_ROOT"
		"OCF_RESOURCE_INSTANCE=$T_PREFIX-$inst"
		"OCF_RESKEY_CRM_meta_timeout=20000"
	)
	shift 2
	for arg in "$@"; do
		case $arg in
		OCF_*=*) envs+=("$arg") ;;
		*=*) envs+=("OCF_RESKEY_$arg") ;;
		esac
	done
	env "${envs[@]}" "$(agent_path)" "$action"
}

lease() {
	"$LEASE_CMD" "$@"
}

mounted_at() {
	awk -v d="$1" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo
}

not_mounted_at() {
	! mounted_at "$1"
}

sum_of() {
	sha256sum <"$1" | cut -d' ' -f1
}

all_zero() {
	cmp -s -n "$(blockdev --getsize64 "$1")" "$1" /dev/zero
}

# keeper_kill <instance>: the keeper our start forked, by its recorded PID.
keeper_kill() {
	local pid
	pid=$(cat "$EXHA_RUNDIR/$T_PREFIX-$1/keeper" 2>/dev/null) || return 0
	kill -9 "${pid%% *}" 2>/dev/null || true
}

# A version 1 record (lease.h) into block 0 of $1: free, generation 3.
write_v1_record() {
	python3 - "$1" <<'EOF'
import os, struct, sys
def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1))
    return crc ^ 0xffffffff
rec = bytearray(512)
rec[0:8] = b"EXHALEAS"
struct.pack_into("<IIQQII", rec, 8, 1, 512, 3, 1700000000000, 10000, 0)
rec[40:46] = b"node-z"
struct.pack_into("<I", rec, 508, crc32c(bytes(rec[:508])))
fd = os.open(sys.argv[1], os.O_WRONLY)
os.pwrite(fd, bytes(rec) + bytes(4096 - 512), 0)
os.fsync(fd)
os.close(fd)
EOF
}

# An MBR with two Linux partitions: sectors 2048-10239 and 10240-end.
write_mbr() {
	python3 - "$1" "$2" <<'EOF'
import os, struct, sys
size = int(sys.argv[2]) // 512
mbr = bytearray(512)
for i, (start, count) in enumerate([(2048, 8192), (10240, size - 10240)]):
    struct.pack_into("<B3sB3sII", mbr, 446 + 16 * i, 0, b"\0\0\0", 0x83, b"\0\0\0", start, count)
mbr[510:512] = b"\x55\xaa"
fd = os.open(sys.argv[1], os.O_WRONLY)
os.pwrite(fd, bytes(mbr), 0)
os.close(fd)
EOF
}

# ----------------------------------------------------------------- set-up

mkdir -p "$EXHA_RUNDIR"
chmod 0700 "$EXHA_RUNDIR"
loop_new DISK 32M
loop_new DISK2 32M
loop_new DISK3 32M
LABEL="exha-t-$$"
mkfs.ext4 -q -F -L "$LABEL" "$DISK"
mkfs.ext4 -q -F "$DISK2"
mkfs.ext4 -q -F "$DISK3"
MNT="$T_TMP/a"
MNT2="$T_TMP/b"
MNT3="$T_TMP/c"
mkdir -p "$MNT" "$MNT2" "$MNT3"
defer keeper_kill a
defer keeper_kill b
defer keeper_kill c
defer umount -l "$MNT"
defer umount -l "$MNT2"
defer umount -l "$MNT3"
diag "disks $DISK $DISK2, exha-lease $LEASE_CMD"

# ------------------------------------------------------------------ cases

case_lease_on_the_data_device() {
	local before
	test_case "lease_device=LABEL= of the data filesystem"
	before=$(sum_of "$DISK")
	assert_rc 6 sd a validate-all device="$DISK" directory="$MNT" lease_device="LABEL=$LABEL"
	assert_exit_reason lease_device itself
	assert_rc 6 sd a start device="$DISK" directory="$MNT" lease_device="LABEL=$LABEL"
	assert_exit_reason lease_device itself
	check "nothing was mounted" not_mounted_at "$MNT"
	check "not one byte of the data device changed" test "$(sum_of "$DISK")" = "$before"
	check "e2fsck -fn finds the filesystem intact" e2fsck -fn "$DISK"
	assert_rc 1 lease init "LABEL=$LABEL"
	assert_contains "$T_ERR" "signature (ext4)" "exha-lease init names the filesystem it found"
	check "exha-lease init changed nothing either" test "$(sum_of "$DISK")" = "$before"
}

case_unformatted() {
	local blank
	loop_new blank 1M
	test_case "an unformatted (all-zero) lease device"
	assert_rc 6 sd a start device="$DISK" directory="$MNT" lease_device="$blank"
	assert_exit_reason lease_device "formatted" "exha-lease init"
	check "nothing was mounted" not_mounted_at "$MNT"
	check "the lease device is still all zero" all_zero "$blank"
	assert_rc 0 sd a stop device="$DISK" directory="$MNT" lease_device="$blank"
	check "stop wrote nothing either" all_zero "$blank"
	assert_rc 1 lease show "$blank"
	assert_contains "$T_ERR" "blank" "exha-lease show says it is blank"
}

case_init_refusals() {
	local dev
	loop_new dev 1M
	test_case "exha-lease init refuses data and mounted devices"
	printf 'mail' | dd of="$dev" bs=1 seek=200000 conv=notrunc 2>/dev/null
	assert_rc 1 lease init "$dev"
	assert_contains "$T_ERR" "offset 200000" "init names where the data lies"
	assert_rc 2 lease init --slots 0 "$dev"
	assert_rc 1 lease init --slots 300 "$dev"
	assert_contains "$T_ERR" "300 slots need" "init refuses a device too small for its slots"
	assert_rc 0 lease init --force --slots 4 "$dev"
	assert_rc 1 lease init "$dev"
	assert_contains "$T_ERR" "already" "init refuses to reformat a lease device"
	mount "$DISK2" "$MNT2"
	assert_rc 1 lease init --force "$DISK2"
	assert_contains "$T_ERR" "in use" "init refuses a mounted device, even with --force"
	umount "$MNT2"
	check "the refused filesystem is intact" e2fsck -fn "$DISK2"
	assert_rc 0 lease show "$dev"
	assert_contains "$T_OUT" "4 slots" "show prints the header"
}

case_stacked() {
	local part
	test_case "a lease device stacked on or under the data device"
	loop_new part 16M -P
	write_mbr "$part" $((16 * 1024 * 1024))
	blockdev --rereadpt "$part" || true
	if wait_until 3 test -b "${part}p2"; then
		case_partitions "$part"
	else
		skip "partitions: this kernel shows no partitions of a loop device"
	fi
	case_loop_file
}

case_partitions() {
	local part=$1 before
	mkfs.ext4 -q -F "${part}p1"
	lease_init "${part}p2" --slots 2
	before=$(sum_of "${part}p1")
	assert_rc 6 sd a start device="${part}p1" directory="$MNT" lease_device="$part"
	assert_exit_reason lease_device built
	assert_rc 6 sd a validate-all device="$part" directory="$MNT" lease_device="${part}p2"
	assert_exit_reason lease_device partition
	check "the data partition is unchanged" test "$(sum_of "${part}p1")" = "$before"
	assert_rc 0 sd a validate-all device="${part}p1" directory="$MNT" lease_device="${part}p2"
	assert_rc 0 sd a start device="${part}p1" directory="$MNT" lease_device="${part}p2"
	assert_rc 0 sd a stop device="${part}p1" directory="$MNT" lease_device="${part}p2"
}

case_loop_file() {
	local file
	# A loop device over a file on the data filesystem (mounted, as it is
	# while such a file is in use).
	mount "$DISK2" "$MNT2"
	truncate -s 1M "$MNT2/lease.img"
	file=$(losetup -f --show "$MNT2/lease.img")
	lease_init "$file" --slots 2
	assert_rc 6 sd b validate-all device="$DISK2" directory="$MNT2" lease_device="$file"
	assert_exit_reason lease_device loop
	assert_rc 6 sd b start device="$DISK2" directory="$MNT2" lease_device="$file"
	assert_exit_reason lease_device loop
	losetup -d "$file"
	umount "$MNT2"
}

case_two_slots() {
	local lease
	loop_new lease 1M
	lease_init "$lease" --slots 4
	local -a A=(device="$DISK" directory="$MNT" lease_device="$lease" lease_timeout=$LEASE_TIMEOUT)
	local -a B=(device="$DISK2" directory="$MNT2" lease_device="$lease" lease_timeout=$LEASE_TIMEOUT)
	local -a C=(device="$DISK3" directory="$MNT3" lease_device="$lease" lease_timeout=$LEASE_TIMEOUT)
	test_case "two resources in two slots of one lease device"
	assert_rc 0 sd a start "${A[@]}" lease_slot=0
	assert_rc 0 sd b start "${B[@]}" lease_slot=3
	check "both disks are mounted" bash -c "$(declare -f mounted_at); mounted_at '$MNT' && mounted_at '$MNT2'"
	assert_rc 0 sd a monitor "${A[@]}" lease_slot=0 OCF_CHECK_LEVEL=10
	assert_rc 0 sd b monitor "${B[@]}" lease_slot=3 OCF_CHECK_LEVEL=10
	assert_rc 0 lease show "$lease"
	diag_block "exha-lease show" "$T_OUT"
	assert_contains "$T_OUT" "$T_PREFIX-a " "show names the resource of slot 0"
	assert_contains "$T_OUT" "$T_PREFIX-b " "show names the resource of slot 3"
	# A start refused for the lease device takes nothing, and undoes nothing either.
	assert_rc 6 sd a start device="$DISK" directory="$MNT" lease_device="LABEL=$LABEL"
	check "the running resource is still mounted" mounted_at "$MNT"
	assert_rc 0 sd a monitor "${A[@]}" lease_slot=0
	test_case "one slot configured for two resources"
	assert_rc 6 sd c start "${C[@]}" lease_slot=0
	assert_exit_reason lease_slot "$T_PREFIX-a"
	check "the third disk was not mounted" not_mounted_at "$MNT3"
	check "the slot still names the first resource, held" \
		bash -c "'$LEASE_CMD' show '$lease' | grep -q '^0 .*$T_PREFIX-a .*held'"
	assert_rc 0 sd a monitor "${A[@]}" lease_slot=0
	test_case "exha-lease clear watches a held slot"
	assert_rc 1 lease clear --slot 0 "$lease"
	assert_contains "$T_ERR" "renewed it while watched" "clear refuses a slot its keeper renews"
	assert_rc 0 sd a monitor "${A[@]}" lease_slot=0
	assert_rc 0 sd a stop "${A[@]}" lease_slot=0
	assert_rc 0 sd b stop "${B[@]}" lease_slot=3
	assert_rc 6 sd a start "${A[@]}" lease_slot=4
	assert_exit_reason lease_slot
	test_case "a released slot still belongs to its resource until cleared"
	assert_rc 6 sd c start "${C[@]}" lease_slot=0
	assert_exit_reason lease_slot "$T_PREFIX-a"
	assert_rc 0 lease clear --slot 0 "$lease"
	assert_rc 0 sd c start "${C[@]}" lease_slot=0
	assert_rc 0 sd c stop "${C[@]}" lease_slot=0
	test_case "two resources starting at once in one unassigned slot"
	local i a c wins=0 both=0
	for ((i = 0; i < ${LEASEDEV_RACES:-5}; i++)); do
		a=0 c=0
		sd a start "${A[@]}" lease_slot=2 >"$T_TMP/race-a" 2>&1 &
		local pid=$!
		sd c start "${C[@]}" lease_slot=2 >"$T_TMP/race-c" 2>&1 || c=$?
		wait "$pid" || a=$?
		if ((a == 0 && c == 0)); then
			both=$((both + 1))
		elif ((a == 0 || c == 0)) && [[ $a$c == 06 || $a$c == 60 ]]; then
			wins=$((wins + 1))
		else
			diag "race $i: rc $a and $c: $(tail -n 1 "$T_TMP/race-a") / $(tail -n 1 "$T_TMP/race-c")"
		fi
		sd a stop "${A[@]}" lease_slot=2 >/dev/null 2>&1 || true
		sd c stop "${C[@]}" lease_slot=2 >/dev/null 2>&1 || true
		"$LEASE_CMD" clear --force --slot 2 "$lease" >/dev/null
	done
	check "never both (both started in $both rounds)" test "$both" -eq 0
	check "one start won, the other was refused with OCF_ERR_CONFIGURED, every round" \
		test "$wins" -eq "${LEASEDEV_RACES:-5}"
	# A dead holder's slot: the record stands still for its timeout, then clears.
	assert_rc 0 sd a start "${A[@]}" lease_slot=1
	keeper_kill a
	assert_rc 0 lease clear --slot 1 "$lease"
	assert_contains "$T_ERR" "watching" "clear watched the slot before clearing it"
	assert_rc 0 sd a stop "${A[@]}" lease_slot=1
	test_case "a slot damaged while its resource runs"
	assert_rc 0 lease clear --slot 1 "$lease"
	assert_rc 0 sd a start "${A[@]}" lease_slot=1
	head -c 4096 /dev/urandom >"$T_TMP/garbage"
	dd if="$T_TMP/garbage" of="$lease" bs=4096 seek=2 count=1 oflag=direct conv=notrunc 2>/dev/null
	assert_rc 0 sd a stop "${A[@]}" lease_slot=1
	check "stop unmounted the disk" not_mounted_at "$MNT"
	dd if="$lease" of="$T_TMP/after" bs=4096 skip=2 count=1 iflag=direct 2>/dev/null
	check "and wrote nothing over the damaged record" cmp "$T_TMP/garbage" "$T_TMP/after"
	assert_rc 1 sd a start "${A[@]}" lease_slot=1
	assert_exit_reason damaged
	assert_rc 0 lease show "$lease"
	assert_contains "$T_OUT" "damaged record" "show marks the damaged slot"
}

case_v1() {
	local v1
	loop_new v1 1M
	write_v1_record "$v1"
	local -a A=(device="$DISK" directory="$MNT" lease_device="$v1" lease_timeout=$LEASE_TIMEOUT)
	test_case "a version 1 lease device"
	assert_rc 0 lease show "$v1"
	assert_contains "$T_OUT" "version 1" "show recognises version 1"
	assert_rc 0 sd a start "${A[@]}"
	check "the record in block 0 is still version 1, now held" test \
		"$(od -An -t u4 -j 8 -N 4 "$v1" | tr -d ' '),$(od -An -t u4 -j 36 -N 4 "$v1" | tr -d ' ')" = "1,1"
	check "nothing was written beyond block 0" \
		cmp -s -n $((1024 * 1024 - 4096)) -i 4096:0 "$v1" /dev/zero
	assert_rc 0 sd a monitor "${A[@]}" OCF_CHECK_LEVEL=10
	assert_rc 0 sd a stop "${A[@]}"
	check "the v1 record is free again" test "$(od -An -t u4 -j 36 -N 4 "$v1" | tr -d ' ')" = 0
	assert_rc 6 sd a start "${A[@]}" lease_slot=1
	assert_exit_reason lease_slot "version 1"
}

started=$(now_ms)
case_lease_on_the_data_device
case_unformatted
case_init_refusals
case_stacked
case_two_slots
case_v1
diag "$(((($(now_ms) - started) + 500) / 1000)) s in all"
finish
