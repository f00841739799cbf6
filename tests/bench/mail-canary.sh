#!/usr/bin/env bash
#
# What the mail canary costs (shared/mailprobe/canary.h), on the private
# Postfix + Dovecot of tests/lib/mailenv.sh (virtual(8) into a Maildir on a
# loop-mounted ext4, Dovecot over IMAP): RUNS checks each of
#   - ocf:exha:service-set monitor at OCF_CHECK_LEVEL=0, 10 (the protocol
#     probes) and 20 (probes + canary): wall time of the whole action;
#   - exha-mail-probe --canary: the check's own step latencies (submit,
#     deliver, read, delete, clean) as it reports them, and the CPU
#     (user + sys) of one check.
# Medians and maxima side by side. The stock agents (ocf:heartbeat:postfix,
# dovecot) have no such check: their monitor figures are in
# tests/bench/service-set.sh. Figures only: fails only if a check fails.
set -euo pipefail
# shellcheck source=tests/lib/mailenv.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/mailenv.sh"

AGENT_TYPE=service-set
require_agent
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROBE=${EXHA_MAIL_PROBE:-$(exha_command_path exha-mail-probe "$ROOT/build/monitors/mail-probe/exha-mail-probe")}
: "${RUNS:=20}"
setup_mail_env

CRED="$T_TMP/canary-credentials"
printf 'user=%s\npassword=%s\n' "$USER_NAME" "$PASSWORD" >"$CRED"
chmod 0600 "$CRED"
ADDRESS=$USER_NAME@example.test
AGENT_INSTANCE="${T_PREFIX}-bench"
SET=("OCF_RESKEY_services=postfix dovecot" OCF_RESKEY_backend=lsb
	"OCF_RESKEY_pid_files=$PID_FILES"
	"OCF_RESKEY_probes=postfix=smtp://127.0.0.1:25 dovecot=imap://127.0.0.1:143"
	"OCF_RESKEY_probe_credentials=$CRED"
	"OCF_RESKEY_canary=$ADDRESS" "OCF_RESKEY_canary_credentials=$CRED")

ss() {
	env -i "OCF_ROOT=$OCF_ROOT" "OCF_RESOURCE_INSTANCE=$AGENT_INSTANCE" \
		OCF_RESKEY_CRM_meta_timeout=30000 OCF_RESKEY_CRM_meta_interval=600000 \
		"${SET[@]}" "$@" "$(agent_path)" "${ACTION:-monitor}"
}

# stats <file of numbers>: "median max" (the upper median of an even count).
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%8.1f %8.1f", v[int(NR / 2) + 1], v[NR] }'
}

row() {
	printf '%-44s %s\n' "$1" "$(stats "$2")"
}

# monitor_ms <level>: RUNS monitors, wall ms each into $T_TMP/level<level>.
monitor_ms() {
	local i t0 out="$T_TMP/level$1"
	: >"$out"
	for ((i = 0; i < RUNS; i++)); do
		t0=$(now_ms)
		ss OCF_CHECK_LEVEL="$1" 2>/dev/null || { not_ok "monitor at level $1"; return 0; }
		echo $(($(now_ms) - t0)) >>"$out"
	done
}

ACTION=start ss 2>/dev/null || { not_ok "start"; finish; }
ss OCF_CHECK_LEVEL=20 2>/dev/null # a first check warms the caches
test_case "service-set monitor, wall time of the action, $RUNS runs each (ms)"
printf '%-44s %8s %8s\n' "" median max
for level in 0 10 20; do
	monitor_ms "$level"
	row "OCF_CHECK_LEVEL=$level$([[ $level == 20 ]] && echo ' (probes + canary)')" "$T_TMP/level$level"
done

test_case "exha-mail-probe --canary, $RUNS checks: steps as reported (ms)"
: >"$T_TMP/lines"
for ((i = 0; i < RUNS; i++)); do
	"$PROBE" -t 30 -c "$CRED" -m "$ADDRESS" smtp://127.0.0.1 imap://127.0.0.1 >>"$T_TMP/lines" ||
		{ not_ok "canary check: $(tail -n 1 "$T_TMP/lines")"; }
done
printf '%-44s %8s %8s\n' "" median max
for step in total submit deliver read delete clean; do
	if [[ $step == total ]]; then
		sed -n 's/.* in \([0-9]*\) ms:.*/\1/p' "$T_TMP/lines" >"$T_TMP/$step"
	else
		sed -n "s/.*[ (]$step \([0-9]*\) ms.*/\1/p" "$T_TMP/lines" >"$T_TMP/$step"
	fi
	row "$step" "$T_TMP/$step"
done
check "no canary left in the mailbox" bash -c \
	"! grep -rqs '^X-Exha-Canary: ' /var/mail/$USER_NAME/new /var/mail/$USER_NAME/cur"

test_case "CPU per check (user + sys of exha-mail-probe, $RUNS checks, ms)"
cpu=$(bash -c 'for ((i = 0; i < $1; i++)); do "${@:2}" >/dev/null || exit 1; done; times' _ \
	"$RUNS" "$PROBE" -t 30 -c "$CRED" -m "$ADDRESS" smtp://127.0.0.1 imap://127.0.0.1 |
	tail -n 1 | awk -v n="$RUNS" '{ split($0, t, /[ ms]+/); printf "%.2f", (t[1]*60000+t[2]*1000+t[3]*60000+t[4]*1000)/n }')
ok "canary: $cpu ms"
cpu=$(bash -c 'for ((i = 0; i < $1; i++)); do "${@:2}" >/dev/null || exit 1; done; times' _ \
	"$RUNS" "$PROBE" -t 30 -c "$CRED" smtp://127.0.0.1 imap://127.0.0.1 |
	tail -n 1 | awk -v n="$RUNS" '{ split($0, t, /[ ms]+/); printf "%.2f", (t[1]*60000+t[2]*1000+t[3]*60000+t[4]*1000)/n }')
ok "protocol probes smtp + imap (login): $cpu ms"
ACTION=stop ss 2>/dev/null || not_ok "stop"
finish
