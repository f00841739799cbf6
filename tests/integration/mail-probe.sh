#!/usr/bin/env bash
#
# exha-mail-probe (and so libmailprobe, which ocf:exha:service-set links)
# against Debian's real postfix and dovecot, started by this script in a
# network namespace of its own AND a private mount namespace in which
# per-test copies of /etc/postfix, /etc/dovecot, /var/spool/postfix,
# /var/lib/postfix and /var/lib/dovecot are bind-mounted over the real
# ones and /run is a tmpfs: the host's instances and other tests are never
# touched. TLS: a CA and a server certificate made here with openssl. A
# mute server and a wrong-greeting server are small python3 listeners.
#
#   netns lo: 127.0.0.1, ::1, and 192.0.2.1 (a non-loopback address on lo,
#   for the "no cleartext password over a network" rule)
#
# Run as root; the probe from EXHA_MAIL_PROBE, else a DESTDIR install (EXHA_DESTDIR), else PATH, else build/.
# shellcheck disable=SC2317 # helpers run through check and wait_until
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=tests/lib/mail-servers.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/mail-servers.sh"

require_root
require ip unshare openssl python3 ss postconf dovecot
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROBE=${EXHA_MAIL_PROBE:-$(exha_command_path exha-mail-probe "$ROOT/build/monitors/mail-probe/exha-mail-probe")}
if [[ ! -x $PROBE ]]; then
	not_ok "exha-mail-probe is built (make, or set EXHA_MAIL_PROBE)"
	finish
fi

# A tiny listener: "mute" accepts and never answers; "greet LINE" answers LINE.
start_fake() {
	local port=$1 name=$2
	shift 2
	ip netns exec "$NS" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
    if len(sys.argv) > 2:
        c.sendall(sys.argv[2].encode() + b"\r\n")
' "$port" "$@" >/dev/null 2>&1 &
	echo $! >"$T/$name.pid"
	defer stop_pid "$T/$name.pid"
	wait_until 20 listening "$port"
}

# ------------------------------------------------------------------ probes

# probe <expected rc> <description> <args...>: run the CLI in the namespace;
# ok when it exits so with one status line and no trace of the password.
probe() {
	local want=$1 what=$2 why=""
	shift 2
	run_cmd run_in_ns "$NS" timeout 20 "$PROBE" "$@"
	((T_RC == want)) || why+=" rc $T_RC, not $want;"
	[[ $(printf '%s\n' "$T_OUT" | wc -l) -eq 1 && -n $T_OUT ]] || why+=" not one status line;"
	[[ "$T_OUT$T_ERR" != *Pr0be* ]] || why+=" the password is in the output;"
	if [[ -z $why ]]; then
		ok "$what (rc $T_RC)"
		diag "$T_OUT"
	else
		not_ok "$what:$why"
		diag_block "$(cmd_text "$PROBE" "$@")" "$T_OUT$T_ERR"
	fi
}

creds() {
	printf 'user=%s\npassword=%s\n' "$2" "$3" >"$T/$1"
	chmod 600 "$T/$1"
}

test_healthy() {
	test_case "healthy servers"
	probe 0 "smtp answers 220, EHLO, QUIT" smtp://127.0.0.1:25
	assert_contains "$T_OUT" "MAIL OK - smtp://127.0.0.1:25 220 mx.exha.test ESMTP"
	probe 0 "smtp over IPv6" "smtp://[::1]"
	probe 0 "imap answers * OK, CAPABILITY, LOGOUT" imap://127.0.0.1
	assert_contains "$T_OUT" "* OK"
	probe 0 "pop3 answers +OK, QUIT" pop3://127.0.0.1:110
	probe 0 "three URLs in one run" smtp://127.0.0.1 imap://[::1]:143 pop3://127.0.0.1
	assert_contains "$T_OUT" "pop3://127.0.0.1 +OK"
}

