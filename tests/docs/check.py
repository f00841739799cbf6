#!/usr/bin/python3
"""
The documentation against the tree it describes (README.md, doc/*.md,
tests/README.md), so that it cannot drift unnoticed:

  paths     every word that looks like a path in this repository (its first
            component is one of the tree's top-level folders: `tests/...`,
            `doc/...`, `shared/...`) names a file or folder that exists
            (tracked or new, not ignored); `<name>`, `...` and `*` are
            wildcards. Link targets are resolved from the page's folder.
            Absolute paths (`/etc/exha/...`, `/dev/sdb`) are the nodes'
            paths, not ours, and are left alone.
  man       every agent named (`ocf:exha:NAME`, `ocf_exha_NAME`) has a page
            generated into the build tree, and so has every command
            (`exha-NAME`; the node attributes the monitors publish by
            default, taken from their meta-data, are not commands);
  layout    README.md names every top-level and second-level folder of the
            tree (`tests/unit/`), so a new folder gets its line;
  params    every `name=value` given to an exha agent in an example (a
            `pcs resource create`, a crm `primitive`, `OCF_RESKEY_name=`
            in front of an agent run by hand) is a parameter its meta-data
            declares.

Before it looks at the real pages it runs itself on a page of made-up
names and fails unless it reports each of them and none of the system
paths beside them: a check that cannot fail checks nothing.

Usage: tests/docs/check.py [BUILD_DIR]  (default $EXHA_BUILD_DIR or build;
the agents and the man pages are read from there, after `make`).
"""
import fnmatch
import glob
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGES = ["README.md", "doc/*.md", "tests/README.md"]


def tree_entries():
    """Files git tracks or would track (new, not ignored), and their folders."""
    out = subprocess.run(
        ["git", "-C", ROOT, "ls-files", "--cached", "--others", "--exclude-standard"],
        check=True, capture_output=True, text=True).stdout.split("\n")
    files = {f for f in out if f and os.path.lexists(os.path.join(ROOT, f))}
    dirs = set()
    for f in files:
        d = os.path.dirname(f)
        while d:
            dirs.add(d)
            d = os.path.dirname(d)
    return files, dirs


class Tree:
    def __init__(self):
        self.files, self.dirs = tree_entries()
        self.top = {d for d in self.dirs if "/" not in d}

    def exists(self, path, want_dir):
        """path: relative to the root, may hold wildcards."""
        path = os.path.normpath(path)
        pattern = re.sub(r"<[^<>]*>|\.\.\.", "*", path)
        pool = self.dirs if want_dir else self.files | self.dirs
        if not any(c in pattern for c in "*?["):
            return pattern in pool
        return any(fnmatch.fnmatchcase(p, pattern) for p in pool)


# ------------------------------------------------------------------ agents


def agent_params(build):
    """{agent: set of parameter names}, from each built agent's meta-data."""
    agents = {}
    for subdir in ("resource-agents", "monitors"):
        for path in glob.glob(os.path.join(build, subdir, "*", "*")):
            name = os.path.basename(path)
            if os.path.basename(os.path.dirname(path)) != name or not os.access(path, os.X_OK):
                continue
            r = subprocess.run([path, "meta-data"], capture_output=True, text=True,
                               env=dict(os.environ, OCF_ROOT="/usr/lib/ocf"), timeout=30)
            if r.returncode != 0 or "<resource-agent" not in r.stdout:
                continue
            root = ET.fromstring(r.stdout)
            params = {}
            for p in root.iter("parameter"):
                c = p.find("content")
                params[p.get("name")] = c.get("default") if c is not None else None
            agents[name] = params
    return agents


def man_pages(build):
    pages = set()
    for d in (os.path.join(build, "doc"), os.path.join(ROOT, "doc")):
        for p in glob.glob(os.path.join(d, "*.[78]")):
            pages.add(os.path.basename(p))
    return pages


# ------------------------------------------------------------------- pages

