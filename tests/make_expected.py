#!/usr/bin/env python3
"""Regenerates the expected .out files of the golden query tests FROM THE PYTHON ORACLE
ONLY (tests/spl_oracle.py for the search, tests/spl_pipeline_oracle.py for the pipeline
commands), never from cairn.

    python3 tests/make_expected.py [--root .] [--check] [-k SUBSTRING]

* `count` and `ids` cases: writes the .out from the search oracle's answer.
* `table` cases: writes the .out, the CSV of `cairn search --format csv`, from the pipeline
  oracle (which also gets the case's --macros, --lookups and --lookup-definitions, as absolute
  paths; count and ids cases may not use those options).
* `error` cases: the .out is the exact diagnostic cairn must print and is written by hand
  (the caret column checked by inspection). This script only checks that the oracle
  rejects the query too (the pipeline oracle, which also runs the search part), and that
  the .out exists.
--check writes nothing and exits 1 if a .out differs from what the oracle says.
Python 3.11 standard library only.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import queries_lib  # noqa: E402
import spl_oracle  # noqa: E402
import spl_pipeline_oracle  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--check", action="store_true", help="compare only, write nothing")
    ap.add_argument("-k", dest="filter", help="only cases whose path contains this")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    cases = queries_lib.find_cases(os.path.join(root, "tests", "queries"))
    if args.filter:
        cases = [c for c in cases if args.filter in c.rel]

    event_sets = {}
    problems = written = unchanged = 0
    for case in cases:
        key = case.index_key
        if key not in event_sets:
            # cairn's `source` field is the path as given to ingest, relative to the root
            os.chdir(root)
            queries_lib.ensure_datasets(root, case.datasets)
            event_sets[key] = spl_oracle.load_events(list(case.datasets), case.index_name,
                                                     props=case.props and os.path.join(root, case.props))
        events = event_sets[key]
        if case.expect in ("count", "ids") and (case.macros or case.lookups or case.lookup_definitions):
            # the search oracle knows no macros or lookups: such searches are `table` cases
            print("PROBLEM %s: --macros/--lookups/--lookup-definitions need '# expect: table'" % case.rel)
            problems += 1
            continue
        earliest = queries_lib.option_value(case.options, "--earliest")
        latest = queries_lib.option_value(case.options, "--latest")
        try:
            extra = case.oracle_options(root)  # --macros, --lookups, --lookup-definitions
            if case.expect == "table":
                hits = None
                text = spl_pipeline_oracle.table_text(events, case.query, earliest, latest, **extra)
            elif case.expect == "error":
                hits = spl_pipeline_oracle.run(events, case.query, earliest, latest, **extra).rows
            else:
                hits = spl_oracle.search(events, case.query, earliest, latest)
            error = None
        except spl_oracle.QueryError as e:
            hits, error = None, e
        if case.expect == "error":
            if error is None:
                print("PROBLEM %s: the oracle accepts this query (%d results)" % (case.rel, len(hits)))
                problems += 1
            if not os.path.exists(case.out_path):
                print("PROBLEM %s: write the expected diagnostic by hand in %s" % (case.rel, case.out_path))
                problems += 1
            continue
        if error is not None:
            print("PROBLEM %s: the oracle rejects the query: %s" % (case.rel, error.message))
            problems += 1
            continue
        if case.expect == "table":
            pass
        elif case.expect == "count":
            text = "%d\n" % len(hits)
        else:
            text = queries_lib.format_ids(str(ev.event_id) for ev in hits)
        old = case.read_expected() if os.path.exists(case.out_path) else None
        if old == text:
            unchanged += 1
            continue
        if args.check:
            print("DIFFERS %s: oracle says %s" % (case.rel, text.split("\n")[0]))
            problems += 1
            continue
        with open(case.out_path, "w", encoding="utf-8") as f:
            f.write(text)
        written += 1
        print("wrote %s (%s)" % (os.path.relpath(case.out_path, root), text.split("\n")[0]))
    print("%d cases: %d written, %d unchanged, %d problems" % (len(cases), written, unchanged, problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
