#!/usr/bin/env bash
#
# Dovecot's stop while IMAP clients log in (issue 13: services stop took
# 7.6-7.9 s in 4 of 10 cluster moves, with `master: Warning: Killed with
# signal 15` and exactly 5 s later `imap-login: Error: conn
# unix:stats-writer (pid=...): Timeout waiting for handshake response`).
#
# What it shows: on SIGTERM the master notifies its children and waits (up
# to 5 s) until each has stopped listening. A login process spawned for a
# connection that arrived just before is still starting: it is blocked in
# its synchronous handshake with the stats-writer socket. The stats process
# has already left on the master's death, and the connection sits in the
# backlog of the listener the master still holds, so nobody answers; the
# login process goes on only after its 5 s handshake timeout, and the
# master waits for it. Whoever sends SIGTERM (the init script's
# start-stop-daemon, `dovecot stop` in ocf:heartbeat:dovecot) the same
# happens: it takes a client login within milliseconds of the stop.
#
# The cure (service-set's drain_commands): `doveadm service stop imap-login
# imap pop3-login pop3` before the stop. The master closes those listeners
# at once (a client is refused), and the processes it has already spawned
# finish their handshake with the stats process, still alive; the SIGTERM
# then finds nothing half started.
#
# Each round: start, three clients logging in over and over, stop; counts
# the rounds whose dovecot.log holds the handshake timeout ("detours") and
# prints the stop's median and maximum: ocf:exha:service-set (lsb backend,
# Debian's init script) with drain_commands ("exha"), without them
# ("exha-nodrain": the cause still there), and ocf:heartbeat:dovecot
# ("stock"). Not a pass/fail test. Knobs: BENCH_ROUNDS (6 per agent),
# BENCH_AGENTS (default "exha exha-nodrain stock").
set -euo pipefail
# shellcheck source=tests/lib/mailenv.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/mailenv.sh"

AGENT_TYPE=service-set
require_agent
setup_mail_env
: "${BENCH_ROUNDS:=6}"
: "${BENCH_AGENTS:=exha exha-nodrain stock}"
# mailenv's dovecot serves imap and pop3.
DRAIN="/usr/bin/doveadm service stop imap-login imap pop3-login pop3"
HB=/usr/lib/ocf/resource.d/heartbeat
DETOUR="Timeout waiting for handshake response"

# agent_run <exha|stock> <action>
agent_run() {
	local common=(OCF_ROOT=/usr/lib/ocf OCF_RESKEY_CRM_meta_timeout=60000)
	case $1 in
	exha)
		env -i "${common[@]}" OCF_RESOURCE_INSTANCE="$T_PREFIX-set" \
			OCF_RESKEY_services=dovecot OCF_RESKEY_backend=lsb \
			OCF_RESKEY_pid_files="dovecot=$DC_PID" \
			OCF_RESKEY_drain_commands="dovecot=$DRAIN" "$(agent_path)" "$2"
		;;
	exha-nodrain)
		env -i "${common[@]}" OCF_RESOURCE_INSTANCE="$T_PREFIX-set" \
			OCF_RESKEY_services=dovecot OCF_RESKEY_backend=lsb \
			OCF_RESKEY_pid_files="dovecot=$DC_PID" "$(agent_path)" "$2"
		;;
	stock)
		env -i "${common[@]}" OCF_RESOURCE_INSTANCE="$T_PREFIX-dovecot" \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin "$HB/dovecot" "$2"
		;;
	esac
}

# One login on the connection on fd 8.
client_once() {
	local line
	IFS= read -r -t 1 line <&8 || true
	printf 'a LOGIN %s %s\r\nb SELECT INBOX\r\nc LOGOUT\r\n' "$USER_NAME" "$PASSWORD" >&8
	while IFS= read -r -t 1 line <&8 && [[ $line != c* ]]; do :; done
}

# One client, logging in over and over until killed (paced only while
# nothing listens).
client() {
	while :; do
		client_once 8<>/dev/tcp/127.0.0.1/143 || sleep 0.01
	done 2>/dev/null
}

dovecot_gone() { ! pgrep -x dovecot >/dev/null && ! pgrep -x imap-login >/dev/null; }

declare -A STOPS DETOURS
test_case "stop under IMAP logins"
for ((i = 0; i < BENCH_ROUNDS; i++)); do
	for who in $BENCH_AGENTS; do
		: >"$T_TMP/dovecot.log"
		agent_run "$who" start >/dev/null 2>&1 || {
			not_ok "$who starts dovecot"
			continue
		}
		clients=()
		for _ in 1 2 3; do
			client &
			clients+=($!)
		done
		wait_until 5 grep -q "Login:" "$T_TMP/dovecot.log" || true
		t0=${EPOCHREALTIME/[.,]/}
		agent_run "$who" stop >/dev/null 2>&1 || not_ok "$who stops dovecot"
		t1=${EPOCHREALTIME/[.,]/}
		kill "${clients[@]}" 2>/dev/null || true
		wait "${clients[@]}" 2>/dev/null || true
		wait_until 10 dovecot_gone || not_ok "$who: nothing of dovecot is left"
		STOPS[$who]+="$(((t1 - t0) / 1000)) "
		grep -q "$DETOUR" "$T_TMP/dovecot.log" && DETOURS[$who]=$((${DETOURS[$who]:-0} + 1))
	done
done
ok "ran $BENCH_ROUNDS rounds per agent"

printf '\n%-30s %8s %8s %8s\n' "stop under IMAP logins (ms)" median max detours
for who in $BENCH_AGENTS; do
	# shellcheck disable=SC2086 # one number a word
	printf '%s\n' ${STOPS[$who]} | sort -n | awk -v who="$who" -v d="${DETOURS[$who]:-0}" '
		{ x[NR] = $1 }
		END { m = NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2
		      printf "%-30s %8d %8d %5d/%d\n", who, m, x[NR], d, NR }'
done
printf '%s\n' "detours: rounds whose dovecot.log says '$DETOUR'" \
	"(the master waited 5 s for a login process stuck in its stats handshake)."
finish
