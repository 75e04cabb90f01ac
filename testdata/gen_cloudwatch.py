#!/usr/bin/env python3
"""Deterministic generator of CloudWatch Logs subscription payloads (Python 3 standard library only).

    python3 testdata/gen_cloudwatch.py --events 2000 --seed 1 --out DIR

Writes DIR/cloudwatch/payloads-NNN.ndjson: one subscription payload a line, as a subscription filter
sends them (decompressed) to Kinesis or Firehose: `messageType`, `owner`, `logGroup`, `logStream`,
`subscriptionFilters` and `logEvents` (`id`, `timestamp` in ms, `message`), 10 to 120 log events
each, of one log stream. Every 500th payload is a CONTROL_MESSAGE, which carries no log events.
The log groups, as an account's are:
- `/aws/lambda/order-processor`: START, END and REPORT lines, and the function's own JSON log lines
  (level, message, request id, order id, duration);
- `/aws/vpc/flowlogs`: VPC flow records (version 2 layout), one log stream per network interface;
- `aws-cloudtrail-logs-398985017225`: CloudTrail events (compact JSON, as CloudTrail sends them);
- `/ecs/checkout`: an nginx access log in a container, plain text lines.
Each file holds about 50,000 log events. The output depends only on the arguments. With
`--expect FILE` it also writes the number of log events per log group, as JSON, to FILE (outside DIR).
"""

import argparse
import json
import os
import time
from random import Random

ACCOUNT = "398985017225"
START_MS = 1767002400000  # 2025-12-29T10:00:00Z
PER_FILE = 50000
GROUPS = [("/aws/lambda/order-processor", 40), ("/aws/vpc/flowlogs", 30),
          ("aws-cloudtrail-logs-%s" % ACCOUNT, 15), ("/ecs/checkout", 15)]
ENIS = ["eni-0a1b2c3d4e5f60718", "eni-0b2c3d4e5f6071829", "eni-0c3d4e5f607182930"]
EVENT_NAMES = [("s3.amazonaws.com", "GetObject", True), ("sts.amazonaws.com", "AssumeRole", True),
               ("ec2.amazonaws.com", "DescribeInstances", True), ("kms.amazonaws.com", "Decrypt", True),
               ("iam.amazonaws.com", "ListRoles", True), ("lambda.amazonaws.com", "Invoke", False),
               ("dynamodb.amazonaws.com", "PutItem", False), ("signin.amazonaws.com", "ConsoleLogin", False)]
AGENTS = ["aws-sdk-java/2.21.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17", "Boto3/1.34.10 Python/3.11.6",
          "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0", "console.amazonaws.com"]


