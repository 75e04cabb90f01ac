#!/usr/bin/env python3
"""End-to-end test of source detection on real logs: every file of
../shared/data/grafana-loki-lambda-promtail/testdata (one file per AWS source, as delivered)
is ingested into one index, and each file's sourcetype and event count must equal what this
script finds by its own reading of each format (AWS's documented shapes, below), never from
cairn. Each file's lines must come back byte for byte as `_raw` (a CloudWatch log event's
`_raw` is its message; CloudTrail's pretty-printed elements are checked by test_ingest.py). Skipped with a message when ../shared/data is absent."""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

PASSED, FAILED = [], []


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "  -- " + detail))


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


def expected_events(path):
    """(sourcetype, [raw texts]) of one file, by the formats' documented shapes."""
    text = read_text(path)
    stripped = text.strip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            doc = json.loads(stripped)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and "logEvents" in doc:  # a CloudWatch Logs subscription payload
            if doc.get("messageType") == "CONTROL_MESSAGE":
                return "aws:cloudwatchlogs", []
            return "aws:cloudwatchlogs", [e["message"] for e in doc["logEvents"]]
        if isinstance(doc, dict) and isinstance(doc.get("Records"), list):
            return "aws:cloudtrail", [json.dumps(r) for r in doc["Records"]]
        lines = [l for l in text.split("\n") if l.strip()]
        first = json.loads(lines[0])
        if "webaclId" in first:
            return "aws:waf", lines
        if "x-edge-location" in first:
            return "aws:cloudfront:accesslogs", lines
        raise AssertionError("unknown JSON file " + path)
    lines = [l.rstrip("\r") for l in text.split("\n") if l.strip()]
    data = [l for l in lines if not l.startswith("#")]
    words = data[0].split(" ")
    if lines[0].startswith("#Version:") or "\t" in data[0]:
        return "aws:cloudfront:accesslogs", data
    if words[0] in ("http", "https", "h2", "grpcs", "ws", "wss"):
        return "aws:elb:accesslogs", data
    if words[0] == "tls":
        return "aws:elb:accesslogs", data
    if words[0] == "version" or (len(words) == 14 and words[0] == "2"):
        return "aws:cloudwatchlogs:vpcflow", [l for l in data if not l.startswith("version ")]
    if words[2].startswith("["):
        return "aws:s3:accesslogs", data
    raise AssertionError("unknown text file " + path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    data = os.path.join(os.path.dirname(os.path.abspath(a.root)), "shared", "data", "grafana-loki-lambda-promtail",
                        "testdata")
    if not os.path.isdir(data):
        print("skipped: %s is absent" % data)
        return 0
    files = sorted(os.path.join(data, n) for n in os.listdir(data))
    with tempfile.TemporaryDirectory(prefix="cairn-sources-") as tmp:
        index = os.path.join(tmp, "index")
        r = subprocess.run([a.cairn, "--index", index, "ingest", "--quiet", *files], capture_output=True, text=True)
        check("all files ingest without an error", r.returncode == 0, r.stderr[-800:])
        for path in files:
            sourcetype, raws = expected_events(path)
            q = 'source="%s" | stats count by sourcetype' % path
            out = subprocess.run([a.cairn, "--index", index, "search", "--format", "csv", "--quiet", q],
                                 capture_output=True, text=True).stdout.split("\n")[1:]
            got = [l for l in out if l]
            name = os.path.basename(path)
            check(f"{name}: {len(raws)} events of {sourcetype}", got == ["%s,%d" % (sourcetype, len(raws))] if raws
                  else got == [], str(got))
            back = subprocess.run([a.cairn, "--index", index, "search", "--format", "raw", "--limit", "100000",
                                   'source="%s"' % path], capture_output=True, text=True).stdout.split("\n")
            if sourcetype == "aws:cloudtrail":
                continue  # pretty-printed elements span lines; tests/e2e/test_ingest.py checks their text
            same = sorted(b for b in back if b) == sorted(raws)
            check(f"{name}: each event's _raw as delivered", same, "\n".join(back[:3]))
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