# How many names each check looked at, so a log shows it did look.
SEEN = {"paths": 0, "man": 0, "params": 0}

FENCE = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"\]\(([^)\s]+)\)")
WORD_SPLIT = re.compile(r"[\s`()\"',;=:|]+")


def check_paths(tree, page, text):
    bad = []
    here = os.path.dirname(page)
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        target = target.split("#")[0]
        SEEN["paths"] += 1
        path = os.path.normpath(os.path.join(here, target))
        if not tree.exists(path, target.endswith("/")):
            bad.append(f"link ({target})")
    text = LINK.sub("]", text)
    for word in WORD_SPLIT.split(text):
        word = word.rstrip(".").lstrip("*[")
        if "/" not in word or word.startswith("/"):
            continue
        first = word.split("/")[0]
        if first not in tree.top or "$" in word:
            continue
        SEEN["paths"] += 1
        if not tree.exists(word, word.endswith("/")):
            bad.append(word)
    return bad


AGENT = re.compile(r"\bocf[:_]exha[:_]([a-z][a-z0-9-]*[a-z0-9])")
COMMAND = re.compile(r"(?<![\w/.-])(exha-[a-z][a-z0-9-]*[a-z0-9])(?![\w.<-])")


def check_man(page, text, pages, attributes):
    bad = []
    for agent in sorted(set(AGENT.findall(text))):
        SEEN["man"] += 1
        if f"ocf_exha_{agent}.7" not in pages:
            bad.append(f"ocf:exha:{agent}: no page ocf_exha_{agent}.7")
    for cmd in sorted(set(COMMAND.findall(text))):
        if cmd in attributes:
            continue
        SEEN["man"] += 1
        if f"{cmd}.8" not in pages:
            bad.append(f"{cmd}: no page {cmd}.8")
    return bad


# Words after an agent in a command or a crm primitive that are not its
# parameters: operations and their attributes, meta attributes, options.
STOP_WORDS = {"op", "meta", "clone", "--group", "--disabled", "group", "primitive"}


def check_params(text, agents):
    bad = []
    lines = []
    for block in FENCE.findall(text):
        # One logical line per command: join backslash continuations.
        lines += re.sub(r"\\\n", " ", block).split("\n")
    # Commands in running text: `pcs resource create ... ocf:exha:...`.
    lines += [span.replace("\n", " ") for span in re.findall(r"`([^`]+)`", FENCE.sub("", text))]
    for line in lines:
        for m in re.finditer(r"\bocf:exha:([a-z-]+)\b(.*)", line):
            agent, rest = m.group(1), m.group(2)
            try:
                words = shlex.split(rest, comments=True)
            except ValueError:
                words = rest.split()
            for word in words:
                if word in STOP_WORDS or word.startswith("#"):
                    break
                p = re.match(r"^([a-z][a-z0-9_]*)=", word)
                SEEN["params"] += bool(p)
                if p and agent in agents and p.group(1) not in agents[agent]:
                    bad.append(f"ocf:exha:{agent}: no parameter '{p.group(1)}'")
        run = re.search(r"resource\.d/exha/([a-z-]+)", line)
        if run and run.group(1) in agents:
            for name in re.findall(r"\bOCF_RESKEY_([a-z][a-z0-9_]*)=", line):
                SEEN["params"] += 1
                if name.startswith("crm_") or name in agents[run.group(1)]:
                    continue
                bad.append(f"{run.group(1)}: no parameter '{name}' (OCF_RESKEY_{name})")
    return bad


def check_layout(tree, text):
    bad = []
    for d in sorted(tree.dirs):
        if d.count("/") <= 1:
            SEEN["paths"] += 1
            if f"`{d}/`" not in text:
                bad.append(f"layout: no line for the folder `{d}/`")
    return bad


def check_page(tree, page, text, pages, agents, attributes):
    return (check_paths(tree, page, text) + check_man(page, text, pages, attributes)
            + check_params(text, agents))


