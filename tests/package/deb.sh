#!/usr/bin/env bash
#
# The Debian package, built and installed the way an administrator would:
# dpkg-buildpackage from a copy of the tree, lintian, then dpkg -i on this
# machine as it is, but inside a private mount namespace whose /usr, /etc
# and /var are overlays (writes land in this run's temporary directory) and
# whose /run is a fresh tmpfs. So the maintainer scripts and triggers really
# run, the package lands where Pacemaker looks, and nothing of it (nor of
# the purge) reaches the host, where other stages use `make install`.
#
# Checks: every file in place, crm_resource --list-agents ocf:exha lists
# exactly the agents the tree builds, each agent's meta-data as Pacemaker
# reads it, a man page per agent and command, ocf-tester (the compliance
# scripts) against the installed agents, then purge leaves no file that was
# not there before (in /usr, /etc, /var and /run).
set -euo pipefail

# Everything below runs in a mount namespace of its own; its mounts end
# with it.
if [[ -z ${EXHA_PKG_NS:-} ]]; then
	exec unshare --mount --propagation private env EXHA_PKG_NS=1 bash "$0" "$@"
fi

AGENT_DIR=/usr/lib/ocf/resource.d/exha
# The package's agents, whatever the caller's environment says.
export EXHA_AGENT_DIR=$AGENT_DIR EXHA_RUNDIR=/run/exha
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

require_root
require dpkg-buildpackage dh lintian ocf-tester crm_resource xmllint git

# The agents and commands the tree builds, from its Makefiles (not from the
# package: a program the package forgot must show up missing).
mapfile -t AGENTS < <(sed -n 's/^exhaagent_PROGRAMS *+*= *\([^ ]*\).*/\1/p' \
	"$ROOT"/resource-agents/Makefile.am "$ROOT"/monitors/Makefile.am | sed 's,.*/,,' | grep . | sort)
mapfile -t COMMANDS < <(sed -n 's/^sbin_PROGRAMS *+*= *\([^ ]*\).*/\1/p' \
	"$ROOT"/resource-agents/Makefile.am "$ROOT"/monitors/Makefile.am | sed 's,.*/,,' | grep . | sort)

diag "$SECONDS s"
test_case "build"
# The files git knows, as they are in the work tree: what a clean clone has.
mkdir "$T_TMP/src" "$T_TMP/src/exha"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) |
	tar -C "$T_TMP/src/exha" -xf -
# nocheck: the unit tests run in their own stage (unit-san).
run_cmd env -C "$T_TMP/src/exha" DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -us -uc -b
if ((T_RC != 0)); then
	diag_block "dpkg-buildpackage" "$(tail -n 40 "$T_TMP/out")${T_ERR:+$'\n'$T_ERR}"
	not_ok "dpkg-buildpackage -us -uc -b builds the package"
	finish
fi
ok "dpkg-buildpackage -us -uc -b builds the package"
DEB=$(ls "$T_TMP"/src/exha_*.deb)
CHANGES=$(ls "$T_TMP"/src/exha_*.changes)

run_cmd lintian --pedantic "$CHANGES"
diag_block "lintian --pedantic (E: error, W: warning, I/P/X: informational)" "$T_OUT"
if grep -q '^E:' <<<"$T_OUT"; then
	not_ok "lintian reports no error"
else
	ok "lintian reports no error"
fi

diag "$SECONDS s"
test_case "install"
# /usr, /etc, /var: overlays over the host's; /run: empty but for what
# the tools need. The build stage's `make install` (agents in the host's
# OCF directory) is removed from this view: a node that never had exha.
for d in usr etc var; do
	mkdir -p "$T_TMP/ovl/$d/upper" "$T_TMP/ovl/$d/work"
	mount -t overlay "exha-pkg-$d" \
		-o "lowerdir=/$d,upperdir=$T_TMP/ovl/$d/upper,workdir=$T_TMP/ovl/$d/work" "/$d"
