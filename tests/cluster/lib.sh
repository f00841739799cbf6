# shellcheck shell=bash
#
# tests/cluster: a real corosync 3 + Pacemaker 2.1 cluster on one machine.
# Each node is a network namespace (veths into two bridges: the public LAN
# 192.0.2.0/24 and the interconnect 198.51.100.0/24) with fresh mount and UTS
# namespaces, booted by tests/cluster/node.sh: private /run, /dev/shm, /srv,
# per-node /var/lib/pacemaker, /etc/corosync, ..., the build's DESTDIR
# install over the system's agent paths, then corosync -f and pacemakerd -f.
# Fencing is real (stonith-enabled=true): fence_exha_ns kills every process
# of a node's namespaces. The client is one more namespace on the LAN.
#
#   switch ns:  br0 (LAN)  <- node1 eth0 192.0.2.1, node2 eth0 192.0.2.2,
#                             client eth0 192.0.2.254,
#                             [directory eth0 192.0.2.250]
#               br1 (interconnect) <- node1 eth1 198.51.100.1, node2 ...
#
# corosync runs knet over both links (link 0 the interconnect, link 1 the
# LAN), so the loss of a node's LAN link is a failed link, not a lost node.
# The directory ocf:exha:ad-fixup repoints, when there is one
# (cl_directory_start), is the test slapd in one more namespace on the LAN.
#
# Usage: source after tests/lib/common.sh; cl_init, cl_node_add..., cl_start.

CL_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CL_ROOT=$(cd "$CL_HERE/../.." && pwd)
# shellcheck source=tests/ldap/slapd.sh
. "$CL_HERE/../ldap/slapd.sh"
# shellcheck source=tests/ldap/adfix.sh
. "$CL_HERE/../ldap/adfix.sh"
# The build's install (make install DESTDIR=...): what the nodes run.
: "${EXHA_DESTDIR:=$CL_ROOT/build/dest}"
CL_STATE=$T_TMP/nodes
CL_NODES=()
CL_SW=""
CL_CLIENT=""

# ------------------------------------------------------------------ nodes

cl_ns() { printf '%s-%s' "$T_PREFIX" "$1"; }
cl_dir() { printf '%s/%s' "$CL_STATE" "$1"; }
cl_holder() { cat "$(cl_dir "$1")/holder" 2>/dev/null; }

# on NODE cmd...: run in the node's network, mount and UTS namespaces.
on() {
	local node=$1 pid
	shift
	pid=$(cl_holder "$node") || return 1
	nsenter -t "$pid" -n -m -u -- "$@"
}

# cl_init: the switch (two bridges) and the client namespace.
cl_init() {
	mkdir -p "$CL_STATE"
	ns_new CL_SW sw
	ip -n "$CL_SW" link add br0 type bridge
	ip -n "$CL_SW" link add br1 type bridge
	ip -n "$CL_SW" link set br0 up
	ip -n "$CL_SW" link set br1 up
	ns_new CL_CLIENT client
	cl_plug "$CL_CLIENT" eth0 br0 c0 192.0.2.254/24
}

# cl_plug NS IF BRIDGE PORT ADDR: a veth from NS into a bridge of the switch.
cl_plug() {
	local ns=$1 ifname=$2 br=$3 port=$4 addr=$5
	ip -n "$ns" link add "$ifname" type veth peer name "$port" netns "$CL_SW"
	ip -n "$CL_SW" link set "$port" master "$br" up
	ip -n "$ns" addr add "$addr" dev "$ifname"
	ip -n "$ns" link set "$ifname" up
}

# cl_node_add NAME INDEX: node INDEX at 192.0.2.INDEX and 198.51.100.INDEX.
cl_node_add() {
	local node=$1 i=$2 ns dir d
	ns=$(cl_ns "$node")
	dir=$(cl_dir "$node")
	ip netns add "$ns"
	defer cl_node_delete "$node"
	ip -n "$ns" link set lo up
	cl_plug "$ns" eth0 br0 "p$i" "192.0.2.$i/24"
	cl_plug "$ns" eth1 br1 "h$i" "198.51.100.$i/24"
	ip -n "$ns" link set eth0 down
	ip -n "$ns" link set eth1 down
	mkdir -p "$dir"
	stat -L -c 'net:[%i]' "/run/netns/$ns" >"$dir/netns"
	echo "$i" >"$dir/index"
	for d in etc/corosync var/lib/corosync var/log/pacemaker var/log/corosync \
		var/lib/pacemaker/{cib,pengine,blackbox,cores} sbin; do
		mkdir -p "$dir/$d"
	done
	chown -R hacluster:haclient "$dir/var/lib/pacemaker" "$dir/var/log/pacemaker"
	install -m 0755 "$CL_HERE/fence_exha_ns" "$dir/sbin/fence_exha_ns"
	CL_NODES+=("$node")
}

