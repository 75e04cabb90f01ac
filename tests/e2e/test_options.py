#!/usr/bin/env python3
"""Every option of every subcommand fed malformed values: cairn must print a clear error that
names the option, exit with status 2, and never abort (no uncaught exception, no signal).
Also: unknown options and arguments, and a missing value at the end of the line.

    python3 tests/e2e/test_options.py --cairn build/cairn --root .

Ends with `N passed, M failed`. Python 3.11 standard library only."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_lib  # noqa: E402
from e2e_lib import check  # noqa: E402


BAD_COUNTS = ["x", "-1", "1.5", "", "12abc", "99999999999999999999999", "0x10"]
BAD_TIMES = ["xyz", "-24x", "13/45/2025", "2025-13-01T00:00:00Z", "@", ""]
BAD_FORMATS = ["yaml", "", "JSON"]

# (subcommand words, option, malformed values); a value of None means "the option ends the line".
CASES = []
for cmd in (["search"], ["explain"]):
    CASES += [(cmd, "--limit", BAD_COUNTS + [None]),
              (cmd, "--format", BAD_FORMATS + [None]),
              (cmd, "--earliest", BAD_TIMES + [None]),
              (cmd, "--latest", BAD_TIMES + [None])]
CASES += [(["ingest"], "--segment-rows", BAD_COUNTS + ["0", "999999999999", None]),
          (["ingest"], "--split-bytes", BAD_COUNTS + ["0", None]),
          (["ingest"], "--test-crash-after-commits", BAD_COUNTS + ["4294967296", None]),
          (["ingest"], "--index-name", ["Main", "_internal", "-x", "a b", "", "é", None]),
          (["ingest"], "--sourcetype", ["", None]),
          (["shell"], "--format", BAD_FORMATS + [None]),
          ([], "--index", [None])]
UNKNOWN = [["search", "--bogus", "*"], ["explain", "--bogus", "*"], ["ingest", "--bogus", "x"],
           ["info", "--bogus"], ["check", "--bogus"], ["shell", "--bogus"]]


def main():
    cairn, root = e2e_lib.parse_args()
    tmp = tempfile.mkdtemp(prefix="cairn-options-")
    try:
        idx = os.path.join(tmp, "idx")
        sample = os.path.join(root, "testdata", "samples", "vpcflow")
        r = subprocess.run([cairn, "--index", idx, "ingest", "--quiet", sample], capture_output=True, text=True)
        check("an index to run against", r.returncode == 0, r.stderr)
        empty = os.path.join(tmp, "nothing")
        os.mkdir(empty)
        for words, option, values in CASES:
            for value in values:
                args = [cairn, "--index", idx] + words + [option]
                if value is not None:
                    args.append(value)
                    if words and words[0] in ("search", "explain"):
                        args.append("*")
                    elif words and words[0] == "ingest":
                        args.append(empty)
                shown = " ".join(words + [option] + ([repr(value)] if value is not None else ["(no value)"]))
                p = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
                problems = []
                if p.returncode != 2:
                    problems.append("exit %d" % p.returncode)
                if option not in p.stderr:
                    problems.append("the message does not name %s" % option)
                if "terminate called" in p.stderr or "what():" in p.stderr:
                    problems.append("an exception escaped")
                check("%s: exit 2, names the option" % shown, not problems, "; ".join(problems) + " | " + p.stderr)
        for words in UNKNOWN:
            p = subprocess.run([cairn, "--index", idx] + words, capture_output=True, text=True,
                               stdin=subprocess.DEVNULL, timeout=60)
            check("%s: exit 2, names the argument" % " ".join(words), p.returncode == 2 and "--bogus" in p.stderr,
                  "exit %d: %s" % (p.returncode, p.stderr))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return e2e_lib.finish()


if __name__ == "__main__":
    sys.exit(main())
