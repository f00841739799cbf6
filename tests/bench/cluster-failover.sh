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
# is faster). One run each: figures, not a test; the drills' own checks
# still count.
#
#   sudo tests/bench/cluster-failover.sh
#   sudo BENCH_SCENARIOS="move node" tests/bench/cluster-failover.sh
#
# Members that have no exha agent in the build yet are stock in both groups
# (the drill prints which agents ran). The exha group also ends with the
# directory fixup (no stock agent does it): it starts after SMTP and IMAP
# answer, so it counts only by its stop on a planned move.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
results=$(mktemp /tmp/exha-bench-cluster.XXXXXX)
trap 'rm -f "$results"' EXIT
scenarios=${BENCH_SCENARIOS:-move node kill link disk}
rc=0
for group in stock exha; do
	echo "# === $group group"
	# The exha drill's checks decide the exit status; the stock group's
	# failures are figures (a scenario it does not recover from in time).
	if ! DRILL_GROUP=$group DRILL_FAULTS=0 DRILL_SCENARIOS=$scenarios DRILL_RESULTS=$results \
		bash "$here/../cluster/drill.sh"; then
		[[ $group == stock ]] || rc=1
		echo "# $group group: the drill failed (see above)"
	fi
done
echo
echo "# failover time: fault -> SMTP and IMAP answer on the floating IP (ms)"
printf '# %-8s %10s %10s %8s\n' scenario stock exha ratio
for s in $scenarios; do
	st=$(awk -v s="$s" '$1 == "stock" && $2 == s { print $3; exit }' "$results")
	ex=$(awk -v s="$s" '$1 == "exha" && $2 == s { print $3; exit }' "$results")
	if [[ -n $st && -n $ex ]] && ((ex > 0)); then
		printf '# %-8s %10s %10s %8s\n' "$s" "$st" "$ex" "$(awk -v a="$st" -v b="$ex" 'BEGIN { printf "%.2f", a / b }')"
	else
		printf '# %-8s %10s %10s %8s\n' "$s" "${st:--}" "${ex:--}" -
	fi
done
exit $rc
