#!/usr/bin/env python3
"""Golden query tests: runs every tests/queries/**/*.spl through cairn and compares the
result with the expected .out file beside it (see tests/queries/README.md).

    python3 tests/run_queries.py --cairn build/cairn --root .  [-k SUBSTRING] [-v]

Builds one temporary index per (datasets, index name) the cases use, runs the cases in
parallel, prints one line per case and ends with `N passed, M failed` (`, K skipped` when
some were skipped). Exits 1 if any case failed. Python 3.11 standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import queries_lib  # noqa: E402

WAIT_FOR_BINARY_S = 60


def run_cairn(cairn, args, cwd):
    """Runs cairn; waits and retries while the binary is missing (it may be rebuilt)."""
    deadline = time.monotonic() + WAIT_FOR_BINARY_S
    while True:
        try:
            if os.path.exists(cairn):
                p = subprocess.run([cairn] + args, cwd=cwd, capture_output=True, timeout=120)
                if p.returncode not in (126, 127):
                    return p
        except (FileNotFoundError, PermissionError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("cairn binary %s is not runnable" % cairn)
        time.sleep(0.5)


def build_index(cairn, root, workdir, key):
    datasets, index_name, props = key
    queries_lib.ensure_datasets(root, datasets)
    idx = tempfile.mkdtemp(prefix="idx-", dir=workdir)
    args = ["--index", idx, "ingest", "--quiet"]
    if index_name != "main":
        args += ["--index-name", index_name]
    p = run_cairn(cairn, args + list(datasets), root)
    # exit 1 means some input was bad; the good events are still in the index
    if p.returncode not in (0, 1):
        raise RuntimeError("ingest of %s failed (exit %d): %s" % (" ".join(datasets), p.returncode,
                                                                  p.stderr.decode(errors="replace")))
    if props:
        shutil.copy(os.path.join(root, props), os.path.join(idx, "props.conf"))
    return idx


def table_diff(expected, got, context=2, max_lines=30):
    """A short unified diff of two CSV texts."""
    import difflib
    lines = list(difflib.unified_diff(expected.splitlines(), got.splitlines(), "expected", "got",
                                      n=context, lineterm=""))
    if len(lines) > max_lines:
        lines = lines[:max_lines] + ["... (%d more diff lines)" % (len(lines) - max_lines)]
    if not lines:  # only line endings differ
        lines = ["expected %r" % expected[-40:], "got      %r" % got[-40:]]
    return "CSV differs:\n" + "\n".join(lines)


def check_case(cairn, root, idx, case, workdir):
    """(status, detail) with status PASS, FAIL or SKIP."""
    if not os.path.exists(case.out_path):
        return "SKIP", "no .out file (run tests/make_expected.py)"
    expected = case.read_expected()
    lookups_copy = None
    if case.lookups:  # a fresh copy per case: outputlookup may write to it
        lookups_copy = os.path.join(tempfile.mkdtemp(prefix="lookups-", dir=workdir), "lookups")
        shutil.copytree(os.path.join(root, case.lookups), lookups_copy)
    base = ["--index", idx, "search", "--quiet"] + case.cairn_options(root, lookups_copy)
    if case.expect == "error":
        p = run_cairn(cairn, base + ["--count", case.query], root)
        got = p.stderr.decode("utf-8", errors="replace")
        problems = []
        if p.returncode != 2:
            problems.append("exit code %d, expected 2" % p.returncode)
        if got != expected:
            problems.append("stderr differs:\n--- expected\n%s--- got\n%s---" % (expected, got))
        return ("FAIL", "; ".join(problems)) if problems else ("PASS", "")
    if case.expect == "table":
        p = run_cairn(cairn, base + ["--format", "csv", case.query], root)
        if p.returncode != 0:
            return "FAIL", "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip())
        got = p.stdout.decode("utf-8", errors="replace")
        if got == expected:
            return "PASS", "%d rows" % max(0, got.count("\n") - 1)
        return "FAIL", table_diff(expected, got)
    if case.expect == "count":
        p = run_cairn(cairn, base + ["--count", case.query], root)
        if p.returncode != 0:
            return "FAIL", "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip())
        got = p.stdout.decode().strip()
        want = expected.strip()
        return ("PASS", got) if got == want else ("FAIL", "expected count %s, got %s" % (want, got))
    # ids
    p = run_cairn(cairn, base + ["--format", "json", case.query], root)
    if p.returncode != 0:
        return "FAIL", "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip())
    ids = []
    for line in p.stdout.decode("utf-8").splitlines():
        if line.strip():
            ids.append(str(json.loads(line).get("eventID")))
    got = queries_lib.format_ids(ids)
    if got == expected:
        return "PASS", str(len(ids))
    want_lines = expected.split("\n")
    want_ids, got_ids = set(want_lines[1:]) - {""}, set(ids)
    detail = "expected %s events, got %d" % (want_lines[0], len(ids))
    missing, extra = sorted(want_ids - got_ids), sorted(got_ids - want_ids)
    if missing:
        detail += "; missing " + " ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
    if extra:
        detail += "; unexpected " + " ".join(extra[:10]) + (" ..." if len(extra) > 10 else "")
    return "FAIL", detail


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True, help="repository root")
    ap.add_argument("-k", dest="filter", help="only cases whose path contains this")
    ap.add_argument("-v", "--verbose", action="store_true", help="show details of passing cases too")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    cairn = os.path.abspath(args.cairn)
    queries_dir = os.path.join(root, "tests", "queries")
    started = time.monotonic()

    try:
        cases = queries_lib.find_cases(queries_dir)
    except queries_lib.CaseError as e:
        print("error: %s" % e)
        return 2
    if args.filter:
        cases = [c for c in cases if args.filter in c.rel]

    results = {}
    with tempfile.TemporaryDirectory(prefix="cairn-queries-") as workdir:
        keys = sorted({c.index_key for c in cases}, key=repr)
        indexes = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
            futures = {k: pool.submit(build_index, cairn, root, workdir, k) for k in keys}
            for k, f in futures.items():
                try:
                    indexes[k] = f.result()
                except Exception as e:  # noqa: BLE001 - reported per case below
                    indexes[k] = e
            jobs = {}
            for c in cases:
                idx = indexes[c.index_key]
                if isinstance(idx, Exception):
                    results[c.rel] = ("FAIL", "no index: %s" % idx)
                else:
                    jobs[c.rel] = pool.submit(check_case, cairn, root, idx, c, workdir)
            for rel, f in jobs.items():
                try:
                    results[rel] = f.result()
                except Exception as e:  # noqa: BLE001
                    results[rel] = ("FAIL", "runner error: %s" % e)

    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for c in cases:
        status, detail = results[c.rel]
        counts[status] += 1
        if status == "PASS" and not args.verbose:
            print("PASS %s" % c.rel)
        else:
            print("%s %s: %s" % (status, c.rel, detail.replace("\n", "\n    ")))
    summary = "%d passed, %d failed" % (counts["PASS"], counts["FAIL"])
    if counts["SKIP"]:
        summary += ", %d skipped" % counts["SKIP"]
    print("(%.1f s)" % (time.monotonic() - started))
    print(summary)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
