#!/usr/bin/python3
"""The test client of tests/cluster: SMTP in, IMAP out, through the floating IP.

  mailclient.py probe HOST          exit 0 when SMTP (220 + EHLO) and IMAP
                                    (greeting + LOGIN) both answer
  mailclient.py wait HOST SECONDS [NODE]
                                    poll probe until it succeeds (and neither
                                    greeting names NODE, "exha-NODE"); print
                                    the epoch ms of the success (1: timeout)
  mailclient.py down HOST SECONDS   poll until probe fails
  mailclient.py send HOST FILE      send messages one after another until
                                    SIGTERM; append the id of each one the
                                    server accepted (250) to FILE, at once
  mailclient.py sendn HOST N FILE   the same, N messages
  mailclient.py ids HOST            print the ids of the messages in INBOX
"""
import imaplib
import signal
import smtplib
import sys
import time

USER, PASSWORD, RCPT = "user@example.test", "secret", "user@example.test"


def node_of(greeting):
    """The node a server greeting names ("... exha-node1 ..."), or ""."""
    for word in greeting.split():
        if word.startswith("exha-"):
            return word[len("exha-"):]
    return ""


def probe(host, timeout=1.0, avoid=""):
    """Both services answer (and neither from the node `avoid`)."""
    try:
        with smtplib.SMTP(timeout=timeout) as s:
            code, banner = s.connect(host, 25)
            if code != 220 or s.ehlo()[0] != 250:
                return False
            if avoid and node_of(banner.decode()) == avoid:
                return False
        imap = imaplib.IMAP4(host, 143, timeout=timeout)
        try:
            if avoid and node_of(imap.welcome.decode()) == avoid:
                return False
            imap.login(USER, PASSWORD)
            imap.select("INBOX")
        finally:
            imap.logout()
        return True
    except (OSError, smtplib.SMTPException, imaplib.IMAP4.error):
        return False


def wait(host, seconds, avoid=""):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if probe(host, 0.5, avoid):
            print(int(time.time() * 1000))
            return 0
        time.sleep(0.05)
    return 1


def down(host, seconds):
    """Poll until the service stops answering (exit 1: it never did)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not probe(host, 0.3):
            return 0
        time.sleep(0.02)
    return 1


def send_one(host, n):
    """Send message n; True when the server accepted it (250)."""
    msg = "From: test@example.test\r\nTo: %s\r\nSubject: exha-%d\r\n\r\nmessage %d\r\n" % (RCPT, n, n)
    try:
        with smtplib.SMTP(host, 25, timeout=2) as s:
            s.sendmail("test@example.test", [RCPT], msg)
        return True
    except (OSError, smtplib.SMTPException):
        return False


def send(host, path, count=0):
    """Send until SIGTERM (or count messages); append accepted ids to path."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    n = int(time.time() * 1000)
    with open(path, "a") as out:
        while not stop:
            n += 1
            if send_one(host, n):
                out.write("%d\n" % n)
                out.flush()
            else:
                time.sleep(0.1)
            count -= 1
            if count == 0:
                break
            time.sleep(0.1)
    return 0


def ids(host):
    imap = imaplib.IMAP4(host, 143, timeout=5)
    imap.login(USER, PASSWORD)
    _, count = imap.select("INBOX", readonly=True)
    if int(count[0]) == 0:
        imap.logout()
        return 0
    _, data = imap.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    for item in data:
        if isinstance(item, tuple):
            for line in item[1].decode().splitlines():
                if line.startswith("Subject: exha-"):
                    print(line[len("Subject: exha-"):])
    imap.logout()
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "probe":
        return 0 if probe(argv[2]) else 1
    if len(argv) in (4, 5) and argv[1] == "wait":
        return wait(argv[2], float(argv[3]), argv[4] if len(argv) == 5 else "")
    if len(argv) == 4 and argv[1] == "down":
        return down(argv[2], float(argv[3]))
    if len(argv) == 4 and argv[1] == "send":
        return send(argv[2], argv[3])
    if len(argv) == 5 and argv[1] == "sendn":
        return send(argv[2], argv[4], int(argv[3]))
    if len(argv) == 3 and argv[1] == "ids":
        return ids(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
