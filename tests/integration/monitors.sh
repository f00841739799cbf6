#!/bin/bash
# The health monitors and cluster alerts against a real corosync + Pacemaker:
# one node (network, mount and UTS namespaces), a peer namespace across a
# veth for link and reachability, a loop device over a FUSE-served file for
# disk liveness. About a minute; the cluster start is most of it.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../monitors/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }

PEER="${MON_PREFIX}-peer"
# Two nodes on one link (192.0.2.0/24), so that an alert crosses between them.
node_create n1 && node_create n2 || { not_ok "create the nodes"; summary; exit 1; }
ip link add c1 netns "$(node_ns n1)" type veth peer name c2 netns "$(node_ns n2)"
ip -n "$(node_ns n1)" addr add 192.0.2.1/24 dev c1 && ip -n "$(node_ns n1)" link set c1 up
ip -n "$(node_ns n2)" addr add 192.0.2.2/24 dev c2 && ip -n "$(node_ns n2)" link set c2 up
ip netns add "$PEER" && on_cleanup ip netns del "$PEER"
ip -n "$PEER" link set lo up
veth_pair n1 mon0 198.51.100.1/24 "$PEER" mon0p 198.51.100.2/24
ip -n "$PEER" addr add 198.51.100.3/24 dev mon0p
check "a two-node cluster comes up" nodes_start "n1:192.0.2.1 n2:192.0.2.2"

# --- link-monitor ------------------------------------------------------------
test_link_monitor() {
	local t0 t1 pid
	clone_create n1 link link-monitor 2s interfaces=mon0 dampen=3s
	check "link-monitor publishes exha-link=1 once started" wait_until 30000 attr_is n1 exha-link 1

	check "the CIB has exha-link=1 after the dampening delay" wait_until 10000 cib_attr_is n1 exha-link 1

	# Polling attrd from here costs more than the latency measured (each
	# attrd_updater is a libcrmcommon start-up): take attrd's own log time of
	# the change instead, to the millisecond. Three link losses; the median
	# counts, so one scheduling hiccup on a loaded CI machine does not.
	# The kernel sends link notifications from its linkwatch work, at most
	# once a second for a physical NIC (and a veth whose peer has the same
	# index in its namespace): each loss comes a second after the last
	# change, as a real one would, not inside the kernel's batching window.
	local lat=() i t_up=0
	for i in 1 2 3; do
		wait_until 2000 since_ms_at_least "$t_up" 1100
		t0=$(date +%s%3N)
		ip -n "$PEER" link set mon0p down
		if ! wait_until 5000 attr_is n1 exha-link 0; then
			not_ok "a lost carrier sets exha-link=0 (try $i)"
			ip -n "$PEER" link set mon0p up
			break
		fi
		t1=$(log_ms n1 "Setting exha-link\\[n1\\]: 1 -> 0")
		lat+=($((t1 - t0)))
		[ "$i" -eq 1 ] && check "the CIB keeps the old value while dampening (3 s)" cib_attr_is n1 exha-link 1
		ip -n "$PEER" link set mon0p up
		t_up=$(date +%s%3N)
		wait_until 5000 attr_is n1 exha-link 1 || { not_ok "the carrier back sets exha-link=1"; break; }
	done
	ok "a lost carrier sets exha-link=0, three times"
	local median
	median=$(printf '%s\n' "${lat[@]}" | sort -n | sed -n 2p)
	echo "# link loss reached attrd after ${lat[*]} ms (median ${median:-?})"
	check "attrd has exha-link=0 within 100 ms of a link loss (median ${median:-?} ms)" \
		[ -n "$median" ] && [ "$median" -le 100 ]
	check "the CIB follows once dampening is over" wait_until 8000 cib_attr_is n1 exha-link 1

	pid=$(daemon_pid n1 link)
	check "the daemon is recorded" [ -n "$pid" ]
	kill -KILL "$pid"
	check "Pacemaker restarts a daemon that died (its monitor fails)" \
		wait_until 20000 daemon_replaced n1 link "$pid"
	check "the restarted daemon publishes again" wait_until 20000 attr_is n1 exha-link 1
	pid=$(daemon_pid n1 link)

	resource_stop n1 link
	check "stop removes the attribute" wait_until 20000 attr_unset n1 exha-link
	check "stop ends the daemon" wait_until 5000 bash -c "! kill -0 $pid 2>/dev/null"
}

