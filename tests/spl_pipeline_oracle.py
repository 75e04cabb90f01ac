#!/usr/bin/env python3
"""A small, independent reference implementation of cairn's PIPELINE commands.

It extends the search oracle (tests/spl_oracle.py, which does the search part) with the
pipe commands of /work/shared/reference/spl-semantics.md section 3 (and the stats rules of
section 2, the defaults of section 5). It is the oracle for the `# expect: table` golden
cases of tests/queries/. It is written from the spec, never from cairn's source or output,
and favours being obviously correct over being fast.

    python3 tests/spl_pipeline_oracle.py --data FILE... [--earliest T] [--latest T]
                                         [--index-name NAME] [--macros PATH]...
                                         [--lookups DIR] [--lookup-definitions PATH] 'QUERY'

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

The pipeline commands of docs/query-language.md (sections Macros, Subsearches, Lookups and the
Pipeline commands table), written from that page and Splunk's Search Reference. A rule marked
[open] is a choice the spec leaves open; the golden cases avoid depending on it unless the
marking says a case pins it.

Macros (expanded first, over the whole text, subsearches included). `name` or `name(a, b)`
outside double quotes; the arguments are split at commas outside quotes and parentheses and
trimmed; the stanza is [name(N)] for N arguments, [name] for none; each $arg$ of the
definition (args = a, b) is replaced by the argument's text, quotes included; the result is
expanded again (at most 20 deep; a macro calling itself is an error). Definitions: the built-in
`cloudtrail` = sourcetype=aws:cloudtrail, `security_content_ctime(field)` = convert
timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$), `drop_dm_object_name(object)` = rename
$object$.* AS *, then each --macros PATH in order, later ones overriding (a macros.conf file,
an ESCU YAML file with name:/definition:/arguments:, or a folder of *.conf/*.yml/*.yaml sorted
by name). macros.conf: [stanza] lines, key = value lines, `#` comment lines, a line ending in a
backslash continues on the next. An undefined macro is an error, except a name ending in
_filter, which expands to nothing; once any macro expanded to nothing, the empty commands
(`| |`, a trailing `|`) are dropped.

Subsearches. The pipeline is split at | outside quotes and outside [...]. A top-level [...]
outside quotes is a subsearch: its text is a query of its own (a leading `search` is allowed; a
leading `|` starts with a generating command). Subsearches nest up to 10 deep. They see the
--earliest/--latest options, but not the earliest=/latest= of the search around them
(spl-semantics.md 1, "not for subsearches").
  In the search part and in `| search`: the subsearch's first 10,000 rows become the text
  ( ("f1"="v1" AND "f2"="v2") OR (...) ), over each row's fields not starting with _; a
  multivalue field gives ("f"="a" OR "f"="b"); a field named search or query is inserted as
  (its value), unquoted; no rows: a term that matches nothing. [open] A row with no usable
  field is left out.
  append, appendcols, join, union: the subsearch's rows (at most 50,000; append maxout= less).

Generating commands. A query (or subsearch) whose search part is empty starts with
makeresults, inputlookup or union; other commands need a search part before them.
makeresults [count=1] [annotate=b]: COUNT rows holding only _time = now (whole seconds);
    annotate adds nothing. Only as the first command.
inputlookup [append=false] [start=0] [max=N] NAME [where EXPR]: the table's rows in file
    order, each cell a field (an empty cell is null, a cell with line breaks is multivalue),
    no _time. [open] start/max select the file's rows, then where filters them (no case
    combines them). append=true puts them after the rows so far; otherwise only first.

convert [timeformat="%m/%d/%Y %H:%M:%S"] fn(field) [AS new] ...: each value of the field is
    converted; without AS the field is replaced, with AS the new field gets the converted
    values. ctime: epoch seconds -> strftime(timeformat), UTC; mktime: strptime(timeformat),
    UTC -> epoch seconds; dur2sec: [D+]HH:MM:SS -> seconds; mstime: [MM:]SS.sss -> seconds;
    memk: N[k|m|g] -> kilobytes (k 1, m 1024, g 1024*1024; no suffix = k); rmcomma: the value
    without commas; rmunit: the leading number (its text) of the value; num: the value if it
    is a number, else dropped; auto: the value (a number stays a number, text stays text). A
    value that does not convert stays as it was (num: dropped). A field may hold `*`; none(f)
    leaves f out of that command's wildcard conversions. [open] With AS, a value that does
    not convert is copied as it is to the new field (no case has one); [open] memk suffixes
    in either case.
bin / bucket [span=S] [bins=N] [minspan=S] [start=X] [end=X] [aligntime=A] field [AS new]
    On _time: S = N units (s sec secs second seconds, m min mins minute minutes, h hr hrs hour
    hours, d day days, w week weeks, mon month months; a bare number is seconds); the bucket
    is floor(t/S)*S (UTC), or aligntime + floor((t - aligntime)/S)*S; mon: the first of the
    month, floor(months since Jan 1970 / N)*N. aligntime is epoch seconds or a time spl_oracle
    reads, or earliest/latest = the search's earliest/latest time when it has one, else the
    rows' first/last _time (docs/query-language.md; Splunk's page does not say). [open] The
    oracle knows the search's range from --earliest/--latest only, not from an earliest=
    in the search text (no case has both). Without
    span: the smallest of 1s 5s 10s 30s 1m 5m 10m 30m 1h 3h 12h 1d 7d 30d 365d that is at
    least minspan and gives at most bins (default 100) buckets, the buckets counted as
    floor(max/S) - floor(min/S) + 1 over the rows' _time [open: the cases pick ranges where
    ceil((max-min)/S) agrees].
    On another field: numbers only; span=S puts v in "lo-hi" with lo = floor(v/S)*S, hi =
    lo+S (numbers printed as computed numbers); without span, S is the smallest power of ten
    giving at most bins buckets (counted as above) over [min(values, start), max(values,
    end)]. A value that is not a number gets no bucket [open: without AS the oracle removes
    it; the cases use AS]. Each value of a multivalue field is binned [open, untested].
spath [input=_raw] [output=F] [path=]P: the input's first value parsed as JSON (not JSON:
    nothing). Path steps split at ".": name (an object's member; [open] a name step on an
    array gives nothing), name{} (every element of an array), name{N} (element N from 0),
    {} alone; {} and {N} on something that is not an array give nothing (docs: "every element
    of an array"; pinned by spath/braces-on-string). A string gives its text, a number its
    JSON text, a boolean true/false, null nothing, an object or array its compact JSON text
    (no spaces, members in document order); several values make a multivalue field in
    document order. The output defaults to the path as written; an absent path sets nothing
    (an existing output field is kept). Without a path: every leaf with ingest names
    (spl_oracle.flatten), replacing fields the row has.
mvexpand field [limit=N]: a row per value (the first N), in value order, repeated values too;
    a row without the field is kept as it is. [open] limit=0 means all.
makemv [delim=" "] [tokenizer="RX"] [allowempty=false] [setsv=false] field: each value split
    at the delimiter text, or each match of the tokenizer (its first group if it has one);
    empty pieces dropped unless allowempty; setsv changes nothing. No piece left: the field
    is removed.
nomv field: the values joined with "\n" into one value.
eventstats [allnum=false] AGG... [BY f...]: stats' aggregations (the functions of stats
    above) over each group, set on every row of the group (replacing a field of the same
    name; a null result removes it); rows stay in order; a row lacking a by-field gets
    nothing. allnum=true: the numeric functions (avg mean sum range min max) give null when
    some value of the field in the group is not a number (Splunk's "only if all of the values
    in that field are numerical"). [open] A multivalue by-field: the row gets the values of
    its first combination (untested).
streamstats [current=true] [window=0] [time_window=S] [global=true] [reset_on_change=false]
    [reset_before="(EXPR)"] [reset_after="(EXPR)"] [allnum=false] AGG... [BY f...]: rows in
    result order; "seen" = the rows since the last reset that have every by-field (a row
    lacking one gets nothing and is not seen). For a row: the pool = the seen rows, plus
    itself when current=true; window=N keeps the last N of the pool (global=true) or the
    last N of the row's group (global=false) -- so current=false, window=1 is the previous
    row; then the rows of the row's group; time_window=S keeps those with |t - t_row| < S
    [open: a pair exactly S apart; no case has one]. The aggregations over them are set on the
    row (null removes the field). reset_before: evaluated on the row first, true clears the
    seen rows; reset_on_change: a by-value different from the previous row's (that has the
    by-fields) clears them before the row; reset_after: evaluated on the row after its
    aggregations are set (it may read them: Splunk: "after the streamstats calculations are
    produced for an event"), true clears them after the row.
append [maxout=50000] [subsearch]: the rows so far, then the subsearch's.
appendcols [override=false] [subsearch]: subsearch row i merged into row i (its fields
    replace the row's only with override=true); extra subsearch rows added as rows.
union [subsearch]...: the rows so far, then each subsearch's.
join [type=inner|left|outer] [max=1] [overwrite=true] [usetime=false] [earlier=true]
    [f1, f2 ...] [subsearch]: for each row, the subsearch rows whose join fields all have the
    same values (the whole value list, as text, case-sensitive); without a field list, the
    fields not starting with _ that some row of each side has. A row lacking a join field
    joins nothing. usetime=true keeps subsearch rows with _time < the row's (earlier=true) or
    > (earlier=false). max=N: the first N matches in subsearch order (0: all). Each match gives
    the row with the subsearch row's fields added, replacing the row's own when overwrite=true
    (_time too [open]; the cases do not print _time after such a join). inner drops rows
    without a match; left and outer keep them unchanged.
    Columns after append/appendcols/union/join: those of the rows so far, then the
    subsearch's new ones (a table only when both sides are tables).
lookup NAME F [AS EF] [, F2 [AS EF2]] [OUTPUT|OUTPUTNEW O [AS NO] ...]: NAME is a stanza of
    <lookups>/lookups.conf or an ESCU definition (--lookup-definitions: YAML name: with
    filename:, or collection: + fields_list:, kept as <collection>.csv and empty until
    written), else the file NAME or NAME.csv in --lookups (a name with / \ or .. refused).
    CSV per RFC 4180 (csv module; CRLF or LF). A table row matches when every pair matches:
    some value of the row's EF matches the cell of column F: CIDR(F) the value is an address
    in the cell's network, WILDCARD(F) the cell is a pattern with * (case per
    case_sensitive_match), else equal text (case-insensitive when case_sensitive_match =
    false). The matching rows in file order, at most max_matches (default 1000). Outputs:
    the OUTPUT list, or every column that is not a match column. Each output gets the
    matched rows' non-empty cells (several rows: multivalue). If fewer rows than min_matches
    matched, default_match is added until min_matches (when default_match is not empty).
    OUTPUT (and no clause) replaces the field and removes it when there is no value;
    OUTPUTNEW sets only a field the row does not have (per field).
"""

