#!/usr/bin/env python3
"""The four hunts of the seed notes, end to end, on generated CloudTrail data with a known answer.

testdata/gen_hunts.py writes three days of CloudTrail with planted brute force, MFA removals,
AssumeRole sessions and logins from suspicious ranges, a CIDR lookup and the answer key; this test
ingests the data with cairn, runs every query of testdata/hunts/*.spl (`#` lines at the top are
comments) with `--format json` and the generated lookups, and compares each result with the key:
the key's columns, as a multiset of rows (in order for a key marked "ordered"; for one marked
"exact_columns" the output must have no other column). It prints PASS or FAIL per hunt with the
rows missing and the rows not expected, then `N passed, M failed`; the exit status is 1 when
anything failed. A last check feeds a deliberately wrong key to the comparison and must see it fail.

    python3 tests/e2e/test_hunts.py --cairn build/cairn --root .
        [--seed 7] [--background 3000] [--only NAME ...] [--key answer_key.json] [--keep DIR] [-v]

--key compares with another answer key (a wrong one must make the test fail); --keep writes the data,
the index and each hunt's output (NAME.json) to DIR and leaves them there.
"""
import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

NUM = re.compile(r"^-?\d+(\.\d+)?$")
PASSED, FAILED = [], []


def norm(v):
    """One comparable form for a value of cairn's JSON output or of the key."""
    if isinstance(v, list):
        items = tuple(norm(x) for x in v if x is not None and x != "")
        if not items:
            return None
        return items[0] if len(items) == 1 else items
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        f = float(v)
        return str(int(f)) if f.is_integer() else repr(round(f, 6))
    if isinstance(v, str) and NUM.match(v):
        return norm(float(v))
    return str(v)


def project(rows, columns):
    return [tuple(norm(r.get(c)) for c in columns) for r in rows]


def compare(name, expected, got_rows):
    """(ok, report lines) for one hunt."""
    cols = expected["columns"]
    report = []
    absent = [c for c in cols if got_rows and all(c not in r for r in got_rows)]
    if absent:
        report.append("columns missing from the output: " + ", ".join(absent))
    if expected.get("exact_columns"):
        seen = {c for r in got_rows for c in r if c == "_time" or not c.startswith("_")}
        surplus = sorted(seen - set(cols))
        if surplus:
            absent = absent + surplus
            report.append("columns not expected: " + ", ".join(surplus))
    want = project(expected["rows"], cols)
    got = project(got_rows, cols)
    if expected.get("ordered"):
        ok = want == got
        if not ok:
            report.append("rows: %d expected, %d returned (in order)" % (len(want), len(got)))
            shown = 0
            for i in range(max(len(want), len(got))):
                w = want[i] if i < len(want) else None
                g = got[i] if i < len(got) else None
                if w != g:
                    idx = [k for k in range(len(cols)) if k == 0 or (w[k] if w else None) != (g[k] if g else None)]
                    sub = [cols[k] for k in idx]
                    report.append("  row %d differs in %s" % (i, ", ".join(sub[1:9]) + (" ..." if len(sub) > 9 else "")))
                    report.append("    expected " + fmt(sub, [w[k] for k in idx] if w else None))
                    report.append("    returned " + fmt(sub, [g[k] for k in idx] if g else None))
                    shown += 1
                    if shown >= 5:
                        report.append("  ...")
                        break
        return ok and not absent, report
    cw, cg = Counter(want), Counter(got)
    missing = list((cw - cg).elements())
    extra = list((cg - cw).elements())
    ok = not missing and not extra and not absent
    if not ok:
        report.append("rows: %d expected, %d returned; %d missing, %d not expected"
                      % (len(want), len(got), len(missing), len(extra)))
        for label, lst in (("missing ", missing), ("unexpected ", extra)):
            for row in sorted(lst, key=str)[:10]:
                report.append("  " + label + fmt(cols, row))
            if len(lst) > 10:
                report.append("  ... %d more" % (len(lst) - 10))
    return ok, report


def fmt(cols, row):
    if row is None:
        return "(no row)"
    return "{" + ", ".join("%s=%s" % (c, v) for c, v in zip(cols, row) if v is not None) + "}"


