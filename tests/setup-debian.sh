#!/usr/bin/env bash
#
# Install what building and testing exha needs on Debian 12, as root.
# Idempotent: when every package is already installed, apt is not run at
# all. Installing pacemaker and corosync must not start their daemons on a
# build host: unless the host already has a policy (/usr/sbin/policy-rc.d),
# one that refuses every start (exit 101) is in place during the install.
set -euo pipefail

PACKAGES=(
	# build
	build-essential autoconf automake libtool pkg-config git
	libqb-dev pacemaker-dev libcpg-dev check libmnl-dev
	# style and static checks, sanitizers
	clang-format cppcheck clang libclang-rt-14-dev
	# agents to compare with, ocf-tester, meta-data schemas, cluster tools
	resource-agents pacemaker pacemaker-cli-utils corosync pcs crmsh libxml2-utils
	# integration tests, benchmarks, demo
	iproute2 time strace valgrind procps iputils-ping iputils-arping
	# monitors: hangfs (a block device that hangs on demand: FUSE under a loop device)
	fuse3 libfuse3-dev util-linux
	# switching-disk: libblkid/libmount, the filesystems' own checkers
	libblkid-dev libmount-dev e2fsprogs xfsprogs
	# switching-disk-lease: btrfs, a filesystem the agent must refuse
	btrfs-progs
	# service-set and mail-probe: systemd over sd-bus, STARTTLS, the mail servers
	libsystemd-dev libssl-dev openssl systemd dbus postfix dovecot-imapd dovecot-pop3d
	# ad-fixup: libldap, GnuTLS (why a certificate was refused), a private slapd for the tests
	libldap-dev libgnutls28-dev slapd ldap-utils
	# the mail-probe tests' mute and wrong-greeting listeners, the ad-fixup fixture
	# generator and fake directory
	python3
	# tests/cluster: ocf:heartbeat:Filesystem needs modprobe (python3 above: the mail client)
	kmod
	# man pages from the agents' meta-data; the Debian package (tests/package/deb.sh)
	xsltproc debhelper dpkg-dev fakeroot lintian man-db
)
POLICY=/usr/sbin/policy-rc.d

if ((EUID != 0)); then
	echo "setup-debian.sh: run as root (sudo $0)" >&2
	exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	echo "setup-debian.sh: all ${#PACKAGES[@]} packages are installed"
	exit 0
fi
echo "setup-debian.sh: installing ${missing[*]}"

if [[ ! -e $POLICY ]]; then
	# Ours only for the install; removed however it ends.
	trap 'rm -f "$POLICY"' EXIT
	printf '#!/bin/sh\n# exha setup-debian.sh: no daemon starts while installing\nexit 101\n' >"$POLICY"
	chmod 755 "$POLICY"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
