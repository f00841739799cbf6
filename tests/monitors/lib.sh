#!/bin/bash
# A minimal Pacemaker cluster in namespaces for the monitor tests: each
# "node" is a network + mount + UTS namespace with its own hostname, its own
# copies of corosync's and Pacemaker's state and runtime directories
# (tmpfs over /run, /dev/shm, /var/lib/pacemaker, ...), running corosync -f
# (knet over a veth on 192.0.2.0/24) and pacemakerd. To be unified with the
# cluster issue's harness (branch cluster) once that lands.
#
# Everything made is registered for cleanup, which runs on exit however the
# test ends; processes are only ever killed by the PIDs of this test's own
# namespaces.

set -u

PASS=0
FAIL=0
SKIP=0
CLEANUPS=()
MON_TMP=$(mktemp -d /tmp/exha-mon-XXXXXX)
MON_PREFIX="exhamon$$"

ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
skip() { SKIP=$((SKIP + 1)); echo "ok - $* # SKIP"; }
diag() { echo "# $*"; }
check() { # check "description" command...
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
assert_rc() { # assert_rc expected "description" command...
	local want=$1 desc=$2 rc
	shift 2
	"$@" >"$MON_TMP/last.out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc (rc $rc, expected $want)"
		sed 's/^/#   /' "$MON_TMP/last.out" | tail -5
	fi
}
summary() {
	if [ "$SKIP" -gt 0 ]; then
		echo "$PASS passed, $FAIL failed, $SKIP skipped"
	else
		echo "$PASS passed, $FAIL failed"
	fi
	[ "$FAIL" -eq 0 ]
}

on_cleanup() { CLEANUPS+=("$*"); }
run_cleanups() {
	local i
	for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${CLEANUPS[$i]}" >/dev/null 2>&1 || true
	done
	rm -rf --one-file-system "$MON_TMP"
}
trap run_cleanups EXIT
trap 'exit 130' INT TERM

# Milliseconds of CLOCK_MONOTONIC-ish wall time (for latency figures only).
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# since_ms_at_least T MS: at least MS milliseconds have passed since T (epoch ms).
since_ms_at_least() { [ $(($(date +%s%3N) - $1)) -ge "$2" ]; }

# wait_until TIMEOUT_MS command...: poll (10 ms apart) until it succeeds.
wait_until() {
	local end=$(($(now_ms) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		read -r -t 0.01 <> <(:) || true
	done
}

# --- nodes -----------------------------------------------------------------

declare -A HOLDER # node -> pid of the process holding its mount/UTS namespaces

node_ns() { echo "${MON_PREFIX}-$1"; }
# Run a command on a node (its network, mount and UTS namespaces).
on() {
	local node=$1
	shift
	nsenter -t "${HOLDER[$node]}" -n -m -u -- "$@"
}

# Kill what runs in a node's network namespace (this test made it), then remove it.
node_destroy() {
	local ns pids
	ns=$(node_ns "$1")
	pids=$(ip netns pids "$ns" 2>/dev/null)
	[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
	ip netns del "$ns" 2>/dev/null
}

# node_create NAME: namespaces, hostname, private state directories.
node_create() {
	local node=$1 ns dir
	ns=$(node_ns "$node")
	dir="$MON_TMP/$node"
	mkdir -p "$dir"/{etc-corosync,var-lib-corosync,var-lib-pacemaker,log}
	mkdir -p "$dir"/var-lib-pacemaker/{cib,pengine,blackbox,cores}
	chown -R hacluster:haclient "$dir"/var-lib-pacemaker "$dir"/log
	ip netns add "$ns" || return 1
	on_cleanup node_destroy "$node"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" unshare --mount --uts --propagation private \
		bash -c 'hostname "$1"; d=$2
		mount -t tmpfs -o mode=0755 tmpfs /run
		mkdir -p /run/crm /run/corosync && chown hacluster:haclient /run/crm
		mount -t tmpfs -o mode=1777 tmpfs /dev/shm
		mount --bind "$d/etc-corosync" /etc/corosync
		mount --bind "$d/var-lib-corosync" /var/lib/corosync
		mount --bind "$d/var-lib-pacemaker" /var/lib/pacemaker
		mkdir -p /var/log/pacemaker /var/log/corosync
		mount --bind "$d/log" /var/log/pacemaker
		mount --bind "$d/log" /var/log/corosync
		exec sleep infinity' holder "$node" "$dir" &
	HOLDER[$node]=$!
	disown # cleanup kills it: no job-control notice then
	wait_until 5000 holder_ready "${HOLDER[$node]}"
}

# The holder has finished its set-up once it has become sleep.
holder_ready() { [ "$(readlink "/proc/$1/exe")" = "$(readlink -f /usr/bin/sleep)" ]; }

# corosync_conf NODE "name1:addr1 name2:addr2 ...": one ring over knet.
corosync_conf() {
	local node=$1 members=$2 id=0 m
	{
		printf 'totem {\n version: 2\n cluster_name: exhamon\n transport: knet\n'
		printf ' crypto_cipher: none\n crypto_hash: none\n token: 1000\n}\n'
		printf 'nodelist {\n'
		for m in $members; do
			id=$((id + 1))
			printf ' node {\n  name: %s\n  nodeid: %d\n  ring0_addr: %s\n }\n' "${m%%:*}" "$id" "${m#*:}"
		done
		printf '}\nquorum {\n provider: corosync_votequorum\n'
		[ "$id" -eq 2 ] && printf ' two_node: 1\n'
		printf '}\nlogging {\n to_logfile: yes\n logfile: /var/log/corosync/corosync.log\n'
		printf ' to_syslog: no\n to_stderr: no\n timestamp: on\n}\n'
	} >"$MON_TMP/$node/etc-corosync/corosync.conf"
}

cluster_ready() { # NODE COUNT: the node sees a DC and COUNT nodes online
	local out
	out=$(on "$1" crm_mon -1 2>/dev/null) || return 1
	echo "$out" | grep -q "Current DC: .* - partition" &&
		[ "$(echo "$out" | sed -n 's/.*Online: \[ \(.*\) \]/\1/p' | wc -w)" -eq "$2" ]
}

# A first CIB with the test settings, so that the DC is elected in seconds
# (dc-deadtime) and resources start without a fencing device.
cib_seed() {
	cat >"$MON_TMP/$1/var-lib-pacemaker/cib/cib.xml" <<'XML'
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
        <nvpair id="opt-deadtime" name="dc-deadtime" value="2s"/>
        <nvpair id="opt-quorum" name="no-quorum-policy" value="ignore"/>
        <nvpair id="opt-recheck" name="cluster-recheck-interval" value="1min"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
XML
	chown hacluster:haclient "$MON_TMP/$1/var-lib-pacemaker/cib/cib.xml"
	chmod 0600 "$MON_TMP/$1/var-lib-pacemaker/cib/cib.xml"
}

# nodes_start MEMBERS ("n1:addr1 n2:addr2"): corosync on every node, then
# pacemakerd on every node; waits (up to 60 s) until each sees a DC and all members online.
nodes_start() {
	local members=$1 m node
	for m in $members; do
		node=${m%%:*}
		corosync_conf "$node" "$members"
		cib_seed "$node"
		on "$node" corosync -f >/dev/null 2>&1 &
	done
	for m in $members; do
		wait_until 15000 on "${m%%:*}" corosync-cfgtool -s || return 1
	done
	for m in $members; do
		on "${m%%:*}" env PCMK_logfile=/var/log/pacemaker/pacemaker.log pacemakerd \
			>/dev/null 2>&1 &
	done
	for m in $members; do
		wait_until 60000 cluster_ready "${m%%:*}" "$(echo $members | wc -w)" || return 1
	done
}

# Stop Pacemaker, then corosync, by the PIDs in the node's namespace.
node_stop() {
	local node=$1 ns pid
	ns=$(node_ns "$node")
	for pid in $(ip netns pids "$ns"); do
		[ "$(cat /proc/$pid/comm 2>/dev/null)" = pacemakerd ] && kill -TERM "$pid"
	done
	wait_until 30000 bash -c "! ip netns pids $ns | xargs -r -n1 -I{} cat /proc/{}/comm 2>/dev/null | grep -q pacemaker"
	for pid in $(ip netns pids "$ns"); do
		[ "$(cat /proc/$pid/comm 2>/dev/null)" = corosync ] && kill -TERM "$pid"
	done
	wait_until 10000 bash -c "! ip netns pids $ns | xargs -r -n1 -I{} cat /proc/{}/comm 2>/dev/null | grep -q corosync"
}

# attr_get NODE NAME: attrd's current value (empty when unset).
attr_get() {
	on "$1" attrd_updater -Q -N "$1" -n "$2" 2>/dev/null | sed -n 's/.*value="\([^"]*\)".*/\1/p'
}
attr_is() { [ "$(attr_get "$1" "$2")" = "$3" ]; }

# veth_pair NODE_A IF_A ADDR_A NS_B IF_B ADDR_B (ADDR may be "" for none).
veth_pair() {
	local a=$1 ifa=$2 addra=$3 nsb=$4 ifb=$5 addrb=$6
	ip link add "$ifa" netns "$(node_ns "$a")" type veth peer name "$ifb" netns "$nsb" || return 1
	ip -n "$(node_ns "$a")" link set "$ifa" up
	ip -n "$nsb" link set "$ifb" up
	[ -n "$addra" ] && ip -n "$(node_ns "$a")" addr add "$addra" dev "$ifa"
	[ -n "$addrb" ] && ip -n "$nsb" addr add "$addrb" dev "$ifb"
	return 0
}

# clone_create NODE ID AGENT MONITOR_INTERVAL k=v...: a cloned ocf:exha resource.
clone_create() {
	local node=$1 id=$2 agent=$3 interval=$4 kv xml
	shift 4
	xml="<clone id=\"$id-clone\"><primitive id=\"$id\" class=\"ocf\" provider=\"exha\" type=\"$agent\">"
	xml+="<instance_attributes id=\"$id-ia\">"
	for kv in "$@"; do
		xml+="<nvpair id=\"$id-ia-${kv%%=*}\" name=\"${kv%%=*}\" value=\"${kv#*=}\"/>"
	done
	xml+="</instance_attributes><operations>"
	xml+="<op id=\"$id-mon\" name=\"monitor\" interval=\"$interval\" timeout=\"20s\"/>"
	xml+="</operations></primitive></clone>"
	on "$node" cibadmin --create -o resources -X "$xml"
}

# resource_stop NODE ID: target-role=Stopped on the clone.
resource_stop() {
	on "$1" crm_resource -r "$2-clone" --meta -p target-role -v Stopped >/dev/null
}

# The daemon's pid as the agent recorded it (instance: a clone's "<id>:0" or "<id>").
daemon_pid() {
	local rec
	# An anonymous clone's instance is "<id>" or "<id>:<n>" depending on the version.
	rec=$(on "$1" sh -c "cat /run/exha/$2/daemon /run/exha/$2:*/daemon 2>/dev/null")
	[ -n "$rec" ] && echo "${rec%% *}"
}
# The daemon was restarted: its recorded pid is no longer $3.
daemon_replaced() { local p; p=$(daemon_pid "$1" "$2") && [ "$p" != "$3" ]; }
attr_unset() { [ -z "$(attr_get "$1" "$2")" ]; }
cib_attr_is() { [ "$(on "$1" crm_attribute -N "$1" -n "$2" -l reboot -G -q 2>/dev/null)" = "$3" ]; }

# log_ms NODE PATTERN: the time (epoch ms) of the last Pacemaker log line matching PATTERN.
log_ms() {
	local line
	line=$(grep -E "$2" "$MON_TMP/$1/log/pacemaker.log" | tail -n 1)
	[ -n "$line" ] || return 1
	date -d "$(echo "$line" | cut -c1-19)" +%s%3N
}

# ocf NODE AGENT ACTION [k=v...]: run an installed agent by hand, as Pacemaker would.
ocf() {
	local node=$1 agent=$2 action=$3 kv envs=()
	shift 3
	for kv in "$@"; do envs+=("OCF_RESKEY_$kv"); done
	on "$node" env OCF_ROOT=/usr/lib/ocf "${envs[@]}" "/usr/lib/ocf/resource.d/exha/$agent" "$action"
}

# cpg_members_are NODE N: the exha-alert CPG group has N members.
cpg_members_are() {
	[ "$(on "$1" corosync-cpgtool -g exha-alert 2>/dev/null | grep -c 'node')" -eq "$2" ] ||
		[ "$(on "$1" corosync-cpgtool 2>/dev/null | awk '/exha-alert/{f=1;next} /^[^ \t]/{f=0} f&&/[0-9]/' | wc -l)" -eq "$2" ]
}
