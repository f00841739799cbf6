#!/usr/bin/env bash
#
# The failover drill: the mail group in a real two-node corosync + Pacemaker
# cluster (tests/cluster/lib.sh), faults one after another, and for each the
# time from the fault until the floating IP answers SMTP and IMAP from the
# client again, from the new node, and the checks that matter:
#   - every message the server accepted (SMTP 250) before and during the
#     fault can be read through IMAP after it (a sender runs throughout);
#   - the group runs where it should;
#   - the switching disk was never mounted on two nodes at once (sampled
#     from every node's mount table all along);
#   - the directory points at the node the group runs on: the exha group
#     ends with ocf:exha:ad-fixup against a test slapd on the LAN
#     (tests/ldap/slapd.sh; primary node1, backup node2), and once it has
#     run, the mail users, routing master, RUS, OAB, stores and the
#     primary's SPNs name the new node and nothing names the old one
#     (dir_points_at in tests/ldap/adfix.sh); after a kill, still the same.
#
# Scenarios: move (planned move, crm_resource --move), node (the active node
# loses power and is fenced), kill (kill -9 of a mail service's master),
# link (the active node's LAN link goes down; link-monitor + location rule),
# disk (the active node's path to the shared disk fails every I/O with EIO;
# disk-monitor + location rule; the stock group: Filesystem's level-20
# monitor).
# Then DRILL_FAULTS (default 2; 20 for the full run) faults drawn at random.
#
#   sudo tests/cluster/drill.sh                    # each scenario, 2 random (CI: 1)
#   sudo DRILL_FAULTS=20 tests/cluster/drill.sh    # the full random run
#
# Environment: EXHA_DESTDIR (build/dest: a `make install DESTDIR=` of the
# build under test), DRILL_GROUP=exha|stock (the group's agents; the bench
# runs both), DRILL_SCENARIOS ("move node kill link disk"), DRILL_SEED,
# DRILL_RESULTS (a file to append "group scenario ms" lines to),
# DRILL_DIR_USERS (the directory's mail users, 40), DRILL_KILL (the master
# the kill scenario kills: postfix, dovecot; either at random), DRILL_KEEP
# (a directory to copy the nodes' logs and state to at the end).
# A member that has no exha agent in the build is the stock one in both
# groups; the drill says which are used. The stock group has no directory
# fixup (no stock agent does it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/cluster/lib.sh
. "$here/lib.sh"

require_root
require corosync pacemakerd crm crm_mon cibadmin nsenter unshare losetup mkfs.ext4 postfix dovecot

GROUP=${DRILL_GROUP:-exha}
KILLED="" # the master fault_kill killed (postfix, dovecot)
FAULTS=${DRILL_FAULTS:-2}
SCENARIOS=${DRILL_SCENARIOS:-move node kill link disk}
FIP=$CL_FIP
RANDOM=${DRILL_SEED:-$$}
if [[ ! -x $EXHA_DESTDIR/usr/lib/ocf/resource.d/exha/floating-ip ]]; then
	not_ok "the build is installed in $EXHA_DESTDIR (make install DESTDIR=...)"
	finish
fi

group_node() { cl_group_node; }
answers() { cl_answers; }

# ------------------------------------------------------------ the directory

# check_directory NODE [WHAT]: the check, when the group has the fixup.
check_directory() {
	local node=$1 what=${2:-points at}
	[[ -n $CL_DIR ]] || return 0
	if wait_until 90 cl_directory_at "$node"; then
		ok "the directory $what $node"
		return 0
	fi
	not_ok "the directory $what $node"
	diag "the fixup runs on: $(cl_where dir)"
	diag_block "dir_points_at $node" "$(dir_points_at "$node" "${CL_NODES[0]}" "${CL_NODES[1]}" "$CL_DIR_USERS" 2>&1)"
}

# ----------------------------------------------------- the double-mount watch

# Sample every live node's mount table for the switching disk's mount point,
# all drill long; any moment with two nodes holding it is written down.
watch_mounts() {
	local n pid count line
	while :; do
		count=0
		for n in "${CL_NODES[@]}"; do
			pid=$(cat "$(cl_dir "$n")/holder" 2>/dev/null) || continue
			while IFS= read -r line; do
				if [[ $line == *" /srv/mail "* ]]; then
					count=$((count + 1))
					break
				fi
			done 2>/dev/null <"/proc/$pid/mountinfo" || true
		done
		((count < 2)) || echo "$(now_ms) mounted on $count nodes" >>"$T_TMP/double-mounts"
		sleep 0.02
	done
}

# ------------------------------------------------------------ scenarios

