# shellcheck shell=bash
#
# Helpers every exha test script sources: TAP-style reporting, assertions,
# bounded polling, a cleanup registry run on exit, network namespace
# plumbing and the `agent` runner.
#
# Everything a script creates carries the prefix exha-t-<pid>- (namespaces,
# resource instances, temporary files), so a run never touches what it did
# not make, and two runs can share a machine. Addresses come only from the
# documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
# 2001:db8::/32) and live only inside the namespaces the script creates.
#
# Usage, at the top of a script:
#   set -euo pipefail
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
#   ...
#   finish

T_PREFIX="exha-t-$$"
T_PASSED=0
T_FAILED=0
T_SKIPPED=0
T_NUM=0
T_CASE=""
T_FINISHED=0
T_ERR_WHERE=""
T_CLEANUP=()
# The outputs of the last run_cmd/assert_rc: T_OUT, T_ERR (text), T_RC.
T_OUT=""
T_ERR=""
T_RC=0

: "${EXHA_AGENT_DIR:=/usr/lib/ocf/resource.d/exha}"
: "${EXHA_RUNDIR:=/run/exha}"
: "${OCF_ROOT:=/usr/lib/ocf}"
export OCF_ROOT

T_TMP=$(mktemp -d "/tmp/${T_PREFIX}.XXXXXX")

# ---------------------------------------------------------------- reporting

diag() {
	printf '# %s\n' "$*"
}

# Indent a block of text as TAP diagnostics (empty input prints nothing).
diag_block() {
	local label=$1 text=$2
	[[ -n $text ]] || return 0
	printf '#   %s:\n' "$label"
	printf '%s\n' "$text" | sed 's/^/#     /'
}

# Start a named group of assertions; their names are prefixed with it.
test_case() {
	T_CASE=$1
	printf '\n# --- %s\n' "$T_CASE"
}

ok() {
	T_NUM=$((T_NUM + 1))
	T_PASSED=$((T_PASSED + 1))
	printf 'ok %d - %s%s\n' "$T_NUM" "${T_CASE:+$T_CASE: }" "$*"
}

not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAILED=$((T_FAILED + 1))
	printf 'not ok %d - %s%s\n' "$T_NUM" "${T_CASE:+$T_CASE: }" "$*"
}

skip() {
	T_NUM=$((T_NUM + 1))
	T_SKIPPED=$((T_SKIPPED + 1))
	printf 'ok %d - %s%s # SKIP\n' "$T_NUM" "${T_CASE:+$T_CASE: }" "$*"
}

# check <description> <cmd...>: ok when cmd exits 0; its output is shown
# on failure. Runs in a subshell: T_OUT/T_ERR/T_RC stay as they were.
check() {
	local what=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if ((rc == 0)); then
		ok "$what"
	else
		not_ok "$what"
		diag_block "rc $rc from $(cmd_text "$@")" "$out"
	fi
	return 0
}

summary_line() {
	local line="$T_PASSED passed, $T_FAILED failed"
	((T_SKIPPED == 0)) || line+=", $T_SKIPPED skipped"
	printf '%s\n' "$line"
}

# The last call of every script: summary, then exit status.
finish() {
	T_FINISHED=1
	printf '\n1..%d\n' "$T_NUM"
	summary_line
	if ((T_FAILED > 0)); then
		exit 1
	fi
	exit 0
}

# ----------------------------------------------------------------- commands

# Words of a command as one readable line.
cmd_text() {
	local out="" w
	for w in "$@"; do
		if [[ $w =~ ^[][A-Za-z0-9_./:=,@%+-]+$ ]]; then
			out+="$w "
		else
			out+="$(printf '%q' "$w") "
		fi
	done
	printf '%s' "${out% }"
}

# run_cmd <cmd...>: run in this shell, keep rc, stdout, stderr in T_RC,
# T_OUT, T_ERR. Never fails itself.
run_cmd() {
	T_RC=0
	"$@" >"$T_TMP/out" 2>"$T_TMP/err" || T_RC=$?
	T_OUT=$(<"$T_TMP/out")
	T_ERR=$(<"$T_TMP/err")
	return 0
}

