#!/usr/bin/env python3
"""Reference event counter for CloudTrail inputs (Python 3 standard library only).

    python3 testdata/oracle.py count PATH...   -> total number of events, one integer
    python3 testdata/oracle.py files PATH...   -> one line per file: path<TAB>count<TAB>status

It is deliberately simple: the C++ ingester is checked against it, so every rule is written out
here and in testdata/README.md.

Files
  * A PATH may be a file or a directory; directories are walked recursively, in sorted order, and
    every regular file in them is read (whatever its name).
  * A file whose first two bytes are 1f 8b is gzip (the name does not matter); several members are
    concatenated, zero padding after the last member is ignored.  A stream that ends early, or is
    corrupt, gives the bytes decompressed before that point and marks the file "truncated".
  * A UTF-8 byte order mark at the start is ignored.

Events
  * An event is a JSON object, except a digest (an object with "digestStartTime" or "logFiles" and
    neither "eventName" nor "eventTime").  Scalars are never events.
  * A JSON document holds: {"Records":[...]} -> the objects in the list; [...] -> the objects in
    the array; any other object -> 1 event (0 if it is a digest); a scalar -> nothing (invalid).

VPC flow logs
  * A file whose first non-blank line, split at spaces and tabs, is a header (every token a lower-case
    name of letters, digits and "-": "version account-id ...") or a record (14, 21, 25, 29 or 36
    tokens, the first a single digit 2-9, and OK/NODATA/SKIPDATA where the layout puts log-status:
    token 14, or token 26 of 36) holds VPC flow records; so does one whose first line has 10 or more
    tokens, the first a single digit 2-9, one of them ACCEPT, REJECT, OK, NODATA or SKIPDATA.
  * In it every non-blank line that is not a header is a record when the last header named as many
    fields, or when it is a record of a default layout as above; other lines are not counted.

CloudFront access logs
  * A file that starts with "#Version:" or "#Fields:" and names x-edge-location or x-edge-request-id in
    its first 64 KiB, or whose first line is 33 tab-separated fields starting with a date (YYYY-MM-DD)
    and a time (HH:MM:SS), holds CloudFront records: every non-blank line not starting with "#" that
    has, split at tabs, as many fields as the last #Fields line names (the standard 33 before one).

S3 server access logs
  * A file whose first non-blank line is a record: split into fields at spaces, where "..." and [...]
    are one field each, 17 fields or more, the third a time like 01/Aug/2019:00:24:41 +0000 in
    brackets, the seventh an operation starting REST., WEBSITE., BATCH. or S3.  Its records are its
    lines that are records so.

Parsing a file
  0. CloudFront access logs, then VPC flow logs, then S3 access logs, as above.  A file that starts with "{" or "[" is never one.
  1. The whole text is parsed as one JSON document (strict JSON: NaN/Infinity are rejected).
     If that works the file holds that document's events.  Status "ok", "digest" for a digest
     object, "invalid" for a scalar, "partial" if the gzip stream was truncated.
  2. Otherwise the file is read as NDJSON: lines are split on "\\n"; blank lines are skipped; each
     other line must be, by itself, a JSON object or array (a document as above), else it is a bad
     line.  In a truncated gzip stream the last, unterminated line is dropped.
     No good line -> count 0, "invalid".  Good lines only, all digests -> "digest".
     Some bad lines, or a truncated stream -> "partial".  Otherwise "ok".
"""

import json
import os
import sys
import zlib

GZIP_MAGIC = b"\x1f\x8b"


class _Reject(ValueError):
    pass


def _no_constants(name):
    raise _Reject("non-standard JSON constant " + name)


def parse_json(text):
    """Strict JSON parse; returns (ok, value)."""
    try:
        return True, json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        return False, None


