#!/usr/bin/env python3
"""timechart, chart, transaction, top/rare useother, the stats functions, fieldsummary, addinfo,
fieldformat, rex mode=sed, dedup sortby, sort ip() and bin, end to end against an oracle.

The test writes its own CloudTrail-shaped NDJSON (a fixed seed; 1,200 random events over three
days with a quiet gap, plus a few planted events for the transaction and sparkline rules),
ingests it with `cairn ingest`, runs each query with `cairn search --quiet --format csv` and
compares the CSV with the rows that the independent Python oracle below computes. The oracle
is written from docs/query-language.md (the rows of the commands above) and, where that page is
silent, from Splunk's Search Reference; never from cairn's source or output. The CSV rules are
those of tests/queries/README.md: a header of the columns (leaving out a column no row has a
value for), a `_time` column as 2025-12-29T19:59:23Z (other times stay epoch seconds), multivalue
cells joined with `,`, RFC 4180 quoting only for cells holding `,` `"` or a line break, numbers
as integers when whole and else in the shortest form of at most 15 significant digits, top/rare
percentages with 6 decimals.

Comparison modes, per check (the name says which when it is not `ordered`):
  ordered  the exact text (the docs define the row and column order);
  sorted   same header, same rows in any order (the docs leave the row order open);
  colset   same set of columns and same cells by column name, rows in order (timechart/chart
           with several aggregations and `by`: the docs do not order the `AGG: value` columns
           of different aggregations);
  grouped  rows compared after a stable sort on the first column (top ... by g: the docs
           order the rows inside a group, not the groups);
  ~        cells computed with a square root, a division or an interpolation (stdev, var,
           avg, percentiles, rate, mean) may differ from the exactly rounded value by 1e-12
           relative; every other cell is compared as text.

The oracle also checks that the data has no ties the docs leave open (equal counts at a top or
limit boundary, a maxspan/maxpause gap exactly equal to the limit, ...); a tie is reported as a
failure of the data, not of cairn.

    python3 tests/e2e/test_charts.py --cairn build/cairn --root . [--keep DIR] [-v] [-k TEXT] [--break-one]

--keep writes the data, the index and each check's expected and printed CSV to DIR; -k runs only
the checks whose name or query holds TEXT; --break-one changes one expected cell (the second
check must then fail). A last check also feeds a wrong cell to the comparison and must see it fail.

Ends with `N passed, M failed`; exit status 1 on any failure. Python 3.11 standard library only.
"""
import argparse
import csv
import io
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from fractions import Fraction
from functools import cmp_to_key

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib  # noqa: E402
from e2e_lib import check  # noqa: E402

SEED = 20251201
T0 = 1764547200  # 2025-12-01T00:00:00Z
DAY = 86400
GAP = (T0 + DAY + 3 * 3600, T0 + DAY + 6 * 3600)  # 2025-12-02 03:00-06:00: no events (empty buckets)


class Ambiguous(Exception):
    """The data hits a case the docs leave open: fix the data, not the oracle."""


# ---------------------------------------------------------------------------------------------
# The data
# ---------------------------------------------------------------------------------------------

EVENT_NAMES = [  # exact counts, all different (no ties for top/rare/limit)
    ("GetObject", "s3", 300), ("PutObject", "s3", 200), ("ListBuckets", "s3", 150),
    ("DescribeInstances", "ec2", 120), ("AssumeRole", "sts", 100), ("ConsoleLogin", "signin", 90),
    ("GetCallerIdentity", "sts", 70), ("DeleteObject", "s3", 55), ("CreateUser", "iam", 40),
    ("AttachUserPolicy", "iam", 30), ("StopInstances", "ec2", 20), ("RunInstances", "ec2", 15),
    ("DeleteBucket", "s3", 10),
]
REGIONS = [("us-east-1", 500), ("us-west-2", 300), ("eu-west-1", 200), ("ap-southeast-1", 120), ("eu-central-1", 80)]
USERS = [("alice", 260), ("bob", 220), ("carol", 180), ("dave", 140), ("erin", 110), ("frank", 90), ("grace", 60),
         (None, 140)]
IPS = [("10.0.0.9", 90), ("10.0.0.10", 80), ("10.0.0.100", 40), ("9.8.7.6", 70), ("192.168.1.2", 60),
       ("192.168.1.10", 50), ("100.64.0.1", 45), ("203.0.113.25", 85), ("203.0.113.200", 35),
       ("54.160.33.102", 120), ("3.3.3.3", 30), ("172.16.5.4", 55), ("2001:db8::1", 40), ("2001:db8::a", 25),
       ("ec2.amazonaws.com", 100), ("s3.amazonaws.com", 110), ("AWS Internal", 165)]
AGENTS = [("aws-cli/2.15.0 Python/3.11", 500), ('Boto3/1.34.0 "custom, agent"', 300), ("console.amazonaws.com", 250),
          ("AWS Internal", 150)]
ERRORS = [("AccessDenied", 100), ("NoSuchKey", 50), ("ThrottlingException", 30)]
TAGS = ["prod", "dev", "web", "db", "pci"]
N_RANDOM = 1200


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def exact_list(rng, spec):
    out = [v for v, n in spec for _ in range(n)]
    assert len(out) == N_RANDOM, (spec, len(out))
    rng.shuffle(out)
    return out


def base_event(t, eid, name, source, region, user, ip, agent, latency, counter):
    ev = {"eventVersion": "1.10",
          "userIdentity": ({"type": "IAMUser", "accountId": "398985017225", "userName": user,
                            "arn": "arn:aws:iam::398985017225:user/" + user} if user else
                           {"type": "AssumedRole", "accountId": "398985017225"}),
          "eventTime": iso(t), "eventSource": source + ".amazonaws.com" if "." not in source else source,
          "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": agent,
          "eventID": eid, "readOnly": False, "eventType": "AwsApiCall"}
    extra = {}
    if latency is not None:
        extra["latencyMs"] = latency
    extra["requestCount"] = counter
    ev["additionalEventData"] = extra
    return ev


def generate():
    """The events in time order (JSON objects as written to the file)."""
    rng = random.Random(SEED)
    planted_txn = [  # (offset from 2025-12-03T20:00:00Z, user): the connected=true rule
        (0, "zoe"), (100, "yuri"), (200, None), (300, "zoe"), (400, None)]
    t_txn = T0 + 2 * DAY + 20 * 3600
    planted_spark = []  # (time, group, latency): per-hour counts g1 2,0,2 and g2 3,0,3,3
    h = T0 + 10 * 3600
    for grp, per_hour in (("g1", [2, 0, 2]), ("g2", [3, 0, 3, 3])):
        for k, n in enumerate(per_hour):
            for j in range(n):
                planted_spark.append((h + k * 3600 + 600 + j * 97 + (0 if grp == "g1" else 1500), grp, 8))
    reserved = {t_txn + o for o, _ in planted_txn} | {t for t, _, _ in planted_spark}
    pool = [t for t in range(T0 + 30, T0 + 3 * DAY - 30) if not (GAP[0] <= t < GAP[1]) and t not in reserved]
    times = sorted(rng.sample(pool, N_RANDOM))
    names = exact_list(rng, [((n, s), c) for n, s, c in EVENT_NAMES])
    regions = exact_list(rng, REGIONS)
    users = exact_list(rng, USERS)
    ips = exact_list(rng, IPS)
    agents = exact_list(rng, AGENTS)
    errors = exact_list(rng, ERRORS + [(None, N_RANDOM - sum(n for _, n in ERRORS))])
    rows = []
    for i, t in enumerate(times):
        (name, source) = names[i]
        latency = None if rng.random() < 0.1 else rng.randint(1, 2000) / 4
        rows.append((t, name, source, regions[i], users[i], ips[i], agents[i], errors[i], latency))
    for o, user in planted_txn:
        rows.append((t_txn + o, "GetCallerIdentity", "planted.example.com", "us-east-1", user, "3.3.3.3",
                     "aws-cli/2.15.0 Python/3.11", None, 5.0 + o / 4))
    for t, grp, lat in planted_spark:
        rows.append((t, "PutBucketPolicy", "spark.example.com", "us-east-1", None, "3.3.3.3",
                     "aws-cli/2.15.0 Python/3.11", None, float(lat), grp))
    rows.sort(key=lambda r: r[0])
    events, counter = [], 0
    for i, r in enumerate(rows):
        t, name, source, region, user, ip, agent, err, latency = r[:9]
        counter += rng.randint(1, 9)
        ev = base_event(t, "44444444-0000-4000-8000-%012d" % (i + 1), name, source, region, user, ip, agent,
                        latency, counter)
        if err:
            ev["errorCode"] = err
            ev["errorMessage"] = "error " + err
        if name in ("GetObject", "PutObject", "DeleteObject"):
            n = rng.randint(1, 999)
            key = rng.choice([f"logs/2025/12/{1 + (t - T0) // DAY:02d}/app-{n}.log", f"img/user-{n}.png",
                              f"data/exports/batch_{n}.csv"])
            ev["requestParameters"] = {"bucketName": rng.choice(["corp-logs", "corp-img", "corp-data"]), "key": key}
            if name != "DeleteObject":
                ev["additionalEventData"]["bytesTransferredOut"] = rng.randint(1000, 9999)
            ev["resources"] = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::" + key}]
        if len(r) > 9:
            ev["requestParameters"] = {"group": r[9]}
        if source not in ("planted.example.com", "spark.example.com") and rng.random() < 0.2:
            ev["tags"] = rng.sample(TAGS, rng.randint(1, 3))
        events.append(ev)
    return events


