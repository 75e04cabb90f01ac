#!/usr/bin/env python3
"""End-to-end test over every real log in ../shared/data (except grafana-loki-lambda-promtail,
which test_sources.py checks format by format): all files are ingested into one index, and the
number of events of each file and sourcetype must equal what the independent search oracle
(tests/spl_oracle.py, its own readers of each format, gzip included) finds, never cairn's own
output. Files that are not logs (a CSV) or that hold lines no layout fits must be reported as
errors by name while the rest goes in. Skipped with a message when ../shared/data is absent."""
import argparse
import collections
import csv
import io
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import spl_oracle  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    data = os.path.join(os.path.dirname(os.path.abspath(a.root)), "shared", "data")
    if not os.path.isdir(data):
        print("skipped: %s is absent" % data)
        return 0
    files = [p for p in spl_oracle.input_files([data])
             if not p.endswith(".md") and os.path.basename(p) != "SOURCES.md" and "grafana-loki-lambda-promtail" not in p]
    want = collections.Counter()
    for path in files:
        for event in spl_oracle.load_events([path]):
            want[(path, event.fields["sourcetype"][0])] += 1
    failed = 0
    with tempfile.TemporaryDirectory(prefix="cairn-shared-") as tmp:
        index = os.path.join(tmp, "index")
        r = subprocess.run([a.cairn, "--index", index, "ingest", "--quiet", *files], capture_output=True, text=True)
        errors = [line for line in r.stderr.split("\n") if line.startswith("cairn: error:")]
        for line in errors:
            print("reported: " + line)
        # Every error names its file and line.
        for line in errors:
            if not any(line.startswith("cairn: error: " + p + ":") for p in files):
                print("FAIL an error that names no input file: " + line)
                failed += 1
        out = subprocess.run([a.cairn, "--index", index, "search", "--format", "csv", "--quiet",
                              "* | stats count by source, sourcetype"], capture_output=True, text=True).stdout
        got = collections.Counter()
        for row in csv.DictReader(io.StringIO(out)):
            got[(row["source"], row["sourcetype"])] = int(row["count"])
    for key in sorted(set(want) | set(got)):
        if want.get(key, 0) != got.get(key, 0):
            failed += 1
            print("FAIL %s %s: oracle %d events, cairn %d" % (os.path.relpath(key[0], data), key[1],
                                                             want.get(key, 0), got.get(key, 0)))
    print("%d files, %d events of %d sourcetypes; %d passed, %d failed" %
          (len(files), sum(want.values()), len({k[1] for k in want}), len(set(want) | set(got)) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
