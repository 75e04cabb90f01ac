#!/usr/bin/env python3
"""A full disk (issue "Reliability and security"; docs/reliability.md "A full disk").

The index lives on a small tmpfs, mounted in a private mount namespace (`unshare --mount`, with a
user namespace when not run as root), so nothing outside the test sees it:

1. An ingest into an empty index on a disk too small for its first segment fails with the
   system's reason, and the index opens as an empty one.
2. A first ingest fits. A second one runs out of space part way: it fails (exit 1) naming the file
   it could not write and "No space left on device", says it stopped and how many events it
   committed, and claims no more than that; no temporary file is left; `cairn check` finds every
   segment whole; the first ingest's events are all there, and nothing is counted twice.
3. Once space is freed (the tmpfs remounted larger), the same ingest again completes: the index
   holds exactly both inputs' events, each once.

Where no tmpfs can be mounted (no namespaces allowed), it says so and passes nothing.

    python3 tests/e2e/test_full_disk.py --cairn build/cairn --root .
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib  # noqa: E402
from e2e_lib import check  # noqa: E402

IN_NAMESPACE = "CAIRN_FULL_DISK_NAMESPACE"


def run(cairn, *args):
    return subprocess.run([cairn] + list(args), capture_output=True, timeout=300)


def count(cairn, idx, query):
    r = run(cairn, "--index", idx, "search", "--quiet", "--count", query)
    return int(r.stdout.strip() or -1) if r.returncode == 0 else -1


def distinct_ids(cairn, idx):
    r = run(cairn, "--index", idx, "search", "--quiet", "--format", "csv", "* | stats dc(eventID) as n")
    return int(r.stdout.split(b"\n")[1]) if r.returncode == 0 else -1


def write_events(sample, path, n, tag):
    """n events cycled from the sample, each with an eventID of its own."""
    events = [json.loads(l) for l in open(sample) if l.strip()]
    with open(path, "w") as f:
        for i in range(n):
            e = dict(events[i % len(events)])
            e["eventID"] = "%s-%07d" % (tag, i)
            f.write(json.dumps(e) + "\n")


def mount_tmpfs(path, mib, remount=False):
    opts = ("remount," if remount else "") + "size=%dm" % mib
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", path], capture_output=True)


def scenario(cairn, root):
    tmp = tempfile.mkdtemp(prefix="cairn-full-disk-")
    disk = os.path.join(tmp, "disk")
    os.makedirs(disk)
    try:
        m = mount_tmpfs(disk, 1)
        if m.returncode != 0:
            print("skipped: cannot mount a tmpfs here (%s)" % m.stderr.decode(errors="replace").strip())
            return 0
        sample = os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson")
        first, second = os.path.join(tmp, "first.ndjson"), os.path.join(tmp, "second.ndjson")
        write_events(sample, first, 2000, "a")      # 2.9 MB, a 2 MB segment
        write_events(sample, second, 40000, "b")    # 58 MB

        # 1. No room for the first segment.
        idx = os.path.join(disk, "idx-tiny")
        r = run(cairn, "--index", idx, "ingest", first)
        err = r.stderr.decode(errors="replace")
        check("no room for the first segment: ingest fails naming the reason", r.returncode == 1 and
              "No space left on device" in err and "the ingest stopped: 0 events" in err, err[-500:])
        r = run(cairn, "--index", idx, "search", "--quiet", "--count", "*")
        check("... and the index opens as an empty one", r.returncode == 0 and r.stdout.strip() == b"0",
              r.stdout + r.stderr)
        shutil.rmtree(idx)

        # 2. Space runs out part way through the second ingest.
        subprocess.run(["umount", disk])
        mount_tmpfs(disk, 6)
        idx = os.path.join(disk, "idx")
        r = run(cairn, "--index", idx, "ingest", first)
        check("the first ingest fits", r.returncode == 0, r.stderr[-300:])
        r = run(cairn, "--index", idx, "ingest", "--segment-rows", "1000", second)
        err = r.stderr.decode(errors="replace")
        check("the disk fills: ingest fails (exit 1) naming the file it could not write",
              r.returncode == 1 and re.search(r"cannot write \S+/idx/seg-\d+\.cseg\.tmp: No space left on device",
                                              err) is not None, err[-600:])
        stopped = re.search(r"the ingest stopped: (\d+) events of this run are committed", err)
        check("it says it stopped, with what it committed, once", stopped is not None and
              err.count("the ingest stopped") == 1, err[-600:])
        committed = int(stopped.group(1)) if stopped else -1
        claimed = re.search(r"ingested ([\d,]+) events", err + r.stdout.decode(errors="replace"))
        check("it claims no more events than it committed (%d)" % committed,
              claimed is not None and int(claimed.group(1).replace(",", "")) == committed and committed < 40000,
              claimed.group(0) if claimed else err[-300:])
        left = [f for f in os.listdir(idx) if f.endswith(".tmp")]
        check("no temporary file is left on the full disk", left == [], left)
        r = run(cairn, "--index", idx, "check")
        check("cairn check finds every segment whole", r.returncode == 0 and b"0 damaged" in r.stdout,
              r.stdout + r.stderr)
        check("the first ingest's events are all there", count(cairn, idx, "eventID=a-*") == 2000)
        total = count(cairn, idx, "*")
        check("the index holds the first ingest and what the second committed (%d)" % total,
              total == 2000 + committed, (total, committed))
        check("no event is there twice", distinct_ids(cairn, idx) == total)

        # 3. Space freed: the same ingest again completes, adding only what is missing.
        m = mount_tmpfs(disk, 256, remount=True)
        check("the disk is made larger", m.returncode == 0, m.stderr)
        r = run(cairn, "--index", idx, "ingest", "--segment-rows", "1000", second)
        check("the same ingest again completes", r.returncode == 0, r.stderr[-400:])
        check("the index holds both inputs' events, each once",
              count(cairn, idx, "*") == 42000 and distinct_ids(cairn, idx) == 42000 and
              count(cairn, idx, "eventID=b-*") == 40000, (count(cairn, idx, "*"), distinct_ids(cairn, idx)))
        r = run(cairn, "--index", idx, "check")
        check("cairn check finds the index whole", r.returncode == 0 and b"0 damaged" in r.stdout, r.stdout)
    finally:
        subprocess.run(["umount", disk], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return e2e_lib.finish()


def main():
    cairn, root = e2e_lib.parse_args()
    if os.environ.get(IN_NAMESPACE) == "1":
        return scenario(cairn, root)
    # A private mount namespace, so that the tmpfs is the test's alone (and needs no root).
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--user", "--map-root-user", "--mount"]
    if shutil.which("unshare") is None:
        print("skipped: no unshare(1) to make a private mount namespace")
        return 0
    env = dict(os.environ, **{IN_NAMESPACE: "1"})
    probe = subprocess.run(unshare + ["true"], capture_output=True)
    if probe.returncode != 0:
        print("skipped: cannot make a private mount namespace here (%s)" %
              probe.stderr.decode(errors="replace").strip())
        return 0
    return subprocess.run(unshare + [sys.executable, os.path.abspath(__file__), "--cairn", cairn, "--root", root],
                          env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
