"""The hunts part of the benchmark (bench/run imports it; issue #13).

Over the benchmark's CloudTrail index (1M events in a full run) it times `cairn hunt` as whole processes:
the 57 SigmaHQ CloudTrail rules (../shared/sigma/cloudtrail) plus the hunt library (hunts/, with
hunts/lookups), then the Sigma rules alone, then every rule file alone once. Beside it, DuckDB runs the
same Sigma rules converted to SQL by a benchmark-only converter (below) over its table `ct` of the same
NDJSON: one `SELECT count(*) FROM ct WHERE ...` per rule, and all of them as one statement. The hunt
library's .spl hunts are SPL pipelines and are not converted: DuckDB runs the Sigma part only.

Answers: each Sigma rule's hit count in cairn must equal DuckDB's count. A mismatch can be a converter bug
or a cairn bug; on runs of at most ORACLE_MAX_EVENTS events the independent Python matcher
tests/sigma_oracle.py is run on the mismatching rules and the check says which side it agrees with.

The converter (sigma_to_sql) takes the rules as tests/sigma_oracle.py parses them and emits SQL with the
oracle's semantics: case-insensitive matching (lower(...) = / LIKE, `cased` keeps case), `|re` as
regexp_matches (RE2; `|i` `|m` `|s` as inline flags), `null` as "the path reaches no non-null value",
numbers and booleans compared as their JSON text, an object or array as its compact JSON text
(to_json), and a path that meets an array continuing into every element. Field paths are resolved
against DuckDB's inferred schema (DESCRIBE ct): STRUCT fields, LIST elements (list_transform / flatten /
list_filter), MAP(VARCHAR, JSON) values (map_extract_value) and JSON (json_extract; one array level per
step); a path the schema does not have reaches nothing (a match is FALSE, `null` is TRUE). Keywords (a
search of the whole event text) and IPv6 `|cidr` are not converted; such a rule is skipped with the reason.
"""

import ipaddress
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIGMA_DIR = os.environ.get("BENCH_SIGMA_DIR") or os.path.join(os.path.dirname(ROOT), "shared", "sigma", "cloudtrail")
HUNTS_DIR = os.environ.get("BENCH_HUNTS_DIR") or os.path.join(ROOT, "hunts")
MAX_ALERTS = 10000        # cairn hunt's default --max-alerts: alerts printed per rule (every hit is counted)
ORACLE_MAX_EVENTS = 200000
SLOW_MS = 10000           # a set of rules whose first run takes longer is run only once
NOTICE = re.compile(r"^cairn hunt: (.*): (\d+) hits?, the first \d+ shown", re.M)


# ------------------------------------------------------------------------------ DuckDB types

def parse_type(s):
    """A DuckDB type string (DESCRIBE's column_type) as a tuple: ('STRUCT', [(name, type)]), ('LIST', type),
    ('MAP', key, value) or (NAME,) for anything else (VARCHAR, JSON, BIGINT, TIMESTAMP, DECIMAL(18,3), ...)."""
    pos = [0]

    def ws():
        while pos[0] < len(s) and s[pos[0]] == " ":
            pos[0] += 1

    def ident():
        ws()
        if s[pos[0]] == '"':
            j, out = pos[0] + 1, []
            while True:
                if s[j] == '"':
                    if j + 1 < len(s) and s[j + 1] == '"':
                        out.append('"')
                        j += 2
                        continue
                    break
                out.append(s[j])
                j += 1
            pos[0] = j + 1
            return "".join(out)
        j = pos[0]
        while s[j] != " ":
            j += 1
        name, pos[0] = s[pos[0]:j], j
        return name

    def typ():
        ws()
        if s.startswith("STRUCT(", pos[0]):
            pos[0] += len("STRUCT(")
            fields = []
            while True:
                name = ident()
                fields.append((name, typ()))
                ws()
                c = s[pos[0]]
                pos[0] += 1
                if c == ")":
                    break
            t = ("STRUCT", fields)
        elif s.startswith("MAP(", pos[0]):
            pos[0] += len("MAP(")
            k = typ()
            ws()
            pos[0] += 1  # ','
            v = typ()
            ws()
            pos[0] += 1  # ')'
            t = ("MAP", k, v)
        else:
            j, depth = pos[0], 0
            while j < len(s) and (depth or s[j] not in ",)["):
                depth += {"(": 1, ")": -1}.get(s[j], 0)
                j += 1
            t, pos[0] = (s[pos[0]:j].strip(),), j
        while pos[0] < len(s) and s[pos[0]] == "[":
            pos[0] = s.index("]", pos[0]) + 1
            t = ("LIST", t)
        return t

    return typ()


# --------------------------------------------------------------------------- Sigma to SQL

class NotConverted(Exception):
    """A rule construct the converter does not turn into SQL; the message names it."""


def lit(s):
    return "'" + str(s).replace("'", "''") + "'"


def ident(name):
    return '"' + name.replace('"', '""') + '"'