done
# Never a bind mount of the host's /run (or of anything of the host's)
# under $T_TMP: the cleanup removes $T_TMP recursively.
mount -t tmpfs -o mode=755 exha-pkg-run /run
install -d -m 1777 /run/lock
# Unmounted before $T_TMP is removed (the cleanup runs the last deferred first).
defer umount -l /run
defer umount -l /var
defer umount -l /etc
defer umount -l /usr
# Whatever this script writes or removes from here on must land in the
# overlays: refuse to go on otherwise.
for d in /usr /etc /var; do
	if [[ $(findmnt -n -o FSTYPE --mountpoint "$d") != overlay ]]; then
		not_ok "$d is this run's overlay"
		finish
	fi
done
[[ $(findmnt -n -o FSTYPE --mountpoint /run) == tmpfs ]] || { not_ok "/run is this run's tmpfs"; finish; }
rm -rf "$AGENT_DIR"

snapshot() {
	find /usr /etc /var /run -path /run/netns -prune -o -print | sort >"$1"
}
snapshot "$T_TMP/before"

run_cmd dpkg -i "$DEB"
diag_block "dpkg -i" "$T_OUT${T_ERR:+$'\n'$T_ERR}"
if ((T_RC != 0)); then
	not_ok "dpkg -i installs the package (exit status $T_RC)"
	finish
fi
ok "dpkg -i installs the package"
check "dpkg reports it installed" \
	test "$(dpkg-query -W -f='${db:Status-Status}' exha)" = installed

# page_clean <name>: the installed page renders, and groff warns of nothing.
page_clean() {
	local warnings
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings "$1" 2>&1 >/dev/null) || return 1
	[[ -z $warnings ]] || { printf '%s\n' "$warnings"; return 1; }
}

missing=()
while read -r f; do
	[[ -e $f ]] || missing+=("$f")