test_link_parameters() {
	assert_rc 6 "link-monitor: a bad interface name is OCF_ERR_CONFIGURED" \
		ocf n1 link-monitor validate-all "interfaces=bad/name"
	assert_rc 6 "link-monitor: missing interfaces is OCF_ERR_CONFIGURED" \
		ocf n1 link-monitor validate-all
	assert_rc 6 "link-monitor: a bad dampen is OCF_ERR_CONFIGURED" \
		ocf n1 link-monitor start interfaces=mon0 dampen=soon
	assert_rc 0 "link-monitor check: every interface up exits 0" \
		ocf n1 link-monitor check interfaces="mon0 lo"
	assert_rc 1 "link-monitor check: a missing interface exits 1" \
		ocf n1 link-monitor check interfaces="mon0 nosuch0"
	assert_rc 7 "link-monitor: monitor on a stopped instance is OCF_NOT_RUNNING" \
		env OCF_RESOURCE_INSTANCE=never-started \
		nsenter -t "${HOLDER[n1]}" -n -m -u env OCF_RESKEY_interfaces=mon0 \
		/usr/lib/ocf/resource.d/exha/link-monitor monitor
}

# --- reach-monitor ------------------------------------------------------------
test_reach_monitor() {
	clone_create n1 reach reach-monitor 5s "targets=198.51.100.2 198.51.100.3" \
		interval=1 count=2 timeout=500 dampen=1s
	check "reach-monitor publishes exha-reach=2 with both targets answering" \
		wait_until 30000 attr_is n1 exha-reach 2
	ip -n "$PEER" addr del 198.51.100.3/24 dev mon0p
	check "an unreachable target lowers the score to 1" wait_until 5000 attr_is n1 exha-reach 1
	ip -n "$PEER" addr add 198.51.100.3/24 dev mon0p
	check "the target back raises it to 2" wait_until 5000 attr_is n1 exha-reach 2
	ip -n "$PEER" link set mon0p down
	check "a lost link makes every target unreachable: 0" wait_until 5000 attr_is n1 exha-reach 0
	ip -n "$PEER" link set mon0p up
	check "the link back restores 2" wait_until 8000 attr_is n1 exha-reach 2
	resource_stop n1 reach
	check "stop removes exha-reach" wait_until 20000 attr_unset n1 exha-reach
	assert_rc 6 "reach-monitor: a name instead of an address is OCF_ERR_CONFIGURED" \
		ocf n1 reach-monitor validate-all targets=gateway.example
	assert_rc 6 "reach-monitor: timeout not shorter than interval is OCF_ERR_CONFIGURED" \
		ocf n1 reach-monitor validate-all targets=198.51.100.2 interval=1 timeout=1000
	assert_rc 0 "reach-monitor check: every target answering exits 0" \
		ocf n1 reach-monitor check "targets=198.51.100.2 198.51.100.3" timeout=500
	assert_rc 1 "reach-monitor check: a silent target exits 1" \
		ocf n1 reach-monitor check "targets=198.51.100.2 198.51.100.9" timeout=300
}

