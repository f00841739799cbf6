#!/usr/bin/env bash
#
# ocf:exha:floating-ip side by side with ocf:heartbeat:IPaddr2 on the same
# veth in one namespace: wall time, CPU time (user + sys of the agent and
# every process it waited for) and processes forked, per action.
#
# Not a pass/fail test: it prints figures, and fails only when an action
# fails to run. Both agents announce alike (5 announcements 200 ms apart, in
# the background); the background announcers' CPU is in neither figure, but
# their forks are counted. The measuring shell runs inside the namespace so
# that `ip netns exec` costs neither agent anything.
#
# Knobs (environment): BENCH_CYCLES (start/stop cycles, 20), BENCH_MONITORS
# (monitors, 50), BENCH_CONFLICT_CYCLES (starts with the conflict check, 11:
# IPaddr2's arping takes a second or two each).
set -euo pipefail

IPADDR2=${IPADDR2:-/usr/lib/ocf/resource.d/heartbeat/IPaddr2}
: "${BENCH_CYCLES:=20}" "${BENCH_MONITORS:=50}" "${BENCH_CONFLICT_CYCLES:=11}"
export IPADDR2 BENCH_CYCLES BENCH_MONITORS BENCH_CONFLICT_CYCLES

# ------------------------------------------------- inside the namespace

