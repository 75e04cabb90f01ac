#!/usr/bin/env python3
"""Crash safety: `cairn ingest` killed with SIGKILL at random points (issue "Reliability and
security"). After each kill the index opens and answers, holding whole segments only; running
the ingest again ends with exactly the input's events, none twice (distinct eventIDs = events).

    python3 tests/e2e/test_kill.py --cairn build/cairn --root . [--points N] [--seed S]

ctest `kill` runs 12 points; `make torture` runs 60.
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_lib import check, finish  # noqa: E402

EVENTS = 30000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--points", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    cairn, root = os.path.abspath(a.cairn), os.path.abspath(a.root)
    rng = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="cairn-kill-")
    try:
        data = os.path.join(tmp, "events.ndjson")
        subprocess.run([sys.executable, os.path.join(root, "testdata", "gen_cloudtrail.py"), "--events", str(EVENTS),
                        "--seed", "3", "--format", "ndjson", "--out", data], check=True)
        ingest = ["ingest", "--quiet", "--segment-rows", "500", "--split-bytes", "4000000", data]
        start = time.monotonic()
        subprocess.run([cairn, "--index", os.path.join(tmp, "whole")] + ingest, check=True)
        duration = time.monotonic() - start
        print("one ingest takes %.2f s; killing at %d random points in it" % (duration, a.points))
        for point in range(a.points):
            idx = os.path.join(tmp, "idx-%d" % point)
            kills = 1 + (point % 3 == 2)  # every third index is killed again while it resumes
            for _ in range(kills):
                p = subprocess.Popen([cairn, "--index", idx] + ingest, stderr=subprocess.DEVNULL)
                time.sleep(rng.random() * duration)
                p.send_signal(signal.SIGKILL)
                p.wait()
            if not os.path.exists(idx):  # killed before it made the directory: nothing began
                os.makedirs(idx)
            r = subprocess.run([cairn, "--index", idx, "search", "--quiet", "--count", "*"], capture_output=True)
            ok = r.returncode == 0 and r.stdout.strip().isdigit() and int(r.stdout) <= EVENTS
            check("point %d: after the kill the index answers with at most the input's events" % point, ok,
                  r.stdout + r.stderr)
            r = subprocess.run([cairn, "--index", idx, "check"], capture_output=True)
            check("point %d: every visible segment is whole" % point, r.returncode == 0, r.stdout + r.stderr)
            r = subprocess.run([cairn, "--index", idx] + ingest, capture_output=True)
            check("point %d: the ingest run again finishes" % point, r.returncode == 0, r.stderr[-300:])
            r = subprocess.run([cairn, "--index", idx, "search", "--quiet", "--format", "csv",
                                "* | stats count dc(eventID) as ids"], capture_output=True, text=True)
            check("point %d: exactly the input's events, none twice" % point,
                  r.stdout == "count,ids\n%d,%d\n" % (EVENTS, EVENTS), r.stdout + r.stderr)
            shutil.rmtree(idx, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
