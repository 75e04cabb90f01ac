#!/usr/bin/env python3
"""End-to-end checks of the result path: one value model for every output.

* For every event of tests/queries/data/semantics.ndjson and of the CloudTrail sample, the
  NDJSON that `cairn search --format json` prints is the same with and without a pipeline
  (`| head`, `| sort`, `| fields *`, `| eval`, `| search`, `| where`), and each field's JSON
  type and value are those of the source event, flattened independently here (dotted paths,
  `{}` for arrays, null and empty objects absent, a one-element array as its value).

    python3 tests/e2e/test_results.py --cairn build/cairn --root .

Ends with `N passed, M failed`. Python 3.11 standard library only."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib  # noqa: E402
from e2e_lib import check  # noqa: E402



def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def flatten(value, path, out):
    """The source event's fields as cairn names them: {name: [values]}."""
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, path + "." + k if path else k, out)
    elif isinstance(value, list):
        for v in value:
            flatten(v, path + "{}", out)
    elif value is not None:
        out.setdefault(path, []).append(value)


def same_value(got, want):
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, (int, float)):
        return isinstance(got, (int, float)) and float(got) == float(want)
    return got == want


def field_matches(got, values):
    """`got` (the printed JSON value) against the source's values of one field."""
    kinds = {bool if isinstance(v, bool) else (float if isinstance(v, (int, float)) else str) for v in values}
    if len(kinds) > 1:  # mixed kinds print as text
        values = [json.dumps(v) if not isinstance(v, str) else v for v in values]
    if len(values) == 1:
        return same_value(got, values[0])
    return isinstance(got, list) and len(got) == len(values) and all(same_value(g, w) for g, w in zip(got, values))


PIPELINES = ["| head 1", "| sort 0 _time", "| fields *", "| eval cairn_test_marker=1 | fields - cairn_test_marker",
             "| search *", "| where isnotnull(eventID)", "| head 5 | tail 1"]


def check_dataset(cairn, tmp, path, label):
    idx = os.path.join(tmp, label)
    r = run([cairn, "--index", idx, "ingest", "--quiet", path])
    check(f"{label}: ingest", r.returncode == 0, r.stderr)
    events = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    mismatched_pipeline, mismatched_source, types_seen = [], [], set()
    for ev in events:
        eid = ev["eventID"]
        base = run([cairn, "--index", idx, "search", "--quiet", "--format", "json", f'eventID="{eid}"'])
        if base.returncode != 0 or len(base.stdout.splitlines()) != 1:
            mismatched_source.append((eid, "search failed or not one event", base.stderr))
            continue
        for p in PIPELINES:
            other = run([cairn, "--index", idx, "search", "--quiet", "--format", "json", f'eventID="{eid}" {p}'])
            if other.stdout != base.stdout:
                mismatched_pipeline.append((eid, p, base.stdout[:300], other.stdout[:300]))
        printed = json.loads(base.stdout)
        fields = {}
        flatten(ev, "", fields)
        for name, values in fields.items():
            for v in values:
                types_seen.add(type(v).__name__)
            if name not in printed:
                mismatched_source.append((eid, name, "missing"))
            elif not field_matches(printed[name], values):
                mismatched_source.append((eid, name, printed[name], values))
    check(f"{label}: JSON of every event is the same with and without {len(PIPELINES)} pipelines",
          not mismatched_pipeline, mismatched_pipeline[:3])
    check(f"{label}: every field has the source's JSON type and value ({', '.join(sorted(types_seen))})",
          not mismatched_source, mismatched_source[:5])
    return types_seen


def check_count_of_pipelines(cairn, tmp, path):
    """`search --count` of a pipeline is the number of rows the pipeline makes, the same as the
    rows `--format csv` prints (a regression: --count once ran the pipeline over no events)."""
    idx = os.path.join(tmp, "count-idx")
    run([cairn, "--index", idx, "ingest", "--quiet", path])
    with open(path, encoding="utf-8") as f:
        events = [json.loads(line) for line in f if line.strip()]
    want = {
        "* | stats count by eventName": len({e["eventName"] for e in events if e.get("eventName") is not None}),
        "* | stats count": 1,
        "* | timechart span=1d count": None,  # checked against the CSV only
        "* | head 7": min(7, len(events)),
    }
    for query, expected in want.items():
        counted = run([cairn, "--index", idx, "search", "--quiet", "--count", query])
        table = run([cairn, "--index", idx, "search", "--quiet", "--format", "csv", query])
        rows = max(0, len(table.stdout.splitlines()) - 1)
        got = counted.stdout.strip()
        ok = counted.returncode == 0 and got == str(rows if expected is None else expected)
        check(f"--count of '{query}' is its number of rows ({expected if expected is not None else rows})", ok,
              f"got {got!r}, csv rows {rows}")


def main():
    cairn, root = e2e_lib.parse_args()
    tmp = tempfile.mkdtemp(prefix="cairn-results-")
    try:
        seen = check_dataset(cairn, tmp, os.path.join(root, "tests", "queries", "data", "semantics.ndjson"), "semantics")
        check("semantics: the data has strings, integers, floats and booleans",
              {"str", "int", "float", "bool"} <= seen, seen)
        sample = os.path.join(tmp, "sample-300.ndjson")
        with open(os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson"), encoding="utf-8") as src:
            lines = src.readlines()[:300]
        with open(sample, "w", encoding="utf-8") as dst:
            dst.writelines(lines)
        check_dataset(cairn, tmp, sample, "cloudtrail sample")
        check_count_of_pipelines(cairn, tmp, sample)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return e2e_lib.finish()


if __name__ == "__main__":
    sys.exit(main())