# The reason a failing agent gave: its last stderr line, without the prefix.
exit_reason() {
	local last
	last=$(printf '%s\n' "$T_ERR" | tail -n 1)
	if [[ $last == ocf-exit-reason:* ]]; then
		printf '%s' "${last#ocf-exit-reason:}"
	fi
}

# assert_rc <expected> <cmd...>: expected may list alternatives ("5|6").
assert_rc() {
	local want=$1
	shift
	run_cmd "$@"
	if [[ "|$want|" == *"|$T_RC|"* ]]; then
		ok "rc $T_RC from $(cmd_text "$@")"
		return 0
	fi
	not_ok "rc $T_RC (expected $want) from $(cmd_text "$@")"
	diag_block stdout "$T_OUT"
	diag_block stderr "$T_ERR"
	return 0
}

# assert_contains <haystack> <needle> [description]
assert_contains() {
	local haystack=$1 needle=$2 what=${3:-"output contains '$2'"}
	if [[ $haystack == *"$needle"* ]]; then
		ok "$what"
	else
		not_ok "$what"
		diag_block "looked for '$needle' in" "$haystack"
	fi
	return 0
}

assert_not_contains() {
	local haystack=$1 needle=$2 what=${3:-"output lacks '$2'"}
	if [[ $haystack != *"$needle"* ]]; then
		ok "$what"
	else
		not_ok "$what"
		diag_block "found '$needle' in" "$haystack"
	fi
	return 0
}

# assert_word <haystack> <word> [description]: word as a whole word
# ("ip" in "invalid ip='abc'", not in "description").
assert_word() {
	local haystack=$1 word=$2 what=${3:-"mentions '$2'"}
	if grep -Eq "(^|[^[:alnum:]_])${word}([^[:alnum:]_]|\$)" <<<"$haystack"; then
		ok "$what"
	else
		not_ok "$what"
		diag_block "looked for the word '$word' in" "$haystack"
	fi
	return 0
}

# assert_exit_reason <word...>: the last stderr line of the last run_cmd is
# an ocf-exit-reason naming every word.
assert_exit_reason() {
	local reason word
	reason=$(exit_reason)
	if [[ -z $reason ]]; then
		not_ok "last stderr line is an ocf-exit-reason"
		diag_block stderr "$T_ERR"
		return 0
	fi
	diag "exit reason: $reason"
	for word in "$@"; do
		assert_word "$reason" "$word" "exit reason names '$word'"
	done
}

# Milliseconds since the epoch (bash 5 clock, no fork).
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	printf '%s' $((t / 1000))
}

# wait_until <timeout_s> <cmd...>: poll cmd until it succeeds; 1 on timeout.
# The short sleep only paces the polling; the bound is the timeout.
wait_until() {
	local timeout_ms deadline
	timeout_ms=$(awk -v s="$1" 'BEGIN { printf "%d", s * 1000 }')
	shift
	deadline=$(($(now_ms) + timeout_ms))
	while :; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		(($(now_ms) < deadline)) || return 1
		sleep 0.02
	done
}

# ------------------------------------------------------------------ cleanup

# defer <cmd...>: run cmd at exit, the last registered first.
defer() {
	T_CLEANUP+=("$(cmd_text "$@")")
}

run_cleanup() {
	local i
	set +e
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[i]}" >/dev/null 2>&1
	done
	T_CLEANUP=()
	# --one-file-system: a mount left under it (a bind of a host directory) is never emptied.
	rm -rf --one-file-system "$T_TMP"
}

on_exit() {
	local rc=$?
	set +e
	run_cleanup
	if ((T_FINISHED == 0)); then
		not_ok "script aborted (exit status $rc)${T_ERR_WHERE:+ at $T_ERR_WHERE}"
		printf '\n1..%d\n' "$T_NUM"
		summary_line
		((rc != 0)) || rc=1
	fi
	exit "$rc"
}

