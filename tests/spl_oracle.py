#!/usr/bin/env python3
"""A small, independent reference implementation of cairn's SEARCH semantics.

It is the oracle for the golden query tests (tests/queries/). It is written from
/work/shared/reference/spl-semantics.md (sections 1, 2 and 5) and from the rules in
tests/queries/README.md, never from cairn's source or output. It favours being obviously
correct over being fast: every event is checked against the whole expression.

    python3 tests/spl_oracle.py --data FILE... [--earliest T] [--latest T]
                                [--index-name NAME] 'QUERY'

prints the number of matching events on the first line, then their eventIDs, sorted, one
per line. A query error prints `error: <message>` (and the column) to stderr and exits 2.

Python 3.11 standard library only.

The model
---------
Events. Every JSON object in the input is an event (NDJSON, one `{"Records":[...]}`
document, a JSON array, or a single object). The event's raw text is its exact JSON text
in the file. `_time` is its `eventTime`.

Fields. An event is flattened into leaf fields:
  * nested objects give dotted paths:        {"a":{"b":1}}      -> a.b = "1"
  * arrays add `{}` to the name, and every element is one value of a multivalue field:
        {"r":[{"ARN":"x"},{"ARN":"y"}]}  -> r{}.ARN = ["x", "y"]
        {"ids":["i-1","i-2"]}            -> ids{} = ["i-1", "i-2"]
  * JSON null means the field is absent; empty objects and arrays give no field;
  * booleans are "true"/"false"; numbers keep their JSON text ("1" and "1.0" differ);
  * every event also has the metadata fields index (default "main"),
    sourcetype ("aws:cloudtrail") and source (the file path as given).
VPC flow logs. A file whose first line is a header (lower-case names: "version account-id
...") or a record of 14, 21, 25, 29 or 36 fields starting with a version number holds one event
a line (header lines excluded): the fields of the last header, or of AWS's default layout of
as many fields, named with "_" for "-" ("log_status"); "-" means absent. The raw text is the
line, sourcetype "aws:cloudwatchlogs:vpcflow", `_time` the `start` field (unix seconds), else `end`.
CloudFront access logs (testdata/oracle.py says which files and lines): the fields of the last
#Fields directive (or the standard 33), split at tabs (a line cut short has the first ones), lower-cased with "_" for "-" and "(",
")" dropped ("cs(User-Agent)" -> cs_user_agent); "-" means absent; sourcetype
"aws:cloudfront:accesslogs"; `_time` is date and time (UTC).
S3 server access logs (testdata/oracle.py says which lines): the fields by position, named as
AWS documents them (bucket_owner bucket time remote_ip requester ... acl_required, then
field_27, ...), quotes and brackets removed, "-" absent; sourcetype "aws:s3:accesslogs";
`_time` is `time`.
Search-time fields. The field aliases and calculated fields of engine/config/aws_props.conf
(props.conf's FIELDALIAS- and EVAL-, per sourcetype) are added to each event after it is read,
in Splunk's order (apply_search_time_fields says how).
Field names are case-sensitive. A field name written without `{}` also finds the fields
whose names are equal to it once their `{}` are removed (`resources.ARN` finds
`resources{}.ARN`).

Terms. A bare word or a quoted phrase is matched against the raw text, case-insensitively,
with Splunk's breakers:
  major: whitespace and [ ] ( ) { } < > | ; , ! ? " ' & * + ^ ` ~
  minor: / : = @ . - $ # % \\ _
  * without `*`, the raw text as a sequence of tokens: split the term and the raw text at
    major breakers into segments (any run of major breakers separates two). A term of one
    segment must occur inside a segment of the raw text with a breaker (or the segment's
    edge) right before and right after it: for a term without breakers that means "equals
    one token". A phrase of several segments must match that many consecutive segments of
    the raw text: the first ends one (at a minor breaker or whole), the inner ones are equal,
    the last starts one (at a minor breaker or whole). So "REJECT OK" matches
    `REJECT OK`, `REJECT\tOK` and `"REJECT","OK"`, not `REJECT-OK`. A term made only of
    breakers (`:`) has no token and matches nothing.
  * with `*`: the pattern must match, as a whole, one of the event's index terms, which are
    the major segments of the raw text and the minor-broken parts of those segments
    (Splunk's lexicon). `*` alone matches every event.
  * TERM(x): x must equal one whole major segment. CASE(x): as above but case-sensitive.

Field comparisons (any value of a multivalue field may satisfy them):
  f=v     some value equals v, case-insensitively (`*` is a wildcard; CASE(v) is
          case-sensitive); v = an IPv4/IPv6 CIDR block matches addresses inside it
  f!=v    f exists and no value equals v          f=*     f exists
  NOT f=v every event except f=v                   NOT f=* f does not exist
  f!=*    never matches
  f<v ... numeric when both sides are numbers, else lexical by UTF-8 bytes (case-sensitive)
  f IN (a, b*, ...)   the same as (f=a OR f=b* OR ...)
Time: earliest= and latest= (absolute or relative to now) bound _time to
[earliest, latest); they must apply to the whole search (not inside OR or NOT), and
override --earliest/--latest.
Precedence: parentheses, NOT, OR, then AND (explicit or implied). AND/OR/NOT are keywords
only in upper case.
"""