class VS:
    """A set of values in SQL: kind 'scalar' (one value of DuckDB type `typ`, NULL = none) or 'list' (a
    LIST whose elements, of type `typ`, are the values)."""

    def __init__(self, kind, sql, typ):
        self.kind, self.sql, self.typ = kind, sql, typ


class Converter:
    def __init__(self, schema):
        """schema: [(column name, DuckDB type string)] of table ct."""
        self.columns = {name: parse_type(t) for name, t in schema}
        self.nvar = 0

    def var(self):
        self.nvar += 1
        return "x%d" % self.nvar

    # -- paths
    def path_values(self, field):
        """The alternatives (a list of VS) holding the values the dotted path reaches."""
        parts = [p[:-2] if p.endswith("{}") else p for p in field.split(".")]
        if parts[0] not in self.columns:
            return []
        return self.walk(VS("scalar", ident(parts[0]), self.columns[parts[0]]), parts[1:])

    def elements(self, vs):
        """The elements of a LIST-typed value set."""
        if vs.kind == "scalar":
            return VS("list", vs.sql, vs.typ[1])
        return VS("list", "flatten(%s)" % vs.sql, vs.typ[1])

    def child(self, vs, fn, typ):
        if vs.kind == "scalar":
            return VS("scalar", fn(vs.sql), typ)
        x = self.var()
        return VS("list", "list_transform(%s, lambda %s: %s)" % (vs.sql, x, fn(x)), typ)

    def walk(self, vs, parts):
        t = vs.typ
        if not parts:
            return self.leaf(vs)
        if t[0] == "LIST":
            return self.walk(self.elements(vs), parts)
        k = parts[0]
        if t[0] == "STRUCT":
            ft = dict(t[1]).get(k)
            if ft is None:
                return []
            return self.walk(self.child(vs, lambda e: "struct_extract(%s, %s)" % (e, lit(k)), ft), parts[1:])
        if t[0] == "MAP":
            if t[1] != ("VARCHAR",):
                return []
            return self.walk(self.child(vs, lambda e: "map_extract_value(%s, %s)" % (e, lit(k)), t[2]), parts[1:])
        if t[0] == "JSON":
            lst = vs.sql if vs.kind == "list" else "[%s]" % vs.sql
            for k in parts:
                x, y = self.var(), self.var()
                jp = lit('$."%s"' % k.replace("\\", "\\\\").replace('"', '\\"'))
                lst = ("flatten(list_transform(%s, lambda %s: CASE json_type(%s) WHEN 'OBJECT' THEN [json_extract(%s, %s)] "
                       "WHEN 'ARRAY' THEN list_transform(CAST(%s AS JSON[]), lambda %s: json_extract(%s, %s)) "
                       "ELSE []::JSON[] END))" % (lst, x, x, x, jp, x, y, y, jp))
            return self.leaf(VS("list", lst, ("JSON",)))
        return []  # a scalar has no fields

    def leaf(self, vs):
        """The values at the end of a path: the node itself (an array or object as its JSON text) and, for an
        array, each element."""
        t = vs.typ
        if t[0] == "LIST":
            return [vs] + self.walk(self.elements(vs), [])
        if t[0] == "JSON":
            x = self.var()
            arr = "CASE WHEN json_type(%s) = 'ARRAY' THEN CAST(%s AS JSON[]) ELSE []::JSON[] END"
            if vs.kind == "scalar":
                elems = arr % (vs.sql, vs.sql)
            else:
                elems = "flatten(list_transform(%s, lambda %s: %s))" % (vs.sql, x, arr % (x, x))
            return [vs, VS("list", elems, t)]
        return [vs]

    # -- values
    @staticmethod
    def text(sql, t):
        """A value as the text Sigma compares (NULL for no value)."""
        name = t[0]
        if name == "VARCHAR":
            return sql
        if name == "JSON":
            return ("CASE json_type(%s) WHEN 'VARCHAR' THEN json_extract_string(%s, '$') WHEN 'NULL' THEN NULL "
                    "ELSE CAST(%s AS VARCHAR) END" % (sql, sql, sql))
        if name in ("STRUCT", "MAP", "LIST"):
            return "CAST(to_json(%s) AS VARCHAR)" % sql
        if name.startswith("TIMESTAMP"):
            return "strftime(%s, '%%Y-%%m-%%dT%%H:%%M:%%SZ')" % sql
        return "CAST(%s AS VARCHAR)" % sql

    @staticmethod
    def nonnull(sql, t):
        if t[0] == "JSON":
            return "(%s IS NOT NULL AND json_type(%s) <> 'NULL')" % (sql, sql)
        return "%s IS NOT NULL" % sql

    def any_value(self, alts, pred):
        """SQL true when some value of the alternatives satisfies pred(text SQL) (never NULL)."""
        out = []
        for vs in alts:
            if vs.kind == "scalar":
                out.append("coalesce(%s, false)" % pred(self.text(vs.sql, vs.typ)))
            else:
                x = self.var()
                out.append("coalesce(len(list_filter(%s, lambda %s: %s)) > 0, false)" % (
                    vs.sql, x, pred(self.text(x, vs.typ))))
        return " OR ".join(out) if out else "false"

    def exists(self, alts):
        out = []
        for vs in alts:
            if vs.kind == "scalar":
                out.append("coalesce(%s, false)" % self.nonnull(vs.sql, vs.typ))
            else:
                x = self.var()
                out.append("coalesce(len(list_filter(%s, lambda %s: %s)) > 0, false)" % (vs.sql, x, self.nonnull(x, vs.typ)))
        return "(" + " OR ".join(out) + ")" if out else "false"

    # -- items
    def text_pred(self, item, v):
        """pred(text SQL) -> SQL for one rule value (every operator but null / exists / fieldref)."""
        import sigma_oracle as so
        op, s = item.op, so.text_of(v)
        if op == "re":
            flags = "".join(f for f in "ims" if f in item.mods)
            rx = ("(?%s)" % flags if flags else "") + s
            return lambda t: "regexp_matches(%s, %s)" % (t, lit(rx))
        if op == "cidr":
            try:
                net = ipaddress.ip_network(s, strict=False)
            except ValueError as e:
                raise NotConverted("'cidr' value %r: %s" % (s, e))
            if net.version != 4:
                raise NotConverted("IPv6 |cidr")
            lo, hi = int(net.network_address), int(net.broadcast_address)
            octet = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            full = lit(r"%s(\.%s){3}" % (octet, octet))

            def cidr(t):
                num = " + ".join("TRY_CAST(split_part(%s, '.', %d) AS BIGINT) * %d" % (t, i + 1, 256 ** (3 - i))
                                 for i in range(4))
                return "(regexp_full_match(%s, %s) AND (%s) BETWEEN %d AND %d)" % (t, full, num, lo, hi)
            return cidr
        if op in ("gt", "gte", "lt", "lte"):
            try:
                bound = float(s)
            except ValueError as e:
                raise NotConverted("'%s' value %r: %s" % (op, s, e))
            sym = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            return lambda t: "TRY_CAST(%s AS DOUBLE) %s %r" % (t, sym, bound)
        toks = so.tokens(s) if isinstance(v, str) else list(s)
        star = [("*",)]
        toks = {"eq": toks, "contains": star + toks + star, "startswith": toks + star, "endswith": star + toks}[op]
        if all(isinstance(c, str) for c in toks):  # no wildcard: equality
            plain = "".join(toks)
            if item.cased:
                return lambda t: "%s = %s" % (t, lit(plain))
            return lambda t: "lower(%s) = %s" % (t, lit(plain.lower()))
        pat = "".join("%" if c == ("*",) else "_" if c == ("?",) else
                      ("\\" + c if c in "%_\\" else c) for c in toks)
        if item.cased:
            return lambda t: "%s LIKE %s ESCAPE '\\'" % (t, lit(pat))
        return lambda t: "lower(%s) LIKE %s ESCAPE '\\'" % (t, lit(pat.lower()))

    def item_sql(self, item):
        import sigma_oracle as so
        if item.field == "":
            raise NotConverted("keywords (a search of the whole event text; the table has no raw text)")
        alts = self.path_values(item.field)
        vals = item.values
        # any of several plain values: one IN list
        if (not item.all and item.op == "eq" and not item.cased and len(vals) > 1 and
                all(v is not None and not isinstance(v, (dict, list)) and
                    all(isinstance(c, str) for c in (so.tokens(v) if isinstance(v, str) else list(so.text_of(v))))
                    for v in vals)):
            texts = sorted({"".join(so.tokens(v)).lower() if isinstance(v, str) else so.text_of(v).lower() for v in vals})
            return "(%s)" % self.any_value(alts, lambda t: "lower(%s) IN (%s)" % (t, ", ".join(lit(x) for x in texts)))
        pieces = []
        for v in vals:
            if v is None:
                pieces.append("NOT %s" % self.exists(alts))
            elif item.op == "exists":
                want = v if isinstance(v, bool) else so.text_of(v).lower() == "true"
                pieces.append(self.exists(alts) if want else "NOT %s" % self.exists(alts))
            elif item.op == "fieldref":
                other = self.path_values(so.text_of(v))
                fold = (lambda t: t) if item.cased else (lambda t: "lower(%s)" % t)
                cmp = {"eq": lambda a, b: "%s = %s" % (fold(a), fold(b)),
                       "contains": lambda a, b: "contains(%s, %s)" % (fold(a), fold(b)),
                       "startswith": lambda a, b: "starts_with(%s, %s)" % (fold(a), fold(b)),
                       "endswith": lambda a, b: "suffix(%s, %s)" % (fold(a), fold(b))}[item.strop]
                pieces.append("(%s)" % self.any_value(alts, lambda ta: "(%s)" % self.any_value(
                    other, lambda tb: cmp(ta, tb))))
            else:
                pieces.append("(%s)" % self.any_value(alts, self.text_pred(item, v)))
        return "(" + (" AND " if item.all else " OR ").join(pieces) + ")"

    # -- rules
    def rule_where(self, rule):
        """The WHERE expression of a rule parsed by tests/sigma_oracle.py (raises NotConverted)."""
        self.nvar = 0
        sels = {}
        for name, sel in rule.selections.items():
            alts = ["(" + " AND ".join(self.item_sql(i) for i in alt) + ")" for alt in sel.alternatives]
            sels[name] = "(" + " OR ".join(alts) + ")"
        conds = [condition_sql(c, sels) for c in rule.condition_texts]
        return conds[0] if len(conds) == 1 else "(" + " OR ".join(conds) + ")"


