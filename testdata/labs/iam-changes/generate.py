#!/usr/bin/env python3
"""Lab "iam-changes": a week of IAM changes in account 517340928861, after the IAM-change table of the
"AWS Security Logging" notes (policy changes, attachments and group membership, MFA removal, access
keys), plus CloudTrail tampering.

    python3 testdata/labs/iam-changes/generate.py --out DIR

The storyline (answers in lab.yml): the admins make ordinary changes all week; an inline policy named
like a read-only S3 policy grants every action; an intern is given AdministratorAccess directly; three
people lose their MFA device, two register a new one at once, one does not; an access key created for a
service user is used an hour later from a Tor exit, which stops the audit trail and then creates a
backdoor user. The output depends only on --seed.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import labgen  # noqa: E402
from labgen import epoch  # noqa: E402

ACCOUNT = "517340928861"
TOR_IP = "185.220.101.44"
LEAKED_KEY = "AKIAVQ2M7XKD4HBN3RCE"


def policy(actions, resource="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": resource}]}, separators=(",", ":"))


def build(seed):
    lab = labgen.Lab(seed, "2026-09-21T00:00:00Z", 5, ACCOUNT, region="eu-central-1")
    r = lab.r
    people = {}
    for name, ip, ua in (("tomasz.nowak", "83.24.112.9", labgen.UA_CHROME),
                         ("olga.petrova", "95.165.3.77", labgen.UA_FIREFOX),
                         ("sam.okoye", "102.89.40.16", labgen.UA_SAFARI),
                         ("julia.wagner", "84.150.61.3", labgen.UA_CHROME),
                         ("intern.jakob", "84.150.61.90", labgen.UA_CHROME),
                         ("min.park", "211.36.140.2", labgen.UA_SAFARI)):
        people[name] = lab.user(name, (ip,), (ua, labgen.UA_CLI))
    admin_c, admin_k = people["tomasz.nowak"]
    julia_c, _ = people["julia.wagner"]
    tf = labgen.Principal("user", "terraform", ACCOUNT, ("18.197.40.2",), (labgen.UA_TERRAFORM,),
                          key=lab.key_id("AKIA"))
    for day in range(5):
        for name, (c, _) in people.items():
            if r.random() < 0.2:
                continue
            lab.console_login(lab.start + day * 86400 + r.randrange(6 * 3600, 9 * 3600), c)
    actors = [c for c, _ in people.values()] + [k for _, k in people.values()] + [tf]
    lab.noise(1850, actors, ["app-config-" + ACCOUNT, "backups-" + ACCOUNT], ["i-0b31c7e9a2d45f861"])

    def iam(t, who, name, req, resp=None):
        return lab.record(t, who, "iam.amazonaws.com", name, req, resp, ro=False, region="us-east-1")

    # Ordinary changes.
    for k, (user, grp) in enumerate((("min.park", "Developers"), ("sam.okoye", "Developers"),
                                     ("intern.jakob", "Interns"))):
        iam(lab.start + 86400 * k + 11 * 3600, admin_c, "AddUserToGroup", {"groupName": grp, "userName": user})
    for k, (role, pol) in enumerate((("ecs-task-web", "AmazonS3ReadOnlyAccess"),
                                     ("lambda-thumbnailer", "AWSLambdaBasicExecutionRole"),
                                     ("ci-deploy", "AmazonEC2ContainerRegistryPowerUser"))):
        iam(lab.start + 86400 * k + 15 * 3600, tf, "AttachRolePolicy",
            {"roleName": role, "policyArn": "arn:aws:iam::aws:policy/" + pol})
    iam(lab.start + 2 * 86400 + 10 * 3600, julia_c, "PutRolePolicy",
        {"roleName": "ecs-task-web", "policyName": "read-app-config",
         "policyDocument": policy(["s3:GetObject"], "arn:aws:s3:::app-config-%s/*" % ACCOUNT)})
    iam(lab.start + 3 * 86400 + 10 * 3600, julia_c, "PutGroupPolicy",
        {"groupName": "Developers", "policyName": "logs-read",
         "policyDocument": policy(["logs:Get*", "logs:Describe*", "logs:FilterLogEvents"])})
    # The misleading inline policy and the intern's admin rights.
    iam(epoch("2026-09-22T16:20:44Z"), admin_c, "PutUserPolicy",
        {"userName": "svc-reports", "policyName": "s3-read-reports", "policyDocument": policy("*")})
    iam(epoch("2026-09-23T09:02:15Z"), admin_c, "AttachUserPolicy",
        {"userName": "intern.jakob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    # MFA removals: two replaced at once, one not.
    for name, at, replaced in (("sam.okoye", "2026-09-21T13:05:10Z", True),
                               ("olga.petrova", "2026-09-24T17:48:31Z", False),
                               ("min.park", "2026-09-25T08:30:02Z", True)):
        t = epoch(at)
        c = people[name][0]
        serial = "arn:aws:iam::%s:mfa/%s" % (ACCOUNT, name)
        iam(t, c, "DeactivateMFADevice", {"userName": name, "serialNumber": serial})
        iam(t + 20, c, "DeleteVirtualMFADevice", {"serialNumber": serial})
        if replaced:
            iam(t + 95, c, "CreateVirtualMFADevice", {"virtualMFADeviceName": name, "path": "/"},
                {"virtualMFADevice": {"serialNumber": serial}})
            iam(t + 130, c, "EnableMFADevice", {"userName": name, "serialNumber": serial})
    # The leaked key and what it did.
    t = epoch("2026-09-24T10:12:38Z")
    iam(t, admin_c, "CreateAccessKey", {"userName": "svc-reports"},
        {"accessKey": {"accessKeyId": LEAKED_KEY, "status": "Active", "userName": "svc-reports",
                       "createDate": "Sep 24, 2026, 10:12:38 AM"}})
    iam(epoch("2026-09-22T11:40:00Z"), admin_c, "CreateAccessKey", {"userName": "terraform"},
        {"accessKey": {"accessKeyId": tf.key, "status": "Active", "userName": "terraform",
                       "createDate": "Sep 22, 2026, 11:40:00 AM"}})
    thief = labgen.Principal("user", "svc-reports", ACCOUNT, (TOR_IP,), (labgen.UA_KALI,), key=LEAKED_KEY)
    t2 = t + 3725
    lab.record(t2, thief, "sts.amazonaws.com", "GetCallerIdentity", None, None)
    lab.record(t2 + 20, thief, "iam.amazonaws.com", "ListUsers", None, None, region="us-east-1")
    lab.record(t2 + 45, thief, "cloudtrail.amazonaws.com", "DescribeTrails", {"trailNameList": []}, None)
    trail = "arn:aws:cloudtrail:eu-central-1:%s:trail/org-audit-trail" % ACCOUNT
    lab.record(t2 + 70, thief, "cloudtrail.amazonaws.com", "StopLogging", {"name": trail}, None, ro=False,
               resources=[{"accountId": ACCOUNT, "type": "AWS::CloudTrail::Trail", "ARN": trail}])
    lab.record(t2 + 110, thief, "iam.amazonaws.com", "CreateUser", {"userName": "support-sync"},
               {"user": {"userName": "support-sync", "arn": "arn:aws:iam::%s:user/support-sync" % ACCOUNT,
                         "createDate": "Sep 24, 2026, 11:16:53 AM", "path": "/"}}, ro=False, region="us-east-1")
    lab.record(t2 + 140, thief, "iam.amazonaws.com", "AttachUserPolicy",
               {"userName": "support-sync", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, None,
               ro=False, region="us-east-1")
    lab.record(t2 + 160, thief, "iam.amazonaws.com", "CreateAccessKey", {"userName": "support-sync"},
               {"accessKey": {"accessKeyId": lab.key_id("AKIA"), "status": "Active", "userName": "support-sync",
                              "createDate": "Sep 24, 2026, 11:17:43 AM"}}, ro=False, region="us-east-1")
    lab.record(epoch("2026-09-24T15:31:09Z"), admin_c, "cloudtrail.amazonaws.com", "StartLogging", {"name": trail},
               None, ro=False)
    return lab


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20260921)
    args = ap.parse_args()
    lab = build(args.seed)
    labgen.write_cloudtrail_tree(lab.sorted_events(), os.path.join(args.out, "cloudtrail"), ACCOUNT)


if __name__ == "__main__":
    main()