import argparse
import datetime as dt
import decimal
import gzip
import ipaddress
import json
import os
import re
import sys

MAJOR_BREAKERS = set(" \t\n\r\v\f[](){}<>|;,!?\"'&*+^`~")
MINOR_BREAKERS = set("/:=@.-$#%\\_")
BREAKERS = MAJOR_BREAKERS | MINOR_BREAKERS


# ---------------------------------------------------------------------------------------
# Reading events


class JsonNumber(str):
    """A JSON number kept as its source text."""


def _parse_json(text):
    def reject(name):
        raise ValueError("not JSON: " + name)

    return json.loads(text, parse_int=JsonNumber, parse_float=JsonNumber, parse_constant=reject)


_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


def _skip_ws(text, i):
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _array_elements(text, i):
    """Yields the exact text of each element of the JSON array starting at text[i] == '['."""
    assert text[i] == "["
    i = _skip_ws(text, i + 1)
    if text[i] == "]":
        return
    while True:
        _, end = _DECODER.raw_decode(text, i)
        yield text[i:end]
        i = _skip_ws(text, end)
        if text[i] == "]":
            return
        assert text[i] == ","
        i = _skip_ws(text, i + 1)


def _records_array_start(text, i):
    """Position of the '[' of the "Records" value in the object starting at text[i] == '{'."""
    i = _skip_ws(text, i + 1)
    while text[i] != "}":
        key, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, i)
        assert text[i] == ":"
        i = _skip_ws(text, i + 1)
        if key == "Records":
            return i
        _, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, i)
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
    raise ValueError("no Records")


def _log_document_events(doc):
    """The log events of a CloudWatch Logs document (a subscription payload: messageType and
    logEvents; `aws logs filter-log-events` output: events of objects with a message, with
    searchedLogStreams), as (message, metadata, timestamp ms); None if `doc` is not one."""
    if not isinstance(doc, dict):
        return None
    events = doc.get("logEvents") if "logEvents" in doc else doc.get("events")
    if not isinstance(events, list):
        return None
    if "messageType" not in doc and "logEvents" not in doc and "searchedLogStreams" not in doc and not events:
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("message"), str) for e in events):
        return None
    if doc.get("messageType") == "CONTROL_MESSAGE":
        return []
    out = []
    for e in events:
        meta = {"logGroup": doc.get("logGroup"), "logStream": e.get("logStreamName") or doc.get("logStream"),
                "owner": doc.get("owner"), "logEventId": e.get("id", e.get("eventId"))}
        meta = {k: v for k, v in meta.items() if isinstance(v, str) and v}
        ts = e.get("timestamp")
        out.append((e["message"], meta, int(str(ts)) if ts is not None and str(ts).isdigit() else None))
    return out


def _findings_elements(doc_text, findings):
    """The texts of the elements of the `"findings": [...]` array in doc_text whose parsed
    value is `findings`."""
    for m in re.finditer(r'"findings"\s*:\s*\[', doc_text):
        elements = list(_array_elements(doc_text, m.end() - 1))
        if [_parse_json(e) for e in elements] == findings:
            return elements
    raise ValueError("findings array not found")


def _document_events(doc_text):
    """(raw text, parsed object) for every event in one JSON document; an element of a
    Records wrapper is ("records", raw, object), a CloudWatch log event ("log", message,
    metadata, timestamp ms)."""
    doc = _parse_json(doc_text)
    start = _skip_ws(doc_text, 0)
    log_events = _log_document_events(doc)
    if log_events is not None:
        for message, meta, ts in log_events:
            yield "log", message, meta, ts
    elif isinstance(doc, dict) and isinstance(doc.get("detail"), dict) and isinstance(doc["detail"].get("findings"), list):
        # Security Hub's EventBridge envelope: each finding of detail.findings is an event.
        for raw in _findings_elements(doc_text, doc["detail"]["findings"]):
            yield raw, _parse_json(raw)
    elif isinstance(doc, dict) and isinstance(doc.get("Records"), list):
        first = _records_array_start(doc_text, start)
        for raw in _array_elements(doc_text, first):
            obj = _parse_json(raw)
            if isinstance(obj, dict):
                yield "records", raw, obj
    elif isinstance(doc, list):
        for raw in _array_elements(doc_text, start):
            obj = _parse_json(raw)
            if isinstance(obj, dict):
                yield raw, obj
    elif isinstance(doc, dict):
        yield doc_text.strip(), doc


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata"))
import oracle as count_oracle  # noqa: E402  (testdata/oracle.py: which lines are VPC flow records)


def read_vpc_flow(text):
    """VPC flow records as (raw line, {field: value}); None if the text is not a VPC flow log."""
    records = count_oracle.vpc_records(text)
    if records is None:
        return None
    return [(line, {n.replace("-", "_"): v for n, v in zip(names, line.split()) if v != "-"})
            for line, names in records]


