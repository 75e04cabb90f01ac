#!/usr/bin/env python3
"""`cairn hunt` with SigmaHQ's CloudTrail rules, checked against an independent Python Sigma
matcher (tests/sigma_oracle.py), plus the runner's exit codes and `--since last`.

Reads ../shared/sigma/cloudtrail (never copied into the repository) and skips those checks with
a message when it is absent; the exit-code and --since-last checks use rules written here.
- All 57 rules load (`cairn hunt --list`).
- Generated pairs (tests/e2e/sigma_events.py): for every rule, an event built from its
  selection and one that differs in a single selected field; only the first fires, and on the
  whole generated set each rule fires on exactly the events the oracle says.
- ../shared/data/cloudtrail/stratus-red-team/ (one attack technique per file): every rule fires
  on exactly the files (and as many events per file) as the oracle says.
- Exit status 0 without hits, 1 with hits, 2 when a rule cannot load (the others still run).
- --since last over two ingests reports each event once; kill -9 during a run never loses an alert
  (the alerts are out before the state records them); it leaves the
  state either as it was or complete.

    python3 tests/e2e/test_sigma.py --cairn build/cairn --root .
"""
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import e2e_lib  # noqa: E402
from e2e_lib import check  # noqa: E402
import sigma_oracle as oracle  # noqa: E402
import sigma_events  # noqa: E402


def run(cairn, index, *args):
    return subprocess.run([cairn, "--index", index, *args], capture_output=True, text=True)


def ingest(cairn, index, *paths):
    p = run(cairn, index, "ingest", "--quiet", *paths)
    if p.returncode not in (0, 1):
        raise SystemExit(f"ingest failed: {p.stderr}")


