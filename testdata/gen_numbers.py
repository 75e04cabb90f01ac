#!/usr/bin/env python3
"""Writes tests/queries/data/numbers.ndjson: events whose integer fields have many distinct
values, so that cairn stores them as numeric columns (negative values, values at the ends of
int64, integers in JSON strings, epoch milliseconds), beside fields that must stay
dictionaries (leading zeros, a float among integers, arrays of integers). Deterministic."""
import json
import random
import sys

INT64_MAX = 2**63 - 1


def events(count=1500, seed=7):
    rng = random.Random(seed)
    for i in range(count):
        e = {
            "eventVersion": "1.08",
            "eventTime": "2025-11-%02dT%02d:%02d:%02dZ" % (1 + i // 600, (i // 60) % 10, i % 60, i % 60),
            "eventName": "PutMetricData",
            "eventSource": "monitoring.amazonaws.com",
            "eventID": "num-%05d" % i,
        }
        if i % 5:
            e["n"] = rng.randint(-5000, 5000)
        e["big"] = rng.choice([INT64_MAX, -INT64_MAX - 1, rng.randint(-INT64_MAX - 1, INT64_MAX)])
        e["s"] = str(rng.randint(0, 99999))
        e["lead"] = "%05d" % rng.randint(0, 9999)
        e["mixed"] = rng.randint(0, 100000) if i % 97 else 1.5
        e["ms"] = 1767000000000 + i * 1000 + rng.randint(0, 999)
        e["multi"] = [rng.randint(0, 9999), rng.randint(0, 9999)]
        yield e


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/queries/data/numbers.ndjson"
    with open(out, "w") as f:
        for e in events():
            f.write(json.dumps(e, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