# REPLY = microseconds of a `times` field such as 1m2.345s (no subshell: a
# subshell's CPU would count as the agent's).
field_us() {
	local x=$1 m s
	m=${x%%m*}
	s=${x#*m}
	s=${s%s}
	REPLY=$(((10#$m * 60 + 10#${s%.*}) * 1000000 + 10#${s#*.} * 1000))
}

# REPLY = CPU (user + sys, µs) of this shell's waited-for children so far.
children_cpu_us() {
	local -a lines
	local user
	times >"$BENCH_TMP/times"
	mapfile -t lines <"$BENCH_TMP/times"
	field_us "${lines[1]% *}"
	user=$REPLY
	field_us "${lines[1]#* }"
	REPLY=$((user + REPLY))
}

declare -A WALL CPU RUNS

# timed <key> <action>: one run of the current agent, added to key's totals.
timed() {
	local key=$1 action=$2 c0 t0 t1
	children_cpu_us
	c0=$REPLY
	t0=${EPOCHREALTIME/[.,]/}
	if ! "$BIN" "$action" >"$BENCH_TMP/out" 2>&1; then
		printf 'bench: %s %s failed:\n' "$BIN" "$action" >&2
		cat "$BENCH_TMP/out" >&2
		exit 1
	fi
	t1=${EPOCHREALTIME/[.,]/}
	children_cpu_us
	printf '%s sample %s\n' "$key" $((t1 - t0)) >>"$BENCH_RESULTS"
	WALL[$key]=$((${WALL[$key]:-0} + t1 - t0))
	CPU[$key]=$((${CPU[$key]:-0} + REPLY - c0))
	RUNS[$key]=$((${RUNS[$key]:-0} + 1))
}

untimed() {
	if ! "$BIN" "$1" >"$BENCH_TMP/out" 2>&1; then
		printf 'bench: %s %s failed:\n' "$BIN" "$1" >&2
		cat "$BENCH_TMP/out" >&2
		exit 1
	fi
}

# forks <key> <action>: processes the action creates (its background
# announcer included: strace follows it to its end). exha's helpers never
# fork, and its defender lives until stop, which strace -f would wait for:
# exha is traced without -f, its own forks being all there are.
forks() {
	local key=$1 action=$2 n follow=-f
	[[ $BIN != "$BENCH_EXHA" ]] || follow=
	strace $follow -qq -o "$BENCH_TMP/strace" -e trace=fork,vfork,clone,clone3 \
		"$BIN" "$action" >/dev/null 2>&1 || {
		printf 'bench: %s %s failed under strace\n' "$BIN" "$action" >&2
		exit 1
	}
	n=$(grep -cE '(fork|clone3?)(\(| resumed>).* = [1-9][0-9]*$' "$BENCH_TMP/strace" || true)
	printf '%s forks %s\n' "$key" "$n" >>"$BENCH_RESULTS"
}

# instructions <key> <action>: instructions executed by the action and every
# process it runs (callgrind counts them; unlike seconds, the count does not
# depend on what else the machine is doing).
instructions() {
	local key=$1 action=$2 n
	rm -f "$BENCH_TMP"/cg.*
	valgrind -q --tool=callgrind --trace-children=yes \
		--callgrind-out-file="$BENCH_TMP/cg.%p" "$BIN" "$action" >/dev/null 2>&1 || {
		printf 'bench: %s %s failed under callgrind\n' "$BIN" "$action" >&2
		exit 1
	}
	n=$(awk '$1 == "summary:" { s += $2 } END { print s + 0 }' "$BENCH_TMP"/cg.*)
	printf '%s instr %s\n' "$key" "$n" >>"$BENCH_RESULTS"
}

# use <exha|IPaddr2> <conflict check: true|false>: BIN and its environment.
use() {
	local v
	for v in $(compgen -e OCF_RESKEY_); do
		unset "$v"
	done
	export OCF_ROOT=/usr/lib/ocf OCF_RESKEY_CRM_meta_timeout=20000
	export OCF_RESKEY_nic=eth0 OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_arp_count=5
	case $1 in
	exha)
		BIN=$BENCH_EXHA
		export OCF_RESOURCE_INSTANCE="$BENCH_PREFIX-exha" OCF_RESKEY_ip=192.0.2.100
		export OCF_RESKEY_arp_interval_ms=200 OCF_RESKEY_conflict_check=$2
		;;
	IPaddr2)
		BIN=$IPADDR2
		export OCF_RESOURCE_INSTANCE="$BENCH_PREFIX-ipaddr2" OCF_RESKEY_ip=192.0.2.101
		export OCF_RESKEY_arp_interval=200 OCF_RESKEY_arp_bg=true OCF_RESKEY_run_arping=$2
		;;
	esac
}

bench_agent() {
	local a=$1 i
	use "$a" false
	untimed stop
	untimed start # warm the page cache
	untimed monitor
	untimed stop
	for ((i = 0; i < BENCH_CYCLES; i++)); do
		timed "$a start" start
		timed "$a stop" stop
	done
	untimed start
	for ((i = 0; i < BENCH_MONITORS; i++)); do
		timed "$a monitor" monitor
	done
	untimed stop
	use "$a" true
	for ((i = 0; i < BENCH_CONFLICT_CYCLES; i++)); do
		timed "$a start+check" start
		untimed stop
	done
	use "$a" false
	forks "$a start" start
	forks "$a monitor" monitor
	instructions "$a monitor" monitor
	forks "$a stop" stop
	use "$a" true
	forks "$a start+check" start
	untimed stop
	[[ $a == exha ]] && bench_exha_only
	return 0
}

# exha's own steps, which IPaddr2 has no counterpart for: start with
# verify=gateway (the peer answers as the gateway), and start and stop
# without the defender (defend=false) to show what the defender costs.
bench_exha_only() {
	local i
	use exha false
	export OCF_RESKEY_verify=gateway
	for ((i = 0; i < BENCH_CYCLES; i++)); do
		timed "exha start+verify" start
		untimed stop
	done
	forks "exha start+verify" start
	untimed stop
	use exha false
	export OCF_RESKEY_defend=false
	for ((i = 0; i < BENCH_CYCLES; i++)); do
		timed "exha start-nodefend" start
		timed "exha stop-nodefend" stop
	done
	forks "exha start-nodefend" start
	untimed stop
}

bench_inner() {
	local key i
	export LC_ALL=C
	# What any exec costs here now: the floor under both agents' figures.
	BIN=/bin/true
	for ((i = 0; i < BENCH_MONITORS; i++)); do
		timed "baseline true" monitor
	done
	bench_agent exha
	bench_agent IPaddr2
	for key in "${!RUNS[@]}"; do
		printf '%s wall %s\n%s cpu %s\n%s runs %s\n' "$key" "${WALL[$key]}" \
			"$key" "${CPU[$key]}" "$key" "${RUNS[$key]}" >>"$BENCH_RESULTS"
	done
}

if [[ ${1:-} == --inner ]]; then
	bench_inner
	exit 0
fi

# ---------------------------------------------------------------- outside

# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
require ip strace awk valgrind
require_agent
if [[ ! -x $IPADDR2 ]]; then
	not_ok "IPaddr2 is installed at $IPADDR2 (Debian package resource-agents)"
	finish
fi
command -v arping >/dev/null || diag "arping is missing: IPaddr2's run_arping row will fail"

ns_new NODE node
ns_new PEER peer
veth_new "$NODE" eth0 "$PEER" eth0
ip -n "$NODE" addr add 192.0.2.1/24 dev eth0
ip -n "$PEER" addr add 192.0.2.2/24 dev eth0
# The peer is the gateway exha's verify=gateway asks.
ip -n "$NODE" route add default via 192.0.2.2 dev eth0
wait_until 10 link_is_up "$NODE" eth0

export BENCH_EXHA BENCH_PREFIX="$T_PREFIX" BENCH_TMP="$T_TMP"
BENCH_EXHA=$(agent_path)
BENCH_RESULTS="$T_TMP/results"
export BENCH_RESULTS
: >"$BENCH_RESULTS"
# IPaddr2 keeps send_arp's pid file here.
[[ -e /run/resource-agents/send_arp-192.0.2.101 ]] ||
	defer rm -f /run/resource-agents/send_arp-192.0.2.101

diag "exha:    $BENCH_EXHA"
diag "IPaddr2: $IPADDR2"
diag "$(nproc) CPUs, kernel $(uname -r); N: $BENCH_CYCLES start/stop cycles," \
	"$BENCH_MONITORS monitors, $BENCH_CONFLICT_CYCLES starts with the conflict check"

test_case "bench"
started=$(now_ms)
if ip netns exec "$NODE" bash "${BASH_SOURCE[0]}" --inner; then
	ok "both agents ran every action ($((($(now_ms) - started) / 1000)) s)"
else
	not_ok "both agents ran every action"
fi

printf '\n'
awk '
	{ v[$1 " " $2, $3] = $4 }
	function ratio(a, b) { return a > 0 ? sprintf("%.1fx", b / a) : (b > 0 ? "inf" : "-") }
	function row(label, op, metric, unit, scale,   a, b, fmt) {
		a = v["exha " op, metric]; b = v["IPaddr2 " op, metric]
		if (a == "" || b == "") return
		if (metric == "instr") {
			a = a / scale
			b = b / scale
		} else if (metric != "forks") {
			a = a / v["exha " op, "runs"] / scale
			b = b / v["IPaddr2 " op, "runs"] / scale
		}
		fmt = metric == "forks" ? "%-26s %-9s %10d %10d %12s\n" : "%-26s %-9s %10.1f %10.1f %12s\n"
		printf fmt, label, unit, a, b, ratio(a, b)
	}
	END {
		printf "%-26s %-9s %10s %10s %12s\n", "action (per run)", "", "exha", "IPaddr2", "IPaddr2/exha"
		ops[1] = "start"; labels[1] = "start (x" v["exha start", "runs"] ")"
		ops[2] = "start+check"; labels[2] = "start+conflict (x" v["exha start+check", "runs"] ")"
		ops[3] = "monitor"; labels[3] = "monitor (x" v["exha monitor", "runs"] ")"
		ops[4] = "stop"; labels[4] = "stop (x" v["exha stop", "runs"] ")"
		for (i = 1; i <= 4; i++) {
			row(labels[i], ops[i], "wall", "wall ms", 1000)
			row("", ops[i], "cpu", "cpu ms", 1000)
			row("", ops[i], "forks", "forks", 1)
			row("", ops[i], "instr", "Minstr", 1000000)
		}
	}' "$BENCH_RESULTS"
awk '$1 == "exha" && $3 == "forks" && $2 ~ /verify|nodefend/ { printf "exha %s: %d forks\n", $2, $4 }' \
	"$BENCH_RESULTS"
awk '$1 == "baseline" { v[$3] = $4 }
	END { if (v["runs"]) printf "baseline: /bin/true costs %.1f ms wall, %.1f ms cpu per exec (x%d)\n",
		v["wall"] / v["runs"] / 1000, v["cpu"] / v["runs"] / 1000, v["runs"] }' "$BENCH_RESULTS"
printf '\n%-26s %10s %10s %10s %10s\n' "wall ms per run" "exha med" "exha max" "IPa2 med" "IPa2 max"
awk '$(NF - 1) == "sample" { k = $1 " " $2; n[k]++; x[k, n[k]] = $NF / 1000 }
	function sort(k,   i, j, t) {
		for (i = 2; i <= n[k]; i++)
			for (j = i; j > 1 && x[k, j - 1] > x[k, j]; j--) {
				t = x[k, j]; x[k, j] = x[k, j - 1]; x[k, j - 1] = t
			}
	}
	function med(k) { return n[k] % 2 ? x[k, (n[k] + 1) / 2] : (x[k, n[k] / 2] + x[k, n[k] / 2 + 1]) / 2 }
	END {
		split("start start+check stop monitor start+verify start-nodefend stop-nodefend", ops, " ")
		for (i = 1; i <= 7; i++) {
			a = "exha " ops[i]; b = "IPaddr2 " ops[i]
			if (!n[a]) continue
			sort(a)
			if (!n[b]) {
				printf "%-26s %10.1f %10.1f %10s %10s\n", ops[i] " (x" n[a] ")", med(a), x[a, n[a]], "-", "-"
				continue
			}
			sort(b)
			printf "%-26s %10.1f %10.1f %10.1f %10.1f\n", ops[i] " (x" n[a] ")", med(a), x[a, n[a]], med(b), x[b, n[b]]
		}
	}' "$BENCH_RESULTS"
printf '%s\n' "start+conflict: exha conflict_check=true with its defaults (3 probes 5 ms apart, then" \
	"one wait of 25 ms: conflict_probes, conflict_interval_ms, conflict_wait_ms)" \
	"vs IPaddr2 run_arping=true (arping -D -c 2 -w 3); the other starts without either." \
	"cpu: user+sys of the agent and the processes it waited for (not the background" \
	"announcers: exha's announcer, IPaddr2's send_arp); forks: all, announcers included." \
	"Minstr: millions of instructions of one run and its children (callgrind; the" \
	"figure that does not move with the machine's load)." \
	"start and stop run the defender (defend=true, the default); start-nodefend and" \
	"stop-nodefend: defend=false. start+verify: verify=gateway (an ARP request from the" \
	"floating IP to the gateway, answered on the veth); IPaddr2 has neither."

check "no process is left in the namespace" wait_until 5 ns_no_processes "$NODE"
finish
