# shellcheck shell=bash
#
# A private slapd for the ad-fixup tests and benchmark, sourced after
# tests/lib/common.sh: its own slapd.conf, mdb database, CA and server
# certificate (openssl) under one directory, loaded with slapadd, started
# inside a network namespace (so its ports 389/636 on 127.0.0.1 collide with
# nothing) plus an ldapi:// socket in the directory, and stopped by PID.
# With an address (the cluster drill's LAN), it also listens there, and the
# certificate names it.
#
#   slapd_setup <dir> <fixture.ldif> [addr]   config, certificates, slapadd
#   slapd_start <ns>                          start, wait until it answers
#   slapd_stop                                kill by PID, wait for it to go
#   slapd_ldapi                               its ldapi:// URI
#   slapd_dump <file>                         every entry, normalized for diff
#
# The rootdn cn=admin,DC=corp,DC=example has the password in
# <dir>/password (root-only, for the agent's bind_password_file).

SLAPD_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SLAPD_DIR=""
SLAPD_PID=""
SLAPD_NS=""
SLAPD_ADDR=""
SLAPD_BASE="DC=corp,DC=example"
SLAPD_ADMIN="cn=admin,DC=corp,DC=example"

slapd_ldapi() {
	local enc=${SLAPD_DIR//\//%2F}
	printf 'ldapi://%s%%2Fldapi' "$enc"
}

slapd_certs() {
	local d=$SLAPD_DIR
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
	openssl req -x509 "${ec[@]}" -nodes -days 2 -subj "/CN=exha test CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
	openssl req "${ec[@]}" -nodes -subj "/CN=localhost" -keyout "$d/server.key" \
		-out "$d/server.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost%s\nextendedKeyUsage=serverAuth\n' \
		"${SLAPD_ADDR:+,IP:$SLAPD_ADDR}" >"$d/ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/ext" -out "$d/server.pem" 2>/dev/null
	# Another CA, for the wrong-CA case.
	openssl req -x509 "${ec[@]}" -nodes -days 2 -subj "/CN=other CA" \
		-keyout "$d/other.key" -out "$d/other.pem" 2>/dev/null
}

slapd_conf() {
	local d=$SLAPD_DIR hash
	hash=$(slappasswd -s "$(<"$d/password")")
	cat >"$d/slapd.conf" <<-CONF
		include /etc/ldap/schema/core.schema
		include /etc/ldap/schema/cosine.schema
		include /etc/ldap/schema/inetorgperson.schema
		include $SLAPD_HERE/exchange.schema
		pidfile $d/slapd.pid
		argsfile $d/slapd.args
		modulepath /usr/lib/ldap
		moduleload back_mdb
		sizelimit unlimited
		TLSCACertificateFile $d/ca.pem
		TLSCertificateFile $d/server.pem
		TLSCertificateKeyFile $d/server.key
		authz-regexp "gidNumber=0\\\\+uidNumber=0,cn=peercred,cn=external,cn=auth" "$SLAPD_ADMIN"
		database mdb
		maxsize 1073741824
		dbnosync
		suffix "$SLAPD_BASE"
		rootdn "$SLAPD_ADMIN"
		rootpw $hash
		directory $d/db
		index objectClass eq
		index mail pres
		index cn eq
	CONF
}

slapd_setup() {
	SLAPD_DIR=$1
	SLAPD_ADDR=${3:-}
	mkdir -p "$SLAPD_DIR/db"
	chmod 700 "$SLAPD_DIR"
	(umask 077 && printf 'pw-%s-%s\n' "$$" "$RANDOM" >"$SLAPD_DIR/password")
	slapd_certs
	slapd_conf
	slapadd -q -f "$SLAPD_DIR/slapd.conf" -l "$2"
}

slapd_answers() {
	ldapsearch -H "$(slapd_ldapi)" -Y EXTERNAL -Q -LLL -s base -b "$SLAPD_BASE" dn >/dev/null 2>&1
}

slapd_start() {
	SLAPD_NS=$1
	rm -f "$SLAPD_DIR/slapd.pid"
	local urls
	urls="$(slapd_ldapi) ldap://127.0.0.1:389/ ldaps://127.0.0.1:636/"
	[[ -z $SLAPD_ADDR ]] || urls+=" ldap://$SLAPD_ADDR:389/ ldaps://$SLAPD_ADDR:636/"
	ip netns exec "$SLAPD_NS" /usr/sbin/slapd -f "$SLAPD_DIR/slapd.conf" -h "$urls"
	wait_until 20 test -s "$SLAPD_DIR/slapd.pid" || return 1
	SLAPD_PID=$(<"$SLAPD_DIR/slapd.pid")
	wait_until 20 slapd_answers
}

slapd_gone() {
	! kill -0 "$SLAPD_PID" 2>/dev/null
}

slapd_stop() {
	[[ -n $SLAPD_PID ]] || return 0
	kill "$SLAPD_PID" 2>/dev/null || true
	wait_until 20 slapd_gone || kill -9 "$SLAPD_PID" 2>/dev/null || true
	SLAPD_PID=""
}

# Every entry's user attributes, unwrapped, entries and lines sorted, without
# msExchPatchMDB (a one-shot flag the store clears when it mounts).
slapd_dump() {
	ldapsearch -H "$(slapd_ldapi)" -Y EXTERNAL -Q -LLL -o ldif-wrap=no -b "$SLAPD_BASE" '*' |
		awk -f "$SLAPD_HERE/normalize.awk" | LC_ALL=C sort -f | cut -f3- >"$1"
}
