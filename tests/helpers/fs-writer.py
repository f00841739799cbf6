#!/usr/bin/python3
# For tests/integration/switching-disk-lease.sh: write files into a
# directory one by one, each fsynced, and log "ok <name> <ms>" (outside the
# disk, ms: CLOCK_REALTIME when its fsync returned) only once its fsync
# returned; the first error is logged and ends it.
# Usage: fs-writer.py <dir> <prefix> <log> <count, 0 = until stopped>
import os
import sys
import time

directory, prefix, log, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(log, "a", buffering=1) as out:
    i = 0
    while count == 0 or i < count:
        name = "%s-%d" % (prefix, i)
        try:
            fd = os.open(os.path.join(directory, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, (name + "\n").encode() * 64)
            os.fsync(fd)
            done = int(time.time() * 1000)
            os.close(fd)
        except OSError as e:
            out.write("error %s %s\n" % (name, e.strerror))
            sys.exit(1)
        out.write("ok %s %d\n" % (name, done))
        i += 1
        time.sleep(0.02)
