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

Parsing a file
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


def count_file(path):
    """Returns (count, status) with status one of ok, invalid, digest, partial."""
    data, truncated = read_file(path)

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
