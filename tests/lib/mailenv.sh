# shellcheck shell=bash
#
# A private mail system for the service-set tests: sourced first thing by a
# script, it re-executes the script inside new PID, mount, UTS and network
# namespaces (everything started there dies with the script's PID 1), then
# offers setup_mail_env: per-test copies of /etc/postfix, /etc/dovecot,
# /var/spool/postfix, /var/lib/postfix and /var/lib/dovecot bind-mounted over
# the originals, a fresh tmpfs on /run, the mail spool on a loop-mounted
# ext4, loopback only. The host's Postfix and Dovecot (and other tests'
# instances) are never touched.
#
# Postfix delivers example.test through virtual(8) into Maildirs on the
# loop-mounted spool; Dovecot serves them over IMAP and POP3 (ssl = no,
# 127.0.0.1 only).

if [[ ${EXHA_SS_INNER:-} != 1 ]]; then
	if ((EUID != 0)); then
		echo "not ok 1 - running as root (namespaces and mounts need it)"
		exit 1
	fi
	exec unshare --pid --fork --mount-proc --mount --net --uts \
		env EXHA_SS_INNER=1 bash "$0" "$@"
fi

# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

require pgrep mkfs.ext4 postconf doveconf

MAILUID=60123
USER_NAME=exhatest
PASSWORD=secret-$$
PF_PID=/var/spool/postfix/pid/master.pid
DC_PID=/run/dovecot/master.pid
PID_FILES="postfix=$PF_PID dovecot=$DC_PID"
EXEC_COMMANDS="postfix=/usr/sbin/postfix start-fg; dovecot=/usr/sbin/dovecot -F"

# ------------------------------------------------------------- environment

bind_copy() {
	local dir=$1 copy="$T_TMP/root$1"
	mkdir -p "$copy" "$dir"
	cp -a "$dir/." "$copy/"
	mount --bind "$copy" "$dir"
}

setup_mounts() {
	local d
	mount --make-rprivate /
	mount -t tmpfs -o mode=0755 tmpfs /run
	for d in /etc/postfix /etc/dovecot /var/spool/postfix /var/lib/postfix /var/lib/dovecot; do
		bind_copy "$d"
	done
	rm -f /var/spool/postfix/pid/*.pid /var/lib/postfix/master.lock
	truncate -s 32M "$T_TMP/mail.img"
	mkfs.ext4 -q -F "$T_TMP/mail.img"
	mkdir -p /var/mail
	mount -o loop "$T_TMP/mail.img" /var/mail
	defer umount /var/mail
	chown "$MAILUID:$MAILUID" /var/mail
	ip link set lo up
	hostname mail.example.test
}

write_postfix_config() {
	cat >/etc/postfix/main.cf <<-CONF
		compatibility_level = 3.6
		myhostname = mail.example.test
		mydomain = example.test
		mydestination = localhost
		inet_interfaces = 127.0.0.1
		inet_protocols = ipv4
		mynetworks = 127.0.0.0/8
		smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
		alias_maps =
		alias_database =
		virtual_mailbox_domains = example.test
		virtual_mailbox_base = /var/mail
		virtual_mailbox_maps = inline:{$USER_NAME@example.test=$USER_NAME/}
		virtual_uid_maps = static:$MAILUID
		virtual_gid_maps = static:$MAILUID
		maillog_file_prefixes = /var, /dev/stdout, /tmp
		maillog_file = $T_TMP/postfix.log
	CONF
	# postlogd writes maillog_file; stock master.cf has it commented out in some versions.
	grep -q '^postlog' /etc/postfix/master.cf ||
		printf 'postlog   unix-dgram n  -       n       -       1       postlogd\n' \
			>>/etc/postfix/master.cf
}

write_dovecot_config() {
	cat >/etc/dovecot/dovecot.conf <<-CONF
		protocols = imap pop3
		listen = 127.0.0.1
		ssl = no
		disable_plaintext_auth = no
		auth_mechanisms = plain
		base_dir = /run/dovecot
		state_dir = /var/lib/dovecot
		log_path = $T_TMP/dovecot.log
		mail_location = maildir:/var/mail/%n
		passdb {
		  driver = passwd-file
		  args = scheme=PLAIN /etc/dovecot/exha-users
		}
		userdb {
		  driver = static
		  args = uid=$MAILUID gid=$MAILUID home=/var/mail/%n
		}
	CONF
	printf '%s:{PLAIN}%s\n' "$USER_NAME" "$PASSWORD" >/etc/dovecot/exha-users
	chgrp dovecot /etc/dovecot/exha-users
	chmod 0640 /etc/dovecot/exha-users
}

setup_mail_env() {
	setup_mounts
	write_postfix_config
	write_dovecot_config
	diag "postfix $(postconf -h mail_version), dovecot $(dovecot --version | cut -d' ' -f1)"
}

pid_of_file() {
	local pid
	pid=$(tr -d ' \n' <"$1" 2>/dev/null) || return 1
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

# No Postfix master and no Dovecot process in this PID namespace.
nothing_runs() {
	local left
	left=$(pgrep -a -x 'master|dovecot|imap-login|pop3-login|qmgr|pickup|anvil|auth|log' || true)
	[[ -z $left ]] && return 0
	printf '%s\n' "$left" >&2
	return 1
}