SELF_TEST = """\
A made-up test, `tests/integration/no-such-test.sh`, a folder
tests/no-such-folder/, a [link](no-such-page.md), the agent
`ocf:exha:no-such-agent`, the command `exha-no-such-command`, the
inline `pcs resource create d ocf:exha:switching-disk device=/dev/sdb
no_such_inline=1`, and:

```sh
pcs resource create fip ocf:exha:floating-ip ip=192.0.2.10 no_such_param=1 \\
    op monitor interval=10s timeout=20s --group mail
OCF_RESKEY_no_such_env=1 /usr/lib/ocf/resource.d/exha/floating-ip monitor
```

None of these is ours, so none may be reported: `/etc/exha/probe.cred`,
`/dev/disk/by-id/...-part2`, /srv/mail/postfix/pid/master.pid,
`/tmp/exha-heavy.lock`, the attribute `exha-link`, `$PWD/build/dest`, and
these exist: `tests/run-all`, `tests/unit/check_<module>.c`,
`shared/plugin.[ch]`, `doc/`, [the guide](admin-guide.md).
"""
SELF_EXPECT = {
    "tests/integration/no-such-test.sh", "tests/no-such-folder/", "link (no-such-page.md)",
    "ocf:exha:no-such-agent: no page ocf_exha_no-such-agent.7",
    "exha-no-such-command: no page exha-no-such-command.8",
    "ocf:exha:floating-ip: no parameter 'no_such_param'",
    "ocf:exha:switching-disk: no parameter 'no_such_inline'",
    "floating-ip: no parameter 'no_such_env' (OCF_RESKEY_no_such_env)",
}


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("EXHA_BUILD_DIR", "build")
    build = os.path.join(ROOT, build)
    os.chdir(ROOT)
    tree = Tree()
    agents = agent_params(build)
    pages = man_pages(build)
    if not agents or not any(p.startswith("ocf_exha_") for p in pages):
        print(f"docs: no built agents or man pages under {build}: run after make", file=sys.stderr)
        return 1
    # The node attributes the monitors publish: their `name` defaults.
    attributes = {p["name"] for p in agents.values() if p.get("name")}
    print(f"docs: {len(agents)} agents' meta-data, {len(pages)} man pages, "
          f"attributes {' '.join(sorted(attributes))}")

    got = set(check_page(tree, "doc/self-test.md", SELF_TEST, pages, agents, attributes))
    if got != SELF_EXPECT:
        print("docs: FAIL the checker's own test on made-up names:", file=sys.stderr)
        for g in sorted(SELF_EXPECT - got):
            print(f"  not reported: {g}", file=sys.stderr)
        for g in sorted(got - SELF_EXPECT):
            print(f"  reported wrongly: {g}", file=sys.stderr)
        return 1
    if "layout: no line for the folder `tests/unit/`" not in check_layout(tree, SELF_TEST):
        print("docs: FAIL the checker's own test: a layout without tests/unit/ passed",
              file=sys.stderr)
        return 1
    print(f"docs: ok the checker reports all {len(SELF_EXPECT)} made-up names, a missing "
          "layout line, and no system path")

    for k in SEEN:
        SEEN[k] = 0
    failed = 0
    files = sorted({f for pat in PAGES for f in glob.glob(pat)})
    for page in files:
        with open(page, encoding="utf-8") as f:
            text = f.read()
        bad = check_page(tree, page, text, pages, agents, attributes)
        if page == "README.md":
            bad += check_layout(tree, text)
        bad = sorted(set(bad))
        for b in bad:
            print(f"docs: FAIL {page}: {b}")
        failed += bool(bad)
        if not bad:
            print(f"docs: ok {page}")
    print(f"docs: {len(files) - failed} of {len(files)} pages consistent with the tree "
          f"({SEEN['paths']} paths, {SEEN['man']} agent and command names, "
          f"{SEEN['params']} parameters checked)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
