#!/bin/bash
# One cluster node "booting": run by tests/cluster/lib.sh as
#   ip netns exec <ns> unshare --mount --uts --propagation private node.sh NAME DIR DEST
# in the node's own network namespace and fresh mount and UTS namespaces.
# DIR holds the node's private state (copies of /etc/corosync,
# /var/lib/pacemaker, ...); DEST is the build's DESTDIR install, whose agents
# and daemons the node sees at the system paths, so that two builds (or the
# host's own install) never mix. Starts corosync -f, then pacemakerd -f, and
# stays as the node's "init": the harness enters the node through this PID.
set -eu
name=$1 dir=$2 dest=$3

hostname "$name"
readlink /proc/self/ns/mnt >"$dir/mntns"
# The node's own runtime and state: nothing of the host's shows through.
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# The switching disk's mount point, private to the node.
mount -t tmpfs -o mode=0755 tmpfs /srv
mkdir -p /srv/mail /run/crm /run/corosync /run/dovecot /run/lock
chown hacluster:haclient /run/crm
for d in etc/corosync var/lib/corosync var/lib/pacemaker var/log/pacemaker \
	var/log/corosync etc/postfix var/lib/postfix etc/dovecot var/lib/dovecot; do
	[ -d "$dir/$d" ] || continue
	mount --bind "$dir/$d" "/$d"
done
# The node's own paths to the shared disks and the lease image (its own
# loop devices), under the names every node uses; a disk's mount point.
if [ -d "$dir/disks" ]; then
	mkdir -p /run/cluster-disk
	for f in "$dir"/disks/*; do
		[ -s "$f" ] || continue
		ln -s "$(cat "$f")" "/run/cluster-disk/${f##*/}"
		[ "${f##*/}" = lease ] || mkdir -p "/srv/${f##*/}"
	done
fi
# A second mail instance's configuration and state (a group of
# tests/cluster/drill-3node.sh): the host has no /etc/postfix-b to bind over.
if [ -d "$dir/mail-b" ]; then
	mkdir -p /run/mail-b /run/dovecot-b
	mount --bind "$dir/mail-b" /run/mail-b
fi
# The build's agents, daemons and the harness's fence agent over the system
# paths (read-only overlays: the host's files stay visible beneath).
ocf=/usr/lib/ocf/resource.d
[ -d "$dest$ocf" ] && mount -t overlay overlay -o "lowerdir=$dest$ocf:$ocf" "$ocf"
[ -d "$dest/usr/local" ] && mount -t overlay overlay -o "lowerdir=$dest/usr/local:/usr/local" /usr/local
[ -d "$dir/sbin" ] && mount -t overlay overlay -o "lowerdir=$dir/sbin:/usr/sbin" /usr/sbin

export PCMK_logfile=/var/log/pacemaker/pacemaker.log
corosync -f >"$dir/corosync.out" 2>&1 &
echo $! >"$dir/corosync.pid"
i=0
until corosync-cfgtool -s >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "corosync did not start" >&2; exit 1; }
	sleep 0.05
done
pacemakerd -f >"$dir/pacemakerd.out" 2>&1 &
echo $! >"$dir/pacemakerd.pid"
echo up >"$dir/booted"
# The node's init from here on: a child subreaper, so that the daemons that
# forked away from their init scripts are reparented to this process and
# reaped the moment they exit, as systemd reaps them on a real node. The
# host's PID 1 reaps orphans lazily (a second or more): a stopped or killed
# daemon lingered as a zombie, and whatever waits for its pid to go
# (start-stop-daemon's stop, Dovecot's "already running" check) waited for
# that, in the stock group and in exha's alike. Ends, as `wait` did, once
# corosync and pacemakerd are gone.
exec "$(command -v /usr/bin/python3 || command -v python3)" -c '
import ctypes, os
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
    except InterruptedError:
        pass
'