def flatten(value, path, out):
    """The fields as cairn names them (dotted paths, `{}` for arrays; null and {} absent)."""
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, path + "." + k if path else k, out)
    elif isinstance(value, list):
        for v in value:
            flatten(v, path + "{}", out)
    elif value is not None:
        out.setdefault(path, []).append(value)


class RawFloat(float):
    """A JSON number with a fraction part, as the event holds it: a field value shows its JSON
    text (Splunk extracts field values from the raw text: 310.0 stays 310.0); what a command
    computes from it is a new number (printed by the CSV number rule)."""

    def __new__(cls, value, source):
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


def raw_numbers(v):
    if isinstance(v, float):
        return RawFloat(v, json.dumps(v))
    if isinstance(v, dict):
        return {k: raw_numbers(x) for k, x in v.items()}
    if isinstance(v, list):
        return [raw_numbers(x) for x in v]
    return v


def to_row(ev):
    fields = {}
    flatten(raw_numbers(ev), "", fields)
    row = {k: (v[0] if len(v) == 1 else v) for k, v in fields.items()}
    when = datetime.strptime(ev["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    row["_time"] = int(when.timestamp())
    return row


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------

def vals(row, f):
    """The values of field f in a row, as a list (empty when absent)."""
    v = row.get(f)
    if v is None:
        return []
    return list(v) if isinstance(v, list) else [v]


def isnum(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


NUMERIC_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def numval(v):
    """The number a value stands for, or None. Field values are text in Splunk, so a JSON string
    that reads as a number ("398985017225") is a number too ("All of the values are processed as
    numbers, and any nonnumeric values are ignored")."""
    if isnum(v):
        return Fraction(v)
    if isinstance(v, str) and NUMERIC_TEXT.fullmatch(v):
        return Fraction(v)
    return None


def fmtnum(x):
    if isinstance(x, Fraction):
        x = float(x) if x.denominator != 1 else int(x)
    if isinstance(x, int):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return "%.15g" % x


def text(v):
    """A value as a CSV cell shows it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, RawFloat):
        return v.source
    if isnum(v) or isinstance(v, Fraction):
        return fmtnum(v)
    return str(v)


def eq(row, f, value):
    """The search `f=value` (values match case-insensitively)."""
    return any(str(v).lower() == value.lower() for v in vals(row, f))


def has(row, f):
    return row.get(f) is not None


# ---------------------------------------------------------------------------------------------
# stats functions (docs/query-language.md, the `stats` row)
# ---------------------------------------------------------------------------------------------

def numbers(rows, f):
    return [numval(v) for r in rows for v in vals(r, f) if numval(v) is not None]


def variance(xs, sample):
    n = len(xs)
    if n == 0:
        return None
    if sample and n == 1:
        return Fraction(0)  # "0 for one value"
    m = sum(xs) / n
    return sum((x - m) ** 2 for x in xs) / (n - 1 if sample else n)


def percentile(xs, p):
    """Exact, by linear interpolation between the closest ranks (perc95 of 1..10 is 9.55)."""
    if not xs:
        return None
    a = sorted(xs)
    rank = Fraction(p) / 100 * (len(a) - 1)
    lo = math.floor(rank)
    if lo + 1 >= len(a):
        return a[-1]
    return a[lo] + (a[lo + 1] - a[lo]) * (rank - lo)


def agg(fn, f, rows):
    """One aggregation over rows given in search order (newest first). Returns a value or None."""
    if fn in ("count", "c"):
        return len(rows) if f is None else sum(len(vals(r, f)) for r in rows)
    if fn in ("dc", "distinct_count", "estdc"):
        return len({text(v) for r in rows for v in vals(r, f)})
    if fn == "values":
        s = sorted({text(v) for r in rows for v in vals(r, f)})
        return s or None
    if fn == "list":
        s = [text(v) for r in rows for v in vals(r, f)][:100]
        return s or None
    if fn in ("earliest", "latest", "earliest_time", "latest_time", "rate"):
        having = sorted((r for r in rows if vals(r, f)), key=lambda r: r["_time"])
        if not having:
            return None
        first, last = having[0], having[-1]
        if fn == "earliest":
            return vals(first, f)[0]
        if fn == "latest":
            return vals(last, f)[0]
        if fn == "earliest_time":
            return first["_time"]
        if fn == "latest_time":
            return last["_time"]
        if last["_time"] == first["_time"]:
            raise Ambiguous(f"rate({f}) over one time")
        return Fraction(vals(last, f)[0] - vals(first, f)[0]) / (last["_time"] - first["_time"])
    if fn == "first":
        return next((vals(r, f)[0] for r in rows if vals(r, f)), None)
    if fn == "last":
        return next((vals(r, f)[0] for r in reversed(rows) if vals(r, f)), None)
    if fn == "mode":
        counts, order = {}, []
        for r in rows:
            for v in vals(r, f):
                k = text(v)
                if k not in counts:
                    order.append(k)
                counts[k] = counts.get(k, 0) + 1
        if not counts:
            return None
        best = max(counts.values())
        if sum(1 for k in order if counts[k] == best) > 1:
            raise Ambiguous(f"mode({f}) has a tie")  # documented (first seen), but kept out of the data
        return next(k for k in order if counts[k] == best)
    xs = numbers(rows, f)
    if not xs:
        return None
    if fn in ("avg", "mean"):
        return sum(xs) / len(xs)
    if fn == "sum":
        return sum(xs)
    if fn == "sumsq":
        return sum(x * x for x in xs)
    if fn == "min":
        return min(xs)
    if fn == "max":
        return max(xs)
    if fn == "range":
        return max(xs) - min(xs)
    if fn in ("var", "varp"):
        return variance(xs, fn == "var")
    if fn in ("stdev", "stdevp"):
        return math.sqrt(variance(xs, fn == "stdev"))
    if fn == "median":
        return sorted(xs)[len(xs) // 2]  # odd: the middle; even: the higher of the two middle values
    m = re.fullmatch(r"(?:perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)", fn)
    if m:
        return percentile(xs, Fraction(m.group(1)))
    raise ValueError(fn)


def agg_name(fn, f):
    return fn if f is None else f"{fn}({f})"


class A:
    """An aggregation term: fn, field, output name."""

    def __init__(self, fn, f=None, as_=None):
        self.fn, self.f, self.name = fn, f, as_ or agg_name(fn, f)

    def __call__(self, rows):
        return agg(self.fn, self.f, rows)


def stats(rows, aggs, by=()):
    """Rows lacking a by-field are left out; a multivalue by-field puts a row in one group per
    value; groups sorted by the by-values."""
    groups = {}
    for r in rows:
        keys = [[]]
        for b in by:
            vs = vals(r, b)
            keys = [k + [v] for k in keys for v in vs]
        for k in keys:
            groups.setdefault(tuple(text(v) for v in k), ([v for v in k], []))[1].append(r)
    out = []
    for key in sorted(groups, key=lambda k: tuple(auto_key(v) for v in groups[k][0])):
        kv, grows = groups[key]
        row = {b: v for b, v in zip(by, kv)}
        for a in aggs:
            row[a.name] = a(grows)
        out.append(row)
    if not by and not out:
        out = [{a.name: a([]) for a in aggs}]
    return out, list(by) + [a.name for a in aggs]


def sparkline(rows, fn, f, span, all_rows):
    """FN per bucket of SPAN, one block per bucket from the first row's bucket to the last's
    (the rows of the command: every group's sparkline covers the same time axis, as Splunk's
    sparklines all cover the search's range; only the scale is the group's own), scaled to the
    group's largest bucket, a blank for none. The test's buckets hold either the group's largest
    value or nothing, so only full blocks and blanks occur (the scaling of the others is open)."""
    buckets = {}
    for r in rows:
        buckets.setdefault(r["_time"] // span * span, []).append(r)
    lo = min(r["_time"] for r in all_rows) // span * span
    hi = max(r["_time"] for r in all_rows) // span * span
    values = {b: agg(fn, f, rs) for b, rs in buckets.items()}
    top = max(values.values())
    out = ""
    for b in range(lo, hi + span, span):
        if b not in values:
            out += " "
        elif values[b] == top:
            out += "\u2588"
        else:
            raise Ambiguous("a sparkline bucket below the largest")
    return out


# ---------------------------------------------------------------------------------------------
# bin, timechart, chart
# ---------------------------------------------------------------------------------------------

TIME_SPANS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 43200, DAY, 7 * DAY, 30 * DAY, 365 * DAY]


def pick_span(lo, hi, bins, candidates):
    """The smallest candidate giving at most `bins` buckets. The docs leave the count open
    between floor(hi/S)-floor(lo/S)+1 and ceil((hi-lo)/S): the data must make both agree."""
    def first(count):
        return next(s for s in candidates if count(s) <= bins)
    a = first(lambda s: math.floor(hi / s) - math.floor(lo / s) + 1)
    b = first(lambda s: max(1, math.ceil((hi - lo) / s)))
    if a != b:
        raise Ambiguous(f"bins={bins} over {lo}..{hi}: span {a} or {b}")
    return a


def bin_rows(rows, field, span=None, bins=None, as_=None):
    out_f = as_ or field
    out = []
    if field == "_time":
        ts = [r["_time"] for r in rows]
        s = span or pick_span(min(ts), max(ts), bins or 100, TIME_SPANS)
        for r in rows:
            r = dict(r)
            r[out_f] = r["_time"] // s * s
            out.append(r)
        return out
    nums = [numval(v) for r in rows for v in vals(r, field) if numval(v) is not None]
    if span is None:
        cands = [Fraction(10) ** k for k in range(-6, 12)]
        span = pick_span(min(nums), max(nums), bins or 100, cands)
    span = Fraction(span)
    for r in rows:
        r = dict(r)
        v = numval(r.get(field))
        if v is not None:
            lo = math.floor(v / span) * span
            r[out_f] = f"{fmtnum(lo)}-{fmtnum(lo + span)}"
        else:
            r.pop(out_f, None)
        out.append(r)
    return out


def rank_series(totals, limit):
    """The kept series: `limit` values with the largest sums (limit=0: all; ('bottom', N): the
    smallest), ties in lexicographic order. Returns them in lexicographic order."""
    names = sorted(totals)
    if limit == 0:
        return names
    bottom = isinstance(limit, tuple)
    n = limit[1] if bottom else limit
    if n >= len(names):
        return names
    ordered = sorted(names, key=lambda v: (totals[v] if bottom else -totals[v], v))
    if totals[ordered[n - 1]] == totals[ordered[n]]:
        raise Ambiguous(f"a tie at the limit: {ordered[n - 1]} {ordered[n]}")  # documented, kept out of the data
    return sorted(ordered[:n])


def split_series(rows, cells, aggs, by, limit, useother, usenull, otherstr, nullstr, sep, fmt):
    """What timechart and chart share: `cells` maps a row to its cell key (bucket or X value).
    Returns {cellkey: {column: value}} and the column names."""
    per = {}  # (series, cell) -> rows
    nulls = False
    for r in rows:
        vs = [text(v) for v in vals(r, by)]
        if not vs:
            nulls = True
            vs = [None]
        for v in vs:
            per.setdefault((v, cells(r)), []).append(r)
    series = sorted({s for s, _ in per if s is not None})
    first = aggs[0]
    totals = {}
    for s in series:
        totals[s] = sum(Fraction(x) for (ss, c), rs in per.items() if ss == s for x in [first(rs)] if x is not None)
    kept = rank_series(totals, limit)
    other = [s for s in series if s not in kept]
    groups = [(s, [s]) for s in kept]
    if nulls and usenull:
        groups.append((nullstr, [None]))
    if other and useother:
        groups.append((otherstr, other))
    table, columns = {}, []
    for a in aggs:
        for label, members in groups:
            col = label if len(aggs) == 1 else (fmt.replace("$AGG$", a.name).replace("$VAL$", label) if fmt
                                               else a.name + sep + label)
            columns.append((col, a))
            cellrows = {}
            for (s, c), rs in per.items():
                if s in members:
                    cellrows.setdefault(c, []).extend(rs)
            for c, rs in cellrows.items():
                rs.sort(key=lambda r: -r["_time"])
                table.setdefault(c, {})[col] = a(rs)
    return table, columns


def timechart(rows, aggs, span=None, bins=None, by=None, limit=10, useother=True, usenull=True, otherstr="OTHER",
              nullstr="NULL", sep=": ", fmt=None, cont=True):
    ts = [r["_time"] for r in rows]
    s = span or pick_span(min(ts), max(ts), bins or 100, TIME_SPANS)
    bucket = lambda r: r["_time"] // s * s  # noqa: E731
    present = sorted({bucket(r) for r in rows})
    keys = list(range(present[0], present[-1] + s, s)) if cont else present
    if by is None:
        out = []
        for b in keys:
            rs = [r for r in rows if bucket(r) == b]
            row = {"_time": b}
            for a in aggs:
                v = a(rs) if rs else None
                row[a.name] = 0 if v is None and a.fn in ZERO_WHEN_EMPTY else v
            out.append(row)
        return out, ["_time"] + [a.name for a in aggs]
    table, columns = split_series(rows, bucket, aggs, by, limit, useother, usenull, otherstr, nullstr, sep, fmt)
    return fill(keys, table, columns, "_time")


ZERO_WHEN_EMPTY = ("count", "c", "dc", "distinct_count", "estdc")  # "An empty count or dc cell is 0"


def fill(keys, table, columns, keyname):
    out = []
    for k in keys:
        row = {keyname: k}
        for c, a in columns:
            v = table.get(k, {}).get(c)
            row[c] = 0 if v is None and a.fn in ZERO_WHEN_EMPTY else v
        out.append(row)
    return out, [keyname] + [c for c, _ in columns]


def chart(rows, aggs, over=None, by=None, limit=10, useother=True, usenull=True, otherstr="OTHER", nullstr="NULL",
          sep=": ", fmt=None):
    if over is None:
        return stats(rows, aggs)
    rows = [r for r in rows if vals(r, over)]
    if len(rows) != sum(1 for r in rows if len(vals(r, over)) == 1):
        raise Ambiguous("multivalue X")
    xs = sorted({text(vals(r, over)[0]) for r in rows})
    if by is None:
        out = []
        for x in xs:
            rs = [r for r in rows if text(vals(r, over)[0]) == x]
            out.append({over: x, **{a.name: a(rs) for a in aggs}})
        return out, [over] + [a.name for a in aggs]
    table, columns = split_series(rows, lambda r: text(vals(r, over)[0]), aggs, by, limit, useother, usenull,
                                  otherstr, nullstr, sep, fmt)
    return fill(xs, table, columns, over)


# ---------------------------------------------------------------------------------------------
# top / rare, sort, dedup, rex mode=sed, fieldsummary, transaction
# ---------------------------------------------------------------------------------------------

def top(rows, field, n=10, by=None, useother=False, otherstr="OTHER", rare=False):
    groups = {}
    for r in rows:
        if by is not None and not vals(r, by):
            continue
        g = text(vals(r, by)[0]) if by is not None else None
        groups.setdefault(g, []).append(r)
    out = []
    for g in sorted(groups, key=lambda x: (x is None, x)):
        counts = {}
        for r in groups[g]:
            for v in vals(r, field):
                counts[text(v)] = counts.get(text(v), 0) + 1
        total = sum(counts.values())
        order = sorted(counts, key=lambda v: counts[v] if rare else -counts[v])
        shown = order if n == 0 else order[:n]
        cs = [counts[v] for v in order[:len(shown) + 1]]
        if len(set(cs)) != len(cs):
            raise Ambiguous(f"top/rare tie in group {g}: {cs}")
        for v in shown:
            row = {} if by is None else {by: g}
            row.update({field: v, "count": counts[v], "percent": "%.6f" % (counts[v] * 100.0 / total)})
            out.append(row)
        rest = sum(counts[v] for v in order[len(shown):])
        if useother and rest:
            row = {} if by is None else {by: g}
            row.update({field: otherstr, "count": rest, "percent": "%.6f" % (rest * 100.0 / total)})
            out.append(row)
    return out, ([by] if by else []) + [field, "count", "percent"]


def ipv4(v):
    m = re.fullmatch(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})", str(v))
    if not m or any(int(x) > 255 for x in m.groups()):
        return None
    return tuple(int(x) for x in m.groups())


def auto_key(v):
    """auto: numbers (numerically) before text (lexicographic, byte order)."""
    n = v if isinstance(v, Fraction) else numval(v)
    if n is not None:
        return (0, n, "")
    return (1, 0, str(v).encode())


def sort_key(v, kind):
    if kind == "ip":
        a = ipv4(v)
        return (0, a, ()) if a is not None else (1, (), auto_key(v))
    if kind == "str":
        return (0, text(v).encode())
    if kind == "num":
        return (0, numval(v), "") if numval(v) is not None else (1, 0, text(v).encode())
    return auto_key(v)


def sort_rows(rows, keys):
    """keys: [(field, descending, kind)]. Missing values last in either direction."""
    def cmp(a, b):
        for f, desc, kind in keys:
            va, vb = vals(a, f), vals(b, f)
            if not va or not vb:
                if va or vb:
                    return -1 if va else 1
                continue
            ka, kb = sort_key(va[0], kind), sort_key(vb[0], kind)
            if ka != kb:
                return (-1 if ka < kb else 1) * (-1 if desc else 1)
        return 0
    out = sorted(rows, key=cmp_to_key(cmp))
    for x, y in zip(out, out[1:]):
        if cmp(x, y) == 0:
            raise Ambiguous("a sort tie")
    return out


def dedup(rows, fields, n=1, sortby=None):
    seen, out = {}, []
    for r in rows:
        if any(not vals(r, f) for f in fields):
            continue
        k = tuple(text(vals(r, f)[0]) for f in fields)
        seen[k] = seen.get(k, 0) + 1
        if seen[k] <= n:
            out.append(r)
    return sort_rows(out, sortby) if sortby else out


def sed(expr):
    """rex mode=sed: "s/REGEX/REPLACEMENT/FLAGS" or "y/abc/xyz/"; the delimiter is the
    character after s or y, and a backslash before it makes it literal."""
    cmd, d = expr[0], expr[1]
    parts, cur, i = [], "", 2
    while i < len(expr):
        c = expr[i]
        if c == "\\" and i + 1 < len(expr) and expr[i + 1] == d:
            cur += d
            i += 2
            continue
        if c == d:
            parts.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    parts.append(cur)
    if cmd == "y":
        src, dst = parts[0], parts[1]
        table = str.maketrans(src, dst)
        return lambda s: s.translate(table)
    pattern, repl, flags = re.compile(parts[0]), parts[1], parts[2]
    pyrepl = re.sub(r"\\([1-9])", r"\\g<\1>", repl)

    def apply(s):
        if flags == "g":
            return pattern.sub(pyrepl, s)
        nth = int(flags) if flags else 1
        for k, m in enumerate(pattern.finditer(s), 1):
            if k == nth:
                return s[:m.start()] + m.expand(pyrepl) + s[m.end():]
        return s
    return apply


def rex_sed(rows, field, expr):
    fn = sed(expr)
    out = []
    for r in rows:
        r = dict(r)
        if isinstance(r.get(field), str):
            r[field] = fn(r[field])
        out.append(r)
    return out


def wildcard(pattern, name):
    return re.fullmatch(".*".join(re.escape(p) for p in pattern.split("*")), name) is not None


def fieldsummary(rows, patterns=(), maxvals=100, values_compared=True):
    names = sorted({f for r in rows for f in r if not f.startswith("_")})
    if patterns:
        names = [f for f in names if any(wildcard(p, f) for p in patterns)]
    out = []
    for f in names:
        having = [r for r in rows if vals(r, f)]
        allv = [v for r in having for v in vals(r, f)]
        counts, order = {}, []
        for v in allv:
            k = text(v)
            if k not in counts:
                order.append(k)
            counts[k] = counts.get(k, 0) + 1
        nums = [numval(v) for v in allv if numval(v) is not None]
        ranked = sorted(order, key=lambda k: -counts[k])
        shown = ranked if maxvals == 0 else ranked[:maxvals]
        cs = [counts[k] for k in ranked[:len(shown) + 1]]
        if values_compared and len(set(cs)) != len(cs):
            raise Ambiguous(f"fieldsummary {f}: equal counts in values")
        out.append({"field": f, "count": len(having), "distinct_count": len(counts), "is_exact": 1,
                    "max": max(nums) if nums else None,
                    "mean": sum(nums) / len(nums) if nums else None,
                    "min": min(nums) if nums else None, "numeric_count": len(nums),
                    "stdev": math.sqrt(variance(nums, True)) if nums else None,
                    "values": json.dumps([{"value": k, "count": counts[k]} for k in shown], separators=(",", ":"))})
    return out, ["field", "count", "distinct_count", "is_exact", "max", "mean", "min", "numeric_count", "stdev",
                 "values"]


def transaction(rows, fields, maxspan=None, maxpause=None, maxevents=1000, startswith=None, endswith=None,
                keepevicted=False, mvlist=False):
    """docs/query-language.md, the `transaction` row. Events are taken oldest first."""
    evs = sorted(rows, key=lambda r: r["_time"])
    open_, done = {}, []

    def close(key, closed):
        txn = open_.pop(key)
        txn["closed"] = closed
        done.append(txn)

    def breaks(txn, e):
        t = e["_time"]
        for lim, gap in ((maxspan, t - txn["events"][0]["_time"]), (maxpause, t - txn["events"][-1]["_time"])):
            if lim is not None and lim >= 0 and gap == lim:
                raise Ambiguous("a gap equal to maxspan/maxpause")
            if lim is not None and lim >= 0 and gap > lim:
                return True
        return maxevents is not None and maxevents >= 0 and len(txn["events"]) >= maxevents

    for e in evs:
        key = tuple(text(vals(e, f)[0]) if vals(e, f) else None for f in fields)
        if None in key:
            cands = [k for k in open_ if all(a is None or a == b for a, b in zip(key, k))]
            if cands:
                key = max(cands, key=lambda k: open_[k]["events"][-1]["_time"])
        txn = open_.get(key)
        if txn is not None and breaks(txn, e):
            close(key, 1)  # a limit closes it first, whatever the event is
            txn = None
        if startswith is not None and startswith(e):
            if txn is not None:
                close(key, 1 if endswith is None else 0)
            open_[key] = {"events": [e], "start": True}
        elif txn is not None:
            txn["events"].append(e)
        elif startswith is not None:
            continue  # an orphan
        else:
            open_[key] = {"events": [e], "start": False}
        if endswith is not None and endswith(e):
            if startswith is not None and startswith(e) and len(open_[key]["events"]) == 1:
                raise Ambiguous("an event matching startswith and endswith")
            close(key, 1)
    for key in list(open_):
        close(key, 1 if (startswith is not None and endswith is None) else 0)
    out = []
    for txn in done:
        if (startswith is not None or endswith is not None) and txn["closed"] == 0 and not keepevicted:
            continue
        es = txn["events"]
        row = {}
        names = []
        for e in es:
            for f in e:
                if f not in names and not f.startswith("_"):
                    names.append(f)
        for f in names:
            vs = [text(v) for e in es for v in vals(e, f)]
            vs = vs if mvlist else sorted(set(vs), key=lambda s: s.encode())
            row[f] = vs[0] if len(vs) == 1 else vs
        row.update({"_time": es[0]["_time"], "duration": es[-1]["_time"] - es[0]["_time"], "eventcount": len(es),
                    "closed_txn": txn["closed"]})
        out.append(row)
    out.sort(key=lambda r: -r["_time"])
    if len({r["_time"] for r in out}) != len(out):
        raise Ambiguous("two transactions start at the same time")
    return out


def table(rows, fields):
    return rows, list(fields)


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------

def cell(col, v, display=None):
    if display and col in display and v is not None:
        v = display[col](v)
    if v is None:
        return ""
    if isinstance(v, list):
        return ",".join(text(x) for x in v)
    if col == "_time" and isnum(v):
        return iso(int(v))
    if isinstance(v, (dict,)):
        return json.dumps(v)
    return text(v)


def quote(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\r\n') else s


def render(result, display=None):
    """(rows, columns) as the CSV cairn must print: the header leaves out a column no row has
    a value for."""
    rows, columns = result
    cells = [[cell(c, r.get(c), display) for c in columns] for r in rows]
    keep = [i for i, c in enumerate(columns) if any(row[i] != "" for row in cells)]
    if not keep and not rows:
        return "\n"
    lines = [",".join(quote(columns[i]) for i in keep)]
    lines += [",".join(quote(row[i]) for i in keep) for row in cells]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------

def parse(csv_text):
    return list(csv.reader(io.StringIO(csv_text)))


def close_enough(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isfinite(x) and math.isfinite(y) and abs(x - y) <= 1e-12 * max(abs(x), abs(y))


def same_rows(want, got, approx):
    return len(want) == len(got) and all(
        len(w) == len(g) and all(close_enough(a, b) if approx else a == b for a, b in zip(w, g))
        for w, g in zip(want, got))


def first_difference(want, got):
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else "(no line)"
        g = got[i] if i < len(got) else "(no line)"
        if w != g:
            return f"line {i + 1}: expected {w!r}, cairn printed {g!r} ({len(want)} vs {len(got)} lines)"
    return ""


def compare(expected, got, mode="ordered", approx=False):
    """(ok, detail)."""
    if mode == "ordered" and not approx:
        ok = expected == got
        return ok, "" if ok else first_difference(expected.splitlines(), got.splitlines())
    w, g = parse(expected), parse(got)
    if not w or not g:
        return w == g, f"expected {expected!r}, got {got!r}"
    if mode == "colset":
        if sorted(w[0]) != sorted(g[0]):
            return False, f"columns: expected {sorted(w[0])}, cairn printed {sorted(g[0])}"
        idx = [g[0].index(c) for c in w[0]]
        g = [w[0]] + [[row[i] if i < len(row) else None for i in idx] for row in g[1:]]
    elif mode == "sorted":
        w, g = [w[0]] + sorted(w[1:]), [g[0]] + sorted(g[1:])
    elif mode == "grouped":
        w = [w[0]] + sorted(w[1:], key=lambda r: r[0])
        g = [g[0]] + sorted(g[1:], key=lambda r: r[0] if r else "")
    ok = same_rows(w, g, approx)
    return ok, "" if ok else first_difference([",".join(r) for r in w], [",".join(map(str, r)) for r in g])


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------

def ren(rows, pairs):
    out = []
    for r in rows:
        r = dict(r)
        for a, b in pairs:
            if a in r:
                r[b] = r.pop(a)
        out.append(r)
    return out


def tostring_commas(v):
    """tostring(X, "commas"): X with commas (two decimals at most when X has decimals)."""
    x = Fraction(v)
    if x.denominator == 1:
        return f"{int(x):,}"
    return f"{float(x):,.2f}"


COMMANDS = {"timechart", "chart", "top", "rare", "stats", "rename", "dedup", "rex", "fieldsummary", "bin", "eval"}


def build_checks(R):
    """(name, query, expected CSV text or a function of the output, mode, approx, options)."""
    C = []

    def add(name, query, result, mode="ordered", approx=False, options=(), display=None):
        if query.split()[0] in COMMANDS:
            query = "* | " + query  # a query starts with its search part
        C.append((name, query, result, mode, approx, list(options), display))

    def S(pred):
        return [r for r in R if pred(r)]

    user = "userIdentity.userName"
    lat = "additionalEventData.latencyMs"
    byt = "additionalEventData.bytesTransferredOut"
    cnt = [A("count")]

    # --- timechart --------------------------------------------------------------------------
    add("timechart span=10m count: one row per 10 minutes, empty buckets 0", "timechart span=10m count",
        lambda: timechart(R, cnt, span=600))
    add("timechart span=1h count by awsRegion", "timechart span=1h count by awsRegion",
        lambda: timechart(R, cnt, span=3600, by="awsRegion"))
    add("... the same through events (eval first)", "* | eval x=1 | timechart span=1h count by awsRegion",
        lambda: timechart(R, cnt, span=3600, by="awsRegion"))
    add("timechart span=1d count by eventName: 10 series and OTHER", "timechart span=1d count by eventName",
        lambda: timechart(R, cnt, span=DAY, by="eventName"))
    add("timechart count: bins=100 picks 1h", "timechart count", lambda: timechart(R, cnt, bins=100))
    add("timechart bins=10 count: picks 12h", "timechart bins=10 count", lambda: timechart(R, cnt, bins=10))
    add("timechart limit=3 by a field some events lack: NULL then OTHER",
        f"timechart span=1d limit=3 count by {user}", lambda: timechart(R, cnt, span=DAY, by=user, limit=3))
    add("timechart useother=f", f"timechart span=1d limit=3 useother=f count by {user}",
        lambda: timechart(R, cnt, span=DAY, by=user, limit=3, useother=False))
    add("timechart usenull=f", f"timechart span=1d limit=3 usenull=f count by {user}",
        lambda: timechart(R, cnt, span=DAY, by=user, limit=3, usenull=False))
    add("timechart nullstr= otherstr=", f"timechart span=1d limit=3 nullstr=NOUSER otherstr=REST count by {user}",
        lambda: timechart(R, cnt, span=DAY, by=user, limit=3, nullstr="NOUSER", otherstr="REST"))
    add("timechart limit=bottom2", "timechart span=1d limit=bottom2 count by awsRegion",
        lambda: timechart(R, cnt, span=DAY, by="awsRegion", limit=("bottom", 2)))
    add("timechart limit=0: every series, no OTHER", "timechart span=1d limit=0 count by eventName",
        lambda: timechart(R, cnt, span=DAY, by="eventName", limit=0))
    add("timechart cont=true count avg(): the quiet hours give 0 and an empty avg",
        f"timechart span=1h cont=true count avg({lat})", lambda: timechart(R, [A("count"), A("avg", lat)], span=3600),
        approx=True)
    add("timechart cont=false: only buckets holding events", "timechart span=1h cont=false count",
        lambda: timechart(R, cnt, span=3600, cont=False))
    add("timechart span=1h avg() by: empty cells stay empty (~)", f"timechart span=1h avg({lat}) by awsRegion",
        lambda: timechart(R, [A("avg", lat)], span=3600, by="awsRegion"), approx=True)
    add("timechart span=30m sum() by: an empty sum is empty, not 0", f"timechart span=30m sum({byt}) by awsRegion",
        lambda: timechart(R, [A("sum", byt)], span=1800, by="awsRegion"))
    add("timechart dc() by: an empty dc is 0", f"timechart span=6h dc({user}) by awsRegion",
        lambda: timechart(R, [A("dc", user)], span=6 * 3600, by="awsRegion"))
    add("timechart limit=2 avg() by: ranked by the sum of the first aggregation (~)",
        f"timechart span=1d limit=2 avg({lat}) by eventName",
        lambda: timechart(R, [A("avg", lat)], span=DAY, by="eventName", limit=2), approx=True)
    add("timechart count avg() by: `AGG: value` columns (colset, ~)",
        f"timechart span=1d count avg({lat}) by awsRegion",
        lambda: timechart(R, [A("count"), A("avg", lat)], span=DAY, by="awsRegion"), mode="colset", approx=True)
    add("timechart limit=2 count max() by: OTHER per aggregation (colset)",
        f"timechart span=1d limit=2 count max({byt}) by awsRegion",
        lambda: timechart(R, [A("count"), A("max", byt)], span=DAY, by="awsRegion", limit=2), mode="colset")
    add("timechart sep= (colset)", 'timechart span=1d sep=" / " count dc(sourceIPAddress) by awsRegion',
        lambda: timechart(R, [A("count"), A("dc", "sourceIPAddress")], span=DAY, by="awsRegion", sep=" / "),
        mode="colset")
    add("timechart format= (colset)",
        'timechart span=1d format="$VAL$ of $AGG$" count dc(sourceIPAddress) by awsRegion',
        lambda: timechart(R, [A("count"), A("dc", "sourceIPAddress")], span=DAY, by="awsRegion",
                          fmt="$VAL$ of $AGG$"), mode="colset")
    add("timechart ... by f where count in top3 (the 3 largest totals, the rest in OTHER)",
        "timechart span=1d count by eventName where count in top3",
        lambda: timechart(R, cnt, span=DAY, by="eventName", limit=3))
    add("timechart useother=f ... where count in top3",
        "timechart span=1d useother=f count by eventName where count in top3",
        lambda: timechart(R, cnt, span=DAY, by="eventName", limit=3, useother=False))

    # --- chart ------------------------------------------------------------------------------
    add("chart count over X by Y limit=4: OTHER", "chart limit=4 count over awsRegion by eventName",
        lambda: chart(R, cnt, over="awsRegion", by="eventName", limit=4))
    add("chart count by X Y (rows lacking X left out)", f"chart count by {user} awsRegion",
        lambda: chart(R, cnt, over=user, by="awsRegion"))
    add("chart over X by Y: NULL and OTHER", f"chart limit=3 count over awsRegion by {user}",
        lambda: chart(R, cnt, over="awsRegion", by=user, limit=3))
    add("chart useother=f usenull=f", f"chart limit=3 useother=f usenull=f count over awsRegion by {user}",
        lambda: chart(R, cnt, over="awsRegion", by=user, limit=3, useother=False, usenull=False))
    add("chart AGG AGG by X: a column per aggregation (~)", f"chart avg({lat}) max({byt}) by eventName",
        lambda: chart(R, [A("avg", lat), A("max", byt)], over="eventName"), approx=True)
    add("chart without X: one row", "chart count dc(sourceIPAddress)",
        lambda: chart(R, [A("count"), A("dc", "sourceIPAddress")]))
    add("chart sum() over X by Y: rows whose cells are all empty", f"chart sum({byt}) over eventName by awsRegion",
        lambda: chart(R, [A("sum", byt)], over="eventName", by="awsRegion"))
    add("chart count avg() over X by Y (colset, ~)", f"chart count avg({lat}) over awsRegion by errorCode",
        lambda: chart(R, [A("count"), A("avg", lat)], over="awsRegion", by="errorCode"), mode="colset", approx=True)

    # --- top / rare ---------------------------------------------------------------------------
    add("top 3 useother=t", "top 3 useother=t eventName", lambda: top(R, "eventName", 3, useother=True))
    add("top limit=2 useother otherstr by g (grouped)",
        "top limit=2 useother=true otherstr=REST eventName by awsRegion",
        lambda: top(R, "eventName", 2, by="awsRegion", useother=True, otherstr="REST"), mode="grouped")
    add("rare 2 useother=t", "rare 2 useother=t sourceIPAddress",
        lambda: top(R, "sourceIPAddress", 2, useother=True, rare=True))
    add("top limit=0: all", "top limit=0 awsRegion", lambda: top(R, "awsRegion", 0))

    # --- stats functions ----------------------------------------------------------------------
    RB = ren(R, [(byt, "bytes")])
    add("stats median perc95 p50 exactperc99.5 upperperc90 (~)",
        "rename additionalEventData.bytesTransferredOut AS bytes | stats count median(bytes) perc95(bytes) p50(bytes)"
        " exactperc99.5(bytes) upperperc90(bytes) by awsRegion",
        lambda: stats(RB, [A("count"), A("median", "bytes"), A("perc95", "bytes"), A("p50", "bytes"),
                           A("exactperc99.5", "bytes"), A("upperperc90", "bytes")], ["awsRegion"]), approx=True)
    add("stats stdev stdevp var varp sumsq range (~)",
        f"stats stdev({lat}) AS sd stdevp({lat}) AS sdp var({lat}) AS v varp({lat}) AS vp sumsq({lat}) AS ss"
        f" range({lat}) AS r by eventName",
        lambda: stats(R, [A("stdev", lat, "sd"), A("stdevp", lat, "sdp"), A("var", lat, "v"), A("varp", lat, "vp"),
                          A("sumsq", lat, "ss"), A("range", lat, "r")], ["eventName"]), approx=True)
    add("stats mode earliest latest earliest_time latest_time",
        "stats mode(eventName) AS m earliest(eventName) AS e latest(eventName) AS l earliest_time(eventName) AS et"
        " latest_time(eventName) AS lt by awsRegion",
        lambda: stats(R, [A("mode", "eventName", "m"), A("earliest", "eventName", "e"), A("latest", "eventName", "l"),
                          A("earliest_time", "eventName", "et"), A("latest_time", "eventName", "lt")], ["awsRegion"]))
    add("stats rate (~)", "stats rate(additionalEventData.requestCount) AS r count by awsRegion",
        lambda: stats(R, [A("rate", "additionalEventData.requestCount", "r"), A("count")], ["awsRegion"]),
        approx=True)
    add("stats first last count(mv) dc(mv) values(mv)",
        "stats first(sourceIPAddress) AS f last(sourceIPAddress) AS l count(tags{}) AS nt dc(tags{}) AS dt"
        " values(tags{}) AS vt by awsRegion",
        lambda: stats(R, [A("first", "sourceIPAddress", "f"), A("last", "sourceIPAddress", "l"),
                          A("count", "tags{}", "nt"), A("dc", "tags{}", "dt"), A("values", "tags{}", "vt")],
                      ["awsRegion"]))
    SP = S(lambda r: eq(r, "eventSource", "spark.example.com"))

    def spark():
        out, cols = stats(SP, [A("count")], ["requestParameters.group"])
        for row in out:
            rs = [r for r in SP if r.get("requestParameters.group") == row["requestParameters.group"]]
            row["s"] = sparkline(rs, "count", None, 3600, SP)
            row["m"] = sparkline(rs, "max", lat, 3600, SP)
        return out, ["requestParameters.group", "s", "m", "count"]
    add("stats sparkline(count,1h) sparkline(max(f),1h)",
        f"eventSource=spark.example.com | stats sparkline(count,1h) AS s sparkline(max({lat}),1h) AS m count"
        " by requestParameters.group", spark)
    one = S(lambda r: eq(r, "eventName", "StopInstances") and has(r, lat))[:1]
    add("stats var and stdev of one value are 0",
        f"eventName=StopInstances {lat}=* | head 1 | stats var({lat}) AS v stdev({lat}) AS s count",
        lambda: stats(one, [A("var", lat, "v"), A("stdev", lat, "s"), A("count")]))
    g8 = S(lambda r: eq(r, "eventName", "GetObject") and has(r, lat))
    add("stats median of an even count: the higher middle value",
        f"eventName=GetObject {lat}=* | head 8 | stats median({lat}) AS med count",
        lambda: stats(g8[:8], [A("median", lat, "med"), A("count")]))
    add("stats median of an odd count", f"eventName=GetObject {lat}=* | head 7 | stats median({lat}) AS med count",
        lambda: stats(g8[:7], [A("median", lat, "med"), A("count")]))
    add("stats min(_time) max(_time): other times stay epoch seconds (~)",
        f"stats avg({lat}) AS a min(_time) AS lo max(_time) AS hi by awsRegion",
        lambda: stats(R, [A("avg", lat, "a"), A("min", "_time", "lo"), A("max", "_time", "hi")], ["awsRegion"]),
        approx=True)
    add("stats count by a value holding quotes and a comma: RFC 4180 quoting", "stats count by userAgent",
        lambda: stats(R, cnt, ["userAgent"]))

    # --- dedup sortby, sort ip() ----------------------------------------------------------------
    RL = S(lambda r: has(r, lat))
    add("dedup f sortby -num", f"{lat}=* | dedup {user} sortby -{lat} | table {user} eventName {lat} _time",
        lambda: table(dedup(RL, [user], sortby=[(lat, True, "auto")]), [user, "eventName", lat, "_time"]))
    add("dedup 2 f sortby +_time", "dedup 2 awsRegion sortby +_time | table _time awsRegion eventName",
        lambda: table(dedup(R, ["awsRegion"], 2, sortby=[("_time", False, "auto")]),
                      ["_time", "awsRegion", "eventName"]))
    add("dedup f g sortby +f -_time",
        "dedup eventName awsRegion sortby +eventName -_time | table eventName awsRegion _time",
        lambda: table(dedup(R, ["eventName", "awsRegion"],
                            sortby=[("eventName", False, "auto"), ("_time", True, "auto")]),
                      ["eventName", "awsRegion", "_time"]))
    add("sort ip(): IPv4 by value, then the rest as auto", "stats count by sourceIPAddress | sort ip(sourceIPAddress)",
        lambda: (sort_rows(stats(R, cnt, ["sourceIPAddress"])[0], [("sourceIPAddress", False, "ip")]),
                 ["sourceIPAddress", "count"]))
    add("sort -ip()", "stats count by sourceIPAddress | sort -ip(sourceIPAddress)",
        lambda: (sort_rows(stats(R, cnt, ["sourceIPAddress"])[0], [("sourceIPAddress", True, "ip")]),
                 ["sourceIPAddress", "count"]))
    add("dedup | sort 0 ip() on events",
        "dedup sourceIPAddress | sort 0 ip(sourceIPAddress) | table sourceIPAddress awsRegion",
        lambda: table(sort_rows(dedup(R, ["sourceIPAddress"]), [("sourceIPAddress", False, "ip")]),
                      ["sourceIPAddress", "awsRegion"]))

    # --- rex mode=sed ---------------------------------------------------------------------------
    key = "requestParameters.key"
    add("rex mode=sed s/[0-9]+/N/g",
        f'eventName=GetObject | rex field={key} mode=sed "s/[0-9]+/N/g" | stats count by {key}',
        lambda: stats(rex_sed(S(lambda r: eq(r, "eventName", "GetObject")), key, "s/[0-9]+/N/g"), cnt, [key]))
    add("rex mode=sed s/\\//_/2: only the 2nd match, an escaped delimiter",
        f'eventName=PutObject | rex field={key} mode=sed "s/\\//_/2" | rex field={key} mode=sed "s/[0-9]+/N/g"'
        f" | stats count by {key}",
        lambda: stats(rex_sed(rex_sed(S(lambda r: eq(r, "eventName", "PutObject")), key, "s/\\//_/2"), key,
                              "s/[0-9]+/N/g"), cnt, [key]))
    add("rex mode=sed groups \\1 \\2, first match only",
        f'eventName=DeleteObject | rex field={key} mode=sed "s/^([a-z]+)\\/([a-z]+)/\\2+\\1/"'
        f' | rex field={key} mode=sed "s/[0-9]+/N/g" | stats count by {key}',
        lambda: stats(rex_sed(rex_sed(S(lambda r: eq(r, "eventName", "DeleteObject")), key,
                                      "s/^([a-z]+)\\/([a-z]+)/\\2+\\1/"), key, "s/[0-9]+/N/g"), cnt, [key]))
    add("rex mode=sed y/abcde/ABCDE/", f'rex field={user} mode=sed "y/abcde/ABCDE/" | stats count by {user}',
        lambda: stats(rex_sed(R, user, "y/abcde/ABCDE/"), cnt, [user]))

    # --- fieldsummary -----------------------------------------------------------------------------
    RBL = ren(R, [(byt, "bytes"), (lat, "lat")])
    add("fieldsummary of two numeric fields (sorted, ~)",
        f"rename {byt} AS bytes, {lat} AS lat | fieldsummary bytes lat"
        " | fields field count distinct_count is_exact max mean min numeric_count stdev",
        lambda: (fieldsummary(RBL, ["bytes", "lat"], values_compared=False)[0],
                 ["field", "count", "distinct_count", "is_exact", "max", "mean", "min", "numeric_count", "stdev"]),
        mode="sorted", approx=True)
    add("fieldsummary with a wildcard (sorted)",
        "fieldsummary userIdentity.* | fields field count distinct_count is_exact numeric_count",
        lambda: (fieldsummary(R, ["userIdentity.*"], values_compared=False)[0],
                 ["field", "count", "distinct_count", "is_exact", "numeric_count"]),
        mode="sorted")
    add("fieldsummary maxvals=3: values as JSON, most common first (sorted, JSON compared parsed)",
        "fieldsummary maxvals=3 eventName awsRegion | table field count distinct_count values",
        lambda: (fieldsummary(R, ["eventName", "awsRegion"], 3)[0], ["field", "count", "distinct_count", "values"]),
        mode="json-values")

    # --- addinfo ----------------------------------------------------------------------------------
    add("addinfo over all time: 0 and +Infinity", "* | head 1 | addinfo | table info_min_time info_max_time",
        lambda: "info_min_time,info_max_time\n0,+Infinity\n")
    add("addinfo with --earliest/--latest", "* | head 1 | addinfo | table info_min_time info_max_time",
        lambda: f"info_min_time,info_max_time\n{T0},{T0 + DAY}\n",
        options=["--earliest", "2025-12-01T00:00:00Z", "--latest", "2025-12-02T00:00:00Z"])
    day2 = S(lambda r: T0 + DAY <= r["_time"] < T0 + 2 * DAY)
    add("addinfo with earliest= latest= in the search",
        "earliest=2025-12-02T00:00:00Z latest=2025-12-03T00:00:00Z | stats count | addinfo"
        " | table count info_min_time info_max_time",
        lambda: f"count,info_min_time,info_max_time\n{len(day2)},{T0 + DAY},{T0 + 2 * DAY}\n")

    # --- fieldformat ------------------------------------------------------------------------------
    def sums():
        out, _ = stats(ren(R, [(byt, "b")]), [A("sum", "b", "b")], ["awsRegion"])
        num = sort_rows(out, [("b", True, "auto")])
        if [r["b"] for r in num] == sorted((r["b"] for r in num), key=lambda v: tostring_commas(v), reverse=True):
            raise Ambiguous("the text order of the formatted sums is their numeric order")
        return num
    add("fieldformat shows commas, sort still sees numbers",
        f'rename {byt} AS b | stats sum(b) AS b by awsRegion | fieldformat b=tostring(b,"commas") | sort -b',
        lambda: (sums(), ["awsRegion", "b"]), display={"b": tostring_commas})
    add("fieldformat: eval and where after it see the number",
        f'rename {byt} AS b | stats sum(b) AS b by awsRegion | fieldformat b=tostring(b,"commas")'
        " | eval c=b+1 | where b > 500000 | table awsRegion b c",
        lambda: ([dict(r, c=r["b"] + 1) for r in stats(ren(R, [(byt, "b")]), [A("sum", "b", "b")], ["awsRegion"])[0]
                  if r["b"] > 500000], ["awsRegion", "b", "c"]), display={"b": tostring_commas})

    # --- bin --------------------------------------------------------------------------------------
    add("bin _time span=1h | stats count by _time", "bin _time span=1h | stats count by _time",
        lambda: stats(bin_rows(R, "_time", span=3600), cnt, ["_time"]))
    add("bin _time span=1d AS day: day stays epoch seconds", "bin _time span=1d AS day | stats count by day",
        lambda: stats(bin_rows(R, "_time", span=DAY, as_="day"), cnt, ["day"]))
    add("bin span=1000 on a number", f"rename {byt} AS bytes | bin bytes span=1000 | stats count by bytes",
        lambda: stats(bin_rows(RB, "bytes", span=1000), cnt, ["bytes"]))
    add("bin bins=10 on a number: a power of ten", f"bin {lat} bins=10 AS lb | stats count by lb",
        lambda: stats(bin_rows(R, lat, bins=10, as_="lb"), cnt, ["lb"]))

    # --- transaction ------------------------------------------------------------------------------
    RU = S(lambda r: has(r, user))
    cols = ["_time", user, "duration", "eventcount", "closed_txn"]
    add("transaction by f maxpause=25m", f"{user}=* | transaction {user} maxpause=25m | table " + " ".join(cols),
        lambda: table(transaction(RU, [user], maxpause=1500), cols))
    add("transaction maxspan=1h maxevents=3",
        f"{user}=* | transaction {user} maxspan=1h maxevents=3 | table " + " ".join(cols),
        lambda: table(transaction(RU, [user], maxspan=3600, maxevents=3), cols))
    c2 = ["_time", user, "eventName", "duration", "eventcount", "closed_txn"]
    login = lambda r: eq(r, "eventName", "ConsoleLogin")  # noqa: E731
    delete = lambda r: eq(r, "eventName", "DeleteObject")  # noqa: E731
    add("transaction startswith= endswith= (search strings) maxspan=6h",
        f'{user}=* | transaction {user} startswith="eventName=ConsoleLogin" endswith="eventName=DeleteObject"'
        " maxspan=6h | table " + " ".join(c2),
        lambda: table(transaction(RU, [user], maxspan=6 * 3600, startswith=login, endswith=delete), c2))
    add("... keepevicted=true keeps closed_txn=0",
        f'{user}=* | transaction {user} startswith="eventName=ConsoleLogin" endswith="eventName=DeleteObject"'
        " maxspan=6h keepevicted=true | table " + " ".join(c2),
        lambda: table(transaction(RU, [user], maxspan=6 * 3600, startswith=login, endswith=delete, keepevicted=True),
                      c2))
    c3 = ["_time", user, "errorCode", "duration", "eventcount", "closed_txn"]
    add("transaction startswith=eval(...) maxpause=30m",
        f'{user}=* | transaction {user} startswith=eval(errorCode="AccessDenied") maxpause=30m | table ' + " ".join(c3),
        lambda: table(transaction(RU, [user], maxpause=1800, startswith=lambda r: r.get("errorCode") == "AccessDenied"),
                      c3))
    add("transaction endswith=eval(...) maxspan=2h (closed_txn=0 dropped)",
        f'{user}=* | transaction {user} endswith=eval(eventName="DeleteObject") maxspan=2h | table ' + " ".join(c2),
        lambda: table(transaction(RU, [user], maxspan=7200, endswith=lambda r: r.get("eventName") == "DeleteObject"),
                      c2))
    c4 = ["_time", "eventName", "eventcount", "duration", "closed_txn"]
    add("transaction maxevents=4 mvlist=true: every value in event order",
        "awsRegion=eu-central-1 | transaction awsRegion maxevents=4 mvlist=true | table " + " ".join(c4),
        lambda: table(transaction(S(lambda r: eq(r, "awsRegion", "eu-central-1")), ["awsRegion"], maxevents=4,
                                  mvlist=True), c4))
    add("transaction mvlist=false: distinct values, lexicographic",
        "awsRegion=eu-central-1 | transaction awsRegion maxevents=4 | table " + " ".join(c4),
        lambda: table(transaction(S(lambda r: eq(r, "awsRegion", "eu-central-1")), ["awsRegion"], maxevents=4), c4))
    c5 = ["_time", user, "duration", "eventcount"]
    add("transaction: an event lacking the field joins the most recently active transaction",
        f"eventSource=planted.example.com | transaction {user} maxpause=10m | table " + " ".join(c5),
        lambda: table(transaction(S(lambda r: eq(r, "eventSource", "planted.example.com")), [user], maxpause=600), c5))
    return C


def data_checks(R):
    """The data must hold what the checks rely on."""
    gap = [r for r in R if GAP[0] <= r["_time"] < GAP[1]]
    check("data: no events in the quiet gap (empty 1h buckets)", not gap, len(gap))
    check("data: no two events share a _time", len({r["_time"] for r in R}) == len(R))
    check("data: some events lack userIdentity.userName, some have multivalue tags{}",
          any(not has(r, "userIdentity.userName") for r in R) and any(isinstance(r.get("tags{}"), list) for r in R))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--keep", help="write the data, the index and each output to DIR and keep them")
    ap.add_argument("-k", help="only the checks whose name or query contains this text")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--break-one", action="store_true", help="change one expected cell: that check must fail")
    a = ap.parse_args()
    cairn = os.path.abspath(a.cairn)
    tmp = a.keep or tempfile.mkdtemp(prefix="cairn-charts-")
    os.makedirs(tmp, exist_ok=True)
    try:
        events = generate()
        data = os.path.join(tmp, "charts.ndjson")
        with open(data, "w", encoding="utf-8") as f:
            for ev in events:
                f.write(json.dumps(ev, separators=(",", ":")) + "\n")
        R = sorted((to_row(ev) for ev in events), key=lambda r: -r["_time"])  # search order: newest first
        index = os.path.join(tmp, "index")
        shutil.rmtree(index, ignore_errors=True)
        p = subprocess.run([cairn, "--index", index, "ingest", "--quiet", data], capture_output=True, text=True)
        check(f"ingest {len(events)} events", p.returncode == 0, p.stderr[-400:])
        data_checks(R)
        checks = build_checks(R)
        if a.break_one:
            name, q, res, mode, approx, opts, disp = checks[1]
            checks[1] = (name + " [deliberately broken]", q, lambda res=res: breaks_value(res), mode, approx, opts,
                         disp)
        passed_outputs = []
        for i, (name, query, result, mode, approx, options, display) in enumerate(checks):
            if a.k and a.k not in name and a.k not in query:
                continue
            try:
                want = result()
                if not isinstance(want, str):
                    want = render(want, display)
            except Ambiguous as e:
                check(f"{name}  [data]", False, f"the data hits a case the docs leave open: {e}")
                continue
            t = time.time()
            p = subprocess.run([cairn, "--index", index, "search", "--quiet", "--format", "csv", *options, query],
                               capture_output=True, text=True, timeout=300)
            after = time.time()
            if a.keep:
                with open(os.path.join(tmp, f"check-{i:02d}.csv"), "w", encoding="utf-8") as f:
                    f.write(f"# {query}\n# expected:\n{want}# cairn:\n{p.stdout}{p.stderr}")
            if a.verbose:
                print(f"     {query}")
            if p.returncode != 0:
                check(name, False, f"exit {p.returncode}: {p.stderr.strip()[-400:]}")
                continue
            if mode == "json-values":
                ok, detail = compare_values_json(want, p.stdout)
            else:
                ok, detail = compare(want, p.stdout, mode, approx)
            check(name, ok, detail + ("" if ok else f"  [query: {query}]"))
            if ok and mode == "ordered" and want.count("\n") > 1:
                passed_outputs.append((want, p.stdout))
            if i == 0 and not a.k:
                addinfo_search_time(cairn, index, t, after)
        if passed_outputs:  # the comparison itself must catch one wrong cell
            want, got = passed_outputs[0]
            wrong = breaks_value(lambda: want)
            check("a deliberately wrong expected cell makes a check fail", not compare(wrong, got)[0]
                  and not compare(wrong, got, "sorted", True)[0], wrong[:200])
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return e2e_lib.finish()


def breaks_value(res):
    """The expected CSV with one cell changed (the last cell of the second line)."""
    text_ = res()
    text_ = text_ if isinstance(text_, str) else render(text_)
    lines = text_.split("\n")
    cells = lines[1].split(",")
    cells[-1] = str(int(cells[-1]) + 1) if cells[-1].isdigit() else cells[-1] + "x"
    lines[1] = ",".join(cells)
    return "\n".join(lines)


def compare_values_json(want, got):
    """fieldsummary: the rows in any order, `values` compared as parsed JSON (value as text)."""
    def norm(csv_text):
        rows = parse(csv_text)
        if not rows:
            return None
        head, body = rows[0], rows[1:]
        out = []
        for r in body:
            d = dict(zip(head, r))
            try:
                d["values"] = [(text(x.get("value")), x.get("count")) for x in json.loads(d.get("values", "[]"))]
            except (ValueError, AttributeError):
                pass
            out.append(sorted(d.items(), key=lambda kv: kv[0]))
        return sorted(head), sorted(out, key=str)
    w, g = norm(want), norm(got)
    return w == g, "" if w == g else f"expected {w}, cairn printed {g}"


def addinfo_search_time(cairn, index, before, after):
    p = subprocess.run([cairn, "--index", index, "search", "--quiet", "--format", "csv",
                        "* | head 1 | addinfo | table info_search_time info_sid"], capture_output=True, text=True)
    after = time.time() + 5
    rows = parse(p.stdout)
    ok = p.returncode == 0 and len(rows) == 2 and rows[0] == ["info_search_time", "info_sid"]
    detail = p.stdout + p.stderr
    if ok:
        try:
            ok = before - 5 <= float(rows[1][0]) <= after and rows[1][1] != ""
        except ValueError:
            ok = False
    check("addinfo: info_search_time is now, info_sid is set", ok, detail)


if __name__ == "__main__":
    sys.exit(main())
