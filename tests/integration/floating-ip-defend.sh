#!/usr/bin/env bash
#
# ocf:exha:floating-ip on the wire once the address is up (issue 15):
# verify (a neighbour must answer the address after start) and defend (a
# claim of the address by another host is answered once; a second within
# 10 s loses it). Two network namespaces joined by a veth pair; the peer
# also plays the gateway, and a small program there claims the address.
#
#   node eth0 192.0.2.1/24 2001:db8::1/64 ---- peer eth0 192.0.2.2/24 2001:db8::2/64
#                                                   gateway 192.0.2.254, 2001:db8::fe
#
# The alert case runs a one-node corosync in a mount and UTS namespace of
# its own over the node's network namespace (run under flock
# /tmp/exha-heavy.lock by hand: tests/run-all runs stages one at a time;
# FIP_DEFEND_ALERT=0 skips it).
# shellcheck disable=SC2317 # helpers run through check and wait_until
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require ip strace corosync corosync-cfgtool nsenter unshare
require_agent

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLAIMER="$HERE/../helpers/fip-claimer.py"
DEST=${EXHA_DESTDIR:-${EXHA_AGENT_DIR%/usr/lib/ocf/resource.d/exha}}

setup_topology() {
	ns_new NODE node
	ns_new PEER peer
	veth_new "$NODE" eth0 "$PEER" eth0
	ip -n "$NODE" addr add 192.0.2.1/24 dev eth0
	ip -n "$NODE" addr add 2001:db8::1/64 dev eth0 nodad
	ip -n "$PEER" addr add 192.0.2.2/24 dev eth0
	ip -n "$PEER" addr add 192.0.2.254/24 dev eth0
	ip -n "$PEER" addr add 2001:db8::2/64 dev eth0 nodad
	ip -n "$PEER" addr add 2001:db8::fe/64 dev eth0 nodad
	NODE_MAC=$(if_mac "$NODE" eth0)
	PEER_MAC=$(if_mac "$PEER" eth0)
	wait_until 10 link_is_up "$NODE" eth0
	wait_until 10 link_is_up "$PEER" eth0
	PEER_LL=$(ip -n "$PEER" -6 -o addr show dev eth0 scope link | awk '{ print $4 }')
	PEER_LL=${PEER_LL%/*}
	check "the peer has its link-local address (not tentative)" \
		wait_until 10 peer_ll_ready
	diag "node $NODE eth0 $NODE_MAC, peer $PEER eth0 $PEER_MAC $PEER_LL"
}

peer_ll_ready() {
	[[ -n $PEER_LL ]] && ! ip -n "$PEER" -6 -o addr show dev eth0 scope link | grep -q tentative
}

# A process that exists and is not a zombie.
proc_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

state_file() {
	printf '%s/%s/%s' "$EXHA_RUNDIR" "$AGENT_INSTANCE" "$1"
}

# The defender's pid from one of its records (empty when none).
defender_pid() {
	local f pid
	for f in defender defender.self; do
		[[ -f $(state_file "$f") ]] || continue
		read -r pid _ <"$(state_file "$f")"
		printf '%s' "$pid"
		return 0
	done
}

# The defender holds /dev/null, its packet socket and the state directory only.
defender_fds_are_its_own() {
	local pid=$1 fd target want
	for fd in /proc/"$pid"/fd/*; do
		target=$(readlink "$fd") || continue
		case ${fd##*/} in
		0 | 1 | 2) want=/dev/null ;;
		3) want='socket:*' ;;
		4) want="$EXHA_RUNDIR/$AGENT_INSTANCE" ;;
		*) want="" ;;
		esac
		printf 'fd %s -> %s\n' "${fd##*/}" "$target"
		# shellcheck disable=SC2053 # want is a pattern
		[[ -n $want && $target == $want ]] || return 1
	done
}

# Nothing of the resource is left: no defender record, no note, no process.
nothing_left() {
	local f
	for f in defender defender.self defender.lost announcer; do
		[[ ! -e $(state_file "$f") ]] || {
			echo "$(state_file "$f") is left"
			return 1
		}
	done
	ns_no_processes "$NODE"
}

# How many defenders run in the node's namespace.
defenders() {
	local pid n=0
	for pid in $(ip netns pids "$NODE"); do
		[[ $(cat "/proc/$pid/comm" 2>/dev/null) == exha-fip-defend ]] && n=$((n + 1))
	done
	printf '%d' "$n"
}