def read_cloudfront(text):
    """CloudFront records as (raw line, {field: value}); None if the text is not a CloudFront log."""
    records = count_oracle.cloudfront_records(text)
    if records is None:
        return None

    def name(w3c):
        return w3c.lower().replace("-", "_").replace("(", "_").replace(")", "")

    return [(line, {name(n): v for n, v in zip(names, line.split("\t")) if v not in ("-", "")})
            for line, names in records]


def read_s3_access(text):
    """S3 access log records as (raw line, {field: value}); None if the text is not one."""
    records = count_oracle.s3_access_records(text)
    if records is None:
        return None
    out = []
    for line in records:
        tokens = count_oracle.s3_tokens(line)
        names = count_oracle.S3_FIELDS + ["field_%d" % (i + 1) for i in range(len(count_oracle.S3_FIELDS), len(tokens))]
        out.append((line, {n: v for n, v in zip(names, tokens) if v not in ("-", "")}))
    return out


def parse_common_log_time(text):
    return dt.datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").timestamp()


def _concatenated(text):
    """The texts of the JSON objects and arrays written back to back in `text` (with or
    without whitespace between them, as Firehose writes records), or None unless it holds
    two or more and nothing else."""
    decoder = json.JSONDecoder()
    pieces, i = [], _skip_ws(text, 0)
    while i < len(text):
        if text[i] not in "{[":
            return None
        try:
            _, end = decoder.raw_decode(text, i)
        except ValueError:
            return None
        pieces.append(text[i:end])
        i = _skip_ws(text, end)
    return pieces if len(pieces) >= 2 else None


def _text_events(text):
    pieces = _concatenated(text)
    if pieces is not None:
        return [e for piece in pieces for e in _document_events(piece)]
    return list(_document_events(text))


def read_file(path):
    """Events of one file: a whole JSON document (or several back to back), or else NDJSON
    (bad lines skipped; a line may hold several documents back to back)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8-sig")
    try:
        return _text_events(text)
    except ValueError:
        pass
    events = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        try:
            events.extend(_text_events(line))
        except ValueError:
            continue
    return events


def input_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames.sort()
                for name in sorted(filenames):
                    yield os.path.join(dirpath, name)
        else:
            yield p


# ---------------------------------------------------------------------------------------
# Events as fields


RESERVED_KEYS = {"_time", "_raw", "source", "sourcetype", "index", "_shape", "_terms"}


def flatten(value, name, out):
    """Adds the leaf values of `value` under `name` to out: {field: [values]}. A top-level key
    named like one of cairn's own fields (source, sourcetype, index, _time, _raw) is renamed
    orig_<key>, as Splunk does."""
    if value is None:
        return
    if isinstance(value, dict):
        for key, sub in value.items():
            if name == "" and key in RESERVED_KEYS:
                key = "orig_" + key
            flatten(sub, key if name == "" else name + "." + key, out)
    elif isinstance(value, list):
        for element in value:
            flatten(element, name + "{}", out)
    elif isinstance(value, bool):
        out.setdefault(name, []).append("true" if value else "false")
    else:  # str or JsonNumber (a str holding the number's text)
        out.setdefault(name, []).append(str(value))


def parse_event_time(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp()


ISO_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


def parse_time_value(value):
    """An event time from a JSON value: an ISO-8601 string (fraction, Z or offset optional), or a
    number of epoch seconds (below 1e11), milliseconds (below 1e14) or microseconds."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    m = ISO_TIME.match(text)
    if m:
        y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
        t = dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.timezone.utc).timestamp()
        if m.group(7):
            t += float("0" + m.group(7))
        zone = m.group(8)
        if zone and zone != "Z":
            sign = -1 if zone[0] == "+" else 1
            t += sign * (int(zone[1:3]) * 3600 + int(zone[-2:]) * 60)
        return t
    try:
        n = float(text)
    except ValueError:
        return None
    if n < 0:
        return None
    return n if n < 1e11 else n / 1e3 if n < 1e14 else n / 1e6


def _top(obj, *keys):
    for k in keys:
        if k in obj:
            return True
    return False


# The JSON formats (docs/log-sources.md): (sourcetype, test of the event object, time paths).
def _json_format(obj):
    detail_type = obj.get("detail-type") if isinstance(obj.get("detail-type"), str) else ""
    envelope = "detail" in obj and "detail-type" in obj
    arn = obj.get("arn", obj.get("Arn"))
    arn = arn if isinstance(arn, str) else ""
    if _top(obj, "eventVersion", "eventName", "eventSource") or obj.get("p_log_type") == "AWS.CloudTrail":
        return "aws:cloudtrail", ["eventTime", "@timestamp"]
    if envelope and detail_type.startswith("GuardDuty Finding"):
        return "aws:cloudwatch:guardduty", ["detail.updatedAt", "time"]
    if envelope and detail_type.startswith("Security Hub Findings"):
        return "aws:securityhub:finding", ["time"]
    if _top(obj, "service", "Service") and _top(obj, "severity", "Severity") and (
            ":guardduty:" in arn or (_top(obj, "schemaVersion", "SchemaVersion") and _top(obj, "type", "Type"))):
        return "aws:cloudwatch:guardduty", ["updatedAt", "UpdatedAt", "createdAt", "CreatedAt"]
    if "SchemaVersion" in obj and "ProductArn" in obj and "AwsAccountId" in obj:
        return "aws:securityhub:finding", ["UpdatedAt", "CreatedAt"]
    if envelope and "source" in obj and "time" in obj:
        return "aws:cloudwatch:events", ["time"]
    if "webaclId" in obj and "timestamp" in obj:
        return "aws:waf", ["timestamp"]
    if "x-edge-location" in obj and "date" in obj and "time" in obj:
        return "aws:cloudfront:accesslogs", ["date+time", "timestamp"]
    if "query_timestamp" in obj and "query_name" in obj:
        return "aws:route53:resolver", ["query_timestamp"]
    return "_json", ["@timestamp", "timestamp", "time", "eventTime", "updatedAt", "createdAt"]


