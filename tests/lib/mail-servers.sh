# shellcheck shell=bash
#
# Real postfix and dovecot for the mail-probe tests, started in the network
# namespace $NS AND a private mount namespace (unshare --mount) in which
# per-test copies of /etc/postfix, /etc/dovecot, /var/spool/postfix,
# /var/lib/postfix and /var/lib/dovecot are bind-mounted over the real ones
# and /run is a tmpfs: the host's instances and other tests' never see a
# change. A CA and a server certificate (IP SANs 127.0.0.1, ::1, 192.0.2.1)
# come from openssl; dovecot knows one user, "probe", password $SECRET.
# Source after tests/lib/common.sh; then: make_certs; make_copies;
# ns_new NS ...; start_servers. Both daemons are stopped by PID at exit.

T=$T_TMP
SECRET="Pr0be-s3cret\"x"

make_certs() {
	local ca
	for ca in ca wrong-ca; do
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
			-subj "/CN=exha test $ca" -keyout "$T/$ca.key" -out "$T/$ca.pem" 2>/dev/null
	done
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-subj /CN=localhost -keyout "$T/server.key" -out "$T/server.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,IP:::1,IP:192.0.2.1,DNS:localhost\n' >"$T/san"
	openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
		-CAcreateserial -days 2 -extfile "$T/san" -out "$T/server.pem" 2>/dev/null
}

# ------------------------------------------------- the servers' own copies

# Copies of the packaged configuration and state, adjusted for the test.
make_copies() {
	cp -a /etc/postfix "$T/etc-postfix"
	cp -a /etc/dovecot "$T/etc-dovecot"
	cp -a /var/spool/postfix "$T/spool-postfix"
	cp -a /var/lib/postfix "$T/lib-postfix"
	cp -a /var/lib/dovecot "$T/lib-dovecot"
	# Whatever the host's master left there is not ours.
	rm -f "$T/spool-postfix/pid/"*
	install -m 644 "$T/server.pem" "$T/etc-postfix/exha-server.pem"
	install -m 600 "$T/server.key" "$T/etc-postfix/exha-server.key"
	install -m 644 "$T/server.pem" "$T/etc-dovecot/exha-server.pem"
	install -m 600 "$T/server.key" "$T/etc-dovecot/exha-server.key"
	configure_postfix
	configure_dovecot
}

configure_postfix() {
	local c="$T/etc-postfix"
	postconf -c "$c" -e inet_interfaces=all inet_protocols=all myhostname=mx.exha.test \
		smtpd_tls_cert_file=/etc/postfix/exha-server.pem \
		smtpd_tls_key_file=/etc/postfix/exha-server.key smtpd_tls_security_level=may
	# No chroot: the chroot would need its own copies of /etc files.
	postconf -c "$c" -F '*/*/chroot = n'
}

configure_dovecot() {
	local c="$T/etc-dovecot"
	# System users (PAM) and the package's missing snakeoil paths out.
	sed -i 's/^!include auth-system.conf.ext/#&/' "$c/conf.d/10-auth.conf"
	sed -i '/^ssl_cert =\|^ssl_key =/d' "$c/conf.d/10-ssl.conf"
	printf 'probe:{PLAIN}%s\n' "$SECRET" >"$c/exha-users"
	chmod 644 "$c/exha-users"
	cat >"$c/local.conf" <<-CONF
		protocols = imap pop3
		listen = *, ::
		log_path = $T/dovecot.log
		ssl = yes
		ssl_cert = </etc/dovecot/exha-server.pem
		ssl_key = </etc/dovecot/exha-server.key
		auth_failure_delay = 0
		auth_mechanisms = plain login
		disable_plaintext_auth = no
		first_valid_uid = 1
		first_valid_gid = 1
		passdb {
		  driver = passwd-file
		  args = scheme=PLAIN /etc/dovecot/exha-users
		}
		userdb {
		  driver = static
		  args = uid=65534 gid=65534 home=/run/exha-mail/%u
		}
		mail_location = maildir:~/Maildir
	CONF
}

# Runs inside the netns and the private mount namespace: mounts, then the
# daemons in the foreground (backgrounded here), their PIDs into $T.
write_inner() {
	cat >"$T/inner.sh" <<-'INNER'
		set -euo pipefail
		T=$1
		mount --bind "$T/etc-postfix" /etc/postfix
		mount --bind "$T/etc-dovecot" /etc/dovecot
		mount --bind "$T/spool-postfix" /var/spool/postfix
		mount --bind "$T/lib-postfix" /var/lib/postfix
		mount --bind "$T/lib-dovecot" /var/lib/dovecot
		mount -t tmpfs -o mode=755 exha-test-run /run
		mkdir -p /run/exha-mail
		chown 65534:65534 /run/exha-mail
		/usr/lib/postfix/sbin/master -d </dev/null >"$T/postfix.out" 2>&1 &
		echo $! >"$T/postfix.pid"
		dovecot -F </dev/null >"$T/dovecot.out" 2>&1 &
		echo $! >"$T/dovecot.pid"
	INNER
}

# stop_pid <pidfile>: end the process this script started, and wait for it.
stop_pid() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	wait_until 10 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null
}

listening() {
	[[ -n $(run_in_ns "$NS" ss -Hltn "sport = :$1") ]]
}

start_servers() {
	write_inner
	ip netns exec "$NS" unshare --mount --propagation private bash "$T/inner.sh" "$T"
	defer stop_pid "$T/postfix.pid"
	defer stop_pid "$T/dovecot.pid"
	if ! wait_until 30 listening 25 || ! wait_until 30 listening 143 ||
		! wait_until 30 listening 110; then
		not_ok "postfix and dovecot listen in the namespace"
		diag_block postfix "$(cat "$T/postfix.out")"
		diag_block dovecot "$(cat "$T/dovecot.out" "$T/dovecot.log" 2>/dev/null)"
		finish
	fi
}

