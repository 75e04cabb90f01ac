#!/usr/bin/env python3
"""A small, independent reference implementation of cairn's PIPELINE commands.

It extends the search oracle (tests/spl_oracle.py, which does the search part) with the
pipe commands of /work/shared/reference/spl-semantics.md section 3 (and the stats rules of
section 2, the defaults of section 5). It is the oracle for the `# expect: table` golden
cases of tests/queries/. It is written from the spec, never from cairn's source or output,
and favours being obviously correct over being fast.

    python3 tests/spl_pipeline_oracle.py --data FILE... [--earliest T] [--latest T]
                                         [--index-name NAME] 'QUERY'

prints the result as CSV, the form of `cairn search --format csv` for a transforming
pipeline. A query error prints `error: <message>` to stderr and exits 2.

Python 3.11 standard library only.

The model
---------
Results. The search part gives events, newest first (search order). Each event becomes a
result: a map field -> list of string values (one value, or several for a multivalue
field), holding the event's fields (see spl_oracle), `_time` (epoch seconds) and `_raw`.
A missing field (null) has no entry. A result set also has its column list, which the
transforming commands (stats, top, rare, table) set and the others update.

Output (CSV). Only a result set that went through stats, top, rare or table can be printed
(events as such print with cairn's own default columns; end such pipelines with `| table`).
Header: the columns in order, leaving out a column that has no value in any row. Rows: one
per result; a multivalue cell joins its values with ","; a `_time` column prints as
2025-12-29T19:59:23Z; quoting as RFC 4180 (only cells with , " or a line break are quoted).
A computed number prints as an integer when it is one, else in Python's shortest form
(the golden cases avoid results that are not exact in binary floating point).

Values. "Numeric" means the whole text is a decimal number (spl_oracle.as_number).
Lexicographic order is by UTF-8 bytes (digits < upper case < lower case, "10" < "9").

Commands (arguments are separated by spaces and/or commas; `"quoted"` names allowed):

stats <agg> [, <agg>...] [BY f1 [,] f2 ...]
    agg := count | fn(field) [AS name]; fn is count, dc/distinct_count, values, list, min,
    max, avg/mean, sum, range, earliest, latest, first, last. The default column name is
    the text `fn(field)` with the field unquoted.
    Without BY: one row, even for no input (count 0). With BY: one row per combination of
    by-values; a result lacking a by-field is dropped; a multivalue by-field puts the result
    in one group per distinct value (a cross product for several). Rows are sorted by their
    by-values, lexicographically. Columns: the by-fields, then the aggregations in order.
    count(f) counts the values of f (each value of a multivalue field); dc counts distinct
    values exactly; values = distinct values, sorted lexicographically; list = the values in
    search order, at most 100; min/max: numerically if every value is numeric, else by the
    auto order of `sort` (numbers before strings); avg/sum/range use the numeric values only
    (null if there are none); earliest/latest: the value in the result with the smallest /
    largest _time; first/last: the value in the first / last result in search order (first =
    newest). count(eval(expr)) counts the results where expr is true.
table f1 [,] f2 ...    keep these fields, in this order; `*` wildcards (the matches of one
    pattern in lexicographic order); all rows are kept.
fields [+|-] f1 ...    keep (default) or remove fields, wildcards allowed; `fields f` keeps
    the internal fields _time and _raw too (Splunk's rule), `fields - f` removes only f.
rename a AS b [, c AS d]   one `*` wildcard in both names: `rename *.ARN AS *_arn`.
sort [N|limit=N] [by] [+|-]key [,] ... [desc]   key := f | num(f) | str(f) | auto(f) | ip(f).
    Default limit 10000; `sort 0` = all. auto: numbers first, numerically, then strings,
    lexicographically. A missing value sorts last, ascending or descending. A multivalue
    field sorts by its first value. The sort is stable. A trailing `desc` (or `d`) reverses
    the order of the result (applied before the limit).
head [N]    the first N results (default 10).       tail [N]   the last N, last first.
dedup [N] f1 [,] f2 ... [keepempty=b] [consecutive=b] [keepevents=b]
    keep the first N (default 1) results of each combination of values, in order; a result
    lacking one of the fields is dropped, unless keepempty=true (then it is kept).
    consecutive=true removes only a result equal to the result right before it.
    A multivalue field compares as its whole list of values. Comparison is case-sensitive.
top / rare [N] [limit=N] [countfield=s] [percentfield=s] [showcount=b] [showperc=b] f1 [,] f2 [BY g ...]
    count the results per combination of values of f1 f2 (a result lacking one is left
    out); keep the N (default 10, 0 = all) most (top) or least (rare) common, ties in
    lexicographic order of the values; percent = 100 * count / number of results having
    all the fields (per BY group), printed with 6 decimals. With BY: per group, groups in
    lexicographic order. Columns: by-fields, fields, count, percent.
fillnull [value=v] [f1 f2 ...]   default value "0"; without fields: every field that some
    result of the set has; with fields: those fields, created where missing.
regex [f=|f!=]"PCRE"   keep the results where (some value of) f matches (=) or where f
    exists and no value matches (!=); default field _raw.
rex [field=f] [max_match=N] "PCRE with (?<name>...)"   unanchored; the named groups become
    fields (overwriting); no match leaves the fields alone; max_match default 1, 0 means
    unlimited, >1 gives multivalue fields. A pattern without a named group is an error.
search <expr>          the search language of spl_oracle, on the results' fields.
eval f=expr [, g=expr] / where expr   see the "eval" section near the end of this file.
"""

import argparse
import datetime as dt
import decimal
import functools
import ipaddress
import itertools
import math
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spl_oracle  # noqa: E402
from spl_oracle import QueryError  # noqa: E402

SORT_DEFAULT_LIMIT = 10000
HEAD_DEFAULT = 10
TOP_DEFAULT = 10
LIST_CAP = 100


# ---------------------------------------------------------------------------------------
# Values


def is_number(text):
    return spl_oracle.as_number(text) is not None


def num(text):
    return spl_oracle.as_number(text)


def lex_key(text):
    return text.encode("utf-8")


def auto_key(text):
    """Numbers first, numerically, then strings by bytes."""
    n = num(text)
    return (0, n, b"") if n is not None else (1, decimal.Decimal(0), lex_key(text))


