#!/usr/bin/env python3
#
# Another host on the floating IP's link, for tests/integration/floating-ip-defend.sh:
# it claims <ip> (a gratuitous ARP, or for IPv6 an unsolicited neighbour
# advertisement with the override flag, from its own MAC) <claims> times,
# <interval_ms> apart, and logs every announcement of <ip> it sees from
# another MAC after its first claim (the defender's answer) as a line
# "announce <mac>" in <log_file>.
#
# Usage (inside the peer's namespace):
#   fip-claimer.py <iface> <ip> <claims> <interval_ms> <ready_file> <log_file>
# Writes ready_file once it listens; claims once <ready_file>.go exists;
# runs until killed.
import os
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_ARP = 0x0806
ETH_P_IPV6 = 0x86DD


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def claim_v4(mac, ip):
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, ip, bytes(6), ip)
    return b"\xff" * 6 + mac + struct.pack("!H", ETH_P_ARP) + arp


def claim_v6(mac, ip):
    all_nodes = socket.inet_pton(socket.AF_INET6, "ff02::1")
    icmp = struct.pack("!BBHI16sBB6s", 136, 0, 0, 0x20000000, ip, 2, 1, mac)
    pseudo = ip + all_nodes + struct.pack("!I3xB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(icmp), 58, 255, ip, all_nodes)
    return b"\x33\x33\x00\x00\x00\x01" + mac + struct.pack("!H", ETH_P_IPV6) + hdr + icmp


def announcer(frame, ip, v6):
    """The source MAC of an announcement of ip in frame, or None."""
    etype = struct.unpack("!H", frame[12:14])[0]
    if not v6 and etype == ETH_P_ARP and len(frame) >= 42:
        sha, spa = struct.unpack("!6s4s", frame[22:32])
        return sha if spa == ip else None
    if v6 and etype == ETH_P_IPV6 and len(frame) >= 14 + 40 + 24:
        nh, icmp_type = frame[14 + 6], frame[14 + 40]
        target = frame[14 + 48 : 14 + 64]
        return frame[6:12] if nh == 58 and icmp_type == 136 and target == ip else None
    return None


def main():
    iface, ip_text, claims, interval_ms, ready, log = sys.argv[1:7]
    v6 = ":" in ip_text
    ip = socket.inet_pton(socket.AF_INET6 if v6 else socket.AF_INET, ip_text)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, ETH_P_ALL))
    mac = s.getsockname()[4][:6]
    frame = claim_v6(mac, ip) if v6 else claim_v4(mac, ip)
    with open(ready, "w") as f:
        f.write("listening\n")
    left, next_claim, claimed = int(claims), None, False
    while True:
        if next_claim is None and os.path.exists(ready + ".go"):
            next_claim = time.monotonic()
        now = time.monotonic()
        if left > 0 and next_claim is not None and now >= next_claim:
            s.send(frame)
            claimed = True
            left -= 1
            next_claim = now + int(interval_ms) / 1000.0
        wait = 0.05 if next_claim is None or left == 0 else max(0.0, next_claim - now)
        s.settimeout(wait if left > 0 or next_claim is None else None)
        try:
            got, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING or not claimed:
            continue
        who = announcer(got, ip, v6)
        if who is not None and who != mac:
            with open(log, "a") as f:
                f.write("announce %s\n" % who.hex(":"))


main()