def _json_time(obj, paths):
    """The first path of `paths` that holds a time: a top-level scalar, or a dotted path's
    first value (through objects only)."""
    for path in paths:
        if path == "date+time":
            d, t = obj.get("date"), obj.get("time")
            if isinstance(d, str) and isinstance(t, str):
                found = parse_time_value(d + " " + t)
                if found is not None:
                    return found
            continue
        value = obj
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        found = parse_time_value(value)
        if found is not None:
            return found
    return None


class Event:
    def __init__(self, raw, obj, source, index_name, sourcetype="aws:cloudtrail", time=None, extra=None):
        self.raw = raw
        self.fields = {}
        flatten(obj, "", self.fields)
        for name, value in (extra or {}).items():
            self.fields.setdefault(name, []).append(value)
        self.fields["index"] = [index_name]
        self.fields["sourcetype"] = [sourcetype]
        self.fields["source"] = [source]
        self.event_id = obj.get("eventID")
        t = obj.get("eventTime")
        try:
            self.time = parse_event_time(t) if isinstance(t, str) else None
        except ValueError:  # not this layout: the format's own reading (_json_time) decides
            self.time = None
        if sourcetype == VPC_FLOW_SOURCETYPE:
            t = obj.get("start", obj.get("end"))
            self.time = float(int(t)) if t is not None else None
        if sourcetype == CLOUDFRONT_SOURCETYPE:
            self.time = parse_event_time(obj["date"] + "T" + obj["time"] + "Z")
        if sourcetype == S3_ACCESS_SOURCETYPE:
            self.time = parse_common_log_time(obj["time"])
        if time is not None:
            self.time = time

    def values(self, field):
        """All values of `field`; without `{}` in the name, also those of its `{}` forms."""
        found = list(self.fields.get(field, []))
        if "{}" not in field:
            for name, vals in self.fields.items():
                if "{}" in name and name.replace("{}", "") == field:
                    found.extend(vals)
        return found


VPC_FLOW_SOURCETYPE = "aws:cloudwatchlogs:vpcflow"
CLOUDFRONT_SOURCETYPE = "aws:cloudfront:accesslogs"
S3_ACCESS_SOURCETYPE = "aws:s3:accesslogs"


def load_events(paths, index_name="main", sourcetype=None, source=None, props=None):
    """The events of `paths` as cairn ingests them with --index-name, and --sourcetype and
    --source when given (every event's sourcetype or source replaced); `props`: a props.conf
    in the index, read after the built-in one."""
    events = []
    for path in input_files(paths):
        with open(path, "rb") as f:
            data = f.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = data.decode("utf-8-sig")
        cloudfront = read_cloudfront(text)
        if cloudfront is not None:
            events.extend(Event(raw, fields, path, index_name, CLOUDFRONT_SOURCETYPE) for raw, fields in cloudfront)
            continue
        s3 = read_s3_access(text) if read_vpc_flow(text) is None else None
        if s3 is not None:
            events.extend(Event(raw, fields, path, index_name, S3_ACCESS_SOURCETYPE) for raw, fields in s3)
            continue
        vpc = read_vpc_flow(text)
        if vpc is not None:
            events.extend(Event(raw, fields, path, index_name, VPC_FLOW_SOURCETYPE) for raw, fields in vpc)
            continue
        exported = read_cloudwatch_export(text)
        if exported is not None:
            events.extend(json_event(item, path, index_name) for item in exported)
            continue
        for item in read_file(path):
            if item[0] != "log" and isinstance(item[-1], dict) and DIGEST_KEYS & item[-1].keys():
                continue  # a CloudTrail digest record: not an event
            events.append(json_event(item, path, index_name))
    for ev in events:
        if sourcetype:
            ev.fields["sourcetype"] = [sourcetype]
        if source:
            ev.fields["source"] = [source]
    apply_search_time_fields(events, [PROPS] + ([props] if props else []))
    return events


DIGEST_KEYS = {"digestStartTime", "digestS3Bucket", "digestSignatureAlgorithm"}

PROPS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engine", "config", "aws_props.conf")