def format_number(d):
    """A computed number (Decimal or float) as text."""
    if isinstance(d, float):
        if math.isnan(d) or math.isinf(d):
            return None
        if d.is_integer() and abs(d) < 1e16:
            return str(int(d))
        return repr(d)
    if d == d.to_integral_value():
        return str(int(d))
    f = float(d)
    return repr(f)


def dedup_keep_order(values):
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


class ResultSet:
    def __init__(self, rows, columns=None, tabular=False):
        self.rows = rows            # list of {field: [values]}
        self.columns = columns or []  # ordered column names (once tabular)
        self.tabular = tabular      # went through stats/top/rare/table

    def all_fields(self):
        seen = []
        s = set()
        for r in self.rows:
            for f in r:
                if f not in s:
                    s.add(f)
                    seen.append(f)
        return seen


class RowView:
    """A result seen by spl_oracle.matches (mid-pipeline `search`)."""

    values = spl_oracle.Event.values

    def __init__(self, row):
        self.fields = row
        self.raw = row.get("_raw", [""])[0]


# ---------------------------------------------------------------------------------------
# Splitting the pipeline and reading command arguments


def split_pipeline(query):
    """[(text, offset)] of the search part and each command, split at | outside quotes."""
    parts, start, i, in_quote = [], 0, 0, False
    while i < len(query):
        c = query[i]
        if in_quote:
            if c == "\\" and i + 1 < len(query):
                i += 2
                continue
            if c == '"':
                in_quote = False
        elif c == '"':
            in_quote = True
        elif c == "|":
            parts.append((query[start:i], start))
            start = i + 1
        i += 1
    parts.append((query[start:], start))
    return parts


class Tok:
    def __init__(self, kind, text, pos, end):
        self.kind = kind  # word | str | punct
        self.text = text
        self.pos = pos
        self.end = end

    def __repr__(self):
        return "%s:%r" % (self.kind, self.text)


PUNCT_STOP = set(" \t\r\n\v\f,()=\"") | {"!"}