def read_query(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    body = [ln for ln in lines if not ln.lstrip().startswith("#")]
    return "\n".join(body).strip()


def verdict(name, ok, report):
    (PASSED if ok else FAILED).append(name)
    print(("PASS " if ok else "FAIL ") + name)
    if not ok:
        for ln in report:
            print("     " + ln)


def run(cmd, timeout=300):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--background", type=int, default=3000, help="background events (gen_hunts.py --background)")
    ap.add_argument("--only", nargs="*", default=None, help="hunt names (file stems of testdata/hunts)")
    ap.add_argument("--key", help="compare with this answer key instead of the generated one")
    ap.add_argument("--keep", help="write everything to this directory and keep it")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each query")
    a = ap.parse_args()
    cairn, root = os.path.abspath(a.cairn), os.path.abspath(a.root)
    hunts_dir = os.path.join(root, "testdata", "hunts")
    work = os.path.abspath(a.keep) if a.keep else tempfile.mkdtemp(prefix="cairn-hunts-")
    try:
        if a.keep and os.path.isdir(work):
            shutil.rmtree(work)
        os.makedirs(work, exist_ok=True)
        data, index = os.path.join(work, "data"), os.path.join(work, "index")
        p = run([sys.executable, os.path.join(root, "testdata", "gen_hunts.py"), "--seed", str(a.seed),
                 "--background", str(a.background), "--out", data])
        if p.returncode != 0:
            print("FAIL generate the data\n     " + p.stderr.strip().replace("\n", "\n     "))
            return 1
        key_path = a.key or os.path.join(data, "answer_key.json")
        key = json.load(open(key_path, encoding="utf-8"))
        p = run([cairn, "--index", index, "ingest", "--quiet", os.path.join(data, "AWSLogs")])
        if p.returncode != 0:
            print("FAIL ingest\n     " + p.stderr.strip()[-800:])
            return 1
        p = run([cairn, "--index", index, "search", "--quiet", "--count", "eventName=*"])
        count_line = (p.stdout + p.stderr).strip()
        print("data: %d events (seed %d), %s; cairn counts: %s" % (key["events"], a.seed, work, count_line))
        names = sorted(f[:-4] for f in os.listdir(hunts_dir) if f.endswith(".spl"))
        if a.only:
            names = [n for n in names if n in a.only]
        outputs = {}
        for name in names:
            query = read_query(os.path.join(hunts_dir, name + ".spl"))
            if a.verbose:
                print("---- " + name + "\n" + query)
            if name not in key["hunts"]:
                verdict(name, False, ["no entry in the answer key"])
                continue
            p = run([cairn, "--index", index, "search", "--quiet", "--format", "json",
                     "--lookups", os.path.join(data, "lookups"), query])
            if a.keep:
                with open(os.path.join(work, name + ".json"), "w", encoding="utf-8") as f:
                    f.write(p.stdout)
            if p.returncode != 0:
                err = [ln for ln in p.stderr.splitlines() if ln.strip()]
                verdict(name, False, ["cairn exited with status %d:" % p.returncode] + ["  " + ln for ln in err[:8]])
                continue
            try:
                rows = [json.loads(ln) for ln in p.stdout.splitlines() if ln.strip()]
            except ValueError as e:
                verdict(name, False, ["output is not JSON lines: %s" % e])
                continue
            warn = [ln for ln in p.stderr.splitlines() if ln.strip()]
            ok, report = compare(name, key["hunts"][name], rows)
            if warn and not ok:
                report.append("stderr: " + " | ".join(warn[:3]))
            verdict(name, ok, report)
            outputs[name] = rows
        # the comparison must be able to fail: a wrong key for a hunt that just passed
        passed = [n for n in PASSED if n in outputs and key["hunts"][n]["rows"]]
        if passed and not a.key:
            n = passed[0]
            wrong = copy.deepcopy(key["hunts"][n])
            wrong["rows"] = wrong["rows"][1:]
            bad = copy.deepcopy(key["hunts"][n])
            col = bad["columns"][-1]
            bad["rows"][0][col] = "not-%s" % bad["rows"][0][col]
            ok1, _ = compare(n, wrong, outputs[n])
            ok2, _ = compare(n, bad, outputs[n])
            verdict("a wrong key for %s fails (a row left out, a value changed)" % n, not ok1 and not ok2,
                    ["the comparison accepted a wrong key"])
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
