"""What bench/run's parts share: generated inputs (a generator of testdata/ run once per count and seed into
bench/work/data/, its files reused by later runs) and DuckDB runs of bench/duckdb_load.mjs."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def files(h, label, generator, count_opt, n, name):
    """The files `testdata/GENERATOR COUNT_OPT N --seed SEED --out DIR` writes, generated if not there yet."""
    out = os.path.join(h.data_dir, "%s-%d-s%d" % (name, n, h.seed))
    done = out + ".done"
    if not os.path.exists(done):
        cmd = [sys.executable, os.path.join(ROOT, "testdata", generator), count_opt, str(n), "--seed", str(h.seed),
               "--out", out]
        h.cmd(label, cmd)
        subprocess.run(cmd, check=True)
        open(done, "w").write("ok\n")
    found = []
    for dirpath, _, names in os.walk(out):
        found += [os.path.join(dirpath, f) for f in sorted(names)]
    return sorted(found)


def duckdb_load(h, name, label, cfg):
    """Runs bench/duckdb_load.mjs on `cfg` (its database file removed afterwards); its output, or {"ok": False}.
    A failure is noted in the report."""
    cfg_path = os.path.join(h.dir, "duckdb-%s-config.json" % name)
    out_path = os.path.join(h.dir, "duckdb-%s.json" % name)
    json.dump(cfg, open(cfg_path, "w"), indent=1)
    if os.path.exists(out_path):
        os.remove(out_path)
    cmd = ["node", os.path.join(ROOT, "bench", "duckdb_load.mjs"), cfg_path, out_path]
    h.cmd("duckdb (%s)" % label, cmd)
    r = subprocess.run(cmd, capture_output=True, text=True)
    try:
        duck = json.load(open(out_path))
    except Exception:
        duck = {"ok": False}
    if r.returncode != 0 or not duck.get("ok"):
        h.note("DuckDB %s run failed: %s %s" % (label, duck.get("error", ""), r.stderr.strip()[-500:]))
    for f in (cfg["db"], cfg["db"] + ".wal"):
        if os.path.exists(f):
            os.remove(f)
    return duck
