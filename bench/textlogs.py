"""The access-log and CloudWatch Logs part of the benchmark (bench/run imports it).

Four sources, each from its own generator in testdata/: CloudFront standard logs (gen_cloudfront.py),
S3 server access logs (gen_s3access.py) and ALB access logs (gen_alb.py), 1,000,000 lines each, and
CloudWatch Logs subscription payloads (gen_cloudwatch.py), 1,000,000 log events of four log groups.
For each: `cairn ingest` timed with a fresh index each run, against DuckDB loading the same files into
a table (read_csv for the text logs, read_json and unnest of logEvents for the payloads), and cairn's
event count checked against an independent count of the files (lines that are not directives; log
events of the DATA_MESSAGE payloads, by log group and so by sourcetype).
"""

import json
import os
import shutil

import generated

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name, generator, its count option, sourcetype(s), DuckDB's load of FILES
SOURCES = [
    {"id": "cloudfront", "title": "CloudFront access logs", "gen": "gen_cloudfront.py", "count_opt": "--records",
     "sourcetype": "aws:cloudfront:accesslogs", "unit": "lines",
     "load": "CREATE TABLE t AS SELECT * FROM read_csv(FILES, delim='\\t', header=false, comment='#', "
             "all_varchar=true, null_padding=true)"},
    {"id": "s3access", "title": "S3 server access logs", "gen": "gen_s3access.py", "count_opt": "--records",
     "sourcetype": "aws:s3:accesslogs", "unit": "lines",
     "load": "CREATE TABLE t AS SELECT * FROM read_csv(FILES, delim=' ', quote='\"', header=false, "
             "all_varchar=true, null_padding=true)"},
    {"id": "alb", "title": "ALB access logs", "gen": "gen_alb.py", "count_opt": "--records",
     "sourcetype": "aws:elb:accesslogs", "unit": "lines",
     "load": "CREATE TABLE t AS SELECT * FROM read_csv(FILES, delim=' ', quote='\"', header=false, "
             "all_varchar=true, null_padding=true)"},
    {"id": "cloudwatch", "title": "CloudWatch Logs subscription payloads", "gen": "gen_cloudwatch.py",
     "count_opt": "--events", "sourcetype": None, "unit": "log events",
     "load": "CREATE TABLE t AS SELECT logGroup, logStream, e.id, e.timestamp, e.message FROM "
             "(SELECT logGroup, logStream, unnest(logEvents) AS e FROM read_json(FILES, format='newline_delimited', "
             "maximum_object_size=104857600) WHERE messageType = 'DATA_MESSAGE')"},
]
# How cairn types the log groups of gen_cloudwatch.py's payloads.
CLOUDWATCH_SOURCETYPES = {"/aws/lambda/order-processor": "aws:cloudwatchlogs", "/ecs/checkout": "aws:cloudwatchlogs",
                          "/aws/vpc/flowlogs": "aws:cloudwatchlogs:vpcflow"}


def expected_counts(src, files):
    """Events per sourcetype, counted from the files without cairn."""
    if src["id"] != "cloudwatch":
        n = 0
        for f in files:
            with open(f, "rb") as fh:
                n += sum(1 for line in fh if line.strip() and not line.startswith(b"#"))
        return {src["sourcetype"]: n}
    out = {}
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                if doc.get("messageType") != "DATA_MESSAGE":
                    continue
                group = doc["logGroup"]
                st = CLOUDWATCH_SOURCETYPES.get(group, "aws:cloudtrail" if "cloudtrail" in group else "?")
                out[st] = out.get(st, 0) + len(doc["logEvents"])
    return out


def run(h, have_duck, stats, log, banner):
    n = 1000000 if not h.smoke else 20000
    R = {"sources": {}, "checks": []}
    for src in SOURCES:
        banner("%s: %s %s" % (src["title"], format(n, ","), src["unit"]))
        files = generated.files(h, "%s data" % src["title"], src["gen"], src["count_opt"], n, src["id"])
        raw_bytes = sum(os.path.getsize(f) for f in files)
        index = os.path.join(h.dir, "index-%s" % src["id"])
        runs = []
        for i in range(h.ingest_runs):
            res = h.ingest(index, files, "cairn ingest (%s)" % src["title"])
            log("  run %d: %s  (wall %.2f s)" % (i + 1, res.get("summary", res.get("stderr", "")), res["wall_s"]))
            runs.append(res)
        want = expected_counts(src, files)
        for st, count in sorted(want.items()):
            got = h.cli_count(index, "sourcetype=%s" % st).get("count")
            ok = got == count
            R["checks"].append({"query": "%s count" % src["id"], "system": "cairn", "ref": "file count",
                                "expected": count, "got": got, "status": "pass" if ok else "FAIL",
                                "why": None if ok else "sourcetype=%s: cairn %s, files %d" % (st, got, count)})
            log("  %-4s %-18s sourcetype=%s: %s" % ("pass" if ok else "FAIL", src["id"], st, format(count, ",")))
        entry = {"title": src["title"], "unit": src["unit"], "records": sum(want.values()),
                 "files": [os.path.relpath(f, ROOT) for f in files], "bytes": raw_bytes,
                 "ingest": {"wall_s": stats([r["wall_s"] for r in runs]),
                            "mbps": stats([raw_bytes / 1e6 / r["wall_s"] for r in runs]),
                            "events_per_s": stats([sum(want.values()) / r["wall_s"] for r in runs]),
                            "rss_bytes": stats([r.get("rss_bytes", 0) for r in runs]),
                            "index_bytes": runs[-1]["index_bytes"], "exit": [r["exit"] for r in runs]}}
        if have_duck:
            cfg = {"files": files, "db": os.path.join(h.dir, "duck-%s.db" % src["id"]), "loadRuns": h.load_runs,
                   "table": "t", "loadSql": src["load"]}
            duck = generated.duckdb_load(h, src["id"], src["title"], cfg)
            if duck.get("load"):
                entry["duckdb_load"] = {"ms": stats(duck["load"]), "rows": duck.get("rows"),
                                        "table_bytes": duck.get("tableBytes"), "sql": duck.get("loadSql"),
                                        "version": duck.get("version")}
                log("  DuckDB load: %.2f s median, %s rows" % (entry["duckdb_load"]["ms"]["median"] / 1000,
                                                              format(duck.get("rows") or 0, ",")))
                ok = duck.get("rows") == sum(want.values())
                R["checks"].append({"query": "%s rows" % src["id"], "system": "duckdb", "ref": "file count",
                                    "expected": sum(want.values()), "got": duck.get("rows"),
                                    "status": "pass" if ok else "FAIL",
                                    "why": None if ok else "DuckDB loaded %s rows" % duck.get("rows")})
        R["sources"][src["id"]] = entry
        if not h.smoke:
            shutil.rmtree(index, ignore_errors=True)
    return R
