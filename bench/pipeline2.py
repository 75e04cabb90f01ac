"""The pipeline commands II part of the benchmark (bench/run imports it).

Over the benchmark's CloudTrail index (1M events in a full run) it times, as whole `cairn search`
processes under /usr/bin/time, the commands that keep state across events — streamstats,
eventstats, transaction — and a lookup of every event against a 100,000-row CIDR table, with
each one's wall time and peak RSS. The lookup's answer is checked against a Python oracle (the
first range in file order holding the address, the table's max_matches = 1) before its time
counts; the others against the plain stats they must agree with.
"""

import csv
import ipaddress
import json
import os
import random
import re
import subprocess
import time
from collections import Counter

LOOKUP_ROWS = 100000
PROVIDERS = ["vpn", "tor", "hosting", "proxy", "scanner"]

QUERIES = [
    {"id": "streamstats_by_ip", "spl": "* | streamstats count as n by sourceIPAddress | stats max(n) as most",
     "check_spl": "* | stats count as most by sourceIPAddress | stats max(most) as most"},
    {"id": "eventstats_by_ip", "spl": "* | eventstats count as n by sourceIPAddress | stats max(n) as most",
     "check_spl": "* | stats count as most by sourceIPAddress | stats max(most) as most"},
    {"id": "transaction_ip_10m", "spl": "* | transaction sourceIPAddress maxspan=10m | stats sum(eventcount) as events",
     "check_spl": "sourceIPAddress=* | stats count as events"},
    {"id": "lookup_cidr_100k",
     "spl": "* | lookup bench_ranges cidr AS sourceIPAddress OUTPUT provider | stats count by provider",
     "lookup": True},
]


def make_lookup(dirpath, seed):
    """LOOKUP_ROWS networks (/12 to /30, public space, some overlapping) and lookups.conf."""
    os.makedirs(dirpath, exist_ok=True)
    rng = random.Random(seed)
    rows = []
    while len(rows) < LOOKUP_ROWS:
        prefix = rng.choice([12, 16, 16, 20, 22, 24, 24, 24, 26, 28, 30])
        addr = ipaddress.IPv4Address(rng.getrandbits(32))
        if addr.is_private or addr.is_multicast or addr.is_reserved or addr.is_loopback:
            continue
        net = ipaddress.IPv4Network((int(addr), prefix), strict=False)
        rows.append((str(net), rng.choice(PROVIDERS)))
    with open(os.path.join(dirpath, "bench_ranges.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cidr", "provider"])
        w.writerows(rows)
    with open(os.path.join(dirpath, "lookups.conf"), "w") as f:
        f.write("[bench_ranges]\nfilename = bench_ranges.csv\nmatch_type = CIDR(cidr)\nmax_matches = 1\n")
    return rows


def lookup_oracle(rows, ndjson):
    """stats count by provider of the first row (file order) whose network holds each event's IPv4."""
    by_prefix = {}
    for i, (cidr, provider) in enumerate(rows):
        net = ipaddress.IPv4Network(cidr)
        by_prefix.setdefault(net.prefixlen, {}).setdefault(int(net.network_address), (i, provider))
    cache = {}
    counts = Counter()
    with open(ndjson, "rb") as f:
        for line in f:
            m = re.search(rb'"sourceIPAddress":"([^"]*)"', line)
            if not m:
                continue
            ip = m.group(1).decode()
            if ip not in cache:
                best = None
                try:
                    n = int(ipaddress.IPv4Address(ip))
                except ValueError:
                    n = None
                if n is not None:
                    for plen, nets in by_prefix.items():
                        hit = nets.get(n & ((0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF))
                        if hit and (best is None or hit[0] < best[0]):
                            best = hit
                cache[ip] = best[1] if best else None
            if cache[ip] is not None:
                counts[cache[ip]] += 1
    return {(p,): str(c) for p, c in counts.items()}


def timed_search(h, index, spl, extra):
    cmd = ["/usr/bin/time", "-v", h.cairn, "--index", index, "search", "--quiet", "--format", "csv"] + extra + [spl]
    h.cmd("pipeline II", cmd)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    rows = list(csv.reader(r.stdout.splitlines()))
    return {"wall_s": wall, "rss_bytes": int(m.group(1)) * 1024 if m else None, "exit": r.returncode,
            "header": rows[0] if rows else [], "rows": rows[1:], "stderr": r.stderr[-400:] if r.returncode else ""}


def run(h, index, ndjson, events, log, banner):
    banner("pipeline II: streamstats, eventstats, transaction, lookup (whole process, %d runs)" % h.runs)
    out = {"events": events, "queries": {}, "checks": []}
    if not h.tools.get("/usr/bin/time"):
        out["skipped"] = "/usr/bin/time is missing (Debian's `time` package)"
        log("  skipped: " + out["skipped"])
        return out
    lookups = os.path.join(h.dir, "lookups-pipeline2")
    rows = make_lookup(lookups, h.seed)
    oracle = lookup_oracle(rows, ndjson)
    for q in QUERIES:
        extra = ["--lookups", lookups] if q.get("lookup") else []
        runs = [timed_search(h, index, q["spl"], extra) for _ in range(max(1, min(h.runs, 3)))]
        bad = [r for r in runs if r["exit"] != 0]
        res = {"spl": q["spl"]}
        if bad:
            res["error"] = bad[0]["stderr"]
            log("  %-20s error: %s" % (q["id"], res["error"]))
            out["queries"][q["id"]] = res
            continue
        walls = sorted(r["wall_s"] for r in runs)
        res["wall_s"] = walls[len(walls) // 2]
        res["rss_bytes"] = max(r["rss_bytes"] or 0 for r in runs)
        res["events_per_s"] = events / res["wall_s"] if res["wall_s"] > 0 else None
        got = {tuple(r[:-1]): r[-1] for r in runs[0]["rows"]}
        if q.get("lookup"):
            ok = got == oracle
            why = None if ok else "cairn %s, oracle %s" % (sorted(got.items())[:5], sorted(oracle.items())[:5])
        else:
            ref = timed_search(h, index, q["check_spl"], [])
            ok = ref["exit"] == 0 and runs[0]["rows"] == ref["rows"]
            why = None if ok else "cairn %s, check %s" % (runs[0]["rows"][:3], ref["rows"][:3])
        res["ok"] = ok
        out["checks"].append({"query": q["id"], "system": "cairn", "ref": "oracle" if q.get("lookup") else "stats",
                              "expected": None, "got": None, "status": "pass" if ok else "FAIL", "why": why})
        log("  %-20s %.2f s, peak RSS %s MiB, %s events/s  %s" % (
            q["id"], res["wall_s"], format((res["rss_bytes"] or 0) // 2**20, ","),
            format(int(res["events_per_s"] or 0), ","), "ok" if ok else "MISMATCH: " + why))
        out["queries"][q["id"]] = res
    out["lookup_rows"] = LOOKUP_ROWS
    return out