# Power the node off (as the fence agent does), then remove its namespace.
cl_node_delete() {
	cl_power_off "$1"
	ip netns del "$(cl_ns "$1")"
}

# cl_power_off NODE: what fencing does: every process of the node killed.
cl_power_off() {
	printf 'action=off\nport=%s\nstatedir=%s\n' "$1" "$CL_STATE" |
		"$CL_HERE/fence_exha_ns" 2>/dev/null
	# Also when nothing of the node ran any more (the agent found no process
	# to enter the namespace through).
	ip -n "$(cl_ns "$1")" link set eth0 down 2>/dev/null
	ip -n "$(cl_ns "$1")" link set eth1 down 2>/dev/null
	rm -f "$(cl_dir "$1")/holder" "$(cl_dir "$1")/booted"
}

cl_corosync_conf() {
	local n id
	printf 'totem {\n version: 2\n cluster_name: exha\n transport: knet\n'
	printf ' crypto_cipher: none\n crypto_hash: none\n token: %s\n' "${CL_TOKEN_MS:-1000}"
	printf ' interface {\n  linknumber: 0\n }\n interface {\n  linknumber: 1\n }\n}\n'
	printf 'nodelist {\n'
	for n in "${CL_NODES[@]}"; do
		id=$(cat "$(cl_dir "$n")/index")
		printf ' node {\n  name: %s\n  nodeid: %d\n  ring0_addr: 198.51.100.%d\n  ring1_addr: 192.0.2.%d\n }\n' \
			"$n" "$id" "$id" "$id"
	done
	printf '}\nquorum {\n provider: corosync_votequorum\n'
	((${#CL_NODES[@]} == 2)) && printf ' two_node: 1\n'
	printf '}\nlogging {\n to_logfile: yes\n logfile: /var/log/corosync/corosync.log\n'
	printf ' to_syslog: no\n to_stderr: no\n timestamp: hires\n}\n'
}

# The first CIB of every node: fencing on, through the harness's agent, and
# a DC elected in seconds.
cl_cib_seed() {
	local f=$1
	cat >"$f" <<XML
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="true"/>
        <nvpair id="opt-deadtime" name="dc-deadtime" value="2s"/>
        <nvpair id="opt-recheck" name="cluster-recheck-interval" value="1min"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <primitive id="fence" class="stonith" type="fence_exha_ns">
        <instance_attributes id="fence-ia">
          <nvpair id="fence-statedir" name="statedir" value="$CL_STATE"/>
          <nvpair id="fence-hosts" name="pcmk_host_list" value="${CL_NODES[*]}"/>
          <nvpair id="fence-check" name="pcmk_host_check" value="static-list"/>
        </instance_attributes>
        <operations>
          <op id="fence-monitor" name="monitor" interval="60s"/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status/>
</cib>
XML
	chown hacluster:haclient "$f"
	chmod 0600 "$f"
}

# cl_boot NODE: boot (or reboot after fencing) the node; returns at once.
cl_boot() {
	local node=$1 dir ns d i
	dir=$(cl_dir "$node")
	ns=$(cl_ns "$node")
	cl_corosync_conf >"$dir/etc/corosync/corosync.conf"
	[[ -f $dir/var/lib/pacemaker/cib/cib.xml ]] || cl_cib_seed "$dir/var/lib/pacemaker/cib/cib.xml"
	rm -f "$dir/booted" "$dir/power"
	# Power on: the NICs up again with only the node's own addresses (what a
	# resource had added before the power cut is gone, as after a reboot).
	for d in eth0 eth1; do ip -n "$ns" addr flush dev "$d"; done
	i=$(cat "$dir/index")
	ip -n "$ns" addr add "192.0.2.$i/24" dev eth0
	ip -n "$ns" addr add "198.51.100.$i/24" dev eth1
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set eth1 up
	ip netns exec "$ns" unshare --mount --uts --propagation private \
		"$CL_HERE/node.sh" "$node" "$dir" "$EXHA_DESTDIR" >"$dir/node.out" 2>&1 &
	echo $! >"$dir/holder"
	disown
}

# The node sees a DC and COUNT nodes online.
cl_online() {
	local out
	out=$(on "$1" crm_mon -1 2>/dev/null) || return 1
	grep -q "Current DC: .* - partition" <<<"$out" &&
		(($(sed -n 's/.*Online: \[ \(.*\) \]/\1/p' <<<"$out" | wc -w) == $2))
}

# cl_start: boot every node; wait (180 s: a loaded CI machine) until each sees all online.
cl_start() {
	local n
	for n in "${CL_NODES[@]}"; do cl_boot "$n"; done
	for n in "${CL_NODES[@]}"; do
		wait_until 180 cl_online "$n" "${#CL_NODES[@]}" || return 1
	done
}

# cl_stop: stop Pacemaker, then corosync, on every node, cleanly.
cl_stop() {
	local n pid
	for n in "${CL_NODES[@]}"; do
		pid=$(cat "$(cl_dir "$n")/pacemakerd.pid" 2>/dev/null) && kill -TERM "$pid" 2>/dev/null
	done
	for n in "${CL_NODES[@]}"; do
		pid=$(cat "$(cl_dir "$n")/pacemakerd.pid" 2>/dev/null) &&
			wait_until 60 cl_gone "$pid"
		pid=$(cat "$(cl_dir "$n")/corosync.pid" 2>/dev/null) && kill -TERM "$pid" 2>/dev/null &&
			wait_until 20 cl_gone "$pid"
	done
	return 0
}
cl_gone() { ! kill -0 "$1" 2>/dev/null; }

# -------------------------------------------------------------- resources

# The node the resource is active on (crm_resource --locate), or nothing.
cl_where() {
	on "$(cl_any)" crm_resource --locate -r "$1" 2>/dev/null |
		sed -n 's/.*is running on: \([^ ]*\).*/\1/p' | head -n 1
}
cl_is_on() { [[ $(cl_where "$1") == "$2" ]]; }

# A node that is up, to run cluster commands on: booted, and not fenced
# since (the fence agent leaves "power" behind).
cl_any() {
	local n dir
	for n in "${CL_NODES[@]}"; do
		dir=$(cl_dir "$n")
		[[ -f $dir/booted && ! -f $dir/power ]] && { echo "$n"; return 0; }
	done
	return 1
}
# cl_other NODE: the first of the other nodes (two nodes: the other one).
cl_other() {
	local n
	for n in "${CL_NODES[@]}"; do [[ $n == "$1" ]] || { echo "$n"; return 0; }; done
}

# The whole cluster is idle: the DC's transition is over.
cl_idle() {
	on "$(cl_any)" crmadmin -q -S "$(on "$(cl_any)" crmadmin -q -D 2>&1 | awk '{print $NF}')" 2>&1 |
		grep -q S_IDLE
}

# The timeline from Pacemaker's own operation history (the CIB's status
# section): every start/stop/monitor-failure with its node, time and
# duration. Lines: "<epoch> <node> <resource> <op> rc=<rc> <exec-ms>ms".
cl_history() {
	on "$(cl_any)" cibadmin -Q --scope status 2>/dev/null | python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.stdin).getroot()
for st in root.iter("node_state"):
    node = st.get("uname")
    for rsc in st.iter("lrm_resource"):
        for op in rsc.iter("lrm_rsc_op"):
            if op.get("operation") not in ("start", "stop", "promote", "demote") and op.get("rc-code") == "0":
                continue
            if op.get("operation") == "monitor" and op.get("rc-code") == "7" and op.get("interval") == "0":
                continue
            print(op.get("last-rc-change"), node, rsc.get("id"), op.get("operation"),
                  "rc=" + op.get("rc-code"), op.get("exec-time") + "ms")
' | sort -n
}

# cl_timeline NODE [ARGS]: exha-timeline from the build's install (any
# prefix), run on NODE against its cluster.
cl_timeline() {
	local node=$1 bin
	shift
	for bin in "$EXHA_DESTDIR"/usr/local/sbin/exha-timeline "$EXHA_DESTDIR"/usr/sbin/exha-timeline; do
		[[ -x $bin ]] || continue
		on "$node" "$bin" "$@"
		return
	done
	echo "exha-timeline is not installed in $EXHA_DESTDIR" >&2
	return 127
}

# ------------------------------------------------------------ mail service

# A switching disk: one image file, ext4 with the Postfix queue and the
# mailboxes on it, that every node sees through a path of its own (as over
# a SAN: two HBAs, one LUN): a hangfs (tests/helpers/hangfs.c) per node
# passing through to the image, a loop device over it, and in the node's
# /run the same name for it on every node (/run/cluster-disk/NAME: CL_DISK
# for the first, "mail"). The drill makes one node's path fail (hangfs:
# EIO) while the others' work. The lease of ocf:exha:switching-disk is one
# more image, CL_LEASE, every disk's lease in a slot of its own
# (lease_slot), also reached by each node through a loop device of its own:
# never one device shared by the nodes, whose common block cache would hide
# what only the other path sees (a write cached on one node, unseen on the
# other, is split-brain damage the test must be able to show).
#
# The node's loop devices: $(cl_dir NODE)/disks/NAME holds the device
# behind /run/cluster-disk/NAME (node.sh makes the links at boot).
CL_DISK=/run/cluster-disk/mail
CL_LEASE=/run/cluster-disk/lease
hangfs_build() {
	# shellcheck disable=SC2046 # pkg-config's words are separate arguments
	cc -O2 -o "$1" "$CL_ROOT/tests/helpers/hangfs.c" $(pkg-config --cflags --libs fuse3)
}

# cl_disk_create [NAME]: the disk NAME (mail) at /run/cluster-disk/NAME on
# every node, mounted at /srv/NAME by the group; the lease image with it.
cl_disk_create() {
	local name=${1:-mail} n dir root=$T_TMP/diskroot-${1:-mail} img=$T_TMP/disk-${1:-mail}.img
	mkdir -p "$root/postfix" "$root/vmail"
	chown mail:mail "$root/vmail"
	truncate -s "${CL_DISK_MB:-64}M" "$img"
	mkfs.ext4 -q -L "exha-$name" -d "$root" "$img"
	[[ -x $T_TMP/hangfs ]] || hangfs_build "$T_TMP/hangfs"
	for n in "${CL_NODES[@]}"; do
		dir=$(cl_dir "$n")
		mkdir -p "$dir/fuse-$name" "$dir/disks"
		HANGFS_BACKING=$img "$T_TMP/hangfs" -f -s "$dir/fuse-$name" >"$dir/hangfs-$name.out" 2>&1 &
		echo $! >"$dir/hangfs-$name.pid"
		defer cl_disk_path_delete "$n" "$name"
		wait_until 10 test -e "$dir/fuse-$name/disk"
		losetup -f --show "$dir/fuse-$name/disk" >"$dir/disks/$name"
	done
	cl_lease_create
}

# cl_lease_create: the lease image (once), formatted with CL_LEASE_SLOTS
# slots (4), and each node's own loop device over it.
cl_lease_create() {
	local n dir
	[[ ! -e $T_TMP/lease.img ]] || return 0
	truncate -s 1M "$T_TMP/lease.img"
	for n in "${CL_NODES[@]}"; do
		dir=$(cl_dir "$n")
		mkdir -p "$dir/disks"
		losetup -f --show "$T_TMP/lease.img" >"$dir/disks/lease"
		defer losetup -d "$(cat "$dir/disks/lease")"
	done
	lease_init "$(cat "$(cl_dir "${CL_NODES[0]}")/disks/lease")" --slots "${CL_LEASE_SLOTS:-4}"
}

# cl_disk_path_delete NODE [NAME]: the node's path to the disk gone: its
# loop device, then its hangfs.
cl_disk_path_delete() {
	local dir pid name=${2:-mail}
	dir=$(cl_dir "$1")
	[[ ! -s $dir/disks/$name ]] || losetup -d "$(cat "$dir/disks/$name")"
	pid=$(cat "$dir/hangfs-$name.pid" 2>/dev/null) || return 0
	kill -CONT "$pid" 2>/dev/null
	kill -TERM "$pid" 2>/dev/null
	wait_until 10 cl_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	umount -l "$dir/fuse-$name" 2>/dev/null
	return 0
}

# cl_disk_fail NODE [NAME] / cl_disk_heal NODE [NAME]: the node's path to
# the disk fails every read and write with EIO / works again.
cl_disk_fail() { kill -USR1 "$(cat "$(cl_dir "$1")/hangfs-${2:-mail}.pid")"; }
cl_disk_heal() { kill -USR2 "$(cat "$(cl_dir "$1")/hangfs-${2:-mail}.pid")"; }

# cl_mail_config NODE [GROUP]: the node's own Postfix and Dovecot
# configuration, data on a switching disk. Without GROUP (the two-node
# drill's one group): /etc/postfix and /etc/dovecot (bound over the system's
# by node.sh), data at /srv/mail, listening on every address. GROUP a: the
# same instance listening on group a's floating IP only (CL_FIPS[0]), so that
# a second instance can listen on the same ports of another address; GROUP
# b: the second instance, config, state and data all of its own: Postfix
# with config_directory /run/mail-b/postfix (in production /etc/postfix-b;
# the node's /run/mail-b is bound from its state directory), queue and
# mailboxes on /srv/mail-b, Dovecot with /run/mail-b/dovecot/dovecot.conf
# and base_dir /run/dovecot-b, on CL_FIPS[1].
cl_mail_config() {
	local dir node=$1 group=${2:-} etc pf dc srv listen=all dlisten='*' data=/var/lib/postfix
	local dbase=/run/dovecot dstate=/var/lib/dovecot sfx=""
	dir=$(cl_dir "$1")
	case $group in
	"") ;;
	a) listen=${CL_FIPS[0]} dlisten=${CL_FIPS[0]} ;;
	b) listen=${CL_FIPS[1]} dlisten=${CL_FIPS[1]} sfx=-b ;;
	*) echo "cl_mail_config: no group '$group'" >&2; return 1 ;;
	esac
	if [[ $group == b ]]; then
		etc=/run/mail-b
		pf=$dir/mail-b/postfix dc=$dir/mail-b/dovecot srv=/srv/mail-b
		data=/run/mail-b/postfix-data dbase=/run/dovecot-b dstate=/run/mail-b/dovecot-state
		mkdir -p "$pf" "$dc" "$dir/mail-b/postfix-data" "$dir/mail-b/dovecot-state"
		chown postfix:postfix "$dir/mail-b/postfix-data"
	else
		etc=/etc
		pf=$dir/etc/postfix dc=$dir/etc/dovecot srv=/srv/mail
		mkdir -p "$pf" "$dir"/var/lib/postfix "$dc" "$dir"/var/lib/dovecot
		chown postfix:postfix "$dir/var/lib/postfix"
	fi
	cp /etc/postfix/master.cf /etc/postfix/postfix-files "$pf/"
	cp -r /etc/postfix/postfix-files.d /etc/postfix/dynamicmaps.cf /etc/postfix/dynamicmaps.cf.d \
		"$pf/" 2>/dev/null || true
	cat >"$pf/main.cf" <<CF
