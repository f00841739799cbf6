#!/usr/bin/env bash
#
# ocf:exha:service-set (exec and lsb backends) side by side with
# ocf:heartbeat:postfix + ocf:heartbeat:dovecot on the same private Postfix
# and Dovecot (tests/lib/mailenv.sh): monitor CPU (user + sys of the agent
# and everything it waited for) and processes forked per monitor, and the
# wall time of start and stop against the services' own start and stop
# (`postfix start` + `dovecot`, `postfix stop` + `doveadm stop`), whose
# difference is the agents' overhead.
#
# Not a pass/fail test: it prints figures and ratios, and fails only when an
# action fails. Knobs: BENCH_MONITORS (3), BENCH_CYCLES (1): the stock
# postfix monitor costs seconds on a loaded machine.
set -euo pipefail
# shellcheck source=tests/lib/mailenv.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/mailenv.sh"

require strace ocf-tester
AGENT_TYPE=service-set
require_agent
setup_mail_env
: "${BENCH_MONITORS:=3}" "${BENCH_CYCLES:=1}"
HB=/usr/lib/ocf/resource.d/heartbeat

# REPLY = CPU (user + sys, µs) of this shell's waited-for children so far
# (`times` into a file: in a subshell it would report the subshell's children).
children_cpu_us() {
	local -a l
	times >"$T_TMP/times"
	mapfile -t l <"$T_TMP/times"
	REPLY=$(awk -v u="${l[1]% *}" -v s="${l[1]#* }" 'function us(x, m) { m = x
		sub(/m.*/, "", m); sub(/^[0-9]+m/, "", x); sub(/s$/, "", x)
		return (m * 60 + x) * 1000000 } BEGIN { printf "%d", us(u) + us(s) }')
}

# run_set <config> <action>: the action on every agent of the config.
run_set() {
	local config=$1 action=$2 common=(OCF_ROOT=/usr/lib/ocf OCF_RESKEY_CRM_meta_timeout=60000
		OCF_RESKEY_CRM_meta_interval=10000)
	case $config in
	stock)
		if [[ $action == stop ]]; then
			env "${common[@]}" OCF_RESOURCE_INSTANCE=bench-dc "$HB/dovecot" "$action" &&
				env "${common[@]}" OCF_RESOURCE_INSTANCE=bench-pf "$HB/postfix" "$action"
		else
			env "${common[@]}" OCF_RESOURCE_INSTANCE=bench-pf "$HB/postfix" "$action" &&
				env "${common[@]}" OCF_RESOURCE_INSTANCE=bench-dc "$HB/dovecot" "$action"
		fi
		;;
	exec | lsb)
		local -a p=("OCF_RESKEY_services=postfix dovecot" "OCF_RESKEY_backend=$config"
			"OCF_RESKEY_pid_files=$PID_FILES")
		[[ $config == exec ]] && p+=("OCF_RESKEY_exec_commands=$EXEC_COMMANDS")
		env "${common[@]}" OCF_RESOURCE_INSTANCE="$T_PREFIX-$config" "${p[@]}" \
			"$(agent_path)" "$action"
		;;
	bare)
		if [[ $action == start ]]; then
			/usr/sbin/postfix start && /usr/sbin/dovecot && wait_until 30 both_pidfiles
		else
			doveadm stop && /usr/sbin/postfix stop
		fi
		;;
	esac
}

both_pidfiles() {
	pid_of_file "$PF_PID" >/dev/null && pid_of_file "$DC_PID" >/dev/null
}

declare -A WALL CPU F

# timed <config> <action> [times]: totals in WALL/CPU[config.action] (µs).
timed() {
	local config=$1 action=$2 n=${3:-1} c0 t0 i
	children_cpu_us
	c0=$REPLY
	t0=${EPOCHREALTIME/[.,]/}
	for ((i = 0; i < n; i++)); do
		run_set "$config" "$action" >"$T_TMP/out" 2>&1 || {
			printf 'bench: %s %s failed:\n' "$config" "$action" >&2
			cat "$T_TMP/out" >&2
			exit 1
		}
	done
	WALL[$config.$action]=$((${WALL[$config.$action]:-0} + (${EPOCHREALTIME/[.,]/} - t0) / n))
	children_cpu_us
	CPU[$config.$action]=$((${CPU[$config.$action]:-0} + (REPLY - c0) / n))
}