def hexs(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def uuid(rng):
    h = hexs(rng, 32)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def iso(ms):
    g = time.gmtime(ms // 1000)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec)


def lambda_messages(rng, ms, n):
    out, request = [], None
    for _ in range(n):
        if request is None:
            request = uuid(rng)
            out.append("START RequestId: %s Version: $LATEST\n" % request)
        elif rng.random() < 0.15:
            d = rng.uniform(20, 900)
            out.append("END RequestId: %s\n" % request)
            out.append("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\t"
                       "Max Memory Used: %d MB\t\n" % (request, d, int(d) + 1, rng.randint(90, 200)))
            request = None
        else:
            level = rng.choices(["INFO", "WARN", "ERROR"], [90, 7, 3])[0]
            out.append(json.dumps({"timestamp": iso(ms), "level": level, "requestId": request,
                                   "message": rng.choice(["order accepted", "payment authorised", "stock reserved",
                                                          "retrying payment provider", "order failed"]),
                                   "orderId": "ord-%08d" % rng.randint(0, 99999999),
                                   "durationMs": rng.randint(1, 800)}, separators=(",", ":")))
    return out[:n]


def vpc_messages(rng, ms, n, eni):
    out = []
    for _ in range(n):
        start = ms // 1000 - rng.randint(60, 600)
        action = "REJECT" if rng.random() < 0.12 else "ACCEPT"
        out.append("2 %s %s 10.0.%d.%d %d.%d.%d.%d %d %d 6 %d %d %d %d %s OK" % (
            ACCOUNT, eni, rng.randint(0, 3), rng.randint(1, 254), rng.randint(1, 223), rng.randint(0, 255),
            rng.randint(0, 255), rng.randint(1, 254), rng.randint(1024, 65535), rng.choice([443, 80, 22, 5432, 3389]),
            rng.randint(1, 300), rng.randint(40, 400000), start, start + 60, action))
    return out


def cloudtrail_messages(rng, ms, n):
    out = []
    for _ in range(n):
        source, name, read_only = rng.choice(EVENT_NAMES)
        user = rng.choice(["alice", "bob", "deploy-bot", "ci-runner"])
        ev = {"eventVersion": "1.09",
              "userIdentity": {"type": "IAMUser", "principalId": "AIDA" + hexs(rng, 16).upper(),
                               "arn": "arn:aws:iam::%s:user/%s" % (ACCOUNT, user), "accountId": ACCOUNT,
                               "accessKeyId": "AKIA" + hexs(rng, 16).upper(), "userName": user},
              "eventTime": iso(ms), "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
              "sourceIPAddress": "%d.%d.%d.%d" % (rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255),
                                                  rng.randint(1, 254)),
              "userAgent": rng.choice(AGENTS), "requestParameters": {"key": "k-%d" % rng.randint(0, 9999)},
              "responseElements": None, "requestID": uuid(rng), "eventID": uuid(rng), "readOnly": read_only,
              "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
              "eventCategory": "Management"}
        out.append(json.dumps(ev, separators=(",", ":")))
    return out


def ecs_messages(rng, ms, n):
    out = []
    for _ in range(n):
        g = time.gmtime(ms // 1000)
        out.append('10.0.%d.%d - - [%02d/Dec/%04d:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" %d %d "-" "%s"' % (
            rng.randint(0, 3), rng.randint(1, 254), g.tm_mday, g.tm_year, g.tm_hour, g.tm_min, g.tm_sec,
            rng.choice(["GET", "GET", "POST"]), rng.choice(["/checkout", "/cart", "/api/pay", "/healthz"]),
            rng.choice([200, 200, 200, 302, 404, 500]), rng.randint(100, 20000),
            rng.choice(["Mozilla/5.0", "ELB-HealthChecker/2.0", "okhttp/4.12.0"])))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--expect", help="write the log events per log group to this JSON file")
    args = ap.parse_args()
    rng = Random(args.seed)
    folder = os.path.join(args.out, "cloudwatch")
    os.makedirs(folder, exist_ok=True)
    ms, written, payloads, file_no, in_file = START_MS, 0, 0, 0, 0
    counts = {g: 0 for g, _ in GROUPS}
    out = open(os.path.join(folder, "payloads-%03d.ndjson" % file_no), "w", newline="\n")
    while written < args.events:
        payloads += 1
        if payloads % 500 == 0:
            out.write(json.dumps({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs",
                                  "logGroup": "", "logStream": "", "subscriptionFilters": [],
                                  "logEvents": [{"id": "", "timestamp": ms,
                                                 "message": "CWL CONTROL MESSAGE: Checking health of destination "
                                                            "Firehose."}]}, separators=(",", ":")) + "\n")
            continue
        group = rng.choices([g for g, _ in GROUPS], [w for _, w in GROUPS])[0]
        n = min(rng.randint(10, 120), args.events - written)
        if group.startswith("/aws/lambda"):
            stream = "2025/12/29/[$LATEST]%s" % hexs(rng, 32)
            messages = lambda_messages(rng, ms, n)
        elif group == "/aws/vpc/flowlogs":
            stream = rng.choice(ENIS) + "-all"
            messages = vpc_messages(rng, ms, n, stream[:-4])
        elif group.startswith("aws-cloudtrail"):
            stream = "%s_CloudTrail_us-east-1" % ACCOUNT
            messages = cloudtrail_messages(rng, ms, n)
        else:
            stream = "nginx/checkout/%s" % hexs(rng, 32)
            messages = ecs_messages(rng, ms, n)
        events = []
        for m in messages:
            ms += rng.randint(0, 40)
            events.append({"id": str(rng.getrandbits(120)).zfill(56)[:56], "timestamp": ms, "message": m})
        out.write(json.dumps({"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": group, "logStream": stream,
                              "subscriptionFilters": ["to-firehose"], "logEvents": events},
                             separators=(",", ":")) + "\n")
        written += len(events)
        counts[group] += len(events)
        in_file += len(events)
        if in_file >= PER_FILE and written < args.events:
            out.close()
            file_no += 1
            in_file = 0
            out = open(os.path.join(folder, "payloads-%03d.ndjson" % file_no), "w", newline="\n")
    out.close()
    if args.expect:
        json.dump(counts, open(args.expect, "w"), indent=1)


if __name__ == "__main__":
    main()
