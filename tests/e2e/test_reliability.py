#!/usr/bin/env python3
"""Hostile and unlucky input (issue "Reliability and security"; figures in docs/reliability.md):

1. JSON nested 100,000 levels deep, as an object and as an array: no crash; a warning names the file,
   the line and the depth limit; the event is kept (its text byte for byte, its shallow fields
   searchable) and the next line is ingested.
2. One event with 200,000 fields, and 1,000,000 distinct field names over 10,000 events: the first
   20,000 values of an event are fields (the event kept whole, with a warning), a segment holds at
   most 50,000 fields, and memory stays under 512 MiB.
3. A 300 MB line (gzipped): reported naming the file and line, skipped without being held in memory
   (peak RSS under 700 MiB: two buffers of the 256 MiB line limit), the next line ingested. A gzip
   bomb (200 MB of zeros, 1000:1) stops at the expansion limit (500:1 past 64 MiB) with a clear error.
4. Inputs that are not plain files: a FIFO, a pipe (`<(zcat x.gz)` passes /dev/fd/N), gzip on
   standard input, a symlink loop (named with the system's reason), a CloudWatch Logs export line
   past the line limit (skipped, the next line read). A file appended to while it is read: the
   ingest ends with the lines it had when it began and says so; the next ingest adds only the new
   lines, so every line is in the index once.
5. Hostile queries answer (or give a query error with a caret) without a crash: a 10,000-element
   IN list, 5,000 ORs, 10,000 nested parentheses, a 100 KB term, catastrophic regexes in regex,
   replace() and match(), a head count past 64 bits. Limits: --timeout stops a search; --max-memory
   stops one that holds too much (2,000,000 stats groups) with the limit named, holding little more
   than the limit; `cairn hunt --timeout` fails the slow rule (exit 2) and keeps the quick one's alerts.
   `outputlookup` killed with SIGKILL at 8 moments leaves the old table or a new whole one.
   Containment: a lookup linking to nothing is refused (not created through the link); a hunt's
   lookups/ folder that is a symbolic link is not followed; a rule file linked from outside a hunt
   folder is not loaded.
6. Damaged segments: one deleted, one truncated, one damaged inside (found only when a search reads
   its events, which then come from the other segments, with the same warning). Searches answer from the other segments with a
   warning naming each and exit 1; `cairn check` names both; `cairn repair` sets them aside into
   DIR/damaged, after which searches answer cleanly and a new ingest adds to the index. A
   corrupt MANIFEST is reported by name.
7. An index directory where an ingest began but committed nothing (killed before its first segment:
   only its LOCK file): it opens as an empty index (every command answers, exit 0), and the next
   ingest fills it.

    python3 tests/e2e/test_reliability.py --cairn build/cairn --root .
"""
import gzip
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib  # noqa: E402
from e2e_lib import check  # noqa: E402

DEPTH = 100000


def run(cairn, *args):
    return subprocess.run([cairn] + list(args), capture_output=True, timeout=300)


def count_events(cairn, idx):
    r = run(cairn, "--index", idx, "search", "--quiet", "--count", "*")
    return int(r.stdout.strip()) if r.returncode == 0 and r.stdout.strip().isdigit() else -1


def run_measured(cairn, *args):
    """Runs cairn from a fresh Python process (its only child) and gives its peak RSS in MiB."""
    probe = ("import resource, subprocess, sys\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
             "sys.stdout.buffer.write(b'%d %d %d\\n' % (r.returncode, len(r.stdout), "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
             "sys.stdout.buffer.write(r.stdout)\nsys.stderr.buffer.write(r.stderr)\n")
    p = subprocess.run([sys.executable, "-c", probe, cairn] + list(args), capture_output=True, timeout=300)
    head, _, rest = p.stdout.partition(b"\n")
    code, out_len, rss_kb = (int(x) for x in head.split())
    return subprocess.CompletedProcess(args, code, rest[:out_len], p.stderr), rss_kb / 1024


