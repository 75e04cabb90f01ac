#!/usr/bin/env python3
"""Deterministic generator of realistic AWS VPC flow log files (Python 3 standard library only).

    python3 testdata/gen_vpcflow.py --records 300 --seed 1 --out DIR

Writes, as AWS delivers flow logs to S3 (a header line, then one record a line):
  DIR/AWSLogs/<account>/vpcflowlogs/us-east-1/2025/12/29/<account>_vpcflowlogs_us-east-1_fl-..._v2.log
      the default version 2 layout (14 fields);
  DIR/AWSLogs/<account>/vpcflowlogs/us-east-1/2025/12/29/<account>_vpcflowlogs_us-east-1_fl-..._custom.log
      a custom layout (vpc-id, subnet-id, instance-id, tcp-flags, type, pkt-srcaddr, pkt-dstaddr,
      flow-direction) in another field order.
The traffic: internet scanners probing 22, 3389, 23 and 445 and being rejected, accepted HTTPS to a
web server, the server's outbound HTTPS and DNS, SSH from one admin address (accepted), IPv6
flows, and NODATA / SKIPDATA records (every field "-" but the account, interface and times).
The output depends only on the arguments.
"""

import argparse
import os
from random import Random

ACCOUNT = "398985017225"
ENI_WEB = "eni-0a1b2c3d4e5f60718"
ENI_DB = "eni-0f9e8d7c6b5a40312"
VPC = "vpc-0c1d2e3f4a5b6c7d8"
SUBNET = "subnet-04a5b6c7d8e9f0a1b"
INSTANCE_WEB = "i-0123456789abcdef0"
WEB_IP = "10.0.1.25"
DB_IP = "10.0.2.40"
ADMIN_IP = "203.0.113.77"
SCANNERS = ["45.155.205.233", "89.248.165.164", "167.248.133.66", "193.163.125.17", "162.142.125.221"]
CLIENTS = ["198.51.100.23", "198.51.100.87", "192.0.2.141", "203.0.113.5", "100.24.13.9"]
START = 1767002400  # 2025-12-29T10:00:00Z

V2_HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
CUSTOM_FIELDS = ["version", "vpc-id", "subnet-id", "instance-id", "interface-id", "account-id", "type", "srcaddr",
                 "dstaddr", "srcport", "dstport", "pkt-srcaddr", "pkt-dstaddr", "protocol", "bytes", "packets",
                 "start", "end", "action", "tcp-flags", "log-status", "flow-direction"]


def flow(rng, t):
    """One flow as a dict of AWS field names."""
    kind = rng.choices(["scan", "https_in", "https_out", "dns", "ssh_admin", "db", "ipv6", "nodata"],
                       [30, 25, 12, 8, 5, 10, 5, 5])[0]
    start = t
    end = t + rng.randint(5, 60)
    f = {"version": "2", "account-id": ACCOUNT, "interface-id": ENI_WEB, "start": str(start), "end": str(end),
         "log-status": "OK", "type": "IPv4", "tcp-flags": "2", "flow-direction": "ingress"}
    if kind == "scan":
        port = rng.choice(["22", "3389", "23", "445", "22", "3389"])
        f.update(srcaddr=rng.choice(SCANNERS), dstaddr=WEB_IP, srcport=str(rng.randint(1024, 65535)), dstport=port,
                 protocol="6", packets="1", bytes=str(rng.choice([40, 44, 60])), action="REJECT")
    elif kind == "https_in":
        packets = rng.randint(5, 400)
        f.update(srcaddr=rng.choice(CLIENTS), dstaddr=WEB_IP, srcport=str(rng.randint(1024, 65535)), dstport="443",
                 protocol="6", packets=str(packets), bytes=str(packets * rng.randint(60, 1400)), action="ACCEPT",
                 **{"tcp-flags": "19"})
    elif kind == "https_out":
        packets = rng.randint(5, 200)
        f.update(srcaddr=WEB_IP, dstaddr=rng.choice(["52.94.236.248", "54.239.28.85", "3.5.140.2"]),
                 srcport=str(rng.randint(32768, 60999)), dstport="443", protocol="6", packets=str(packets),
                 bytes=str(packets * rng.randint(60, 1400)), action="ACCEPT", **{"flow-direction": "egress"})
    elif kind == "dns":
        f.update(srcaddr=WEB_IP, dstaddr="10.0.0.2", srcport=str(rng.randint(32768, 60999)), dstport="53",
                 protocol="17", packets="1", bytes=str(rng.randint(60, 120)), action="ACCEPT",
                 **{"flow-direction": "egress", "tcp-flags": "0"})
    elif kind == "ssh_admin":
        packets = rng.randint(20, 900)
        f.update(srcaddr=ADMIN_IP, dstaddr=WEB_IP, srcport=str(rng.randint(1024, 65535)), dstport="22",
                 protocol="6", packets=str(packets), bytes=str(packets * rng.randint(80, 300)), action="ACCEPT")
    elif kind == "db":
        packets = rng.randint(4, 60)
        f.update(**{"interface-id": ENI_DB}, srcaddr=WEB_IP, dstaddr=DB_IP, srcport=str(rng.randint(32768, 60999)),
                 dstport="5432", protocol="6", packets=str(packets), bytes=str(packets * rng.randint(100, 900)),
                 action="ACCEPT")
    elif kind == "ipv6":
        f.update(srcaddr="2001:db8:1234:a100:8d6e:3477:df66:f105", dstaddr="2001:db8:1234:a102:3304:8879:34cf:4071",
                 srcport=str(rng.randint(1024, 65535)), dstport="443", protocol="6", packets=str(rng.randint(3, 50)),
                 bytes=str(rng.randint(300, 20000)), action=rng.choice(["ACCEPT", "REJECT"]), type="IPv6")
    else:
        f.update({"log-status": rng.choice(["NODATA", "NODATA", "SKIPDATA"])})
    f.update({"vpc-id": VPC, "subnet-id": SUBNET})
    if f["interface-id"] == ENI_WEB:
        f["instance-id"] = INSTANCE_WEB
    f.setdefault("pkt-srcaddr", f.get("srcaddr", "-"))
    f.setdefault("pkt-dstaddr", f.get("dstaddr", "-"))
    if f["log-status"] != "OK":
        f["tcp-flags"] = "-"
        f["type"] = "-"
        f["flow-direction"] = "-"
    return f


def line(fields, names):
    return " ".join(fields.get(n, "-") for n in names)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = Random(args.seed)
    folder = os.path.join(args.out, "AWSLogs", ACCOUNT, "vpcflowlogs", "us-east-1", "2025", "12", "29")
    os.makedirs(folder, exist_ok=True)
    v2_names = V2_HEADER.split()
    v2, custom = [V2_HEADER], [" ".join(CUSTOM_FIELDS)]
    t = START
    for i in range(args.records):
        t += rng.randint(0, 20)
        f = flow(rng, t)
        if i % 3 == 2:
            f["version"] = "5"
            custom.append(line(f, CUSTOM_FIELDS))
        else:
            v2.append(line(f, v2_names))
    base = f"{ACCOUNT}_vpcflowlogs_us-east-1_fl-0b1c2d3e4f5a6b7c8_20251229T1000Z"
    for suffix, lines in (("v2", v2), ("custom", custom)):
        with open(os.path.join(folder, f"{base}_{suffix}.log"), "w", newline="\n") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