def unquote(body):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] in '"\\|':
            out.append(body[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def tokenize(text, base):
    toks, i = [], 0
    while i < len(text):
        c = text[i]
        if c in " \t\r\n\v\f":
            i += 1
            continue
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= len(text):
                raise QueryError("unterminated quoted string", base + i)
            toks.append(Tok("str", unquote(text[i + 1:j]), base + i, base + j + 1))
            i = j + 1
            continue
        if text.startswith("!=", i):
            toks.append(Tok("punct", "!=", base + i, base + i + 2))
            i += 2
            continue
        if c in ",()=":
            toks.append(Tok("punct", c, base + i, base + i + 1))
            i += 1
            continue
        j = i
        while j < len(text) and text[j] not in PUNCT_STOP:
            j += 1
        if j == i:  # a lone "!"
            j = i + 1
        toks.append(Tok("word", text[i:j], base + i, base + j))
        i = j
    return toks


class Args:
    """A cursor over the tokens of one command."""

    def __init__(self, name, text, base, query):
        self.name = name
        self.text = text
        self.base = base
        self.query = query
        self.toks = tokenize(text, base)
        self.i = 0

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def next(self):
        t = self.peek()
        self.i += 1
        return t

    def at_end(self):
        return self.i >= len(self.toks)

    def end_pos(self):
        return self.base + len(self.text.rstrip())

    def is_punct(self, p, k=0):
        t = self.peek(k)
        return t is not None and t.kind == "punct" and t.text == p

    def is_word(self, w, k=0, ci=True):
        t = self.peek(k)
        return t is not None and t.kind == "word" and (t.text.lower() == w.lower() if ci else t.text == w)

    def skip_commas(self):
        while self.is_punct(","):
            self.i += 1

    def is_option(self):
        t = self.peek()
        return t is not None and t.kind == "word" and self.is_punct("=", 1)

    def read_option(self):
        key = self.next().text
        self.next()  # =
        val = self.next()
        if val is None or val.kind == "punct":
            raise QueryError("expected a value after %s=" % key, self.end_pos() if val is None else val.pos)
        return key.lower(), val

    def field(self, what="a field name"):
        t = self.peek()
        if t is None or t.kind == "punct":
            raise QueryError("expected %s" % what, self.end_pos() if t is None else t.pos)
        self.i += 1
        return t.text


def parse_bool(tok):
    v = tok.text.lower()
    if v in ("true", "t", "1", "yes"):
        return True
    if v in ("false", "f", "0", "no"):
        return False
    raise QueryError("expected true or false", tok.pos)


def parse_int(tok, what):
    if tok is None or tok.kind != "word" or not re.fullmatch(r"\d+", tok.text):
        raise QueryError("%s takes a count" % what, tok.pos if tok else 0)
    return int(tok.text)


# ---------------------------------------------------------------------------------------
# Commands


def glob_match(pattern, name):
    return spl_oracle.glob_to_regex(pattern).fullmatch(name) is not None


def expand_fields(patterns, available):
    """Field names matching the patterns, in pattern order, without repeats."""
    out = []
    for p in patterns:
        if "*" in p:
            matches = sorted((f for f in available if glob_match(p, f)), key=lex_key)
        else:
            matches = [p]
        for m in matches:
            if m not in out:
                out.append(m)
    return out


def cmd_table(rs, a):
    patterns = []
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        patterns.append(a.field())
    if not patterns:
        raise QueryError("table needs at least one field", a.base)
    cols = expand_fields(patterns, rs.all_fields())
    rows = [{f: r[f] for f in cols if f in r} for r in rs.rows]
    return ResultSet(rows, cols, True)


def cmd_fields(rs, a):
    mode = "+"
    if a.is_word("+") or a.is_word("-"):
        mode = a.next().text
    patterns = []
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        patterns.append(a.field())
    if not patterns:
        raise QueryError("fields needs at least one field", a.base)

    def selected(f):
        return any(glob_match(p, f) if "*" in p else p == f for p in patterns)

    if mode == "+":
        keep = lambda f: selected(f) or f in ("_time", "_raw")  # noqa: E731
    else:
        keep = lambda f: not selected(f)  # noqa: E731
    rows = [{f: v for f, v in r.items() if keep(f)} for r in rs.rows]
    if rs.tabular:
        if mode == "+":
            cols = [c for c in expand_fields(patterns, rs.columns) if c in rs.columns]
            cols = [c for c in rs.columns if c in cols or c in ("_time", "_raw")]
        else:
            cols = [c for c in rs.columns if keep(c)]
    else:
        cols = []
    return ResultSet(rows, cols, rs.tabular)


def rename_target(old_pat, new_pat, name):
    if "*" not in old_pat:
        return new_pat if name == old_pat else None
    pre, post = old_pat.split("*", 1)
    if "*" in post:
        raise QueryError("rename takes one wildcard", 0)
    if name.startswith(pre) and name.endswith(post) and len(name) >= len(pre) + len(post):
        middle = name[len(pre):len(name) - len(post)]
        return new_pat.replace("*", middle, 1) if "*" in new_pat else new_pat
    return None


def cmd_rename(rs, a):
    pairs = []
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        old = a.field()
        if not a.is_word("as"):
            t = a.peek()
            raise QueryError("expected AS after the field name", a.end_pos() if t is None else t.pos)
        a.next()
        new = a.field("the new name after AS")
        pairs.append((old, new))
    if not pairs:
        raise QueryError("rename needs old AS new", a.base)
    rows = [dict(r) for r in rs.rows]
    cols = list(rs.columns)
    for old, new in pairs:
        for r in rows:
            moves = [(f, rename_target(old, new, f)) for f in list(r)]
            for f, target in moves:
                if target is not None and target != f:
                    r[target] = r.pop(f)
        newcols = []
        for c in cols:
            t = rename_target(old, new, c)
            t = c if t is None else t
            if t not in newcols:
                newcols.append(t)
        cols = newcols
    return ResultSet(rows, cols, rs.tabular)


def sort_key_fn(kind):
    if kind == "num":
        def k(v):
            n = num(v)
            return (0, n, b"") if n is not None else (1, decimal.Decimal(0), lex_key(v))
        return k
    if kind == "str":
        return lambda v: (1, decimal.Decimal(0), lex_key(v))
    if kind == "ip":
        def k(v):
            try:
                ip = ipaddress.ip_address(v)
                return (0, decimal.Decimal(ip.version * (1 << 130) + int(ip)), b"")
            except ValueError:
                return (1, decimal.Decimal(0), lex_key(v))
        return k
    return auto_key


def cmd_sort(rs, a):
    limit = SORT_DEFAULT_LIMIT
    t = a.peek()
    if t is not None and t.kind == "word" and re.fullmatch(r"\d+", t.text):
        limit = int(t.text)
        a.next()
    elif a.is_word("limit") and a.is_punct("=", 1):
        a.next()
        a.next()
        limit = parse_int(a.next(), "sort limit=")
    if a.is_word("by"):
        a.next()
    keys = []  # (field, kind, descending)
    reverse_all = False
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        sign = "+"
        if a.is_word("+") or a.is_word("-"):
            sign = a.next().text
        t = a.next()
        if t is None or t.kind == "punct":
            raise QueryError("sort needs a field", a.end_pos() if t is None else t.pos)
        text = t.text if t.kind == "word" else t.text
        if t.kind == "word" and text[0] in "+-" and len(text) > 1:
            sign, text = text[0], text[1:]
        if t.kind == "word" and text.lower() in ("desc", "d") and a.at_end() and keys and sign == "+":
            reverse_all = True
            break
        kind = "auto"
        if t.kind == "word" and text.lower() in ("num", "str", "ip", "auto") and a.is_punct("("):
            kind = text.lower()
            a.next()
            text = a.field()
            if not a.is_punct(")"):
                raise QueryError("expected ')'", a.end_pos())
            a.next()
        keys.append((text, kind, sign == "-"))
    if not keys:
        raise QueryError("sort needs a field, e.g. sort -count", a.base)

    def compare(r1, r2):
        for field, kind, desc in keys:
            v1, v2 = r1.get(field), r2.get(field)
            if v1 is None and v2 is None:
                continue
            if v1 is None:
                return 1   # missing values last, either direction
            if v2 is None:
                return -1
            k = sort_key_fn(kind)
            k1, k2 = k(v1[0]), k(v2[0])
            if k1 == k2:
                continue
            c = -1 if k1 < k2 else 1
            return -c if desc else c
        return 0

    rows = sorted(rs.rows, key=functools.cmp_to_key(compare))
    if reverse_all:
        rows.reverse()
    if limit:
        rows = rows[:limit]
    return ResultSet(rows, rs.columns, rs.tabular)


def count_arg(a, name, default):
    if a.at_end():
        return default
    t = a.next()
    n = parse_int(t, name)
    if not a.at_end():
        raise QueryError("unexpected argument to %s" % name, a.peek().pos)
    return n


def cmd_head(rs, a):
    n = count_arg(a, "head", HEAD_DEFAULT)
    return ResultSet(rs.rows[:n], rs.columns, rs.tabular)


def cmd_tail(rs, a):
    n = count_arg(a, "tail", HEAD_DEFAULT)
    rows = rs.rows[-n:] if n else []
    return ResultSet(list(reversed(rows)), rs.columns, rs.tabular)


def cmd_dedup(rs, a):
    n = 1
    t = a.peek()
    if t is not None and t.kind == "word" and re.fullmatch(r"\d+", t.text):
        n = int(t.text)
        a.next()
    fields, keepempty, consecutive = [], False, False
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key == "keepempty":
                keepempty = parse_bool(val)
            elif key == "consecutive":
                consecutive = parse_bool(val)
            elif key == "keepevents":
                parse_bool(val)
            else:
                raise QueryError("unknown dedup option %s" % key, val.pos)
            continue
        if a.is_word("sortby"):
            raise QueryError("dedup sortby is not supported by the oracle", a.peek().pos)
        fields.append(a.field())
    if not fields:
        raise QueryError("dedup needs at least one field", a.base)
    out, seen, prev = [], {}, None
    for r in rs.rows:
        if any(f not in r for f in fields):
            if keepempty:
                out.append(r)
            prev = None
            continue
        key = tuple(tuple(r[f]) for f in fields)
        if consecutive:
            if key != prev:
                out.append(r)
            prev = key
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= n:
            out.append(r)
    return ResultSet(out, rs.columns, rs.tabular)


def cmd_fillnull(rs, a):
    value, fields = "0", []
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key != "value":
                raise QueryError("unknown fillnull option %s" % key, val.pos)
            value = val.text
            continue
        fields.append(a.field())
    rows = [dict(r) for r in rs.rows]
    cols = list(rs.columns)
    if fields:
        targets = fields
        for f in fields:
            if rs.tabular and f not in cols:
                cols.append(f)
    else:
        targets = [f for f in rs.all_fields()]
        if rs.tabular:
            targets = [f for f in targets if f in cols]
    for r in rows:
        for f in targets:
            if f not in r:
                r[f] = [value]
    return ResultSet(rows, cols, rs.tabular)


def convert_regex(pattern, pos):
    """PCRE -> Python: (?<name> becomes (?P<name>."""
    py = re.sub(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>", r"(?P<\1>", pattern)
    try:
        return re.compile(py)
    except re.error as e:
        raise QueryError("invalid regular expression: %s" % e, pos)


def cmd_regex(rs, a):
    field, negate = "_raw", False
    t = a.peek()
    if t is None:
        raise QueryError("regex needs a pattern", a.base)
    if t.kind == "word" and (a.is_punct("=", 1) or a.is_punct("!=", 1)):
        field = t.text
        negate = a.peek(1).text == "!="
        a.i += 2
    pt = a.next()
    if pt is None or pt.kind == "punct":
        raise QueryError("regex needs a pattern", a.end_pos())
    if not a.at_end():
        raise QueryError("unexpected text after the regex", a.peek().pos)
    rx = convert_regex(pt.text, pt.pos)
    out = []
    for r in rs.rows:
        vals = r.get(field)
        if vals is None:
            continue  # a result lacking the field never passes (either operator)
        hit = any(rx.search(v) for v in vals)
        if hit != negate:
            out.append(r)
    return ResultSet(out, rs.columns, rs.tabular)


def cmd_rex(rs, a):
    field, max_match, pattern = "_raw", 1, None
    while not a.at_end():
        if a.is_option():
            key, val = a.read_option()
            if key == "field":
                field = val.text
            elif key == "max_match":
                max_match = parse_int(val, "max_match")
            elif key == "mode":
                raise QueryError("rex mode=sed is not supported by the oracle", val.pos)
            else:
                raise QueryError("unknown rex option %s" % key, val.pos)
            continue
        t = a.next()
        if t.kind != "str" or pattern is not None:
            raise QueryError("rex takes one quoted pattern", t.pos)
        pattern = t
    if pattern is None:
        raise QueryError("rex needs a pattern", a.end_pos())
    rx = convert_regex(pattern.text, pattern.pos)
    names = list(rx.groupindex)
    if not names:
        raise QueryError("the pattern has no named group (?<name>...) to extract", pattern.pos)
    rows, cols = [], list(rs.columns)
    for r in rs.rows:
        r = dict(r)
        vals = r.get(field)
        if vals is not None:
            found = {n: [] for n in names}
            matches = 0
            for v in vals:
                for m in rx.finditer(v):
                    if max_match and matches >= max_match:
                        break
                    matches += 1
                    for n in names:
                        if m.group(n) is not None:
                            found[n].append(m.group(n))
                    if m.end() == m.start() and not max_match:
                        pass
            for n, got in found.items():
                if got:
                    r[n] = got
        rows.append(r)
    if rs.tabular:
        for n in names:
            if n not in cols:
                cols.append(n)
    return ResultSet(rows, cols, rs.tabular)


def cmd_search(rs, a):
    text = a.text
    tree, bounds = spl_oracle.split_time_bounds(spl_oracle.Parser(text).parse())
    if bounds:
        raise QueryError("earliest=/latest= are not supported after a pipe by the oracle", a.base)
    out = [r for r in rs.rows if spl_oracle.matches(RowView(r), tree)]
    return ResultSet(out, rs.columns, rs.tabular)


# -- stats

STATS_FUNCS = {
    "count", "dc", "distinct_count", "values", "list", "min", "max", "avg", "mean", "sum",
    "range", "earliest", "latest", "first", "last",
}


class Agg:
    def __init__(self, fn, field, name, expr=None):
        self.fn = fn        # canonical-ish function name
        self.field = field  # None for plain count
        self.name = name    # output column
        self.expr = expr    # parsed eval expression for count(eval(...))


def read_balanced(a):
    """Raw text from the current '(' to its matching ')', the tokens consumed; returns the
    text inside."""
    assert a.is_punct("(")
    depth, start_tok = 0, a.peek()
    while True:
        t = a.next()
        if t is None:
            raise QueryError("unbalanced parentheses", start_tok.pos)
        if t.kind == "punct" and t.text == "(":
            depth += 1
        elif t.kind == "punct" and t.text == ")":
            depth -= 1
            if depth == 0:
                return a.query[start_tok.end:t.pos]


def parse_aggs(a, allow_by=True):
    aggs, by = [], []
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if allow_by and a.is_word("by"):
            a.next()
            while not a.at_end():
                a.skip_commas()
                if a.at_end():
                    break
                by.append(a.field("a field name after BY"))
            if not by:
                raise QueryError("expected a field name after BY", a.end_pos())
            break
        t = a.next()
        if t.kind != "word":
            raise QueryError("expected a stats function", t.pos)
        fn = t.text.lower()
        if fn not in STATS_FUNCS:
            raise QueryError("unknown stats function '%s'" % t.text, t.pos)
        field, expr, label = None, None, t.text
        if a.is_punct("("):
            if a.is_word("eval", 1) and a.is_punct("(", 2):
                open_tok = a.next()
                a.next()  # eval
                inner = read_balanced(a)
                close = a.next()
                if close is None or not (close.kind == "punct" and close.text == ")"):
                    raise QueryError("expected ')'", a.end_pos())
                if fn != "count":
                    raise QueryError("only count(eval(...)) is supported by the oracle", t.pos)
                expr = parse_eval_expr(inner, 0)
                label = t.text + a.query[open_tok.pos:close.end]
            else:
                a.next()
                ft = a.next()
                if ft is None or ft.kind == "punct":
                    raise QueryError("expected a field name", a.end_pos() if ft is None else ft.pos)
                field = ft.text
                close = a.next()
                if close is None or not (close.kind == "punct" and close.text == ")"):
                    raise QueryError("expected ')'", a.end_pos() if close is None else close.pos)
                label = "%s(%s)" % (t.text, field)
        elif fn != "count":
            raise QueryError("%s needs a field: %s(field)" % (t.text, t.text), t.end)
        name = label
        if a.is_word("as"):
            a.next()
            name = a.field("a name after AS")
        aggs.append(Agg(fn, field, name, expr))
    return aggs, by


def numeric_values(values):
    return [num(v) for v in values if num(v) is not None]


def aggregate(agg, rows):
    """The value list (or None) of one aggregation over rows in search order."""
    fn = agg.fn
    if fn == "count":
        if agg.expr is not None:
            n = sum(1 for r in rows if truthy(eval_expr(agg.expr, r)))
            return [str(n)]
        if agg.field is None:
            return [str(len(rows))]
        return [str(sum(len(r.get(agg.field, [])) for r in rows))]
    values = [v for r in rows for v in r.get(agg.field, [])]
    if fn in ("dc", "distinct_count"):
        return [str(len(set(values)))]
    if fn == "values":
        return sorted(set(values), key=lex_key) or None
    if fn == "list":
        return values[:LIST_CAP] or None
    if fn in ("min", "max"):
        if not values:
            return None
        if all(is_number(v) for v in values):
            key = lambda v: num(v)  # noqa: E731
        else:
            key = auto_key
        pick = min(values, key=key) if fn == "min" else max(values, key=key)
        return [pick]
    if fn in ("avg", "mean", "sum", "range"):
        nums = numeric_values(values)
        if not nums:
            return None
        if fn == "sum":
            return [format_number(sum(nums, decimal.Decimal(0)))]
        if fn == "range":
            return [format_number(max(nums) - min(nums))]
        with decimal.localcontext() as ctx:
            ctx.prec = 40
            avg = sum(nums, decimal.Decimal(0)) / decimal.Decimal(len(nums))
        return [format_number(avg)]
    having = [r for r in rows if agg.field in r]
    if not having:
        return None
    if fn == "first":
        return list(having[0][agg.field])
    if fn == "last":
        return list(having[-1][agg.field])
    times = [(num(r["_time"][0]) if "_time" in r else None) for r in having]
    candidates = [(t, i) for i, t in enumerate(times) if t is not None]
    if not candidates:
        return None
    if fn == "earliest":
        t, i = min(candidates)
    else:  # latest
        t, i = max(candidates, key=lambda c: (c[0], -c[1]))
    return list(having[i][agg.field])


def cmd_stats(rs, a):
    aggs, by = parse_aggs(a)
    if not aggs:
        raise QueryError("stats needs a function, e.g. stats count", a.base)
    if not by:
        row = {}
        for agg in aggs:
            v = aggregate(agg, rs.rows)
            if v is not None:
                row[agg.name] = v
        return ResultSet([row], [agg.name for agg in aggs], True)
    groups = {}
    for r in rs.rows:
        if any(f not in r for f in by):
            continue
        for combo in itertools.product(*[dedup_keep_order(r[f]) for f in by]):
            groups.setdefault(combo, []).append(r)
    out = []
    for combo in sorted(groups, key=lambda c: tuple(lex_key(v) for v in c)):
        row = {f: [v] for f, v in zip(by, combo)}
        for agg in aggs:
            v = aggregate(agg, groups[combo])
            if v is not None:
                row[agg.name] = v
        out.append(row)
    cols = []
    for c in by + [agg.name for agg in aggs]:
        if c not in cols:
            cols.append(c)
    return ResultSet(out, cols, True)


def cmd_top(rs, a, rare=False):
    limit, countfield, percentfield = TOP_DEFAULT, "count", "percent"
    showcount, showperc = True, True
    fields, by = [], []
    t = a.peek()
    if t is not None and t.kind == "word" and re.fullmatch(r"\d+", t.text):
        limit = int(t.text)
        a.next()
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key == "limit":
                limit = parse_int(val, "limit=")
            elif key == "countfield":
                countfield = val.text
            elif key == "percentfield":
                percentfield = val.text
            elif key == "showcount":
                showcount = parse_bool(val)
            elif key == "showperc":
                showperc = parse_bool(val)
            elif key in ("useother", "otherstr"):
                raise QueryError("useother/otherstr are not supported by the oracle", val.pos)
            else:
                raise QueryError("unknown option %s" % key, val.pos)
            continue
        if a.is_word("by"):
            a.next()
            before = len(by)
            while not a.at_end():
                a.skip_commas()
                if a.at_end():
                    break
                if a.is_option():
                    break
                by.append(a.field())
            if len(by) == before:  # as stats does: BY needs a field
                raise QueryError("expected a field name after BY", a.end_pos())
            continue
        fields.append(a.field())
    if not fields:
        raise QueryError("%s needs a field" % ("rare" if rare else "top"), a.base)
    groups = {}
    for r in rs.rows:
        if any(f not in r for f in by + fields):
            continue
        for g in itertools.product(*[dedup_keep_order(r[f]) for f in by]):
            grp = groups.setdefault(g, {"total": 0, "counts": {}})
            grp["total"] += 1
            for combo in itertools.product(*[dedup_keep_order(r[f]) for f in fields]):
                grp["counts"][combo] = grp["counts"].get(combo, 0) + 1
    out = []
    for g in sorted(groups, key=lambda c: tuple(lex_key(v) for v in c)):
        grp = groups[g]
        combos = sorted(grp["counts"], key=lambda c: tuple(lex_key(v) for v in c))
        combos.sort(key=lambda c: grp["counts"][c], reverse=not rare)  # stable: ties stay lexicographic
        if limit:
            combos = combos[:limit]
        for combo in combos:
            row = {f: [v] for f, v in zip(by, g)}
            row.update({f: [v] for f, v in zip(fields, combo)})
            c = grp["counts"][combo]
            if showcount:
                row[countfield] = [str(c)]
            if showperc:
                row[percentfield] = ["%.6f" % (100.0 * c / grp["total"])]
            out.append(row)
    cols = []
    for c in by + fields + ([countfield] if showcount else []) + ([percentfield] if showperc else []):
        if c not in cols:
            cols.append(c)
    return ResultSet(out, cols, True)


def cmd_rare(rs, a):
    return cmd_top(rs, a, rare=True)


def cmd_eval(rs, a):
    assignments = parse_eval_assignments(a.text, a.base)
    rows, cols = [], list(rs.columns)
    for r in rs.rows:
        r = dict(r)
        for name, expr in assignments:
            v = eval_expr(expr, r)
            mv = to_field_values(v)
            if mv is None:
                r.pop(name, None)
            else:
                r[name] = mv
        rows.append(r)
    if rs.tabular:
        for name, _ in assignments:
            if name not in cols:
                cols.append(name)
    return ResultSet(rows, cols, rs.tabular)


def cmd_where(rs, a):
    if not a.text.strip():
        raise QueryError("where needs an expression", a.base)
    expr = parse_eval_expr(a.text, a.base)
    out = [r for r in rs.rows if truthy(eval_expr(expr, r))]
    return ResultSet(out, rs.columns, rs.tabular)


COMMANDS = {
    "stats": cmd_stats, "table": cmd_table, "fields": cmd_fields, "rename": cmd_rename,
    "sort": cmd_sort, "head": cmd_head, "tail": cmd_tail, "dedup": cmd_dedup,
    "top": cmd_top, "rare": cmd_rare, "fillnull": cmd_fillnull, "regex": cmd_regex,
    "rex": cmd_rex, "search": cmd_search, "eval": cmd_eval, "where": cmd_where,
}


# ---------------------------------------------------------------------------------------
# eval / where expressions
#
# Values: None (null), str, Decimal (numbers), bool, list (multivalue, of str/Decimal).
# A field's value is its string (or list for a multivalue field); a string that is a
# number acts as a number in arithmetic and in comparisons with a number.
# Precedence, lowest first: OR, XOR, AND, NOT, comparison (= == != < <= > >= LIKE),
# + - . (concatenation), * / %, unary -. AND binds tighter than OR (spec section 1).
# Comparisons: both numeric -> numerically; else as strings (case-sensitive); with null ->
# null (false). A multivalue field compares true if any value does.
# Division or modulo by zero gives null. Functions: see EVAL_FUNCS below.


class EvalError(Exception):
    pass


class ENode:
    def __init__(self, kind, *args):
        self.kind = kind
        self.args = args


def eval_tokenize(text, base):
    toks, i = [], 0
    while i < len(text):
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c == '"':
            j = i + 1
            buf = []
            while j < len(text) and text[j] != '"':
                if text[j] == "\\" and j + 1 < len(text):
                    nxt = text[j + 1]
                    buf.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
                    j += 2
                else:
                    buf.append(text[j])
                    j += 1
            if j >= len(text):
                raise QueryError("unterminated quoted string", base + i)
            toks.append(("str", "".join(buf), base + i))
            i = j + 1
            continue
        if c == "'":
            j = text.find("'", i + 1)
            if j < 0:
                raise QueryError("unterminated field name", base + i)
            toks.append(("field", text[i + 1:j], base + i))
            i = j + 1
            continue
        m = re.match(r"\d+(\.\d*)?|\.\d+", text[i:])
        if m:
            toks.append(("num", m.group(0), base + i))
            i += len(m.group(0))
            continue
        for op in ("==", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "%", ".", "(", ")", ","):
            if text.startswith(op, i):
                toks.append(("op", op, base + i))
                i += len(op)
                break
        else:
            m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[i:])
            if not m:
                raise QueryError("unexpected character %r in expression" % c, base + i)
            toks.append(("name", m.group(0), base + i))
            i += len(m.group(0))
    return toks


class EvalParser:
    def __init__(self, text, base):
        self.toks = eval_tokenize(text, base)
        self.i = 0
        self.end = base + len(text)

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else (None, None, self.end)

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def is_op(self, op):
        t = self.peek()
        return t[0] == "op" and t[1] == op

    def is_kw(self, kw):
        t = self.peek()
        return t[0] == "name" and t[1].upper() == kw and not (self.peek(1)[0] == "op" and self.peek(1)[1] == "(")

    def expect_op(self, op):
        if not self.is_op(op):
            raise QueryError("expected '%s'" % op, self.peek()[2])
        self.take()

    def parse(self):
        e = self.parse_or()
        if self.peek()[0] is not None:
            raise QueryError("unexpected text in expression", self.peek()[2])
        return e

    def parse_or(self):
        e = self.parse_xor()
        while self.is_kw("OR"):
            self.take()
            e = ENode("or", e, self.parse_xor())
        return e

    def parse_xor(self):
        e = self.parse_and()
        while self.is_kw("XOR"):
            self.take()
            e = ENode("xor", e, self.parse_and())
        return e

    def parse_and(self):
        e = self.parse_not()
        while self.is_kw("AND"):
            self.take()
            e = ENode("and", e, self.parse_not())
        return e

    def parse_not(self):
        if self.is_kw("NOT"):
            self.take()
            return ENode("not", self.parse_not())
        return self.parse_cmp()

    def parse_cmp(self):
        e = self.parse_add()
        while True:
            t = self.peek()
            if t[0] == "op" and t[1] in ("=", "==", "!=", "<", "<=", ">", ">="):
                self.take()
                e = ENode("cmp", t[1], e, self.parse_add())
            elif self.is_kw("LIKE"):
                self.take()
                e = ENode("call", "like", [e, self.parse_add()])
            else:
                return e

    def parse_add(self):
        e = self.parse_mul()
        while True:
            t = self.peek()
            if t[0] == "op" and t[1] in ("+", "-", "."):
                self.take()
                e = ENode("arith", t[1], e, self.parse_mul())
            else:
                return e

    def parse_mul(self):
        e = self.parse_unary()
        while True:
            t = self.peek()
            if t[0] == "op" and t[1] in ("*", "/", "%"):
                self.take()
                e = ENode("arith", t[1], e, self.parse_unary())
            else:
                return e

    def parse_unary(self):
        if self.is_op("-"):
            self.take()
            return ENode("neg", self.parse_unary())
        return self.parse_primary()

    def parse_primary(self):
        t = self.take()
        if t[0] is None:
            raise QueryError("expected an expression", t[2])
        if t[0] == "num":
            return ENode("lit", decimal.Decimal(t[1]))
        if t[0] == "str":
            return ENode("lit", t[1])
        if t[0] == "field":
            return ENode("field", t[1])
        if t[0] == "op" and t[1] == "(":
            e = self.parse_or()
            self.expect_op(")")
            return e
        if t[0] == "name":
            if self.is_op("("):
                self.take()
                args = []
                if not self.is_op(")"):
                    while True:
                        args.append(self.parse_or())
                        if self.is_op(","):
                            self.take()
                            continue
                        break
                self.expect_op(")")
                name = t[1].lower()
                if name not in EVAL_FUNCS:
                    raise QueryError("unknown function %s" % t[1], t[2])
                return ENode("call", name, args)
            if t[1].lower() in ("true", "false") and False:
                pass
            return ENode("field", t[1])
        raise QueryError("unexpected '%s' in expression" % t[1], t[2])


def parse_eval_expr(text, base):
    return EvalParser(text, base).parse()


def parse_eval_assignments(text, base):
    """`f=expr, g=expr`: split at top-level commas, each at its first single '='."""
    out, depth, start, i, q = [], 0, 0, 0, None
    pieces = []
    while i < len(text):
        c = text[i]
        if q:
            if c == "\\" and q == '"':
                i += 2
                continue
            if c == q:
                q = None
        elif c in "\"'":
            q = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            pieces.append((text[start:i], base + start))
            start = i + 1
        i += 1
    pieces.append((text[start:], base + start))
    for piece, pos in pieces:
        m = re.match(r"\s*('[^']*'|\"[^\"]*\"|[^\s=]+)\s*=(?!=)", piece)
        if not m:
            raise QueryError("eval needs field=expression", pos)
        name = m.group(1)
        if name[0] in "'\"":
            name = name[1:-1]
        out.append((name, parse_eval_expr(piece[m.end():], pos + m.end())))
    if not out:
        raise QueryError("eval needs field=expression", base)
    return out


def field_value(row, name):
    vals = row.get(name)
    if vals is None:
        return None
    return vals[0] if len(vals) == 1 else list(vals)


def as_num(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, decimal.Decimal):
        return v
    if isinstance(v, str):
        return num(v)
    return None


def as_str(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, decimal.Decimal):
        return format_number(v)
    if isinstance(v, list):
        return as_str(v[0]) if v else None
    return v


def truthy(v):
    if isinstance(v, list):
        return any(truthy(x) for x in v)
    return v is True


def to_field_values(v):
    if v is None:
        return None
    if isinstance(v, list):
        out = [as_str(x) for x in v if x is not None]
        return out or None
    return [as_str(v)]


def compare_values(op, a, b):
    if a is None or b is None:
        return None
    if isinstance(a, list):
        return any(compare_values(op, x, b) for x in a)
    if isinstance(b, list):
        return any(compare_values(op, a, x) for x in b)
    na, nb = as_num(a), as_num(b)
    if na is not None and nb is not None:
        x, y = na, nb
    else:
        x, y = lex_key(as_str(a)), lex_key(as_str(b))
    return {"=": x == y, "==": x == y, "!=": x != y, "<": x < y, "<=": x <= y,
            ">": x > y, ">=": x >= y}[op]


def strftime(epoch, fmt):
    t = dt.datetime.fromtimestamp(float(epoch), dt.timezone.utc)
    fmt = fmt.replace("%F", "%Y-%m-%d").replace("%T", "%H:%M:%S")
    return t.strftime(fmt)


def like(text, pattern):
    rx = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, text, re.DOTALL) is not None


def cidrmatch(cidr, ip):
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False


def fn_round(x, digits=decimal.Decimal(0)):
    q = decimal.Decimal(1).scaleb(-int(digits))
    return x.quantize(q, rounding=decimal.ROUND_HALF_UP)


def call(name, args, row):
    lazy = {"if", "case", "coalesce", "isnull", "isnotnull"}
    if name in lazy:
        if name == "if":
            if len(args) != 3:
                raise EvalError("if takes 3 arguments")
            return eval_expr(args[1] if truthy(eval_expr(args[0], row)) else args[2], row)
        if name == "case":
            for cond, val in zip(args[0::2], args[1::2]):
                if truthy(eval_expr(cond, row)):
                    return eval_expr(val, row)
            return None
        if name == "coalesce":
            for arg in args:
                v = eval_expr(arg, row)
                if v is not None:
                    return v
            return None
        v = eval_expr(args[0], row)
        return (v is None) if name == "isnull" else (v is not None)
    vals = [eval_expr(x, row) for x in args]
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "null":
        return None
    if name in ("mvcount",):
        v = vals[0]
        return None if v is None else decimal.Decimal(len(v) if isinstance(v, list) else 1)
    if name == "mvindex":
        v = vals[0]
        if v is None:
            return None
        lst = v if isinstance(v, list) else [v]
        i = int(as_num(vals[1]))
        j = int(as_num(vals[2])) if len(vals) > 2 else i
        n = len(lst)
        i, j = (i + n if i < 0 else i), (j + n if j < 0 else j)
        if i < 0 or i >= n:
            return None
        part = lst[i:j + 1]
        return part[0] if len(part) == 1 else (part or None)
    if name == "mvjoin":
        v = vals[0]
        if v is None:
            return None
        lst = v if isinstance(v, list) else [v]
        return as_str(vals[1]).join(as_str(x) for x in lst)
    if name == "split":
        s, d = as_str(vals[0]), as_str(vals[1])
        if s is None:
            return None
        parts = s.split(d) if d else list(s)
        return parts[0] if len(parts) == 1 else parts
    if any(v is None for v in vals) and name not in ("now",):
        return None
    if name in ("lower", "upper"):
        s = as_str(vals[0])
        return s.lower() if name == "lower" else s.upper()
    if name == "len":
        return decimal.Decimal(len(as_str(vals[0])))
    if name == "substr":
        s = as_str(vals[0])
        start = int(as_num(vals[1]))
        start = start - 1 if start > 0 else (len(s) + start if start < 0 else 0)
        if len(vals) > 2:
            return s[start:start + int(as_num(vals[2]))]
        return s[start:]
    if name == "replace":
        rx = convert_regex(as_str(vals[1]), 0)
        repl = re.sub(r"\\(\d)", r"\\g<\1>", as_str(vals[2]))
        return rx.sub(repl, as_str(vals[0]))
    if name == "like":
        return like(as_str(vals[0]), as_str(vals[1]))
    if name == "match":
        return convert_regex(as_str(vals[1]), 0).search(as_str(vals[0])) is not None
    if name == "cidrmatch":
        return cidrmatch(as_str(vals[0]), as_str(vals[1]))
    if name == "tonumber":
        return as_num(vals[0])
    if name == "tostring":
        return as_str(vals[0])
    if name == "round":
        x = as_num(vals[0])
        if x is None:
            return None
        return fn_round(x, as_num(vals[1]) if len(vals) > 1 else decimal.Decimal(0))
    if name == "abs":
        x = as_num(vals[0])
        return None if x is None else abs(x)
    if name == "strftime":
        x = as_num(vals[0])
        return None if x is None else strftime(x, as_str(vals[1]))
    if name == "strptime":
        s, fmt = as_str(vals[0]), as_str(vals[1]).replace("%F", "%Y-%m-%d").replace("%T", "%H:%M:%S")
        try:
            t = dt.datetime.strptime(s, fmt).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            return None
        return decimal.Decimal(int(t.timestamp()))
    raise EvalError("function %s is not supported by the oracle" % name)


EVAL_FUNCS = {
    "if", "case", "coalesce", "isnull", "isnotnull", "like", "match", "cidrmatch", "lower",
    "upper", "len", "substr", "replace", "split", "mvindex", "mvcount", "mvjoin", "strftime",
    "strptime", "tonumber", "tostring", "round", "abs", "true", "false", "null",
}


def eval_expr(e, row):
    k = e.kind
    if k == "lit":
        return e.args[0]
    if k == "field":
        return field_value(row, e.args[0])
    if k == "call":
        return call(e.args[0], e.args[1], row)
    if k == "not":
        v = eval_expr(e.args[0], row)
        return None if v is None else not truthy(v)
    if k in ("and", "or", "xor"):
        a, b = truthy(eval_expr(e.args[0], row)), truthy(eval_expr(e.args[1], row))
        return {"and": a and b, "or": a or b, "xor": a != b}[k]
    if k == "cmp":
        return compare_values(e.args[0], eval_expr(e.args[1], row), eval_expr(e.args[2], row))
    if k == "neg":
        x = as_num(eval_expr(e.args[0], row))
        return None if x is None else -x
    if k == "arith":
        op = e.args[0]
        a, b = eval_expr(e.args[1], row), eval_expr(e.args[2], row)
        if a is None or b is None:
            return None
        if isinstance(a, list):
            a = a[0]
        if isinstance(b, list):
            b = b[0]
        if op == ".":
            return as_str(a) + as_str(b)
        x, y = as_num(a), as_num(b)
        if op == "+" and (x is None or y is None):
            return as_str(a) + as_str(b)  # + on strings concatenates
        if x is None or y is None:
            return None
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if y == 0:
            return None  # division by zero gives null
        with decimal.localcontext() as ctx:
            ctx.prec = 40
            return x / y if op == "/" else x % y
    raise AssertionError(k)


# ---------------------------------------------------------------------------------------
# Running a pipeline


def event_rows(events):
    """Search order: newest first (stable for equal times)."""
    ordered = sorted(events, key=lambda ev: -(ev.time or 0))
    rows = []
    for ev in ordered:
        r = {k: list(v) for k, v in ev.fields.items()}
        if ev.time is not None:
            r["_time"] = [str(int(ev.time))]
        r["_raw"] = [ev.raw]
        rows.append(r)
    return rows


def run(events, query, earliest=None, latest=None, now=None):
    """The final ResultSet of `query` (QueryError for a bad query)."""
    parts = split_pipeline(query)
    search_text, _ = parts[0]
    if len(parts) > 1 and not search_text.strip():
        raise QueryError("generating commands are not available", parts[1][1])
    hits = spl_oracle.search(events, search_text, earliest, latest, now)
    rs = ResultSet(event_rows(hits))
    commands = []
    for text, offset in parts[1:]:
        m = re.match(r"\s*(\S*)", text)
        name = m.group(1)
        name_pos = offset + m.start(1)
        if not name:
            raise QueryError("expected a command after |", offset + len(text))
        if name not in COMMANDS:
            raise QueryError("unknown command '%s'" % name, name_pos)
        rest_off = offset + m.end(1)
        commands.append((name, Args(name, query[rest_off:offset + len(text)], rest_off, query)))
    for name, args in commands:  # parse errors come before any work; parsing is in the cmd
        pass
    for name, args in commands:
        try:
            rs = COMMANDS[name](rs, args)
        except EvalError as e:
            raise QueryError(str(e), args.base)
    return rs


def format_cell(col, values):
    if values is None:
        return ""
    if col == "_time":
        out = []
        for v in values:
            n = num(v)
            if n is None:
                out.append(v)
            else:
                out.append(dt.datetime.fromtimestamp(float(n), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        values = out
    return ",".join(values)


def csv_cell(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_csv(rs):
    if not rs.tabular:
        raise QueryError("the oracle prints only tables: end the pipeline with stats, top, rare or table", 0)
    cols = [c for c in rs.columns if any(c in r for r in rs.rows)]
    lines = [",".join(csv_cell(c) for c in cols)]
    for r in rs.rows:
        lines.append(",".join(csv_cell(format_cell(c, r.get(c))) for c in cols))
    return "".join(line + "\n" for line in lines)


def table_text(events, query, earliest=None, latest=None):
    return to_csv(run(events, query, earliest, latest))


def main(argv=None):
    ap = argparse.ArgumentParser(description="reference implementation of cairn's pipeline commands")
    ap.add_argument("--data", nargs="+", required=True, help="NDJSON/JSON files or directories")
    ap.add_argument("--earliest")
    ap.add_argument("--latest")
    ap.add_argument("--index-name", default="main")
    ap.add_argument("query", nargs="?")
    args = ap.parse_args(argv)
    if args.query is None:
        if len(args.data) < 2:
            ap.error("no query")
        args.query = args.data.pop()
    events = spl_oracle.load_events(args.data, args.index_name)
    try:
        text = table_text(events, args.query, args.earliest, args.latest)
    except QueryError as e:
        sys.stderr.write("error: %s\n  %s\n  %s^\n" % (e.message, args.query, " " * e.pos))
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
