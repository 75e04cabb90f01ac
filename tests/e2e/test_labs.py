#!/usr/bin/env python3
"""End-to-end tests of the training labs (ctest `labs`):

1. Each lab's generator is deterministic: run again into a temporary folder, it writes the same
   bytes as the build did (build/labs/<lab>/).
2. Each task's answer in lab.yml is the one the independent oracle (tests/labs/lab_oracle.py, plain
   Python over the generated files) computes.
3. Each walkthrough (docs/labs/<lab>.md) is what tests/labs/make_walkthroughs.py writes from the
   pipeline oracle, and every query in it gives, through cairn on the lab's index, exactly the
   output it documents.
4. `cairn lab`: list, start, task, hint, answer (the answer, the accepted forms, equivalent
   spellings; near misses rejected), --reveal, status (text and JSON, kept between runs), reset.
5. Every SPL query of ../shared/reference/tryhackme-rooms.md runs on the labs' indexes (index=aws,
   index=task3 ...) without a query error, or is listed in docs/labs/README.md with the reason.
6. A student's session in the shell, in a pseudo-terminal: .task, a query, .hint, .answer.
"""
import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_session import Pty  # noqa: E402

PASSED, FAILED = [], []


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "  -- " + str(detail)[-1200:]))


def same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files:
        return False, "only in build: %s, only in new: %s, differ: %s" % (cmp.left_only[:3], cmp.right_only[:3],
                                                                          cmp.diff_files[:3])
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False, "differ: %s" % (mismatch + errors)[:3]
    for sub in cmp.common_dirs:
        ok, why = same_tree(os.path.join(a, sub), os.path.join(b, sub))
        if not ok:
            return ok, why
    return True, ""


def variants(answer):
    """Spellings a student may type that mean the answer."""
    return [answer.upper(), "  %s  " % answer, '"%s"' % answer, answer + "."]


def near_misses(task):
    a, kind = str(task["answer"]), task.get("kind", "text")
    if kind == "number":
        return [str(int(a) + 1), str(int(a) - 1)]
    if kind == "list":
        items = [x.strip() for x in a.split(",")]
        return [items[0], ", ".join(items + ["22"])]
    if kind == "time":
        return [a[:-1] + str((int(a[-1]) + 1) % 10), a[:10]]
    return [a[:-1], a + "x", a.replace(".", "", 1) if "." in a else a[1:]]


def room_queries(text):
    """(section, query) of every SPL query in tryhackme-rooms.md: inline code that reads as a
    search, in tables and bullets, and each query of its code blocks."""
    out, section, in_code, block = [], "", False, []
    for line in text.split("\n"):
        if line.startswith("```"):
            if in_code:
                cur = []
                for raw in block + [""]:
                    raw = re.sub(r"\s+//.*$", "", raw).rstrip()
                    if not raw.strip() or raw.startswith("#"):
                        if cur:
                            out.append((section, " ".join(x.strip() for x in cur)))
                        cur = []
                        continue
                    if cur and not raw.startswith(("|", " ")):
                        out.append((section, " ".join(x.strip() for x in cur)))
                        cur = []
                    cur.append(raw)
                block = []
            in_code = not in_code
            continue
        if in_code:
            block.append(line)
            continue
        if line.startswith("#"):
            section = line.lstrip("# ").strip()
        for span in re.findall(r"`([^`]+)`", line.replace("\\|", "|")):
            s = span.strip()
            if re.search(r'^(index=|\(|eventName=|sourcetype=|[A-Za-z."]+=|NOT |\*)', s) and ("=" in s or "|" in s):
                out.append((section, s))
    return out


