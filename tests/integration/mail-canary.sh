#!/usr/bin/env bash
#
# The mail canary (shared/mailprobe/canary.h): ocf:exha:service-set's
# canary monitor level and exha-mail-probe --canary, against Debian's real
# Postfix delivering through virtual(8) into a Maildir that the real
# Dovecot serves, in the namespaces of tests/lib/mailenv.sh (the store on a
# loop-mounted ext4). A healthy set passes, with every step timed; a full
# queue fails naming the submit step, a read-only store the IMAP step that
# meets it, a delivery agent that cannot write the deliver step; a check
# killed with SIGKILL mid-way leaves its canary, which the next check
# deletes; and no canary is ever left in the mailbox after a passing check.
#
# Run as root after `make install`, or with EXHA_AGENT_DIR (and
# EXHA_MAIL_PROBE) pointing at a build tree.
# shellcheck disable=SC2317 # helpers run through check and wait_until
set -euo pipefail

# shellcheck source=tests/lib/mailenv.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/mailenv.sh"

AGENT_TYPE=service-set
require_agent
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROBE=${EXHA_MAIL_PROBE:-$(exha_command_path exha-mail-probe "$ROOT/build/monitors/mail-probe/exha-mail-probe")}
MAILBOX=/var/mail/$USER_NAME
ADDRESS=$USER_NAME@example.test

# ss <action> [name=value...]: the agent as Pacemaker runs it (recurring monitor).
ss() {
	local -a envs=(
		"OCF_ROOT=$OCF_ROOT"
		"OCF_RESOURCE_INSTANCE=$AGENT_INSTANCE"
		"OCF_RESKEY_CRM_meta_timeout=${AGENT_TIMEOUT_MS:-20000}"
		"OCF_RESKEY_CRM_meta_interval=600000"
	)
	local action=$1 arg
	shift
	for arg in "$@"; do
		case $arg in
		OCF_*=*) envs+=("$arg") ;;
		*) envs+=("OCF_RESKEY_$arg") ;;
		esac
	done
	run_cmd env -i "${envs[@]}" "$(agent_path)" "$action"
}

# Canary messages in the Maildir (delivered, whether seen or not).
canaries() {
	grep -rls '^X-Exha-Canary: ' "$MAILBOX/new" "$MAILBOX/cur" 2>/dev/null | wc -l
}

canaries_are() { [[ $(canaries) == "$1" ]]; }

# Ask Postfix to deliver its deferred mail now, then count: a flush asked
# for while a reload restarts qmgr is lost, so it is asked again each time.
FLUSHED_MS=0
flushed_canaries_are() {
	if (($(now_ms) - FLUSHED_MS >= 1000)); then
		postqueue -f 2>/dev/null || true
		FLUSHED_MS=$(now_ms)
	fi
	canaries_are "$1"
}

# What Postfix holds and did, when a canary is not where it should be.
diag_postfix() {
	diag_block "postqueue -p" "$(postqueue -p 2>&1)"
	diag_block "postfix log (tail)" "$(tail -n 20 "$T_TMP/postfix.log" 2>&1)"
}

# A message to the canary mailbox in Postfix's deferred queue: accepted,
# not delivered. Postfix's own notices to postmaster wait there too, and
# do not count. (grep -c reads to the end: -q would SIGPIPE the first grep.)
deferred() {
	(($(postqueue -j 2>/dev/null | grep '"queue_name": *"deferred"' |
		grep -c "\"address\": *\"$ADDRESS\"") > 0))
}

mail_probe() {
	run_cmd "$PROBE" "$@"
}

# ----------------------------------------------------------------- cases

