#!/usr/bin/env bash
#
# Several mail groups on three nodes: the failover drill of
# tests/cluster/drill.sh with a three-node corosync + Pacemaker cluster
# (tests/cluster/lib.sh) and two mail groups, a and b, each with its own
# floating IP, switching disk, service set (b: second Postfix and Dovecot
# instances with their own configuration, queue and store on b's disk) and
# a location preference that spreads them (a on node1, b on node2); both
# disks' leases are slots 0 and 1 of one lease image (cl_groups_config).
# When the build has ocf:exha:ad-fixup, each group also has its own
# directory fixup (dir-core-G before its services, dir-G after them, as in
# the two-node group) against one test slapd on the LAN holding both pairs
# of servers (tests/ldap/fixture.py's extra pair): a primary=node1
# backup=node11, b primary=node2 backup=node12, node10 the server neither
# may touch (node1 is a prefix of node10, node11 and node12: the substring
# trap, within a pair and across). The backups are names only: a group off
# its primary's node points its pair at the backup, whichever node it is.
#
# Scenarios (DRILL3_SCENARIOS, default "node move kill"):
#   node  both groups are moved onto one node, which then loses power and is
#         fenced: both groups must come back, in parallel, on the survivors;
#         the figure is each group's time from the power cut until its
#         floating IP answers SMTP and IMAP from another node;
#   move  one group moves (crm_resource --move) while the other must stay
#         untouched: no new start, stop or failure in its resources'
#         operation history, the same Postfix master;
#   kill  both groups on one node; kill -9 of one group's Postfix master
#         (a, then b): that group recovers, the other is not disturbed.
# After each fault, for both groups: every message accepted (SMTP 250), in
# this and every earlier scenario, is readable through IMAP from that
# group's floating IP; a disk was never mounted on two nodes at once
# (every node's mount table sampled all along); with the fixups, each
# group's pair points where its fixup's start leaves it on the group's node
# (dir_points_at of tests/ldap/adfix.sh), and in move and kill the other
# group's pair is untouched: every one of its objects, modifyTimestamp
# included, as before the fault (pair_snapshot).
#
#   sudo flock /tmp/exha-heavy.lock tests/cluster/drill-3node.sh
#
# Environment: EXHA_DESTDIR (build/dest), DRILL3_SCENARIOS, DRILL_DIR_USERS
# (mail users per pair, 40), DRILL_RESULTS (a
# file to append "3node-<group> <scenario> <ms>" lines to: the bench's),
# DRILL_KEEP (a directory to copy the nodes' logs and state to at the end).
# shellcheck disable=SC2317 # functions run through check, wait_until and "scenario_$s"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/cluster/lib.sh
. "$here/lib.sh"

require_root
require corosync pacemakerd crm crm_mon crm_resource cibadmin nsenter unshare losetup mkfs.ext4 \
	postfix dovecot
SCENARIOS=${DRILL3_SCENARIOS:-node move kill}
RESULTS=${DRILL_RESULTS:-$T_TMP/results}
for a in floating-ip switching-disk service-set; do
	if ! cl_has_agent "$a"; then
		not_ok "the build is installed in $EXHA_DESTDIR with ocf:exha:$a (make install DESTDIR=...)"
		finish
	fi
done

# ----------------------------------------------------- the double-mount watch

# Every live node's mount table, all drill long: a moment with one disk's
# mount point on two nodes is written down.
watch_mounts() {
	local n pid line mp
	local -A count
	while :; do
		count=([/srv/mail]=0 [/srv/mail-b]=0)
		for n in "${CL_NODES[@]}"; do
			pid=$(cat "$(cl_dir "$n")/holder" 2>/dev/null) || continue
			while IFS=' ' read -r _ _ _ _ mp line; do
				[[ -v count[$mp] ]] && count[$mp]=$((count[$mp] + 1))
			done 2>/dev/null <"/proc/$pid/mountinfo" || true
		done
		for mp in "${!count[@]}"; do
			((count[$mp] < 2)) || echo "$(now_ms) $mp mounted on ${count[$mp]} nodes" >>"$T_TMP/double-mounts"
		done
		sleep 0.02
	done
}