import argparse
import csv
import datetime as dt
import decimal
import functools
import ipaddress
import itertools
import json
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
    """[(text, offset)] of the search part and each command, split at | outside quotes and
    outside subsearch brackets."""
    parts, start, i, in_quote, depth = [], 0, 0, False, 0
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
        elif c == "[":
            depth += 1
        elif c == "]" and depth > 0:
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append((query[start:i], start))
            start = i + 1
        i += 1
    parts.append((query[start:], start))
    return parts


def find_subsearches(text):
    """(start, end) of each top-level [...] of text outside quotes (end after the ']')."""
    spans, i, in_quote, depth, open_at = [], 0, False, 0, None
    while i < len(text):
        c = text[i]
        if in_quote:
            if c == "\\" and i + 1 < len(text):
                i += 2
                continue
            if c == '"':
                in_quote = False
        elif c == '"':
            in_quote = True
        elif c == "[":
            if depth == 0:
                open_at = i
            depth += 1
        elif c == "]" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((open_at, i + 1))
        i += 1
    if depth:
        raise QueryError("unbalanced brackets: '[' is never closed", open_at)
    return spans


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


# ---------------------------------------------------------------------------------------
# The query's context: what the whole query (and its subsearches) shares


class Context:
    def __init__(self, events, earliest=None, latest=None, now=None, macro_paths=(), lookups=None,
                 lookup_definitions=None):
        self.events = events
        self.earliest = earliest      # --earliest/--latest: they apply to subsearches too
        self.latest = latest
        self.now = now if now is not None else int(dt.datetime.now(dt.timezone.utc).timestamp())
        self.macros = load_macros(macro_paths)
        self.lookups_dir = lookups
        self.lookup_defs = load_lookup_definitions(lookups, lookup_definitions)
        self.empty_macro = False      # some macro expanded to nothing: drop dangling pipes


# -- macros


MACRO_DEPTH = 20
BUILTIN_MACROS = {
    ("cloudtrail", 0): ([], "sourcetype=aws:cloudtrail"),
    ("security_content_ctime", 1): (["field"], 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)'),
    ("drop_dm_object_name", 1): (["object"], "rename $object$.* AS *"),
}


def parse_conf(text):
    """A Splunk .conf file: {stanza: {key: value}} in file order. `#` starts a comment line;
    a line ending in a backslash continues on the next (the backslash becomes a line break)."""
    stanzas, current = {}, None
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + "\n" + lines[i]
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stanzas.setdefault(stripped[1:-1].strip(), {})
            continue
        key, sep, value = line.partition("=")
        if sep and current is not None:
            current[key.strip()] = value.strip()
    return stanzas