def listed_exceptions(readme):
    """The queries docs/labs/README.md lists as not running, from its table of them."""
    found, inside = {}, False
    for line in open(readme, encoding="utf-8"):
        if line.startswith("#"):
            inside = line.strip() == "### Room queries that do not run"
        m = inside and re.match(r"^\| `(.+)` \| (.+) \|$", line.rstrip("\n"))
        if m:
            found[m.group(1).replace("\\|", "|")] = m.group(2)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    cairn, root = os.path.abspath(a.cairn), os.path.abspath(a.root)
    sys.path.insert(0, os.path.join(root, "tests", "labs"))
    sys.path.insert(0, os.path.join(root, "tests"))
    import lab_oracle
    import make_walkthroughs
    import yaml

    built = os.path.join(os.path.dirname(cairn), "labs")
    names = make_walkthroughs.lab_names()
    check("three labs are defined", len(names) == 3, names)
    tmp = tempfile.mkdtemp(prefix="cairn-labs-")
    env = dict(os.environ, CAIRN_LAB_DATA=built, CAIRN_LABS_HOME=os.path.join(tmp, "home"), TERM="xterm",
               PAGER="cat", CAIRN_HISTORY=os.path.join(tmp, "history"), COLUMNS="200", LINES="200")

    def lab_cmd(*args):
        return subprocess.run([cairn, "lab"] + list(args), capture_output=True, text=True, env=env)

    try:
        labs = {n: make_walkthroughs.load_lab(n) for n in names}
        for name in names:
            lab = labs[name]
            # 1. Deterministic data, the same as the build's.
            fresh = os.path.join(tmp, "gen", name)
            make_walkthroughs.generate(name, fresh)
            shutil.copy(os.path.join(root, "testdata", "labs", name, "lab.yml"), os.path.join(fresh, "lab.yml"))
            ok, why = same_tree(os.path.join(built, name), fresh)
            check("%s: the generator writes the same bytes again (as in the build)" % name, ok, why)

            # 2. lab.yml's answers are the oracle's.
            try:
                answers = lab_oracle.ORACLES[name](fresh)
            except lab_oracle.Ambiguous as e:
                answers = {}
                check("%s: the oracle finds one answer per task" % name, False, e)
            for n, task in enumerate(lab["tasks"], 1):
                check("%s task %d: lab.yml's answer is the oracle's" % (name, n),
                      str(answers.get(n)) == str(task["answer"]), "oracle %r, lab.yml %r" % (answers.get(n),
                                                                                            task["answer"]))

            # 3. The walkthrough: up to date with the oracle, and cairn prints what it says.
            r = subprocess.run([sys.executable, os.path.join(root, "tests", "labs", "make_walkthroughs.py"), "--check",
                                "--data-root", built, name], capture_output=True, text=True)
            check("%s: docs/labs/%s.md is what the oracle gives" % (name, name), r.returncode == 0, r.stdout + r.stderr)

            r = lab_cmd("start", name)
            check("%s: cairn lab start builds the index and lists the tasks" % name,
                  r.returncode == 0 and ("%3d. open" % len(lab["tasks"])) in r.stdout, r.stdout + r.stderr)
            index = os.path.join(tmp, "home", name, "index")
            doc = open(os.path.join(root, "docs", "labs", name + ".md"), encoding="utf-8").read()
            blocks = make_walkthroughs.walkthrough_blocks(doc)
            check("%s: the walkthrough has a query and an output per task" % name, len(blocks) == len(lab["tasks"]),
                  len(blocks))
            for n, (query, expected) in enumerate(blocks, 1):
                r = subprocess.run([cairn, "--index", index, "search", "--quiet", "--format", "csv",
                                    make_walkthroughs.one_line(query)], capture_output=True, text=True)
                check("%s task %d: cairn prints the walkthrough's output" % (name, n), r.stdout == expected,
                      "query %s\nwant\n%s\ngot\n%s%s" % (query, expected, r.stdout, r.stderr))
                check("%s task %d: the answer is in the query's output" % (name, n),
                      lab["tasks"][n - 1].get("kind") in ("list", "time") or
                      str(lab["tasks"][n - 1]["answer"]).lower() in expected.lower() or
                      any(x.lower() in expected.lower() for x in lab["tasks"][n - 1].get("accept", [])), expected)

            # 4. Answers: the right one and its equivalent forms, not near misses.
            for n, task in enumerate(lab["tasks"], 1):
                answer = str(task["answer"])
                for wrong in near_misses(task):
                    r = lab_cmd("answer", str(n), wrong)
                    check("%s task %d: near miss %r rejected" % (name, n, wrong), r.returncode == 1, r.stdout + r.stderr)
                forms = variants(answer) + [str(x) for x in task.get("accept", [])]
                if task.get("kind") == "time":
                    forms += [answer.replace(" ", "T") + "Z", answer + " UTC"]
                if task.get("kind") == "list":
                    forms += [" and ".join(reversed([x.strip() for x in answer.split(",")]))]
                for form in forms:
                    r = lab_cmd("answer", str(n), form)
                    check("%s task %d: %r accepted" % (name, n, form), r.returncode == 0 and "right" in r.stdout,
                          r.stdout + r.stderr)
            r = lab_cmd("status", "--format", "json")
            status = json.loads(r.stdout) if r.returncode == 0 else {}
            check("%s: status counts every task solved" % name,
                  status.get("solved") == len(lab["tasks"]) and status.get("lab") == name, r.stdout + r.stderr)

        # 4b. Progress is kept per lab, reveal and reset.
        first = names[0]
        r = lab_cmd("start", first)
        r = lab_cmd("status", "--lab", first, "--format", "json")
        check("progress survives a restart of the lab", json.loads(r.stdout)["solved"] == len(labs[first]["tasks"]),
              r.stdout)
        r = lab_cmd("reset", first)
        r2 = lab_cmd("status", "--lab", first, "--format", "json")
        check("reset forgets the progress", r.returncode == 0 and json.loads(r2.stdout)["solved"] == 0, r.stdout + r2.stdout)
        r = lab_cmd("answer", "2", "--reveal", "--lab", first)
        st = json.loads(lab_cmd("status", "--lab", first, "--format", "json").stdout)
        check("--reveal prints the answer and the query, the task counts as revealed",
              str(labs[first]["tasks"][1]["answer"]) in r.stdout and st["tasks"][1]["state"] == "revealed", r.stdout)
        r = lab_cmd("hint", "1", "--lab", first)
        r2 = lab_cmd("task", "1", "--lab", first)
        check("a hint is shown, then kept with the task", r.returncode == 0 and
              labs[first]["tasks"][0]["hints"][0].split()[0] in r.stdout and "hint 1:" in r2.stdout, r.stdout + r2.stdout)
        r = lab_cmd("task", "99", "--lab", first)
        check("a task number out of range is a usage error", r.returncode == 2 and "tasks 1 to" in r.stderr, r.stderr)
        for bad in ("../../tmp", "a/b", ".."):
            r = lab_cmd("start", bad)
            check("a lab name that leads elsewhere is refused: %s" % bad,
                  r.returncode == 2 and "is not a lab name" in r.stderr, r.stderr)
        r = lab_cmd("status", "--lab", "../x")
        check("--lab with a path is refused", r.returncode == 1 and "is not a lab name" in r.stderr, r.stderr)
        r = lab_cmd("start", "no-such-lab")
        check("an unknown lab is named", r.returncode == 2 and "no lab named no-such-lab" in r.stderr, r.stderr)
        r = lab_cmd("list")
        check("list shows every lab and the current one", r.returncode == 0 and all(n in r.stdout for n in names)
              and "* " + first in r.stdout, r.stdout)

        # 5. The rooms' queries on the labs' indexes.
        rooms = os.path.join(root, "..", "shared", "reference", "tryhackme-rooms.md")
        if not os.path.exists(rooms):
            print("skip: %s is not here (the rooms' queries are not checked)" % rooms)
        else:
            allidx = os.path.join(tmp, "all")
            for name in names:
                for d in labs[name]["data"]:
                    args = [cairn, "--index", allidx, "ingest", "--quiet", "--index-name", d["index"]]
                    args += ["--sourcetype", d["sourcetype"]] if d.get("sourcetype") else []
                    args += ["--source", d["source"]] if d.get("source") else []
                    subprocess.run(args + [os.path.join(built, name, d["path"])], check=True)
            exceptions = listed_exceptions(os.path.join(root, "docs", "labs", "README.md"))
            queries = room_queries(open(rooms, encoding="utf-8").read())
            check("the rooms' reference lists many queries", len(queries) >= 50, len(queries))
            ran = 0
            for section, q in queries:
                r = subprocess.run([cairn, "--index", allidx, "search", "--quiet", "--format", "csv", q],
                                   capture_output=True, text=True)
                if q in exceptions:
                    check("listed as not running, and it does not: %s" % q, r.returncode != 0, r.stdout + r.stderr)
                else:
                    ran += r.returncode == 0
                    check("room query runs on the labs: %s" % q, r.returncode == 0, r.stderr)
            print("%d of %d room queries ran; %d listed in docs/labs/README.md" % (ran, len(queries), len(exceptions)))

        # 6. A student's session in the shell.
        r = lab_cmd("start", "aws-security-logging")
        r = lab_cmd("reset", "aws-security-logging")
        sh = Pty([cairn, "lab", "shell"], env)
        check("the lab's shell says which lab it is", sh.read_until(r"lab aws-security-logging.*\n(.|\n)*cairn> ")
              is not None, sh.buf)
        sh.buf = ""
        sh.send(".task\r")
        check(".task shows the first open task", sh.read_until(r"task 1 of 12 \(open\): daniel\.okafor") is not None,
              sh.buf)
        sh.send("index=aws eventName=ConsoleLogin userName=daniel.okafor | stats count by sourceIPAddress\r")
        check("a query in the lab's shell shows the addresses", sh.read_until(r"146\.70\.117\.38") is not None, sh.buf)
        sh.buf = ""
        sh.send(".hint 1\r")
        check(".hint shows the first hint", sh.read_until(r"hint 1 of 2 for task 1") is not None, sh.buf)
        sh.send(".answer 1 73.158.22.41\r")
        check(".answer rejects a wrong answer", sh.read_until(r"not the answer to task 1") is not None, sh.buf)
        sh.buf = ""
        sh.send(".answer 1 146.70.117.38\r")
        check(".answer accepts the right one and shows the query",
              sh.read_until(r"right: task 1 is 146\.70\.117\.38(.|\n)*index=aws eventName=ConsoleLogin") is not None,
              sh.buf)
        sh.send(".quit\r")
        sh.close()
        st = json.loads(lab_cmd("status", "--format", "json").stdout)
        check("the shell's answer is kept in the lab's progress", st["tasks"][0]["state"] == "solved", st)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
