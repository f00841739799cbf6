#!/usr/bin/env bash
#
# ocf-tester (resource-agents' compliance checker) against
# ocf:exha:switching-disk on an ext4 loop device, with and without a lease
# device.
set -euo pipefail
AGENT_TYPE=switching-disk
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require losetup mkfs.ext4 ocf-tester
require_agent

loop_new() {
	local img dev
	img=$(mktemp "$T_TMP/img.XXXXXX")
	truncate -s "$2" "$img"
	dev=$(losetup -f --show "$img")
	defer losetup -d "$dev"
	printf -v "$1" '%s' "$dev"
}

mounted_at() {
	awk -v d="$1" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo
}

not_mounted_at() {
	! mounted_at "$@"
}

loop_new DISK 64M
loop_new LEASE 1M
lease_init "$LEASE"
mkfs.ext4 -q -F "$DISK"
MNT="$T_TMP/mail"
defer umount -l "$MNT"

test_case "with a lease device"
ocf_tester - sd-ocft device="$DISK" directory="$MNT" lease_device="$LEASE" lease_timeout=2
check "$MNT is unmounted afterwards" not_mounted_at "$MNT"

test_case "without a lease device"
ocf_tester - sd-ocft-nolease device="$DISK" directory="$MNT"
check "$MNT is unmounted afterwards" not_mounted_at "$MNT"
finish
