#!/usr/bin/env bash
#
# What one exec of exha-mail-probe costs, probing the real postfix and
# dovecot of tests/lib/mail-servers.sh (smtp + imap, as service-set's
# level-10 monitor does). Instruction counts from valgrind's callgrind
# (stable on a busy machine; the dynamic loader's work included):
#   - the probe as built (libssl is not in DT_NEEDED: dlopen on demand);
#   - the same with libssl.so.3 preloaded, i.e. what linking libssl into
#     the binary would cost every exec;
#   - smtp+starttls + imap+starttls, where OpenSSL is loaded and used.
# Also CPU time per exec over RUNS execs (user+sys, from the kernel). The
# comparison with ocf:heartbeat:postfix/dovecot is tests/bench of
# service-set. Figures only: the script fails only if a probe fails.
# shellcheck disable=SC2317 # helpers run through wait_until
set -euo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=tests/lib/mail-servers.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/mail-servers.sh"

require_root
require ip unshare openssl ss postconf dovecot valgrind
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROBE=${EXHA_MAIL_PROBE:-$(exha_command_path exha-mail-probe "$ROOT/build/monitors/mail-probe/exha-mail-probe")}
RUNS=${RUNS:-20}
# awk reads to the end: an early exit would SIGPIPE ldconfig (pipefail).
LIBSSL=$(ldconfig -p | awk '/libssl\.so\.3 .*x86-64/ && !found {print $NF; found = 1}')

# instructions <cmd...>: callgrind's total for one run of cmd in the namespace
# (LD_PRELOAD from PRELOAD: valgrind hands it to the program it runs).
instructions() {
	local out
	out=$(ip netns exec "$NS" env ${PRELOAD:+LD_PRELOAD="$PRELOAD"} valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1) ||
		{
			printf '%s\n' "$out" >&2
			return 1
		}
	printf '%s\n' "$out" | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' | tail -n 1
}

# cpu_ms <cmd...>: user+sys milliseconds per run over RUNS runs in the namespace.
cpu_ms() {
	ip netns exec "$NS" env ${PRELOAD:+LD_PRELOAD="$PRELOAD"} bash -c '
		n=$1; shift
		for ((i = 0; i < n; i++)); do "$@" >/dev/null || exit 1; done
		times' _ "$RUNS" "$@" | tail -n 1 |
		awk -v n="$RUNS" '{ split($0, t, /[ ms]+/); printf "%.2f", (t[1]*60000+t[2]*1000+t[3]*60000+t[4]*1000)/n }'
}

report() {
	local what=$1 n=$2 base=${3:-}
	[[ -n $n ]] || { not_ok "$what: no count"; return 0; }
	if [[ -n $base ]]; then
		ok "$(printf '%-52s %12d instructions (%.2fx)' "$what" "$n" "$(bc -l <<<"$n/$base")")"
	else
		ok "$(printf '%-52s %12d instructions' "$what" "$n")"
	fi
}

make_certs
make_copies
ns_new NS mail
ip -n "$NS" addr add 192.0.2.1/32 dev lo
start_servers

test_case "exha-mail-probe smtp://127.0.0.1 imap://127.0.0.1, one exec"
diag "$(readelf -d "$PROBE" | awk '/NEEDED/ {printf "%s ", $NF}')"
plain=$(instructions "$PROBE" smtp://127.0.0.1 imap://127.0.0.1)
report "as built (OpenSSL loaded only for STARTTLS)" "$plain"
with=$(PRELOAD=$LIBSSL instructions "$PROBE" smtp://127.0.0.1 imap://127.0.0.1)
report "libssl mapped at exec (as if in DT_NEEDED)" "$with" "$plain"
tls=$(instructions "$PROBE" -C "$T/ca.pem" smtp+starttls://127.0.0.1 imap+starttls://127.0.0.1)
report "smtp+starttls imap+starttls (TLS handshakes)" "$tls" "$plain"

test_case "CPU per exec over $RUNS execs (user+sys, busy machine: indicative)"
ok "cleartext smtp+imap: $(cpu_ms "$PROBE" smtp://127.0.0.1 imap://127.0.0.1) ms"
ok "libssl preloaded:    $(PRELOAD=$LIBSSL cpu_ms "$PROBE" smtp://127.0.0.1 imap://127.0.0.1) ms"
ok "starttls smtp+imap:  $(cpu_ms "$PROBE" -C "$T/ca.pem" smtp+starttls://127.0.0.1 imap+starttls://127.0.0.1) ms"
finish