compatibility_level = 3.6
myhostname = mail.example.test
mydomain = example.test
myorigin = example.test
mydestination =
inet_interfaces = $listen
inet_protocols = ipv4
mynetworks = 127.0.0.0/8 192.0.2.0/24
queue_directory = $srv/postfix
data_directory = $data
virtual_mailbox_domains = example.test
virtual_mailbox_base = $srv/vmail
virtual_mailbox_maps = texthash:$etc/postfix/vmailbox
virtual_uid_maps = static:8
virtual_gid_maps = static:8
virtual_minimum_uid = 8
alias_maps =
alias_database =
smtputf8_enable = no
maillog_file = /var/log/pacemaker/postfix$sfx.log
biff = no
CF
	# The default instance's main.cf names the other instances' (Postfix
	# refuses a config_directory it does not list).
	[[ $group != a ]] || echo "alternate_config_directories = /run/mail-b/postfix" >>"$pf/main.cf"
	# The greetings name the node (the client tells which one answers).
	# shellcheck disable=SC2016 # $myhostname is Postfix's
	printf 'smtpd_banner = $myhostname ESMTP exha-%s\n' "$node" >>"$pf/main.cf"
	printf 'user@example.test example.test/user/\n' >"$pf/vmailbox"
	# No chroot: the queue is not where the chroot files would be copied.
	postconf -c "$pf" -F '*/*/chroot = n'
	printf 'login_greeting = exha-%s ready\n' "$node" >"$dc/dovecot.conf"
	cat >>"$dc/dovecot.conf" <<CF
