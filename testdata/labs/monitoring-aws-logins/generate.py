#!/usr/bin/env python3
"""Lab "monitoring-aws-logins": four small CloudTrail indexes (task3 to task6, as the TryHackMe room has
them), each a few days of one account with one story about identities.

    python3 testdata/labs/monitoring-aws-logins/generate.py --out DIR

- task3: console sign-ins. lena.vogt forgets her password (failures, then a success, never MFA);
  rahul.iyer signs in without MFA; everyone else uses MFA.
- task4: marco.silva's long-term access key leaks; from a Kali host it lists, downloads and deletes the
  files of an HR bucket and leaves a ransom note. The console users work mostly in SageMaker.
- task5: roles. An EC2 instance works as InvoiceRenderer; chen.wei assumes PartnerSupport-APAC with a
  session name of their own.
- task6: a log forwarder calls with the root user's access key, created on the second day.
The answers are in lab.yml. The output depends only on --seed.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import labgen  # noqa: E402
from labgen import epoch  # noqa: E402

ACCOUNT = "482915306127"
PEOPLE = (("lena.vogt", "87.123.45.19", labgen.UA_CHROME), ("rahul.iyer", "49.37.211.8", labgen.UA_SAFARI),
          ("ines.moreau", "90.45.12.201", labgen.UA_FIREFOX), ("tom.hughes", "81.101.33.7", labgen.UA_CHROME),
          ("yuki.mori", "126.22.48.90", labgen.UA_SAFARI), ("chen.wei", "101.88.20.14", labgen.UA_CHROME),
          ("marco.silva", "79.35.118.62", labgen.UA_FIREFOX), ("ana.costa", "94.61.7.133", labgen.UA_CHROME))
BUCKETS = ["hr-payroll-archive", "analytics-exports-" + ACCOUNT, "ml-training-data-" + ACCOUNT]
MARCO_KEY = "AKIAXB4ZKQ7MRT2VNE5L"
INSTANCES = ["i-0f3a9c27d81e4b562", "i-07c1e5a93bd2f4068", "i-0a8d6f2e4c91b7350"]


def cast(lab):
    consoles, keys = {}, {}
    for name, ip, ua in PEOPLE:
        consoles[name], keys[name] = lab.user(name, (ip,), (ua, labgen.UA_CLI), mfa=name not in ("lena.vogt",
                                                                                               "rahul.iyer"))
    keys["marco.silva"].key = MARCO_KEY
    return consoles, keys


def task3(seed):
    lab = labgen.Lab(seed, "2026-11-02T00:00:00Z", 5, ACCOUNT)
    r = lab.r
    consoles, keys = cast(lab)
    for day in range(5):
        for name, p in consoles.items():
            forgets = name == "lena.vogt" and day == 2
            if r.random() < 0.2 and not forgets:
                continue
            t = lab.start + day * 86400 + r.randrange(7 * 3600, 10 * 3600)
            if forgets:
                for k in range(9):
                    lab.console_login(t + 40 * k, p, success=False)
                t += 9 * 40 + 300
            elif name in ("tom.hughes", "ines.moreau") and r.random() < 0.3:
                lab.console_login(t - 60, p, success=False)
            lab.console_login(t, p)
    # Sign-in attempts for names that do not exist, from a scanner.
    for k, name in enumerate(("admin", "administrator", "test")):
        lab.console_login(epoch("2026-11-04T23:10:00Z") + 11 * k,
                          labgen.Principal("console", name, ACCOUNT, ("45.141.84.20",), (labgen.UA_FIREFOX,)),
                          success=False, reason="No username found in supplied account")
    lab.noise(470, list(consoles.values()) + [keys["chen.wei"], keys["tom.hughes"]], BUCKETS[1:], INSTANCES)
    return lab


def task4(seed):
    lab = labgen.Lab(seed, "2026-11-10T00:00:00Z", 1, ACCOUNT)
    r = lab.r
    consoles, keys = cast(lab)
    ci = labgen.Principal("user", "ci-runner", ACCOUNT, ("3.92.14.201",), (labgen.UA_TERRAFORM,), key=lab.key_id("AKIA"))
    for name in ("marco.silva", "yuki.mori", "ana.costa", "chen.wei"):
        lab.console_login(lab.start + r.randrange(7 * 3600, 9 * 3600), consoles[name])
    scientists = [consoles["yuki.mori"], consoles["ana.costa"], consoles["chen.wei"]]
    for _ in range(48):
        name = r.choice(("ListTrainingJobs", "DescribeTrainingJob", "ListNotebookInstances", "CreatePresignedNotebookInstanceUrl",
                         "DescribeEndpoint", "ListModels"))
        lab.record(lab.business_time(), r.choice(scientists), "sagemaker.amazonaws.com", name,
                   {"maxResults": 50} if name.startswith("List") else {"name": "churn-model-v%d" % r.randrange(1, 4)},
                   None, ro=not name.startswith("Create"))
    for _ in range(14):
        lab.record(lab.business_time(), consoles["marco.silva"], "ec2.amazonaws.com", "DescribeInstances",
                   {"instancesSet": {}, "filterSet": {}}, None)
    for _ in range(10):
        lab.record(lab.business_time(), r.choice(scientists), "s3.amazonaws.com", "ListBuckets",
                   {"Host": "s3.amazonaws.com"}, None)
    for _ in range(22):
        lab.record(lab.business_time(), ci, r.choice(("ecr.amazonaws.com", "ecs.amazonaws.com")),
                   r.choice(("GetAuthorizationToken", "DescribeServices", "UpdateService")), None, None)
    for _ in range(8):
        lab.record(lab.business_time(), lab.service("ec2.amazonaws.com"), "kms.amazonaws.com", "Decrypt",
                   {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, None)
    # The leaked key.
    thief = keys["marco.silva"]
    ip, ua = "193.189.100.203", labgen.UA_KALI
    t = epoch("2026-11-10T19:41:07Z")
    lab.record(t, thief, "sts.amazonaws.com", "GetCallerIdentity", None, None, ip=ip, ua=ua)
    lab.record(t + 12, thief, "s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}, None, ip=ip, ua=ua)
    lab.record(t + 30, thief, "s3.amazonaws.com", "ListObjects",
               {"bucketName": BUCKETS[0], "Host": "%s.s3.amazonaws.com" % BUCKETS[0], "prefix": ""}, None,
               ip=ip, ua=ua, data=True)
    files = ["payroll/2026-%02d/payslips-%s.pdf" % (m, team) for m in range(1, 10) for team in ("eu", "us")]
    for k, key in enumerate(files):
        lab.s3_object(t + 60 + 9 * k, thief, "GetObject", BUCKETS[0], key, size=r.randrange(90000, 800000),
                      ip=ip, ua=ua)
    for k, key in enumerate(files):
        lab.s3_object(t + 400 + 4 * k, thief, "DeleteObject", BUCKETS[0], key, ip=ip, ua=ua)
    lab.s3_object(t + 520, thief, "PutObject", BUCKETS[0], "RESTORE-YOUR-FILES.txt", size=1214, ip=ip, ua=ua)
    return lab


def task5(seed):
    lab = labgen.Lab(seed, "2026-11-17T00:00:00Z", 1, ACCOUNT)
    r = lab.r
    consoles, keys = cast(lab)
    ec2 = lab.service("ec2.amazonaws.com")
    renderer = lab.role_session("InvoiceRenderer", INSTANCES[0], ("52.90.44.171",), (labgen.UA_BOTO3,))
    others = [lab.role_session("MetricsAgent", iid, (ip,), (labgen.UA_BOTO3,))
              for iid, ip in ((INSTANCES[1], "54.210.9.33"), (INSTANCES[2], "3.85.201.60"))]
    for role, session in (("InvoiceRenderer", INSTANCES[0]), ("MetricsAgent", INSTANCES[1]),
                          ("MetricsAgent", INSTANCES[2])):
        lab.record(lab.start + 3600 + r.randrange(600), ec2, "sts.amazonaws.com", "AssumeRole",
                   {"roleArn": "arn:aws:iam::%s:role/%s" % (ACCOUNT, role), "roleSessionName": session,
                    "durationSeconds": 3600},
                   {"credentials": {"accessKeyId": lab.key_id("ASIA"), "expiration": "Nov 17, 2026, 2:00:00 AM",
                                    "sessionToken": "<redacted>"},
                    "assumedRoleUser": {"assumedRoleId": "%s:%s" % (lab.principal_id("role/" + role, "AROA"),
                                                                    session),
                                        "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role, session)}})
    for _ in range(16):
        lab.s3_object(lab.business_time(), renderer, "PutObject", "invoices-" + ACCOUNT,
                      "2026/11/INV-%06d.pdf" % r.randrange(10 ** 6), size=r.randrange(20000, 90000))
    for _ in range(18):
        lab.record(lab.business_time(), r.choice(others), "monitoring.amazonaws.com", "PutMetricData",
                   {"namespace": "CWAgent"}, None, ro=False)
    for name, role, session in (("tom.hughes", "ReadOnlyAuditor", "tom.hughes"),
                                ("chen.wei", "PartnerSupport-APAC", "night-shift"),
                                ("ines.moreau", "BillingViewer", "ines.moreau")):
        t = lab.business_time() if name != "chen.wei" else epoch("2026-11-17T22:04:51Z")
        caller = keys[name]
        lab.record(t, caller, "sts.amazonaws.com", "AssumeRole",
                   {"roleArn": "arn:aws:iam::%s:role/%s" % (ACCOUNT, role), "roleSessionName": session},
                   {"credentials": {"accessKeyId": lab.key_id("ASIA"), "expiration": "Nov 17, 2026, 11:04:51 PM",
                                    "sessionToken": "<redacted>"},
                    "assumedRoleUser": {"assumedRoleId": "%s:%s" % (lab.principal_id("role/" + role, "AROA"), session),
                                        "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role, session)}},
                   resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role",
                               "ARN": "arn:aws:iam::%s:role/%s" % (ACCOUNT, role)}])
        sess = lab.role_session(role, session, caller.ips, (labgen.UA_CLI,))
        for k in range(6 if name == "chen.wei" else 3):
            lab.record(t + 30 + 20 * k, sess, "ec2.amazonaws.com" if k % 2 else "s3.amazonaws.com",
                       "DescribeInstances" if k % 2 else "ListBuckets", None, None)
    lab.noise(10, list(consoles.values()), BUCKETS[1:], INSTANCES)
    return lab


def task6(seed):
    lab = labgen.Lab(seed, "2026-11-23T00:00:00Z", 3, ACCOUNT)
    r = lab.r
    consoles, keys = cast(lab)
    admin = consoles["tom.hughes"]
    root_console = lab.root(("81.101.33.7",), (labgen.UA_CHROME,))
    t = epoch("2026-11-24T18:40:12Z")
    lab.console_login(t, root_console, mfa=True)
    root_key = lab.key_id("AKIA")
    lab.record(t + 115, root_console, "iam.amazonaws.com", "CreateAccessKey", None,
               {"accessKey": {"accessKeyId": root_key, "status": "Active", "createDate": "Nov 24, 2026, 6:42:07 PM"}},
               ro=False)
    forwarder = lab.root(("18.204.77.12",), (labgen.UA_SIEM,), key=root_key)
    tt = epoch("2026-11-24T19:00:00Z")
    while tt < lab.end:
        for name, src in (("LookupEvents", "cloudtrail.amazonaws.com"), ("DescribeTrails", "cloudtrail.amazonaws.com"),
                          ("ListBuckets", "s3.amazonaws.com")):
            lab.record(tt + r.randrange(60), forwarder, src, name, None, None)
        tt += 1800
    for name in ("ines.moreau", "ana.costa"):
        lab.record(lab.business_time(), admin, "iam.amazonaws.com", "CreateAccessKey", {"userName": name},
                   {"accessKey": {"accessKeyId": lab.key_id("AKIA"), "status": "Active", "userName": name,
                                  "createDate": "Nov 23, 2026, 10:15:00 AM"}}, ro=False)
    lab.noise(150, list(consoles.values()) + [keys["chen.wei"]], BUCKETS[1:], INSTANCES)
    return lab


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261102)
    args = ap.parse_args()
    for k, make in enumerate((task3, task4, task5, task6)):
        lab = make(args.seed + k)
        labgen.write_cloudtrail_tree(lab.sorted_events(), os.path.join(args.out, "task%d" % (k + 3)), ACCOUNT)


if __name__ == "__main__":
    main()