# ------------------------------------------------------------ mail of both

declare -A SENDER=()
# Accepted ids accumulate over the whole drill (accepted-a, accepted-b):
# each check reads every message of every earlier scenario too.
start_senders() {
	local g
	for g in "${CL_GROUPS[@]}"; do
		touch "$T_TMP/accepted-$g"
		wc -l <"$T_TMP/accepted-$g" >"$T_TMP/mark-$g"
		ip netns exec "$CL_CLIENT" "$CL_PY" "$CL_HERE/mailclient.py" send "$(cl_gfip "$g")" \
			"$T_TMP/accepted-$g" &
		SENDER[$g]=$!
	done
	for g in "${CL_GROUPS[@]}"; do
		wait_until 20 accepted_since "$g" 3 || diag "group $g accepts no mail before the fault"
	done
}
accepted_since() { (($(wc -l <"$T_TMP/accepted-$1") - $(cat "$T_TMP/mark-$1") >= $2)); }
stop_senders() {
	local g
	for g in "${!SENDER[@]}"; do
		kill -TERM "${SENDER[$g]}" 2>/dev/null
		wait "${SENDER[$g]}" 2>/dev/null || true
	done
	SENDER=()
}

# all_delivered G: every id group G accepted is in its INBOX.
all_delivered() {
	mailclient ids "$(cl_gfip "$1")" >"$T_TMP/inbox-$1" || return 1
	! grep -vxFf "$T_TMP/inbox-$1" "$T_TMP/accepted-$1" >/dev/null
}

check_mail() {
	local g
	for g in "${CL_GROUPS[@]}"; do
		check "group $g: all $(wc -l <"$T_TMP/accepted-$g") messages it accepted (250) so far are readable through IMAP" \
			wait_until 30 all_delivered "$g"
	done
}

check_mounts() {
	check "no disk was ever mounted on two nodes at once" [ ! -s "$T_TMP/double-mounts" ]
	head -n 3 "$T_TMP/double-mounts" 2>/dev/null | sed 's/^/# /' || true
}

# ------------------------------------------------------------ the directory

# check_directories: each group's pair points at what its fixup's start on
# the group's node leaves (when the groups have fixups).
check_directories() {
	local g node
	[[ -n $CL_DIR ]] || return 0
	for g in "${CL_GROUPS[@]}"; do
		node=$(where "$g")
		if wait_until 90 cl_gdirectory_at "$g" "$node"; then
			ok "group $g's directory pair ($(cl_gdir_pair "$g")) points where its fixup on ${node:-nowhere} leaves it"
			continue
		fi
		not_ok "group $g's directory pair ($(cl_gdir_pair "$g")) points where its fixup on ${node:-nowhere} leaves it"
		diag "dir-$g runs on: $(cl_where "dir-$g")"
		# shellcheck disable=SC2046 # the pair is two words
		diag_block "dir_points_at" \
			"$(dir_points_at "$(cl_gdir_target "$g" "$node")" $(cl_gdir_pair "$g") "$CL_DIR_USERS" 4 2>&1)"
	done
}

# dir_snapshot G: group G's pair's objects as they stand (empty without fixups).
dir_snapshot() {
	[[ -n $CL_DIR ]] || return 0
	# shellcheck disable=SC2046 # the pair is two words
	pair_snapshot $(cl_gdir_pair "$1")
}

# check_untouched G BEFORE: nothing touched group G's pair since BEFORE.
check_untouched() {
	local g=$1 before=$2 after
	[[ -n $CL_DIR ]] || return 0
	after=$(dir_snapshot "$g")
	if [[ -n $before && $before == "$after" ]]; then
		ok "group $g's directory objects are untouched ($(grep -c '^dn:' <<<"$after") entries)"
	else
		not_ok "group $g's directory objects are untouched"
		diag_block "changed" "$(diff <(echo "$before") <(echo "$after") | head -n 20)"
	fi
}