# claimer_start <ip> <claims> <interval_ms>: the peer's claimer, listening.
claimer_start() {
	CLAIM_READY="$T_TMP/claimer.$1.ready"
	CLAIM_LOG="$T_TMP/claimer.$1.log"
	rm -f "$CLAIM_READY" "$CLAIM_READY.go" "$CLAIM_LOG"
	ip netns exec "$PEER" /usr/bin/python3 "$CLAIMER" eth0 "$1" "$2" "$3" \
		"$CLAIM_READY" "$CLAIM_LOG" </dev/null >/dev/null 2>&1 &
	CLAIM_PID=$!
	defer kill -9 "$CLAIM_PID"
	wait_until 10 test -s "$CLAIM_READY"
}

claimer_go() {
	: >"$CLAIM_READY.go"
}

claimer_stop() {
	kill -9 "$CLAIM_PID" 2>/dev/null || true
	wait "$CLAIM_PID" 2>/dev/null || true
}

# agent_rc_is <rc> <agent args...>: for wait_until.
agent_rc_is() {
	local want=$1 rc=0
	shift
	agent "$@" >/dev/null 2>&1 || rc=$?
	((rc == want))
}

# ------------------------------------------------------------------ verify

case_verify_answers() {
	local p
	test_case "verify=gateway, IPv4: the gateway answers"
	ip -n "$NODE" route replace default via 192.0.2.254 dev eth0
	p=(ip=192.0.2.10 nic=eth0 verify=gateway)
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_contains "$T_ERR" "192.0.2.254 answered 192.0.2.10 in " "the latency is logged"
	diag "$(grep -o '192.0.2.254 answered.*' <<<"$T_ERR")"
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	assert_rc 0 agent "$NODE" stop "${p[@]}"

	test_case "verify=<address>, IPv4: the peer answers"
	p=(ip=192.0.2.11 nic=eth0 verify=192.0.2.2)
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_contains "$T_ERR" "192.0.2.2 answered 192.0.2.11 in " "the latency is logged"
	assert_rc 0 agent "$NODE" stop "${p[@]}"

	test_case "verify=gateway, IPv6: the gateway answers"
	ip -n "$NODE" -6 route replace default via 2001:db8::fe dev eth0
	p=(ip=2001:db8::10 nic=eth0 verify=gateway)
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_contains "$T_ERR" "2001:db8::fe answered 2001:db8::10 in " "the latency is logged"
	diag "$(grep -o '2001:db8::fe answered.*' <<<"$T_ERR")"
	assert_rc 0 agent "$NODE" stop "${p[@]}"

	test_case "verify=gateway, IPv6: a link-local gateway answers"
	ip -n "$NODE" -6 route replace default via "$PEER_LL" dev eth0
	p=(ip=2001:db8::11 nic=eth0 verify=gateway)
	assert_rc 0 agent "$NODE" start "${p[@]}"
	assert_contains "$T_ERR" "$PEER_LL answered 2001:db8::11 in " "the latency is logged"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
}

