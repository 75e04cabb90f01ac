#!/usr/bin/env python3
"""The answers of the labs' tasks, computed in plain Python over the generated files: no SPL, no
cairn, no lab.yml. Each function reads what an analyst would look at (the CloudTrail records, the
CloudFront lines, the GuardDuty findings) and returns the answer as text, or raises Ambiguous when
the data has more than one candidate (a generator bug the labs must not ship).

    python3 tests/labs/lab_oracle.py --lab aws-security-logging --data build/labs/aws-security-logging
"""

import argparse
import glob
import gzip
import json
import os
import sys
from collections import Counter


class Ambiguous(Exception):
    pass


def one(values, what):
    values = sorted(set(values))
    if len(values) != 1:
        raise Ambiguous("%s: %d candidates %s" % (what, len(values), values[:5]))
    return values[0]


def cloudtrail(path):
    """Every record under `path` (a folder of .json.gz or a .json file with Records)."""
    files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "**", "*.json*"), recursive=True))
    out = []
    for f in files:
        data = open(f, "rb").read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        out.extend(json.loads(data)["Records"])
    return out


def get(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def cloudfront(path):
    rows, names = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#Fields:"):
            names = line.split()[1:]
        elif line and not line.startswith("#"):
            rows.append(dict(zip(names, line.split("\t"))))
    return rows


def aws_security_logging(d):
    mgmt = cloudtrail(os.path.join(d, "cloudtrail"))
    data = cloudtrail(os.path.join(d, "s3.json"))
    cf = cloudfront(os.path.join(d, "cloudfront.log"))
    gd = json.load(open(os.path.join(d, "guardduty.json")))
    user = "daniel.okafor"
    logins = [e for e in mgmt if e["eventName"] == "ConsoleLogin" and get(e, "userIdentity.userName") == user]
    usual = Counter(e["sourceIPAddress"] for e in logins).most_common(1)[0][0]
    odd = [e for e in logins if e["sourceIPAddress"] != usual and e["responseElements"]["ConsoleLogin"] == "Success"]
    ip = one([e["sourceIPAddress"] for e in odd], "odd login")
    login = odd[0]
    after = [e for e in mgmt if e["eventName"] == "CreateBucket" and e["eventTime"] >= login["eventTime"]]
    anomalous = [f for f in gd if f["Type"] == "Discovery:IAMUser/AnomalousBehavior"]
    malware = [f for f in gd if f["Type"].startswith("Execution:EC2/")]
    paths = [p["NestedItemPath"] for f in malware for t in f["Service"]["Action"]["MalwareScanDetails"]["Threats"]
             for p in t["ItemPaths"]]
    miner = one([f["Resource"]["InstanceDetails"]["InstanceId"] for f in malware], "infected instance")
    dns = [f["Service"]["Action"]["DnsRequestAction"]["Domain"] for f in gd
           if "bitcoin" in json.dumps(f).lower() and f["Resource"]["InstanceDetails"]["InstanceId"] == miner]
    launched = [e for e in mgmt if e["eventName"] == "RunInstances" and
                miner in [i["instanceId"] for i in e["responseElements"]["instancesSet"]["items"]]]
    ports = [get(e, "requestParameters.ModifySecurityGroupRulesRequest.SecurityGroupRule.SecurityGroupRule.ToPort")
             for e in mgmt if e["eventName"] == "ModifySecurityGroupRules" and e["sourceIPAddress"] == ip]
    admin = [r["c-ip"] for r in cf if r["cs-uri-stem"].startswith("/admin/") and r["sc-status"] == "200"]
    searchers = {r["c-ip"] for r in cf if r["cs-uri-stem"] == "/search" and "kayak" in r["cs-uri-query"].split("&")[0]
                 .replace("q=", "").split("+")}
    website = {e["requestParameters"]["bucketName"] for e in data if e["eventName"] == "GetObject" and
               e["requestParameters"]["bucketName"].startswith("shop-assets-")}
    odd_reads = [e for e in data if e["eventName"] == "GetObject" and e["requestParameters"]["bucketName"] not in website]
    reader = one([e["sourceIPAddress"] for e in odd_reads], "odd reader")
    named = [f["Type"] for f in gd if reader in json.dumps(f)]
    return {
        1: ip,
        2: one([login["recipientAccountId"]], "account"),
        3: one([e["requestParameters"]["bucketName"] for e in after], "new bucket"),
        4: one([f["Service"]["Action"]["AwsApiCallAction"]["RemoteIpDetails"]["Organization"]["Isp"]
                for f in anomalous], "VPN"),
        5: one(paths, "malware path"),
        6: one(dns, "mining domain"),
        7: one([e["userIdentity"]["arn"] for e in launched], "launcher"),
        8: ", ".join(str(p) for p in sorted(ports)),
        9: one(admin, "admin IP"),
        10: str(len(searchers)),
        11: one([e["requestParameters"]["key"] for e in odd_reads], "odd object"),
        12: one(named, "finding naming the reader"),
    }


def monitoring_aws_logins(d):
    t3, t4, t5, t6 = (cloudtrail(os.path.join(d, "task%d" % k)) for k in range(3, 7))
    fails = [e for e in t3 if e["eventName"] == "ConsoleLogin" and get(e, "userIdentity.userName") == "lena.vogt"
             and e["responseElements"]["ConsoleLogin"] == "Failure"]
    no_mfa = {get(e, "userIdentity.userName") for e in t3 if e["eventName"] == "ConsoleLogin"
              and e["responseElements"]["ConsoleLogin"] == "Success" and e["additionalEventData"]["MFAUsed"] == "No"}
    attacker_ua = [e for e in t4 if get(e, "userIdentity.userName") == "marco.silva"
                   and (get(e, "userIdentity.accessKeyId") or "").startswith("AKIA") and "kali" in e["userAgent"]]
    key = one([e["userIdentity"]["accessKeyId"] for e in attacker_ua], "leaked key")
    by_key = [e for e in t4 if get(e, "userIdentity.accessKeyId") == key]
    buckets = [get(e, "requestParameters.bucketName") for e in by_key if e["eventSource"] == "s3.amazonaws.com"
               and get(e, "requestParameters.bucketName")]
    bucket = one(buckets, "bucket")
    got = {e["requestParameters"]["key"] for e in by_key if e["eventName"] == "GetObject"}
    deleted = {e["requestParameters"]["key"] for e in by_key if e["eventName"] == "DeleteObject"}
    puts = sorted((e["eventTime"], e["requestParameters"]["key"]) for e in by_key if e["eventName"] == "PutObject")
    services = Counter(e["eventSource"] for e in t4 if not (get(e, "userIdentity.accessKeyId") or "").startswith("AKIA"))
    top = services.most_common(2)
    if top[0][1] == top[1][1]:
        raise Ambiguous("most used service: a tie %s" % top)
    renderer = [e["userIdentity"]["arn"].rsplit("/", 1)[1] for e in t5
                if "/InvoiceRenderer/" in (get(e, "userIdentity.arn") or "")]
    partner = [e for e in t5 if e["eventName"] == "AssumeRole" and
               e["requestParameters"]["roleArn"].endswith(":role/PartnerSupport-APAC")]
    forwarder = [e["userIdentity"]["arn"] for e in t6 if "log-forwarder" in e["userAgent"]]
    root_arn = one(forwarder, "forwarder ARN")
    used_keys = {get(e, "userIdentity.accessKeyId") for e in t6 if "log-forwarder" in e["userAgent"]}
    created = [e["eventTime"] for e in t6 if e["eventName"] == "CreateAccessKey"
               and get(e, "responseElements.accessKey.accessKeyId") in used_keys]
    return {
        1: str(len(fails)),
        2: one(no_mfa - {"lena.vogt"}, "other user without MFA"),
        3: key,
        4: bucket,
        5: str(one([len(got & deleted)], "files")),
        6: puts[-1][1],
        7: {"sagemaker.amazonaws.com": "Amazon SageMaker"}.get(top[0][0], top[0][0]),
        8: one(renderer, "instance"),
        9: one([e["requestParameters"]["roleSessionName"] for e in partner], "session name"),
        10: one([get(e, "userIdentity.userName") for e in partner], "assumer"),
        11: root_arn,
        12: one(created, "key creation").replace("T", " ").rstrip("Z"),
    }


def iam_changes(d):
    ct = cloudtrail(os.path.join(d, "cloudtrail"))
    inline = [e for e in ct if e["eventName"] in ("PutUserPolicy", "PutRolePolicy", "PutGroupPolicy")]
    everything = [e for e in inline if any(s["Action"] in ("*", ["*"]) for s in
                                           json.loads(e["requestParameters"]["policyDocument"])["Statement"])]
    admin = [e["requestParameters"]["userName"] for e in ct if e["eventName"] == "AttachUserPolicy"
             and e["requestParameters"]["policyArn"].endswith("/AdministratorAccess")
             and e["requestParameters"]["userName"].startswith("intern.")]
    removed = {e["requestParameters"]["userName"]: e["eventTime"] for e in ct if e["eventName"] == "DeactivateMFADevice"}
    enabled = {e["requestParameters"]["userName"]: e["eventTime"] for e in ct if e["eventName"] == "EnableMFADevice"}
    lost = [u for u, t in removed.items() if not (u in enabled and enabled[u] >= t)]
    tor = [e for e in ct if e["sourceIPAddress"] == "185.220.101.44"]
    key = one([get(e, "userIdentity.accessKeyId") for e in tor], "key from Tor")
    created = [e["eventTime"] for e in ct if e["eventName"] == "CreateAccessKey"
               and get(e, "responseElements.accessKey.accessKeyId") == key]
    stopped = [e["requestParameters"]["name"].rsplit("/", 1)[-1] for e in tor if e["eventName"] == "StopLogging"]
    made = [e["requestParameters"]["userName"] for e in tor if e["eventName"] == "CreateUser"]
    return {
        1: one([get(e, "requestParameters.userName") for e in everything], "inline admin policy"),
        2: one(admin, "intern"),
        3: one(lost, "MFA not replaced"),
        4: key,
        5: one(created, "key creation").replace("T", " ").rstrip("Z"),
        6: one(stopped, "trail"),
        7: one(made, "backdoor user"),
    }


ORACLES = {"aws-security-logging": aws_security_logging, "monitoring-aws-logins": monitoring_aws_logins,
           "iam-changes": iam_changes}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lab", required=True, choices=sorted(ORACLES))
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    for n, answer in sorted(ORACLES[args.lab](args.data).items()):
        print("%d\t%s" % (n, answer))


if __name__ == "__main__":
    sys.exit(main())
