#!/usr/bin/env python3
"""A listening LDAP server that only records what reaches it (tests only).

    fakeldap.py <record file> <cert.pem> <key.pem> <plain port> <ldaps port>

Listens on 127.0.0.1 (the test runs it in a network namespace of its own):
<plain port> speaks LDAP in clear and answers StartTLS by switching to TLS,
<ldaps port> is TLS from the first byte. Each request appends one line to
the record file, flushed at once:

    starttls                      a StartTLS extended request
    bind tls=<0|1> name=<name>    a bind request, whether TLS was on when it
                                  arrived, and the name exactly as sent
    op tls=<0|1> tag=<hex>        anything else (answered "unwilling")

Binds succeed; every other operation is refused, so an agent stops there.
Prints "ready" on stdout once both ports listen. Ends on SIGTERM.
"""
import socket
import ssl
import sys
import threading

STARTTLS_OID = b"1.3.6.1.4.1.1466.20037"


def read_len(sock_read):
    first = sock_read(1)[0]
    if first < 0x80:
        return first
    n = first & 0x7F
    if n == 0 or n > 4:
        raise ValueError("bad length")
    return int.from_bytes(sock_read(n), "big")


def tlv(data, pos):
    """(tag, value, next position) of the BER element at pos."""
    tag = data[pos]
    pos += 1
    first = data[pos]
    pos += 1
    if first < 0x80:
        length = first
    else:
        n = first & 0x7F
        length = int.from_bytes(data[pos:pos + n], "big")
        pos += n
    return tag, data[pos:pos + length], pos + length


def enc(tag, value):
    if len(value) < 0x80:
        return bytes([tag, len(value)]) + value
    n = (len(value).bit_length() + 7) // 8
    return bytes([tag, 0x80 | n]) + len(value).to_bytes(n, "big") + value


def result(msgid, op_tag, code, extra=b""):
    body = enc(0x0A, bytes([code])) + enc(0x04, b"") + enc(0x04, b"") + extra
    return enc(0x30, enc(0x02, msgid) + enc(op_tag, body))


class Conn:
    def __init__(self, sock, ctx, record, lock, tls):
        self.sock, self.ctx, self.record, self.lock = sock, ctx, record, lock
        self.tls = tls

    def note(self, line):
        with self.lock:
            with open(self.record, "a", encoding="utf-8") as f:
                f.write(line + "\n")

    def read(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise EOFError
            out += chunk
        return out

    def message(self):
        tag = self.read(1)[0]
        if tag != 0x30:
            raise ValueError("not an LDAPMessage")
        return self.read(read_len(self.read))

    def serve(self):
        if self.tls:
            self.sock = self.ctx.wrap_socket(self.sock, server_side=True)
        while True:
            msg = self.message()
            _, msgid, pos = tlv(msg, 0)
            op_tag, op, _ = tlv(msg, pos)
            if not self.handle(msgid, op_tag, op):
                return

    def handle(self, msgid, op_tag, op):
        if op_tag == 0x42:  # unbind
            return False
        if op_tag == 0x60:  # bind: version, name, auth
            _, _, pos = tlv(op, 0)
            _, name, _ = tlv(op, pos)
            self.note("bind tls=%d name=%s" % (self.tls, name.decode("utf-8", "replace")))
            self.sock.sendall(result(msgid, 0x61, 0))
            return True
        if op_tag == 0x77:  # extended
            _, oid, _ = tlv(op, 0)
            if oid == STARTTLS_OID and not self.tls:
                self.note("starttls")
                self.sock.sendall(result(msgid, 0x78, 0, enc(0x8A, STARTTLS_OID)))
                self.tls = True
                self.sock = self.ctx.wrap_socket(self.sock, server_side=True)
                return True
        self.note("op tls=%d tag=%02x" % (self.tls, op_tag))
        reply = {0x63: 0x65, 0x66: 0x67, 0x68: 0x69, 0x6A: 0x6B, 0x6C: 0x6D, 0x77: 0x78}
        if op_tag in reply:
            self.sock.sendall(result(msgid, reply[op_tag], 53))
        return op_tag in reply


def listen(port, tls, ctx, record, lock):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)

    def loop():
        while True:
            sock, _ = srv.accept()
            conn = Conn(sock, ctx, record, lock, tls)
            threading.Thread(target=run, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def run(conn):
    try:
        conn.serve()
    except (EOFError, ValueError, OSError, IndexError):
        pass
    finally:
        conn.sock.close()


def main():
    record, cert, key, plain, ldaps = sys.argv[1:6]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    lock = threading.Lock()
    listen(int(plain), False, ctx, record, lock)
    listen(int(ldaps), True, ctx, record, lock)
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