def gunzip(raw):
    """Returns (data, truncated).  Decompresses member after member, in chunks, keeping what it got."""
    out = []
    data = raw
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pos = 0
        try:
            while pos < len(data) and not d.eof:
                out.append(d.decompress(data[pos:pos + 65536]))
                pos += 65536
        except zlib.error:
            return b"".join(out), True
        if not d.eof:
            return b"".join(out), True
        rest = d.unused_data + data[pos:]
        if not rest.strip(b"\x00"):
            return b"".join(out), False
        if rest[:2] != GZIP_MAGIC:
            return b"".join(out), True
        data = rest


def read_file(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == GZIP_MAGIC:
        return gunzip(raw)
    return raw, False


def is_digest(obj):
    return (isinstance(obj, dict) and ("digestStartTime" in obj or "logFiles" in obj)
            and "eventName" not in obj and "eventTime" not in obj)


def events_in(doc):
    """Number of events in one parsed JSON document, or None if the document is a scalar."""
    if isinstance(doc, dict):
        if is_digest(doc):
            return 0
        recs = doc.get("Records")
        if isinstance(recs, list):
            return sum(1 for x in recs if isinstance(x, dict) and not is_digest(x))
        return 1
    if isinstance(doc, list):
        return sum(1 for x in doc if isinstance(x, dict) and not is_digest(x))
    return None


VPC_V2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
VPC_V3 = VPC_V2 + " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr"
VPC_V4 = VPC_V3 + " region az-id sublocation-type sublocation-id"
VPC_V5 = VPC_V4 + " pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path"
VPC_TGW = ("version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
           "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
           "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
           "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
           "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service")
VPC_DEFAULT_LAYOUTS = {len(l.split()): l.split() for l in (VPC_V2, VPC_V3, VPC_V4, VPC_V5, VPC_TGW)}
VPC_STATUS = ("OK", "NODATA", "SKIPDATA")


def vpc_is_header(tokens):
    return bool(tokens) and all(t[0].isalpha() and t.islower() and all(c.isalnum() or c == "-" for c in t)
                                for t in tokens)


def vpc_is_default_record(tokens):
    if len(tokens) not in VPC_DEFAULT_LAYOUTS or tokens[0] not in "23456789" or len(tokens[0]) != 1:
        return False
    return tokens[VPC_DEFAULT_LAYOUTS[len(tokens)].index("log-status")] in VPC_STATUS


def vpc_records(text):
    """(line, AWS field names) of each record of a VPC flow log text, or None if its first line
    starts no VPC flow log."""
    lines = [l.rstrip("\r") for l in text.split("\n")]
    first = next((l.split() for l in lines if l.strip()), None)
    if first is None or first[0][:1] in ("{", "["):
        return None
    looks = vpc_is_header(first) or vpc_is_default_record(first) or (
        len(first) >= 10 and len(first[0]) == 1 and first[0] in "23456789"
        and any(t in ("ACCEPT", "REJECT") + VPC_STATUS for t in first))
    if not looks:
        return None
    header, records = None, []
    for line in lines:
        tokens = line.split()
        if not tokens:
            continue
        if vpc_is_header(tokens):
            header = tokens
        elif header and len(tokens) == len(header):
            records.append((line, header))
        elif vpc_is_default_record(tokens):
            records.append((line, VPC_DEFAULT_LAYOUTS[len(tokens)]))
    return records


CF_STANDARD = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
               "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header "
               "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
               "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
               "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start "
               "sc-range-end").split()


def cloudfront_records(text):
    """(line, W3C field names) of each record of a CloudFront access log, or None if the text is not one.
    A line with fewer fields than the names (at least two) is a record of its first fields; one with
    more is not a record."""
    head = text[:65536]
    if head.startswith("#Version:") or head.startswith("#Fields:"):
        if "x-edge-location" not in head and "x-edge-request-id" not in head:
            return None
    else:
        first = head.split("\n")[0].rstrip("\r").split("\t")
        if not (len(first) == len(CF_STANDARD) and len(first[0]) == 10 and first[0][4] == "-"
                and first[0][7] == "-" and len(first[1]) == 8 and first[1][2] == ":"):
            return None
    names, records = CF_STANDARD, []
    for line in text.split("\n"):
        line = line[:-1] if line.endswith("\r") else line
        if line.startswith("#Fields:"):
            names = line[len("#Fields:"):].split()
        elif line and not line.startswith("#") and 2 <= len(line.split("\t")) <= len(names):
            records.append((line, names))  # a line cut short keeps the fields it has
    return records


