#!/usr/bin/env python3
"""Corruption: a flipped byte anywhere in a segment never gives a silent wrong answer (issue
"Reliability and security"). The sample is ingested into one segment; for flips spread over the
whole file (header, data blocks, dictionaries, postings, term index, footer) and at random
places, four searches run on the damaged copy: each either prints exactly what the undamaged
index prints (exit 0: the byte was not read, or was padding) or fails with a non-zero exit and
a message naming the segment; and `cairn check` names the segment for every flip.

    python3 tests/e2e/test_corruption.py --cairn build/cairn --root . [--flips N]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_lib import check, finish  # noqa: E402

QUERIES = [
    ["--count", "*"],
    ["--count", "eventName=ConsoleLogin errorMessage=*"],
    ["--format", "csv", "* | stats count by eventName | sort eventName"],
    ["--format", "raw", "eventName=AssumeRole userIdentity.type=IAMUser"],
]


def answers(cairn, idx):
    out = []
    for q in QUERIES:
        r = subprocess.run([cairn, "--index", idx, "search", "--quiet"] + q, capture_output=True, timeout=60)
        out.append((r.returncode, r.stdout, r.stderr))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--flips", type=int, default=120)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    cairn, root = os.path.abspath(a.cairn), os.path.abspath(a.root)
    rng = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="cairn-corrupt-")
    try:
        good = os.path.join(tmp, "good")
        sample = os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson")
        subprocess.run([cairn, "--index", good, "ingest", "--quiet", sample], check=True)
        seg = [f for f in os.listdir(good) if f.endswith(".cseg")]
        check("the sample is one segment", len(seg) == 1, seg)
        seg = seg[0]
        size = os.path.getsize(os.path.join(good, seg))
        expected = answers(cairn, good)
        check("the undamaged index answers", all(rc == 0 and out for rc, out, _ in expected), expected)
        offsets = sorted({int(size * k / (a.flips // 2)) for k in range(a.flips // 2)} |
                         {rng.randrange(size) for _ in range(a.flips - a.flips // 2)} | {size - 1, size - 8})
        silent, unchecked, caught, unread = [], [], 0, 0
        for off in offsets:
            bad = os.path.join(tmp, "bad")
            shutil.rmtree(bad, ignore_errors=True)
            shutil.copytree(good, bad)
            with open(os.path.join(bad, seg), "r+b") as f:
                f.seek(off)
                byte = f.read(1)
                f.seek(off)
                f.write(bytes([byte[0] ^ (1 << rng.randrange(8))]))
            got = answers(cairn, bad)
            changed = False
            for (rc, out, err), (_, want, _) in zip(got, expected):
                if rc == 0 and out != want:
                    silent.append(off)
                elif rc != 0:
                    changed = True
                    if seg.encode() not in err:
                        silent.append(off)
            caught += changed
            unread += not changed
            r = subprocess.run([cairn, "--index", bad, "check"], capture_output=True)
            if r.returncode == 0 or seg.encode() not in r.stderr:
                unchecked.append(off)
        print("%d flips in a %d-byte segment: %d detected, %d not read by these searches" %
              (len(offsets), size, caught, unread))
        check("no flip gives a wrong answer with exit 0, and every failure names the segment",
              not silent, "offsets %s" % sorted(set(silent))[:20])
        check("cairn check names the segment for every flip", not unchecked, "offsets %s" % unchecked[:20])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