# ------------------------------------------------------------- the groups

answers() { mailclient probe "$(cl_gfip "$1")"; }
both_answer() { answers a && answers b; }
where() { cl_ggroup_node "$1" || true; }

# The group's resources' operation history, stripped to what a stop, start
# or failure changes: one line per non-recurring operation record (the
# last probe/start/stop, the last failure) with its call id, and the
# recurring monitors' call ids (a restart schedules new ones).
op_history() {
	local g=$1
	on "$(cl_any)" cibadmin -Q --scope status 2>/dev/null | python3 -c '
import sys, xml.etree.ElementTree as ET
members = set(sys.argv[1].split())
for st in ET.parse(sys.stdin).getroot().iter("node_state"):
    for rsc in st.iter("lrm_resource"):
        if rsc.get("id") not in members:
            continue
        for op in rsc.iter("lrm_rsc_op"):
            print(st.get("uname"), op.get("id"), op.get("operation"), op.get("call-id"), "rc=" + str(op.get("rc-code")))
' "$(cl_gmembers "$g")" | sort
}

# The Postfix master of group G (its pid file on G's disk, on its node).
postfix_master() {
	local g=$1 node srv=/srv/mail
	[[ $g == a ]] || srv=/srv/mail-$g
	node=$(where "$g")
	[[ -n $node ]] || return 1
	on "$node" head -n 1 "$srv/postfix/pid/master.pid" | tr -d ' '
}

# settle: the cluster idle, both groups placed and answering.
settle() {
	wait_until 90 cl_idle || diag "the cluster does not settle"
	local g
	for g in "${CL_GROUPS[@]}"; do
		wait_until 90 where "$g" >/dev/null || true
		wait_until 90 answers "$g" || diag "group $g does not answer"
	done
}
placed() { [[ -n $(where "$1") ]]; }

# colocate G NODE: move group G to NODE and leave it there (the move's
# constraint cleared: stickiness keeps it).
colocate() {
	local g=$1 node=$2
	[[ $(where "$g") != "$node" ]] || return 0
	on "$(cl_any)" crm_resource --move -r "mail-$g" -N "$node" >/dev/null 2>&1
	wait_until 120 group_on "$g" "$node" || diag "group $g did not move to $node"
	on "$(cl_any)" crm_resource --clear -r "mail-$g" >/dev/null 2>&1 || true
	settle
}
group_on() { [[ $(where "$1") == "$2" ]] && answers "$1"; }

# A fresh restart budget for every service set (drill.sh's restore does the
# same): each kill measures the in-place restart.
reset_budgets() {
	local n
	for n in "${CL_NODES[@]}"; do
		[[ -f $(cl_dir "$n")/booted ]] || continue
		on "$n" sh -c 'rm -f /run/exha/*/*.restarts' 2>/dev/null || true
	done
}

# ------------------------------------------------------------ scenarios

