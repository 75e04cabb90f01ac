"""The VPC flow log part of the benchmark (bench/run imports it).

VPC flow logs are the largest volume of AWS security logs. This part generates them with
testdata/gen_vpcflow.py (a version 2 file and a custom layout, about 150 bytes a record), times
`cairn ingest` (fresh index each run) against DuckDB's `read_csv` load of the same files, and times
each query in cairn (in-process, cairn_bench) and in DuckDB (SQL on the loaded table), with
every answer checked equal to cairn's before its time counts.
"""

import os
import shutil

import generated

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

QUERIES = [
    {"id": "vpc_rejected_ssh", "kind": "count", "spl": "action=REJECT dstport=22",
     "sql": "SELECT count(*) FROM vpc WHERE action = 'REJECT' AND dstport = 22"},
    {"id": "vpc_from_scanner", "kind": "count", "spl": "srcaddr=45.155.205.233",
     "sql": "SELECT count(*) FROM vpc WHERE srcaddr = '45.155.205.233'"},
    {"id": "vpc_large_flows", "kind": "count", "spl": "bytes>100000",
     "sql": "SELECT count(*) FROM vpc WHERE bytes > 100000"},
    {"id": "vpc_rejects_by_port", "kind": "groups", "spl": "action=REJECT | stats count by dstport",
     "sql": "SELECT dstport, count(*) FROM vpc WHERE action = 'REJECT' GROUP BY dstport"},
    {"id": "vpc_egress_bytes", "kind": "groups", "spl": "flow_direction=egress | stats sum(bytes) by dstaddr",
     "sql": "SELECT dstaddr, sum(bytes) FROM vpc WHERE \"flow-direction\" = 'egress' GROUP BY dstaddr"},
]


# DuckDB's load: column names are the headers' ("flow-direction"); cairn names that field flow_direction.
LOAD_SQL = "CREATE TABLE vpc AS SELECT * FROM read_csv(FILES, delim=' ', header=true, nullstr='-', union_by_name=true)"


def generate(h, records):
    return generated.files(h, "vpc flow data", "gen_vpcflow.py", "--records", records, "vpc")


def norm(rows):
    return sorted(tuple(str(int(float(c))) if c not in (None, "") and c.replace(".", "", 1).isdigit() else str(c)
                        for c in r) for r in rows)


def run(h, have_duck, stats, log, banner):
    records = 1500000 if not h.smoke else 20000
    banner("VPC flow logs: %s records" % format(records, ","))
    files = generate(h, records)
    raw_bytes = sum(os.path.getsize(f) for f in files)
    index = os.path.join(h.dir, "index-vpc")
    runs = []
    for i in range(h.ingest_runs):
        res = h.ingest(index, files, "cairn ingest (VPC flow)")
        log("  run %d: %s  (wall %.2f s)" % (i + 1, res.get("summary", res.get("stderr", "")), res["wall_s"]))
        runs.append(res)
    R = {"records": records, "files": [os.path.relpath(f, ROOT) for f in files], "bytes": raw_bytes,
         "ingest": {"wall_s": stats([r["wall_s"] for r in runs]), "mbps": stats([raw_bytes / 1e6 / r["wall_s"] for r in runs]),
                    "events_per_s": stats([records / r["wall_s"] for r in runs]),
                    "rss_bytes": stats([r.get("rss_bytes", 0) for r in runs]), "index_bytes": runs[-1]["index_bytes"],
                    "events": runs[-1].get("events"), "exit": [r["exit"] for r in runs]},
         "queries": {}, "checks": []}
    if runs[-1].get("events") != records:
        h.note("cairn ingested %s VPC flow records of %d" % (runs[-1].get("events"), records), partial=False)
    answers = {}
    for q in QUERIES:
        answers[q["id"]] = h.cli_count(index, q["spl"]) if q["kind"] == "count" else h.cli_table(index, q["spl"])
    inproc = h.bench_inproc(index, QUERIES, h.runs)
    duck = {}
    if have_duck:
        cfg = {"files": files, "db": os.path.join(h.dir, "duck-vpc.db"), "loadRuns": h.load_runs, "runs": h.runs,
               "table": "vpc", "loadSql": LOAD_SQL, "queries": [{"id": q["id"], "sql": q["sql"]} for q in QUERIES]}
        duck = generated.duckdb_load(h, "vpc", "VPC flow", cfg)
        R["duckdb_load"] = {"ms": stats(duck.get("load", []) or [0]), "rows": duck.get("rows"),
                            "table_bytes": duck.get("tableBytes"), "sql": duck.get("loadSql"),
                            "version": duck.get("version")}
    for q in QUERIES:
        a = answers[q["id"]]
        d = inproc.get(q["spl"], {})
        entry = {"spl": q["spl"], "sql": q["sql"], "cairn": d}
        dq = duck.get("queries", {}).get(q["id"])
        if dq:
            if q["kind"] == "count":
                ok = str(a.get("count")) == str(dq["rows"][0][0])
                why = None if ok else "cairn %s, DuckDB %s" % (a.get("count"), dq["rows"][0][0])
            else:
                ok = norm(a.get("rows", [])) == norm(dq["rows"])
                why = None if ok else "%d vs %d rows" % (len(a.get("rows", [])), len(dq["rows"]))
            R["checks"].append({"query": q["id"], "system": "duckdb", "ref": "cairn", "expected": None, "got": None,
                                "status": "pass" if ok else "FAIL", "why": why})
            log("  %-4s %-18s %-22s %s" % ("pass" if ok else "FAIL", q["id"], "duckdb (VPC flow)", why or ""))
            if ok:
                entry["duckdb"] = stats(dq["times"])
        log("  %-20s cairn %s  DuckDB %s" % (q["id"], "%.3f ms" % d["median_ms"] if "median_ms" in d else d,
                                             "%.2f ms" % entry["duckdb"]["median"] if "duckdb" in entry else "-"))
        R["queries"][q["id"]] = entry
    if not h.smoke:
        shutil.rmtree(index, ignore_errors=True)
    return R
