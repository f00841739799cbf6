#!/usr/bin/env python3
#
# A holder of an IPv4 address that answers ARP probes late: a host whose
# reply takes <delay_ms> (a loaded or distant peer), which the kernel cannot
# be made to be without netem. Answers each ARP probe (sender 0.0.0.0) for
# <ip> on <iface> with an ARP reply claiming <ip>, <delay_ms> after the probe
# arrived; ignores everything else (announcements, ordinary requests).
#
# Usage (inside the peer's namespace): late-arp-holder.py <iface> <ip> <delay_ms> <ready_file>
# Writes ready_file once it listens; runs until killed.
import socket
import struct
import sys
import time

ETH_P_ARP = 0x0806


def main():
    iface, ip, delay_ms, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    target = socket.inet_aton(ip)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    s.bind((iface, ETH_P_ARP))
    mac = s.getsockname()[4][:6]
    pending = []  # (due, requester MAC)
    with open(ready, "w") as f:
        f.write("listening\n")
    while True:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, who = pending.pop(0)
            arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, mac, target, who, bytes(4))
            s.send(who + mac + struct.pack("!H", ETH_P_ARP) + arp)
        s.settimeout(max(0.0, pending[0][0] - now) if pending else None)
        try:
            frame, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING or len(frame) < 42:
            continue
        op, sha, spa, _tha, tpa = struct.unpack("!6xH6s4s6s4s", frame[14:42])
        if op == 1 and spa == bytes(4) and tpa == target and sha != mac:
            pending.append((time.monotonic() + delay_ms / 1000.0, sha))


main()