on_err() {
	T_ERR_WHERE="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}: $BASH_COMMAND"
}

set -E
trap on_err ERR
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --------------------------------------------------------------- namespaces

# ns_new <var> <suffix>: create namespace exha-t-<pid>-<suffix> with lo up,
# store its name in var, and delete it (and end the processes left in it,
# which this script started) at exit.
ns_new() {
	local name="${T_PREFIX}-$2"
	ip netns add "$name"
	defer ns_delete "$name"
	ip -n "$name" link set lo up
	printf -v "$1" '%s' "$name"
}

ns_delete() {
	local ns=$1 pid
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		kill "$pid" 2>/dev/null
	done
	ip netns del "$ns"
}

# No process runs in the namespace (announcers and helpers have ended).
ns_no_processes() {
	[[ -z $(ip netns pids "$1") ]]
}

run_in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# veth_new <nsA> <ifA> <nsB> <ifB>: a veth pair between two namespaces (or
# within one), both ends up. Deleted with its namespaces.
veth_new() {
	local nsa=$1 ifa=$2 nsb=$3 ifb=$4
	if [[ $nsa == "$nsb" ]]; then
		ip -n "$nsa" link add "$ifa" type veth peer name "$ifb"
	else
		ip -n "$nsa" link add "$ifa" type veth peer name "$ifb" netns "$nsb"
	fi
	ip -n "$nsa" link set "$ifa" up
	ip -n "$nsb" link set "$ifb" up
}

# bridge_new <ns> <bridge> [port...]: a bridge in ns, up, with the ports.
bridge_new() {
	local ns=$1 br=$2 port
	shift 2
	ip -n "$ns" link add "$br" type bridge
	ip -n "$ns" link set "$br" up
	for port in "$@"; do
		ip -n "$ns" link set "$port" master "$br"
	done
}

