#!/usr/bin/env python3
"""The hunt library (hunts/*.spl), end to end, on generated CloudTrail with a known answer.

testdata/gen_hunt_library.py writes three days of CloudTrail (NDJSON) with, for every hunt, planted true
positives and near misses over a background of ordinary activity, and an answer key computed in plain
Python over all the events. This test ingests the data with cairn, runs every hunt of hunts/ with the
lookups of hunts/lookups/, and compares each result with the key: the key's columns, as a multiset of
rows. It prints PASS or FAIL per hunt (with the rows missing and the rows not expected), then
`N passed, M failed`; the exit status is 1 when anything failed. Each hunt file's header is checked too
(title, a unique UUID id, description, author cairn, a known level, attack.* tags, references). A last
check feeds a deliberately wrong key to the comparison and must see it fail.

    python3 tests/e2e/test_hunt_library.py --cairn build/cairn --root .
        [--via hunt|search] [--seed 11] [--background 3000] [--only NAME ...] [--key answer_key.json]
        [--keep DIR] [-v]

--via hunt (default) runs each file with `cairn hunt --format json --lookups hunts/lookups FILE` and reads
each line's "fields" (and checks "rule" against the header and the exit status: 1 for hits); --via search
runs the file's query text with `cairn search --format json --lookups hunts/lookups 'QUERY'`. --key compares
with another answer key; --keep writes the data, the index and each hunt's output (NAME.json) to DIR.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_hunts import project  # noqa: E402  (one value normalisation for both hunt tests)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LEVELS = ("informational", "low", "medium", "high", "critical")
HEADER = re.compile(r"^#\s*([A-Za-z_]+)\s*:\s*(.*)$")
PASSED, FAILED = [], []


def fmt(cols, row):
    if row is None:
        return "(no row)"
    return "{" + ", ".join("%s=%s" % (c, v) for c, v in zip(cols, row) if v is not None) + "}"


def compare(expected, got_rows):
    """(ok, report lines): the key's columns of the output, as a multiset of rows."""
    cols = expected["columns"]
    report = []
    absent = [c for c in cols if got_rows and all(c not in r for r in got_rows)]
    if absent:
        report.append("columns missing from the output: " + ", ".join(absent))
    cw, cg = Counter(project(expected["rows"], cols)), Counter(project(got_rows, cols))
    missing = list((cw - cg).elements())
    extra = list((cg - cw).elements())
    ok = not missing and not extra and not absent
    if not ok:
        report.append("rows: %d expected, %d returned; %d missing, %d not expected"
                      % (sum(cw.values()), sum(cg.values()), len(missing), len(extra)))
        for label, lst in (("missing ", missing), ("unexpected ", extra)):
            for row in sorted(lst, key=str)[:10]:
                report.append("  " + label + fmt(cols, row))
            if len(lst) > 10:
                report.append("  ... %d more" % (len(lst) - 10))
    return ok, report


def read_hunt(path):
    """(header dict, query text): the `# key: value` lines before the query, then the query's lines
    (the `#` lines among them are comments) joined with spaces."""
    header, body, in_header = {}, [], True
    for ln in open(path, encoding="utf-8").read().splitlines():
        s = ln.strip()
        if in_header and s.startswith("#"):
            m = HEADER.match(s)
            if m:
                header[m.group(1).lower()] = m.group(2).strip()
            continue
        if not s:
            continue
        in_header = False
        if s.startswith("#"):
            continue
        body.append(s)
    return header, " ".join(body)


def check_header(header, ids):
    """Problems with a hunt file's header (an empty list when it is fine)."""
    p = []
    for k in ("title", "id", "description", "author", "level", "tags", "references"):
        if not header.get(k):
            p.append("header: no %s" % k)
    if header.get("id") and not UUID.match(header["id"]):
        p.append("header: id %r is not a UUID" % header["id"])
    if header.get("id") in ids:
        p.append("header: id %s is also the id of %s" % (header["id"], ids[header["id"]]))
    if header.get("author") and header["author"] != "cairn":
        p.append("header: author is %r, not cairn" % header["author"])
    if header.get("level") and header["level"] not in LEVELS:
        p.append("header: level %r is not one of %s" % (header["level"], ", ".join(LEVELS)))
    tags = [t.strip() for t in header.get("tags", "").split(",") if t.strip()]
    if tags and not all(re.match(r"^attack\.(t\d{4}(\.\d{3})?|[a-z-]+)$", t) for t in tags):
        p.append("header: tags must be attack.tNNNN[.NNN] or attack.<tactic>: %s" % header["tags"])
    if tags and not any(re.match(r"^attack\.t\d{4}", t) for t in tags):
        p.append("header: no ATT&CK technique among the tags")
    refs = [x.strip() for x in header.get("references", "").split(",") if x.strip()]
    if refs and not all(x.startswith("https://") for x in refs):
        p.append("header: references must be https URLs")
    return p


def verdict(name, ok, report):
    (PASSED if ok else FAILED).append(name)
    print(("PASS " if ok else "FAIL ") + name)
    if not ok:
        for ln in report:
            print("     " + ln)


