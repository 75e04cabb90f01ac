#!/usr/bin/env python3
"""Splunk's ESCU CloudTrail detections run on cairn (issue: Pipeline commands II).

Reads ../shared/escu (the detections, their macros and lookup definitions, never copied into
the repository) and ../shared/data/cloudtrail, and skips with a message when either is absent.
Every detection whose search uses neither `tstats` nor the ML toolkit (`apply`,
`anomalydetection`) must parse and run: exit status 0, JSON lines on stdout, no error on
stderr. The KV-store lookups the searches read are created empty with their fields_list.

    python3 tests/e2e/test_escu.py --cairn build/cairn --root .
"""
import json
import os
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib  # noqa: E402
from e2e_lib import check  # noqa: E402

EXPECTED_RUNNABLE = 53  # of the 76 in ../shared/escu/SOURCE.md: 22 use tstats, 4 apply, 1 anomalydetection


def main():
    cairn, root = e2e_lib.parse_args()
    shared = os.path.join(os.path.dirname(root), "shared")
    escu = os.path.join(shared, "escu")
    data = os.path.join(shared, "data", "cloudtrail")
    if not (os.path.isdir(escu) and os.path.isdir(data)):
        print(f"SKIP: {escu} or {data} is absent")
        return 0
    detections = []
    for name in sorted(os.listdir(os.path.join(escu, "detections"))):
        with open(os.path.join(escu, "detections", name), encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        search = doc["search"].strip()
        if "tstats" in search or "| apply" in search or "anomalydetection" in search:
            continue
        detections.append((name, search, doc.get("author", "")))
    check(f"{EXPECTED_RUNNABLE} detections use neither tstats nor the ML toolkit", len(detections) == EXPECTED_RUNNABLE,
          len(detections))
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        lookups = os.path.join(tmp, "lookups")
        ingest = subprocess.run([cairn, "--index", index, "ingest", "--quiet", data], capture_output=True, text=True)
        check("ingest ../shared/data/cloudtrail", ingest.returncode in (0, 1) and os.path.isdir(index), ingest.stderr[-400:])
        ran = 0
        for name, search, author in detections:
            p = subprocess.run([cairn, "--index", index, "search", "--quiet", "--format", "json",
                                "--macros", os.path.join(escu, "macros"),
                                "--lookup-definitions", os.path.join(escu, "lookups"), "--lookups", lookups, search],
                               capture_output=True, text=True, timeout=120)
            lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
            try:
                for ln in lines:
                    json.loads(ln)
                valid = True
            except ValueError:
                valid = False
            ok = p.returncode == 0 and valid and "error:" not in p.stderr
            ran += ok
            check(f"{name} ({author}) runs: {len(lines)} results", ok, p.stderr[-600:])
        check(f"all {len(detections)} runnable detections run", ran == len(detections), ran)
        p = subprocess.run([cairn, "--index", index, "search", "--quiet", "--format", "csv", "--lookup-definitions",
                            os.path.join(escu, "lookups"), "--lookups", lookups,
                            "| inputlookup previously_seen_cloud_regions | stats count"], capture_output=True, text=True)
        regions = os.path.join(lookups, "previously_seen_cloud_regions.csv")
        header = open(regions, encoding="utf-8").readline().strip() if os.path.exists(regions) else ""
        check("a KV-store lookup not written yet reads as empty",
              p.returncode == 0 and p.stdout.split() == ["count", "0"], p.stdout + p.stderr)
        check("... and is created with its fields_list as header",
              header == "_key,firstTimeSeen,lastTimeSeen,vendor_region,enough_data", header)
    return e2e_lib.finish()


if __name__ == "__main__":
    sys.exit(main())