scenario_node() {
	local victim g t0 t1 n ok_all=1
	local -A took=()
	test_case "node: the node holding both groups loses power"
	victim=$(where a)
	[[ -n $victim ]] || victim=${CL_NODES[0]}
	colocate b "$victim"
	check "both groups run on $victim before the cut" [ "$(where a)/$(where b)" = "$victim/$victim" ]
	start_senders
	t0=$(now_ms)
	cl_power_off "$victim"
	# Both waits at once: the two takeovers run in parallel.
	for g in "${CL_GROUPS[@]}"; do
		mailclient wait "$(cl_gfip "$g")" 180 "$victim" >"$T_TMP/t1-$g" 2>/dev/null &
		took[$g]=$!
	done
	for g in "${CL_GROUPS[@]}"; do wait "${took[$g]}" || true; done
	sleep 1 # what the senders send after recovery is checked too
	stop_senders
	for g in "${CL_GROUPS[@]}"; do
		t1=$(cat "$T_TMP/t1-$g")
		if [[ -z $t1 ]]; then
			not_ok "group $g answers on $(cl_gfip "$g") again within 180 s"
			ok_all=0
			continue
		fi
		ok "group $g answers on $(cl_gfip "$g") again $((t1 - t0)) ms after the power cut"
		echo "3node-$g node $((t1 - t0))" >>"$RESULTS"
	done
	for g in "${CL_GROUPS[@]}"; do
		n=$(where "$g")
		check "group $g moved from $victim to a survivor (${n:-nowhere})" \
			test -n "$n" -a "$n" != "$victim"
	done
	((ok_all)) || diag_block "crm_mon" "$(on "$(cl_any)" crm_mon -1 -r -f 2>&1)"
	check_mail
	check_mounts
	check_directories
	# Power on again: the fence first (a survivor's fencer), then the boot.
	wait_until 60 on "$(cl_any)" sh -c "stonith_admin -H $victim | grep -q successful" ||
		diag "no fence of $victim recorded"
	cl_boot "$victim"
	wait_until 180 cl_online "$(cl_any)" "${#CL_NODES[@]}" || diag "the cluster is not whole again"
	settle
}

scenario_move() {
	local mover=${1:-a} still target from before after pf0 pf1 t0 t1 n dir0
	still=b
	[[ $mover == a ]] || still=a
	test_case "move: group $mover moves, group $still stays untouched"
	from=$(where "$mover")
	# To a node that does not run the other group, when there is one.
	target=$(cl_others "$from" | grep -vxF "$(where "$still")" | head -n 1) ||
		target=$(cl_others "$from" | head -n 1)
	before=$(op_history "$still")
	pf0=$(postfix_master "$still") || pf0=""
	dir0=$(dir_snapshot "$still")
	start_senders
	t0=$(now_ms)
	on "$(cl_any)" crm_resource --move -r "mail-$mover" -N "$target" >/dev/null 2>&1
	t1=$(mailclient wait "$(cl_gfip "$mover")" 180 "$from") || t1=""
	sleep 1
	stop_senders
	if [[ -n $t1 ]]; then
		ok "group $mover answers from $target $((t1 - t0)) ms after the move"
		echo "3node-$mover move $((t1 - t0))" >>"$RESULTS"
	else
		not_ok "group $mover answers again within 180 s after the move"
	fi
	check "group $mover runs on $target" [ "$(where "$mover")" = "$target" ]
	wait_until 60 cl_idle || true
	after=$(op_history "$still")
	pf1=$(postfix_master "$still") || pf1=""
	if [[ $before == "$after" ]]; then
		ok "group $still's operation history shows no stop, start or failure"
	else
		not_ok "group $still's operation history shows no stop, start or failure"
		diag_block "before" "$before"
		diag_block "after" "$after"
	fi
	check "group $still's Postfix master is the same process ($pf0)" test -n "$pf0" -a "$pf0" = "$pf1"
	check_mail
	check_mounts
	check_directories
	check_untouched "$still" "$dir0"
	on "$(cl_any)" crm_resource --clear -r "mail-$mover" >/dev/null 2>&1 || true
	settle
}