def main():
    cairn, root = e2e_lib.parse_args()
    tmp = tempfile.mkdtemp(prefix="cairn-reliability-")
    try:
        # 1. Deep nesting.
        for kind, (open_, close) in (("object", ('{"a":', "}")), ("array", ("[", "]"))):
            deep = '{"eventTime":"2026-01-01T00:00:00Z","eventName":"Deep","userIdentity":{"type":"IAMUser"},"a":' + \
                open_ * DEPTH + "1" + close * DEPTH + "}"
            path = os.path.join(tmp, "deep-%s.json" % kind)
            with open(path, "w") as f:
                f.write(deep + "\n")
                f.write('{"eventTime":"2026-01-01T00:00:01Z","eventName":"After"}\n')
            idx = os.path.join(tmp, "idx-" + kind)
            r = run(cairn, "--index", idx, "ingest", path)
            err = r.stderr.decode(errors="replace")
            check("%s nested %d levels: ingest does not crash (exit 0)" % (kind, DEPTH), r.returncode == 0,
                  "exit %d: %s" % (r.returncode, err[-400:]))
            check("%s nested: the warning names file, line and the limit" % kind,
                  "%s:1: objects and arrays nested deeper than 512 levels" % path in err, err[-400:])
            r = run(cairn, "--index", idx, "search", "--quiet", "--count", "*")
            check("%s nested: both events are in the index" % kind, r.stdout.strip() == b"2", r.stdout)
            r = run(cairn, "--index", idx, "search", "--quiet", "--count", "eventName=Deep userIdentity.type=IAMUser")
            check("%s nested: the deep event's shallow fields are searchable" % kind, r.stdout.strip() == b"1",
                  r.stdout + r.stderr)
            r = run(cairn, "--index", idx, "search", "--quiet", "--format", "raw", "eventName=Deep")
            check("%s nested: the deep event's text comes back byte for byte" % kind,
                  r.stdout == (deep + "\n").encode(), "%d bytes back, %d in" % (len(r.stdout), len(deep) + 1))
            r = run(cairn, "--index", idx, "search", "--quiet", "--format", "csv", "eventName=Deep | spath | table eventName")
            check("%s nested: spath on the deep event does not crash" % kind, r.returncode == 0, r.stderr[-300:])

        # 2. Many fields.
        wide = {"eventTime": "2026-01-01T00:00:00Z", "eventName": "Wide"}
        wide.update(("f%06d" % i, i) for i in range(200000))
        path = os.path.join(tmp, "wide.json")
        with open(path, "w") as f:
            f.write(json.dumps(wide) + "\n")
        idx = os.path.join(tmp, "idx-wide")
        r = run(cairn, "--index", idx, "ingest", path)
        err = r.stderr.decode(errors="replace")
        check("200,000 fields in one event: a warning names file and line", r.returncode == 0 and
              "%s:1: the event has more than 20000 values" % path in err, err[-300:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--format", "raw", "f000100=100")
        check("the wide event's first fields are searchable and its text whole",
              r.stdout == (json.dumps(wide) + "\n").encode(), len(r.stdout))
        path = os.path.join(tmp, "names.json")
        with open(path, "w") as f:
            for j in range(10000):
                e = {"eventTime": "2026-01-01T00:00:00Z", "eventName": "Names"}
                e.update(("k%07d" % (j * 100 + i), 1) for i in range(100))
                f.write(json.dumps(e) + "\n")
        idx = os.path.join(tmp, "idx-names")
        r = run(cairn, "--index", idx, "ingest", "--quiet", path)
        rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        check("1,000,000 field names: ingested", r.returncode == 0, r.stderr[-300:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "k0999999=1")
        check("1,000,000 field names: the last one is searchable", r.stdout.strip() == b"1", r.stdout)
        r = run(cairn, "--index", idx, "info")
        m = re.search(rb"segments\s+(\d+)", r.stdout)
        check("1,000,000 field names: segments of at most 50,000 fields", m and int(m.group(1)) >= 20, r.stdout[:200])
        e2e_lib.check_memory("many fields: memory stays under 512 MiB (%.0f MiB peak)" % rss_mib, rss_mib < 512, rss_mib)

        # 3. A line longer than the limit, and a gzip bomb.
        path = os.path.join(tmp, "long-line.json.gz")
        with gzip.open(path, "wb", compresslevel=1) as f:
            f.write(b'{"eventTime":"2026-01-01T00:00:00Z","eventName":"Long","s":"')
            for _ in range(300):
                f.write(b"x" * (1 << 20))
            f.write(b'"}\n{"eventTime":"2026-01-01T00:00:01Z","eventName":"After"}\n')
        idx = os.path.join(tmp, "idx-long")
        r = run(cairn, "--index", idx, "ingest", path)
        rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        err = r.stderr.decode(errors="replace")
        check("a 300 MB line is reported with its file and line", r.returncode == 1 and
              "%s:line 1: longer than 256 MiB, cairn's limit for one event: skipped" % path in err, err[-400:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--format", "csv", "* | table eventName")
        check("the line after the long one is ingested", r.stdout == b"eventName\nAfter\n", r.stdout)
        e2e_lib.check_memory("memory stays bounded while skipping it (%.0f MiB peak)" % rss_mib, rss_mib < 700, rss_mib)
        path = os.path.join(tmp, "bomb.json.gz")
        with gzip.open(path, "wb", compresslevel=9) as f:
            for _ in range(200):
                f.write(b"\0" * (1 << 20))
        r = run(cairn, "--index", os.path.join(tmp, "idx-bomb"), "ingest", path)
        err = r.stderr.decode(errors="replace")
        check("a gzip bomb stops at the expansion limit", r.returncode == 1 and
              "the gzip data expands more than 500 times" in err and "not read further" in err, err[-400:])

        # 4. Inputs that are not plain files.
        sample = os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson")
        lines = open(sample, "rb").read().split(b"\n")
        fifo = os.path.join(tmp, "events.fifo")
        os.mkfifo(fifo)
        idx = os.path.join(tmp, "idx-streams")
        writer = subprocess.Popen(["sh", "-c", "head -3 '%s' > '%s'" % (sample, fifo)])
        r = run(cairn, "--index", idx, "ingest", "--quiet", fifo)
        writer.wait()
        check("a FIFO is read as a stream", r.returncode == 0, r.stderr[-300:])
        rfd, wfd = os.pipe()
        p = subprocess.Popen([cairn, "--index", idx, "ingest", "--quiet", "/dev/fd/%d" % rfd], pass_fds=(rfd,),
                             stderr=subprocess.PIPE)
        os.close(rfd)
        with os.fdopen(wfd, "wb") as w:
            w.write(gzip.compress(b"\n".join(lines[:5]) + b"\n"))
        _, err = p.communicate(timeout=60)
        check("a pipe of gzip data (process substitution) is inflated", p.returncode == 0, err[-300:])
        p = subprocess.run([cairn, "--index", idx, "ingest", "--quiet", "-"], input=gzip.compress(
            b"\n".join(lines[:7]) + b"\n"), capture_output=True)
        check("gzip on standard input is inflated", p.returncode == 0, p.stderr[-300:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "*")
        check("the streams' events are all in the index", r.stdout.strip() == b"15", r.stdout)
        loop = os.path.join(tmp, "loop")
        os.symlink(loop, loop)
        r = run(cairn, "--index", idx, "ingest", loop)
        check("a symlink loop is named with its reason", r.returncode == 1 and
              b"loop: Too many levels of symbolic links" in r.stderr, r.stderr)
        path = os.path.join(tmp, "export.log")
        with open(path, "wb") as f:
            f.write(b"2024-01-01T00:00:00Z " + b"x" * (300 << 20) + b"\n2024-01-01T00:00:01Z after\n")
        idx = os.path.join(tmp, "idx-export")
        r = run(cairn, "--index", idx, "ingest", path)
        check("a text line past the limit is reported and skipped", r.returncode == 1 and
              ("%s:line 1: longer than 256 MiB" % path).encode() in r.stderr, r.stderr[-300:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--format", "raw", "*")
        check("the text line after it is ingested", r.stdout == b"after\n", r.stdout[:100])
        path = os.path.join(tmp, "export-continued.log")
        with open(path, "wb") as f:
            f.write(b"2024-01-01T00:00:00Z start\n")
            for _ in range(300):
                f.write(b"y" * (1 << 20) + b"\n")
            f.write(b"2024-01-01T00:00:01Z next\n")
        idx = os.path.join(tmp, "idx-continued")
        r = run(cairn, "--index", idx, "ingest", path)
        check("a message continued past the limit is reported", r.returncode == 1 and
              ("%s:line 257: the message begun on line 1 grows past 256 MiB" % path).encode() in r.stderr,
              r.stderr[-300:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--format", "csv", "* | eval n=len(_raw) | table n")
        check("it is kept in part, and the next message read", r.stdout == b"n\n4\n%d\n" % (5 + 255 * ((1 << 20) + 1)),
              r.stdout[:100])

        # A file growing while it is read: the ingest ends, reads the file as it was when it began,
        # says so; the next ingest reads only the lines added since.
        sample = os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson")
        base = [json.loads(l) for l in open(sample) if l.strip()]
        growing = os.path.join(tmp, "growing.ndjson")

        def line(i):
            e = dict(base[i % len(base)])
            e["eventID"] = "grow-%07d" % i
            return (json.dumps(e) + "\n").encode()
        with open(growing, "wb") as f:
            for i in range(20000):
                f.write(line(i))
        stop = threading.Event()
        written = [20000]

        def append():
            fd = os.open(growing, os.O_WRONLY | os.O_APPEND)
            while not stop.is_set() and written[0] < 400000:  # until the ingest has ended
                os.write(fd, b"".join(line(written[0] + k) for k in range(50)))  # whole lines, one write
                written[0] += 50
                time.sleep(0.001)
            os.close(fd)
        writer = threading.Thread(target=append)
        idx = os.path.join(tmp, "idx-growing")
        writer.start()
        r = run(cairn, "--index", idx, "ingest", "--split-bytes", "1000000000", growing)
        stop.set()
        writer.join()
        err = r.stderr.decode(errors="replace")
        grew = re.search(r"grew by \d+ bytes while it was read: its first (\d+) bytes", err)
        check("a file growing while read: the ingest ends (exit 0) and says it grew", r.returncode == 0 and
              grew is not None, err[-400:])
        first = int(grew.group(1)) if grew else 0
        with open(growing, "rb") as f:
            expected = f.read(first).count(b"\n")
        n = count_events(cairn, idx)
        check("... with exactly the lines the file had when the ingest began (%d)" % expected,
              n == expected and expected >= 20000, (n, expected))
        r = run(cairn, "--index", idx, "ingest", growing)
        err = r.stderr.decode(errors="replace")
        check("the next ingest reads only the lines added since", r.returncode == 0 and
              "grew since an earlier ingest read it" in err, err[-300:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--format", "csv", "* | stats count, dc(eventID) as ids")
        check("... so the index holds every line of the file once (%d)" % written[0],
              r.stdout == b"count,ids\n%d,%d\n" % (written[0], written[0]), r.stdout + r.stderr)

        # 5. Hostile queries, on the sample.
        idx = os.path.join(tmp, "idx-queries")
        run(cairn, "--index", idx, "ingest", "--quiet", os.path.join(root, "testdata", "samples",
                                                                      "cloudtrail-sample.ndjson"))
        logins = run(cairn, "--index", idx, "search", "--quiet", "--count", "eventName=ConsoleLogin").stdout.strip()
        hostile = [
            ("a 10,000-element IN list", "eventName IN (%s, ConsoleLogin)" % ", ".join("Ev%d" % i for i in range(10000)),
             logins),
            ("5,000 ORs", " OR ".join("eventName=Ev%d" % i for i in range(5000)) + " OR eventName=ConsoleLogin", logins),
            ("10,000 nested parentheses", "(" * 10000 + "eventName=ConsoleLogin" + ")" * 10000, logins),
            ("a 100 KB term", "eventName=ConsoleLogin " + "x" * 100000, b"0"),
            ("a catastrophic regex in regex", '* | regex _raw="(a+)+$"', None),
            ("a catastrophic regex in replace()", '* | eval x=replace(_raw, "(a|aa)+$", "") | stats count', None),
            ("a catastrophic regex in match()", '* | where match(_raw, "(x+x+)+y") | stats count', None),
        ]
        for what, query, want in hostile:
            r = run(cairn, "--index", idx, "search", "--quiet", "--count", query)
            check("hostile query, %s: answers" % what, r.returncode == 0 and (want is None or r.stdout.strip() == want),
                  (r.stdout + r.stderr)[-300:])
        slow = "* | eval x=mvrange(0,1000) | mvexpand x | stats count"  # 2,000,000 rows: seconds
        r = run(cairn, "--index", idx, "search", "--quiet", "--format", "csv", "--timeout", "0.05", slow)
        check("--timeout stops a long search with a clear message (exit 1)", r.returncode == 1 and
              b"stopped at its time limit (--timeout 0.05 s)" in r.stderr and r.stdout == b"", r.stdout + r.stderr)
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "--timeout", "60", "eventName=ConsoleLogin")
        check("--timeout leaves a quick search alone", r.returncode == 0 and r.stdout.strip() == logins, r.stderr)
        r = run(cairn, "--index", idx, "search", "--timeout", "soon", "*")
        check("--timeout with a bad value names the option", r.returncode == 2 and b"--timeout takes" in r.stderr,
              r.stderr)
        # A search past its memory limit stops with the limit named, and holds little more than
        # the limit when it does; the same search with no limit holds far more.
        big = "* | eval x=mvrange(0,1000) | mvexpand x | eval k=eventID.\"-\".x | stats count by k | stats count"
        r, rss_limited = run_measured(cairn, "--index", idx, "search", "--quiet", "--format", "csv",
                                      "--max-memory", "100", big)
        check("--max-memory stops a search that holds too much, naming the limit (exit 1)",
              r.returncode == 1 and b"stopped at its memory limit" in r.stderr and b"--max-memory 100 MB" in r.stderr
              and r.stdout == b"", r.stdout + r.stderr)
        r, rss_free = run_measured(cairn, "--index", idx, "search", "--quiet", "--format", "csv",
                                   "--max-memory", "0", big)
        check("with --max-memory 0 the same search answers (2,000,000 groups)", r.returncode == 0 and
              r.stdout == b"count\n2000000\n", (r.stdout + r.stderr)[-300:])
        e2e_lib.check_memory("stopped at 100 MB it held under 250 MiB (%.0f MiB; %.0f MiB with no limit)" %
                             (rss_limited, rss_free), rss_limited < 250 and rss_free > 2 * rss_limited,
                             (rss_limited, rss_free))
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "--max-memory", "100", "eventName=ConsoleLogin")
        check("--max-memory leaves a small search alone", r.returncode == 0 and r.stdout.strip() == logins, r.stderr)
        r = run(cairn, "--index", idx, "search", "--max-memory", "lots", "*")
        check("--max-memory with a bad value names the option", r.returncode == 2 and b"--max-memory takes" in r.stderr,
              r.stderr)
        # cairn hunt --timeout: a rule past it fails (exit 2, named), the quick rule still reports.
        rules = os.path.join(tmp, "timeout-rules")
        os.makedirs(rules)
        with open(os.path.join(rules, "slow.spl"), "w") as f:
            f.write("# title: slow\n# id: slow-1\n" + slow + "\n")
        with open(os.path.join(rules, "quick.spl"), "w") as f:
            f.write("# title: quick\n# id: quick-1\neventName=ConsoleLogin\n")
        r = run(cairn, "--index", idx, "hunt", "--quiet", "--format", "json", "--timeout", "0.05", rules)
        alerts = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        check("hunt --timeout: the slow rule fails naming the limit, exit 2",
              r.returncode == 2 and b"slow.spl" in r.stderr and b"time limit (--timeout 0.05 s)" in r.stderr,
              r.stderr[-400:])
        check("hunt --timeout: the quick rule's alerts are all there", len(alerts) == int(logins) and
              all(a["rule"]["id"] == "quick-1" for a in alerts), r.stdout[:300])
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "* | head 99999999999999999999")
        check("hostile query, a head count past 64 bits: a query error with a caret",
              r.returncode == 2 and b"^^^^" in r.stderr, r.stderr[-300:])

        # outputlookup killed at random moments: the table is the last whole one, never torn.
        lookups = os.path.join(idx, "lookups")
        table = os.path.join(lookups, "seen.csv")
        write = ["--index", idx, "search", "--quiet", "--count",
                 '| makeresults count=200000 | streamstats count as n | eval k="key-".n."-".random() '
                 '| outputlookup seen.csv']
        r = run(cairn, *write)
        check("outputlookup writes a 200,000-row table", r.returncode == 0 and os.path.exists(table), r.stderr[-300:])
        whole = open(table, "rb").read() if os.path.exists(table) else b""
        torn = []
        for delay in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9):
            proc = subprocess.Popen([cairn] + write, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            now = open(table, "rb").read()
            complete = now.startswith(b"_time,n,k\n") and now.count(b"\n") == 200001 and now.endswith(b"\n")
            if now != whole and not complete:
                torn.append(delay)
            whole = now
        check("outputlookup killed at 8 moments: the table is always the old or a new whole one", not torn, torn)
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "| inputlookup seen.csv")
        check("... and reads back whole", r.returncode == 0 and r.stdout.strip() == b"200000", r.stdout + r.stderr)

        # Containment: a lookup file that is a symbolic link to nothing is not created through
        # the link; a hunt's lookups/ folder that is a symbolic link is not followed.
        outside = os.path.join(tmp, "outside")
        os.makedirs(outside)
        with open(os.path.join(lookups, "lookups.conf"), "w") as f:
            f.write("[kv_seen]\nfilename = kv_seen.csv\nfields_list = user, first_seen\n")
        os.symlink(os.path.join(outside, "created.csv"), os.path.join(lookups, "kv_seen.csv"))
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "| inputlookup kv_seen")
        check("a lookup that links to nothing is refused, and nothing is made outside",
              r.returncode != 0 and b"symbolic link to nothing" in r.stderr and
              not os.path.exists(os.path.join(outside, "created.csv")), r.stderr[-300:])
        os.remove(os.path.join(lookups, "lookups.conf"))
        with open(os.path.join(outside, "secrets.csv"), "w") as f:
            f.write("secret\nhunter2\n")
        pack = os.path.join(tmp, "hunt-pack")
        os.makedirs(pack)
        os.symlink(outside, os.path.join(pack, "lookups"))
        with open(os.path.join(pack, "leak.spl"), "w") as f:
            f.write("# title: leak\n# id: leak-1\n| inputlookup secrets.csv\n")
        r = run(cairn, "--index", idx, "hunt", "--format", "json", pack)
        check("a hunt's lookups folder that is a symbolic link is not followed",
              b"hunter2" not in r.stdout and r.returncode == 2, r.stdout[-300:] + r.stderr[-300:])
        with open(os.path.join(outside, "elsewhere.spl"), "w") as f:
            f.write("# title: elsewhere\n# id: elsewhere-1\n* | head 1\n")
        os.symlink(os.path.join(outside, "elsewhere.spl"), os.path.join(pack, "linked-out.spl"))
        os.symlink("leak.spl", os.path.join(pack, "linked-in.spl"))
        r = run(cairn, "--index", idx, "hunt", "--list", pack)
        check("a rule linked from outside the hunt folder is not loaded; one linked inside it is",
              b"elsewhere" not in r.stdout and b"hunt-pack/linked-in.spl" in r.stdout and
              b"hunt-pack/leak.spl" in r.stdout, r.stdout + r.stderr)

        # 6. Damaged segments.
        idx = os.path.join(tmp, "idx-damaged")
        sample = os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson")
        events = sum(1 for line in open(sample) if line.strip())
        run(cairn, "--index", idx, "ingest", "--quiet", "--segment-rows", "500", sample)
        segs = sorted(f for f in os.listdir(idx) if f.endswith(".cseg"))
        os.remove(os.path.join(idx, segs[1]))
        with open(os.path.join(idx, segs[2]), "r+b") as f:
            f.truncate(1000)
        left = events - 1000
        r = run(cairn, "--index", idx, "search", "--count", "*")
        err = r.stderr.decode(errors="replace")
        check("damaged segments: the others answer, exit 1", r.returncode == 1 and r.stdout.strip() == str(left).encode(),
              r.stdout + r.stderr)
        check("damaged segments: each is named in a warning", ("segment %s: not found" % segs[1]) in err and
              ("segment %s: corruption" % segs[2]) in err, err)
        r = run(cairn, "--index", idx, "check")
        check("cairn check names both", r.returncode == 1 and b"2 damaged" in r.stdout, r.stdout + r.stderr)
        hunt = os.path.join(tmp, "logins.spl")
        with open(hunt, "w") as f:
            f.write("# title: logins\n# id: t-1\n# level: low\neventName=ConsoleLogin\n")
        r = run(cairn, "--index", idx, "hunt", hunt)
        check("a hunt over damaged segments fails (exit 2) naming them", r.returncode == 2 and
              segs[2].encode() in r.stderr, r.stdout + r.stderr)
        r = run(cairn, "--index", idx, "repair")
        check("cairn repair sets them aside", r.returncode == 0 and b"2 segment(s) set aside" in r.stdout and
              os.path.exists(os.path.join(idx, "damaged", segs[2])), r.stdout + r.stderr)
        r = run(cairn, "--index", idx, "search", "--count", "*")
        check("after repair the rest answers cleanly", r.returncode == 0 and r.stdout.strip() == str(left).encode() and
              b"warning" not in r.stderr, r.stdout + r.stderr)
        extra = os.path.join(tmp, "extra.json")
        with open(extra, "w") as f:
            f.write('{"eventTime":"2026-01-01T00:00:00Z","eventName":"Extra"}\n')
        run(cairn, "--index", idx, "ingest", "--quiet", extra)
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "*")
        check("an ingest after repair adds to the index", r.stdout.strip() == str(left + 1).encode(), r.stdout)
        with open(os.path.join(idx, "MANIFEST"), "w") as f:
            f.write("garbage\n")
        r = run(cairn, "--index", idx, "search", "--count", "*")
        check("a corrupt MANIFEST is reported by name", r.returncode == 1 and b"MANIFEST" in r.stderr, r.stderr)

        # Damage found only while a search reads a block: the segment is left out like one that
        # cannot be opened, and the search answers from the others.
        idx = os.path.join(tmp, "idx-damaged-later")
        run(cairn, "--index", idx, "ingest", "--quiet", "--segment-rows", "500", sample)
        segs = sorted(f for f in os.listdir(idx) if f.endswith(".cseg"))
        path = os.path.join(idx, segs[1])
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            for i in range(64):  # bytes across the middle half: data, never the header or footer
                f.seek(size // 4 + i * (size // 2) // 64)
                b = f.read(1)
                f.seek(-1, 1)
                f.write(bytes([b[0] ^ 0x5A]))
        r = run(cairn, "--index", idx, "search", "--count", "*")
        check("damage inside a segment is not seen by a count from the bitmaps it does not read",
              r.returncode in (0, 1), r.stderr[-300:])
        r = run(cairn, "--index", idx, "search", "--format", "raw", "*")
        err = r.stderr.decode(errors="replace")
        lines = r.stdout.count(b"\n")
        check("damage found while reading events: the others' events are printed, exit 1",
              r.returncode == 1 and lines == events - 500, (r.returncode, lines, err[-300:]))
        check("... with a warning naming the segment and the damage",
              ("warning: segment %s: " % segs[1]) in err and "its events are not in this result" in err, err[-400:])

        # 7. An ingest that committed nothing.
        idx = os.path.join(tmp, "begun")
        os.makedirs(idx)
        open(os.path.join(idx, "LOCK"), "w").close()
        r = run(cairn, "--index", idx, "search", "--count", "*")
        check("an index begun but not committed opens as empty", r.returncode == 0 and r.stdout.strip() == b"0",
              r.stdout + r.stderr)
        check("the empty index says so", b"the index has no events yet" in r.stderr, r.stderr)
        for args in (["info"], ["check"], ["search", "--format", "csv", "* | stats count"]):
            r = run(cairn, "--index", idx, *args)
            check("an empty index answers `cairn %s`" % " ".join(args), r.returncode == 0, r.stderr)
        sample = os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson")
        events = sum(1 for line in open(sample) if line.strip())
        r = run(cairn, "--index", idx, "ingest", "--quiet", sample)
        r2 = run(cairn, "--index", idx, "search", "--quiet", "--count", "*")
        check("the next ingest fills the begun index", r.returncode == 0 and r2.stdout.strip() == str(events).encode(),
              r.stderr + r2.stdout)
        r = run(cairn, "--index", os.path.join(tmp, "nothing-here"), "search", "--count", "*")
        check("a directory that is no index is still reported", r.returncode == 1 and b"no index at" in r.stderr,
              r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return e2e_lib.finish()


if __name__ == "__main__":
    sys.exit(main())
