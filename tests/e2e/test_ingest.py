#!/usr/bin/env python3
"""End-to-end ingest tests: event counts against the independent oracle (testdata/oracle.py),
bad input reported by file and line without losing the rest, exit codes, a second ingest
adding nothing, and every shape of CloudTrail file. Real logs under ../shared/data are used
when present and skipped with a message otherwise."""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

PASSED, FAILED, SKIPPED = [], [], []


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "  -- " + detail))


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def oracle_count(root, paths):
    out = run([sys.executable, os.path.join(root, "testdata", "oracle.py"), "count", *paths])
    assert out.returncode == 0, out.stderr
    return int(out.stdout.split()[0])


def count(cairn, index, query="*"):
    r = run([cairn, "--index", index, "search", "--count", "--quiet", query])
    return int(r.stdout.strip()) if r.returncode == 0 else None


def check_text_source(cairn, root, label, sample, index, sourcetype, is_header):
    """Ingests a sample of a text log format; checks counts, sourcetype and byte-identical lines."""
    r = run([cairn, "--index", index, "ingest", "--quiet", sample])
    expected = oracle_count(root, [sample])
    check(f"{label}: ingest succeeds", r.returncode == 0, r.stderr)
    check(f"{label}: count equals the oracle", count(cairn, index) == expected,
          f"cairn={count(cairn, index)} oracle={expected}")
    check(f"{label}: sourcetype", count(cairn, index, f'sourcetype="{sourcetype}"') == expected)
    lines = []
    for dirpath, _, names in os.walk(sample):
        for name in names:
            with open(os.path.join(dirpath, name)) as f:
                lines += [l.rstrip("\n") for l in f if not is_header(l)]
    raw = run([cairn, "--index", index, "search", "--format", "raw", "--limit", "100000", "*"]).stdout
    check(f"{label}: _raw is each line byte for byte", sorted(raw.splitlines()) == sorted(lines),
          f"{len(raw.splitlines())} lines back, {len(lines)} in")
    return lines


