#!/usr/bin/env bash
#
# ocf:exha:switching-disk side by side with ocf:heartbeat:Filesystem (mount,
# monitor, unmount, on the same ext4 loop device) and ocf:heartbeat:sfex
# (the lease, on a lease device of its own): wall time, CPU time (user +
# sys of the agent and every process it waited for) and processes forked,
# per action, one run.
#
# Not a pass/fail test: it prints figures, and fails only when an action
# fails to run. The lease rows compare starts at equal collision windows:
# sfex's collision_timeout=1 (its default) against exha's lease_timeout=20
# (a 1 s window), and exha's default (lease_timeout=10, 500 ms) beside it.
# exha's start row with the lease includes its mount; sfex's holds only
# the lease.
#
# Knobs (environment): BENCH_CYCLES (start/stop cycles, 3), BENCH_MONITORS
# (monitors, 20), BENCH_BUSY (stops with 50 busy processes, 1),
# BENCH_LEASE_CYCLES (lease starts, 3). About 1 min on a quiet machine,
# 3-4 on a loaded one: Filesystem's stops take seconds each.
set -euo pipefail
AGENT_TYPE=switching-disk
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RA_DIR=/usr/lib/ocf/resource.d/heartbeat
FILESYSTEM=${FILESYSTEM:-$RA_DIR/Filesystem}
SFEX=${SFEX:-$RA_DIR/sfex}
: "${BENCH_CYCLES:=3}" "${BENCH_MONITORS:=20}" "${BENCH_BUSY:=1}" "${BENCH_LEASE_CYCLES:=3}"

require_root
require losetup mkfs.ext4 strace awk sfex_init
require_agent
for ra in "$FILESYSTEM" "$SFEX"; do
	if [[ ! -x $ra ]]; then
		not_ok "$ra is installed (Debian package resource-agents)"
		finish
	fi
done

loop_new() {
	local img dev
	img=$(mktemp "$T_TMP/img.XXXXXX")
	truncate -s "$2" "$img"
	dev=$(losetup -f --show "$img")
	defer losetup -d "$dev"
	printf -v "$1" '%s' "$dev"
}

# sfex_daemon needs /proc/sysrq-trigger (to reboot on a lost lease); where
# there is none, a preloaded shim gives it /dev/null (tests/helpers/sysrq-shim.c).
SFEX_PRELOAD=""
if [[ ! -e /proc/sysrq-trigger ]]; then
	require cc
	SFEX_PRELOAD="$T_TMP/sysrq-shim.so"
	cc -shared -fPIC -O2 -o "$SFEX_PRELOAD" "$(dirname "${BASH_SOURCE[0]}")/../helpers/sysrq-shim.c" -ldl
	diag "no /proc/sysrq-trigger: sfex runs with $SFEX_PRELOAD preloaded"
fi

loop_new DISK 64M
loop_new LEASE 1M
loop_new SFEXDEV 1M
mkfs.ext4 -q -F "$DISK"
lease_init "$LEASE"
sfex_init -n 1 "$SFEXDEV" >/dev/null
MNT="$T_TMP/mail"
mkdir -p "$MNT"
defer umount -l "$MNT"
RESULTS="$T_TMP/results"
: >"$RESULTS"

# ------------------------------------------------------------ measuring

# REPLY = microseconds of a `times` field such as 1m2.345s.
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
	times >"$T_TMP/times"
	mapfile -t lines <"$T_TMP/times"
	field_us "${lines[1]% *}"
	user=$REPLY
	field_us "${lines[1]#* }"
	REPLY=$((user + REPLY))
}

declare -A WALL CPU RUNS

run_action() {
	if ! "$BIN" "$1" >"$T_TMP/out" 2>&1; then
		printf 'bench: %s %s failed:\n' "$BIN" "$1" >&2
		cat "$T_TMP/out" >&2
		grep -H " $DISK " /proc/[0-9]*/mountinfo >&2 || true
		return 1
	fi
}

# timed <key> <action>: one run of the current agent, added to key's totals.
timed() {
	local key=$1 action=$2 c0 t0 t1
	children_cpu_us
	c0=$REPLY
	t0=${EPOCHREALTIME/[.,]/}
	run_action "$action"
	t1=${EPOCHREALTIME/[.,]/}
	children_cpu_us
	WALL[$key]=$((${WALL[$key]:-0} + t1 - t0))
	CPU[$key]=$((${CPU[$key]:-0} + REPLY - c0))
	RUNS[$key]=$((${RUNS[$key]:-0} + 1))
}

# The PID of strace's child, the agent it runs.
traced_child() {
	local kids
	kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || return 1
	[[ -n $kids ]] && printf '%s' "${kids%% *}"
}