case_bad_parameters() {
	test_case "canary parameters checked by validate-all and start"
	local -a base=(services=postfix backend=lsb)
	assert_rc 6 ss validate-all "${base[@]}" canary=not-an-address "canary_credentials=$CRED"
	assert_exit_reason canary
	assert_rc 6 ss validate-all "${base[@]}" "canary=$ADDRESS"
	assert_exit_reason canary_credentials
	assert_rc 6 ss validate-all "${base[@]}" "canary=$ADDRESS" canary_credentials=relative
	assert_exit_reason canary_credentials
	assert_rc 6 ss validate-all "${base[@]}" "canary=$ADDRESS" "canary_credentials=$CRED" \
		canary_submit=imap://127.0.0.1
	assert_exit_reason canary_submit
	assert_rc 6 ss validate-all "${base[@]}" "canary=$ADDRESS" "canary_credentials=$CRED" \
		canary_read=pop3://127.0.0.1
	assert_exit_reason canary_read
	assert_rc 6 ss validate-all "${base[@]}" "canary=$ADDRESS" "canary_credentials=$CRED" \
		canary_level=0
	assert_exit_reason canary_level
	printf 'user=u\npassword=p\n' >"$T_TMP/open-cred"
	chmod 0644 "$T_TMP/open-cred"
	local action
	for action in validate-all start; do
		assert_rc 5 ss "$action" "${base[@]}" "canary=$ADDRESS" \
			"canary_credentials=$T_TMP/open-cred"
		assert_exit_reason canary_credentials
	done
	check "start refused before it started anything" nothing_runs
}

case_healthy() {
	test_case "a healthy set: the canary goes through, every step timed"
	assert_rc 0 ss start "${SET[@]}"
	assert_rc 0 ss monitor "${SET[@]}" OCF_CHECK_LEVEL=20
	assert_contains "$T_ERR" "mail canary" "the log has the canary's latencies"
	assert_contains "$T_ERR" "deliver" "with the deliver step"
	check "no canary is left in the mailbox" canaries_are 0
	# Level 10 stays the protocol probes: no message sent.
	assert_rc 0 ss monitor "${SET[@]}" OCF_CHECK_LEVEL=10
	assert_not_contains "$T_ERR" "mail canary" "level 10 sends no canary"
	mail_probe -t 20 -c "$CRED" -m "$ADDRESS" smtp://127.0.0.1 imap://127.0.0.1
	if [[ $T_RC == 0 && $T_OUT == "MAIL OK - canary to $ADDRESS in "*deliver*delete* ]]; then
		ok "exha-mail-probe --canary: $T_OUT"
	else
		not_ok "exha-mail-probe --canary passes (rc $T_RC): $T_OUT"
	fi
	check "no canary is left in the mailbox" canaries_are 0
	# A wrong password is a failed clean step (login), not a healthy mailbox.
	printf 'user=%s\npassword=wrong\n' "$USER_NAME" >"$T_TMP/bad-cred"
	chmod 0600 "$T_TMP/bad-cred"
	assert_rc 1 ss monitor "${SET[@]}" "canary_credentials=$T_TMP/bad-cred" OCF_CHECK_LEVEL=20
	assert_exit_reason clean LOGIN
}

# Postfix refuses mail when its queue file system is short of queue_minfree:
# what a full queue looks like to a client ("452 4.3.1 Insufficient system storage").
case_queue_full() {
	test_case "a full queue: the submit step fails, naming the refusal"
	postconf -e queue_minfree=1000000000000000
	postfix reload >/dev/null 2>&1
	assert_rc 1 ss monitor "${SET[@]}" OCF_CHECK_LEVEL=20
	assert_exit_reason "submit at smtp://127.0.0.1:25" 452
	mail_probe -t 10 -c "$CRED" -m "$ADDRESS" smtp://127.0.0.1 imap://127.0.0.1
	assert_contains "$T_OUT" "MAIL CRITICAL - canary" "exha-mail-probe is CRITICAL"
	assert_contains "$T_OUT" "submit at" "naming the submit step"
	postconf -X queue_minfree
	postfix reload >/dev/null 2>&1
	assert_rc 0 ss monitor "${SET[@]}" OCF_CHECK_LEVEL=20
}

# The store remounted read-only: Dovecot 2.3 keeps its indexes beside the
# Maildir and cannot open INBOX; the clean step (the first) names it.
case_store_read_only() {
	test_case "a read-only store: the failed step is named"
	mount -o remount,ro /var/mail
	ss monitor "${SET[@]}" OCF_CHECK_LEVEL=20
	if [[ $T_RC == 1 ]]; then ok "monitor fails (1)"; else not_ok "monitor fails (1), got $T_RC"; fi
	assert_exit_reason "clean at imap://127.0.0.1:143" "SELECT INBOX"
	mount -o remount,rw /var/mail
	assert_rc 0 ss monitor "${SET[@]}" OCF_CHECK_LEVEL=20
}

