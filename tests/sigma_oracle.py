#!/usr/bin/env python3
"""A small, independent Sigma rule matcher: the oracle for cairn's native Sigma runner.

Written from the Sigma specification v2 (sigma-rules-specification.md and the modifier
appendix of SigmaHQ/sigma-specification), never from cairn's source. It evaluates SigmaHQ
CloudTrail rules over CloudTrail events (dicts from JSON), one event at a time, and favours
being obviously correct over being fast.

    python3 tests/sigma_oracle.py --rules DIR_OR_FILE... --events FILE...

prints one JSON line per (rule, event file) with a nonzero count,
    {"rule": "<rule file name>", "id": ..., "file": "<event file>", "count": N, "eventIDs": [...]}
and {"rule": ..., "unsupported": "<why>"} for a rule it cannot load. Event files may be a
{"Records": [...]} object, a JSON array, a single event object, or NDJSON.

What it implements
------------------
Selections: a map (every key must match), a list of maps (any map), a list of plain values
(keywords: case-insensitive substring of the event's compact JSON text), or a map key with an
empty field name ('|all': [...]) for keywords with modifiers.
Keys are `field|mod|mod`; a list of values means any of them (every one with `|all`).
Fields are dotted paths; a step that meets an array continues into every element (`a{}.b`
is the same as `a.b`). The values a path reaches are its non-null nodes: a string is its
text, a number its JSON text, a boolean `true`/`false`, an object or array its compact JSON
text (and an array reached at the end of the path also offers each element).
Matching is case-insensitive; `*` any run, `?` one character; `\\*`, `\\?`, `\\\\` are literal;
any other backslash is literal. Plain values match the whole text; contains / startswith /
endswith add `*` around / after / before. `re` is Python re.search, case-sensitive unless `i`
(also `m`, `s`). `cased` makes matching case-sensitive. `cidr`, `gt` `gte` `lt` `lte`,
`exists: true|false`, `fieldref` (the other field's value, case-insensitive equality, or
contains/startswith/endswith as literal text).
`null` means the path reaches no non-null value (absent or JSON null); '' matches ''.
YAML values: only true/false are booleans, integers and floats compare as their text.
Conditions: and, or, not, parentheses, `1 of P` / `any of P` / `all of P` (P a glob over
selection names, `them` = all names not starting with `_`); precedence not > and > or;
a list of conditions matches if any does.
Unsupported (raises Unsupported naming the construct): aggregations (`| count() ...`),
`near`, correlation and multi-document rules, base64 / base64offset / windash / utf16* /
wide / expand and unknown modifiers, `N of` with N other than 1, nested maps as values.
"""
import argparse
import ipaddress
import json
import operator
import os
import re
import sys

import yaml


class Unsupported(Exception):
    """A rule construct this oracle does not evaluate; the message names it."""


# ---------------------------------------------------------------------------- YAML
class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars: only true/false are booleans, no
    timestamps, no sexagesimal/octal/hex numbers (so `yes`, `NO`, `12:30` stay text)."""


_Loader.yaml_implicit_resolvers = {
    k: [(t, rx) for t, rx in v if t.rsplit(":", 1)[1] not in ("bool", "int", "float", "timestamp")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float",
                              re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
                              list("-+.0123456789"))


# ---------------------------------------------------------------------------- values
class _Num(float):
    """A JSON float that remembers its text (so 1.50 stays "1.50")."""
    def __new__(cls, text):
        n = super().__new__(cls, text)
        n.text = text
        return n


def load_json(text):
    return json.loads(text, parse_float=_Num)


def text_of(v):
    """The text a Sigma value is compared with."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, _Num):
        return v.text
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return str(v)


def resolve(node, parts):
    """Every non-null node the dotted path `parts` reaches (arrays: every element)."""
    if not parts:
        if node is not None:
            yield node
            if isinstance(node, list):
                for x in node:
                    yield from resolve(x, parts)
        return
    if isinstance(node, list):
        for x in node:
            yield from resolve(x, parts)
    elif isinstance(node, dict) and parts[0] in node:
        yield from resolve(node[parts[0]], parts[1:])


def field_values(event, field):
    """The values of `field` in `event`; the empty field name is the whole event's text."""
    if field == "":
        return [text_of(event)]
    return list(resolve(event, [p[:-2] if p.endswith("{}") else p for p in field.split(".")]))


