#!/usr/bin/env python3
"""Streamed pipelines (engine/pipeline/streamed_run.h) against the independent oracles.

streamstats, eventstats, transaction and a stats after them take the events in batches of
4,096, merged across segments. This test writes 9,000 CloudTrail-shaped events (a fixed seed,
every event at its own second, so search order has no ties the oracles would have to guess,
and at a multiple of 7 seconds, so no two events are exactly 5m, 10m or 1h apart: the limits
and windows below never meet a gap equal to them, which the docs leave open)
into three files whose time ranges overlap, ingests them in three runs (several segments, read
interleaved), and checks each query's CSV against:
  - tests/spl_pipeline_oracle.py (streamstats, eventstats, stats, where, eval), run over the same
    files: an oracle written from Splunk's documentation that holds every event at once;
  - the transaction oracle of tests/e2e/test_charts.py, with the stats after it in Python here.
It also checks that `explain` says these queries stream, so the checks cover the streamed path.

    python3 tests/e2e/test_streaming.py --cairn build/cairn --root .

Python 3.11 standard library only.
"""
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_lib import check, finish, parse_args  # noqa: E402
import test_charts as charts  # noqa: E402  (its transaction oracle)

EVENTS = 9000
START = 1767225600  # 2026-01-01T00:00:00Z
SPAN = 3 * 86400