def read_props(text):
    """props.conf's search-time fields: {sourcetype: ([(source, alias, overwrite)], [(field, expression)])},
    aliases in class order (ASCII) then as written, EVAL fields in name order; a later definition of a class
    or field replaces an earlier one; `\\` at a line's end continues it."""
    stanzas, stanza = {}, None
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        while line.endswith("\\") and i < len(lines):
            line = line[:-1].strip() + " " + lines[i].strip()
            i += 1
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            stanza = line[1:-1].strip()
            stanza = None if "::" in stanza else stanza
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if stanza is None:
            continue
        classes, evals = stanzas.setdefault(stanza, ({}, {}))
        if key.upper().startswith("FIELDALIAS-"):
            words = re.findall(r'"[^"]*"|\S+', value)
            words = [w[1:-1] if w.startswith('"') else w for w in words]
            classes[key[11:]] = [(words[k], words[k + 2], words[k + 1].upper() == "AS") for k in range(0, len(words), 3)]
        elif key.upper().startswith("EVAL-"):
            evals[key[5:]] = value
    out = {}
    for st, (classes, evals) in stanzas.items():
        aliases = [pair for cls in sorted(classes) for pair in classes[cls]]
        out[st] = (aliases, sorted(evals.items()))
    return out


def apply_search_time_fields(events, props_paths=(PROPS,)):
    """Splunk's search-time order per event of a sourcetype props.conf names: the field aliases (a source
    that is present copies its values to the alias, AS overwriting, ASNEW only when the alias is absent),
    then every EVAL from the event as the aliases left it (a null result removes the field). EVAL
    expressions are evaluated by spl_pipeline_oracle's eval."""
    texts = [open(p, encoding="utf-8").read() for p in props_paths if os.path.exists(p)]
    if not texts:
        return
    import spl_pipeline_oracle as pipeline  # it imports this module: only here, at run time
    props = read_props("\n".join(texts))
    parsed = {st: [(f, pipeline.parse_eval_expr(e, 0)) for f, e in evals] for st, (_, evals) in props.items()}
    for ev in events:
        st = ev.fields.get("sourcetype", [None])[0]
        if st not in props:
            continue
        for source, alias, overwrite in props[st][0]:
            if source in ev.fields and (overwrite or alias not in ev.fields):
                ev.fields[alias] = list(ev.fields[source])
        row = {k: list(v) for k, v in ev.fields.items()}
        row["_raw"] = [ev.raw]
        if ev.time is not None:
            row["_time"] = [str(int(ev.time))]
        results = [(f, pipeline.to_field_values(pipeline.eval_expr(expr, row))) for f, expr in parsed[st]]
        for f, values in results:
            if values is None:
                ev.fields.pop(f, None)
            else:
                ev.fields[f] = values


EXPORT_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$")


def read_cloudwatch_export(text):
    """CloudWatch Logs exported to S3: lines `<ISO-8601 time> <message>`; a line without a
    leading time continues the message before it. None unless the first line has a time."""
    lines = text.split("\n")
    if not lines or not EXPORT_LINE.match(lines[0].rstrip("\r")):
        return None
    if lines[-1] == "":
        lines.pop()  # the end of the last line
    items = []
    for line in lines:
        line = line.rstrip("\r")
        m = EXPORT_LINE.match(line)
        if m:
            stamp = m.group(1)
            whole = dt.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
            digits = stamp[20:-1] if len(stamp) > 20 else ""
            ms = int(whole) * 1000 + int((digits + "000")[:3])
            items.append(["log", m.group(2), {}, ms])
        elif items:
            items[-1][1] += "\n" + line
    return [tuple(i) for i in items]


def json_event(item, path, index_name):
    """The event of one item of read_file: a JSON event (its format found from its keys), an
    element of a Records wrapper (CloudTrail), or a CloudWatch log event."""
    if item[0] == "log":
        _, message, meta, ts = item
        fallback = ts / 1e3 if ts is not None else None
        try:
            obj = _parse_json(message)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            sourcetype, paths = _json_format(obj)
            t = _json_time(obj, paths)
            if sourcetype == "_json":
                sourcetype = "aws:cloudwatchlogs"
            return Event(message, obj, path, index_name, sourcetype, t if t is not None else fallback, meta)
        vpc = read_vpc_flow(message)
        if vpc:
            raw, fields = vpc[0]
            e = Event(raw, fields, path, index_name, VPC_FLOW_SOURCETYPE, extra=meta)
            if e.time is None:
                e.time = fallback
            return e
        return Event(message, {}, path, index_name, "aws:cloudwatchlogs", fallback, meta)
    if item[0] == "records":
        _, raw, obj = item
        sourcetype, paths = "aws:cloudtrail", ["eventTime", "@timestamp"]
    else:
        raw, obj = item
        sourcetype, paths = _json_format(obj)
    return Event(raw, obj, path, index_name, sourcetype, _json_time(obj, paths))


# ---------------------------------------------------------------------------------------
# The query language


class QueryError(Exception):
    def __init__(self, message, pos):
        super().__init__(message)
        self.message = message
        self.pos = pos


class And:
    def __init__(self, children):
        self.children = children


class Or:
    def __init__(self, children):
        self.children = children


class Not:
    def __init__(self, child):
        self.child = child


class Term:
    def __init__(self, text, case_sensitive=False, whole_term=False):
        self.text = text
        self.case_sensitive = case_sensitive
        self.whole_term = whole_term