def run(cmd, timeout=300):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def run_hunt(a, cairn, index, lookups, path, header, query):
    """(rows, problems, raw stdout) for one hunt."""
    problems = []
    if a.via == "search":
        cmd = [cairn, "--index", index, "search", "--quiet", "--format", "json", "--lookups", lookups]
        if header.get("earliest"):
            cmd += ["--earliest", header["earliest"]]
        p = run(cmd + [query])
        if p.returncode != 0:
            err = [ln for ln in p.stderr.splitlines() if ln.strip()]
            return None, ["cairn search exited with status %d:" % p.returncode] + ["  " + ln for ln in err[:8]], p.stdout
        try:
            return [json.loads(ln) for ln in p.stdout.splitlines() if ln.strip()], problems, p.stdout
        except ValueError as e:
            return None, ["output is not JSON lines: %s" % e], p.stdout
    p = run([cairn, "--index", index, "hunt", "--quiet", "--format", "json", "--lookups", lookups, path])
    if p.returncode not in (0, 1):
        err = [ln for ln in p.stderr.splitlines() if ln.strip()]
        return None, ["cairn hunt exited with status %d:" % p.returncode] + ["  " + ln for ln in err[:8]], p.stdout
    try:
        alerts = [json.loads(ln) for ln in p.stdout.splitlines() if ln.strip()]
    except ValueError as e:
        return None, ["output is not JSON lines: %s" % e], p.stdout
    if (p.returncode == 1) != bool(alerts):
        problems.append("exit status %d with %d alerts (1 means hits, 0 none)" % (p.returncode, len(alerts)))
    rows = []
    for al in alerts:
        rule = al.get("rule") or {}
        want = {"id": header.get("id"), "title": header.get("title"), "author": header.get("author"),
                "level": header.get("level"), "kind": "spl"}
        bad = ["%s=%r" % (k, rule.get(k)) for k, v in want.items() if rule.get(k) != v]
        tags = [t.strip() for t in header.get("tags", "").split(",") if t.strip()]
        if rule.get("tags") != tags:
            bad.append("tags=%r" % rule.get("tags"))
        if bad and not any(x.startswith("rule: ") for x in problems):
            problems.append("rule: " + ", ".join(bad) + " (the header says otherwise)")
        rows.append(al.get("fields") or {})
    return rows, problems, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--via", choices=("hunt", "search"), default="hunt",
                    help="run each hunt with `cairn hunt` (default) or its query with `cairn search`")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--background", type=int, default=3000, help="background events (gen_hunt_library.py --background)")
    ap.add_argument("--only", nargs="*", default=None, help="hunt names (file stems of hunts/)")
    ap.add_argument("--key", help="compare with this answer key instead of the generated one")
    ap.add_argument("--keep", help="write everything to this directory and keep it")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each query")
    a = ap.parse_args()
    cairn, root = os.path.abspath(a.cairn), os.path.abspath(a.root)
    hunts_dir = os.path.join(root, "hunts")
    lookups = os.path.join(hunts_dir, "lookups")
    work = os.path.abspath(a.keep) if a.keep else tempfile.mkdtemp(prefix="cairn-hunt-library-")
    try:
        if a.keep and os.path.isdir(work):
            shutil.rmtree(work)
        os.makedirs(work, exist_ok=True)
        data, index = os.path.join(work, "data"), os.path.join(work, "index")
        p = run([sys.executable, os.path.join(root, "testdata", "gen_hunt_library.py"), "--seed", str(a.seed),
                 "--background", str(a.background), "--lookups", lookups, "--out", data])
        if p.returncode != 0:
            print("FAIL generate the data\n     " + p.stderr.strip().replace("\n", "\n     "))
            return 1
        key = json.load(open(a.key or os.path.join(data, "answer_key.json"), encoding="utf-8"))
        p = run([cairn, "--index", index, "ingest", "--quiet", os.path.join(data, "cloudtrail.ndjson")])
        if p.returncode != 0:
            print("FAIL ingest\n     " + p.stderr.strip()[-800:])
            return 1
        print("data: %d events (seed %d) in %s; hunts run via cairn %s" % (key["events"], a.seed, work, a.via))
        names = sorted(f[:-4] for f in os.listdir(hunts_dir) if f.endswith(".spl"))
        if a.only:
            names = [n for n in names if n in a.only]
        outputs, ids = {}, {}
        for name in names:
            path = os.path.join(hunts_dir, name + ".spl")
            header, query = read_hunt(path)
            problems = check_header(header, ids)
            if header.get("id"):
                ids.setdefault(header["id"], name)
            if a.verbose:
                print("---- " + name + "\n" + query)
            if name not in key["hunts"]:
                verdict(name, False, problems + ["no entry in the answer key"])
                continue
            rows, run_problems, stdout = run_hunt(a, cairn, index, lookups, path, header, query)
            if a.keep:
                with open(os.path.join(work, name + ".json"), "w", encoding="utf-8") as f:
                    f.write(stdout)
            problems += run_problems
            if rows is None:
                verdict(name, False, problems)
                continue
            ok, report = compare(key["hunts"][name], rows)
            verdict(name, ok and not problems, problems + report)
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
            extra = copy.deepcopy(key["hunts"][n])
            extra["rows"].append(copy.deepcopy(extra["rows"][0]))
            oks = [compare(k, outputs[n])[0] for k in (wrong, bad, extra)]
            verdict("a wrong key for %s fails (a row left out, a value changed, a row twice)" % n, not any(oks),
                    ["the comparison accepted a wrong key: %s" % oks])
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