protocols = imap
listen = $dlisten
base_dir = $dbase
state_dir = $dstate
instance_name = dovecot$sfx
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 8
mail_location = maildir:$srv/vmail/%d/%n
log_path = /var/log/pacemaker/dovecot$sfx.log
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=8 gid=8 home=$srv/vmail/%d/%n
}
CF
}

# ------------------------------------------------------------- directory

# The directory: tests/ldap/slapd.sh's private slapd in a namespace of its
# own on the LAN (ldap:// with StartTLS, the test CA), holding the Exchange
# organization of tests/ldap/fixture.py with the first two nodes as its
# primary and backup servers, and a third server, CL_DIR_OTHER, that the
# fixup must never touch (node1 is a prefix of node10). CL_DIR is its URI
# once it answers; the exha group gets its directory fixup only then.
# CL_DIR_PAIRS, when set, are the pairs instead, "PRIMARY BACKUP" each (the
# three-node drill's: one per group, cl_gdir_pair), each with its own users
# and configuration objects (fixture.py's extra pairs).
CL_DIR=""
CL_DIR_NS=""
CL_DIR_ADDR=192.0.2.250
CL_DIR_OTHER=node10
CL_DIR_PAIRS=()

# cl_directory_start [USERS]: after cl_init and cl_node_add; USERS mail users (40) per pair.
cl_directory_start() {
	local -a pairs=("${CL_NODES[0]} ${CL_NODES[1]}")
	((${#CL_DIR_PAIRS[@]} == 0)) || pairs=("${CL_DIR_PAIRS[@]}")
	# shellcheck disable=SC2046,SC2086 # each pair is two names
	python3 "$SLAPD_HERE/fixture.py" "${1:-40}" ${pairs[0]} "$CL_DIR_OTHER" \
		$(printf '%s ' "${pairs[@]:1}") >"$T_TMP/directory.ldif"
	slapd_setup "$T_TMP/slapd" "$T_TMP/directory.ldif" "$CL_DIR_ADDR" >/dev/null
	ns_new CL_DIR_NS directory
	cl_plug "$CL_DIR_NS" eth0 br0 d0 "$CL_DIR_ADDR/24"
	defer slapd_stop
	slapd_start "$CL_DIR_NS" || return 1
	CL_DIR=ldap://$CL_DIR_ADDR/
	CL_DIR_USERS=$(users_on "${pairs[0]%% *}")
}

# The group runs the directory fixup on node $1 and the directory points
# there (its start may still be running when the mail service answers).
CL_DIR_USERS=""
cl_directory_at() {
	cl_is_on dir "$1" && dir_points_at "$1" "${CL_NODES[0]}" "${CL_NODES[1]}" "$CL_DIR_USERS"
}

# The client's view: tests/cluster/mailclient.py in the client namespace.
mailclient() { ip netns exec "$CL_CLIENT" "$CL_PY" "$CL_HERE/mailclient.py" "$@"; }
CL_PY=/usr/bin/python3
[[ -x $CL_PY ]] || CL_PY=python3

# -------------------------------------------------------------- the group

CL_FIP=192.0.2.100
cl_has_agent() { [[ -x $EXHA_DESTDIR/usr/lib/ocf/resource.d/exha/$1 ]]; }

# cl_members exha|stock: the group's members, in start order. The exha
# group ends with the directory fixup when there is a directory
# (cl_directory_start): the stock agents have none.
cl_members() {
	if [[ $1 == exha ]] && cl_has_agent service-set; then
		echo "fip disk${CL_DIR:+ dir-core} services${CL_DIR:+ dir}"
	else
		echo "fip disk smtp imap"
	fi
}

# cl_group_config exha|stock: the mail group and the monitor resources with
# their location rules, in crm's configuration syntax (doc/admin-guide.md's
# example). A member that has no exha agent in this build is the stock one
# in both groups.
cl_group_config() {
	local group=$1
	if [[ $group == exha ]]; then
		echo "primitive fip ocf:exha:floating-ip params ip=$CL_FIP cidr_netmask=24 nic=eth0 \\"
	else
		echo "primitive fip ocf:heartbeat:IPaddr2 params ip=$CL_FIP cidr_netmask=24 nic=eth0 \\"
	fi
	echo "	op monitor interval=2s timeout=20s"
	if [[ $group == exha ]] && cl_has_agent switching-disk; then
		# The lease: after the active node's loss and fencing, start takes
		# it at once when the fencer and the CIB prove the holder dead
		# (fenceproof.h); otherwise it waits until the record has stood
		# still for lease_timeout.
		echo "primitive disk ocf:exha:switching-disk params device=$CL_DISK directory=/srv/mail fstype=ext4 \\"
		echo "	lease_device=$CL_LEASE lease_timeout=5 \\"
		echo "	op monitor interval=5s timeout=30s op start timeout=60s op stop timeout=60s"
	else
		# Its own way to notice a failing disk: the level-20 monitor writes
		# and reads back a status file (there is no stock disk monitor).
		echo "primitive disk ocf:heartbeat:Filesystem params device=$CL_DISK directory=/srv/mail fstype=ext4 \\"
		echo "	op monitor interval=5s timeout=40s OCF_CHECK_LEVEL=20 op start timeout=60s op stop timeout=60s"
	fi
	if [[ $group == exha ]] && cl_has_agent service-set; then
		# Postfix's pid file is in its queue directory, on the switching disk.
		echo "primitive services ocf:exha:service-set params services=\"postfix dovecot\" backend=lsb \\"
		echo "	pid_files=\"postfix=/srv/mail/postfix/pid/master.pid dovecot=/run/dovecot/master.pid\" \\"
		echo "	probes=\"postfix=smtp://127.0.0.1:25 dovecot=imap://127.0.0.1:143\" \\"
		# Dovecot closes its IMAP listeners before its stop (a client
		# logging in meanwhile would hold the stop 5 s: service-set's
		# drain_commands).
		echo "	drain_commands=\"dovecot=/usr/bin/doveadm service stop imap-login imap\" \\"
		# Neither needs the other to stop: each spends about a second in its
		# own stop, side by side rather than one after the other
		# (CL_STOP_PARALLEL=false to compare).
		echo "	stop_parallel=${CL_STOP_PARALLEL:-true} \\"
		echo "	op monitor interval=2s timeout=60s op start timeout=120s op stop timeout=120s"
	else
		echo "primitive smtp ocf:heartbeat:postfix op monitor interval=2s timeout=20s \\"
		echo "	op start timeout=60s op stop timeout=60s"
		echo "primitive imap ocf:heartbeat:dovecot op monitor interval=2s timeout=20s \\"
		echo "	op start timeout=60s op stop timeout=60s"
	fi
	# The directory fixup in two (README): dir-core, the servers' part (a
	# handful of objects), before the services, which must find it done;
	# dir, the per-user rewrite (one modify per user), after them, while
	# mail already answers.
	if [[ $group == exha && -n $CL_DIR ]]; then
		cl_adfixup_config "" "${CL_NODES[0]}" "${CL_NODES[1]}"
	fi
	echo "group mail $(cl_members "$group")"
	if [[ $group == exha ]]; then
		echo "primitive link ocf:exha:link-monitor params interfaces=eth0 dampen=1s \\"
		echo "	op monitor interval=10s timeout=20s"
	else
		# Its fastest detection: carrier only, one check, no repeat.
		echo "primitive link ocf:heartbeat:ethmonitor params interface=eth0 name=exha-link \\"
		echo "	repeat_count=1 repeat_interval=1 link_status_only=true \\"
		echo "	op monitor interval=2s timeout=20s"
	fi
	echo "clone link-clone link"
	echo "location mail-on-link mail rule -inf: not_defined exha-link or exha-link lt 1"
	if [[ $group == exha ]]; then
		# The node's path to the shared disk, read every 2 s.
		echo "primitive diskmon ocf:exha:disk-monitor params devices=$CL_DISK interval=2 timeout=1500 \\"
		echo "	dampen=1s op monitor interval=10s timeout=20s"
		echo "clone diskmon-clone diskmon"
		echo "location mail-on-disk mail rule -inf: not_defined exha-disk or exha-disk lt 1"
	fi
	echo "rsc_defaults resource-stickiness=100"
}

# cl_adfixup_config SUFFIX PRIMARY BACKUP: the two ad-fixup primitives
# dir-coreSUFFIX (scope=servers) and dirSUFFIX (scope=users) against
# CL_DIR, repointing between PRIMARY and BACKUP.
cl_adfixup_config() {
	local part
	for part in dir-core:servers dir:users; do
		echo "primitive ${part%:*}$1 ocf:exha:ad-fixup params uri=$CL_DIR scope=${part#*:} \\"
		echo "	bind_dn=\"$SLAPD_ADMIN\" bind_password_file=$SLAPD_DIR/password \\"
		echo "	ca_file=$SLAPD_DIR/ca.pem primary=$2 backup=$3 \\"
		echo "	op start timeout=300s op stop timeout=20s op monitor interval=30s timeout=20s \\"
		echo "	op monitor interval=300s timeout=60s OCF_CHECK_LEVEL=10"
	done
}

# cl_define_group exha|stock: load that configuration (crm configure load
# update: one crm run, where a pcs command per resource takes minutes on a
# loaded machine).
cl_define_group() {
	CL_GROUP=$1
	cl_group_config "$1" >"$T_TMP/group.crm"
	on "$(cl_any)" crm configure load update "$T_TMP/group.crm"
}

# The agent of a resource, class:provider:type.
cl_agent_of() {
	on "$(cl_any)" crm_resource -r "$1" --query-xml 2>/dev/null | sed -n 's/^[^(]*(\([^)]*\)).*/\1/p' | head -n 1
}

# The group runs wholly on one node (its first and last members): print it.
cl_group_node() {
	local n members
	read -ra members <<<"$(cl_members "${CL_GROUP:-exha}")"
	n=$(cl_where "${members[-1]}")
	[[ -n $n && $(cl_where fip) == "$n" ]] && echo "$n"
}
cl_answers() { mailclient probe "$CL_FIP"; }

# ------------------------------------------------- several groups (3 nodes)

# Two mail groups, a and b (tests/cluster/drill-3node.sh): each its own
# floating IP (CL_FIPS), switching disk (/run/cluster-disk/mail and
# mail-b, their leases in slots 0 and 1 of the one lease image), service set
# (a: the default Postfix and Dovecot through their init scripts; b: the
# second instances, started by exha itself with their own configuration,
# cl_mail_config NODE b) and a location preference that spreads them (a on
# CL_NODES[0], b on CL_NODES[1]; stickiness above it, so a group that has
# moved stays where it is until told).
CL_FIPS=(192.0.2.100 192.0.2.101)
CL_GROUPS=(a b)

# With a directory (cl_directory_start, CL_DIR_PAIRS one pair per group)
# each group has its own fixup, dir-core-G and dir-G, placed as in the
# two-node group.

# cl_gmembers G: group G's members, in start order.
cl_gmembers() { echo "fip-$1 disk-$1${CL_DIR:+ dir-core-$1} services-$1${CL_DIR:+ dir-$1}"; }
cl_gfip() { [[ $1 == a ]] && echo "${CL_FIPS[0]}" || echo "${CL_FIPS[1]}"; }
# cl_gindex G: the group's index in CL_GROUPS.
cl_gindex() { [[ $1 == a ]] && echo 0 || echo 1; }
# cl_gdir_pair G: the group's directory pair, "PRIMARY BACKUP".
cl_gdir_pair() { echo "${CL_DIR_PAIRS[$(cl_gindex "$1")]}"; }

# cl_gdirectory_at G NODE: group G runs its fixup on NODE and its pair's
# objects point where that start leaves them: at the primary on the
# primary's node, at the backup on any other; its 4 configuration objects
# (fixture.py) alone name that server.
cl_gdirectory_at() {
	# shellcheck disable=SC2046 # the pair is two words
	cl_is_on "dir-$1" "$2" &&
		dir_points_at "$(cl_gdir_target "$1" "$2")" $(cl_gdir_pair "$1") "$CL_DIR_USERS" 4
}
# cl_gdir_target G NODE: the server group G's fixup on NODE points its pair at.
cl_gdir_target() {
	local p b
	read -r p b <<<"$(cl_gdir_pair "$1")"
	if [[ ${2,,} == "${p,,}" ]]; then echo "$p"; else echo "$b"; fi
}

# cl_groups_config: the two groups in crm's configuration syntax (the
# example of doc/several-groups.md).
cl_groups_config() {
	local g fip disk srv pfpid dcpid i=0
	for g in "${CL_GROUPS[@]}"; do
		fip=$(cl_gfip "$g")
		if [[ $g == a ]]; then
			disk=$CL_DISK srv=/srv/mail dcpid=/run/dovecot/master.pid
		else
			disk=/run/cluster-disk/mail-$g srv=/srv/mail-$g dcpid=/run/dovecot-$g/master.pid
		fi
		pfpid=$srv/postfix/pid/master.pid
		echo "primitive fip-$g ocf:exha:floating-ip params ip=$fip cidr_netmask=24 nic=eth0 \\"
		echo "	op monitor interval=2s timeout=20s"
		echo "primitive disk-$g ocf:exha:switching-disk params device=$disk directory=$srv fstype=ext4 \\"
		echo "	lease_device=$CL_LEASE lease_slot=$i lease_timeout=5 \\"
		echo "	op monitor interval=5s timeout=30s op start timeout=60s op stop timeout=60s"
		if [[ $g == a ]]; then
			echo "primitive services-$g ocf:exha:service-set params services=\"postfix dovecot\" backend=lsb \\"
		else
			echo "primitive services-$g ocf:exha:service-set params services=\"postfix dovecot\" backend=exec \\"
			echo "	exec_commands=\"postfix=/usr/sbin/postfix -c /run/mail-$g/postfix start-fg; dovecot=/usr/sbin/dovecot -F -c /run/mail-$g/dovecot/dovecot.conf\" \\"
			echo "	executables=\"postfix=/usr/lib/postfix/sbin/master dovecot=/usr/sbin/dovecot\" \\"
		fi
		echo "	pid_files=\"postfix=$pfpid dovecot=$dcpid\" \\"
		echo "	probes=\"postfix=smtp://$fip:25 dovecot=imap://$fip:143\" \\"
		echo "	op monitor interval=2s timeout=60s op start timeout=120s op stop timeout=120s"
		# shellcheck disable=SC2046 # the pair is two words
		[[ -z $CL_DIR ]] || cl_adfixup_config "-$g" $(cl_gdir_pair "$g")
		echo "group mail-$g $(cl_gmembers "$g")"
		echo "location mail-$g-prefers mail-$g 50: ${CL_NODES[i]}"
		echo "location mail-$g-on-link mail-$g rule -inf: not_defined exha-link or exha-link lt 1"
		i=$((i + 1))
	done
	echo "primitive link ocf:exha:link-monitor params interfaces=eth0 dampen=1s \\"
	echo "	op monitor interval=10s timeout=20s"
	echo "clone link-clone link"
	echo "rsc_defaults resource-stickiness=100"
}

cl_define_groups() {
	cl_groups_config >"$T_TMP/groups.crm"
	on "$(cl_any)" crm configure load update "$T_TMP/groups.crm"
}

# cl_ggroup_node G: group G runs wholly on one node (its first and last
# members): print it.
cl_ggroup_node() {
	local n
	n=$(cl_where "services-$1")
	[[ -n $n && $(cl_where "fip-$1") == "$n" ]] && echo "$n"
}

# cl_others NODE: the other nodes, one a line.
cl_others() {
	local n
	for n in "${CL_NODES[@]}"; do [[ $n == "$1" ]] || echo "$n"; done
}