scenario_kill() {
	local victim still node pid pf0 pf1 before after dir0
	test_case "kill: a member of one group dies, the other group is not disturbed"
	node=$(where a)
	# Side by side on one node: the neighbour is as close as it gets.
	colocate b "$node"
	for victim in "${CL_GROUPS[@]}"; do
		still=b
		[[ $victim == a ]] || still=a
		reset_budgets
		before=$(op_history "$still")
		pf0=$(postfix_master "$still") || pf0=""
		dir0=$(dir_snapshot "$still")
		start_senders
		pid=$(postfix_master "$victim") || pid=""
		if [[ -z $pid ]]; then
			not_ok "group $victim's Postfix master is found"
			stop_senders
			continue
		fi
		kill -KILL "$pid"
		mailclient down "$(cl_gfip "$victim")" 10 || diag "group $victim never stopped answering"
		if wait_until 180 answers "$victim"; then
			ok "group $victim answers again after kill -9 of its Postfix master ($pid) on $node"
		else
			not_ok "group $victim answers again after kill -9 of its Postfix master"
		fi
		sleep 1
		stop_senders
		wait_until 60 cl_idle || true
		after=$(op_history "$still")
		pf1=$(postfix_master "$still") || pf1=""
		if [[ $before == "$after" ]]; then
			ok "group $still's operation history shows no stop, start or failure"
		else
			not_ok "group $still's operation history shows no stop, start or failure"
			diag_block "before" "$before"
			diag_block "after" "$after"
		fi
		check "group $still's Postfix master is the same process ($pf0)" test -n "$pf0" -a "$pf0" = "$pf1"
		check "group $still still answers" answers "$still"
		diag "group $victim now on $(where "$victim") (was $node)"
		check_mail
		check_mounts
		check_directories
		check_untouched "$still" "$dir0"
		on "$(cl_any)" crm_resource --cleanup >/dev/null 2>&1 || true
		settle
	done
}

# ----------------------------------------------------------------- the run

test_case "cluster"
[[ -z ${DRILL_KEEP:-} ]] || defer cp -a "$CL_STATE" "$DRILL_KEEP"
cl_init
cl_node_add node1 1
cl_node_add node2 2
cl_node_add node3 3
CL_LEASE_SLOTS=2
cl_disk_create mail
cl_disk_create mail-b
for n in "${CL_NODES[@]}"; do
	cl_mail_config "$n" a
	cl_mail_config "$n" b
done
if cl_has_agent ad-fixup; then
	CL_DIR_PAIRS=("node1 node11" "node2 node12")
	if ! cl_directory_start "${DRILL_DIR_USERS:-40}"; then
		not_ok "the test slapd answers on $CL_DIR_ADDR"
		finish
	fi
	diag "the directory: slapd $SLAPD_PID on $CL_DIR, pairs ${CL_DIR_PAIRS[*]}, $CL_DIR_USERS mail users each"
fi
t0=$(now_ms)
if ! cl_start; then
	not_ok "three nodes come online"
	finish
fi
ok "three nodes online, fencing configured, after $(($(now_ms) - t0)) ms"
watch_mounts &
WATCH=$!
defer kill "$WATCH"
cl_define_groups
for g in "${CL_GROUPS[@]}"; do diag "group $g: $(cl_gmembers "$g")"; done
if ! wait_until 180 both_answer; then
	not_ok "both groups start and answer on ${CL_FIPS[*]}"
	diag_block "crm_mon" "$(on "$(cl_any)" crm_mon -1 -r -f 2>&1)"
	finish
fi
ok "both groups start and answer on ${CL_FIPS[*]}"
wait_until 60 placed a || true
wait_until 60 placed b || true
check "the preferences spread them: a on ${CL_NODES[0]}, b on ${CL_NODES[1]}" \
	[ "$(where a)/$(where b)" = "${CL_NODES[0]}/${CL_NODES[1]}" ]
test_case "start"
start_senders
sleep 1
stop_senders
check_mail
check_directories

for s in $SCENARIOS; do
	"scenario_$s"
done

test_case "timeline"
cl_history | while read -r t rest; do
	printf '# %s %s\n' "$(date -u -d "@$t" +%T)" "$rest"
done
diag "times (ms): $(awk '$1 ~ /^3node-/ {printf "%s/%s=%s ", $1, $2, $3}' "$RESULTS" 2>/dev/null)"
cl_stop || diag "a node did not stop cleanly"
finish