def parse_simple_yaml(text):
    """The top-level `key: value` pairs of a small YAML file (ESCU's macro and lookup files):
    plain, 'single' and "double" quoted scalars, `>`/`|` blocks and `- item` lists."""
    out, lines, i = {}, text.replace("\r\n", "\n").split("\n"), 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = re.match(r"([A-Za-z_][\w-]*):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).rstrip()
        if value in ("", ">", "|", ">-", "|-"):
            block = []
            while i < len(lines) and (lines[i].startswith(" ") or lines[i].startswith("-") or not lines[i].strip()):
                if lines[i].strip() == "" and i + 1 < len(lines) and not lines[i + 1].startswith(" "):
                    break
                block.append(lines[i])
                i += 1
            items = [b.strip()[1:].strip() for b in block if b.strip().startswith("- ")]
            if value == "" and items:
                out[key] = [v.strip("'\"") for v in items]
            else:
                sep = " " if value.startswith(">") else "\n"
                out[key] = sep.join(b.strip() for b in block if b.strip())
            continue
        if value.startswith("'") and value.endswith("'") and len(value) >= 2:
            value = value[1:-1].replace("''", "'")
        elif value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out[key] = value
    return out


def macro_files(path):
    if os.path.isdir(path):
        return [os.path.join(path, n) for n in sorted(os.listdir(path))
                if n.endswith((".conf", ".yml", ".yaml"))]
    return [path]


def load_macros(paths):
    """{(name, number of arguments): ([argument names], definition)}: the built-in set, then
    each file in order (later definitions override earlier ones)."""
    macros = dict(BUILTIN_MACROS)
    for path in paths or ():
        for f in macro_files(path):
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
            if f.endswith(".conf"):
                for stanza, keys in parse_conf(text).items():
                    if "definition" not in keys:
                        continue
                    m = re.fullmatch(r"(.+?)\((\d+)\)", stanza)
                    name, n = (m.group(1), int(m.group(2))) if m else (stanza, 0)
                    args = [x.strip() for x in keys.get("args", "").split(",") if x.strip()]
                    macros[(name, n)] = (args, keys["definition"])
            else:
                y = parse_simple_yaml(text)
                if "name" in y and "definition" in y:
                    args = y.get("arguments") or []
                    if isinstance(args, str):
                        args = [x.strip() for x in args.split(",") if x.strip()]
                    macros[(y["name"], len(args))] = (args, y["definition"])
    return macros


def split_macro_args(text):
    """Arguments split at commas outside quotes and parentheses, trimmed."""
    out, depth, quote, start = [], 0, False, 0
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
        i += 1
    out.append(text[start:].strip())
    return out


def expand_macros(text, ctx, depth=0, stack=()):
    """Every `name` / `name(args)` outside double quotes replaced by its definition."""
    out, i, in_quote = [], 0, False
    while i < len(text):
        c = text[i]
        if in_quote:
            if c == "\\" and i + 1 < len(text):
                out.append(text[i:i + 2])
                i += 2
                continue
            if c == '"':
                in_quote = False
            out.append(c)
            i += 1
            continue
        if c == '"':
            in_quote = True
            out.append(c)
            i += 1
            continue
        if c != "`":
            out.append(c)
            i += 1
            continue
        j = text.find("`", i + 1)
        if j < 0:
            raise QueryError("unterminated macro: a back quote is never closed", i)
        call = text[i + 1:j].strip()
        m = re.fullmatch(r"([^\s(]+)\s*(?:\((.*)\))?", call, re.DOTALL)
        if not m:
            raise QueryError("bad macro call `%s`" % call, i)
        name, argtext = m.group(1), m.group(2)
        args = split_macro_args(argtext) if argtext is not None and argtext.strip() else []
        key = (name, len(args))
        if key not in ctx.macros:
            if name.endswith("_filter"):
                ctx.empty_macro = True
                i = j + 1
                continue
            raise QueryError("undefined macro `%s`" % call, i)
        if name in stack:
            raise QueryError("macro `%s` calls itself" % name, i)
        if depth >= MACRO_DEPTH:
            raise QueryError("macros nest more than %d deep" % MACRO_DEPTH, i)
        params, definition = ctx.macros[key]
        for p, v in zip(params, args):
            definition = definition.replace("$%s$" % p, v)
        expansion = expand_macros(definition, ctx, depth + 1, stack + (name,))
        if not expansion.strip():
            ctx.empty_macro = True
        out.append(expansion)
        i = j + 1
    return "".join(out)


# -- subsearches


SUBSEARCH_DEPTH = 10
SUBSEARCH_FILTER_MAX = 10000
SUBSEARCH_ROWS_MAX = 50000
NEVER_MATCHES = '"_no_subsearch_results"!=*'  # f!=* matches nothing


def run_subsearch(ctx, text, depth):
    if depth > SUBSEARCH_DEPTH:
        raise QueryError("subsearches nest more than %d deep" % SUBSEARCH_DEPTH, 0)
    text = text.strip()
    if not text:
        raise QueryError("empty subsearch", 0)
    return run_pipeline(ctx, text, depth)


def quote_search(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def subsearch_filter(ctx, text, depth):
    """The search text a subsearch's results stand for: (f1="v1" AND f2="v2") OR (...)."""
    rows = run_subsearch(ctx, text, depth).rows[:SUBSEARCH_FILTER_MAX]
    terms = []
    for r in rows:
        parts = []
        for f, vals in r.items():
            if f.startswith("_"):
                continue
            if f in ("search", "query"):
                alts = ["(%s)" % v for v in vals]
            else:
                alts = ["%s=%s" % (quote_search(f), quote_search(v)) for v in vals]
            parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
        if parts:
            terms.append("(" + " AND ".join(parts) + ")")
    if not terms:
        return NEVER_MATCHES
    return "(" + " OR ".join(terms) + ")"


def substitute_subsearches(ctx, text, depth):
    spans = find_subsearches(text)
    if not spans:
        return text
    out, last = [], 0
    for s, e in spans:
        out.append(text[last:s])
        out.append(" " + subsearch_filter(ctx, text[s + 1:e - 1], depth + 1) + " ")
        last = e
    out.append(text[last:])
    return "".join(out)


def extract_subsearches(text):
    """(text without its [...] parts, [subsearch texts])."""
    spans = find_subsearches(text)
    subs = [text[s + 1:e - 1] for s, e in spans]
    out, last = [], 0
    for s, e in spans:
        out.append(text[last:s] + " ")
        last = e
    out.append(text[last:])
    return "".join(out), subs


# -- lookups


class LookupTable:
    def __init__(self, name, header, rows, settings):
        self.name = name
        self.header = header     # column names, in file order
        self.rows = rows         # [{column: [values]}] (an empty cell has no entry)
        self.match_types = {}    # column -> "CIDR" | "WILDCARD"
        for m in re.finditer(r"(CIDR|WILDCARD)\s*\(\s*([^)]*?)\s*\)", settings.get("match_type", ""), re.I):
            self.match_types[m.group(2)] = m.group(1).upper()
        self.max_matches = int(settings.get("max_matches", "1000") or 1000)
        self.min_matches = int(settings.get("min_matches", "0") or 0)
        self.default_match = settings.get("default_match", "")
        self.case_sensitive = settings.get("case_sensitive_match", "true").strip().lower() not in (
            "false", "f", "0", "no")


def load_lookup_definitions(lookups_dir, definitions_path):
    """{name: settings}: the stanzas of <lookups>/lookups.conf and ESCU YAML definitions."""
    defs = {}
    if lookups_dir:
        conf = os.path.join(lookups_dir, "lookups.conf")
        if os.path.isfile(conf):
            with open(conf, encoding="utf-8") as f:
                defs.update(parse_conf(f.read()))
    if definitions_path:
        files = macro_files(definitions_path)
        for path in files:
            if not path.endswith((".yml", ".yaml")):
                continue
            with open(path, encoding="utf-8") as f:
                y = parse_simple_yaml(f.read())
            if "name" not in y:
                continue
            settings = {k: v for k, v in y.items() if isinstance(v, str)}
            if "collection" in y and "filename" not in y:
                settings["filename"] = y["collection"] + ".csv"
                fl = y.get("fields_list", "")
                settings["_fields"] = fl if isinstance(fl, str) else ",".join(fl)
            defs[y["name"]] = settings
    return defs


def cell_values(cell):
    """A CSV cell as field values: empty is null; a cell holding line breaks is multivalue."""
    if cell is None or cell == "":
        return None
    vals = cell.replace("\r\n", "\n").split("\n")
    return vals


def load_lookup(ctx, name, pos):
    if any(bad in name for bad in ("/", "\\", "..")):
        raise QueryError("lookup name %s is refused" % name, pos)
    settings = ctx.lookup_defs.get(name)
    if settings is not None:
        filename = settings.get("filename", name)
    else:
        settings = {}
        filename = name
    if not ctx.lookups_dir:
        raise QueryError("no lookup table %s (no lookups directory)" % name, pos)
    path = os.path.join(ctx.lookups_dir, filename)
    if not os.path.isfile(path) and settings.get("filename") is None and os.path.isfile(path + ".csv"):
        path += ".csv"
    if not os.path.isfile(path):
        if "_fields" in settings:  # a KV-store collection not written yet: empty
            header = [x.strip() for x in settings["_fields"].split(",") if x.strip()]
            return LookupTable(name, header, [], settings)
        raise QueryError("no lookup table %s" % name, pos)
    with open(path, encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    if not records:
        return LookupTable(name, [], [], settings)
    header = records[0]
    rows = []
    for rec in records[1:]:
        if not rec:
            continue
        row = {}
        for col, cell in zip(header, rec):
            vals = cell_values(cell)
            if vals is not None:
                row[col] = vals
        rows.append(row)
    return LookupTable(name, header, rows, settings)


def lookup_cell_matches(table, column, cell, value):
    kind = table.match_types.get(column)
    if kind == "CIDR":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(cell, strict=False)
        except ValueError:
            return False
    if kind == "WILDCARD":
        rx = "".join(".*" if ch == "*" else re.escape(ch) for ch in cell)
        flags = re.DOTALL | (0 if table.case_sensitive else re.IGNORECASE)
        return re.fullmatch(rx, value, flags) is not None
    if table.case_sensitive:
        return cell == value
    return cell.lower() == value.lower()


# -- generating commands


def read_options(a, allowed, cmd):
    """name=value options at the current position: {name: Tok}."""
    opts = {}
    while not a.at_end():
        a.skip_commas()
        if not a.is_option():
            break
        key, val = a.read_option()
        if key not in allowed:
            raise QueryError("unknown %s option %s" % (cmd, key), val.pos)
        opts[key] = val
    return opts


def cmd_makeresults(rs, a):
    opts = read_options(a, ("count", "annotate"), "makeresults")
    if not a.at_end():
        raise QueryError("unexpected argument to makeresults", a.peek().pos)
    if not a.first:
        raise QueryError("makeresults must be the first command", a.base)
    count = parse_int(opts["count"], "count=") if "count" in opts else 1
    if "annotate" in opts:
        parse_bool(opts["annotate"])  # the fields Splunk adds are null: nothing to add
    return ResultSet([{"_time": [str(a.ctx.now)]} for _ in range(count)])


def cmd_inputlookup(rs, a):
    opts = read_options(a, ("append", "start", "max"), "inputlookup")
    append = parse_bool(opts["append"]) if "append" in opts else False
    start = parse_int(opts["start"], "start=") if "start" in opts else 0
    limit = parse_int(opts["max"], "max=") if "max" in opts else None
    t = a.next()
    if t is None or t.kind == "punct":
        raise QueryError("inputlookup needs a lookup name", a.end_pos())
    table = load_lookup(a.ctx, t.text, t.pos)
    where = None
    if a.is_word("where"):
        w = a.next()
        where = parse_eval_expr(a.query[w.end:a.base + len(a.text)], w.end)
        a.i = len(a.toks)
    if not a.at_end():
        raise QueryError("unexpected argument to inputlookup", a.peek().pos)
    if not a.first and not append:
        raise QueryError("inputlookup must be the first command (or use append=true)", a.base)
    rows = [dict(r) for r in table.rows][start:]
    if limit is not None:
        rows = rows[:limit]
    if where is not None:
        rows = [r for r in rows if truthy(eval_expr(where, r))]
    if append and not a.first:
        return ResultSet(rs.rows + rows, rs.columns, False)
    return ResultSet(rows)


# -- convert

CONVERT_FUNCS = ("auto", "ctime", "dur2sec", "memk", "mktime", "mstime", "none", "num", "rmcomma", "rmunit")
CONVERT_DEFAULT_TIMEFORMAT = "%m/%d/%Y %H:%M:%S"
LEADING_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def convert_value(fn, v, timeformat):
    """The converted text, the value unchanged (no conversion), or None (num: dropped)."""
    if fn == "ctime":
        n = num(v)
        return v if n is None else strftime(n, timeformat)
    if fn == "mktime":
        fmt = timeformat.replace("%F", "%Y-%m-%d").replace("%T", "%H:%M:%S")
        try:
            t = dt.datetime.strptime(v, fmt).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            return v
        return str(int(t.timestamp()))
    if fn == "dur2sec":
        m = re.fullmatch(r"(?:(\d+)\+)?(\d+):(\d\d):(\d\d)", v)
        if not m:
            return v
        d, h, mi, s = (int(x) if x else 0 for x in m.groups())
        return str(d * 86400 + h * 3600 + mi * 60 + s)
    if fn == "mstime":
        m = re.fullmatch(r"(?:(\d+):)?(\d+(?:\.\d+)?)", v)
        if not m:
            return v
        return format_number(decimal.Decimal(m.group(1) or 0) * 60 + decimal.Decimal(m.group(2)))
    if fn == "memk":
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmMgG]?)", v)
        if not m:
            return v
        mult = {"": 1, "k": 1, "m": 1024, "g": 1024 * 1024}[m.group(2).lower()]
        return format_number(decimal.Decimal(m.group(1)) * mult)
    if fn == "rmcomma":
        return v.replace(",", "")
    if fn == "rmunit":
        m = LEADING_NUMBER.match(v)
        return m.group(0) if m else v
    if fn == "num":
        return v if is_number(v) else None
    if fn == "auto":
        return v
    raise AssertionError(fn)


def cmd_convert(rs, a):
    timeformat = CONVERT_DEFAULT_TIMEFORMAT
    convs, nones = [], []
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key != "timeformat":
                raise QueryError("unknown convert option %s" % key, val.pos)
            timeformat = val.text
            continue
        t = a.next()
        fn = t.text.lower()
        if t.kind != "word" or fn not in CONVERT_FUNCS or not a.is_punct("("):
            raise QueryError("expected a conversion such as ctime(field)", t.pos)
        a.next()
        field = a.field()
        if not a.is_punct(")"):
            raise QueryError("expected ')'", a.end_pos())
        a.next()
        new = None
        if a.is_word("as"):
            a.next()
            new = a.field("a name after AS")
        if fn == "none":
            nones.append(field)
        else:
            convs.append((fn, field, new))
    if not convs and not nones:
        raise QueryError("convert needs a conversion", a.base)
    rows, cols = [], list(rs.columns)
    for r in rs.rows:
        r = dict(r)
        for fn, pattern, new in convs:
            if "*" in pattern:
                targets = [f for f in list(r) if glob_match(pattern, f)
                           and not any(glob_match(n, f) if "*" in n else n == f for n in nones)]
            else:
                targets = [pattern] if pattern in r else []
            for f in targets:
                out = [c for c in (convert_value(fn, v, timeformat) for v in r[f]) if c is not None]
                dest = new or f
                if out:
                    r[dest] = out
                else:
                    r.pop(dest, None)
        rows.append(r)
    if rs.tabular:
        for _, _, new in convs:
            if new and new not in cols:
                cols.append(new)
    return ResultSet(rows, cols, rs.tabular)


# -- bin

SPAN_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
    "mon": "mon", "month": "mon", "months": "mon",
}
AUTO_TIME_SPANS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 43200, 86400, 604800, 2592000, 31536000]


