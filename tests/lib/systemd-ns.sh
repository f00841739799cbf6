# shellcheck shell=bash
# shellcheck disable=SC2034 # SD_WHY is read by the sourcing script
#
# A real systemd as PID 1 of a namespace the test creates (systemd is not
# PID 1 on the test machines), for testing the systemd backends for real.
#
# sd_ns_boot <unit dir>: boots /lib/systemd/systemd through
# tests/lib/systemd-boot.sh in new PID, mount, UTS, network and cgroup
# namespaces, with only exha-t.target as its goal. The unit directory gets
# the D-Bus socket and service (the agents talk to systemd over the system
# bus, and systemd joins the bus only once dbus.socket and dbus.service run)
# and masks for everything of the host's boot that touches shared state
# (sysinit.target pulls systemd-tmpfiles --remove --boot, which empties /tmp;
# journald writes /var/log/journal); all test units use
# DefaultDependencies=no so nothing pulls them back in. SD_PID is the PID
# of that systemd here; sd_ns <cmd...> runs cmd in its PID and mount
# namespaces. Returns 1 with SD_WHY set when systemd cannot run here.
#
# Cleanup (deferred, also on failure): SIGKILL to SD_PID (the namespace's
# PID 1: the kernel ends every process in it), then the cgroup made for it.

SD_PID=""
SD_UNSHARE=""
SD_CG=""
SD_WHY=""

# The cgroup2 mount point and this process's cgroup path in it.
sd_cgroup2_dir() {
	local mnt path
	mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	path=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[[ -n $mnt && -n $path ]] || return 1
	path="$mnt$path"
	printf '%s' "${path%/}"
}

# sd_ns_units <dir>: the bus units, the target and the masks.
sd_ns_units() {
	local dir=$1 u
	mkdir -p "$dir"
	cat >"$dir/exha-t.target" <<-UNIT
		[Unit]
		Description=exha test: the only goal of this systemd
		DefaultDependencies=no
		Wants=dbus.socket dbus.service
		After=dbus.socket dbus.service
	UNIT
	cat >"$dir/dbus.socket" <<-UNIT
		[Unit]
		DefaultDependencies=no
		[Socket]
		ListenStream=/run/dbus/system_bus_socket
	UNIT
	cat >"$dir/dbus.service" <<-UNIT
		[Unit]
		DefaultDependencies=no
		Requires=dbus.socket
		[Service]
		Type=notify
		NotifyAccess=main
		ExecStart=/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --nosyslog
		StandardOutput=null
	UNIT
	for u in sysinit.target basic.target sockets.target timers.target local-fs.target \
		default.target multi-user.target systemd-journald.service \
		systemd-journald.socket systemd-journald-dev-log.socket \
		systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service \
		systemd-tmpfiles-clean.service systemd-tmpfiles-clean.timer; do
		ln -sfn /dev/null "$dir/$u"
	done
}

sd_ns() {
	nsenter --target "$SD_PID" --mount --pid "$@"
}

# systemd answers on the system bus (it joins it after dbus.service runs).
sd_ns_on_bus() {
	sd_ns busctl --system --timeout=2 status org.freedesktop.systemd1 >/dev/null 2>&1
}

sd_ns_boot() {
	local units=$1 base
	if ! base=$(sd_cgroup2_dir) || [[ ! -w $base ]]; then
		SD_WHY="no writable cgroup2 hierarchy here (systemd needs one)"
		return 1
	fi
	SD_CG="$base/${T_PREFIX}-systemd"
	if ! mkdir "$SD_CG" 2>/dev/null; then
		SD_WHY="cannot create the cgroup $SD_CG"
		return 1
	fi
	defer sd_ns_end
	(
		echo "$BASHPID" >"$SD_CG/cgroup.procs"
		exec unshare --pid --fork --kill-child --mount --uts --net --cgroup \
			bash "$(dirname "${BASH_SOURCE[0]}")/systemd-boot.sh" "$units"
	) </dev/null >"$T_TMP/systemd-boot.log" 2>&1 &
	SD_UNSHARE=$!
	wait_until 10 sd_ns_pid1 || true
	if [[ -z $SD_PID ]] || ! wait_until 20 sd_ns_on_bus; then
		SD_WHY="systemd did not come up on the bus within 20 s: $(tail -n 3 \
			"$T_TMP/systemd-boot.log" | tr '\n' ' ')"
		return 1
	fi
}

# SD_PID: unshare's child, which execs systemd.
sd_ns_pid1() {
	local pid
	pid=$(cat "/proc/$SD_UNSHARE/task/$SD_UNSHARE/children" 2>/dev/null) || return 1
	pid=${pid%% *}
	[[ -n $pid && $(readlink "/proc/$pid/exe") == */systemd ]] || return 1
	SD_PID=$pid
}

sd_cg_gone() {
	local d
	[[ -d $SD_CG ]] || return 0
	find "$SD_CG" -depth -type d -print0 | while IFS= read -r -d '' d; do
		rmdir "$d" 2>/dev/null || true
	done
	[[ ! -d $SD_CG ]]
}

# Kill the namespace's PID 1 (by PID: it and all in the namespace end).
sd_ns_end() {
	if [[ -n $SD_PID ]]; then
		kill -KILL "$SD_PID" 2>/dev/null || true
	fi
	if [[ -n $SD_UNSHARE ]]; then
		kill -KILL "$SD_UNSHARE" 2>/dev/null || true
		wait "$SD_UNSHARE" 2>/dev/null || true # its status is that of the kill
	fi
	if [[ -n $SD_CG ]]; then
		wait_until 10 sd_cg_gone || true
	fi
	SD_PID=""
	SD_UNSHARE=""
	return 0
}