class Compare:
    def __init__(self, field, op, value, case_sensitive=False):
        self.field = field
        self.op = op
        self.value = value
        self.case_sensitive = case_sensitive


class In:
    def __init__(self, field, values):
        self.field = field
        self.values = values


class TimeBound:
    def __init__(self, which, text, pos):
        self.which = which  # "earliest" or "latest"
        self.text = text
        self.pos = pos


class MatchAll:
    pass


WHITESPACE = " \t\n\r\v\f"
WORD_END = set(WHITESPACE) | set('()|"')  # ends a bare word, a value or a keyword
OPERATORS = ["!=", "<=", ">=", "=", "<", ">"]


class Parser:
    """Recursive descent over the grammar of spl-semantics.md section 1:

    search := and_expr
    and_expr := or_expr ( ["AND"] or_expr )*
    or_expr := unary ( "OR" unary )*
    unary := "NOT" unary | "(" and_expr ")" | atom
    atom := field op value | field IN ( values ) | CASE(x) | TERM(x) | "phrase" | word
    """

    def __init__(self, text):
        self.s = text
        self.i = 0

    # -- characters

    def at_end(self):
        return self.i >= len(self.s)

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else ""

    def skip_ws(self):
        while self.i < len(self.s) and self.s[self.i] in WHITESPACE:
            self.i += 1

    def at_keyword(self, word):
        end = self.i + len(word)
        return self.s.startswith(word, self.i) and (end == len(self.s) or self.s[end] in WORD_END)

    def at_any_keyword(self):
        return self.at_keyword("AND") or self.at_keyword("OR") or self.at_keyword("NOT")

    def expect_operand(self, after):
        self.skip_ws()
        if self.at_end() or self.peek() in ")|" or self.at_keyword("AND") or self.at_keyword("OR"):
            raise QueryError("expected a search term after " + after, self.i)

    # -- grammar

    def parse(self):
        self.skip_ws()
        if self.at_keyword("search"):
            self.i += len("search")
            self.skip_ws()
        if self.at_end():
            return MatchAll()
        node = self.parse_and()
        self.skip_ws()
        if not self.at_end():
            if self.peek() == ")":
                raise QueryError("unbalanced parentheses: ')' has no matching '('", self.i)
            if self.peek() == "|":
                raise QueryError("pipeline commands are not part of the search oracle", self.i)
            raise QueryError("unexpected text", self.i)
        return node

    def parse_and(self):
        children = [self.parse_or()]
        while True:
            self.skip_ws()
            if self.at_end() or self.peek() in ")|":
                break
            if self.at_keyword("AND"):
                self.i += 3
                self.expect_operand("AND")
            children.append(self.parse_or())
        return children[0] if len(children) == 1 else And(children)

    def parse_or(self):
        children = [self.parse_unary()]
        while True:
            save = self.i
            self.skip_ws()
            if not self.at_keyword("OR"):
                self.i = save
                break
            self.i += 2
            self.expect_operand("OR")
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else Or(children)

    def parse_unary(self):
        self.skip_ws()
        if self.at_keyword("NOT"):
            self.i += 3
            self.expect_operand("NOT")
            return Not(self.parse_unary())
        if self.peek() == "(":
            open_pos = self.i
            self.i += 1
            self.skip_ws()
            if self.peek() == ")" or self.at_end():
                raise QueryError("expected a search expression inside the parentheses", self.i)
            node = self.parse_and()
            self.skip_ws()
            if self.peek() != ")":
                raise QueryError("unbalanced parentheses: '(' at %d is never closed" % open_pos, self.i)
            self.i += 1
            return node
        if self.at_end() or self.peek() in ")|" or self.at_any_keyword():
            raise QueryError("expected a search term", self.i)
        return self.parse_atom()

    def read_quoted(self):
        """A double-quoted string; \\" \\\\ and \\| are escapes, other backslashes stay."""
        start = self.i
        assert self.s[self.i] == '"'
        self.i += 1
        out = []
        while True:
            if self.at_end():
                raise QueryError("unterminated quoted string", start)
            c = self.s[self.i]
            if c == "\\" and self.i + 1 < len(self.s):
                nxt = self.s[self.i + 1]
                out.append(nxt if nxt in '"\\|' else c + nxt)
                self.i += 2
            elif c == '"':
                self.i += 1
                return "".join(out)
            else:
                out.append(c)
                self.i += 1

    def read_bare(self, stop=WORD_END):
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in stop:
            self.i += 1
        return self.s[start:self.i]

    def read_directive(self):
        """CASE(x) or TERM(x) at the current position, or None."""
        for name in ("CASE", "TERM"):
            if self.s.startswith(name + "(", self.i):
                self.i += len(name) + 1
                self.skip_ws()
                value = self.read_quoted() if self.peek() == '"' else self.read_bare(WORD_END)
                self.skip_ws()
                if self.peek() != ")":
                    raise QueryError("expected ')' after " + name + "(", self.i)
                self.i += 1
                return name, value
        return None

    def read_operator(self):
        for op in OPERATORS:
            if self.s.startswith(op, self.i):
                self.i += len(op)
                return op
        return None

    def parse_atom(self):
        start = self.i
        directive = self.read_directive()
        if directive:
            name, value = directive
            return Term(value, case_sensitive=(name == "CASE"), whole_term=(name == "TERM"))
        # A field name: quoted, or a bare run up to an operator character.
        if self.peek() == '"':
            field = self.read_quoted()
        else:
            field = self.read_bare(WORD_END | set("=<>!"))
        if field:
            self.skip_ws()  # `field = value` is allowed, as in `field=value`
            op = self.read_operator()
            if op:
                self.skip_ws()
                return self.parse_comparison(field, op, start)
            if self.at_keyword("IN"):
                self.i += 2
                self.skip_ws()
                if self.peek() == "(":
                    return self.parse_in(field)
        # Otherwise a term: a quoted phrase or a bare word.
        self.i = start
        if self.peek() == '"':
            return Term(self.read_quoted())
        return Term(self.read_bare())

    def parse_comparison(self, field, op, start):
        if self.at_end() or self.peek() in ")|":
            raise QueryError("expected a value after the operator", self.i)
        directive = self.read_directive()
        case_sensitive = False
        if directive:
            name, value = directive
            case_sensitive = name == "CASE"
        elif self.peek() == '"':
            value = self.read_quoted()
        else:
            value = self.read_bare()
        if field in ("earliest", "latest"):
            if op != "=":
                raise QueryError(field + " takes '='", start)
            return TimeBound(field, value, start)
        return Compare(field, op, value, case_sensitive)

    def parse_in(self, field):
        assert self.peek() == "("
        self.i += 1
        values = []
        while True:
            self.skip_ws()
            if self.peek() == ",":
                self.i += 1
                continue
            if self.peek() == ")":
                self.i += 1
                break
            if self.at_end() or self.peek() in "(|":
                raise QueryError("expected ')' to close the IN list", self.i)
            if self.peek() == '"':
                values.append(self.read_quoted())
            else:
                values.append(self.read_bare(WORD_END | {","}))
        if not values:
            raise QueryError("expected a value in the IN list", self.i)
        return In(field, values)


