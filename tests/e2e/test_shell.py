#!/usr/bin/env python3
"""End-to-end tests of `cairn shell` driven through a pseudo-terminal, as a person would use
it: type a query and read the table, Tab-complete a field name, cancel a long query with
Ctrl-C, find history again after a restart; and the non-interactive mode (queries on stdin,
exit status). Expected counts come from Python over the sample file."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_session import Pty  # noqa: E402

PASSED, FAILED = [], []


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "  -- " + detail[-800:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    cairn, root = os.path.abspath(a.cairn), a.root
    sample = os.path.join(root, "testdata", "samples", "cloudtrail-sample.ndjson")
    events = [json.loads(l) for l in open(sample)]
    logins = sum(1 for e in events if e.get("eventName") == "ConsoleLogin")
    tmp = tempfile.mkdtemp(prefix="cairn-shell-")
    try:
        idx = os.path.join(tmp, "idx")
        subprocess.run([cairn, "--index", idx, "ingest", "--quiet", sample], check=True)
        env = dict(os.environ, TERM="xterm", PAGER="cat", CAIRN_HISTORY=os.path.join(tmp, "history"),
                   COLUMNS="160", LINES="200")
        argv = [cairn, "--index", idx, "shell"]

        # 1. A query and its table.
        sh = Pty(argv, env)
        check("prompt appears", sh.read_until(r"cairn> ") is not None, sh.buf)
        sh.clear()
        sh.send("eventName=ConsoleLogin | stats count\r")
        out = sh.read_until(r"count\s*\n-+\s*\n\s*\d+")
        m = re.search(r"count\s*\n-+\s*\n\s*(\d+)", out or "")
        check("stats count table shows the oracle's count", m is not None and int(m.group(1)) == logins,
              f"want {logins}: {out!r}")
        check("status line after the query", sh.read_until(r"events matched") is not None, sh.buf)

        # 2. Tab completion of a field name.
        sh.read_until(r"cairn> ")
        sh.clear()
        # The completed line is only visible as terminal redraws, so run it: if Tab turned
        # eventN into eventName, the query counts the console logins.
        sh.send("eventN\t")
        time.sleep(0.5)
        sh.send("\b=ConsoleLogin | stats count\r")
        out = sh.read_until(r"count\s*\n-+\s*\n\s*\d+")
        m = re.search(r"count\s*\n-+\s*\n\s*(\d+)", out or "")
        check("Tab completes eventN to eventName", m is not None and int(m.group(1)) == logins, repr(sh.buf))

        # 3. A query error does not end the shell.
        sh.read_until(r"cairn> ")
        sh.clear()
        sh.send("eventName=x OR\r")
        out = sh.read_until(r"expected a search term after OR[\s\S]*cairn> ")
        check("query error shows the caret and returns to the prompt", out is not None and "^" in out, sh.buf)
        # An error whose text holds the word "cancelled" is still a query error, not a Ctrl-C.
        sh.clear()
        sh.send("status=cancelled OR\r")
        out = sh.read_until(r"expected a search term after OR[\s\S]*cairn> ")
        check("an error mentioning 'cancelled' is reported as itself",
              out is not None and "query cancelled" not in out, sh.buf)

        # 4. Ctrl-C cancels a long query and returns to the prompt.
        sh.clear()
        # Several long stages, so that Ctrl-C lands while the query still runs.
        slow = " | ".join('rex max_match=0 "(?<c%d>[a-z])"' % i for i in range(6))
        sh.send('* | eval a=1 | ' + slow + ' | rex max_match=0 "(?<ch>[a-z])" | stats count by ch\r')
        time.sleep(0.3)
        sh.send("\x03")
        out = sh.read_until(r"(query cancelled|events matched)[\s\S]*cairn> ", timeout=60)
        check("Ctrl-C cancels the running query", out is not None and "query cancelled" in out, repr(sh.buf[-500:]))
        sh.clear()
        sh.send("\x04")  # Ctrl-D quits
        time.sleep(0.5)
        sh.close()

        # 5. History survives a restart: the Up arrow brings back the last query.
        sh = Pty(argv, env)
        sh.read_until(r"cairn> ")
        sh.clear()
        sh.send("\x1b[A")
        out = sh.read_until(r"stats count by ch", timeout=5)
        check("history survives a restart", out is not None, repr(sh.buf))
        sh.close()

        # 6. Non-interactive: queries from standard input, exit status 1 on a failed query.
        script = "eventName=ConsoleLogin | stats count\n.format csv\neventName=AssumeRole |\n stats count\n"
        r = subprocess.run(argv, input=script, capture_output=True, text=True, env=env)
        assumes = sum(1 for e in events if e.get("eventName") == "AssumeRole")
        check("stdin mode: exit 0", r.returncode == 0, r.stderr)
        check("stdin mode: continued line runs as one query", f"count\n{assumes}\n" in r.stdout, r.stdout)
        check("stdin mode: no colours", "\x1b[" not in r.stdout, repr(r.stdout))
        r = subprocess.run(argv, input="eventName=ConsoleLogin OR\n", capture_output=True, text=True, env=env)
        check("stdin mode: a failed query gives exit 1", r.returncode == 1, r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
