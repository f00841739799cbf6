#!/usr/bin/env bash
#
# PID 1 of a test's private systemd: run by `unshare --pid --fork --mount
# --uts --net --cgroup` (see sd_ns_boot in tests/lib/systemd-ns.sh), it
# prepares a mount namespace of its own and execs systemd booting only
# exha-t.target from the unit directory given as $1.
#
# Why every mount: /proc for the new PID namespace; /run so systemd's
# sockets, the D-Bus socket, the agent's state and the test's units stay
# private; /tmp, /var/tmp, /var/log and /var/lib/systemd because anything of
# the host's boot that slipped through (systemd-tmpfiles --remove --boot
# empties /tmp; journald writes /var/log/journal) must hit a scratch tmpfs,
# never the host; a cgroup2 at /sys/fs/cgroup, which systemd needs writable
# (rooted by --cgroup at the test's own cgroup, removed by the test).
# It logs nowhere: PID 1 writes to /dev/console, which is not the test's.
set -euo pipefail

units=$1
mount --make-rprivate /
mount -t proc proc /proc
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/systemd/system
cp -P "$units"/* /run/systemd/system/
for d in /tmp /var/tmp /var/log /var/lib/systemd; do
	mount -t tmpfs -o mode=0755 tmpfs "$d"
done
chmod 1777 /tmp /var/tmp
mount -t tmpfs -o mode=0755 tmpfs /sys/fs/cgroup
mount -t cgroup2 cgroup2 /sys/fs/cgroup
exec /lib/systemd/systemd --system --unit=exha-t.target --log-target=null --show-status=false