S3_FIELDS = ("bucket_owner bucket time remote_ip requester request_id operation key request_uri http_status "
             "error_code bytes_sent object_size total_time turn_around_time referer user_agent version_id host_id "
             "signature_version cipher_suite authentication_type host_header tls_version access_point_arn "
             "acl_required").split()


def s3_tokens(line):
    """The fields of an S3 access log line ("..." and [...] are one field each, without their
    quotes or brackets), or None if the line is not an S3 access log record."""
    import re
    tokens = [t[1:-1] if t[:1] in ('"', "[") else t for t in re.findall(r'"[^"]*"|\[[^\]]*\]|[^ ]+', line)]
    if len(tokens) < 17 or not re.fullmatch(r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}", tokens[2]):
        return None
    if not tokens[6].startswith(("REST.", "WEBSITE.", "BATCH.", "S3.")):
        return None
    return tokens


def s3_access_records(text):
    """Lines of an S3 server access log, or None if its first line is not a record."""
    lines = [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]
    first = next((l for l in lines if l.strip()), None)
    if first is None or s3_tokens(first) is None:
        return None
    return [l for l in lines if l.strip() and s3_tokens(l) is not None]


def count_file(path):
    """Returns (count, status) with status one of ok, invalid, digest, partial."""
    data, truncated = read_file(path)

    # 0. a VPC flow log (space-separated records)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        records = cloudfront_records(text.lstrip("\ufeff"))
        if records is None:
            records = vpc_records(text.lstrip("\ufeff"))
        if records is None:
            records = s3_access_records(text.lstrip("\ufeff"))
        if records is not None:
            return len(records), ("partial" if truncated else "ok")

    # 1. the whole file as one JSON document
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if text.startswith("\ufeff"):
            text = text[1:]
        ok, doc = parse_json(text)
        if ok:
            n = events_in(doc)
            if n is None:
                return 0, "invalid"
            if is_digest(doc):
                return 0, "digest"
            return n, ("partial" if truncated else "ok")

    # 2. NDJSON, line by line
    lines = data.split(b"\n")
    if truncated and lines:
        lines.pop()          # the last line was not terminated: it may be cut
    good = bad = count = digests = 0
    for i, line in enumerate(lines):
        if i == 0 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        line = line.strip(b" \t\r\n")
        if not line:
            continue
        try:
            s = line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
            continue
        ok, doc = parse_json(s)
        n = events_in(doc) if ok else None
        if n is None:
            bad += 1
            continue
        good += 1
        count += n
        if is_digest(doc):
            digests += 1
    if good == 0:
        return 0, "invalid"
    if digests == good and bad == 0 and not truncated:
        return 0, "digest"
    if bad or truncated:
        return count, "partial"
    return count, "ok"


def walk(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    fp = os.path.join(root, name)
                    if os.path.isfile(fp):
                        yield fp
        elif os.path.isfile(p):
            yield p
        else:
            raise FileNotFoundError(p)


def main(argv):
    if len(argv) < 2 or argv[0] not in ("count", "files"):
        sys.stderr.write("usage: oracle.py count|files PATH...\n")
        return 2
    cmd, paths = argv[0], argv[1:]
    try:
        files = list(walk(paths))
    except FileNotFoundError as e:
        sys.stderr.write("oracle.py: no such file or directory: %s\n" % e)
        return 2
    total = 0
    out = sys.stdout
    for fp in files:
        n, status = count_file(fp)
        total += n
        if cmd == "files":
            out.write("%s\t%d\t%s\n" % (fp, n, status))
    if cmd == "count":
        out.write("%d\n" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