test_login() {
	test_case "login"
	creds good probe "$SECRET"
	creds bad probe wrong-password
	probe 0 "imap LOGIN with the right password" -c "$T/good" imap://127.0.0.1
	probe 0 "pop3 USER/PASS with the right password" -c "$T/good" pop3://127.0.0.1
	probe 2 "imap LOGIN refused" -c "$T/bad" imap://127.0.0.1
	assert_contains "$T_OUT" "LOGIN: refused"
	probe 2 "pop3 PASS refused" -c "$T/bad" pop3://127.0.0.1
	assert_contains "$T_OUT" "PASS: refused"
	chmod 640 "$T/good"
	probe 3 "a credentials file the group may read is refused" -c "$T/good" imap://127.0.0.1
	assert_contains "$T_OUT" "must be owned by root"
	chmod 600 "$T/good"
	probe 3 "no cleartext password to a non-loopback address" -c "$T/good" imap://192.0.2.1
	assert_contains "$T_OUT" "cleartext"
}

test_starttls() {
	test_case "STARTTLS"
	probe 0 "smtp+starttls verified against the test CA" -C "$T/ca.pem" smtp+starttls://127.0.0.1
	probe 0 "imap+starttls" -C "$T/ca.pem" "imap+starttls://[::1]"
	probe 0 "pop3+starttls" -C "$T/ca.pem" pop3+starttls://127.0.0.1
	probe 0 "imap+starttls LOGIN over a non-loopback address" -C "$T/ca.pem" -c "$T/good" \
		imap+starttls://192.0.2.1
	probe 2 "smtp+starttls with the wrong CA fails verification" -C "$T/wrong-ca.pem" \
		smtp+starttls://127.0.0.1
	assert_contains "$T_OUT" "TLS: certificate verification failed"
	probe 2 "imap+starttls with the wrong CA" -C "$T/wrong-ca.pem" imap+starttls://127.0.0.1
	probe 2 "the system trust store does not know the test CA" pop3+starttls://127.0.0.1
	assert_contains "$T_OUT" "certificate verification failed"
}

test_failures() {
	test_case "failing servers"
	probe 2 "a closed port is refused" smtp://127.0.0.1:2525
	assert_contains "$T_OUT" "Connection refused"
	start_fake 2526 mute
	probe 2 "a server that never answers times out" -t 1 imap://127.0.0.1:2526
	assert_contains "$T_OUT" "greeting: timed out"
	start_fake 2527 busy "554 5.3.2 mx busy"
	probe 2 "a 554 greeting is a wrong greeting" smtp://127.0.0.1:2527
	assert_contains "$T_OUT" "greeting: expected 220, got '554 5.3.2 mx busy'"
	probe 2 "postfix's greeting is not IMAP's" imap://127.0.0.1:25
	assert_contains "$T_OUT" "expected '* OK'"
	probe 2 "dovecot's IMAP greeting is not POP3's" pop3://127.0.0.1:143
	probe 2 "one failing URL of two makes the run CRITICAL" smtp://127.0.0.1 smtp://127.0.0.1:2525
	assert_contains "$T_OUT" "MAIL CRITICAL"
}

test_bad_usage() {
	test_case "bad usage"
	probe 3 "an http URL" http://127.0.0.1
	probe 3 "a port out of range" smtp://127.0.0.1:65536
	probe 3 "a URL with a path" smtp://127.0.0.1/x
	probe 3 "a bad timeout" -t 0 smtp://127.0.0.1
	probe 3 "no URL at all"
}

test_cleanup() {
	test_case "cleanup"
	stop_pid "$T/postfix.pid"
	stop_pid "$T/dovecot.pid"
	stop_pid "$T/mute.pid"
	stop_pid "$T/busy.pid"
	if wait_until 15 ns_no_processes "$NS"; then
		ok "no process of the test left in the namespace"
	else
		not_ok "no process of the test left in the namespace"
		diag_block left "$(ps -o pid,args -p "$(ip netns pids "$NS" | paste -sd,)")"
	fi
	check "the host's /etc/postfix is not the test's" \
		bash -c "! grep -q mx.exha.test /etc/postfix/main.cf"
}

make_certs
make_copies
ns_new NS mail
ip -n "$NS" addr add 192.0.2.1/32 dev lo
start_servers
test_healthy
test_login
test_starttls
test_failures
test_bad_usage
test_cleanup
finish
