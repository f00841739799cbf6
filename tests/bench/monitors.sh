#!/bin/bash
# Benchmark: link-monitor and reach-monitor against ocf:heartbeat:ethmonitor
# and ocf:pacemaker:ping, all at their default settings, in a one-node
# cluster. Prints figures and ratios; asserts nothing about time (a loaded
# CI machine would make any threshold flaky). One run; about two minutes:
#   - per-exec CPU of each monitor action (what Pacemaker pays every 10 s),
#     and of a start-up with and without libcrmcommon linked;
#   - steady-state CPU per minute: six monitor actions (the default 10 s
#     interval), plus for ours the daemon's own CPU since it started;
#   - link-loss detection latency: all four at once, one link loss, the time
#     attrd logged each attribute's change (ethmonitor's defaults re-check a
#     failed link 5 times 10 s apart, so this phase waits up to 70 s).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../monitors/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
RA=/usr/lib/ocf/resource.d
for a in heartbeat/ethmonitor pacemaker/ping exha/link-monitor exha/reach-monitor; do
	[ -x "$RA/$a" ] || { not_ok "$a is installed"; summary; exit 1; }
done

PEER="${MON_PREFIX}-peer"
node_create n1 || { not_ok "create node n1"; summary; exit 1; }
ip -n "$(node_ns n1)" addr add 192.0.2.1/24 dev lo
ip netns add "$PEER" && on_cleanup ip netns del "$PEER"
ip -n "$PEER" link set lo up
veth_pair n1 mon0 198.51.100.1/24 "$PEER" mon0p 198.51.100.2/24
check "a one-node cluster comes up" nodes_start "n1:192.0.2.1" || { summary; exit 1; }

TICK_MS=$((1000 / $(getconf CLK_TCK)))

# , children included, inside n1.
per_exec() { # N command... -> ms per exec (one decimal)
	local n=$1 ms
	shift
	ms=$(on n1 env N="$n" bash -c 'for ((i = 0; i < N; i++)); do "$@" >/dev/null 2>&1; done
		read -r -a s < /proc/$$/stat; echo $((s[15] + s[16]))' cpu "$@")
	awk -v t="$ms" -v k="$TICK_MS" -v n="$n" 'BEGIN { printf "%.1f", t * k / n }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }'; }

pid_of_comm() { # the pid of COMM in n1's namespace
	local pid
	for pid in $(ip netns pids "$(node_ns n1)"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && echo "$pid" && return 0
	done
	return 1
}
# CPU ticks a process and its waited-for children have used.
ticks_with_children() { local s; read -r -a s <"/proc/$1/stat" && echo $((s[13] + s[14] + s[15] + s[16])); }
ticks_self() { local s; read -r -a s <"/proc/$1/stat" && echo $((s[13] + s[14])); }

create() { # ID PROVIDER AGENT k=v...: a cloned resource, monitor at the meta-data's 10 s
	local id=$1 prov=$2 agent=$3 kv xml
	shift 3
	xml="<clone id=\"$id-clone\"><primitive id=\"$id\" class=\"ocf\" provider=\"$prov\" type=\"$agent\">"
	xml+="<instance_attributes id=\"$id-ia\">"
	for kv in "$@"; do xml+="<nvpair id=\"$id-ia-${kv%%=*}\" name=\"${kv%%=*}\" value=\"${kv#*=}\"/>"; done
	xml+="</instance_attributes><operations><op id=\"$id-mon\" name=\"monitor\" interval=\"10s\" timeout=\"60s\"/>"
	xml+="</operations></primitive></clone>"
	on n1 cibadmin --create -o resources -X "$xml"
}

declare -A ATTR=([eth]=ethmonitor-mon0 [ping]=pingd [link]=exha-link [reach]=exha-reach)
declare -A WHAT=([eth]="heartbeat ethmonitor interface=mon0" [ping]="pacemaker ping host_list=198.51.100.2"
	[link]="exha link-monitor interfaces=mon0" [reach]="exha reach-monitor targets=198.51.100.2")

# --- per-exec cost ---------------------------------------------------------------
echo "# per-exec CPU (ms; 5 runs of the stock agents, 10 of ours, 20 start-ups)"
start_and_wait() { create "$1" ${WHAT[$1]} && wait_until "$2" attr_is n1 "${ATTR[$1]}" 1; }
# Ours must publish; the stock agents are only what we compare with: one
# that does not publish in time here (their monitor and dampening under
# load) leaves its figures unmeasured, not the run failed.
for k in eth ping link reach; do
	case $k in
	eth | ping)
		if start_and_wait "$k" 90000; then
			ok "${WHAT[$k]%% *}/${WHAT[$k]#* } publishes ${ATTR[$k]}=1"
		else
			skip "${WHAT[$k]%% *}/${WHAT[$k]#* } did not publish ${ATTR[$k]}=1 within 90 s"
		fi
		;;
	*) check "${WHAT[$k]%% *}/${WHAT[$k]#* } publishes ${ATTR[$k]}=1" start_and_wait "$k" 40000 ;;
	esac