def condition_sql(text, sels):
    """A Sigma condition as SQL over the selections' SQL (the grammar of tests/sigma_oracle.py)."""
    names = list(sels)
    if "|" in text:
        raise NotConverted("aggregation in condition %r" % text)
    toks = re.findall(r"\(|\)|[^\s()]+", text)
    pos = [0]

    def peek():
        return toks[pos[0]].lower() if pos[0] < len(toks) else None

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def expr():
        terms = [and_expr()]
        while peek() == "or":
            take()
            terms.append(and_expr())
        return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"

    def and_expr():
        terms = [not_expr()]
        while peek() == "and":
            take()
            terms.append(not_expr())
        return terms[0] if len(terms) == 1 else "(" + " AND ".join(terms) + ")"

    def not_expr():
        if peek() == "not":
            take()
            return "(NOT %s)" % not_expr()
        return atom()

    def atom():
        t = peek()
        if t is None:
            raise NotConverted("truncated condition %r" % text)
        if t == "(":
            take()
            e = expr()
            if peek() != ")":
                raise NotConverted("unbalanced parentheses in %r" % text)
            take()
            return e
        if pos[0] + 1 < len(toks) and toks[pos[0] + 1].lower() == "of":
            quant = take().lower()
            take()
            pat = take()
            if pat.lower() == "them":
                sel = [n for n in names if not n.startswith("_")]
            else:
                rx = re.compile("".join(".*" if c == "*" else re.escape(c) for c in pat))
                sel = [n for n in names if rx.fullmatch(n)]
            if quant not in ("1", "any", "all") or not sel:
                raise NotConverted("%r in condition %r" % (quant + " of " + pat, text))
            return "(" + (" AND " if quant == "all" else " OR ").join(sels[n] for n in sel) + ")"
        name = take()
        if name not in sels:
            raise NotConverted("unknown identifier %r in %r" % (name, text))
        return sels[name]

    e = expr()
    if pos[0] != len(toks):
        raise NotConverted("unexpected %r in %r" % (toks[pos[0]], text))
    return e