def parse_span(tok):
    """(amount as Decimal, seconds per unit | "mon" | None for a bare number)."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([A-Za-z]*)", tok.text)
    if not m or (m.group(2) and m.group(2).lower() not in SPAN_UNITS):
        raise QueryError("bad span %s" % tok.text, tok.pos)
    return decimal.Decimal(m.group(1)), (SPAN_UNITS[m.group(2).lower()] if m.group(2) else None)


def span_seconds(tok):
    n, unit = parse_span(tok)
    if unit == "mon":
        raise QueryError("a month span is not allowed here", tok.pos)
    return n * (unit or 1)


def month_start(t, n):
    d = dt.datetime.fromtimestamp(float(t), dt.timezone.utc)
    months = (d.year - 1970) * 12 + d.month - 1
    b = (months // n) * n
    return int(dt.datetime(1970 + b // 12, b % 12 + 1, 1, tzinfo=dt.timezone.utc).timestamp())


def bucket_count(lo, hi, span):
    return math.floor(hi / span) - math.floor(lo / span) + 1


def cmd_bin(rs, a):
    opts, field, new = {}, None, None
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key not in ("span", "bins", "minspan", "start", "end", "aligntime"):
                raise QueryError("unknown bin option %s" % key, val.pos)
            opts[key] = val
            continue
        if field is not None and a.is_word("as"):
            a.next()
            new = a.field("a name after AS")
            continue
        if field is not None:
            raise QueryError("bin takes one field", a.peek().pos)
        field = a.field()
    if field is None:
        raise QueryError("bin needs a field", a.end_pos())
    dest = new or field
    present = [r for r in rs.rows if field in r]
    if field == "_time":
        times = [num(r["_time"][0]) for r in present if num(r["_time"][0]) is not None]
        align = None
        if "aligntime" in opts:
            v = opts["aligntime"].text
            ctx = a.ctx
            if v.lower() in ("earliest", "latest"):
                bound = ctx.earliest if v.lower() == "earliest" else ctx.latest
                if bound is not None:
                    align = decimal.Decimal(int(spl_oracle.resolve_time(bound, ctx.now)))
                elif times:  # no search range: the rows' first / last time
                    align = min(times) if v.lower() == "earliest" else max(times)
            else:
                try:
                    align = decimal.Decimal(int(spl_oracle.resolve_time(v, ctx.now)))
                except (ValueError, KeyError):
                    raise QueryError("bad aligntime %s" % v, opts["aligntime"].pos)
        if "span" in opts:
            n, unit = parse_span(opts["span"])
            if unit == "mon":
                def bucket(t):
                    return decimal.Decimal(month_start(t, int(n)))
            else:
                span = n * (unit or 1)

                def bucket(t):
                    if align is not None:
                        return align + math.floor((t - align) / span) * span
                    return math.floor(t / span) * span
        else:
            bins = parse_int(opts["bins"], "bins=") if "bins" in opts else 100
            minspan = span_seconds(opts["minspan"]) if "minspan" in opts else 0
            span = AUTO_TIME_SPANS[-1]
            if times:
                lo, hi = min(times), max(times)
                for c in AUTO_TIME_SPANS:
                    if c >= minspan and bucket_count(lo, hi, c) <= bins:
                        span = c
                        break

            def bucket(t):
                return math.floor(t / span) * span
        rows = []
        for r in rs.rows:
            r = dict(r)
            if field in r:
                t = num(r[field][0])
                if t is None:
                    r.pop(dest, None)
                else:
                    r[dest] = [format_number(decimal.Decimal(bucket(t)))]
            rows.append(r)
    else:
        values = [num(v) for r in present for v in r[field] if num(v) is not None]
        if "span" in opts:
            n, unit = parse_span(opts["span"])
            if unit is not None:
                raise QueryError("a time span on a field that is not _time", opts["span"].pos)
            span = n
        else:
            bins = parse_int(opts["bins"], "bins=") if "bins" in opts else 100
            span = decimal.Decimal(1)
            if values:
                lo, hi = min(values), max(values)
                if "start" in opts and num(opts["start"].text) is not None:
                    lo = min(lo, num(opts["start"].text))
                if "end" in opts and num(opts["end"].text) is not None:
                    hi = max(hi, num(opts["end"].text))
                for e in range(-12, 40):
                    span = decimal.Decimal(10) ** e
                    if bucket_count(lo, hi, span) <= bins:
                        break

        def label(v):
            lo_b = math.floor(v / span) * span
            return "%s-%s" % (format_number(decimal.Decimal(lo_b)), format_number(decimal.Decimal(lo_b) + span))
        rows = []
        for r in rs.rows:
            r = dict(r)
            if field in r:
                out = [label(num(v)) for v in r[field] if num(v) is not None]
                if out:
                    r[dest] = out
                else:
                    r.pop(dest, None)
            rows.append(r)
    cols = list(rs.columns)
    if rs.tabular and dest not in cols:
        cols.append(dest)
    return ResultSet(rows, cols, rs.tabular)


# -- spath


def json_compact(v):
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + json_compact(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(json_compact(x) for x in v) + "]"
    if isinstance(v, spl_oracle.JsonNumber):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return json.dumps(v, ensure_ascii=False)


def json_value_text(v):
    """A JSON value as a field value: strings as their text, numbers as their JSON text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json_compact(v)
    return str(v)