# start_fails_naming <target> <agent params...>: start fails, names the
# target, and leaves nothing (no address, no defender, no announcer).
start_fails_naming() {
	local target=$1 ip=${2#ip=}
	shift
	assert_rc 1 agent "$NODE" start "$@"
	assert_exit_reason "$target"
	check "$ip is not left on the node" ns_lacks_addr "$NODE" "$ip"
	check "no defender, announcer or note is left" wait_until 5 nothing_left
	assert_rc 7 agent "$NODE" monitor "$@"
	assert_rc 0 agent "$NODE" stop "$@"
}

case_verify_silent() {
	test_case "verify=gateway, IPv4: the gateway does not answer"
	ip -n "$NODE" route replace default via 192.0.2.253 dev eth0
	start_fails_naming 192.0.2.253 ip=192.0.2.12 nic=eth0 verify=gateway verify_timeout_ms=300

	test_case "verify=<address>, IPv4: nobody has it"
	start_fails_naming 192.0.2.77 ip=192.0.2.13 nic=eth0 verify=192.0.2.77 verify_timeout_ms=300

	test_case "verify=gateway, IPv6: the gateway does not answer"
	ip -n "$NODE" -6 route replace default via 2001:db8::fd dev eth0
	start_fails_naming 2001:db8::fd ip=2001:db8::12 nic=eth0 verify=gateway \
		verify_timeout_ms=300

	test_case "verify=gateway with no gateway through the interface"
	ip -n "$NODE" route del default
	start_fails_naming eth0 ip=192.0.2.14 nic=eth0 verify=gateway
	check "the default route is still gone" test -z "$(ip -n "$NODE" route show default)"

	test_case "verify=none (the default) asks nobody"
	assert_rc 0 agent "$NODE" start ip=192.0.2.15 nic=eth0
	assert_not_contains "$T_ERR" "answered" "nothing was verified"
	assert_rc 0 agent "$NODE" stop ip=192.0.2.15 nic=eth0
}

case_verify_params() {
	test_case "verify=somewhere"
	assert_rc 6 agent "$NODE" validate-all ip=192.0.2.16 verify=somewhere
	assert_exit_reason verify
	test_case "verify names an IPv6 neighbour for an IPv4 address"
	assert_rc 6 agent "$NODE" validate-all ip=192.0.2.16 verify=2001:db8::2
	assert_exit_reason verify IPv4
	test_case "verify names the floating IP itself"
	assert_rc 6 agent "$NODE" validate-all ip=192.0.2.16 verify=192.0.2.16
	assert_exit_reason verify
	test_case "verify_timeout_ms=0"
	assert_rc 6 agent "$NODE" start ip=192.0.2.16 verify=gateway verify_timeout_ms=0
	assert_exit_reason verify_timeout_ms
	check "nothing was added" ns_lacks_addr "$NODE" 192.0.2.16
}

# ------------------------------------------------------------------ defend

# defended_once <ip>: one claim by the peer is answered, the address stays.
defended_once() {
	local ip=$1 p pid
	p=(ip="$ip" nic=eth0 arp_count=1)
	test_case "one claim of $ip is defended"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	pid=$(defender_pid)
	check "a defender is recorded" test -n "$pid"
	[[ -n $pid ]] || return 0
	check "defender $pid runs" proc_alive "$pid"
	check "defender $pid runs the agent" \
		test "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$(agent_path)")"
	check "defender $pid holds only /dev/null, its packet socket and the state directory" \
		defender_fds_are_its_own "$pid"
	claimer_start "$ip" 1 0
	claimer_go
	check "the peer sees the node's announcement ($NODE_MAC) after its claim" \
		wait_until 10 grep -q "announce $NODE_MAC" "$CLAIM_LOG"
	claimer_stop
	check "$ip is still on the node" ns_has_addr "$NODE" "$ip/${2}" eth0
	assert_rc 0 agent "$NODE" monitor "${p[@]}"
	check "defender $pid still runs" proc_alive "$pid"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	check "defender $pid is gone after stop" wait_until 5 eval "! proc_alive $pid"
	check "nothing is left" wait_until 5 nothing_left
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
}

# lost <ip>: repeated claims lose the address: the monitor names the MAC.
lost() {
	local ip=$1 p pid
	p=(ip="$ip" nic=eth0 arp_count=1)
	test_case "repeated claims of $ip lose it"
	assert_rc 0 agent "$NODE" start "${p[@]}"
	pid=$(defender_pid)
	claimer_start "$ip" 3 300
	claimer_go
	check "the monitor fails within 10 s" wait_until 10 agent_rc_is 1 "$NODE" monitor "${p[@]}"
	assert_rc 1 agent "$NODE" monitor "${p[@]}"
	assert_exit_reason "$PEER_MAC" "$ip" lost
	check "the peer saw one defence" grep -q "announce $NODE_MAC" "$CLAIM_LOG"
	diag "the peer saw $(grep -c announce "$CLAIM_LOG") announcement(s) from the node"
	claimer_stop
	[[ -z $pid ]] || check "defender $pid has ended" wait_until 5 eval "! proc_alive $pid"
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	check "nothing is left" wait_until 5 nothing_left
	assert_rc 7 agent "$NODE" monitor "${p[@]}"
}

case_defend() {
	local pid
	defended_once 192.0.2.20 24
	defended_once 2001:db8::20 64
	lost 192.0.2.21
	lost 2001:db8::21

	test_case "defend=false starts no defender"
	assert_rc 0 agent "$NODE" start ip=192.0.2.22 nic=eth0 arp_count=1 defend=false
	check "no defender is recorded" test -z "$(defender_pid)"
	check "no process runs in the node's namespace" ns_no_processes "$NODE"
	assert_rc 0 agent "$NODE" monitor ip=192.0.2.22 nic=eth0 defend=false
	assert_rc 0 agent "$NODE" stop ip=192.0.2.22 nic=eth0 defend=false

	test_case "a defender killed behind the agent's back fails the monitor"
	assert_rc 0 agent "$NODE" start ip=192.0.2.23 nic=eth0 arp_count=1
	pid=$(defender_pid)
	[[ -n $pid ]] && kill -9 "$pid"
	check "the monitor fails" wait_until 5 agent_rc_is 1 "$NODE" monitor ip=192.0.2.23 nic=eth0
	assert_rc 1 agent "$NODE" monitor ip=192.0.2.23 nic=eth0
	assert_exit_reason defender
	assert_rc 0 agent "$NODE" start ip=192.0.2.23 nic=eth0 arp_count=1
	check "start on the started address brings a defender back" proc_alive "$(defender_pid)"
	assert_rc 0 agent "$NODE" monitor ip=192.0.2.23 nic=eth0
	assert_rc 0 agent "$NODE" stop ip=192.0.2.23 nic=eth0
	check "nothing is left" wait_until 5 nothing_left
}