# --- disk-monitor -------------------------------------------------------------
# No device-mapper in every CI kernel: a loop device over a file served by
# hangfs (FUSE) hangs when hangfs is stopped (SIGSTOP), answers on SIGCONT.
test_disk_monitor() {
	local hang=$MON_TMP/hangfs mnt=$MON_TMP/fuse hpid loopdev t0 t1
	if ! cc -o "$hang" "$here/../helpers/hangfs.c" $(pkg-config --cflags --libs fuse3); then
		not_ok "build the hangfs helper (needs libfuse3-dev)"
		return
	fi
	mkdir -p "$mnt"
	# Not through on(): $! must be hangfs itself (nsenter execs it), not a subshell.
	nsenter -t "${HOLDER[n1]}" -n -m -u "$hang" -f -s "$mnt" >/dev/null 2>&1 &
	hpid=$!
	on_cleanup kill -KILL "$hpid"
	on_cleanup on n1 umount -l "$mnt"
	on_cleanup kill -CONT "$hpid"
	wait_until 5000 on n1 test -e "$mnt/disk" || { not_ok "hangfs serves its disk"; return; }
	loopdev=$(on n1 losetup -f --show "$mnt/disk") || { not_ok "a loop device over hangfs"; return; }
	on_cleanup losetup -d "$loopdev"
	on_cleanup kill -CONT "$hpid"

	clone_create n1 disk disk-monitor 5s "devices=$loopdev" interval=1 timeout=500 dampen=1s
	check "disk-monitor publishes exha-disk=1 for a device that answers" \
		wait_until 30000 attr_is n1 exha-disk 1
	t0=$(date +%s%3N)
	kill -STOP "$hpid"
	check "a hung device sets exha-disk=0" wait_until 5000 attr_is n1 exha-disk 0
	t1=$(log_ms n1 "Setting exha-disk\\[n1\\]: 1 -> 0")
	echo "# hung device reported after $((t1 - t0)) ms (interval 1 s + timeout 0.5 s)"
	check "... within interval + timeout ($((t1 - t0)) ms <= 1500 ms + 500 ms slack)" \
		[ $((t1 - t0)) -le 2000 ]
	kill -CONT "$hpid"
	check "the device answering again sets exha-disk=1" wait_until 5000 attr_is n1 exha-disk 1
	kill -STOP "$hpid"
	wait_until 5000 attr_is n1 exha-disk 0
	resource_stop n1 disk
	check "stop works while a read hangs (attribute removed)" wait_until 20000 attr_unset n1 exha-disk
	check "stop works while a read hangs (daemon gone)" wait_until 5000 bash -c "! nsenter -t ${HOLDER[n1]} -m sh -c 'cat /run/exha/disk*/daemon' 2>/dev/null | grep -q ."
	kill -CONT "$hpid"
	assert_rc 6 "disk-monitor: a relative device path is OCF_ERR_CONFIGURED" \
		ocf n1 disk-monitor validate-all devices=sdb
	assert_rc 0 "disk-monitor check: a device that answers exits 0" \
		ocf n1 disk-monitor check "devices=$loopdev" timeout=500
	assert_rc 1 "disk-monitor check: a missing device exits 1" \
		ocf n1 disk-monitor check "devices=/dev/nonexistent" timeout=500
}

# --- cluster alerts ------------------------------------------------------------
test_alerts() {
	local listen_out="$MON_TMP/listen.out" lpid text="Failed to connect the switched disk partition"
	clone_create n1 alerts alert-listener 10s
	check "the alert listener runs on n1" wait_until 30000 daemon_pid n1 alerts
	check "the alert listener runs on n2" wait_until 30000 daemon_pid n2 alerts
	on n1 exha-alert --listen --count 1 -t 30 >"$listen_out" 2>&1 &
	lpid=$!
	# Three members of the alert group: both daemons and this listener.
	check "the listeners have joined the alert group" wait_until 10000 cpg_members_are n1 3
	assert_rc 0 "exha-alert sends from n2" on n2 exha-alert -s critical -S "switching-disk(disk)" "$text"
	check "n2's alert is logged on n1 with its origin" wait_until 10000 grep -q \
		"critical alert from node 'n2' (switching-disk(disk)): $text" "$MON_TMP/n1/log/pacemaker.log"
	check "n2's alert is logged on n2 too" wait_until 10000 grep -q \
		"critical alert from node 'n2' (switching-disk(disk)): $text" "$MON_TMP/n2/log/pacemaker.log"
	wait "$lpid"
	check "exha-alert --listen prints it" grep -q "from node 'n2'.*: $text" "$listen_out"
	ip -n "$PEER" addr add 198.51.100.50/24 dev mon0p
	assert_rc 1 "floating-ip refuses an address another host holds" \
		ocf n1 floating-ip start ip=198.51.100.50 cidr_netmask=24 nic=mon0
	check "the refused conflict is alerted on the other node" wait_until 10000 grep -q \
		"critical alert from node 'n1' (floating-ip(floating-ip)): 198.51.100.50 is already in use by .* refused to start" \
		"$MON_TMP/n2/log/pacemaker.log"
	ip -n "$PEER" addr del 198.51.100.50/24 dev mon0p
	assert_rc 2 "exha-alert refuses an empty message" on n1 exha-alert
	assert_rc 2 "exha-alert refuses an unknown severity" on n1 exha-alert -s dire "text"
	assert_rc 1 "exha-alert outside a cluster fails: corosync is not running" exha-alert "text"
	resource_stop n1 alerts
}

test_link_monitor
test_link_parameters
test_reach_monitor
test_disk_monitor
test_alerts

node_stop n2
node_stop n1
summary