def spath_values(doc, path):
    nodes = [doc]
    for step in path.split("."):
        m = re.fullmatch(r"([^{}]*)((?:\{\d*\})*)", step)
        if not m:
            return []
        name, specs = m.group(1), re.findall(r"\{(\d*)\}", m.group(2))
        nxt = []
        for n in nodes:
            if not name:
                nxt.append(n)
            elif isinstance(n, dict) and name in n:
                nxt.append(n[name])
        for spec in specs:
            expanded = []
            for n in nxt:
                if not isinstance(n, list):
                    continue  # {} and {N} select array elements only
                if spec == "":
                    expanded.extend(n)
                elif int(spec) < len(n):
                    expanded.append(n[int(spec)])
            nxt = expanded
        nodes = nxt
    return [json_value_text(n) for n in nodes if n is not None]


def cmd_spath(rs, a):
    input_field, output, path = "_raw", None, None
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key == "input":
                input_field = val.text
            elif key == "output":
                output = val.text
            elif key == "path":
                path = val.text
            else:
                raise QueryError("unknown spath option %s" % key, val.pos)
            continue
        t = a.next()
        if path is not None or t.kind == "punct":
            raise QueryError("spath takes one path", t.pos)
        path = t.text
    rows, cols = [], list(rs.columns)
    added = []
    for r in rs.rows:
        r = dict(r)
        if input_field in r:
            try:
                doc = spl_oracle._parse_json(r[input_field][0])
            except ValueError:
                doc = None
            if doc is not None:
                if path is not None:
                    vals = spath_values(doc, path)
                    if vals:
                        r[output or path] = vals
                        added.append(output or path)
                elif isinstance(doc, (dict, list)):
                    flat = {}
                    spl_oracle.flatten(doc, "", flat)
                    for f, vals in flat.items():
                        r[f] = vals
                        added.append(f)
        rows.append(r)
    if rs.tabular:
        for f in added:
            if f not in cols:
                cols.append(f)
    return ResultSet(rows, cols, rs.tabular)