SENDER=""
start_sender() {
	: >"$T_TMP/accepted"
	# Not through the function: $! must be the sender itself.
	ip netns exec "$CL_CLIENT" "$CL_PY" "$CL_HERE/mailclient.py" send "$FIP" "$T_TMP/accepted" &
	SENDER=$!
	wait_until 20 accepted_at_least 3
}
accepted_at_least() { (($(wc -l <"$T_TMP/accepted") >= $1)); }
stop_sender() {
	kill -TERM "$SENDER" 2>/dev/null
	wait "$SENDER" 2>/dev/null || true
}

# Every accepted id is in the mailbox (delivery from the queue may lag).
all_delivered() {
	mailclient ids "$FIP" >"$T_TMP/inbox" || return 1
	! grep -vxFf "$T_TMP/inbox" "$T_TMP/accepted" >/dev/null
}

# crm_resource, not pcs: the figure is the cluster's, not pcs's start-up.
fault_move() { on "$1" crm_resource --move -r mail -N "$2" >/dev/null 2>&1; }
fault_node() { cl_power_off "$1"; }
fault_kill() {
	# The mail service's master, by the pid it recorded on the node:
	# DRILL_KILL=postfix|dovecot, or either at random.
	local pid which=${DRILL_KILL:-}
	if [[ -z $which ]]; then
		which=dovecot
		((RANDOM % 2)) && which=postfix
	fi
	KILLED=$which
	if [[ $which == postfix ]]; then
		pid=$(on "$1" head -n 1 /srv/mail/postfix/pid/master.pid | tr -d ' ')
	else
		pid=$(on "$1" cat /run/dovecot/master.pid)
	fi
	kill -KILL "$pid"
}
fault_link() { ip -n "$CL_SW" link set "p$(cat "$(cl_dir "$1")/index")" down; }
fault_disk() { cl_disk_fail "$1"; }

# Undo what the fault left, so that the next one starts from a whole cluster.
restore() {
	local scenario=$1 victim=$2
	case $scenario in
	move) on "$(cl_any)" crm_resource --clear -r mail >/dev/null 2>&1 || true ;;
	node)
		wait_until 60 on "$(cl_other "$victim")" sh -c "stonith_admin -H $victim | grep -q successful"
		cl_boot "$victim"
		;;
	link) ip -n "$CL_SW" link set "p$(cat "$(cl_dir "$victim")/index")" up ;;
	disk) cl_disk_heal "$victim" ;;
	esac
	# A stop that failed (a disk that fails I/O may not let go) is fenced:
	# the node is then powered on again, as after the node scenario.
	if [[ $scenario != node && -f $(cl_dir "$victim")/power ]]; then
		diag "$victim was fenced"
		cl_power_off "$victim"
		cl_boot "$victim"
	fi
	wait_until 90 cl_online "$(cl_other "$victim")" 2 || diag "the cluster is not whole again"
	on "$(cl_any)" crm_resource --cleanup >/dev/null 2>&1 || true
	# service-set keeps its restart budget across group restarts (an hour by
	# default): each scenario starts with a full one, as an operator would
	# reset it, so every kill measures the in-place restart.
	local n
	for n in "${CL_NODES[@]}"; do
		on "$n" sh -c 'rm -f /run/exha/*/*.restarts' 2>/dev/null || true
	done
	# The cleanup re-probes everything: wait until the cluster has settled.
	wait_until 60 cl_idle || diag "the cluster does not settle after restore"
	wait_until 60 group_node && wait_until 60 answers ||
		diag "the mail service does not answer after restore"
}

# What the survivor's cluster thinks, when the service did not come back:
# the status and the scheduler's and executor's last words on the group.
explain_stall() {
	local node=$1
	diag_block "crm_mon on $node" "$(on "$node" crm_mon -1 -r -f 2>&1)"
	diag_block "pacemaker.log on $node (the group, fencing, the scheduler)" \
		"$(grep -E 'fip|disk|smtp|imap|services|mail|fenc|stonith|pacemaker-schedulerd|error|warning' \
			"$(cl_dir "$node")/var/log/pacemaker/pacemaker.log" 2>/dev/null | tail -n 60)"
}

pcmk_log_lines() {
	wc -l <"$(cl_dir "$1")/var/log/pacemaker/pacemaker.log" 2>/dev/null || echo 0
}

# took_lease_at_once NODE HOLDER MARK: NODE's switching-disk start logged,
# after line MARK of its pacemaker.log, that it took HOLDER's lease on the
# fencer's word (fenceproof.h) rather than watching it for lease_timeout.
took_lease_at_once() {
	local log
	log=$(tail -n +"$(($3 + 1))" "$(cl_dir "$1")/var/log/pacemaker/pacemaker.log")
	grep -E "holder '$2' of the lease|does not prove|changed since the fencing" <<<"$log" |
		sed 's/^/# /'
	grep -q "holder '$2' of the lease .* taking over at once" <<<"$log" &&
		! grep -q "changed since the fencing check" <<<"$log"
}