# The delivery agent cannot write the store (virtual(8) runs as a user the
# Maildir refuses): Postfix accepts the canary and keeps it queued; the
# deliver step stalls and is named. Once delivery works again the canary
# arrives late, and the next check deletes it.
case_delivery_stalled() {
	test_case "a delivery agent that cannot write: the deliver step stalls and is named"
	postconf -e virtual_uid_maps=static:$((MAILUID + 1)) virtual_gid_maps=static:$((MAILUID + 1))
	postfix reload >/dev/null 2>&1
	AGENT_TIMEOUT_MS=10000 ss monitor "${SET[@]}" OCF_CHECK_LEVEL=20
	if [[ $T_RC == 1 ]]; then ok "monitor fails (1)"; else not_ok "monitor fails (1), got $T_RC"; fi
	assert_exit_reason "deliver: accepted by smtp://127.0.0.1:25" "not in INBOX"
	check "the canary waits in Postfix's deferred queue" wait_until 10 deferred
	postconf -e virtual_uid_maps=static:$MAILUID virtual_gid_maps=static:$MAILUID
	postfix reload >/dev/null 2>&1
	check "it arrives once delivery works" wait_until 30 flushed_canaries_are 1
	canaries_are 1 || diag_postfix
	assert_rc 0 ss monitor "${SET[@]}" OCF_CHECK_LEVEL=20
	assert_contains "$T_ERR" "1 old removed" "the next check deleted the late canary"
	check "no canary is left in the mailbox" canaries_are 0
}

# SIGKILL of a check between submit and delete (delivery held so that it
# waits): its canary stays behind; the next check of the same owner
# deletes it, and another owner's check leaves it alone.
case_kill_9() {
	local pid
	test_case "kill -9 mid-check: the next check deletes the canary left behind"
	postconf -e defer_transports=virtual
	postfix reload >/dev/null 2>&1
	"$PROBE" -t 60 -c "$CRED" -m "$ADDRESS" -o killed-owner smtp://127.0.0.1 imap://127.0.0.1 \
		>/dev/null &
	pid=$!
	check "the check's canary is accepted and deferred" wait_until 20 deferred
	check "the check still waits for it" kill -0 "$pid"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	postconf -X defer_transports
	postfix reload >/dev/null 2>&1
	check "the killed check's canary is delivered and left behind" \
		wait_until 30 flushed_canaries_are 1
	canaries_are 1 || diag_postfix
	mail_probe -t 20 -c "$CRED" -m "$ADDRESS" -o other-owner smtp://127.0.0.1 imap://127.0.0.1
	assert_contains "$T_OUT" "MAIL OK" "another owner's check passes"
	assert_contains "$T_OUT" "0 old removed" "and leaves that canary alone"
	check "the canary left behind is still there" canaries_are 1
	mail_probe -t 20 -c "$CRED" -m "$ADDRESS" -o killed-owner smtp://127.0.0.1 imap://127.0.0.1
	assert_contains "$T_OUT" "MAIL OK" "the owner's next check passes"
	assert_contains "$T_OUT" "1 old removed" "and deletes it"
	check "no canary is left in the mailbox" canaries_are 0
}

case_stop() {
	test_case "stop"
	assert_rc 0 ss stop "${SET[@]}"
	check "nothing of postfix or dovecot is left" nothing_runs
}

# ---------------------------------------------------------------------- run

setup_mail_env
if [[ -n ${EXHA_SS_DEBUG_CMD:-} ]]; then
	eval "$EXHA_SS_DEBUG_CMD" || true
	finish
fi

CRED="$T_TMP/canary-credentials"
printf 'user=%s\npassword=%s\n' "$USER_NAME" "$PASSWORD" >"$CRED"
chmod 0600 "$CRED"
AGENT_INSTANCE="${T_PREFIX}-canary"
SET=(services="postfix dovecot" backend=lsb "pid_files=$PID_FILES"
	"probes=postfix=smtp://127.0.0.1:25 dovecot=imap://127.0.0.1:143"
	"canary=$ADDRESS" "canary_credentials=$CRED")

case_bad_parameters
case_healthy
case_queue_full
case_store_read_only
case_delivery_stalled
case_kill_9
case_stop
finish