done
eth_exec=$(per_exec 5 env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=eth OCF_RESKEY_interface=mon0 $RA/heartbeat/ethmonitor monitor)
ping_exec=$(per_exec 5 env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=ping OCF_RESKEY_host_list=198.51.100.2 $RA/pacemaker/ping monitor)
link_exec=$(per_exec 10 env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=link OCF_RESKEY_interfaces=mon0 $RA/exha/link-monitor monitor)
reach_exec=$(per_exec 10 env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=reach OCF_RESKEY_targets=198.51.100.2 $RA/exha/reach-monitor monitor)
bare_exec=$(per_exec 20 $RA/exha/link-monitor usage)
crm_exec=$(per_exec 20 /usr/local/libexec/exha/link-monitord usage)
echo "# monitor action: ethmonitor $eth_exec, ping $ping_exec, link-monitor $link_exec, reach-monitor $reach_exec"
echo "#   ethmonitor / link-monitor = $(ratio "$eth_exec" "$link_exec"); ping / reach-monitor = $(ratio "$ping_exec" "$reach_exec")"
echo "# start-up alone: agent (libqb) $bare_exec ms, same code with libcrmcommon linked (the daemon) $crm_exec ms: $(ratio "$crm_exec" "$bare_exec")"
ok "per-exec figures measured"

# --- link-loss latency -----------------------------------------------------------
t0=$(date +%s%3N)
ip -n "$PEER" link set mon0p down
declare -A LAT
for k in link reach ping eth; do
	if wait_until 70000 attr_is n1 "${ATTR[$k]}" 0; then
		LAT[$k]=$(( $(log_ms n1 "Setting ${ATTR[$k]}\\[n1\\]: 1 -> 0") - t0 ))
	else
		LAT[$k]=timeout
	fi
done
check "exha's monitors noticed the link loss" bash -c "! echo ${LAT[link]} ${LAT[reach]} | grep -q timeout"
[[ ${LAT[ping]} != timeout && ${LAT[eth]} != timeout ]] ||
	diag "a stock agent did not report the link loss in 70 s: its figure is unmeasured"
echo "# link-loss detection latency (ms, to attrd): link-monitor ${LAT[link]}, reach-monitor ${LAT[reach]}, ping ${LAT[ping]}, ethmonitor ${LAT[eth]}"
echo "#   ethmonitor / link-monitor = $(ratio "${LAT[eth]}" "${LAT[link]}"); ping / reach-monitor = $(ratio "${LAT[ping]}" "${LAT[reach]}")"
ip -n "$PEER" link set mon0p up
wait_until 40000 bash -c "[ \"\$(nsenter -t ${HOLDER[n1]} -n -m -u attrd_updater -Q -N n1 -n exha-reach 2>/dev/null | grep -o 'value=\"[0-9]*\"')\" = 'value=\"1\"' ]"

# --- steady state ----------------------------------------------------------------
# A stock agent costs its monitor action every 10 s and nothing between; ours
# cost their (cheap) monitor action plus what the daemon used since it started.
daemon_ms_per_min() { # node instance
	local pid s up
	pid=$(daemon_pid n1 "$1") || { echo 0; return; }
	read -r -a s <"/proc/$pid/stat"
	read -r up _ </proc/uptime
	awk -v t=$((s[13] + s[14])) -v k="$TICK_MS" -v st="${s[21]}" -v hz="$(getconf CLK_TCK)" -v up="$up" \
		'BEGIN { el = up - st / hz; if (el < 1) el = 1; printf "%.0f", t * k * 60 / el }'
}
link_daemon=$(daemon_ms_per_min link)
reach_daemon=$(daemon_ms_per_min reach)
per_min() { awk -v e="$1" -v d="${2:-0}" 'BEGIN { printf "%.0f", e * 6 + d }'; }
CPU_eth=$(per_min "$eth_exec")
CPU_ping=$(per_min "$ping_exec")
CPU_link=$(per_min "$link_exec" "$link_daemon")
CPU_reach=$(per_min "$reach_exec" "$reach_daemon")
ok "steady-state figures computed"
echo "# steady-state CPU (ms per minute, monitor every 10 s; daemons: link $link_daemon, reach $reach_daemon):"
echo "#   ethmonitor $CPU_eth, ping $CPU_ping, link-monitor $CPU_link, reach-monitor $CPU_reach"
echo "#   ethmonitor / link-monitor = $(ratio "$CPU_eth" "$CPU_link"); ping / reach-monitor = $(ratio "$CPU_ping" "$CPU_reach")"

node_stop n1
summary