# forks <key> <action>: processes the action creates (background ones
# included). strace -f would follow a keeper or sfex_daemon for ever: once
# the action itself has returned, strace is ended and lets them go.
forks() {
	local key=$1 action=$2 n spid apid=""
	strace -f -qq -o "$T_TMP/strace" -e trace=fork,vfork,clone,clone3 \
		"$BIN" "$action" >/dev/null 2>&1 &
	spid=$!
	wait_until 10 traced_child "$spid" || true
	apid=$(traced_child "$spid") || true
	if [[ -n $apid ]]; then
		wait_until 120 bash -c "[[ ! -e /proc/$apid ]] || grep -q '^State:.*Z' /proc/$apid/status"
	fi
	kill -9 "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	# Threads are not processes: clone with CLONE_THREAD does not count.
	n=$(grep -E '(fork|clone3?)(\(| resumed>).* = [1-9][0-9]*$' "$T_TMP/strace" |
		grep -vc CLONE_THREAD || true)
	printf '%s forks %s\n' "$key" "$n" >>"$RESULTS"
}

# use <exha|exha-nolease|Filesystem|sfex> [name=value...]: BIN and its environment.
use() {
	local v
	for v in $(compgen -e OCF_RESKEY_); do
		unset "$v"
	done
	unset LD_PRELOAD
	export OCF_ROOT=/usr/lib/ocf OCF_RESKEY_CRM_meta_timeout=60000
	case $1 in
	exha | exha-nolease)
		BIN=$(agent_path)
		export OCF_RESOURCE_INSTANCE="$T_PREFIX-sd"
		export OCF_RESKEY_device=$DISK OCF_RESKEY_directory=$MNT
		[[ $1 == exha-nolease ]] || export OCF_RESKEY_lease_device=$LEASE
		;;
	Filesystem)
		BIN=$FILESYSTEM
		export OCF_RESOURCE_INSTANCE="$T_PREFIX-fs"
		export OCF_RESKEY_device=$DISK OCF_RESKEY_directory=$MNT OCF_RESKEY_fstype=ext4
		export OCF_RESKEY_force_unmount=true
		;;
	sfex)
		BIN=$SFEX
		export OCF_RESOURCE_INSTANCE="$T_PREFIX-sfex"
		export OCF_RESKEY_device=$SFEXDEV OCF_RESKEY_index=1 OCF_RESKEY_collision_timeout=1
		[[ -z $SFEX_PRELOAD ]] || export LD_PRELOAD=$SFEX_PRELOAD
		;;
	esac
	shift
	for v in "$@"; do
		export "OCF_RESKEY_$v"
	done
}

# busy_stop <key>: a timed stop with 50 processes using the mount (25 with
# their working directory there, 25 with a file open). They are not this
# shell's children (a subshell starts each and exits), so the CPU their own
# start-up costs is not counted as the stop's.
busy_stop() {
	local key=$1 i
	local -a pids=()
	: >"$MNT/file"
	for ((i = 0; i < 25; i++)); do
		pids+=("$(cd "$MNT" && { sleep 300 >/dev/null 2>&1 & echo $!; })")
		pids+=("$( { sleep 300 3<"$MNT/file" >/dev/null 2>&1 & echo $!; })")
	done
	defer kill "${pids[@]}"
	timed "$key" stop
	wait_until 10 none_alive "${pids[@]}" || {
		echo "bench: holders outlived $BIN stop" >&2
		return 1
	}
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
		! proc_alive "$pid" || return 1
	done
}

bench_mount() {
	local a=$1 i
	use "$a"
	run_action stop
	run_action start # warm the page cache
	run_action monitor
	run_action stop
	for ((i = 0; i < BENCH_CYCLES; i++)); do
		timed "$a start" start
		timed "$a stop" stop
	done
	run_action start
	for ((i = 0; i < BENCH_MONITORS; i++)); do
		timed "$a monitor" monitor
	done
	run_action stop
	for ((i = 0; i < BENCH_BUSY; i++)); do
		run_action start
		busy_stop "$a stop-busy"
	done
	forks "$a start" start
	forks "$a monitor" monitor
	forks "$a stop" stop
	run_action stop
}

# bench_lease <key> <agent> [name=value...]: lease starts (and monitors, stops).
bench_lease() {
	local key=$1 a=$2 i
	shift 2
	use "$a" "$@"
	run_action stop
	for ((i = 0; i < BENCH_LEASE_CYCLES; i++)); do
		timed "$key start" start
		timed "$key monitor" monitor
		timed "$key stop" stop
	done
	forks "$key start" start
	forks "$key monitor" monitor
	forks "$key stop" stop
	run_action stop
}