# ---------------------------------------------------------------------------- patterns
def tokens(s):
    """A Sigma string as a list of literal characters and the wildcards '*' / '?'
    (wildcards are returned as (w,) tuples so they differ from literal '*')."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in "*?\\":
            out.append(s[i + 1])
            i += 2
            continue
        out.append((c,) if c in "*?" else c)
        i += 1
    return out


def pattern_regex(toks, cased):
    rx = "".join(".*" if t == ("*",) else "." if t == ("?",) else re.escape(t) for t in toks)
    return re.compile(rx, re.DOTALL if cased else re.DOTALL | re.IGNORECASE)


OPS = {"contains", "startswith", "endswith", "re", "cidr", "exists", "fieldref", "gt", "gte", "lt", "lte"}
FLAGS = {"all", "cased", "i", "m", "s"}
UNSUPPORTED = {"base64", "base64offset", "windash", "wide", "utf16", "utf16le", "utf16be", "expand"}
COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
STROPS = {"eq": operator.eq, "contains": lambda x, r: r in x, "startswith": str.startswith,
          "endswith": str.endswith}


def _or_false(f):
    try:
        return f()
    except ValueError:
        return False


class Item:
    """One `field|mods: values` entry of a selection."""

    def __init__(self, field, mods, values):
        self.field, self.mods = field, mods
        self.values = values if isinstance(values, list) else [values]
        for m in mods:
            if m not in OPS | FLAGS:
                raise Unsupported(f"modifier '{m}'" if m in UNSUPPORTED else f"unknown modifier '{m}'")
        ops = [m for m in mods if m in OPS]
        strops = [m for m in ops if m in STROPS]
        if len(ops) > 1 and not (len(ops) == 2 and "fieldref" in ops and strops):
            raise Unsupported(f"conflicting modifiers '{'|'.join(mods)}'")
        if {"i", "m", "s"} & set(mods) and "re" not in ops:
            raise Unsupported(f"regex flag without re in '{'|'.join(mods)}'")
        self.op = "fieldref" if "fieldref" in ops else ops[0] if ops else ("contains" if field == "" else "eq")
        self.strop = strops[0] if strops else "eq"
        self.all, self.cased = "all" in mods, "cased" in mods
        self.tests = [self._compile(v) for v in self.values]

    def _compile(self, v):
        """A test (event, values of the field) -> bool for one rule value."""
        if isinstance(v, (dict, list)):
            raise Unsupported(f"nested {type(v).__name__} as value of '{self.field}'")
        if v is None:
            return lambda ev, vals: not vals
        if self.op == "exists":
            want = v if isinstance(v, bool) else text_of(v).lower() == "true"
            return lambda ev, vals: bool(vals) == want
        fold = (lambda t: t) if self.cased else str.lower
        if self.op == "fieldref":
            ref, cmp = text_of(v), STROPS[self.strop]
            return lambda ev, vals: any(cmp(fold(text_of(x)), fold(text_of(r)))
                                        for r in field_values(ev, ref) for x in vals)
        pred = self._predicate(text_of(v), isinstance(v, str))
        return lambda ev, vals: any(pred(text_of(x)) for x in vals)

    def _predicate(self, s, is_str):
        """A test on one text for every operator but null / exists / fieldref."""
        op = self.op
        try:
            if op == "re":
                rx = re.compile(s, sum(f for m, f in (("i", re.I), ("m", re.M), ("s", re.S)) if m in self.mods))
                return lambda t: rx.search(t) is not None
            if op == "cidr":
                net = ipaddress.ip_network(s, strict=False)
                return lambda t: _or_false(lambda: ipaddress.ip_address(t) in net)
            if op in COMPARE:
                bound, cmp = float(s), COMPARE[op]
                return lambda t: _or_false(lambda: cmp(float(t), bound))
        except (ValueError, re.error) as e:
            raise Unsupported(f"'{op}' value {s!r}: {e}")
        toks, star = tokens(s) if is_str else list(s), [("*",)]  # YAML numbers have no wildcards
        toks = {"eq": toks, "contains": star + toks + star, "startswith": toks + star,
                "endswith": star + toks}[op]
        rx = pattern_regex(toks, self.cased)
        return lambda t: rx.fullmatch(t) is not None

    def matches(self, event):
        vals = field_values(event, self.field)
        results = (t(event, vals) for t in self.tests)
        return all(results) if self.all else any(results)


class Selection:
    """A search identifier: `alternatives` is a list (OR) of lists (AND) of Items."""

    def __init__(self, name, body):
        self.name = name
        body = body if isinstance(body, list) else [body]
        if not body:
            raise Unsupported(f"empty selection '{name}'")
        self.alternatives = []
        for alt in body:
            if isinstance(alt, dict):
                if not alt:
                    raise Unsupported(f"empty map in selection '{name}'")
                self.alternatives.append([Item(k.split("|")[0], k.split("|")[1:], v)
                                          for k, v in alt.items()])
            elif isinstance(alt, list):
                raise Unsupported(f"nested list in selection '{name}'")
            else:  # keyword
                self.alternatives.append([Item("", [], alt)])

    def matches(self, event):
        return any(all(i.matches(event) for i in alt) for alt in self.alternatives)


# ---------------------------------------------------------------------------- conditions
def _glob(pattern, names):
    rx = re.compile("".join(".*" if c == "*" else re.escape(c) for c in pattern))
    return [n for n in names if rx.fullmatch(n)]


def parse_condition(text, names):
    """A function (lookup(name) -> bool) -> bool for one condition string."""
    if "|" in text:
        raise Unsupported(f"aggregation in condition '{text}'")
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
        return terms[0] if len(terms) == 1 else lambda f: any(t(f) for t in terms)

    def and_expr():
        terms = [not_expr()]
        while peek() == "and":
            take()
            terms.append(not_expr())
        return terms[0] if len(terms) == 1 else lambda f: all(t(f) for t in terms)

    def not_expr():
        if peek() == "not":
            take()
            inner = not_expr()
            return lambda f: not inner(f)
        return atom()

    def atom():
        t = peek()
        if t is None:
            raise Unsupported(f"truncated condition '{text}'")
        if t == "(":
            take()
            e = expr()
            if peek() != ")":
                raise Unsupported(f"unbalanced parentheses in condition '{text}'")
            take()
            return e
        if pos[0] + 1 < len(toks) and toks[pos[0] + 1].lower() == "of":
            quant = take().lower()
            take()
            if peek() is None:
                raise Unsupported(f"'of' without a pattern in condition '{text}'")
            pat = take()
            if quant not in ("1", "any", "all"):
                raise Unsupported(f"'{quant} of' in condition '{text}'")
            sel = [n for n in names if not n.startswith("_")] if pat.lower() == "them" else _glob(pat, names)
            if not sel:
                raise Unsupported(f"'{pat}' names no selection in condition '{text}'")
            if quant == "all":
                return lambda f: all(f(n) for n in sel)
            return lambda f: any(f(n) for n in sel)
        name = take()
        if name.lower() in ("and", "or", ")", "near"):
            raise Unsupported(f"unexpected '{name}' in condition '{text}'")
        if name not in names:
            raise Unsupported(f"unknown identifier '{name}' in condition '{text}'")
        return lambda f: f(name)

    e = expr()
    if pos[0] != len(toks):
        raise Unsupported(f"unexpected '{toks[pos[0]]}' in condition '{text}'")
    return e


# ---------------------------------------------------------------------------- rules
class Rule:
    def __init__(self, path, doc):
        self.path = path
        self.id, self.title = doc.get("id"), doc.get("title")
        self.author, self.level = doc.get("author"), doc.get("level")
        det = doc.get("detection")
        if not isinstance(det, dict) or "condition" not in det:
            raise Unsupported("rule without detection/condition" +
                              (" (correlation rule)" if "correlation" in doc else ""))
        self.selections = {n: Selection(n, b) for n, b in det.items()
                           if n not in ("condition", "timeframe")}
        conds = det["condition"] if isinstance(det["condition"], list) else [det["condition"]]
        self.condition_texts = [str(c) for c in conds]
        self.conditions = [parse_condition(c, list(self.selections)) for c in self.condition_texts]

    def evaluate(self, truth):
        """The condition for given selection truth values (a dict or a function)."""
        f = truth.__getitem__ if isinstance(truth, dict) else truth
        return any(c(f) for c in self.conditions)

    def matches(self, event):
        cache = {}

        def sel(n):
            if n not in cache:
                cache[n] = self.selections[n].matches(event)
            return cache[n]
        return self.evaluate(sel)


def load_rule(path):
    try:
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.load_all(f, Loader=_Loader) if d is not None]
    except yaml.YAMLError as e:
        raise Unsupported(f"YAML error: {str(e).splitlines()[0]}")
    if len(docs) != 1:
        raise Unsupported(f"multi-document rule collection ({len(docs)} documents)")
    if not isinstance(docs[0], dict):
        raise Unsupported("rule is not a YAML map")
    return Rule(path, docs[0])


# ---------------------------------------------------------------------------- events
def _records(doc):
    if isinstance(doc, dict) and isinstance(doc.get("Records"), list):
        return [r for r in doc["Records"] if isinstance(r, dict)]
    if isinstance(doc, list):
        return [r for r in doc if isinstance(r, dict)]
    return [doc] if isinstance(doc, dict) else []


def load_events(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        return _records(load_json(text))
    except ValueError:
        pass
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out += _records(load_json(line))
            except ValueError as e:
                raise ValueError(f"{path}: line {n}: not JSON ({e})")
    return out


def rule_paths(args):
    out = []
    for a in args:
        if os.path.isdir(a):
            for root, _, files in os.walk(a):
                out += [os.path.join(root, f) for f in files if f.endswith((".yml", ".yaml"))]
        else:
            out.append(a)
    return sorted(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", nargs="+", required=True)
    ap.add_argument("--events", nargs="+", required=True)
    a = ap.parse_args(argv)
    try:
        events = [(p, load_events(p)) for p in a.events]
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for rp in rule_paths(a.rules):
        name = os.path.basename(rp)
        try:
            rule = load_rule(rp)
        except Unsupported as e:
            print(json.dumps({"rule": name, "unsupported": str(e)}))
            continue
        for p, evs in events:
            hits = [e.get("eventID") for e in evs if rule.matches(e)]
            if hits:
                print(json.dumps({"rule": name, "id": rule.id, "file": p, "count": len(hits),
                                  "eventIDs": hits}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