done < <(dpkg -L exha)
check "every file dpkg lists is there" test ${#missing[@]} -eq 0
((${#missing[@]} == 0)) || diag_block "missing" "$(printf '%s\n' "${missing[@]}")"

for a in "${AGENTS[@]}"; do
	check "agent $a: $AGENT_DIR/$a, executable" test -x "$AGENT_DIR/$a"
	check "agent $a: man ocf_exha_$a finds its page" man -w "ocf_exha_$a"
	check "agent $a: its page renders without a groff warning" page_clean "ocf_exha_$a"
	check "agent $a: crm_resource --show-metadata reads it, valid against ra-api-1.dtd" \
		bash -c "crm_resource --show-metadata ocf:exha:$a |
			xmllint --noout --dtdvalid /usr/share/resource-agents/ra-api-1.dtd -"
done
for c in "${COMMANDS[@]}"; do
	check "command $c: on the PATH" command -v "$c"
	check "command $c: man $c finds its page" man -w "$c"
	check "command $c: its page renders without a groff warning" page_clean "$c"
done
# dh_compress compresses what is over 4 KiB, as Debian's policy asks.
for f in admin-guide.md switching-disk.md README.md copyright; do
	check "/usr/share/doc/exha/$f (or .gz)" \
		bash -c "test -s /usr/share/doc/exha/$f || test -s /usr/share/doc/exha/$f.gz"
done

listed=$(crm_resource --list-agents ocf:exha | sort)
diag_block "crm_resource --list-agents ocf:exha" "$listed"
check "crm_resource --list-agents ocf:exha lists exactly the agents the tree builds (${AGENTS[*]})" \
	test "$listed" = "$(printf '%s\n' "${AGENTS[@]}")"

diag "$SECONDS s"
test_case "ocf-tester on the installed agents"
# The compliance scripts, pointed at the package's agents (their own
# namespaces, loop devices and slapd; each prints its own TAP lines).
# service-set's (real Postfix and Dovecot through their init scripts, 1-3
# min) runs in its own stage; here ocf-tester checks the installed agent
# with a member of the exec backend, which takes a second. The monitors'
# ocf-tester needs a cluster (tests/compliance/monitors.sh).
for t in ocf-tester switching-disk ad-fixup; do
	start=$SECONDS
	run_cmd timeout -k 10 300 bash "$ROOT/tests/compliance/$t.sh"
	diag "tests/compliance/$t.sh: $((SECONDS - start)) s"
	diag_block "tests/compliance/$t.sh" "$(grep -E '^(ok|not ok|[0-9]+ passed)' "$T_TMP/out")"
	if ((T_RC == 0)); then
		ok "tests/compliance/$t.sh against $AGENT_DIR: $(tail -n 1 "$T_TMP/out")"
	else
		not_ok "tests/compliance/$t.sh against $AGENT_DIR (exit status $T_RC)"
		diag_block "output" "$(tail -n 60 "$T_TMP/out")${T_ERR:+$'\n'$T_ERR}"
	fi
done

diag "$SECONDS s"
AGENT_TYPE=service-set
ocf_tester - "$T_PREFIX-ss" services=sleeper backend=exec "exec_commands=sleeper=/usr/bin/sleep 3600"
# A stopped set keeps only bookkeeping: the action lock and its restart history.
check "service-set: $T_PREFIX-ss's state directory holds no running state after ocf-tester's stop" \
	bash -c "[[ -z \$(ls -A /run/exha/$T_PREFIX-ss 2>/dev/null | grep -Ev '^(lock|.*\.restarts|restarts\.total)\$') ]]"

test_case "purge"
# What purge does with /run/exha. Its postrm first, by itself, on a node
# whose resources all stopped (empty directories only): all of it goes.
install -d -m 700 /run/exha "/run/exha/$T_PREFIX-stopped"
: >"/run/exha/$T_PREFIX-stopped/lock"
echo 1 >"/run/exha/$T_PREFIX-stopped/postfix.restarts"
check "postrm purge, run by itself: succeeds" sh /var/lib/dpkg/info/exha.postrm purge
check "postrm purge with only stopped resources' directories: /run/exha is gone" \
	test ! -e /run/exha
# Then dpkg --purge on a node where one resource still records state.
install -d -m 700 /run/exha "/run/exha/$T_PREFIX-stopped" "/run/exha/$T_PREFIX-live"
echo 1 >"/run/exha/$T_PREFIX-live/marker"
run_cmd dpkg --purge exha
diag_block "dpkg --purge" "$T_OUT${T_ERR:+$'\n'$T_ERR}"
check "dpkg --purge exha succeeds" test "$T_RC" -eq 0
check "dpkg no longer knows the package" \
	bash -c "! dpkg-query -W -f='\${db:Status-Status}' exha 2>/dev/null | grep -qv not-installed"
check "purge removed the stopped resource's empty directory" test ! -e "/run/exha/$T_PREFIX-stopped"
check "purge left the recorded state alone" test -f "/run/exha/$T_PREFIX-live/marker"
check "purge said so" grep -q '/run/exha still holds resource state' <<<"$T_ERR"
# That state is this test's own: removed, nothing of /run/exha remains.
rm -r /run/exha
snapshot "$T_TMP/after"
# dpkg's own bookkeeping (its -old backups, trigger records), its log and
# man-db's index change with any package, and libmount keeps /run/mount
# for the test's loop mounts: only those may differ.
churn='^/var/lib/dpkg/([a-z]+-old|triggers(/.*)?)$|^/var/log/|^/var/cache/man(/.*)?$|^/run/mount(/.*)?$'
left=$(comm -13 "$T_TMP/before" "$T_TMP/after" | grep -Ev "$churn" || true)
gone=$(comm -23 "$T_TMP/before" "$T_TMP/after" | grep -Ev "$churn" || true)
diag_block "left behind" "$left"
diag_block "removed that was there before" "$gone"
check "purge leaves no new file in /usr, /etc, /var, /run" test -z "$left"
check "install and purge removed nothing that was there before" test -z "$gone"

diag "$SECONDS s"
finish