# Whatever a failed run left: stop it (the agents' own stop, by resource).
cleanup_agents() {
	local a
	for a in exha Filesystem sfex; do
		use "$a"
		"$BIN" stop >/dev/null 2>&1 || true
	done
}
defer cleanup_agents

diag "exha:       $(agent_path)"
diag "Filesystem: $FILESYSTEM"
diag "sfex:       $SFEX"
diag "$(nproc) CPUs, kernel $(uname -r); $BENCH_CYCLES start/stop cycles, $BENCH_MONITORS" \
	"monitors, $BENCH_BUSY busy stops, $BENCH_LEASE_CYCLES lease cycles"

test_case "bench"
started=$(now_ms)
export LC_ALL=C
BIN=/bin/true
for ((i = 0; i < BENCH_MONITORS; i++)); do
	timed "baseline true" monitor
done
bench_mount exha
bench_mount Filesystem
bench_lease sfex sfex
bench_lease exha-lease20 exha lease_timeout=20
bench_lease exha-lease10 exha
for key in "${!RUNS[@]}"; do
	printf '%s wall %s\n%s cpu %s\n%s runs %s\n' "$key" "${WALL[$key]}" \
		"$key" "${CPU[$key]}" "$key" "${RUNS[$key]}" >>"$RESULTS"
done
ok "every agent ran every action ($((($(now_ms) - started) / 1000)) s)"

printf '\n'
awk '
	{ k = $1; for (i = 2; i < NF - 1; i++) k = k " " $i; v[k, $(NF - 1)] = $NF }
	function ratio(a, b) { return a > 0 ? sprintf("%.1fx", b / a) : (b > 0 ? "inf" : "-") }
	function row(label, ea, eb, op, metric, unit,   a, b, fmt) {
		a = v[ea " " op, metric]; b = v[eb " " op, metric]
		if (a == "" || b == "") return
		if (metric != "forks") {
			a = a / v[ea " " op, "runs"] / 1000
			b = b / v[eb " " op, "runs"] / 1000
		}
		fmt = metric == "forks" ? "%-24s %-8s %10d %10d %10s\n" : "%-24s %-8s %10.1f %10.1f %10s\n"
		printf fmt, label, unit, a, b, ratio(a, b)
	}
	function block(title, ea, eb, n, ops, labels,   i) {
		printf "%-24s %-8s %10s %10s %10s\n", title, "", "exha", eb, eb "/exha"
		for (i = 1; i <= n; i++) {
			row(labels[i], ea, eb, ops[i], "wall", "wall ms")
			row("", ea, eb, ops[i], "cpu", "cpu ms")
			row("", ea, eb, ops[i], "forks", "forks")
		}
		printf "\n"
	}
	END {
		ops[1] = "start"; ops[2] = "monitor"; ops[3] = "stop"; ops[4] = "stop-busy"
		labels[1] = "start (x" v["exha start", "runs"] ")"
		labels[2] = "monitor (x" v["exha monitor", "runs"] ")"
		labels[3] = "stop, idle (x" v["exha stop", "runs"] ")"
		labels[4] = "stop, 50 busy (x" v["exha stop-busy", "runs"] ")"
		block("mount (per run)", "exha", "Filesystem", 4, ops, labels)
		labels[1] = "start (x" v["sfex start", "runs"] ")"
		labels[2] = "monitor (x" v["sfex monitor", "runs"] ")"
		labels[3] = "stop (x" v["sfex stop", "runs"] ")"
		block("lease, 1 s window", "exha-lease20", "sfex", 3, ops, labels)
		block("lease, exha default", "exha-lease10", "sfex", 3, ops, labels)
	}' "$RESULTS"
awk '$1 == "baseline" { v[$3] = $4 }
	END { if (v["runs"]) printf "baseline: /bin/true costs %.1f ms wall, %.1f ms cpu per exec (x%d)\n",
		v["wall"] / v["runs"] / 1000, v["cpu"] / v["runs"] / 1000, v["runs"] }' "$RESULTS"
printf '%s\n' "exha's rows use lease_device (lease + keeper + mount); Filesystem has no lease." \
	"Lease rows: exha start = lease (1 s or 500 ms collision window) + fsck check + mount;" \
	"sfex start = lease only (collision_timeout=1). cpu: user+sys of the agent and the" \
	"processes it waited for (not the background keeper/daemon); forks: all processes." \
	"${SFEX_PRELOAD:+sfex ran with the sysrq shim preloaded into each of its processes.}"
finish