# forks <config>: processes one monitor of the config creates. strace runs
# the agents themselves (env execs them without a fork), so only the agents'
# own forks count; the stock config runs two agents, each straced alone.
forks() {
	local n=0 c common=(OCF_ROOT=/usr/lib/ocf OCF_RESKEY_CRM_meta_timeout=60000
		OCF_RESKEY_CRM_meta_interval=10000)
	local -a cmds=()
	case $1 in
	stock)
		cmds=("env ${common[*]} OCF_RESOURCE_INSTANCE=bench-pf $HB/postfix monitor"
			"env ${common[*]} OCF_RESOURCE_INSTANCE=bench-dc $HB/dovecot monitor")
		;;
	exec | lsb)
		local p=("OCF_RESKEY_services=postfix dovecot" "OCF_RESKEY_backend=$1"
			"OCF_RESKEY_pid_files=$PID_FILES" "OCF_RESKEY_exec_commands=$EXEC_COMMANDS")
		[[ $1 == lsb ]] && unset 'p[3]'
		strace -f -qq -o "$T_TMP/strace" -e trace=fork,vfork,clone,clone3 env \
			"${common[@]}" OCF_RESOURCE_INSTANCE="$T_PREFIX-$1" "${p[@]}" \
			"$(agent_path)" monitor >/dev/null 2>&1 || true
		grep -cE '(fork|clone3?)\(.* = [1-9][0-9]*$' "$T_TMP/strace" || true
		return 0
		;;
	esac
	for c in "${cmds[@]}"; do
		# shellcheck disable=SC2086 # words of a command built above
		strace -f -qq -o "$T_TMP/strace" -e trace=fork,vfork,clone,clone3 $c \
			>/dev/null 2>&1 || true
		n=$((n + $(grep -cE '(fork|clone3?)\(.* = [1-9][0-9]*$' "$T_TMP/strace" || true)))
	done
	printf '%s' "$n"
}

ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

for config in bare stock exec lsb; do
	for ((c = 0; c < BENCH_CYCLES; c++)); do
		timed "$config" start
		if [[ $config != bare ]]; then
			timed "$config" monitor "$BENCH_MONITORS"
			F[$config]=$(forks "$config")
		fi
		timed "$config" stop
		check "$config: nothing left after stop" wait_until 10 nothing_runs
	done
done

diag "per action, mean of $BENCH_CYCLES cycles ($BENCH_MONITORS monitors each)"
for config in bare stock exec lsb; do
	diag "$(printf '%-6s start %8s ms  stop %8s ms  monitor wall %7s ms  cpu %7s ms  forks %s' \
		"$config" "$(ms $((WALL[$config.start] / BENCH_CYCLES)))" \
		"$(ms $((WALL[$config.stop] / BENCH_CYCLES)))" \
		"$(ms $((${WALL[$config.monitor]:-0} / BENCH_CYCLES)))" \
		"$(ms $((${CPU[$config.monitor]:-0} / BENCH_CYCLES)))" "${F[$config]:--}")"
done
for config in exec lsb; do
	diag "$(awk -v s="${CPU[stock.monitor]}" -v e="${CPU[$config.monitor]}" -v n="$config" \
		'BEGIN { printf "monitor CPU ratio stock/%s: %.1fx", n, (e > 0 ? s / e : 0) }')"
	diag "overhead over the services' own start: $config $(ms $(((WALL[$config.start] - \
		WALL[bare.start]) / BENCH_CYCLES))) ms, stock $(ms $(((WALL[stock.start] - \
		WALL[bare.start]) / BENCH_CYCLES))) ms; stop: $config $(ms $(((WALL[$config.stop] - \
		WALL[bare.stop]) / BENCH_CYCLES))) ms, stock $(ms $(((WALL[stock.stop] - \
		WALL[bare.stop]) / BENCH_CYCLES))) ms"
done
finish