# -- multivalue commands


def cmd_mvexpand(rs, a):
    opts, field = {}, None
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key != "limit":
                raise QueryError("unknown mvexpand option %s" % key, val.pos)
            opts[key] = parse_int(val, "limit=")
            continue
        if field is not None:
            raise QueryError("mvexpand takes one field", a.peek().pos)
        field = a.field()
    if field is None:
        raise QueryError("mvexpand needs a field", a.end_pos())
    limit = opts.get("limit")
    rows = []
    for r in rs.rows:
        if field not in r:
            rows.append(r)
            continue
        vals = r[field][:limit] if limit else r[field]
        for v in vals:
            c = dict(r)
            c[field] = [v]
            rows.append(c)
    return ResultSet(rows, rs.columns, rs.tabular)


def cmd_makemv(rs, a):
    delim, tokenizer, allowempty, field = " ", None, False, None
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            if key == "delim":
                delim = val.text
            elif key == "tokenizer":
                tokenizer = convert_regex(val.text, val.pos)
            elif key == "allowempty":
                allowempty = parse_bool(val)
            elif key == "setsv":
                parse_bool(val)
            else:
                raise QueryError("unknown makemv option %s" % key, val.pos)
            continue
        if field is not None:
            raise QueryError("makemv takes one field", a.peek().pos)
        field = a.field()
    if field is None:
        raise QueryError("makemv needs a field", a.end_pos())
    rows = []
    for r in rs.rows:
        r = dict(r)
        if field in r:
            pieces = []
            for v in r[field]:
                if tokenizer is not None:
                    for m in tokenizer.finditer(v):
                        pieces.append(m.group(1) if tokenizer.groups else m.group(0))
                else:
                    pieces.extend(v.split(delim))
            if not allowempty:
                pieces = [p for p in pieces if p != ""]
            if pieces:
                r[field] = pieces
            else:
                r.pop(field)
        rows.append(r)
    return ResultSet(rows, rs.columns, rs.tabular)


def cmd_nomv(rs, a):
    field = a.field()
    if not a.at_end():
        raise QueryError("nomv takes one field", a.peek().pos)
    rows = []
    for r in rs.rows:
        r = dict(r)
        if field in r:
            r[field] = ["\n".join(r[field])]
        rows.append(r)
    return ResultSet(rows, rs.columns, rs.tabular)


# -- eventstats, streamstats

NUMERIC_AGGS = ("avg", "mean", "sum", "range", "min", "max")


def aggregate_allnum(agg, rows, allnum):
    if allnum and agg.fn in NUMERIC_AGGS and agg.field is not None:
        if any(not is_number(v) for r in rows for v in r.get(agg.field, [])):
            return None
    return aggregate(agg, rows)


def set_aggs(r, aggs, rows, allnum=False):
    for agg in aggs:
        v = aggregate_allnum(agg, rows, allnum)
        if v is None:
            r.pop(agg.name, None)
        else:
            r[agg.name] = v


def add_agg_columns(rs, aggs):
    cols = list(rs.columns)
    if rs.tabular:
        for agg in aggs:
            if agg.name not in cols:
                cols.append(agg.name)
    return cols


def cmd_eventstats(rs, a):
    opts = read_options(a, ("allnum",), "eventstats")
    allnum = parse_bool(opts["allnum"]) if "allnum" in opts else False
    aggs, by = parse_aggs(a)
    if not aggs:
        raise QueryError("eventstats needs a function, e.g. eventstats count", a.base)
    groups, keys = {}, []
    for r in rs.rows:
        if any(f not in r for f in by):
            keys.append(None)
            continue
        combos = list(itertools.product(*[dedup_keep_order(r[f]) for f in by]))
        keys.append(combos[0])
        for combo in combos:
            groups.setdefault(combo, []).append(r)
    rows = []
    for r, key in zip(rs.rows, keys):
        r = dict(r)
        if key is not None:
            set_aggs(r, aggs, groups[key], allnum)
        rows.append(r)
    return ResultSet(rows, add_agg_columns(rs, aggs), rs.tabular)