def parse_query(text):
    return Parser(text).parse()


# ---------------------------------------------------------------------------------------
# Time modifiers

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
}
_ABSOLUTE_FORMATS = [
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%Y:%H:%M:%S",
    "%m/%d/%Y",
]


def resolve_time(text, now):
    """Epoch seconds for an absolute time (UTC) or a relative one (-24h, -7d@d, now)."""
    if text == "now":
        return now
    for fmt in _ABSOLUTE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.timezone.utc).timestamp()
        except ValueError:
            pass
    if re.fullmatch(r"\d+", text):
        return float(text)
    m = re.fullmatch(r"([+-]\d*)([a-z]+)?(?:@([a-z]+))?", text)
    if not m:
        raise ValueError("not a time: " + text)
    t = now
    if m.group(2):
        amount = m.group(1)
        n = int(amount[1:] or "1") * (-1 if amount[0] == "-" else 1)
        t += n * _UNITS[m.group(2)]
    if m.group(3):
        step = _UNITS[m.group(3)]
        if step > 86400:
            raise ValueError("snap unit not supported by the oracle")
        t = t - (t % step)
    return t


# ---------------------------------------------------------------------------------------
# Matching


def glob_to_regex(pattern):
    return re.compile("".join(".*" if c == "*" else re.escape(c) for c in pattern), re.DOTALL)


def fold(text, case_sensitive):
    return text if case_sensitive else text.lower()


def value_equals(value, pattern, case_sensitive=False):
    """One field value against a search value (wildcards, CIDR, case rules)."""
    if "/" in pattern and "*" not in pattern:
        try:
            network = ipaddress.ip_network(pattern, strict=False)
        except ValueError:
            network = None
        if network is not None:
            try:
                return ipaddress.ip_address(value) in network
            except ValueError:
                return False
    value, pattern = fold(value, case_sensitive), fold(pattern, case_sensitive)
    if "*" in pattern:
        return glob_to_regex(pattern).fullmatch(value) is not None
    return value == pattern


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def as_number(text):
    return decimal.Decimal(text) if _NUMBER.fullmatch(text) else None


def value_compares(value, op, operand):
    """value <op> operand: numeric when both are numbers, else by UTF-8 bytes."""
    a, b = as_number(value), as_number(operand)
    if a is None or b is None:
        a, b = value.encode("utf-8"), operand.encode("utf-8")
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def major_segments(raw):
    segments, current = [], []
    for c in raw:
        if c in MAJOR_BREAKERS:
            if current:
                segments.append("".join(current))
            current = []
        else:
            current.append(c)
    if current:
        segments.append("".join(current))
    return segments


def index_terms(raw):
    """Splunk's lexicon for a text: its major segments and their minor-broken parts."""
    terms = []
    for seg in major_segments(raw):
        terms.append(seg)
        terms.extend(p for p in re.split("[" + re.escape("".join(sorted(MINOR_BREAKERS))) + "]", seg) if p)
    return terms


