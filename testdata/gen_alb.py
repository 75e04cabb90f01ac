#!/usr/bin/env python3
"""Deterministic generator of realistic Application Load Balancer access logs (standard library only).

    python3 testdata/gen_alb.py --records 200 --seed 1 --out DIR

Writes DIR/alb/AWSLogs/398985017225/elasticloadbalancing/us-east-1/2025/12/29/
398985017225_elasticloadbalancing_us-east-1_app.shop-prod.5f1c2d3e4a5b6c7d_20251229T1000Z_10.0.1.17_1a2b3c4d.log,
as ALB delivers its logs (uncompressed here): one request a line, space-separated, the request,
user agent and other strings in quotes, "-" for empty fields, the 30 fields of today's layout (AWS's
documentation, "Access logs for your Application Load Balancer").
The traffic: shoppers browsing a web shop over HTTPS (many addresses and user agents, keep-alive
ports), the shop's API called by its mobile app, health checks, a scanner probing for `.env`,
`wp-login.php` and `.git/config` (404), a credential-stuffing burst against `/api/login` from a few
addresses (401), redirects of plain HTTP to HTTPS (301), and target errors (502, 504) with their
error reasons. Trace ids are unique; request times vary as real ones do.
The output depends only on the arguments.
"""

import argparse
import os
import time
from random import Random

ACCOUNT = "398985017225"
LB = "app/shop-prod/5f1c2d3e4a5b6c7d"
TG = "arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/shop-web/6d0ecf831eec9f09" % ACCOUNT
API_TG = "arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/shop-api/1f2e3d4c5b6a7980" % ACCOUNT
CERT = "arn:aws:acm:us-east-1:%s:certificate/2b6f3c1e-8d4a-4f5b-9c7d-0e1f2a3b4c5d" % ACCOUNT
DOMAIN = "shop.example.com"
TARGETS = ["10.0.1.%d:8080" % n for n in (17, 42, 63, 88)]
API_TARGETS = ["10.0.2.%d:9000" % n for n in (11, 29)]
START = 1767002400  # 2025-12-29T10:00:00Z
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
]
APP_AGENTS = ["ShopApp/4.12.0 (iOS 18.1; iPhone15,2)", "ShopApp/4.12.0 (Android 14; Pixel 8)",
              "ShopApp/4.11.3 (Android 13; SM-S911B)"]
PAGES = ["/", "/products", "/cart", "/checkout", "/account", "/search", "/static/app.js", "/static/app.css",
         "/static/logo.svg", "/favicon.ico"]
API = ["/api/products", "/api/cart", "/api/orders", "/api/recommendations", "/api/session"]
PROBES = ["/.env", "/wp-login.php", "/.git/config", "/admin/config.php", "/phpmyadmin/", "/server-status",
          "/.aws/credentials", "/actuator/env"]
SCANNERS = ["45.155.205.233", "89.248.165.164", "193.35.18.62"]
STUFFERS = ["185.220.101.4", "185.220.101.9", "185.220.101.23"]
CIPHERS = ["ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES256-GCM-SHA384"]


def iso(t_us):
    g = time.gmtime(t_us // 1000000)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec,
                                                  t_us % 1000000)


def client(rng):
    # Residential and mobile addresses: many distinct ones, a few that come back often.
    if rng.random() < 0.3:
        return "203.0.113.%d" % rng.randint(1, 254)
    return "%d.%d.%d.%d" % (rng.choice([24, 68, 73, 98, 104, 172, 174, 176]), rng.randint(0, 255),
                            rng.randint(0, 255), rng.randint(1, 254))