def check_real_text_logs(cairn, root, label, paths, index):
    """Ingests real logs of a text format that exist under ../shared/data; checks the count against the
    oracle. Returns the ingest's result for the caller's own checks."""
    paths = [p for p in paths if os.path.exists(p)]
    r = run([cairn, "--index", index, "ingest", "--quiet", *paths])
    expected = oracle_count(root, paths)
    check(f"{label}, real logs: count equals the oracle", count(cairn, index) == expected,
          f"cairn={count(cairn, index)} oracle={expected}")
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    cairn, root = a.cairn, a.root
    samples = os.path.join(root, "testdata", "samples")
    tmp = tempfile.mkdtemp(prefix="cairn-e2e-")
    try:
        # 1. The bundled samples: counts equal the oracle; bad files are named; exit 1.
        idx = os.path.join(tmp, "samples")
        r = run([cairn, "--index", idx, "ingest", "--quiet", samples])
        expected = oracle_count(root, [samples])
        check("samples: exit status 1 because some inputs are bad", r.returncode == 1, f"rc={r.returncode}")
        check("samples: event count equals the oracle", count(cairn, idx) == expected,
              f"cairn={count(cairn, idx)} oracle={expected}")
        err = r.stderr
        check("bad-lines.ndjson: line 6 reported", "bad-lines.ndjson:6:" in err, err)
        check("bad-lines.ndjson: line 7 reported", "bad-lines.ndjson:7:" in err, err)
        check("not-json.txt reported", "not-json.txt" in err, err)
        check("truncated.json reported", "truncated.json:" in err, err)
        check("truncated.json.gz reported", "truncated.json.gz" in err, err)
        check("digest skipped, not an error", "digest.json" not in err and "digest file" in err, err)
        check("summary names the error count", "5 errors" in err, err)

        # 2. A second ingest of the same files adds nothing and says so.
        r2 = run([cairn, "--index", idx, "ingest", "--quiet", samples])
        check("re-ingest: nothing added", count(cairn, idx) == expected, f"count={count(cairn, idx)}")
        check("re-ingest: summary says already ingested", "already ingested" in r2.stderr, r2.stderr)

        # 3. Every shape: the same events as NDJSON, Records, pretty array, gzip and stdin.
        events = [json.loads(l) for l in open(os.path.join(samples, "cloudtrail-sample.ndjson"))][:50]
        shapes = os.path.join(tmp, "shapes")
        os.makedirs(shapes)
        with open(os.path.join(shapes, "a.json"), "w") as f:
            json.dump({"Records": events[:10]}, f, separators=(",", ":"))
        with open(os.path.join(shapes, "b.json"), "w") as f:
            json.dump({"Records": events[10:20]}, f, indent=2)
        with open(os.path.join(shapes, "c.json"), "w") as f:
            json.dump(events[20:30], f, indent=4)
        with gzip.open(os.path.join(shapes, "d.json.gz"), "wt") as f:
            json.dump({"Records": events[30:40]}, f, separators=(",", ":"))
        with open(os.path.join(shapes, "e.json"), "w") as f:
            json.dump(events[40], f, indent=2)
        idx2 = os.path.join(tmp, "shapes-index")
        r = run([cairn, "--index", idx2, "ingest", "--quiet", shapes])
        check("shapes: exit 0", r.returncode == 0, r.stderr)
        check("shapes: 41 events", count(cairn, idx2) == 41, str(count(cairn, idx2)))
        stdin_text = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events[41:50])
        r = run([cairn, "--index", idx2, "ingest", "--quiet", "-"], input=stdin_text)
        check("stdin: 9 more events", r.returncode == 0 and count(cairn, idx2) == 50, r.stderr)

        # 4. _raw comes back byte for byte: compact lines exactly, pretty events as written.
        src = os.path.join(samples, "cloudtrail-sample.ndjson")
        lines = set(open(src, encoding="utf-8").read().splitlines())
        idx3 = os.path.join(tmp, "raw")
        run([cairn, "--index", idx3, "ingest", "--quiet", src])
        out = run([cairn, "--index", idx3, "search", "--quiet", "*"]).stdout.splitlines()
        check("raw: every event returned", len(out) == len(lines), f"{len(out)} vs {len(lines)}")
        check("raw: byte-for-byte equal to the input lines", set(out) == lines,
              str(len(set(out) ^ lines)) + " differ")
        esc = os.path.join(samples, "bad", "escapes.ndjson")
        idx4 = os.path.join(tmp, "esc")
        run([cairn, "--index", idx4, "ingest", "--quiet", esc])
        out = run([cairn, "--index", idx4, "search", "--quiet", "*"]).stdout.splitlines()
        want = [l for l in open(esc, encoding="utf-8").read().splitlines() if l.strip()]
        check("raw: escapes kept as written", sorted(out) == sorted(want), "\n".join(out))

        # 5. Segments: a small segment size gives several segments with the same answers.
        idx5 = os.path.join(tmp, "small-segments")
        run([cairn, "--index", idx5, "ingest", "--quiet", "--segment-rows", "300", src])
        info = run([cairn, "--index", idx5, "info"]).stdout
        check("segments: 7 segments of at most 300 events", "segments    7" in info, info[:300])
        for q in ["eventName=ConsoleLogin", "readOnly=false", "NOT userIdentity.sessionContext.attributes.creationDate=*"]:
            check(f"segments: same count for {q}", count(cairn, idx5, q) == count(cairn, idx3, q))

        # 5b. Two lanes: a file cut in two parts gives the same events, and an error in the
        # second part names the line of the whole file.
        idx_split = os.path.join(tmp, "split")
        r = run([cairn, "--index", idx_split, "ingest", "--quiet", "--split-bytes", "100000",
                 "--segment-rows", "500", src])
        check("two lanes: ingest succeeds", r.returncode == 0, r.stderr)
        for q in ["*", "eventName=ConsoleLogin", "readOnly=false", "NOT userIdentity.sessionContext.attributes.creationDate=*"]:
            check(f"two lanes: same count for {q}", count(cairn, idx_split, q) == count(cairn, idx3, q))
        out = run([cairn, "--index", idx_split, "search", "--quiet", "*"]).stdout.splitlines()
        check("two lanes: raw events equal the input lines", set(out) == lines and len(out) == len(lines))
        manifest = open(os.path.join(idx_split, "MANIFEST")).read()
        check("two lanes: the input is listed once, with all its events",
              manifest.count("\nsource ") == 1 and f" {len(lines)} " in manifest.split("\nsource ")[1], manifest)
        r = run([cairn, "--index", idx_split, "ingest", "--split-bytes", "100000", src])
        check("two lanes: a second ingest adds nothing", "already ingested" in r.stderr + r.stdout
              and count(cairn, idx_split) == len(lines), r.stderr)
        bad_big = os.path.join(tmp, "bad-big.ndjson")
        text = open(src, encoding="utf-8").read().splitlines()
        bad_line = len(text) * 3 // 4  # in the second half
        text[bad_line - 1] = '{"eventVersion": "1.08", broken'
        open(bad_big, "w", encoding="utf-8").write("\n".join(text) + "\n")
        idx_bad = os.path.join(tmp, "split-bad")
        r = run([cairn, "--index", idx_bad, "ingest", "--quiet", "--split-bytes", "100000", bad_big])
        check("two lanes: a bad line in the second part is reported with its line in the file",
              r.returncode == 1 and f"bad-big.ndjson:{bad_line}:" in r.stderr, r.stderr)
        check("two lanes: the other lines are ingested", count(cairn, idx_bad) == len(lines) - 1)

        r = run([cairn, "search", "--index", idx_split, "--count", "*"])
        check("--index after the command names the index", r.returncode == 0 and r.stdout.strip() == str(len(lines)),
              r.stderr)

        # 5c. An ingest that stops in the middle (killed after its second commit) resumes:
        # the second ingest adds exactly the missing events, for one lane and for two.
        for name, extra in (("one lane", []), ("two lanes", ["--split-bytes", "100000"])):
            idx_crash = os.path.join(tmp, "crash-" + name.replace(" ", "-"))
            r = run([cairn, "--index", idx_crash, "ingest", "--quiet", "--segment-rows", "300",
                     "--test-crash-after-commits", "2"] + extra + [src])
            partial = count(cairn, idx_crash)
            manifest = open(os.path.join(idx_crash, "MANIFEST")).read()
            check(f"crash ({name}): the process stopped with part of the events committed",
                  r.returncode == 75 and 0 < partial < len(lines) and "\npart " in manifest,
                  f"rc {r.returncode}, {partial} events\n{manifest}")
            r = run([cairn, "--index", idx_crash, "ingest", "--segment-rows", "300"] + extra + [src])
            check(f"crash ({name}): the next ingest resumes", r.returncode == 0 and "resumed" in r.stderr, r.stderr)
            out = run([cairn, "--index", idx_crash, "search", "--quiet", "*"]).stdout.splitlines()
            check(f"crash ({name}): every event once, none lost", len(out) == len(lines) and set(out) == lines,
                  f"{len(out)} events, {len(set(out))} distinct")
            manifest = open(os.path.join(idx_crash, "MANIFEST")).read()
            check(f"crash ({name}): the input is listed as done with all its events",
                  "\npart " not in manifest and manifest.count("\nsource ") == 1
                  and f" {len(lines)} " in manifest.split("\nsource ")[1], manifest)

        # 5c2. Text logs in two parts: the second part reads the header lines in force at its
        # start (the last #Fields of a CloudFront log, a VPC header line), so its fields are
        # named as in the whole file; a short line there is reported with its line in the file.
        cf = os.path.join(tmp, "split-cloudfront.log")
        cf_lines = ["#Version: 1.0",
                    "#Fields: date time x-edge-location c-ip cs-method cs-uri-stem sc-status"]
        cf_want = {}  # (method, status) -> count
        for i in range(1500):
            method, status = ("GET", "200") if i % 3 else ("PUT", "403")
            cf_lines.append(f"2025-03-01\t10:{i // 60 % 60:02d}:{i % 60:02d}\tIAD89-C1\t192.0.2.{i % 250}\t"
                            f"{method}\t/a/{i}.html\t{status}")
            cf_want[(method, status)] = cf_want.get((method, status), 0) + 1
        # A log concatenated with another of a different layout: the cut falls after this.
        cf_lines += ["#Version: 1.0", "#Fields: date time sc-status cs-method c-ip x-edge-location cs-uri-stem"]
        cf_bad = 0
        for i in range(3000):
            method, status = ("DELETE", "404") if i % 4 else ("POST", "201")
            if i == 2500:
                cf_lines.append("2025-03-02\tbroken")
                cf_bad = len(cf_lines)
                continue
            cf_lines.append(f"2025-03-02\t11:{i // 60 % 60:02d}:{i % 60:02d}\t{status}\t{method}\t"
                            f"198.51.100.{i % 250}\tFRA56-P2\t/b/{i}.js")
            cf_want[(method, status)] = cf_want.get((method, status), 0) + 1
        open(cf, "w", encoding="utf-8").write("\n".join(cf_lines) + "\n")
        cut = os.path.getsize(cf) // 2
        check("text parts: the cut falls after the second #Fields line",
              len("\n".join(cf_lines[:1504]).encode()) < cut)
        vpc = os.path.join(tmp, "split-vpc.log")
        vpc_lines = ["srcaddr dstaddr dstport action start version"]
        vpc_want = {"ACCEPT": 0, "REJECT": 0}
        for i in range(6000):
            action = "REJECT" if i % 7 == 0 else "ACCEPT"
            vpc_lines.append(f"10.0.{i % 200}.{i % 250} 172.16.0.{i % 100} {22 if i % 7 == 0 else 443} {action} "
                             f"{1740000000 + i} 5")
            vpc_want[action] += 1
        open(vpc, "w", encoding="utf-8").write("\n".join(vpc_lines) + "\n")
        idx_text = os.path.join(tmp, "split-text")
        r = run([cairn, "--index", idx_text, "ingest", "--split-bytes", "50000", cf, vpc])
        check("text parts: the short line in the second part is kept, with a warning naming its line in the file",
              r.returncode == 0 and f"split-cloudfront.log:line {cf_bad}: " in r.stderr
              and count(cairn, idx_text, "sourcetype=aws:cloudfront:accesslogs") == 4500, r.stderr)
        manifest = open(os.path.join(idx_text, "MANIFEST")).read()
        check("text parts: both logs listed once", manifest.count("\nsource ") == 2, manifest)
        for (method, status), n in sorted(cf_want.items()):
            q = f"sourcetype=aws:cloudfront:accesslogs cs_method={method} sc_status={status}"
            check(f"text parts: {q}", count(cairn, idx_text, q) == n, f"{count(cairn, idx_text, q)} vs {n}")
        for action, n in vpc_want.items():
            q = f"sourcetype=aws:cloudwatchlogs:vpcflow action={action} version=5"
            check(f"text parts: {q}", count(cairn, idx_text, q) == n, f"{count(cairn, idx_text, q)} vs {n}")
        out = run([cairn, "--index", idx_text, "search", "--quiet", "sourcetype=aws:cloudwatchlogs:vpcflow"])
        check("text parts: VPC raw lines come back as written",
              sorted(out.stdout.splitlines()) == sorted(vpc_lines[1:]))

        # 5d. Values match case-insensitively beyond ASCII too (Latin, Greek, Cyrillic).
        uni = os.path.join(tmp, "unicode.ndjson")
        names = ["José", "JOSÉ", "josé", "Ωmega", "ΩMEGA", "Дмитрий", "ДМИТРИЙ", "Łukasz", "jose"]
        with open(uni, "w", encoding="utf-8") as f:
            for i, n in enumerate(names):
                f.write(json.dumps({"eventVersion": "1.08", "eventTime": f"2025-01-01T00:00:0{i}Z",
                                    "eventName": "ConsoleLogin", "userIdentity": {"userName": n}},
                                   ensure_ascii=False) + "\n")
        idx_uni = os.path.join(tmp, "unicode")
        run([cairn, "--index", idx_uni, "ingest", "--quiet", uni])
        for q, term in (("userIdentity.userName=josé", "josé"), ("userIdentity.userName=ωmega", "ωmega"),
                        ("userIdentity.userName=дмитрий", "дмитрий"), ("ŁUKASZ", "łukasz"),
                        ("ДМИТ*", None), ("userIdentity.userName=JOS*", None)):
            if term is not None:
                want = sum(1 for n in names if n.lower() == term)
            else:
                prefix = q.split("=")[-1].rstrip("*").lower()
                want = sum(1 for n in names if n.lower().startswith(prefix))
            got = count(cairn, idx_uni, q)
            check(f"unicode case folding: {q}", got == want, f"{got} vs {want}")

        # 6. A damaged segment is reported by name, not read.
        seg = sorted(f for f in os.listdir(idx5) if f.endswith(".cseg"))[0]
        path = os.path.join(idx5, seg)
        data = bytearray(open(path, "rb").read())
        data[len(data) // 2] ^= 0xFF
        open(path, "wb").write(bytes(data))
        r = run([cairn, "--index", idx5, "search", "--count", "*"])
        r2 = run([cairn, "--index", idx5, "search", "--count", "eventName=ConsoleLogin"])
        r3 = run([cairn, "--index", idx5, "search", "--limit", "100000", "*"])
        r4 = run([cairn, "--index", idx5, "check"])
        check("corrupt segment: cairn check names it and exits 1", r4.returncode == 1 and seg in r4.stderr,
              r4.stderr + r4.stdout)
        silent = [x for x in (r, r2, r3) if x.returncode == 0]
        loud = [x for x in (r, r2, r3) if x.returncode != 0]
        check("corrupt segment: a search either answers or names the segment",
              all(seg in x.stderr for x in loud) and len(silent) + len(loud) == 3)
        # Damage the footer: every search must report the segment, never read garbage.
        data = bytearray(open(path, "rb").read())
        data[-30] ^= 0xFF
        open(path, "wb").write(bytes(data))
        r5 = run([cairn, "--index", idx5, "search", "--count", "*"])
        check("damaged footer: search fails naming the segment", r5.returncode == 1 and seg in r5.stderr,
              r5.stderr)

        # 7. Real logs from public repositories.
        shared = os.path.normpath(os.path.join(root, "..", "shared", "data"))
        if not os.path.isdir(shared):
            SKIPPED.append("shared data")
            print("skip real logs: ../shared/data is not present")
        else:
            ct = os.path.join(shared, "cloudtrail")
            extra = [os.path.join(shared, "elastic-beats"), os.path.join(shared, "panther-analysis")]
            paths = [ct] + [p for p in extra if os.path.isdir(p)]
            idx6 = os.path.join(tmp, "real")
            r = run([cairn, "--index", idx6, "ingest", "--quiet", *paths])
            expected = oracle_count(root, paths)
            got = count(cairn, idx6)
            check("real logs: count equals the oracle", got == expected, f"cairn={got} oracle={expected}")
            check("real logs: the invalid JSON file is reported",
                  "SerializerTestFileBadJsonFormat.json" in r.stderr, r.stderr[-500:])
            check("real logs: no crash", r.returncode in (0, 1), f"rc={r.returncode}")
            per_file = run([sys.executable, os.path.join(root, "testdata", "oracle.py"), "files", ct]).stdout
            stratus = [l for l in per_file.splitlines() if "stratus-red-team" in l]
            total = sum(int(l.split("\t")[1]) for l in stratus)
            got = count(cairn, idx6, 'source="*stratus-red-team*"')
            check("real logs: stratus-red-team count by source", got == total, f"cairn={got} oracle={total}")

        # 8. VPC flow logs: header and default layouts, byte-identical lines, bad lines named.
        lines = check_text_source(cairn, root, "vpc flow", os.path.join(root, "testdata", "samples", "vpcflow"),
                                  os.path.join(tmp, "vpc"), "aws:cloudwatchlogs:vpcflow",
                                  lambda l: l.startswith("version "))
        # A bad line in the middle, a gzipped copy and a line with two spaces.
        bad = os.path.join(tmp, "vpc-bad.log")
        good = [l for l in sorted(lines) if " NODATA" not in l and " SKIPDATA" not in l and len(l.split()) == 14][:3]
        with open(bad, "w") as f:
            f.write("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start "
                    "end action log-status\n")
            f.write(good[0] + "\n")
            f.write("2 123456789012 eni-1 10.0.0.1\n")
            f.write(good[1].replace(" ", "  ", 1) + "\n")
            f.write(good[2] + "\n")
        with open(bad, "rb") as f, gzip.open(os.path.join(tmp, "vpc-copy.log.gz"), "wb") as g:
            g.write(f.read().replace(b"eni-", b"eni-gz-"))
        idx9 = os.path.join(tmp, "vpc-bad")
        r = run([cairn, "--index", idx9, "ingest", "--quiet", bad, os.path.join(tmp, "vpc-copy.log.gz")])
        check("vpc flow: a short line is reported with file and line, exit 1",
              r.returncode == 1 and "vpc-bad.log:line 3:" in r.stderr and "4 fields" in r.stderr, r.stderr)
        check("vpc flow: the other lines are ingested, gzip too", count(cairn, idx9) == 6, str(count(cairn, idx9)))
        raw = run([cairn, "--index", idx9, "search", "--format", "raw", "source=*vpc-bad.log"]).stdout
        check("vpc flow: a line with two spaces comes back as it was",
              good[1].replace(" ", "  ", 1) in raw.splitlines(), raw)
        if os.path.isdir(shared):
            r = check_real_text_logs(cairn, root, "vpc flow", [
                os.path.join(shared, "vpcflow", "cribl", "extracted"),
                os.path.join(shared, "elastic-integrations", "packages", "aws", "data_stream", "vpcflow"),
                os.path.join(shared, "grafana-loki-lambda-promtail", "testdata", "vpcflowlog.log.gz")],
                os.path.join(tmp, "vpc-real"))
            check("vpc flow, real logs: a layout no header names is reported by line",
                  "test-v8-samples.log:line 1:" in r.stderr, r.stderr[-500:])

        # 9. CloudFront access logs: #Fields names the fields, lines come back byte for byte.
        check_text_source(cairn, root, "cloudfront", os.path.join(root, "testdata", "samples", "cloudfront"),
                          os.path.join(tmp, "cf"), "aws:cloudfront:accesslogs", lambda l: l.startswith("#"))
        if os.path.isdir(shared):
            r = check_real_text_logs(cairn, root, "cloudfront", [
                os.path.join(shared, "elastic-integrations", "packages", "aws", "data_stream", "cloudfront_logs"),
                os.path.join(shared, "grafana-loki-lambda-promtail", "testdata", "cloudfront.log.gz")],
                os.path.join(tmp, "cf-real"))
            check("cloudfront, real logs: the truncated line is kept, with a warning naming its line",
                  "warning: " in r.stderr and "test-cloudfront.log:line 14: a CloudFront log line of 31" in r.stderr
                  and "kept with the first 31" in r.stderr, r.stderr[-500:])
            raw = run([cairn, "--index", os.path.join(tmp, "cf-real"), "search", "--format", "raw",
                       "source=*test-cloudfront.log"]).stdout.splitlines()
            with open(os.path.join(shared, "elastic-integrations", "packages", "aws", "data_stream", "cloudfront_logs",
                                   "_dev", "test", "pipeline", "test-cloudfront.log")) as f:
                last = f.read().rstrip("\n").split("\n")[-1]
            check("cloudfront, real logs: the truncated line comes back as it was", last in raw, str(len(raw)))

        # A truncated .gz: the lines before the damage are in, none cut short.
        whole = "\n".join(lines) + "\n"
        packed = gzip.compress(whole.encode())
        cut = os.path.join(tmp, "vpc-cut.log.gz")
        with open(cut, "wb") as f:
            f.write(packed[: len(packed) * 2 // 3])
        idx15 = os.path.join(tmp, "vpc-cut")
        r = run([cairn, "--index", idx15, "ingest", "--quiet", cut])
        raw = run([cairn, "--index", idx15, "search", "--format", "raw", "--limit", "100000", "*"]).stdout.splitlines()
        check("vpc flow: a truncated .gz is reported, exit 1", r.returncode == 1 and "vpc-cut.log.gz" in r.stderr,
              r.stderr[-300:])
        check("vpc flow: a truncated .gz keeps its whole lines only",
              0 < len(raw) < len(lines) and set(raw) <= set(lines), f"{len(raw)} lines back")

        # A CloudFront log on a pipe whose first write is only its #Version line is still one.
        cf_text = open(os.path.join(root, "testdata", "samples", "cloudfront",
                                    "E2ABCDEF12345.2025-12-29-10.1a2b3c4d.log")).read()
        first, rest = cf_text.split("\n", 1)
        idx14 = os.path.join(tmp, "cf-pipe")
        p = subprocess.Popen([cairn, "--index", idx14, "ingest", "--quiet", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        p.stdin.write(first + "\n")
        p.stdin.flush()
        import time
        time.sleep(0.3)
        out, errs = p.communicate(input=rest, timeout=60)
        check("cloudfront from a pipe, #Version written first: recognised", p.returncode == 0 and
              count(cairn, idx14, 'sourcetype="aws:cloudfront:accesslogs"') == 200, errs[-300:])

        # 10. S3 server access logs: quoted and bracketed fields, lines byte for byte.
        check_text_source(cairn, root, "s3 access", os.path.join(root, "testdata", "samples", "s3access"),
                          os.path.join(tmp, "s3"), "aws:s3:accesslogs", lambda l: False)
        if os.path.isdir(shared):
            r = check_real_text_logs(cairn, root, "s3 access", [
                os.path.join(shared, "elastic-integrations", "packages", "aws", "data_stream", "s3access"),
                os.path.join(shared, "grafana-loki-lambda-promtail", "testdata", "s3accesslog.log"),
                os.path.join(shared, "panther-analysis", "extracted",
                             "test_scenario__compromised-root-creds__attacker_s3_access.s3access.log")],
                os.path.join(tmp, "s3-real"))
            check("s3 access, real logs: 24, 25 and 26 fields all ingest", r.returncode == 0, r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    line = f"{len(PASSED)} passed, {len(FAILED)} failed"
    if SKIPPED:
        line += f", {len(SKIPPED)} skipped"
    print(line)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