def generate():
    rng = random.Random(20261206)
    seconds = [7 * k for k in rng.sample(range(SPAN // 7), EVENTS)]
    ips = [f"203.0.{i // 200}.{i % 200 + 1}" for i in range(240)]
    users = [f"user{i:02d}" for i in range(30)]
    names = ["ConsoleLogin", "GetObject", "PutObject", "AssumeRole", "DescribeInstances", "DeleteObject"]
    events = []
    for i, s in enumerate(seconds):
        ev = {
            "eventVersion": "1.08",
            "eventTime": datetime.fromtimestamp(START + s, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventName": rng.choice(names),
            "eventSource": "s3.amazonaws.com",
            "awsRegion": rng.choice(["us-east-1", "eu-west-1"]),
            # A few busy addresses and a long tail, as real traffic has.
            "sourceIPAddress": ips[min(int(rng.expovariate(1 / 40)), len(ips) - 1)],
            "eventID": f"ev-{i:05d}",
        }
        if rng.random() < 0.93:
            ev["userIdentity"] = {"type": "IAMUser", "userName": rng.choice(users)}
        else:
            ev["userIdentity"] = {"type": "AWSService"}
        ev["bytes"] = rng.randint(1, 5000)
        events.append(ev)
    return events


def write_files(events, folder):
    """Three files over the same three days: the segments' time ranges overlap."""
    paths = [os.path.join(folder, f"part{i}.ndjson") for i in range(3)]
    parts = [[], [], []]
    for i, ev in enumerate(events):
        parts[i % 3].append(ev)
    for path, part in zip(paths, parts):
        with open(path, "w", encoding="utf-8") as f:
            for ev in part:
                f.write(json.dumps(ev, separators=(",", ":")) + "\n")
    return paths


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def transaction_rows(events, **options):
    rows = [charts.to_row(ev) for ev in events]
    return charts.transaction(rows, ["sourceIPAddress"], **options)


def csv_text(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return out.getvalue()


def main():
    cairn, root = parse_args()
    oracle = os.path.join(root, "tests", "spl_pipeline_oracle.py")
    tmp = tempfile.mkdtemp(prefix="cairn-streaming-")
    try:
        events = generate()
        paths = write_files(events, tmp)
        index = os.path.join(tmp, "index")
        for path in paths:
            p = run([cairn, "--index", index, "ingest", "--quiet", path])
            check(f"ingest {os.path.basename(path)}", p.returncode == 0, p.stderr[-400:])
        info = run([cairn, "--index", index, "info"])
        check("the index has several segments", info.returncode == 0 and "segments: 1\n" not in info.stdout,
              info.stdout[:400])

        oracle_queries = [
            ("streamstats count by ip, then stats",
             "* | streamstats count as n by sourceIPAddress | stats max(n) as most, sum(n) as total by awsRegion"),
            ("streamstats current=false window=3 dc, then stats",
             "* | streamstats current=false window=3 dc(userIdentity.userName) as users by sourceIPAddress"
             " | stats count by users"),
            ("streamstats time_window=10m, then where and table",
             "* | streamstats time_window=10m count as recent by userIdentity.userName | where recent>=4"
             " | table _time userIdentity.userName recent"),
            ("streamstats global window=50 sum",
             "* | streamstats window=50 sum(bytes) as moving | stats max(moving) as peak, min(moving) as low"),
            ("eventstats by ip, then where and stats",
             "* | eventstats count as n by sourceIPAddress | where n>100 | stats count, dc(sourceIPAddress) as ips"),
            ("eval before eventstats (read twice), then stats",
             "* | eval k=lower(eventName) | eventstats dc(userIdentity.userName) as users, avg(bytes) as mean by k"
             " | stats count by k, users"),
            ("rename with a wildcard (streamed per batch), then streamstats and stats",
             "* | rename userIdentity.* AS u_* | streamstats count as n by u_userName | stats max(n) as most by u_type"),
            ("eventstats then streamstats then stats first()",
             "* | eventstats count as n by awsRegion | streamstats count as seen by awsRegion"
             " | stats first(seen) as newest, last(seen) as oldest, max(n) as n by awsRegion"),
        ]
        for name, query in oracle_queries:
            want = run([sys.executable, oracle, "--data", *paths, query])
            if want.returncode != 0:
                check(name + "  [oracle]", False, want.stderr[-400:])
                continue
            got = run([cairn, "--index", index, "search", "--quiet", "--format", "csv", query])
            check(name, got.returncode == 0 and got.stdout == want.stdout,
                  f"cairn: {got.stdout[:300]!r} {got.stderr[-200:]!r}\noracle: {want.stdout[:300]!r}")

        # transaction: the oracle of test_charts, with the stats after it done here.
        def txn_stats(txns):
            return csv_text(["transactions", "events", "longest", "closed"],
                            [[len(txns), sum(t["eventcount"] for t in txns), max(t["duration"] for t in txns),
                              sum(t["closed_txn"] for t in txns)]])
        txn_queries = [
            ("transaction maxspan=10m | stats (order-free: passed on unordered)",
             "* | transaction sourceIPAddress maxspan=10m"
             " | stats count as transactions, sum(eventcount) as events, max(duration) as longest,"
             " sum(closed_txn) as closed",
             lambda: txn_stats(transaction_rows(events, maxspan=600))),
            ("transaction maxpause=5m maxevents=20 | stats",
             "* | transaction sourceIPAddress maxpause=5m maxevents=20"
             " | stats count as transactions, sum(eventcount) as events, max(duration) as longest,"
             " sum(closed_txn) as closed",
             lambda: txn_stats(transaction_rows(events, maxpause=300, maxevents=20))),
            ("where before transaction startswith/endswith | table (held, newest first)",
             '* | where awsRegion="us-east-1" | transaction sourceIPAddress startswith="eventName=ConsoleLogin"'
             ' endswith="eventName=DeleteObject" maxspan=1h | table _time sourceIPAddress eventcount closed_txn',
             lambda: csv_text(["_time", "sourceIPAddress", "eventcount", "closed_txn"], [
                 [datetime.fromtimestamp(t["_time"], timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  t["sourceIPAddress"], t["eventcount"], t["closed_txn"]]
                 for t in charts.transaction([charts.to_row(ev) for ev in events if ev["awsRegion"] == "us-east-1"],
                                             ["sourceIPAddress"], maxspan=3600,
                                             startswith=lambda r: r.get("eventName") == "ConsoleLogin",
                                             endswith=lambda r: r.get("eventName") == "DeleteObject")])),
        ]
        for name, query, expected in txn_queries:
            try:
                want = expected()
            except charts.Ambiguous as e:
                check(name + "  [data]", False, f"the data hits a case the docs leave open: {e}")
                continue
            got = run([cairn, "--index", index, "search", "--quiet", "--format", "csv", query])
            check(name, got.returncode == 0 and got.stdout == want,
                  f"cairn: {got.stdout[:300]!r} {got.stderr[-200:]!r}\noracle: {want[:300]!r}")

        # An inner join streams (it keeps far less than it reads), its subsearch run once for
        # every batch: each event of a user joined with that user's newest eu-west-1 login.
        # (`uname`: the add-on's search-time `user` is more than userIdentity.userName.)
        join_query = ("* | rename userIdentity.userName AS uname | join type=inner uname"
                      " [search eventName=ConsoleLogin awsRegion=eu-west-1 | rename userIdentity.userName AS uname"
                      " | eval login_ip=sourceIPAddress | table uname login_ip]"
                      " | table eventID uname eventName login_ip")
        newest_first = sorted(events, key=lambda ev: ev["eventTime"], reverse=True)
        login_ip = {}
        for ev in newest_first:
            user = ev.get("userIdentity", {}).get("userName")
            if user and ev["eventName"] == "ConsoleLogin" and ev["awsRegion"] == "eu-west-1":
                login_ip.setdefault(user, ev["sourceIPAddress"])
        want = csv_text(["eventID", "uname", "eventName", "login_ip"], [
            [ev["eventID"], ev["userIdentity"]["userName"], ev["eventName"], login_ip[ev["userIdentity"]["userName"]]]
            for ev in newest_first if ev.get("userIdentity", {}).get("userName") in login_ip])
        got = run([cairn, "--index", index, "search", "--quiet", "--format", "csv", join_query])
        check("rename and an inner join, streamed", got.returncode == 0 and got.stdout == want and want.count("\n") > 1000,
              f"cairn: {got.stdout[:300]!r} {got.stderr[-200:]!r}\noracle: {want[:300]!r}")

        for query in [q for _, q in oracle_queries] + [q for _, q, _ in txn_queries] + [join_query]:
            p = run([cairn, "--index", index, "explain", query])
            streamed = "events streamed in batches" in p.stdout
            check("explain: streamed: " + query[:70], p.returncode == 0 and streamed, p.stdout[:300])
        p = run([cairn, "--index", index, "explain", "* | sort - bytes | streamstats count"])
        check("explain: a sort before streamstats is not streamed", "streamed" not in p.stdout, p.stdout[:300])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