# rejoined_after_fence NODE VICTIM: the fence query (the real one, against
# the real fencer and CIB) run on NODE about VICTIM, fenced and booted again,
# reports the fence and a node_state that fenceproof.h refuses (a member
# again: an old fence followed by a rejoin proves nothing).
rejoined_after_fence() {
	local out
	out=$(on "$1" /usr/local/libexec/exha/switching-disk-fence-query "$2") || return 1
	sed 's/^/# /' <<<"$out"
	grep -Eq "^fence $2 (reboot|off) 2 [0-9]+ [0-9]+$" <<<"$out" &&
		grep -q "^node $2 true online member member$" <<<"$out" &&
		[[ $(tail -n 1 <<<"$out") == end ]]
}

# After a node loss, exha-timeline on the survivor: the fence, each
# member's start there, and a gap that fits the client's figure
# (tests/cluster/timeline_check.py says how).
timeline_json() { cl_timeline "$1" --json --since "$2" >"$T_TMP/timeline.json"; }
check_timeline() {
	local survivor=$1 victim=$2 t0=$3 t1=$4 since out line
	since=$(date -u -d "@$((t0 / 1000))" +%FT%TZ)
	if out=$(cl_timeline "$survivor" --group mail --since "$since" 2>&1); then
		diag_block "exha-timeline --group mail --since $since (on $survivor)" "$out"
	else
		not_ok "exha-timeline runs on $survivor"
		diag_block "exha-timeline" "$out"
		return 0
	fi
	check "exha-timeline --json exits 0 on $survivor" timeline_json "$survivor" "$since"
	python3 "$here/timeline_check.py" "$victim" "$survivor" "$t0" "$t1" \
		"$(cl_members "$GROUP")" <"$T_TMP/timeline.json" >"$T_TMP/timeline.checks" 2>&1 || true
	grep -q '^PASS' "$T_TMP/timeline.checks" || not_ok "exha-timeline's checks ran"
	while IFS= read -r line; do
		case $line in
		PASS*) ok "exha-timeline: ${line#PASS }" ;;
		FAIL*) not_ok "exha-timeline: ${line#FAIL }" ;;
		*) diag "${line#DIAG }" ;;
		esac
	done <"$T_TMP/timeline.checks"
}

# The exha group's in-place restarts on NODE as crm_mon -A shows them (the
# node attribute service-set publishes through the real attrd), or 0.
restarts_shown() {
	on "$(cl_any)" crm_mon -1 -A 2>/dev/null | awk -v n="$1" '
		/Node: / { here = $0 ~ ("Node: " n "[: ]") }
		here && /exha-restarts-services/ { v = $NF }
		END { print v + 0 }'
}
restarts_shown_above() { (($(restarts_shown "$1") > $2)); }

# timeline_restart_shown NODE T0 MEMBER: exha-timeline --json shows, in the
# group mail, MEMBER restarted in place on NODE at or after T0 (ms; the
# nodes share the host's clock), not as a fault.
timeline_restart_shown() {
	local since
	since=$(date -u -d "@$(($2 / 1000))" +%FT%TZ)
	cl_timeline "$(cl_any)" --json --group mail --since "$since" 2>/dev/null | python3 -c '
import json, sys
node, t0, member = sys.argv[1], int(sys.argv[2]), sys.argv[3]
doc = json.load(sys.stdin)
sys.exit(0 if any(e["type"] == "restart" and e["node"] == node and e["member"] == member
                  and e["epoch_ms"] >= t0 and not e["fault"]
                  for g in doc["groups"] for e in g["events"]) else 1)' "$1" "$2" "$3"
}