def cmd_streamstats(rs, a):
    opts = read_options(a, ("current", "window", "time_window", "global", "reset_on_change", "reset_before",
                            "reset_after", "allnum"), "streamstats")
    current = parse_bool(opts["current"]) if "current" in opts else True
    window = parse_int(opts["window"], "window=") if "window" in opts else 0
    time_window = span_seconds(opts["time_window"]) if "time_window" in opts else None
    global_window = parse_bool(opts["global"]) if "global" in opts else True
    reset_on_change = parse_bool(opts["reset_on_change"]) if "reset_on_change" in opts else False
    allnum = parse_bool(opts["allnum"]) if "allnum" in opts else False
    reset_before = reset_after = None
    if "reset_before" in opts:
        reset_before = parse_eval_expr(opts["reset_before"].text, opts["reset_before"].pos)
    if "reset_after" in opts:
        reset_after = parse_eval_expr(opts["reset_after"].text, opts["reset_after"].pos)
    aggs, by = parse_aggs(a)
    if not aggs:
        raise QueryError("streamstats needs a function, e.g. streamstats count", a.base)
    seen = []          # (key, row) of the rows since the last reset, in result order
    prev_key = None
    rows = []
    for r in rs.rows:
        r = dict(r)
        if reset_before is not None and truthy(eval_expr(reset_before, r)):
            seen = []
        if any(f not in r for f in by):
            key = None   # a row lacking a by-field gets nothing and is not seen
        else:
            key = tuple(tuple(r[f]) for f in by)
            if reset_on_change and prev_key is not None and key != prev_key:
                seen = []
            prev_key = key
        if key is not None:
            pool = seen + [(key, r)] if current else list(seen)
            if window:
                if global_window:
                    pool = pool[-window:]
                else:
                    pool = [p for p in pool if p[0] == key][-window:]
            group = [row for k, row in pool if k == key]
            if time_window is not None:
                t = num(r["_time"][0]) if "_time" in r else None
                group = [row for row in group if t is not None and "_time" in row
                         and abs(num(row["_time"][0]) - t) < time_window]
            set_aggs(r, aggs, group, allnum)
            seen.append((key, r))
        if reset_after is not None and truthy(eval_expr(reset_after, r)):
            seen = []
        rows.append(r)
    return ResultSet(rows, add_agg_columns(rs, aggs), rs.tabular)


# -- commands over subsearches


def merge_columns(left, right):
    cols = list(left.columns) if left.tabular else []
    if right.tabular:
        for c in right.columns:
            if c not in cols:
                cols.append(c)
    return cols


def one_subsearch(a, cmd):
    if len(a.subsearches) != 1:
        raise QueryError("%s needs one [subsearch]" % cmd, a.base)
    return run_subsearch(a.ctx, a.subsearches[0], a.depth + 1)


def cmd_append(rs, a):
    opts = read_options(a, ("maxout", "maxtime", "extendtimerange"), "append")
    if not a.at_end():
        raise QueryError("unexpected argument to append", a.peek().pos)
    maxout = parse_int(opts["maxout"], "maxout=") if "maxout" in opts else SUBSEARCH_ROWS_MAX
    sub = one_subsearch(a, "append")
    rows = sub.rows[:min(maxout, SUBSEARCH_ROWS_MAX)]
    return ResultSet(rs.rows + rows, merge_columns(rs, sub), rs.tabular and sub.tabular)


def cmd_appendcols(rs, a):
    opts = read_options(a, ("override", "maxout", "maxtime"), "appendcols")
    if not a.at_end():
        raise QueryError("unexpected argument to appendcols", a.peek().pos)
    override = parse_bool(opts["override"]) if "override" in opts else False
    sub = one_subsearch(a, "appendcols")
    subrows = sub.rows[:SUBSEARCH_ROWS_MAX]
    rows = []
    for i in range(max(len(rs.rows), len(subrows))):
        if i >= len(subrows):
            rows.append(rs.rows[i])
        elif i >= len(rs.rows):
            rows.append(dict(subrows[i]))
        else:
            r = dict(rs.rows[i])
            for f, v in subrows[i].items():
                if override or f not in r:
                    r[f] = v
            rows.append(r)
    return ResultSet(rows, merge_columns(rs, sub), rs.tabular and sub.tabular)


def cmd_union(rs, a):
    read_options(a, ("maxout", "maxtime", "timeout"), "union")
    if not a.at_end():
        raise QueryError("unexpected argument to union", a.peek().pos)
    if not a.subsearches:
        raise QueryError("union needs a [subsearch]", a.base)
    out = ResultSet(list(rs.rows), list(rs.columns), rs.tabular)
    for i, text in enumerate(a.subsearches):
        sub = run_subsearch(a.ctx, text, a.depth + 1)
        first = a.first and i == 0
        out = ResultSet(out.rows + sub.rows[:SUBSEARCH_ROWS_MAX],
                        list(sub.columns) if first else merge_columns(out, sub),
                        sub.tabular if first else (out.tabular and sub.tabular))
    return out


def cmd_join(rs, a):
    opts = read_options(a, ("type", "max", "overwrite", "usetime", "earlier"), "join")
    fields = []
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_option():
            key, val = a.read_option()
            raise QueryError("join options come before the fields (%s)" % key, val.pos)
        fields.append(a.field())
    jtype = opts["type"].text.lower() if "type" in opts else "inner"
    if jtype not in ("inner", "left", "outer"):
        raise QueryError("join type= is inner, left or outer", opts["type"].pos)
    maxn = parse_int(opts["max"], "max=") if "max" in opts else 1
    overwrite = parse_bool(opts["overwrite"]) if "overwrite" in opts else True
    usetime = parse_bool(opts["usetime"]) if "usetime" in opts else False
    earlier = parse_bool(opts["earlier"]) if "earlier" in opts else True
    sub = one_subsearch(a, "join")
    subrows = sub.rows[:SUBSEARCH_ROWS_MAX]
    if not fields:
        left = set(f for r in rs.rows for f in r if not f.startswith("_"))
        right = set(f for r in subrows for f in r if not f.startswith("_"))
        fields = sorted(left & right, key=lex_key)
    out = []
    for r in rs.rows:
        matches = []
        if fields and all(f in r for f in fields):
            key = [r[f] for f in fields]
            for s in subrows:
                if not all(f in s for f in fields) or [s[f] for f in fields] != key:
                    continue
                if usetime:
                    if "_time" not in r or "_time" not in s:
                        continue
                    t, u = num(r["_time"][0]), num(s["_time"][0])
                    if (earlier and not u < t) or (not earlier and not u > t):
                        continue
                matches.append(s)
                if maxn and len(matches) >= maxn:
                    break
        if not matches:
            if jtype != "inner":
                out.append(r)
            continue
        for s in matches:
            j = dict(r)
            for f, v in s.items():
                if overwrite or f not in j:
                    j[f] = v
            out.append(j)
    tabular = rs.tabular and sub.tabular
    return ResultSet(out, merge_columns(rs, sub) if tabular else [], tabular)