# ------------------------------------------------------------------------------- cairn runs

def rule_files(path):
    """The files `cairn hunt PATH` runs (recursive, *.spl / *.yml / *.yaml, hidden entries skipped)."""
    out = []
    for dirpath, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [os.path.join(dirpath, f) for f in sorted(files)
                if not f.startswith(".") and f.endswith((".spl", ".yml", ".yaml"))]
    return sorted(out)


def median(xs):
    return statistics.median(xs) if xs else None


def mstats(xs):
    return {"median": median(xs), "min": min(xs), "max": max(xs), "n": len(xs), "all": xs} if xs else None


def run_hunt(h, index, paths, extra, section=None):
    """One `cairn hunt` process: wall ms, exit status, alerts (JSON lines) per rule file, hits per file from
    the --max-alerts notices on stderr, output bytes."""
    cmd = [h.cairn, "--index", index, "hunt"] + extra + paths
    if section:
        h.cmd(section, cmd)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True)
    wall = (time.perf_counter() - t0) * 1000
    alerts = Counter()
    bad = 0
    for line in r.stdout.splitlines():
        try:
            alerts[os.path.normpath(json.loads(line)["rule"]["file"])] += 1
        except (ValueError, KeyError, TypeError):
            bad += 1
    err = r.stderr.decode(errors="replace")
    notices = {os.path.normpath(m.group(1)): int(m.group(2)) for m in NOTICE.finditer(err)}
    return {"ms": wall, "exit": r.returncode, "alerts": alerts, "notices": notices, "bytes": len(r.stdout),
            "bad_lines": bad, "stderr": err[-1500:] if r.returncode not in (0, 1) or bad else ""}


def timed_hunts(h, index, paths, extra, runs, warmup, section):
    """Median of `runs` whole-process runs (after `warmup` untimed ones); the last run's output. When the first
    run takes more than SLOW_MS it is the only one (and counts: the index is already in the page cache)."""
    last, times, exits = None, [], []
    for i in range(warmup + runs):
        last = run_hunt(h, index, paths, extra, section if i == 0 else None)
        exits.append(last["exit"])
        if i == 0 and last["ms"] > SLOW_MS:
            times.append(last["ms"])
            break
        if i >= warmup:
            times.append(last["ms"])
    return {"ms": mstats(times), "exits": exits, "alerts": dict(last["alerts"]), "notices": last["notices"],
            "bytes": last["bytes"], "bad_lines": last["bad_lines"], "stderr": last["stderr"],
            "ok": all(e in (0, 1) for e in exits) and not last["bad_lines"]}


# ----------------------------------------------------------------------------------- DuckDB

