#!/usr/bin/env python3
"""LDIF on stdin, made comparable: entries sorted by DN (case ignored), each
entry's lines sorted, msExchPatchMDB dropped (a one-shot flag). In values of
DN syntax the attribute types are lower-cased, as distinguishedNameMatch
ignores their case: slapd spells them "cn=" in values it was sent by a modify
but keeps "CN=" as slapadd loaded them. The values themselves compare exactly."""
import re
import sys

DN_ATTRS = ("homemdb:", "homemta:", "msexchroutingmasterdn:", "msexchaddresslistservicelink:",
            "offlineabserver:")


def canon(line):
    if line.lower().startswith(DN_ATTRS):
        name, value = line.split(": ", 1)
        value = re.sub(r"(^|,)([A-Za-z][A-Za-z0-9-]*)=", lambda m: m.group(1) + m.group(2).lower() + "=", value)
        return name + ": " + value
    return line


entries = []
for block in sys.stdin.read().split("\n\n"):
    lines = [canon(l) for l in block.split("\n")
             if l and not l.lower().startswith("msexchpatchmdb:")]
    if lines:
        entries.append((lines[0].lower(), lines[0], sorted(lines[1:], key=str.lower)))
for _, dn, rest in sorted(entries):
    print(dn)
    for l in rest:
        print(l)
    print()