def alerts(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def hits_by_rule(found):
    """rule file name → Counter of (source file name, eventID)."""
    out = collections.defaultdict(collections.Counter)
    for a in found:
        rule = os.path.basename(a["rule"]["file"])
        out[rule][(os.path.basename(a.get("source", "")), a["fields"].get("eventID"))] += 1
    return out


def check_generated(cairn, rules_dir, tmp):
    events, pairs, skipped = sigma_events.generate(rules_dir)
    check("sigma: the generator made a pair for every rule", not skipped, str(skipped))
    data = os.path.join(tmp, "generated.ndjson")
    with open(data, "w") as f:
        for ev in events:
            f.write(json.dumps(ev) + "\n")
    index = os.path.join(tmp, "gen-idx")
    ingest(cairn, index, data)
    p = run(cairn, index, "hunt", "--format", "json", rules_dir)
    check("sigma: generated events: exit status 1 (hits)", p.returncode == 1, p.stderr[-2000:])
    got = hits_by_rule(alerts(p.stdout))
    for pair in pairs:
        ids = {eid for (_, eid) in got.get(pair["rule"], {})}
        check(f"sigma {pair['stem']}: the positive fires", pair["positive"] in ids)
        check(f"sigma {pair['stem']}: the near miss ({pair['field']}: {pair['from']} -> {pair['to']}) does not",
              pair["nearmiss"] not in ids)
    # Every rule over every generated event, as the oracle evaluates them.
    for path in oracle.rule_paths([rules_dir]):
        rule = oracle.load_rule(path)
        want = sorted(ev["eventID"] for ev in events if rule.matches(ev))
        have = sorted(eid for (_, eid), n in got.get(os.path.basename(path), {}).items() for _ in range(n))
        check(f"sigma {os.path.basename(path)}: fires on the generated events the oracle says", want == have,
              f"oracle {want}, cairn {have}")
    return len(pairs)


def check_stratus(cairn, rules_dir, stratus, tmp):
    index = os.path.join(tmp, "stratus-idx")
    ingest(cairn, index, stratus)
    p = run(cairn, index, "hunt", "--format", "json", rules_dir)
    check("sigma: stratus-red-team: exit status 1", p.returncode == 1, p.stderr[-2000:])
    got = {rule: collections.Counter(src for (src, _), n in c.items() for _ in range(n))
           for rule, c in hits_by_rule(alerts(p.stdout)).items()}
    files = sorted(os.path.join(stratus, f) for f in os.listdir(stratus) if f.endswith(".json"))
    loaded = {f: oracle.load_events(f) for f in files}
    fired = 0
    for path in oracle.rule_paths([rules_dir]):
        rule = oracle.load_rule(path)
        want = collections.Counter()
        for f, evs in loaded.items():
            n = sum(1 for ev in evs if rule.matches(ev))
            if n:
                want[os.path.basename(f)] = n
        have = got.get(os.path.basename(path), collections.Counter())
        fired += bool(want)
        check(f"sigma {os.path.basename(path)}: stratus-red-team files as the oracle says", want == have,
              f"oracle {dict(want)}, cairn {dict(have)}")
    check("sigma: stratus-red-team: some rules fire at all", fired >= 5, f"{fired} rules fired")


RULE = """title: {title}
id: {id}
author: test
level: high
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventName: {event}
  condition: selection
"""


def check_exit_codes(cairn, tmp):
    rules = os.path.join(tmp, "rules")
    os.makedirs(rules)
    with open(os.path.join(rules, "hit.yml"), "w") as f:
        f.write(RULE.format(title="hit", id="r-hit", event="ConsoleLogin"))
    with open(os.path.join(rules, "miss.yml"), "w") as f:
        f.write(RULE.format(title="miss", id="r-miss", event="NoSuchEvent"))
    data = os.path.join(tmp, "logins.ndjson")
    with open(data, "w") as f:
        for i in range(3):
            f.write(json.dumps({"eventVersion": "1.08", "eventTime": f"2024-05-01T10:0{i}:00Z",
                                "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
                                "eventID": f"login-{i}", "awsRegion": "us-east-1"}) + "\n")
    index = os.path.join(tmp, "exit-idx")
    ingest(cairn, index, data)
    p = run(cairn, index, "hunt", os.path.join(rules, "miss.yml"))
    check("hunt: exit 0 without hits", p.returncode == 0, p.stdout + p.stderr)
    p = run(cairn, index, "hunt", "--format", "json", rules)
    check("hunt: exit 1 with hits", p.returncode == 1, p.stderr)
    found = alerts(p.stdout)
    check("hunt: one alert per matching event, naming rule and author",
          len(found) == 3 and all(a["rule"]["id"] == "r-hit" and a["rule"]["author"] == "test" for a in found),
          p.stdout[:500])
    bad = os.path.join(rules, "broken.yml")
    with open(bad, "w") as f:
        f.write(RULE.format(title="broken", id="r-bad", event="X").replace("condition: selection",
                                                                           "condition: selection | count() > 5"))
    p = run(cairn, index, "hunt", "--format", "json", rules)
    check("hunt: exit 2 when a rule cannot load", p.returncode == 2, p.stderr)
    check("hunt: the failure names the file, line and construct",
          "broken.yml:11" in p.stderr and "count()" in p.stderr, p.stderr)
    check("hunt: the other rules still ran", len(alerts(p.stdout)) == 3, p.stdout[:300])
    p = run(cairn, index, "hunt", "--format", "sarif", rules)
    doc = json.loads(p.stdout)
    check("hunt: SARIF 2.1.0 with the results and the failure",
          doc["version"] == "2.1.0" and len(doc["runs"][0]["results"]) == 3
          and not doc["runs"][0]["invocations"][0]["executionSuccessful"], p.stdout[:500])
    os.remove(bad)
    return rules, index


def check_since_last(cairn, rules, tmp):
    index = os.path.join(tmp, "since-idx")
    def batch(name, first, n):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            for i in range(first, first + n):
                # The second batch holds events older than the first: CloudTrail delivers late.
                f.write(json.dumps({"eventVersion": "1.08", "eventTime": f"2024-05-0{1 + i % 2}T10:{i % 60:02d}:00Z",
                                    "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
                                    "eventID": f"e-{i}", "awsRegion": "us-east-1"}) + "\n")
        return path
    ingest(cairn, index, batch("a.ndjson", 0, 5))
    hunt = [cairn, "--index", index, "hunt", "--format", "json", "--since", "last", rules]
    p1 = subprocess.run(hunt, capture_output=True, text=True)
    ids1 = sorted(a["fields"]["eventID"] for a in alerts(p1.stdout))
    check("since last: the first run reports every event", ids1 == sorted(f"e-{i}" for i in range(5)), str(ids1))
    p2 = subprocess.run(hunt, capture_output=True, text=True)
    check("since last: a second run with nothing new reports nothing, exit 0",
          p2.returncode == 0 and not p2.stdout.strip(), p2.stdout[:300] + p2.stderr)
    ingest(cairn, index, batch("b.ndjson", 5, 4))
    p3 = subprocess.run(hunt, capture_output=True, text=True)
    ids3 = sorted(a["fields"]["eventID"] for a in alerts(p3.stdout))
    check("since last: after a new ingest, exactly the new events (late ones too)",
          ids3 == sorted(f"e-{i}" for i in range(5, 9)), str(ids3))
    state = os.path.join(index, "hunt-state.tsv")
    check("since last: the state file is in the index", os.path.exists(state))

    # kill -9 at various moments: the state is the old one or a whole new one, never torn.
    with open(state) as f:
        before = f.read()
    ingest(cairn, index, batch("c.ndjson", 9, 3))
    torn = []
    delivered = []  # eventIDs the killed runs got out before they died
    for delay in (0.0, 0.002, 0.005, 0.01, 0.02, 0.05):
        proc = subprocess.Popen(hunt, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        for line in out.splitlines():  # the last line may be cut short by the kill
            try:
                delivered.append(json.loads(line)["fields"]["eventID"])
            except ValueError:
                pass
        with open(state) as f:
            now = f.read()
        if now != before and not (now.startswith("cairn-hunt-state 1\n") and now.endswith("\n")):
            torn.append(delay)
        if now != before:
            break
    check("since last: kill -9 never leaves a torn state", not torn, str(torn))
    p4 = subprocess.run(hunt, capture_output=True, text=True)
    ids4 = sorted(a["fields"]["eventID"] for a in alerts(p4.stdout))
    with open(state) as f:
        after_kills = f.read()
    third = {f"e-{i}" for i in range(9, 12)}
    check("since last: after the kills, the next run reports the third batch at most once",
          set(ids4) <= third and len(ids4) == len(set(ids4)), str(ids4))
    check("since last: no alert is lost to a kill: what the killed runs printed and the next run "
          "reports hold the whole third batch", set(delivered) | set(ids4) == third, (delivered, ids4))
    check("since last: the state after a whole run is a complete file", after_kills.startswith("cairn-hunt-state 1\n"))


def main():
    cairn, root = e2e_lib.parse_args()
    shared = os.path.join(os.path.dirname(root), "shared")
    rules_dir = os.path.join(shared, "sigma", "cloudtrail")
    stratus = os.path.join(shared, "data", "cloudtrail", "stratus-red-team", "detonation-logs")
    with tempfile.TemporaryDirectory() as tmp:
        rules, _ = check_exit_codes(cairn, tmp)
        check_since_last(cairn, rules, tmp)
        if not os.path.isdir(rules_dir):
            print(f"SKIP: {rules_dir} is absent: the SigmaHQ rule checks did not run")
            return e2e_lib.finish()
        p = subprocess.run([cairn, "hunt", "--list", rules_dir], capture_output=True, text=True)
        check("sigma: all 57 rules load", "57 rules can run\n" in p.stdout, p.stdout[-1500:])
        n = check_generated(cairn, rules_dir, tmp)
        print(f"generated pairs: {n}")
        if os.path.isdir(stratus):
            check_stratus(cairn, rules_dir, stratus, tmp)
        else:
            print(f"SKIP: {stratus} is absent")
    return e2e_lib.finish()


if __name__ == "__main__":
    sys.exit(main())
