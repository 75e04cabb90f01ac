#!/usr/bin/env python3
"""Writes docs/labs/<lab>.md, each lab's walkthrough, from its lab.yml (the questions, hints,
queries and answers) and the expected output of every query FROM THE PYTHON ORACLES ONLY
(tests/spl_pipeline_oracle.py over the lab's generated files), never from cairn.

    python3 tests/labs/make_walkthroughs.py [--check] [--data-root DIR] [LAB...]

--data-root: where the labs' data is (DIR/<lab>/, as the build makes it); by default each lab's
generator is run into a temporary folder. --check writes nothing and exits 1 if a walkthrough is
not what this script would write. tests/e2e/test_labs.py runs every query of every walkthrough
through cairn and compares its output with the one written here.
"""

import argparse
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import spl_oracle  # noqa: E402
import spl_pipeline_oracle  # noqa: E402
import yaml  # noqa: E402

LABS_DIR = os.path.join(ROOT, "testdata", "labs")
DOCS_DIR = os.path.join(ROOT, "docs", "labs")


def lab_names():
    return sorted(n for n in os.listdir(LABS_DIR) if os.path.exists(os.path.join(LABS_DIR, n, "lab.yml")))


def load_lab(name):
    with open(os.path.join(LABS_DIR, name, "lab.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def generate(name, out):
    subprocess.run([sys.executable, os.path.join(LABS_DIR, name, "generate.py"), "--out", out], check=True)


def lab_events(lab, data_dir):
    """The oracle's events of every data entry, ingested as lab.yml says."""
    events = []
    for d in lab["data"]:
        events.extend(spl_oracle.load_events([os.path.join(data_dir, d["path"])], d.get("index", "main"),
                                             d.get("sourcetype"), d.get("source")))
    return events


def one_line(query):
    return " ".join(line.strip() for line in query.splitlines() if line.strip())


def render(lab, events):
    name = lab["name"]
    out = ["# Lab: %s (`%s`)" % (lab["title"], name), ""]
    out.append("<!-- Written by tests/labs/make_walkthroughs.py from testdata/labs/%s/lab.yml and the oracle's "
               "output; edit those, not this file. -->" % name)
    out.append("")
    out.append(lab["summary"].strip())
    out.append("")
    out.append("After %s. The data is made by `testdata/labs/%s/generate.py` (its storyline is in the "
               "script's docstring); the names, addresses and answers are cairn's own." % (lab["room"], name))
    out.append("")
    out.append("```")
    out.append("cairn lab start %s     # builds the lab's index and lists the tasks" % name)
    out.append("cairn lab shell                        # then .task, .hint N, .answer N VALUE")
    out.append("```")
    out.append("")
    out.append("Each task below gives the question, the hints `cairn lab hint N` shows one at a time, a query "
               "that answers it, the query's output (`cairn search --format csv`) and the answer. Try the task "
               "before reading on.")
    for n, task in enumerate(lab["tasks"], 1):
        out.append("")
        out.append("## Task %d" % n)
        out.append("")
        out.append(task["question"].strip())
        out.append("")
        for k, hint in enumerate(task.get("hints", []), 1):
            out.append("- Hint %d: %s" % (k, " ".join(hint.split())))
        out.append("")
        out.append("```spl")
        out.append(task["query"].rstrip("\n"))
        out.append("```")
        out.append("")
        text = spl_pipeline_oracle.table_text(events, one_line(task["query"]))
        out.append("```csv")
        out.append(text.rstrip("\n"))
        out.append("```")
        out.append("")
        accepted = task.get("accept") or []
        line = "Answer: `%s`" % task["answer"]
        if accepted:
            line += " (also accepted: %s)" % ", ".join("`%s`" % a for a in accepted)
        out.append(line + ".")
    return "\n".join(out) + "\n"


def walkthrough_blocks(text):
    """[(query, expected csv)] of a walkthrough, in task order."""
    blocks, lines, i = [], text.split("\n"), 0
    query = None
    while i < len(lines):
        if lines[i] in ("```spl", "```csv"):
            kind = lines[i]
            j = i + 1
            while lines[j] != "```":
                j += 1
            body = "\n".join(lines[i + 1:j])
            if kind == "```spl":
                query = body
            else:
                blocks.append((query, body + "\n"))
            i = j
        i += 1
    return blocks


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--data-root")
    ap.add_argument("labs", nargs="*")
    args = ap.parse_args()
    stale = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.labs or lab_names():
            lab = load_lab(name)
            data = os.path.join(args.data_root, name) if args.data_root else os.path.join(tmp, name)
            if not args.data_root:
                generate(name, data)
            text = render(lab, lab_events(lab, data))
            path = os.path.join(DOCS_DIR, name + ".md")
            old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if args.check:
                if old != text:
                    print("stale: %s (python3 tests/labs/make_walkthroughs.py rewrites it)" % path)
                    stale += 1
            elif old != text:
                os.makedirs(DOCS_DIR, exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                print("wrote " + path)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
