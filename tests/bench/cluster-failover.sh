#!/usr/bin/env bash
#
# Failover time of the whole mail group, stock ClusterLabs agents against
# exha, in the same two-node cluster (tests/cluster), with the same timers
# and the same scenarios: tests/cluster/drill.sh once with DRILL_GROUP=stock
# (ocf:heartbeat:IPaddr2, Filesystem with its level-20 monitor, postfix,
# dovecot; ethmonitor for the LAN link) and once with DRILL_GROUP=exha, no
# random faults. The figure is
# the time from the fault until SMTP and IMAP answer on the floating IP
# from the client, for each scenario, and its ratio stock/exha (> 1: exha
# is faster). BENCH_ROUNDS (default 1) repeats each scenario in the same
# drill (the node the fault hits alternates): the figures are then the
# median and the maximum of the rounds. Figures, not a test; the drills' own
# checks still count.
#
#   sudo tests/bench/cluster-failover.sh
#   sudo BENCH_SCENARIOS="move node" tests/bench/cluster-failover.sh
#   sudo BENCH_SCENARIOS=node BENCH_ROUNDS=5 tests/bench/cluster-failover.sh
#   sudo BENCH_SCENARIOS=kill DRILL_KILL=postfix tests/bench/cluster-failover.sh
#   sudo BENCH_MODE=3node BENCH_ROUNDS=5 tests/bench/cluster-failover.sh
#
# BENCH_MODE=3node: the exha groups a and b on three nodes
# (tests/cluster/drill-3node.sh), BENCH_ROUNDS node losses, each of the node
# holding both: both groups' failover times (median and maximum). There
# is no stock side: the stock agents have no second Postfix and Dovecot
# instance nor a shared lease device.
#
# Members that have no exha agent in the build yet are stock in both groups
# (the drill prints which agents ran). The exha group also has the
# directory fixup (no stock agent does it), in two: dir-core (the servers'
# objects) before the services, on the path to the answer; dir (the
# per-user rewrite) after them, which counts only by its stop on a planned
# move. DRILL_DIR_USERS sets the directory's size, DRILL_KILL which master
# the kill scenario kills (postfix or dovecot; either at random).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
results=$(mktemp /tmp/exha-bench-cluster.XXXXXX)
trap 'rm -f "$results"' EXIT
scenarios=${BENCH_SCENARIOS:-move node kill link disk}
rounds=${BENCH_ROUNDS:-1}
runs=""
for s in $scenarios; do
	for ((i = 0; i < rounds; i++)); do runs+="$s "; done
done
if [[ ${BENCH_MODE:-} == 3node ]]; then
	runs=""
	for ((i = 0; i < rounds; i++)); do runs+="node "; done
	rc=0
	DRILL3_SCENARIOS=$runs DRILL_RESULTS=$results bash "$here/../cluster/drill-3node.sh" || rc=1
	echo
	echo "# three nodes, two groups, the node holding both lost: fault -> SMTP and IMAP answer (ms)"
	printf '# %-6s %6s %8s %8s  %s\n' group rounds median max "all rounds, sorted"
	for g in a b; do
		awk -v k="3node-$g" '$1 == k && $2 == "node" { print $3 }' "$results" | sort -n |
			awk -v g="$g" '{ v[NR] = $1; all = all $1 " " } END {
				if (NR == 0) { printf "# %-6s %6d %8s %8s\n", g, 0, "-", "-"; exit }
				m = NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)
				printf "# %-6s %6d %8d %8d  %s\n", g, NR, m, v[NR], all
			}'
	done
	exit $rc
fi
rc=0
for group in stock exha; do
	echo "# === $group group"
	# The exha drill's checks decide the exit status; the stock group's
	# failures are figures (a scenario it does not recover from in time).
	if ! DRILL_GROUP=$group DRILL_FAULTS=0 DRILL_SCENARIOS=$runs DRILL_RESULTS=$results \
		bash "$here/../cluster/drill.sh"; then
		[[ $group == stock ]] || rc=1
		echo "# $group group: the drill failed (see above)"
	fi
done
# stats GROUP SCENARIO: "median max n" of its rounds (ms), or nothing.
stats() {
	awk -v g="$1" -v s="$2" '$1 == g && $2 == s { print $3 }' "$results" | sort -n |
		awk '{ v[NR] = $1 } END {
			if (NR == 0) exit
			m = NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)
			print m, v[NR], NR
		}'
}
echo
echo "# failover time: fault -> SMTP and IMAP answer on the floating IP (ms)"
printf '# %-8s %6s %10s %10s %10s %10s %8s\n' scenario rounds "stock med" "stock max" \
	"exha med" "exha max" ratio
for s in $scenarios; do
	read -r sm sx sn <<<"$(stats stock "$s")" || true
	read -r em ex en <<<"$(stats exha "$s")" || true
	ratio=-
	[[ -n ${sm:-} && -n ${em:-} ]] && ((em > 0)) &&
		ratio=$(awk -v a="$sm" -v b="$em" 'BEGIN { printf "%.2f", a / b }')
	printf '# %-8s %6s %10s %10s %10s %10s %8s\n' "$s" "${sn:-0}/${en:-0}" "${sm:--}" \
		"${sx:--}" "${em:--}" "${ex:--}" "$ratio"
	printf '# %-8s all rounds: stock %s; exha %s\n' "$s" \
		"$(awk -v s="$s" '$1 == "stock" && $2 == s { printf "%s ", $3 }' "$results")" \
		"$(awk -v s="$s" '$1 == "exha" && $2 == s { printf "%s ", $3 }' "$results")"
	unset sm sx sn em ex en
done
exit $rc