# scenario NAME: one fault on the node the group runs on, and the checks.
scenario() {
	local name=$1 active other t0 t1 ms where log_mark restarts
	test_case "$name"
	wait_until 60 group_node || true
	active=$(group_node) || true
	if [[ -z $active ]]; then
		not_ok "the group runs on one node before the fault"
		return 0
	fi
	other=$(cl_other "$active")
	log_mark=$(pcmk_log_lines "$other")
	restarts=$(restarts_shown "$active")
	start_sender
	t0=$(now_ms)
	"fault_$name" "$active" "$other"
	if [[ $name == kill ]]; then
		mailclient down "$FIP" 10 || diag "the service never stopped answering"
		t1=$(mailclient wait "$FIP" 180) || t1=""
	else
		t1=$(mailclient wait "$FIP" 180 "$active") || t1=""
	fi
	sleep 1 # what the sender sends after recovery is checked too
	stop_sender
	if [[ -z $t1 ]]; then
		not_ok "SMTP and IMAP answer on $FIP again within 180 s"
		explain_stall "$other"
	else
		ms=$((t1 - t0))
		ok "SMTP and IMAP answer on $FIP again ${ms} ms after the fault"
		echo "$GROUP $name $ms" >>"${DRILL_RESULTS:-$T_TMP/results}"
	fi
	where=$(group_node) || true
	case $name in
	kill)
		diag "recovered on ${where:-nowhere} (was $active)"
		if [[ $GROUP == exha && $where == "$active" ]] && cl_has_agent service-set; then
			check "crm_mon -A shows the in-place restart on $active (exha-restarts-services above $restarts)" \
				wait_until 10 restarts_shown_above "$active" "$restarts"
			check "exha-timeline shows $KILLED restarted in place on $active" \
				wait_until 10 timeline_restart_shown "$active" "$t0" "$KILLED"
			diag_block "exha-timeline --group mail (on $active)" \
				"$(cl_timeline "$active" --group mail --since "$(date -u -d "@$((t0 / 1000))" +%FT%TZ)" 2>&1)"
		fi
		check_directory "$active" "still points at"
		;;
	*)
		check "the group moved from $active to $other" [ "$where" = "$other" ]
		check_directory "$other"
		;;
	esac
	if [[ $name == node && $GROUP == exha ]] && cl_has_agent switching-disk; then
		check "$other took the fenced node's lease at once (the fencer's word, no watch)" \
			took_lease_at_once "$other" "$active" "$log_mark"
	fi
	check "all $(wc -l <"$T_TMP/accepted") messages accepted (250) are readable through IMAP" \
		wait_until 30 all_delivered
	check "the switching disk was never mounted on two nodes at once" \
		[ ! -s "$T_TMP/double-mounts" ]
	cat "$T_TMP/double-mounts" 2>/dev/null | head -n 3 | sed 's/^/# /' || true
	[[ $name != node || -z $t1 ]] || check_timeline "$other" "$active" "$t0" "$t1"
	restore "$name" "$active"
	if [[ $name == node && $GROUP == exha ]] && cl_has_agent switching-disk; then
		check "once $active is back, the cluster's answer about it is a fence and a rejoin" \
			rejoined_after_fence "$other" "$active"
	fi
}

# ----------------------------------------------------------------- the run

test_case "cluster"
# DRILL_KEEP=DIR: keep the nodes' logs and state there after the run.
[[ -z ${DRILL_KEEP:-} ]] || defer cp -a "$CL_STATE" "$DRILL_KEEP"
cl_init
cl_node_add node1 1
cl_node_add node2 2
cl_disk_create
cl_mail_config node1
cl_mail_config node2
if [[ $GROUP == exha ]] && cl_has_agent ad-fixup; then
	if ! cl_directory_start "${DRILL_DIR_USERS:-40}"; then
		not_ok "the test slapd answers on $CL_DIR_ADDR"
		finish
	fi
	diag "the directory: slapd $SLAPD_PID on $CL_DIR, $CL_DIR_USERS mail users on ${CL_NODES[0]}"
fi
t0=$(now_ms)
if ! cl_start; then
	not_ok "two nodes come online"
	finish
fi
ok "two nodes online, fencing configured, after $(($(now_ms) - t0)) ms"
watch_mounts &
WATCH=$!
defer kill "$WATCH"
cl_define_group "$GROUP"
for r in $(cl_members "$GROUP") link; do diag "group $GROUP: $r $(cl_agent_of "$r")"; done
if ! wait_until 120 answers; then
	not_ok "the group starts and the mail service answers on $FIP"
	diag_block "crm_mon" "$(on "$(cl_any)" crm_mon -1 2>&1)"
	[[ -z ${DRILL_PAUSE:-} ]] || sleep "$DRILL_PAUSE"
	finish
fi
ok "the group starts and the mail service answers on $FIP"
diag "the group runs on $(group_node)"
test_case "start"
start_sender
sleep 1
stop_sender
check "messages sent before any fault are readable" wait_until 30 all_delivered
check_directory "$(group_node)"

for s in $SCENARIOS; do
	scenario "$s"
done
read -ra pool <<<"$SCENARIOS"
for ((i = 1; i <= FAULTS; i++)); do
	scenario "${pool[RANDOM % ${#pool[@]}]}"
done

test_case "timeline"
cl_history | while read -r t rest; do
	printf '# %s %s\n' "$(date -u -d "@$t" +%T)" "$rest"
done
diag "failover times (ms): $(awk '{printf "%s=%s ", $2, $3}' "${DRILL_RESULTS:-$T_TMP/results}" 2>/dev/null)"
cl_stop
finish
