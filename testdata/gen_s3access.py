#!/usr/bin/env python3
"""Deterministic generator of realistic S3 server access logs (Python 3 standard library only).

    python3 testdata/gen_s3access.py --records 200 --seed 1 --out DIR

Writes DIR/s3access/customer-data-logs/2025-12-29-10-00-00-1A2B3C4D5E6F7A8B, as S3 delivers server
access logs: one request a line, space-separated, the time in brackets, the request line, referer
and user agent in quotes, "-" for empty fields, 26 fields. The traffic: an application reading and
writing objects with its role, the console, a burst of GetObject calls from one outside address
that exfiltrates the /exports/ prefix (200), anonymous requests denied (403 AccessDenied), a
ListBucket from an unknown key (403), and lifecycle expirations by S3 itself.
The output depends only on the arguments.
"""

import argparse
import os
import time
from random import Random

OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
BUCKET = "customer-data-prod"
APP_ROLE = "arn:aws:sts::398985017225:assumed-role/app-server/i-0123456789abcdef0"
CONSOLE_USER = "arn:aws:iam::398985017225:user/jeff.harrison"
OUTSIDER = "arn:aws:iam::715841342563:user/backup-sync"
APP_IP, CONSOLE_IP, OUTSIDE_IP = "10.0.1.25", "198.51.100.23", "185.220.101.4"
START = 1767002400  # 2025-12-29T10:00:00Z
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def stamp(t):
    g = time.gmtime(t)
    return "[%02d/%s/%04d:%02d:%02d:%02d +0000]" % (g.tm_mday, MONTHS[g.tm_mon - 1], g.tm_year, g.tm_hour,
                                                   g.tm_min, g.tm_sec)


def hexid(rng, n):
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(n))


def record(rng, t):
    kind = rng.choices(["app_get", "app_put", "console", "exfil", "anonymous", "listing", "expire"],
                       [35, 15, 10, 20, 10, 5, 5])[0]
    key = "-"
    status, error, sent, size = "200", "-", "-", "-"
    agent, referer, requester, ip = "aws-sdk-java/2.21.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17", "-", APP_ROLE, APP_IP
    if kind == "app_get":
        key = "orders/2025/12/%05d.json" % rng.randint(1, 99999)
        op, method = "REST.GET.OBJECT", "GET"
        size = str(rng.randint(500, 90000))
        sent = size
    elif kind == "app_put":
        key = "orders/2025/12/%05d.json" % rng.randint(1, 99999)
        op, method = "REST.PUT.OBJECT", "PUT"
        size = str(rng.randint(500, 90000))
    elif kind == "console":
        key = rng.choice(["reports/q4.pdf", "reports/board.pptx"])
        op, method, requester, ip = "REST.GET.OBJECT", "GET", CONSOLE_USER, CONSOLE_IP
        agent, referer = "S3Console/0.4", "https://s3.console.aws.amazon.com/"
        size = str(rng.randint(100000, 900000))
        sent = size
    elif kind == "exfil":
        key = "exports/customers-%03d.csv.gz" % rng.randint(1, 60)
        op, method, requester, ip = "REST.GET.OBJECT", "GET", OUTSIDER, OUTSIDE_IP
        agent = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.cp"
        size = str(rng.randint(1000000, 9000000))
        sent = size
    elif kind == "anonymous":
        key = rng.choice(["exports/customers-001.csv.gz", "backup.sql", ".env"])
        op, method, requester, ip = "REST.GET.OBJECT", "GET", "-", rng.choice(["45.155.205.233", "89.248.165.164"])
        status, error, agent = "403", "AccessDenied", "curl/8.4.0"
        sent = "243"
    elif kind == "listing":
        op, method, requester, ip = "REST.GET.BUCKET", "GET", OUTSIDER, OUTSIDE_IP
        status, error, sent = "403", "AccessDenied", "243"
        agent = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.ls"
    else:
        key = "tmp/upload-%05d.part" % rng.randint(1, 99999)
        op, requester, ip, agent = "S3.EXPIRE.OBJECT", "AmazonS3", "-", "-"
    uri = "-" if kind == "expire" else "%s /%s%s HTTP/1.1" % (method, BUCKET + "/" if kind == "listing" else "",
                                                              "" if key == "-" else key)
    if kind == "listing":
        uri = "GET /?list-type=2&prefix=exports%2F HTTP/1.1"
    fields = [OWNER, BUCKET, stamp(t), ip, requester, hexid(rng, 16), op, key, '"%s"' % uri, status, error, sent,
              size, str(rng.randint(5, 900)), str(rng.randint(1, 200)) if status == "200" else "-",
              '"%s"' % referer, '"%s"' % agent, "-", hexid(rng, 76), "SigV4" if requester != "-" else "-",
              "TLS_AES_128_GCM_SHA256", "AuthHeader" if requester != "-" else "-",
              BUCKET + ".s3.us-east-1.amazonaws.com", "TLSv1.3", "-", "-"]
    if kind == "expire":
        fields[8:] = ['"-"', "-", "-", "-", "-", "-", "-", '"-"', '"-"', "-", hexid(rng, 76), "-", "-", "-", "-",
                      "-", "-", "-"]
    return " ".join(fields)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = Random(args.seed)
    folder = os.path.join(args.out, "s3access", "customer-data-logs")
    os.makedirs(folder, exist_ok=True)
    t, lines = START, []
    for _ in range(args.records):
        t += rng.randint(0, 15)
        lines.append(record(rng, t))
    with open(os.path.join(folder, "2025-12-29-10-00-00-1A2B3C4D5E6F7A8B"), "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