# -------------------------------------------------------- an agent killed

# An agent killed while start verifies: its defender (recorded by both)
# is found by stop; a probe meanwhile starts nothing.
case_killed_mid_verify() {
	local p pid rc=0 before
	p=(ip=192.0.2.30 nic=eth0 arp_count=1 verify=192.0.2.77 verify_timeout_ms=8000)
	test_case "the agent killed -9 while start verifies"
	# ip execs env, env execs the agent: $! is the agent.
	ip netns exec "$NODE" env OCF_ROOT="$OCF_ROOT" OCF_RESOURCE_INSTANCE="$AGENT_INSTANCE" \
		"${p[@]/#/OCF_RESKEY_}" "$(agent_path)" start >/dev/null 2>&1 &
	pid=$!
	check "start forks its defender" wait_until 10 test -s "$(state_file defender)"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || rc=$?
	diag "start killed (rc $rc), defender $(defender_pid)"
	before=$(ip netns pids "$NODE" | sort)
	assert_rc 0 agent "$NODE" monitor "${p[@]}" OCF_RESKEY_CRM_meta_interval=0
	check "the probe started nothing" test "$(ip netns pids "$NODE" | sort)" = "$before"
	pid=$(defender_pid)
	assert_rc 0 agent "$NODE" stop "${p[@]}"
	[[ -z $pid ]] || check "defender $pid is gone" wait_until 5 eval "! proc_alive $pid"
	check "192.0.2.30 is gone" ns_lacks_addr "$NODE" 192.0.2.30
	check "nothing is left" wait_until 5 nothing_left
}

# The agent killed right after the fork, before it recorded the defender:
# the defender's own record is enough for stop, and for the next start.
case_killed_after_fork() {
	local p trace="$T_TMP/fork.strace" spid apid pid
	p=(OCF_RESKEY_ip=192.0.2.31 OCF_RESKEY_nic=eth0 OCF_RESKEY_arp_count=1)
	test_case "the agent killed -9 between the fork and its record"
	# The fork returns to the agent 30 s late; the defender runs meanwhile.
	ip netns exec "$NODE" env OCF_ROOT="$OCF_ROOT" OCF_RESOURCE_INSTANCE="$AGENT_INSTANCE" \
		"${p[@]}" strace -o "$trace" -e trace=clone,clone3 \
		-e inject=clone,clone3:delay_exit=30000000 "$(agent_path)" start \
		>/dev/null 2>&1 &
	spid=$!
	check "the defender records itself" wait_until 10 test -s "$(state_file defender.self)"
	apid=$(ps -o pid= --ppid "$spid" | tr -d ' ')
	check "start has not recorded it" test ! -e "$(state_file defender)"
	[[ -n $apid ]] && kill -9 "$apid"
	wait "$spid" 2>/dev/null || true
	pid=$(defender_pid)
	check "defender $pid outlived the agent" proc_alive "$pid"
	assert_rc 0 agent "$NODE" start ip=192.0.2.31 nic=eth0 arp_count=1
	check "a start on the started address keeps defender $pid" proc_alive "$pid"
	check "and only it" test "$(defenders)" -eq 1
	# Removed by hand: the defender lives on until a claim (it then ends).
	ip -n "$NODE" addr del 192.0.2.31/24 dev eth0
	assert_rc 0 agent "$NODE" start ip=192.0.2.31 nic=eth0 arp_count=1
	check "a fresh start ended the leftover defender $pid" wait_until 5 eval "! proc_alive $pid"
	check "and runs its own" proc_alive "$(defender_pid)"
	check "only one" test "$(defenders)" -eq 1
	pid=$(defender_pid)
	assert_rc 0 agent "$NODE" stop ip=192.0.2.31 nic=eth0
	check "stop ended defender $pid" wait_until 5 eval "! proc_alive $pid"
	check "nothing is left" wait_until 5 nothing_left
}

