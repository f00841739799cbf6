#!/usr/bin/env python3
"""Check exha-timeline --json after a node loss against what the drill saw.

  timeline_check.py VICTIM SURVIVOR T0_MS T1_MS "MEMBERS" < timeline.json

T0_MS: the fault (the victim powered off); T1_MS: the client's SMTP and IMAP
answer again. Prints one line per check, "PASS <what>" or "FAIL <what>",
then "DIAG <text>" lines. The timeline's gap starts at the fence (Pacemaker
does not record when it lost the node: the drill's figure adds that time
before it) and ends when the last member's start returned. Operation times
are whole seconds in the CIB, so comparisons allow 1 s of rounding; the
client probes with a 1 s timeout, so it may notice a started service up to
TOLERANCE_MS late on a loaded machine.
"""
import json
import sys

TOLERANCE_MS = 5000


def main():
    victim, survivor, t0, t1, members = sys.argv[1:6]
    t0, t1, members = int(t0), int(t1), members.split()
    out = []

    def check(what, cond):
        out.append(("PASS " if cond else "FAIL ") + what)
        return cond

    try:
        doc = json.load(sys.stdin)
    except ValueError as e:
        print("FAIL the timeline is valid JSON (%s)" % e)
        return
    check("the timeline is valid JSON", True)
    groups = [g for g in doc["groups"] if g["name"] == "mail"]
    if not check("the timeline has the group mail", len(groups) == 1):
        print("\n".join(out))
        return
    g = groups[0]
    ev = g["events"]
    fences = [e for e in ev if e["type"] == "fence" and e["node"] == victim
              and e["result"] == "done"]
    fence = fences[0] if fences else None
    check("it shows the fencing of %s between the fault and the answer" % victim,
          fence is not None and t0 - 1000 <= fence["end_ms"] <= t1)
    starts = {}
    for e in ev:
        if (e["type"] == "operation" and e["action"] == "start" and e["result"] == "ok"
                and e["node"] == survivor and fence
                and e["epoch_ms"] >= fence["end_ms"] // 1000 * 1000):
            starts.setdefault(e["resource"], e)
    for m in members:
        check("it shows %s started on %s after the fence" % (m, survivor), m in starts)
    gap = g["gap"]
    ok = check("its gap runs from the fence to the last member's start",
               gap["ms"] is not None and gap["from"] is not None and fence is not None
               and gap["from"]["type"] == "fence" and gap["from"]["node"] == victim
               and gap["to"] is not None and gap["to"]["resource"] == members[-1])
    # The member that answers the client: the last one before the directory fixup.
    serving = [m for m in members if m != "dir"][-1]
    s = starts.get(serving)
    if s:
        check("the start of %s began before the client's answer and returned at most %d ms "
              "before it" % (serving, TOLERANCE_MS),
              s["epoch_ms"] <= t1 and s["end_ms"] >= t1 - TOLERANCE_MS - 1000)
    if ok and s:
        print("\n".join(out))
        print("DIAG client: %d ms from the fault to the answer = %d ms until the fence "
              "(loss detection, fencing: not in Pacemaker's records) + %d ms from the fence "
              "to the start of %s returning + %d ms until the client noticed"
              % (t1 - t0, fence["end_ms"] - t0, s["end_ms"] - fence["end_ms"], serving,
                 t1 - s["end_ms"]))
        print("DIAG exha-timeline's gap: %d ms (fence to the last member, %s, started)"
              % (gap["ms"], gap["to"]["resource"]))
        return
    print("\n".join(out))


if __name__ == "__main__":
    main()