def contains_at_boundaries(raw, text):
    start = raw.find(text)
    while start >= 0:
        end = start + len(text)
        left_ok = start == 0 or raw[start - 1] in BREAKERS or text[0] in BREAKERS
        right_ok = end == len(raw) or raw[end] in BREAKERS or text[-1] in BREAKERS
        if left_ok and right_ok:
            return True
        start = raw.find(text, start + 1)
    return False


def phrase_matches(raw, text):
    """The raw-token rule for a term or phrase without `*` (see the docstring)."""
    if not has_token_chars(text):
        return False
    segs = major_segments(text)
    if len(segs) == 1:
        return contains_at_boundaries(raw, segs[0])
    words = major_segments(raw)
    n = len(segs)
    for i in range(len(words) - n + 1):
        first, last = words[i], words[i + n - 1]
        ends = first.endswith(segs[0]) and (
            len(first) == len(segs[0]) or segs[0][0] in BREAKERS or first[-len(segs[0]) - 1] in BREAKERS)
        starts = last.startswith(segs[-1]) and (
            len(last) == len(segs[-1]) or segs[-1][-1] in BREAKERS or last[len(segs[-1])] in BREAKERS)
        if ends and starts and words[i + 1:i + n - 1] == segs[1:-1]:
            return True
    return False


def has_token_chars(text):
    """A term made only of breakers (such as `:`) has no token to look for: it matches nothing."""
    return any(c not in BREAKERS for c in text)


def term_matches(event, term):
    text = fold(term.text, term.case_sensitive)
    raw = fold(event.raw, term.case_sensitive)
    if text == "*":
        return True
    if term.whole_term:
        candidates = major_segments(raw)
    elif "*" in text:
        candidates = index_terms(raw)
    else:
        return phrase_matches(raw, text)
    pattern = glob_to_regex(text)
    return any(pattern.fullmatch(c) for c in candidates)


def compare_matches(event, node):
    values = event.values(node.field)
    if node.op == "=":
        if node.value == "*" and not node.case_sensitive:
            return bool(values)
        return any(value_equals(v, node.value, node.case_sensitive) for v in values)
    if node.op == "!=":
        if node.value == "*":
            return False
        return bool(values) and not any(value_equals(v, node.value, node.case_sensitive) for v in values)
    return any(value_compares(v, node.op, node.value) for v in values)


def matches(event, node):
    if isinstance(node, MatchAll):
        return True
    if isinstance(node, And):
        return all(matches(event, c) for c in node.children)
    if isinstance(node, Or):
        return any(matches(event, c) for c in node.children)
    if isinstance(node, Not):
        return not matches(event, node.child)
    if isinstance(node, Term):
        return term_matches(event, node)
    if isinstance(node, Compare):
        return compare_matches(event, node)
    if isinstance(node, In):
        return any(compare_matches(event, Compare(node.field, "=", v)) for v in node.values)
    raise AssertionError(node)


def split_time_bounds(node):
    """Removes the top-level earliest=/latest= terms: (rest of the tree, [TimeBound])."""
    children = node.children if isinstance(node, And) else [node]
    flat = []
    while children:  # (a b) c is the same AND as a b c
        c = children.pop(0)
        if isinstance(c, And):
            children[0:0] = c.children
        else:
            flat.append(c)
    bounds = [c for c in flat if isinstance(c, TimeBound)]
    rest = [c for c in flat if not isinstance(c, TimeBound)]

    def check(n):
        if isinstance(n, TimeBound):
            raise QueryError(n.which + "= must apply to the whole search, not inside OR or NOT", n.pos)
        for c in getattr(n, "children", []):
            check(c)
        if isinstance(n, Not):
            check(n.child)

    for n in rest:
        check(n)
    if not rest:
        return MatchAll(), bounds
    return (rest[0] if len(rest) == 1 else And(rest)), bounds


def search(events, query, earliest=None, latest=None, now=None):
    """The events matching `query` (a QueryError for a bad query)."""
    now = dt.datetime.now(dt.timezone.utc).timestamp() if now is None else now
    tree, bounds = split_time_bounds(parse_query(query))
    limits = {"earliest": earliest, "latest": latest}
    for b in bounds:  # the search's own time range overrides the options
        limits[b.which] = b.text
    try:
        lo = resolve_time(limits["earliest"], now) if limits["earliest"] is not None else None
        hi = resolve_time(limits["latest"], now) if limits["latest"] is not None else None
    except (ValueError, KeyError) as e:
        raise QueryError("bad time: %s" % e, 0)
    out = []
    for ev in events:
        if lo is not None and (ev.time is None or ev.time < lo):
            continue
        if hi is not None and (ev.time is None or ev.time >= hi):
            continue
        if matches(ev, tree):
            out.append(ev)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="reference implementation of cairn's search semantics")
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
    events = load_events(args.data, args.index_name)
    try:
        hits = search(events, args.query, args.earliest, args.latest)
    except QueryError as e:
        sys.stderr.write("error: %s\n  %s\n  %s^\n" % (e.message, args.query, " " * e.pos))
        return 2
    ids = sorted(str(ev.event_id) for ev in hits)
    sys.stdout.write("%d\n" % len(hits))
    for i in ids:
        sys.stdout.write(i + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