# ------------------------------------------------------------------ alert

# A one-node corosync over the node's network namespace, with its own
# /run, /dev/shm, /etc/corosync, /var/lib/corosync (a mount namespace held
# by a sleeping process), so that the defender's alert has somewhere to go.
corosync_up() {
	local dir="$T_TMP/cs"
	mkdir -p "$dir"/{etc,lib,log}
	cat >"$dir/etc/corosync.conf" <<-EOF
		totem {
		 version: 2
		 cluster_name: exhadefend
		 transport: knet
		 crypto_cipher: none
		 crypto_hash: none
		}
		nodelist {
		 node {
		  name: n1
		  nodeid: 1
		  ring0_addr: 192.0.2.1
		 }
		}
		quorum {
		 provider: corosync_votequorum
		}
		logging {
		 to_logfile: yes
		 logfile: /var/log/corosync/corosync.log
		 to_syslog: no
		 to_stderr: no
		}
	EOF
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$NODE" unshare --mount --uts --propagation private bash -c '
		d=$1; hostname n1
		mount -t tmpfs -o mode=0755 tmpfs /run
		mkdir -p /run/corosync
		mount -t tmpfs -o mode=1777 tmpfs /dev/shm
		mount --bind "$d/etc" /etc/corosync
		mount --bind "$d/lib" /var/lib/corosync
		mkdir -p /var/log/corosync
		mount --bind "$d/log" /var/log/corosync
		exec sleep infinity' holder "$dir" </dev/null >/dev/null 2>&1 &
	HOLDER=$!
	defer kill -9 "$HOLDER"
	wait_until 5 holder_ready
	on_holder corosync -f </dev/null >/dev/null 2>&1 &
	wait_until 20 on_holder corosync-cfgtool -s
}

holder_ready() {
	[[ $(readlink "/proc/$HOLDER/exe") == "$(readlink -f /usr/bin/sleep)" ]]
}

on_holder() {
	nsenter -t "$HOLDER" -n -m -u -- "$@"
}

agent_on_holder() {
	local action=$1 arg
	local -a envs=(OCF_ROOT="$OCF_ROOT" OCF_RESOURCE_INSTANCE="$AGENT_INSTANCE"
		OCF_RESKEY_CRM_meta_timeout=20000 EXHA_PLUGIN_DIR="$PLUGIN_DIR")
	shift
	for arg in "$@"; do
		envs+=("OCF_RESKEY_$arg")
	done
	on_holder env "${envs[@]}" "$(agent_path)" "$action"
}

case_alert() {
	local p=(ip=192.0.2.40 nic=eth0 arp_count=1) listen="$T_TMP/alerts" exha_alert
	test_case "a lost address raises a cluster alert at once"
	if [[ ${FIP_DEFEND_ALERT:-1} == 0 ]]; then
		skip "FIP_DEFEND_ALERT=0: no corosync"
		return 0
	fi
	exha_alert=$(find "$DEST" -name exha-alert -type f -print -quit 2>/dev/null || true)
	PLUGIN_DIR=$(find "$DEST" -name alert-io.so -printf '%h' -quit 2>/dev/null || true)
	if [[ -z $exha_alert || -z $PLUGIN_DIR ]]; then
		skip "exha-alert and alert-io.so of the build under test not found under '$DEST'"
		return 0
	fi
	if ! corosync_up; then
		not_ok "a one-node corosync comes up"
		return 0
	fi
	on_holder "$exha_alert" --listen --count 1 -t 30 >"$listen" 2>&1 &
	local lpid=$!
	defer kill -9 "$lpid"
	check "the listener has joined the alert group" \
		wait_until 10 eval "on_holder corosync-cpgtool | grep -q exha-alert"
	assert_rc 0 agent_on_holder start "${p[@]}"
	claimer_start 192.0.2.40 3 300
	claimer_go
	check "the alert arrives, naming the peer's MAC" \
		wait_until 15 grep -qi "$PEER_MAC" "$listen"
	diag "alert: $(cat "$listen")"
	claimer_stop
	assert_rc 1 agent_on_holder monitor "${p[@]}"
	assert_exit_reason "$PEER_MAC"
	assert_rc 0 agent_on_holder stop "${p[@]}"
	check "no defender is left" test -z "$(on_holder sh -c \
		"cat /run/exha/$AGENT_INSTANCE/defender* 2>/dev/null")"
}

diag "agent: $(agent_path)"
setup_topology
case_verify_answers
case_verify_silent
case_verify_params
case_defend
case_killed_mid_verify
case_killed_after_fork
case_alert
finish
