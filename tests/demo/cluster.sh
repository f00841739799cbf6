#!/usr/bin/env bash
#
# The mail group failing over in a real two-node corosync 3 + Pacemaker 2.1
# cluster on this machine (tests/cluster/lib.sh: each node a network, mount
# and UTS namespace; fencing on), as a mail client on the LAN sees it:
#
#   node1 192.0.2.1 --\                 /-- client 192.0.2.254
#                      br0 (the LAN) --<
#   node2 192.0.2.2 --/   floating IP 192.0.2.100: SMTP 25, IMAP 143
#   (interconnect 198.51.100.0/24 on br1; the switching disk one image that
#   each node reaches through a path of its own, /run/cluster-disk/mail)
#
# 1. the group starts (floating IP, switching disk, Postfix + Dovecot, the
#    directory fixup against a test slapd); the client sends mail to the
#    floating IP
# 2. failover: the active node loses power; the survivor fences it and
#    takes the group; the client's mail is all there
# 3. failback: the node comes back; `crm_resource --move` returns the group
# 4. after each move, its timeline: exha-timeline on the group's node, from
#    Pacemaker's own records (the CIB's operation history, the fencer's
#    history); and how to look by hand (DEMO_KEEP=1 keeps the cluster up
#    until Enter is pressed).
#
# Environment: EXHA_DESTDIR (build/dest), DEMO_KEEP=1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/cluster/lib.sh
. "$here/../cluster/lib.sh"

require_root
require corosync pacemakerd crm crm_mon cibadmin nsenter unshare losetup mkfs.ext4 postfix dovecot
T0=$(now_ms)
say() {
	local t=$(($(now_ms) - T0))
	printf '[%3d.%03ds] %s\n' $((t / 1000)) $((t % 1000)) "$*"
}

# Where the directory points once the fixup has run on the group's node.
show_directory() {
	[[ -n $CL_DIR ]] || return 0
	if wait_until 90 cl_directory_at "$1"; then
		say "directory: mail users, routing, OAB and the Exchange SPNs point at $1"
		ok "the directory points at $1"
	else
		not_ok "the directory points at $1"
	fi
}

send_mail() { # N messages through the floating IP; count the accepted ones
	mailclient sendn "$CL_FIP" "$1" "$T_TMP/accepted"
	say "client: $(wc -l <"$T_TMP/accepted") messages accepted (SMTP 250) so far"
}
readable() {
	mailclient ids "$CL_FIP" >"$T_TMP/inbox" || return 1
	! grep -vxFf "$T_TMP/inbox" "$T_TMP/accepted" >/dev/null
}
show_mail() {
	if wait_until 30 readable; then
		say "client: IMAP on $CL_FIP: all $(wc -l <"$T_TMP/accepted") accepted messages are in the mailbox"
		ok "every accepted message is readable"
	else
		not_ok "every accepted message is readable"
	fi
}
wait_answer() { # wait_answer AVOID: the services answer, not from AVOID
	local t
	if t=$(mailclient wait "$CL_FIP" 180 "$1"); then
		say "client: SMTP and IMAP answer on $CL_FIP again, from $(cl_group_node)," \
			"$((t - $2)) ms after the fault"
		ok "the mail service answers from the other node"
	else
		not_ok "the mail service answers from the other node"
	fi
}

say "setting up: two nodes, the LAN and interconnect bridges, a client, the switching disk"
cl_init
cl_node_add node1 1
cl_node_add node2 2
cl_disk_create
cl_mail_config node1
cl_mail_config node2
if cl_has_agent ad-fixup; then
	cl_directory_start 40 || { not_ok "the test slapd answers"; finish; }
	say "the directory: a test slapd on $CL_DIR, $CL_DIR_USERS mail users on node1 (the primary)"
fi
cl_start || { not_ok "two nodes come online"; finish; }
say "corosync + Pacemaker: node1 and node2 online; fencing: fence_exha_ns (stonith-enabled=true)"

say "== the group: crm configure load update (doc/admin-guide.md's configuration):"
cl_group_config exha | sed 's/^/     /'
cl_define_group exha
for r in $(cl_members exha) link; do say "   $r: $(cl_agent_of "$r")"; done
wait_until 180 cl_answers || { not_ok "the group starts"; finish; }
active=$(cl_group_node)
say "the group runs on $active; SMTP and IMAP answer on $CL_FIP"
show_directory "$active"
send_mail 5

# exha-timeline since the move began (the CIB keeps only the last operations
# of each resource per node: each move is shown right after it).
timeline() {
	local node=$1 since
	since=$(date -u -d "@$(($2 / 1000))" +%FT%TZ)
	say "== timeline: exha-timeline --group mail --since $since (on $node)"
	if cl_timeline "$node" --group mail --since "$since" >"$T_TMP/timeline" 2>&1; then
		sed 's/^/   /' "$T_TMP/timeline"
		ok "exha-timeline shows the move"
	else
		sed 's/^/   /' "$T_TMP/timeline"
		not_ok "exha-timeline shows the move"
	fi
}

printf '\n'
other=$(cl_other "$active")
say "== failover: $active loses power (every process of it killed)"
t=$(now_ms)
cl_power_off "$active"
wait_answer "$active" "$t"
say "fencing: $(on "$other" stonith_admin -H "$active" 2>/dev/null | head -n 1)"
send_mail 5
show_mail
show_directory "$other"
timeline "$other" "$t"

printf '\n'
say "== $active boots again and rejoins"
cl_boot "$active"
wait_until 120 cl_online "$other" 2 && say "both nodes online; the group stays on $other (stickiness)"
say "== failback: crm_resource --move -r mail -N $active (pcs resource move-with-constraint)"
t=$(now_ms)
on "$other" crm_resource --move -r mail -N "$active" >/dev/null 2>&1 || true
wait_answer "$other" "$t"
on "$other" crm_resource --clear -r mail >/dev/null 2>&1 || true
send_mail 5
show_mail
show_directory "$active"
timeline "$active" "$t"
printf '\n'

say "== to look by hand (while the cluster is up: DEMO_KEEP=1 $0):"
for n in node1 node2; do
	printf '   nsenter -t %s -n -m -u crm_mon -1     # %s: cluster status\n' "$(cl_holder "$n")" "$n"
done
printf '   nsenter -t %s -n -m -u exha-timeline --since 1h   # --json for scripts\n' "$(cl_holder "$other")"
printf '   nsenter -t %s -n -m -u crm configure show\n' "$(cl_holder "$other")"
printf '   nsenter -t %s -n -m -u crm resource move mail %s\n' "$(cl_holder "$other")" "$other"
printf '   ip netns exec %s python3 %s probe %s; echo $?\n' "$CL_CLIENT" "$CL_HERE/mailclient.py" "$CL_FIP"
printf '   logs: %s/<node>/var/log/pacemaker/{pacemaker,postfix,dovecot}.log\n' "$CL_STATE"
if [[ ${DEMO_KEEP:-} == 1 && -t 0 ]]; then
	read -r -p "cluster up; press Enter to tear it down " _
fi
cl_stop
finish