def duck_node(h, mode, cfg, section):
    cfg_path = os.path.join(h.dir, "duckdb-hunts-%s-config.json" % mode)
    out_path = os.path.join(h.dir, "duckdb-hunts-%s.json" % mode)
    json.dump(cfg, open(cfg_path, "w"), indent=1)
    if os.path.exists(out_path):
        os.remove(out_path)
    cmd = ["node", os.path.join(HERE, "duckdb_hunts.mjs"), mode, cfg_path, out_path]
    h.cmd(section, cmd)
    r = subprocess.run(cmd, capture_output=True, text=True)
    try:
        res = json.load(open(out_path))
    except Exception:
        res = {"ok": False}
    if r.returncode != 0 or not res.get("ok"):
        res["ok"] = False
        res["error"] = ("%s %s" % (res.get("error", ""), r.stderr.strip()[-800:])).strip()
    return res


def oracle_counts(ndjson, paths):
    """The Python Sigma matcher's hit count for each rule file."""
    import sigma_oracle as so
    events = []
    with open(ndjson, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                events.append(so.load_json(line))
    out = {}
    for p in paths:
        rule = so.load_rule(p)
        out[p] = sum(1 for e in events if rule.matches(e))
    return out


# -------------------------------------------------------------------------------------- run

def run(h, index, ndjson, events, log, banner, have_duck):
    sigma = sorted(f for f in rule_files(SIGMA_DIR) if f.endswith((".yml", ".yaml"))) if os.path.isdir(SIGMA_DIR) else []
    hunts = rule_files(HUNTS_DIR) if os.path.isdir(HUNTS_DIR) else []
    lookups = os.path.join(HUNTS_DIR, "lookups")
    extra_lk = ["--lookups", lookups] if hunts and os.path.isdir(lookups) else []
    nruns = 1 if h.smoke else max(3, min(h.runs, 5))
    warmup = 0 if h.smoke else 1
    banner("hunts: %d Sigma rules%s, `cairn hunt` whole process (median of %d) against DuckDB" % (
        len(sigma), " + %d hunt-library files" % len(hunts) if hunts else "", nruns))
    out = {"events": events, "runs": nruns, "warmup": warmup, "max_alerts": MAX_ALERTS, "checks": [], "notes": [],
           "sigma_dir": SIGMA_DIR, "sigma_rules": len(sigma), "hunts_dir": os.path.relpath(HUNTS_DIR, ROOT),
           "hunt_files": len(hunts), "lookups": os.path.relpath(lookups, ROOT) if extra_lk else None,
           "cairn": {}, "rules": []}
    checks = out["checks"]

    def check(query, system, ref, expected, got, ok, why=None):
        status = "skip" if ok is None else ("pass" if ok else "FAIL")
        checks.append({"query": query, "system": system, "ref": ref, "expected": expected, "got": got,
                       "status": status, "why": why})
        if status != "pass" or query.startswith("_"):
            log("  %-4s %-40s %-14s %s" % (status, query, system, why or "= %s" % (got,)))

    if not sigma:
        out["sigma_skipped"] = ("%s is not there (the SigmaHQ rules live outside the repository, in "
                                "../shared/sigma/cloudtrail)" % SIGMA_DIR)
        log("  Sigma rules skipped: " + out["sigma_skipped"])
    if not hunts:
        out["hunts_skipped"] = "%s is not there yet" % os.path.relpath(HUNTS_DIR, ROOT)
        log("  hunt library skipped: " + out["hunts_skipped"])
    if not sigma and not hunts:
        out["skipped"] = "neither the Sigma rules nor the hunt library is there"
        return out
    roots = ([SIGMA_DIR] if sigma else []) + ([HUNTS_DIR] if hunts else [])
    jq = ["--format", "json", "--quiet"]

    # ---- cairn: the whole set, the Sigma rules alone, the Sigma rules counting hits only; each rule file alone
    c = out["cairn"]
    c["all"] = timed_hunts(h, index, roots, jq + extra_lk, nruns, warmup, "cairn hunt (all rules)")
    if sigma and hunts and not h.smoke:  # (the smoke run checks answers; it skips this timing)
        c["sigma"] = timed_hunts(h, index, [SIGMA_DIR], jq, nruns, warmup, "cairn hunt (Sigma rules)")
    elif sigma:
        c["sigma"] = c["all"]
    counting = ["--format", "json", "--max-alerts", "0"]
    if sigma:
        c["counts"] = timed_hunts(h, index, [SIGMA_DIR], counting, nruns, warmup,
                                  "cairn hunt (Sigma rules, hits counted, no alerts printed)")
    for name, res in c.items():
        if name == "sigma" and res is c["all"]:
            continue
        check("_hunt_%s" % name, "cairn", "exit 0 or 1", "0 or 1", res["exits"], res["ok"],
              None if res["ok"] else "exit %s, %d lines not JSON: %s" % (res["exits"], res["bad_lines"], res["stderr"]))
        log("  cairn hunt %-7s %s ms (min %s, max %s), %s alerts, %.1f MB printed" % (
            name, "%.0f" % res["ms"]["median"], "%.0f" % res["ms"]["min"], "%.0f" % res["ms"]["max"],
            format(sum(res["alerts"].values()), ","), res["bytes"] / 1e6))
    # hits: a Sigma rule's from the --max-alerts notices of the counting run (exact beyond MAX_ALERTS); a hunt's
    # are the rows it printed, as cairn does not count a .spl hunt's rows beyond --max-alerts (below)
    notices, shown = (c.get("counts") or {}).get("notices") or {}, c["all"]["alerts"]
    hits = {}
    for f in sigma:
        hits[f] = notices.get(os.path.normpath(f), 0)
    for f in hunts:
        hits[f] = shown.get(os.path.normpath(f), 0)
    bad = ["%s: %d alerts printed, %d hits" % (os.path.basename(f), shown.get(os.path.normpath(f), 0), hits[f])
           for f in sigma if shown.get(os.path.normpath(f), 0) != min(hits[f], MAX_ALERTS)]
    if sigma:
        check("_hunt_alerts", "cairn", "hits", None, None, not bad, "; ".join(bad[:8]) or None)
    capped = [os.path.basename(f) for f in hunts if shown.get(os.path.normpath(f), 0) >= MAX_ALERTS]
    if capped:
        out["notes"].append("the hits of %s are at least %s (the rows printed; --max-alerts)" % (
            ", ".join(capped), format(MAX_ALERTS, ",")))

    h.cmd("cairn hunt (each rule file alone, once)",
          " ".join([h.cairn, "--index", index, "hunt"] + jq) + " FILE   # for each rule file" +
          ("; hunt-library files with --lookups %s" % lookups if extra_lk else ""))
    files = sigma + hunts
    alone = [lambda f=f: run_hunt(h, index, [f], jq + (extra_lk if f in hunts else [])) for f in files]
    if h.smoke:  # two at a time: the smoke run checks the answers, its times are not reported
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(2) as ex:
            per = dict(zip(files, ex.map(lambda fn: fn(), alone)))
    else:
        per = {f: fn() for f, fn in zip(files, alone)}
    alone_bad = []
    for f in files:
        r = per[f]
        n_alone, n_all = r["alerts"].get(os.path.normpath(f), 0), shown.get(os.path.normpath(f), 0)
        if r["exit"] not in (0, 1) or n_alone != n_all:
            alone_bad.append("%s: exit %d, %d alerts alone, %d with the others%s" % (
                os.path.basename(f), r["exit"], n_alone, n_all, (" (" + r["stderr"].strip()[-200:] + ")") if r["stderr"] else ""))
    check("_hunt_alone", "cairn", "all rules", None, None, not alone_bad, "; ".join(alone_bad[:8]) or None)
    # does --max-alerts 0 count a .spl hunt's rows, as it does a Sigma rule's hits? (the quickest hunt with rows)
    with_rows = sorted((per[f]["ms"], f) for f in hunts if hits[f])
    if with_rows:
        f = with_rows[0][1]
        r = run_hunt(h, index, [f], counting + extra_lk)
        out["spl_counting"] = {"file": os.path.relpath(f, ROOT), "rows": hits[f], "exit": r["exit"],
                               "counted": r["notices"].get(os.path.normpath(f))}
        if r["notices"].get(os.path.normpath(f)) != hits[f]:
            out["notes"].append(
                "`cairn hunt --max-alerts 0 %s` exits %d and reports %s, though the hunt has %d rows: for a .spl hunt "
                "cairn does not count the rows beyond --max-alerts (a Sigma rule's hits it does, on stderr, as "
                "docs/hunts.md says of every rule), so a hunt's hits here are the rows printed by the default run"
                % (os.path.relpath(f, ROOT), r["exit"], "a count of %s" % r["notices"][os.path.normpath(f)]
                   if os.path.normpath(f) in r["notices"] else "no count", hits[f]))
    for n in out["notes"]:
        log("  note: " + n)

    # ---- DuckDB: the Sigma rules as SQL
    duck = {}
    out["duckdb"] = duck
    rules = {}
    for f in sigma + hunts:
        rid = os.path.splitext(os.path.basename(f))[0]
        rules[f] = {"id": rid, "kind": "sigma" if f in sigma else "hunt",
                    "file": f if f in sigma else os.path.relpath(f, ROOT), "hits": hits[f],
                    "alerts": shown.get(os.path.normpath(f), 0), "cairn_ms": per[f]["ms"], "cairn_exit": per[f]["exit"]}
    try:
        sys.path.insert(0, os.path.join(ROOT, "tests"))
        import sigma_oracle  # noqa: F401
    except Exception as e:  # PyYAML missing, say
        duck["skipped"] = "tests/sigma_oracle.py could not be imported: %s" % e
    if not sigma:
        duck["skipped"] = "no Sigma rules"
    elif not have_duck:
        duck["skipped"] = "DuckDB is not available (see the notes)"
    if not duck.get("skipped"):
        db = os.path.join(h.dir, "duck-hunts.db")
        # the whole file is sampled for the schema, so no field of a rare event type is left out of it
        load_sql = "SELECT * FROM read_json(%s, format='newline_delimited', sample_size=-1)" % lit(ndjson)
        ld = duck_node(h, "load", {"ndjson": ndjson, "db": db, "loadSql": load_sql}, "duckdb (hunts)")
        if ld.get("loadSql"):
            h.cmd("duckdb (hunts; inside node, bench/duckdb_hunts.mjs)", ld["loadSql"] + "; CHECKPOINT;")
        duck.update({"runs": h.runs, "version": ld.get("version"), "load_ms": ld.get("loadMs"), "rows": ld.get("rows"),
                     "threads": ld.get("threads"), "load_sql": ld.get("loadSql"), "table_bytes": ld.get("tableBytes")})
        if not ld.get("ok"):
            duck["error"] = ld["error"]
            h.note("DuckDB hunts load failed: %s" % ld["error"])
        else:
            check("_hunt_duckdb_load", "duckdb", "generator", events, ld["rows"], ld["rows"] == events)
            conv = Converter(ld["schema"])
            import sigma_oracle as so
            queries = []
            for f in sigma:
                rr = rules[f]
                try:
                    where = conv.rule_where(so.load_rule(f))
                    rr["sql"] = "SELECT count(*) FROM ct WHERE " + where
                    queries.append({"id": rr["id"], "sql": rr["sql"], "where": where})
                except (NotConverted, so.Unsupported) as e:
                    rr["not_converted"] = str(e)
            batch = {"sql": "SELECT " + ",\n  ".join("count(*) FILTER (WHERE %s)" % q["where"] for q in queries) +
                     "\nFROM ct", "ids": [q["id"] for q in queries]} if queries else None
            qr = duck_node(h, "query", {"db": db, "runs": h.runs, "queries": [{"id": q["id"], "sql": q["sql"]} for q in queries],
                                        "batch": batch}, "duckdb (hunts)")
            if not qr.get("ok"):
                duck["error"] = qr["error"]
                h.note("DuckDB hunts queries failed: %s" % qr["error"])
            by_id = {r["id"]: r for r in rules.values() if r["kind"] == "sigma"}
            for q in queries:
                d = (qr.get("queries") or {}).get(q["id"]) or {}
                rr = by_id[q["id"]]
                if d.get("error"):
                    rr["duckdb_error"] = d["error"]
                elif "count" in d:
                    rr["duckdb_count"] = d["count"]
                    rr["duckdb_ms"] = mstats(d["times"])
            b = qr.get("batch") or {}
            if b.get("counts"):
                duck["batch_ms"] = mstats(b["times"])
                diff = ["%s: %s in one statement, %s alone" % (i, n, by_id[i].get("duckdb_count"))
                        for i, n in b["counts"].items() if n != by_id[i].get("duckdb_count")]
                check("_hunt_duckdb_batch", "duckdb", "duckdb per rule", None, None, not diff, "; ".join(diff[:8]) or None)
            elif b.get("error"):
                duck["batch_error"] = b["error"]
            timed = [r for r in rules.values() if r.get("duckdb_ms")]
            duck["converted"] = len(queries)
            duck["timed"] = len(timed)
            duck["sum_ms"] = sum(r["duckdb_ms"]["median"] for r in timed) if timed else None
            duck["sum_cairn_alone_ms"] = sum(r["cairn_ms"] for r in timed) if timed else None
        if not h.smoke:
            for fn in ("duck-hunts.db", "duck-hunts.db.wal"):
                if os.path.exists(os.path.join(h.dir, fn)):
                    os.remove(os.path.join(h.dir, fn))
    if duck.get("skipped"):
        log("  DuckDB skipped: " + duck["skipped"])

    # ---- answers: cairn's hits against DuckDB's count, per Sigma rule
    mism = []
    for f in sigma:
        rr = rules[f]
        q = "hunt:" + rr["id"]
        if duck.get("skipped") or duck.get("error") and "duckdb_count" not in rr:
            check(q, "duckdb", "cairn", rr["hits"], None, None, "DuckDB: " + (duck.get("skipped") or "failed"))
        elif rr.get("not_converted"):
            check(q, "duckdb", "cairn", rr["hits"], None, None, "not converted to SQL: " + rr["not_converted"])
        elif rr.get("duckdb_error"):
            check(q, "duckdb", "cairn", rr["hits"], "error", False, "DuckDB error: " + rr["duckdb_error"][:300])
        else:
            ok = rr.get("duckdb_count") == rr["hits"]
            check(q, "duckdb", "cairn", rr["hits"], rr.get("duckdb_count"), ok,
                  None if ok else "cairn %s hits, DuckDB %s" % (rr["hits"], rr.get("duckdb_count")))
            if not ok:
                mism.append(f)
    if mism:
        if events <= ORACLE_MAX_EVENTS:
            log("  running tests/sigma_oracle.py on the %d mismatching rule(s)" % len(mism))
            try:
                oc = oracle_counts(ndjson, mism)
            except Exception as e:
                oc = {}
                log("  oracle failed: %s" % e)
            for f in mism:
                rr = rules[f]
                if f not in oc:
                    continue
                rr["oracle_count"] = oc[f]
                side = ("cairn" if oc[f] == rr["hits"] else "DuckDB (the converter)" if oc[f] == rr.get("duckdb_count")
                        else "neither")
                for ck in checks:
                    if ck["query"] == "hunt:" + rr["id"] and ck["status"] == "FAIL":
                        ck["why"] += "; tests/sigma_oracle.py says %d: it agrees with %s" % (oc[f], side)
                        log("       %s: oracle %d, agrees with %s" % (rr["id"], oc[f], side))
        else:
            out["notes"].append("tests/sigma_oracle.py was not run on the mismatching rules (more than %s events)"
                                % format(ORACLE_MAX_EVENTS, ","))
    out["rules"] = [rules[f] for f in sigma + hunts]

    # ---- summary
    def med(x):
        return (x or {}).get("ms", {}).get("median") if isinstance(x, dict) else None

    log("  %-56s %s" % ("rule", "cairn ms  DuckDB ms  hits"))
    for rr in out["rules"]:
        log("  %-56s %8.1f  %9s  %s%s" % (rr["id"][:56], rr["cairn_ms"], "%.2f" % rr["duckdb_ms"]["median"]
                                         if rr.get("duckdb_ms") else "-", format(rr["hits"], ","),
                                         "" if rr.get("duckdb_count") in (None, rr["hits"]) else
                                         "  (DuckDB %s)" % format(rr["duckdb_count"], ",")))
    log("  total: cairn all %s ms, Sigma only %s ms, Sigma hits only %s ms; DuckDB sum %s ms, one statement %s ms" % (
        "%.0f" % med(c["all"]), "%.0f" % med(c.get("sigma")) if c.get("sigma") else "-",
        "%.0f" % med(c["counts"]) if c.get("counts") else "-",
        "%.1f" % duck["sum_ms"] if duck.get("sum_ms") is not None else "-",
        "%.1f" % duck["batch_ms"]["median"] if duck.get("batch_ms") else "-"))
    passed = sum(1 for ck in checks if ck["status"] == "pass")
    log("  checks: %d passed, %d failed, %d skipped" % (passed, sum(1 for ck in checks if ck["status"] == "FAIL"),
                                                        sum(1 for ck in checks if ck["status"] == "skip")))
    return out


# ---------------------------------------------------------------------- converter self-check

def main(argv):
    """python3 bench/hunts.py [--sql] FILE.ndjson...: loads each file into DuckDB (bench/node_modules), converts
    the Sigma rules against its schema and compares each rule's count with tests/sigma_oracle.py's (--sql: prints
    the statements too). E.g. the events of tests/e2e/sigma_events.py, one positive and one near miss per rule."""
    import argparse
    import tempfile
    ap = argparse.ArgumentParser(description=main.__doc__.split("\n")[0])
    ap.add_argument("--sql", action="store_true", help="print each rule's SQL")
    ap.add_argument("ndjson", nargs="+")
    a = ap.parse_args(argv)
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import sigma_oracle as so

    class H:
        dir = tempfile.mkdtemp(prefix="cairn-hunts-sql-")

        def cmd(self, section, cmd):
            pass

    h, bad = H(), 0
    rules = [f for f in rule_files(SIGMA_DIR) if f.endswith((".yml", ".yaml"))]
    for nd in a.ndjson:
        nd = os.path.abspath(nd)
        db = os.path.join(h.dir, "check.db")
        ld = duck_node(h, "load", {"ndjson": nd, "db": db, "loadSql": "SELECT * FROM read_json(%s, "
                                   "format='newline_delimited', sample_size=-1)" % lit(nd)}, "")
        if not ld.get("ok"):
            print("DuckDB load failed: %s" % ld.get("error"))
            return 2
        conv = Converter(ld["schema"])
        with open(nd, encoding="utf-8") as f:
            events = [so.load_json(line) for line in f if line.strip()]
        queries, want, bad_before = [], {}, bad
        for f in rules:
            rid = os.path.basename(f)
            rule = so.load_rule(f)
            want[rid] = sum(1 for e in events if rule.matches(e))
            try:
                queries.append({"id": rid, "sql": "SELECT count(*) FROM ct WHERE " + conv.rule_where(rule)})
            except NotConverted as e:
                print("%s: not converted: %s" % (rid, e))
        qr = duck_node(h, "query", {"db": db, "runs": 0, "queries": queries, "batch": None}, "")
        for q in queries:
            d = (qr.get("queries") or {}).get(q["id"]) or {}
            if a.sql:
                print("-- %s\n%s;" % (q["id"], q["sql"]))
            if d.get("error") or d.get("count") != want[q["id"]]:
                bad += 1
                print("MISMATCH %s: oracle %s, DuckDB %s %s" % (q["id"], want[q["id"]], d.get("count"), d.get("error") or ""))
        print("%s: %d events, %d of %d rules fire, %d converted, %d mismatches" % (
            nd, len(events), sum(1 for v in want.values() if v), len(rules), len(queries), bad - bad_before))
    import shutil
    shutil.rmtree(h.dir, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.exit(main(sys.argv[1:]))