# The MAC address of an interface, lower case.
if_mac() {
	ip -n "$1" -o link show dev "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# Addresses of a namespace, one per line (`ip -o addr`), optionally of one
# family (-4/-6) and one device.
ns_addrs() {
	local ns=$1
	shift
	ip -n "$ns" -o addr show "$@"
}

# addr_lines <ns> <ip>: the `ip -o addr` lines of ip (any prefix, any device).
addr_lines() {
	ns_addrs "$1" | grep -F " $2/" || true
}

# ns_has_addr <ns> <address/prefix> <dev>: exactly that, on that device
# (else the device's addresses go to stderr, for check to show).
ns_has_addr() {
	local lines
	lines=$(ns_addrs "$1" dev "$3")
	grep -Fq " $2 " <<<"$lines" && return 0
	printf '%s\n' "$lines" >&2
	return 1
}

ns_lacks_addr() {
	local lines
	lines=$(addr_lines "$1" "$2")
	[[ -z $lines ]] && return 0
	printf '%s\n' "$lines" >&2
	return 1
}

# The link-layer address the namespace's neighbour table holds for ip.
neigh_mac() {
	ip -n "$1" neigh show "$2" | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p'
}

# operstate UP (both veth ends up, carrier present).
link_is_up() {
	ip -n "$1" -o link show dev "$2" | grep -q 'state UP'
}

# ------------------------------------------------------------------- agents

# The agent the script exercises (a file name in EXHA_AGENT_DIR).
: "${AGENT_TYPE:=floating-ip}"
# Resource instance the `agent` helper passes; change it per case if needed.
AGENT_INSTANCE="${T_PREFIX}-fip"

agent_path() {
	printf '%s/%s' "$EXHA_AGENT_DIR" "$AGENT_TYPE"
}

# exha_command_path <name> <fallback>: a command of the build under test:
# the one a DESTDIR install put beside EXHA_AGENT_DIR (or in EXHA_DESTDIR),
# else the one on PATH, else fallback. An older system install on PATH must
# not stand in for the build a DESTDIR run tests.
exha_command_path() {
	local name=$1 fallback=$2 dest p
	for dest in "${EXHA_AGENT_DIR%/usr/lib/ocf/resource.d/exha}" "${EXHA_DESTDIR:-}"; do
		[[ -n $dest && $dest != "$EXHA_AGENT_DIR" ]] || continue
		for p in "$dest"/usr/local/{sbin,bin}/"$name" "$dest"/usr/{sbin,bin}/"$name"; do
			if [[ -x $p ]]; then
				printf '%s' "$p"
				return 0
			fi
		done
	done
	command -v "$name" || printf '%s' "$fallback"
}

# exha-lease of the build under test: $EXHA_LEASE, else exha_command_path's.
exha_lease_path() {
	if [[ -n ${EXHA_LEASE:-} ]]; then
		printf '%s' "$EXHA_LEASE"
		return 0
	fi
	exha_command_path exha-lease /usr/local/sbin/exha-lease
}

# lease_init <device> [exha-lease init options]: format a test's lease device.
lease_init() {
	local dev=$1
	shift
	"$(exha_lease_path)" init "$@" "$dev" >/dev/null
}

# ocf_tester <ns> <instance> <name=value...>: ocf-tester on the agent, in
# network namespace ns (- for here), its report as diagnostics and one
# ok/not ok line.
ocf_tester() {
	local ns=$1 instance=$2 arg
	local -a opts=(-n "$instance") in_ns=()
	shift 2
	for arg in "$@"; do
		opts+=(-o "$arg")
	done
	[[ $ns == - ]] || in_ns=(ip netns exec "$ns")
	# The state directory is the instance's: remove it only if this run made it.
	[[ -e $EXHA_RUNDIR/$instance ]] || defer rm -rf "${EXHA_RUNDIR:?}/$instance"
	run_cmd "${in_ns[@]}" ocf-tester "${opts[@]}" "$(agent_path)"
	diag_block "ocf-tester $(cmd_text "${opts[@]}")" "$T_OUT${T_ERR:+$'\n'$T_ERR}"
	if ((T_RC == 0)); then
		ok "ocf-tester passes with $*"
	else
		not_ok "ocf-tester passes with $* (exit status $T_RC)"
	fi
}

# agent <ns> <action> [name=value...]: run the agent in ns. name=value sets
# OCF_RESKEY_name; words starting with OCF_ (OCF_CHECK_LEVEL=10,
# OCF_RESOURCE_INSTANCE=x) are passed as they are.
agent() {
	local ns=$1 action=$2 arg
	local -a envs=(
		"OCF_ROOT=$OCF_ROOT"
		"OCF_RESOURCE_INSTANCE=$AGENT_INSTANCE"
		"OCF_RESKEY_CRM_meta_timeout=${AGENT_TIMEOUT_MS:-20000}"
	)
	shift 2
	for arg in "$@"; do
		case $arg in
		OCF_*=*) envs+=("$arg") ;;
		*=*) envs+=("OCF_RESKEY_$arg") ;;
		*)
			printf 'agent: not name=value: %s\n' "$arg" >&2
			return 2
			;;
		esac
	done
	ip netns exec "$ns" env "${envs[@]}" "$(agent_path)" "$action"
}

# Remove the state directories of this run's instances at exit.
remove_state_dirs() {
	rm -rf "${EXHA_RUNDIR:?}/${T_PREFIX}-"*
}
defer remove_state_dirs

# require <cmd...>: stop with a failure unless each command exists.
require() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			not_ok "required command '$c' is installed"
			finish
		fi
	done
}

require_root() {
	if ((EUID != 0)); then
		not_ok "running as root (network namespaces need it)"
		finish
	fi
}

require_agent() {
	if [[ ! -x $(agent_path) ]]; then
		not_ok "agent $(agent_path) is installed (make install, or set EXHA_AGENT_DIR)"
		finish
	fi
}
