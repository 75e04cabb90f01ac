#!/usr/bin/env python3
"""Deterministic generator of realistic CloudFront standard access logs (Python 3 standard library only).

    python3 testdata/gen_cloudfront.py --records 200 --seed 1 --out DIR

Writes DIR/cloudfront/E2ABCDEF12345.2025-12-29-10.1a2b3c4d.log, as CloudFront delivers to S3 (gzip
left out): the "#Version: 1.0" and "#Fields:" directives, then one request a line, 33 tab-separated
fields, "-" for empty ones, URL-encoded user agents. The traffic: page and asset requests from
browsers (200, 304, cache hits and misses), scanners probing /wp-login.php, /.env and /admin (404,
403), a burst of POSTs to /api/login from one address (401, then 200), and origin errors (502).
The output depends only on the arguments.
"""

import argparse
import os
from random import Random

FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
          "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
          "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
          "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
          "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end").split()
HOST = "d1a2b3c4d5e6f7.cloudfront.net"
ALIAS = "www.example.com"
BROWSERS = ["Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
            "%20Chrome/120.0.0.0%20Safari/537.36",
            "Mozilla/5.0%20(Macintosh;%20Intel%20Mac%20OS%20X%2014_2)%20AppleWebKit/605.1.15%20(KHTML,%20like%20Gecko)"
            "%20Version/17.2%20Safari/605.1.15"]
SCANNER_UA = "python-requests/2.31.0"
CLIENTS = ["198.51.100.23", "198.51.100.87", "192.0.2.141", "2001:db8:85a3::8a2e:370:7334"]
SCANNERS = ["45.155.205.233", "185.220.101.4"]
ATTACKER = "203.0.113.250"
EDGES = ["IAD89-C1", "FRA56-P2", "NRT57-C2"]
START = 1767002400  # 2025-12-29T10:00:00Z


def request_id(rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(rng.choice(alphabet) for _ in range(54)) + "=="


def record(rng, t, i):
    kind = rng.choices(["page", "asset", "scan", "login", "error"], [40, 30, 15, 10, 5])[0]
    stamp = __import__("time").gmtime(t)
    f = dict.fromkeys(FIELDS, "-")
    f.update({"date": "%04d-%02d-%02d" % stamp[:3], "time": "%02d:%02d:%02d" % stamp[3:6],
              "x-edge-location": rng.choice(EDGES), "cs(Host)": HOST, "x-host-header": ALIAS, "cs-protocol": "https",
              "ssl-protocol": "TLSv1.3", "ssl-cipher": "TLS_AES_128_GCM_SHA256", "cs-protocol-version": "HTTP/2.0",
              "x-edge-request-id": request_id(rng), "c-port": str(rng.randint(1024, 65535)), "cs-method": "GET"})
    if kind == "page":
        path = rng.choice(["/", "/index.html", "/pricing", "/blog/aws-logging"])
        status, result = rng.choice([("200", "Hit"), ("200", "Miss"), ("304", "Hit")])
        f.update({"c-ip": rng.choice(CLIENTS), "cs-uri-stem": path, "sc-status": status,
                  "cs(User-Agent)": rng.choice(BROWSERS), "x-edge-result-type": result,
                  "sc-content-type": "text/html", "cs(Referer)": "https://" + ALIAS + "/"})
    elif kind == "asset":
        path = rng.choice(["/static/app.js", "/static/site.css", "/img/logo.png"])
        f.update({"c-ip": rng.choice(CLIENTS), "cs-uri-stem": path, "sc-status": "200",
                  "cs(User-Agent)": rng.choice(BROWSERS), "x-edge-result-type": rng.choice(["Hit", "RefreshHit"]),
                  "sc-content-type": "application/javascript" if path.endswith(".js") else "text/css"})
    elif kind == "scan":
        path = rng.choice(["/wp-login.php", "/.env", "/admin", "/.git/config", "/phpmyadmin/"])
        f.update({"c-ip": rng.choice(SCANNERS), "cs-uri-stem": path, "sc-status": rng.choice(["404", "403"]),
                  "cs(User-Agent)": SCANNER_UA, "x-edge-result-type": "Error", "sc-content-type": "text/html"})
    elif kind == "login":
        f.update({"c-ip": ATTACKER, "cs-method": "POST", "cs-uri-stem": "/api/login",
                  "sc-status": "401" if i % 7 else "200", "cs(User-Agent)": SCANNER_UA,
                  "x-edge-result-type": "Miss", "sc-content-type": "application/json",
                  "cs-uri-query": "attempt=%d" % i})
    else:
        f.update({"c-ip": rng.choice(CLIENTS), "cs-uri-stem": "/api/orders", "sc-status": "502",
                  "cs(User-Agent)": rng.choice(BROWSERS), "x-edge-result-type": "Error",
                  "sc-content-type": "text/html"})
    size = rng.randint(200, 90000) if f["sc-status"] in ("200", "304") else rng.randint(300, 900)
    taken = rng.randint(1, 900) / 1000
    f.update({"sc-bytes": str(size), "cs-bytes": str(rng.randint(80, 900)), "time-taken": "%.3f" % taken,
              "time-to-first-byte": "%.3f" % (taken * 0.8), "x-edge-response-result-type": f["x-edge-result-type"],
              "x-edge-detailed-result-type": f["x-edge-result-type"], "sc-content-len": str(size)})
    return "\t".join(f[k] for k in FIELDS)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = Random(args.seed)
    folder = os.path.join(args.out, "cloudfront")
    os.makedirs(folder, exist_ok=True)
    lines = ["#Version: 1.0", "#Fields: " + " ".join(FIELDS)]
    t = START
    for i in range(args.records):
        t += rng.randint(0, 15)
        lines.append(record(rng, t, i))
    with open(os.path.join(folder, "E2ABCDEF12345.2025-12-29-10.1a2b3c4d.log"), "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
