#!/usr/bin/env python3
"""Writes testdata/samples/bad/: small malformed or unusual CloudTrail inputs (deterministic).

    python3 testdata/make_bad_samples.py [OUTDIR]     (default: testdata/samples/bad next to this file)

The good events inside come from gen_cloudtrail.py with fixed seeds; the damage is done by hand here,
so each file's expected count is known (see testdata/README.md and the table at the end).
"""

import gzip
import json
import os
import sys

sys.dont_write_bytecode = True      # keep testdata/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_cloudtrail  # noqa: E402


def events(seed, n):
    g = gen_cloudtrail.Generator(seed, gen_cloudtrail.parse_start("2025-12-01T00:00:00Z"), 30)
    return list(g.events(n))


def compact(ev):
    return json.dumps(ev, separators=(",", ":"), ensure_ascii=False)


def records(evs):
    return '{"Records":[' + ",".join(compact(e) for e in evs) + "]}\n"


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[0] if argv else os.path.join(here, "samples", "bad")
    os.makedirs(out, exist_ok=True)

    # truncated.json: a Records file cut in the middle of its 3rd event (no closing brackets).
    evs = events(101, 5)
    text = records(evs)
    cut = len('{"Records":[') + sum(len(compact(e)) + 1 for e in evs[:2]) + len(compact(evs[2])) // 2
    write(os.path.join(out, "truncated.json"), text[:cut])

    # bad-lines.ndjson: 5 good lines, 2 malformed lines (lines 6 and 7), 3 good lines.
    evs = events(102, 9)
    lines = [compact(e) for e in evs[:5]]
    lines.append(compact(evs[8])[:180])                       # line 6: object cut short
    lines.append('{"eventVersion":"1.11","eventName":"GetObject",}')  # line 7: trailing comma
    lines += [compact(e) for e in evs[5:8]]
    write(os.path.join(out, "bad-lines.ndjson"), "\n".join(lines) + "\n")

    # not-json.txt: plain text that merely mentions CloudTrail.
    write(os.path.join(out, "not-json.txt"),
          "This is not a CloudTrail log file.\n"
          "eventName=ConsoleLogin userIdentity.type=Root sourceIPAddress=203.0.113.7\n"
          "Records: none; see https://docs.aws.amazon.com/awscloudtrail/ for the format.\n")

    # digest.json: a CloudTrail digest file (integrity validation), not an event log.
    acct = gen_cloudtrail.ACCOUNT_MAIN
    prefix = "AWSLogs/%s/CloudTrail/us-east-1/2025/12/01/%s_CloudTrail_us-east-1_" % (acct, acct)
    digest = {
        "awsAccountId": acct,
        "digestStartTime": "2025-12-01T10:00:00Z",
        "digestEndTime": "2025-12-01T11:00:00Z",
        "digestS3Bucket": "cloudtrail-logs-" + acct,
        "digestS3Object": "AWSLogs/%s/CloudTrail-Digest/us-east-1/2025/12/01/%s_CloudTrail-Digest_us-east-1_"
                          "management-events_us-east-1_20251201T110000Z.json.gz" % (acct, acct),
        "digestPublicKeyFingerprint": "4ff1e1b5f2c3a8d7e6b9c0a1d2e3f405",
        "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": "2025-12-01T10:58:41Z",
        "oldestEventTime": "2025-12-01T10:01:12Z",
        "previousDigestS3Bucket": "cloudtrail-logs-" + acct,
        "previousDigestS3Object": "AWSLogs/%s/CloudTrail-Digest/us-east-1/2025/12/01/%s_CloudTrail-Digest_us-east-1_"
                                  "management-events_us-east-1_20251201T100000Z.json.gz" % (acct, acct),
        "previousDigestHashValue": "9c1d4b2e" * 8,
        "previousDigestHashAlgorithm": "SHA-256",
        "previousDigestSignature": "3a7f" * 64,
        "logFiles": [
            {"s3Bucket": "cloudtrail-logs-" + acct, "s3Object": prefix + "20251201T1015Z_Q2w3E4r5T6y7U8i9.json.gz",
             "hashValue": "1f2e3d4c" * 8, "hashAlgorithm": "SHA-256",
             "newestEventTime": "2025-12-01T10:14:55Z", "oldestEventTime": "2025-12-01T10:01:12Z"},
            {"s3Bucket": "cloudtrail-logs-" + acct, "s3Object": prefix + "20251201T1100Z_Z9x8C7v6B5n4M3l2.json.gz",
             "hashValue": "aa55bb66" * 8, "hashAlgorithm": "SHA-256",
             "newestEventTime": "2025-12-01T10:58:41Z", "oldestEventTime": "2025-12-01T10:40:03Z"},
        ],
    }
    write(os.path.join(out, "digest.json"), compact(digest) + "\n")

    # truncated.json.gz: a gzip of a small one-line Records file, cut to half its bytes.
    evs = events(103, 4)
    gz = gzip.compress(records(evs).encode("utf-8"), compresslevel=9, mtime=0)
    with open(os.path.join(out, "truncated.json.gz"), "wb") as f:
        f.write(gz[: len(gz) // 2])

    # pretty.json: a pretty-printed JSON array of 3 events.
    evs = events(104, 3)
    write(os.path.join(out, "pretty.json"), json.dumps(evs, indent=2, ensure_ascii=False) + "\n")

    # single.json: one event object, pretty-printed.
    evs = events(105, 1)
    write(os.path.join(out, "single.json"), json.dumps(evs[0], indent=4, ensure_ascii=False) + "\n")

    # escapes.ndjson: 3 events written with JSON escapes in the text: \/ for every slash, \u00e9 for é
    # (ensure_ascii), plus \" \\ \t \n, a surrogate pair (U+1F600) and a needless \u0041 ("A").
    evs = events(106, 3)
    evs[0]["userAgent"] = "outil-sécurité/2.1 python-requests/2.32.3"
    evs[1]["userAgent"] = 'Mozilla/5.0 "quoted" C:\\Temp\\agent\tv1'
    evs[2]["userAgent"] = "bot 😀 rapport\nline2"
    lines = []
    for e in evs:
        s = json.dumps(e, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")
        lines.append(s)
    lines[2] = lines[2].replace('"eventVersion":"1.', '"eventVersion":"\\u0031.', 1)
    lines[0] = lines[0].replace('"awsRegion":"', '"\\u0061wsRegion":"', 1)
    write(os.path.join(out, "escapes.ndjson"), "\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
