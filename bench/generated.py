"""Generated benchmark inputs (bench/run's parts import it): a generator of testdata/ run once per count and
seed into bench/work/data/, its files reused by later runs."""

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