# -- lookup


def cmd_lookup(rs, a):
    read_options(a, ("local", "update", "event_time_field"), "lookup")
    t = a.next()
    if t is None or t.kind == "punct":
        raise QueryError("lookup needs a lookup name", a.end_pos())
    name_tok = t
    inputs, outputs, mode = [], None, None
    while not a.at_end():
        a.skip_commas()
        if a.at_end():
            break
        if a.is_word("output") or a.is_word("outputnew"):
            if mode is not None:
                raise QueryError("OUTPUT or OUTPUTNEW once", a.peek().pos)
            mode = a.next().text.upper()
            outputs = []
            continue
        col = a.field()
        dest = col
        if a.is_word("as"):
            a.next()
            dest = a.field("a name after AS")
        (outputs if mode else inputs).append((col, dest))
    if not inputs:
        raise QueryError("lookup needs a match field", a.end_pos())
    if mode and not outputs:
        raise QueryError("expected a field after %s" % mode, a.end_pos())
    table = load_lookup(a.ctx, name_tok.text, name_tok.pos)
    if outputs is None:
        match_cols = {c for c, _ in inputs}
        outputs = [(c, c) for c in table.header if c not in match_cols]
    rows = []
    for r in rs.rows:
        r = dict(r)
        matched = []
        if all(ef in r for _, ef in inputs):
            for trow in table.rows:
                if all(col in trow and any(lookup_cell_matches(table, col, "\n".join(trow[col]), v) for v in r[ef])
                       for col, ef in inputs):
                    matched.append(trow)
                    if len(matched) >= table.max_matches:
                        break
        for col, dest in outputs:
            vals = [v for trow in matched for v in trow.get(col, [])]
            if len(matched) < table.min_matches and table.default_match != "":
                vals += [table.default_match] * (table.min_matches - len(matched))
            if mode == "OUTPUTNEW":
                if dest not in r and vals:
                    r[dest] = vals
            elif vals:
                r[dest] = vals
            else:
                r.pop(dest, None)
        rows.append(r)
    cols = list(rs.columns)
    if rs.tabular:
        for _, dest in outputs:
            if dest not in cols:
                cols.append(dest)
    return ResultSet(rows, cols, rs.tabular)


GENERATING = ("makeresults", "inputlookup", "union")
SUBSEARCH_COMMANDS = ("append", "appendcols", "join", "union")


COMMANDS = {
    "stats": cmd_stats, "table": cmd_table, "fields": cmd_fields, "rename": cmd_rename,
    "sort": cmd_sort, "head": cmd_head, "tail": cmd_tail, "dedup": cmd_dedup,
    "top": cmd_top, "rare": cmd_rare, "fillnull": cmd_fillnull, "regex": cmd_regex,
    "rex": cmd_rex, "search": cmd_search, "eval": cmd_eval, "where": cmd_where,
    "makeresults": cmd_makeresults, "inputlookup": cmd_inputlookup, "convert": cmd_convert,
    "bin": cmd_bin, "bucket": cmd_bin, "spath": cmd_spath, "mvexpand": cmd_mvexpand,
    "makemv": cmd_makemv, "nomv": cmd_nomv, "eventstats": cmd_eventstats,
    "streamstats": cmd_streamstats, "append": cmd_append, "appendcols": cmd_appendcols,
    "union": cmd_union, "join": cmd_join, "lookup": cmd_lookup,
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


def run(events, query, earliest=None, latest=None, now=None, macros=(), lookups=None,
        lookup_definitions=None):
    """The final ResultSet of `query` (QueryError for a bad query). macros: --macros paths;
    lookups: the --lookups directory; lookup_definitions: the --lookup-definitions path."""
    ctx = Context(events, earliest, latest, now, macros, lookups, lookup_definitions)
    text = expand_macros(query, ctx)
    return run_pipeline(ctx, text, 0)


def run_pipeline(ctx, query, depth):
    """The ResultSet of one query or subsearch text (macros already expanded)."""
    parts = split_pipeline(query)
    if ctx.empty_macro:  # a | left dangling by an empty macro goes with it
        parts = parts[:1] + [p for p in parts[1:] if p[0].strip()]
    search_text, _ = parts[0]
    generating = len(parts) > 1 and not search_text.strip()
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
        rest = query[rest_off:offset + len(text)]
        subsearches = []
        if name == "search":
            rest = substitute_subsearches(ctx, rest, depth)
            args = Args(name, rest, 0, rest)
        elif name in SUBSEARCH_COMMANDS:
            rest, subsearches = extract_subsearches(rest)
            args = Args(name, rest, 0, rest)
        else:
            args = Args(name, rest, rest_off, query)
        args.ctx, args.depth, args.subsearches = ctx, depth, subsearches
        args.first = generating and not commands
        commands.append((name, args))
    if generating:
        if commands[0][0] not in GENERATING:
            raise QueryError("generating commands are not available", parts[1][1])
        rs = ResultSet([])
    else:
        search_text = substitute_subsearches(ctx, search_text, depth)
        hits = spl_oracle.search(ctx.events, search_text, ctx.earliest, ctx.latest, ctx.now)
        rs = ResultSet(event_rows(hits))
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


def table_text(events, query, earliest=None, latest=None, **kw):
    return to_csv(run(events, query, earliest, latest, **kw))


def main(argv=None):
    ap = argparse.ArgumentParser(description="reference implementation of cairn's pipeline commands")
    ap.add_argument("--data", nargs="+", required=True, help="NDJSON/JSON files or directories")
    ap.add_argument("--earliest")
    ap.add_argument("--latest")
    ap.add_argument("--index-name", default="main")
    ap.add_argument("--macros", action="append", default=[], help="a macros.conf, ESCU YAML or a folder")
    ap.add_argument("--lookups", help="the folder of lookup tables (and lookups.conf)")
    ap.add_argument("--lookup-definitions", help="ESCU lookup definitions (a YAML file or folder)")
    ap.add_argument("query", nargs="?")
    args = ap.parse_args(argv)
    if args.query is None:
        if len(args.data) < 2:
            ap.error("no query")
        args.query = args.data.pop()
    events = spl_oracle.load_events(args.data, args.index_name)
    try:
        text = table_text(events, args.query, args.earliest, args.latest, macros=args.macros,
                          lookups=args.lookups, lookup_definitions=args.lookup_definitions)
    except QueryError as e:
        sys.stderr.write("error: %s\n  %s\n  %s^\n" % (e.message, args.query, " " * e.pos))
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