def trace(rng, t_us):
    return "Root=1-%08x-%s" % (t_us // 1000000, "".join(rng.choice("0123456789abcdef") for _ in range(24)))


def q(s):
    return '"%s"' % s


def record(rng, t_us):
    kind = rng.choices(["page", "api", "health", "probe", "stuffing", "redirect", "error"],
                       [52, 25, 8, 5, 4, 4, 2])[0]
    scheme, port, agent, ip = "https", 443, rng.choice(AGENTS), client(rng)
    tg, target = TG, rng.choice(TARGETS)
    method, path = "GET", rng.choice(PAGES)
    elb_status, target_status = 200, 200
    actions, redirect, reason, classification = "forward", "-", "-", "-"
    req_t = round(rng.uniform(0.0, 0.002), 3)
    tgt_t = round(rng.lognormvariate(-3.2, 0.8), 3)
    resp_t = 0.0 if rng.random() < 0.8 else 0.001
    received = rng.randint(180, 900)
    sent = rng.randint(400, 60000)
    rule = str(rng.choice([1, 2, 10]))
    if kind == "page" and path == "/search":
        path = "/search?q=%s" % rng.choice(["shoes", "red+dress", "laptop", "gift+card", "headphones"])
    elif kind == "page" and path == "/products":
        path = "/products/%d" % rng.randint(1000, 9999)
    elif kind == "api":
        tg, target, agent = API_TG, rng.choice(API_TARGETS), rng.choice(APP_AGENTS)
        method = rng.choice(["GET", "GET", "GET", "POST", "PUT"])
        path = rng.choice(API)
        if path == "/api/orders" and method == "GET":
            path += "/%d" % rng.randint(100000, 999999)
        sent = rng.randint(200, 8000)
    elif kind == "health":
        ip, agent, path = "10.0.0.%d" % rng.choice([5, 6]), "ELB-HealthChecker/2.0", "/healthz"
        scheme, port, sent, received, rule = "http", 80, 180, 130, "-"
        tgt_t = 0.001
    elif kind == "probe":
        ip, agent, path = rng.choice(SCANNERS), rng.choice(["curl/8.4.0", "python-requests/2.31.0",
                                                            "Mozilla/5.0 zgrab/0.x"]), rng.choice(PROBES)
        elb_status = target_status = 404
        sent = rng.randint(150, 400)
    elif kind == "stuffing":
        ip, agent, method, path = rng.choice(STUFFERS), "python-requests/2.31.0", "POST", "/api/login"
        tg, target = API_TG, rng.choice(API_TARGETS)
        elb_status = target_status = 401 if rng.random() < 0.97 else 200
        received = rng.randint(300, 420)
        sent = rng.randint(90, 160)
    elif kind == "redirect":
        scheme, port = "http", 80
        elb_status, target_status, target, tgt_t = 301, "-", "-", -1
        actions, redirect, rule = "redirect", "https://%s:443%s" % (DOMAIN, path), "1"
        sent = 270
    elif kind == "error":
        elb_status, target_status = rng.choice([(502, "-"), (504, "-"), (500, 500)])
        reason = {502: "TargetResponseError", 504: "TargetTimeout", 500: "-"}[elb_status]
        if elb_status == 504:
            tgt_t = -1
        sent = rng.randint(100, 700)
    if tgt_t == -1:
        req_t, resp_t = -1, -1
    client_port = "%s:%d" % (ip, rng.randint(1024, 65535))
    version = "1.1" if kind in ("health", "probe", "stuffing") or scheme == "http" else rng.choice(["1.1", "2.0"])
    request = "%s %s://%s:%d%s HTTP/%s" % (method, scheme, DOMAIN, port, path, version)
    https = scheme == "https"
    created = t_us - int(max(req_t, 0) * 1e6) - rng.randint(0, 900)
    fields = [
        "h2" if https and request.endswith("2.0") else scheme, iso(t_us), LB, client_port,
        target if target != "-" else "-", "%.3f" % req_t if req_t != -1 else "-1",
        "%.3f" % tgt_t if tgt_t != -1 else "-1", "%.3f" % resp_t if resp_t != -1 else "-1",
        str(elb_status), str(target_status), str(received), str(sent), q(request), q(agent),
        rng.choice(CIPHERS) if https else "-", "TLSv1.2" if https else "-",
        tg if target != "-" else "-", q(trace(rng, t_us)), q(DOMAIN if https else "-"),
        q(CERT if https else "-"), rule, iso(created), q(actions), q(redirect), q(reason),
        q(target if target != "-" else "-"), q(str(target_status)), q(classification), q("-"), "-",
    ]
    return " ".join(fields)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = Random(args.seed)
    folder = os.path.join(args.out, "alb", "AWSLogs", ACCOUNT, "elasticloadbalancing", "us-east-1", "2025", "12",
                          "29")
    os.makedirs(folder, exist_ok=True)
    name = "%s_elasticloadbalancing_us-east-1_app.shop-prod.5f1c2d3e4a5b6c7d_20251229T1000Z_10.0.1.17_1a2b3c4d.log" % (
        ACCOUNT)
    t_us = START * 1000000
    with open(os.path.join(folder, name), "w", newline="\n") as out:
        batch = []
        for _ in range(args.records):
            t_us += int(rng.expovariate(1 / 40000))  # about 25 requests a second
            batch.append(record(rng, t_us))
            if len(batch) == 10000:
                out.write("\n".join(batch) + "\n")
                batch = []
        if batch:
            out.write("\n".join(batch) + "\n")


if __name__ == "__main__":
    main()
