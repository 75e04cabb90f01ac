#!/usr/bin/env python3
"""CloudTrail data with planted answers for the hunt library of hunts/ (Python 3 standard library only).

    python3 testdata/gen_hunt_library.py --seed 11 --out DIR [--background 3000]
        [--start 2025-12-08T00:00:00Z] [--lookups hunts/lookups]

Writes, under DIR:

- `cloudtrail.ndjson`: three days of CloudTrail events, one compact JSON record per line, oldest first;
- `answer_key.json`: for each hunt of `hunts/` (by file stem), the columns the test compares and the
  expected rows (a multiset), plus the plan: every planted scenario with the hunt it is for, what it
  is, whether it must be found, and the column values that identify its row.

The events: a background of ordinary activity (`--background` events: workloads on EC2 and Lambda with
their instance-role sessions, people in console sessions, CloudShell, IAM Identity Center users, people and
service users with access keys, the root user's integration key, data events, daily sign-ins from home
with a few typos), and, for every hunt, planted true positives and near misses: events or sequences that
look alike but must not fire (UpdateAccessKey with status Inactive, an MFA removal followed by a new device
within 15 minutes, 4 failed sign-ins where the threshold is 5, a security group opened to 10.0.0.0/8, a
sign-in from 8.8.8.8 that is in no range of the lookup, ...).

The answer key is a plain-Python evaluation of each hunt's definition over ALL generated events (the
background may match too; nothing is taken from cairn). The CIDR lookup is read from `--lookups`
(default: hunts/lookups/ beside this folder), the same table the hunts run with. The generator then checks
every scenario's stated outcome against the computed key and stops with an error if one disagrees, or if
a planted time sits exactly on a window edge (two sign-ins of one address exactly an hour apart, an MFA
gap of exactly 900 s) or two events that a hunt orders by time share a second.

Determinism: the output is a pure function of the arguments (random.Random(seed) only, the clock is never
read, serialization `json.dumps(ev, separators=(',', ':'), ensure_ascii=False)`).
"""

import argparse
import calendar
import csv
import ipaddress
import json
import os
import re
import sys
import time
from random import Random

ACCOUNT = "398985017225"
STEM = "VZZK4G6E"
KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ROOT_ARN = "arn:aws:iam::%s:root" % ACCOUNT
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"
TRAIL = "management-events"
TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:%s:trail/%s" % (ACCOUNT, TRAIL)

UA_CHROME_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/131.0.0.0 Safari/537.36")
UA_CHROME_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/131.0.0.0 Safari/537.36")
UA_FIREFOX_LINUX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
UA_SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/18.1 Safari/605.1.15")
UA_EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")
UA_CLI = ("aws-cli/2.22.12 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0-1019-aws md/arch#x86_64 lang/python#3.12.6 "
          "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off")
UA_CLI_MAC = ("aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.7 "
              "md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off")
UA_CLOUDSHELL = ("aws-cli/2.22.10 md/awscrt#0.23.4 ua/2.0 os/linux#6.1.115-126.197.amzn2023.x86_64 md/arch#x86_64 "
                 "lang/python#3.12.6 md/pyimpl#CPython exec-env/CloudShell cfg/retry-mode#standard md/installer#exe "
                 "md/distrib#amzn.2023 md/prompt#off")
UA_BOTO3 = ("Boto3/1.35.76 md/Botocore#1.35.76 ua/2.0 os/linux#5.10.228-219.884.amzn2.x86_64 md/arch#x86_64 "
            "lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.76")
UA_NODE = "aws-sdk-js/3.705.0 ua/2.1 os/linux#5.10.228 lang/js md/nodejs#20.18.1 api/s3#3.705.0 exec-env/AWS_Lambda_nodejs20.x"
UA_GO = "aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/sts#1.33.2"
UA_TERRAFORM = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 "
                "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.3")
UA_KALI = "aws-cli/1.22.34 Python/3.9.12 Linux/6.5.0-kali3-amd64 botocore/1.24.19"
UA_HYDRA = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"
UA_INTERNAL = "aws-internal/3 aws-sdk-java/1.12.771 Linux/5.10.227-198.884.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.432-b07 java/1.8.0_432 vendor/Oracle_Corporation cfg/retry-mode/standard"
UA_CONSOLE_EC2 = "console.ec2.amazonaws.com"
BROWSERS = (UA_CHROME_WIN, UA_CHROME_MAC, UA_FIREFOX_LINUX, UA_SAFARI, UA_EDGE)

# name, home IP, browser index, MFA at sign-in, has a long-term access key (used with the CLI)
HUMANS = (
    ("jeff.harrison", "149.40.62.48", 0, True, True),
    ("thomas.bennett", "81.2.69.160", 2, False, False),
    ("otake.nao", "133.32.180.12", 3, False, False),
    ("michael.turner", "67.220.68.41", 1, True, True),
    ("sarah.braun", "91.64.12.200", 4, True, False),
    ("emma.wilson", "86.12.44.7", 1, True, False),
    ("lucas.martin", "90.84.115.3", 0, True, True),
    ("aiko.tanaka", "126.77.201.9", 3, True, False),
    ("carlos.mendez", "187.189.33.54", 2, True, False),
    ("priya.sharma", "49.36.120.88", 0, True, True),
    ("noah.fischer", "95.90.250.11", 4, True, False),
    ("olivia.dubois", "2a01:cb00:85d:1a00:4c2e:90ff:fe11:2b7a", 0, True, False),
    ("liam.oconnor", "109.255.60.2", 1, False, False),
    ("kenji.sato", "153.246.8.30", 3, True, True),
    ("sofia.rossi", "151.38.12.99", 2, True, False),
    ("paul.admin", "149.40.62.51", 1, True, True),
)
# name, IP, user agent: keys only, never the console
SERVICE_USERS = (("svc-backup", "54.175.22.19", UA_BOTO3), ("ci-deployer", "20.42.13.77", UA_TERRAFORM),
                 ("splunk-integration", "18.206.44.101", UA_BOTO3), ("etl-runner", "3.83.200.17", UA_GO))
SSO_USERS = (("anna.kowalski@example.com", "AWSReservedSSO_AdministratorAccess_8c1f2d3e4a5b6c7d", "77.48.21.9"),
             ("ben.ito@example.com", "AWSReservedSSO_ReadOnlyAccess_1a2b3c4d5e6f7a8b", "60.112.4.77"))
ATTACKER_IP = "185.183.33.33"     # where michael.turner's leaked access key is used from
ROOT_KEY_IP = "18.206.44.102"     # the root user's integration key
REGIONS = ("us-east-1", "us-east-1", "us-east-1", "us-east-1", "eu-west-1", "eu-central-1", "us-west-2",
           "ap-northeast-1")

BUCKETS = (("user-avatars-prod", "us-east-1"), ("prod-website-thm", "us-east-1"),
           ("company-backups-2025", "eu-central-1"), ("data-lake-raw-398985017225", "us-west-2"))
INSTANCES = (("i-0d2b8acdedc371589", "3.91.170.24"), ("i-04fa0268276e1f763", "54.160.33.102"),
             ("i-0a91c3e5b7d24f160", "44.204.81.9"))
LAMBDAS = ("order-processor", "thumbnail-resizer", "nightly-report")
GROUPS = ("sg-0a1b2c3d4e5f60718", "sg-04cfb7a4712d75b00", "sg-09e8d7c6b5a493827")

# the hunts' constants
BRUTE_THRESHOLD = 5       # console_brute_force: failures per 10-minute bin
BIN_SPAN = 600
AFTER_THRESHOLD = 5       # console_success_after_failures: failures in the hour before a success
AFTER_WINDOW = 3600
MFA_WINDOW = 900          # iam_mfa_removed: 15 minutes
PROGRAMMATIC = ("aws-cli/", "boto3/", "botocore/", "aws-sdk-")
PRIVILEGED_POLICIES = ("AdministratorAccess", "IAMFullAccess", "PowerUserAccess")


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def human_date(t):
    g = time.gmtime(t)
    h = g.tm_hour % 12 or 12
    return "%s %d, %d, %d:%02d:%02d %s" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_year, h, g.tm_min, g.tm_sec,
                                          "AM" if g.tm_hour < 12 else "PM")


def parse_time(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def policy(*statements):
    """A policy document as CloudTrail logs it: JSON text, pretty-printed by the console."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=4)


def stmt(effect, action, resource="*", sid=None):
    s = {"Sid": sid} if sid else {}
    s.update({"Effect": effect, "Action": action, "Resource": resource})
    return s


class Gen:
    def __init__(self, seed, start, background):
        self.r = Random(seed)
        self.start = start
        self.n_background = background
        self.events = []       # (t, seq, event)
        self.scenarios = []    # {"hunt", "name", "description", "fires", "match"}
        self.pid = {}
        self.akia = {}
        for h in HUMANS:
            self.pid[h[0]] = self.key_id("AIDA", 9)
            self.akia[h[0]] = self.key_id("AKIA")
        for s in SERVICE_USERS:
            self.pid[s[0]] = self.key_id("AIDA", 9)
            self.akia[s[0]] = self.key_id("AKIA")
        for extra in ("intern.lee", "backup-svc2"):
            self.pid[extra] = self.key_id("AIDA", 9)
        self.root_key = self.key_id("AKIA")
        self.console = {}      # (user, hour) -> console session userIdentity
        self.roles = {}

    # ---- helpers -------------------------------------------------------------------------------------
    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3], h[17:20], h[20:])

    def key_id(self, prefix, n=8):
        return prefix + STEM + "".join(self.r.choices(KEY_ALPHABET, k=n))

    def t(self, day, hh, mm, ss=0):
        return self.start + day * 86400 + hh * 3600 + mm * 60 + ss

    def user_arn(self, name):
        return "arn:aws:iam::%s:user/%s" % (ACCOUNT, name)

    def human(self, name):
        for h in HUMANS:
            if h[0] == name:
                return h
        raise KeyError(name)

    def tls(self, host):
        v = self.r.random()
        if v < 0.8:
            return {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}
        return {"tlsVersion": "TLSv1.2", "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256", "clientProvidedHostHeader": host}

    def role(self, name):
        if name not in self.roles:
            rid = self.key_id("AROA", 9)
            arn = "arn:aws:iam::%s:role/%s" % (ACCOUNT, name)
            if name.startswith("AWSReservedSSO_"):
                arn = "arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s" % (ACCOUNT, name)
            self.roles[name] = (rid, arn, {"type": "Role", "principalId": rid, "arn": arn, "accountId": ACCOUNT,
                                           "userName": name})
        return self.roles[name]

    def key_ui(self, name):
        if name == "root":
            return {"type": "Root", "principalId": ACCOUNT, "arn": ROOT_ARN, "accountId": ACCOUNT,
                    "accessKeyId": self.root_key}
        return {"type": "IAMUser", "principalId": self.pid[name], "arn": self.user_arn(name), "accountId": ACCOUNT,
                "accessKeyId": self.akia[name], "userName": name}

    def console_ui(self, name, t):
        k = (name, t // 3600)
        ui = self.console.get(k)
        if ui is None:
            mfa = name == "root" or self.human(name)[3]
            created = max(self.start, (t // 3600) * 3600 - self.r.randrange(60, 900))
            if name == "root":
                ui = {"type": "Root", "principalId": ACCOUNT, "arn": ROOT_ARN, "accountId": ACCOUNT,
                      "accessKeyId": self.key_id("ASIA")}
            else:
                ui = {"type": "IAMUser", "principalId": self.pid[name], "arn": self.user_arn(name),
                      "accountId": ACCOUNT, "accessKeyId": self.key_id("ASIA"), "userName": name}
            ui["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {},
                                    "attributes": {"creationDate": iso(created),
                                                   "mfaAuthenticated": "true" if mfa else "false"}}
            self.console[k] = ui
        return ui

    def role_ui(self, role_name, session, key, created, mfa=False):
        rid, _, issuer = self.role(role_name)
        return {"type": "AssumedRole", "principalId": "%s:%s" % (rid, session),
                "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role_name, session), "accountId": ACCOUNT,
                "accessKeyId": key,
                "sessionContext": {"sessionIssuer": issuer, "webIdFederationData": {},
                                   "attributes": {"creationDate": iso(created),
                                                  "mfaAuthenticated": "true" if mfa else "false"}}}

    def emit(self, t, src, name, region, ui, ip, ua, req, resp, err=None, aed=None, resources=None, ro=True,
             data=False, etype="AwsApiCall", console=False, request_id=True, shared=False, host=None):
        ev = {"eventVersion": "1.11" if etype != "AwsConsoleSignIn" else "1.09", "userIdentity": ui,
              "eventTime": iso(t), "eventSource": src + ".amazonaws.com", "eventName": name, "awsRegion": region,
              "sourceIPAddress": ip, "userAgent": ua}
        if err is not None:
            if err[0] is not None:
                ev["errorCode"] = err[0]
            ev["errorMessage"] = err[1]
        ev["requestParameters"] = req
        ev["responseElements"] = resp
        if aed is not None:
            ev["additionalEventData"] = aed
        if request_id:
            ev["requestID"] = self.uuid()
        ev["eventID"] = self.uuid()
        ev["readOnly"] = ro
        if resources is not None:
            ev["resources"] = resources
        ev["eventType"] = etype
        if src == "ec2":
            ev["apiVersion"] = "2016-11-15"
        ev["managementEvent"] = not data
        ev["recipientAccountId"] = ACCOUNT
        if shared:
            ev["sharedEventID"] = self.uuid()
        ev["eventCategory"] = "Data" if data else "Management"
        if ui.get("type") != "AWSService" and ip != "AWS Internal":
            if host is None:
                host = (src + ".amazonaws.com") if src in ("iam", "sts") else "%s.%s.amazonaws.com" % (src, region)
            ev["tlsDetails"] = self.tls(host)
        if console:
            ev["sessionCredentialFromConsole"] = "true"
        self.events.append((t, len(self.events), ev))
        return ev

    def scenario(self, hunt, name, description, fires, match):
        """match: column values of hunt's output that identify the scenario's row (any row, when fires)."""
        self.scenarios.append({"hunt": hunt, "name": name, "description": description, "fires": fires,
                               "match": match})

    # ---- actors -----------------------------------------------------------------------------------
    def actor(self, who, t):
        """(userIdentity, ip, user agent, console?) for an actor spec:
        ("console", user), ("key", user), ("leaked", "michael.turner"), ("rootkey",), ("rootconsole",),
        ("sso", index), ("role", role_name, session, key, created, ip, ua)."""
        kind = who[0]
        if kind == "console":
            h = self.human(who[1])
            return self.console_ui(who[1], t), h[1], BROWSERS[h[2]], True
        if kind == "key":
            name = who[1]
            for s in SERVICE_USERS:
                if s[0] == name:
                    return self.key_ui(name), s[1], s[2], False
            h = self.human(name)
            return self.key_ui(name), h[1], UA_CLI if h[2] % 2 == 0 else UA_CLI_MAC, False
        if kind == "leaked":
            return self.key_ui(who[1]), ATTACKER_IP, UA_KALI, False
        if kind == "rootkey":
            return self.key_ui("root"), ROOT_KEY_IP, UA_BOTO3, False
        if kind == "rootconsole":
            return self.console_ui("root", t), "81.2.69.161", UA_FIREFOX_LINUX, True
        if kind == "sso":
            email, role_name, ip = SSO_USERS[who[1]]
            k = ("sso", email, t // 3600)
            ui = self.console.get(k)
            if ui is None:
                ui = self.role_ui(role_name, email, self.key_id("ASIA"),
                                  max(self.start, (t // 3600) * 3600 - self.r.randrange(60, 900)))
                self.console[k] = ui
            return ui, ip, UA_CHROME_MAC, True
        raise ValueError(who)

    def call(self, t, who, src, name, req=None, resp=None, region="us-east-1", err=None, ro=False, ua=None, ip=None,
             resources=None, data=False):
        ui, aip, aua, console = self.actor(who, t)
        return self.emit(t, src, name, region, ui, ip or aip, ua or aua, req, resp, err=err, ro=ro,
                         console=console, resources=resources, data=data)

    # ---- ConsoleLogin ---------------------------------------------------------------------------------
    def login(self, t, user, ip, success, ua=None, mfa=None):
        """user: an IAM user name, "root", None for a user name that does not exist, or ("sso", i)."""
        r = self.r
        if isinstance(user, tuple):
            email, role_name, _ = SSO_USERS[user[1]]
            ui = self.role_ui(role_name, email, self.key_id("ASIA"), t)
            ui.pop("accessKeyId")
            ui["sessionContext"]["attributes"]["creationDate"] = iso(t)
            aed = {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "No",
                   "SamlProviderArn": "arn:aws:iam::%s:saml-provider/AWSSSO_5a1b2c3d4e5f6a7b_DO_NOT_DELETE" % ACCOUNT}
            return self.emit(t, "signin", "ConsoleLogin", "us-east-1", ui, ip, ua or UA_CHROME_MAC, None,
                             {"ConsoleLogin": "Success"}, aed=aed, ro=False, etype="AwsConsoleSignIn",
                             request_id=False, host="signin.aws.amazon.com")
        if user == "root":
            ui = {"type": "Root", "principalId": ACCOUNT, "arn": ROOT_ARN, "accountId": ACCOUNT, "accessKeyId": ""}
        elif user is None:
            ui = {"type": "IAMUser", "accountId": ACCOUNT, "accessKeyId": "", "userName": HIDDEN}
        elif success:
            ui = {"type": "IAMUser", "principalId": self.pid[user], "arn": self.user_arn(user), "accountId": ACCOUNT,
                  "userName": user}
        else:
            ui = {"type": "IAMUser", "principalId": self.pid[user], "accountId": ACCOUNT, "accessKeyId": "",
                  "userName": user}
        if ua is None:
            ua = BROWSERS[self.human(user)[2]] if any(h[0] == user for h in HUMANS) else UA_FIREFOX_LINUX
        if mfa is None:
            mfa = success and user not in ("root", None) and any(h[0] == user and h[3] for h in HUMANS)
        login_to = ("https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state="
                    "hashArgsFromTB_us-east-1_" + ("%016x" % r.getrandbits(64)))
        aed = {"LoginTo": login_to, "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"}
        if mfa:
            aed = {"LoginTo": login_to, "MobileVersion": "No",
                   "MFAIdentifier": "arn:aws:iam::%s:mfa/%s" % (ACCOUNT, "root-account-mfa-device"
                                                                if user == "root" else user), "MFAUsed": "Yes"}
        ev = self.emit(t, "signin", "ConsoleLogin", "us-east-1", ui, ip, ua, None,
                       {"ConsoleLogin": "Success" if success else "Failure"},
                       err=None if success else (None, "Failed authentication"), aed=aed, ro=False,
                       etype="AwsConsoleSignIn", request_id=False, host="signin.aws.amazon.com")
        if success and mfa:
            self.emit(t - 4, "signin", "CheckMfa", "us-east-1", dict(ui), ip, ua, None, {"CheckMfa": "Success"},
                      aed={"MfaType": "Virtual MFA"}, ro=False, etype="AwsConsoleSignIn", request_id=False,
                      host="signin.aws.amazon.com")
        return ev

    def failures(self, t0, user, ip, n, gap=(12, 25), ua=UA_HYDRA):
        times, t = [], t0
        for i in range(n):
            if i:
                t += self.r.randint(*gap)
            self.login(t, user, ip, False, ua=ua)
            times.append(t)
        return times

    # ---- IAM --------------------------------------------------------------------------------------
    def mfa_event(self, t, name, target, who, err=None):
        serial = "arn:aws:iam::%s:mfa/%s" % (ACCOUNT, target)
        resp = None
        if name == "DeactivateMFADevice":
            req = {"userName": target, "serialNumber": serial}
        elif name == "DeleteVirtualMFADevice":
            req = {"serialNumber": serial}
        elif name == "CreateVirtualMFADevice":
            req = {"virtualMFADeviceName": target, "path": "/"}
            resp = {"virtualMFADevice": {"serialNumber": serial}}
        else:
            req = {"userName": target, "serialNumber": serial, "authenticationCode1": "HIDDEN_DUE_TO_SECURITY_REASONS",
                   "authenticationCode2": "HIDDEN_DUE_TO_SECURITY_REASONS"}
        if err:
            resp = None
        return self.call(t, who, "iam", name, req, resp, err=err)

    def create_key(self, t, who, user=None, err=None):
        req = {"userName": user} if user else None
        if err:
            return self.call(t, who, "iam", "CreateAccessKey", req, None, err=err)
        owner = user or (who[1] if who[0] in ("console", "key", "leaked") else None)
        key = self.key_id("AKIA")
        ak = {"accessKeyId": key, "status": "Active", "createDate": human_date(t)}
        if owner:
            ak = {"userName": owner} | ak
        self.call(t, who, "iam", "CreateAccessKey", req, {"accessKey": ak})
        return key

    # ---- scenarios ------------------------------------------------------------------------------------
    def plant_iam(self):
        r, t = self.r, self.t
        M = ("leaked", "michael.turner")
        P = ("console", "paul.admin")
        # -- iam_policy_changed
        tt = t(1, 2, 41, r.randint(0, 59))
        self.call(tt, M, "iam", "PutUserPolicy", {"userName": "michael.turner", "policyName": "ReadOnlyAccess",
                                                 "policyDocument": policy(stmt("Allow", "*", "*"))})
        self.scenario("iam_policy_changed", "readonly-named-admin", "michael.turner's leaked key writes an inline "
                      "policy named ReadOnlyAccess that allows everything", True,
                      {"_time": iso(tt), "policy_name": "ReadOnlyAccess", "full_admin": "yes"})
        tt = t(0, 10, 12, r.randint(0, 59))
        self.call(tt, ("key", "ci-deployer"), "iam", "PutRolePolicy",
                  {"roleName": "order-processor-role", "policyName": "s3-orders",
                   "policyDocument": policy(stmt("Allow", ["s3:GetObject", "s3:PutObject"],
                                                 "arn:aws:s3:::prod-orders/*"))})
        self.scenario("iam_policy_changed", "ci-role-policy", "the CI pipeline updates a Lambda role's S3 policy",
                      True, {"_time": iso(tt), "target": "order-processor-role", "full_admin": "no"})
        tt = t(1, 14, 3, r.randint(0, 59))
        self.call(tt, P, "iam", "PutGroupPolicy",
                  {"groupName": "Developers", "policyName": "deny-cloudtrail-changes",
                   "policyDocument": policy(stmt("Deny", ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "*",
                                                 "NoTrailTampering"),
                                            stmt("Allow", ["ec2:Describe*"], "*"))})
        self.scenario("iam_policy_changed", "group-policy-deny", "paul.admin writes a group policy that denies "
                      "cloudtrail:StopLogging (it names StopLogging, a near miss for cloudtrail_tampering)", True,
                      {"_time": iso(tt), "target": "Developers", "full_admin": "no"})
        tt = t(2, 9, 30, r.randint(0, 59))
        self.call(tt, P, "iam", "PutRolePolicy",
                  {"roleName": "ops-automation", "policyName": "ops",
                   "policyDocument": policy(stmt("Deny", "*", "*"), stmt("Allow", "ec2:*", "*"))})
        self.scenario("iam_policy_changed", "deny-star", "a policy with Deny * on * and Allow ec2:*: not full admin",
                      True, {"_time": iso(tt), "target": "ops-automation", "full_admin": "no"})
        tt = t(0, 16, 44, r.randint(0, 59))
        self.call(tt, ("console", "thomas.bennett"), "iam", "PutUserPolicy",
                  {"userName": "thomas.bennett", "policyName": "me-admin",
                   "policyDocument": policy(stmt("Allow", "*", "*"))},
                  err=("AccessDenied", "User: %s is not authorized to perform: iam:PutUserPolicy on resource: user "
                                       "thomas.bennett because no identity-based policy allows the iam:PutUserPolicy "
                                       "action" % self.user_arn("thomas.bennett")))
        self.scenario("iam_policy_changed", "denied-put", "thomas.bennett's PutUserPolicy is denied", False,
                      {"_time": iso(tt)})
        tt = t(0, 16, 50, r.randint(0, 59))
        self.call(tt, ("console", "thomas.bennett"), "iam", "GetUserPolicy",
                  {"userName": "thomas.bennett", "policyName": "me-admin"}, ro=True)
        self.call(tt + 7, ("key", "ci-deployer"), "s3", "PutBucketPolicy",
                  {"bucketName": "prod-website-thm", "Host": "prod-website-thm.s3.amazonaws.com",
                   "bucketPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                                            "Action": "s3:GetObject",
                                                                            "Resource": "arn:aws:s3:::prod-website-thm/*"}]},
                   "policy": ""})
        self.scenario("iam_policy_changed", "reads-and-bucket-policy", "GetUserPolicy and an S3 PutBucketPolicy",
                      False, {"_time": iso(tt)})
        self.scenario("iam_policy_changed", "bucket-policy", "PutBucketPolicy is not an IAM policy change", False,
                      {"_time": iso(tt + 7)})
        tt = t(2, 9, 40, r.randint(0, 59))
        self.call(tt, P, "iam", "DeleteRolePolicy", {"roleName": "ops-automation", "policyName": "old-ops"})
        self.scenario("iam_policy_changed", "delete-policy", "DeleteRolePolicy", False, {"_time": iso(tt)})

        # -- iam_policy_attached
        tt = t(1, 2, 44, r.randint(0, 59))
        self.call(tt - 90, M, "iam", "CreateUser", {"userName": "backup-svc2"},
                  {"user": {"path": "/", "userName": "backup-svc2", "userId": self.pid["backup-svc2"],
                            "arn": self.user_arn("backup-svc2"), "createDate": human_date(tt - 90)}})
        self.call(tt, M, "iam", "AttachUserPolicy", {"userName": "backup-svc2",
                                                    "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
        self.scenario("iam_policy_attached", "backdoor-admin", "the leaked key attaches AdministratorAccess to a "
                      "user it just created", True, {"_time": iso(tt), "target": "backup-svc2", "privileged": "yes"})
        tt = t(0, 11, 5, r.randint(0, 59))
        self.call(tt - 120, P, "iam", "CreateUser", {"userName": "intern.lee"},
                  {"user": {"path": "/", "userName": "intern.lee", "userId": self.pid["intern.lee"],
                            "arn": self.user_arn("intern.lee"), "createDate": human_date(tt - 120)}})
        self.call(tt, P, "iam", "AddUserToGroup", {"groupName": "Admins", "userName": "intern.lee"})
        self.scenario("iam_policy_attached", "intern-admins", "a new intern added to the Admins group", True,
                      {"_time": iso(tt), "target": "intern.lee", "granted": "group/Admins", "privileged": "yes"})
        self.call(tt + 40, P, "iam", "AddUserToGroup", {"groupName": "Developers", "userName": "intern.lee"})
        self.scenario("iam_policy_attached", "intern-developers", "and to Developers", True,
                      {"_time": iso(tt + 40), "granted": "group/Developers", "privileged": "no"})
        tt = t(1, 15, 22, r.randint(0, 59))
        self.call(tt, ("key", "ci-deployer"), "iam", "AttachRolePolicy",
                  {"roleName": "nightly-report-role",
                   "policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"})
        self.scenario("iam_policy_attached", "lambda-basic", "the CI pipeline attaches a Lambda basic role policy",
                      True, {"_time": iso(tt), "target": "nightly-report-role", "privileged": "no"})
        tt = t(2, 10, 2, r.randint(0, 59))
        self.call(tt, ("sso", 0), "iam", "AttachGroupPolicy",
                  {"groupName": "Auditors", "policyArn": "arn:aws:iam::aws:policy/SecurityAudit"})
        self.scenario("iam_policy_attached", "sso-group", "an Identity Center admin attaches SecurityAudit to a group",
                      True, {"_time": iso(tt), "target": "Auditors", "privileged": "no"})
        tt = t(2, 10, 20, r.randint(0, 59))
        self.call(tt, P, "iam", "DetachUserPolicy", {"userName": "backup-svc2",
                                                    "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
        self.scenario("iam_policy_attached", "detach", "DetachUserPolicy", False, {"_time": iso(tt)})
        tt = t(2, 10, 25, r.randint(0, 59))
        self.call(tt, P, "iam", "RemoveUserFromGroup", {"groupName": "Admins", "userName": "intern.lee"})
        self.scenario("iam_policy_attached", "remove-from-group", "RemoveUserFromGroup", False, {"_time": iso(tt)})
        tt = t(0, 17, 31, r.randint(0, 59))
        self.call(tt, ("console", "thomas.bennett"), "iam", "AttachUserPolicy",
                  {"userName": "thomas.bennett", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
                  err=("AccessDenied", "User: %s is not authorized to perform: iam:AttachUserPolicy"
                       % self.user_arn("thomas.bennett")))
        self.scenario("iam_policy_attached", "denied-attach", "a denied AttachUserPolicy", False, {"_time": iso(tt)})
        tt = t(1, 9, 12, r.randint(0, 59))
        self.call(tt, ("sso", 0), "organizations", "AttachPolicy", {"policyId": "p-a1b2c3d4", "targetId": "ou-ab12-cd34ef56"})
        self.scenario("iam_policy_attached", "scp-attach", "an Organizations AttachPolicy (an SCP, not IAM)", False,
                      {"_time": iso(tt)})

        # -- iam_mfa_removed
        J = ("console", "jeff.harrison")
        # lost phone: removed and replaced within 7 minutes
        t0 = t(0, 10, 3, r.randint(0, 50))
        self.mfa_event(t0, "DeactivateMFADevice", "emma.wilson", J)
        self.mfa_event(t0 + 24, "DeleteVirtualMFADevice", "emma.wilson", J)
        self.mfa_event(t0 + 300, "CreateVirtualMFADevice", "emma.wilson", J)
        self.mfa_event(t0 + 420, "EnableMFADevice", "emma.wilson", J)
        self.scenario("iam_mfa_removed", "lost-phone", "emma.wilson's device removed and a new one registered within "
                      "7 minutes", False, {"target": "emma.wilson"})
        # the leaked key removes jeff.harrison's MFA: nothing after
        t1 = t(1, 2, 48, r.randint(0, 50))
        self.mfa_event(t1, "DeactivateMFADevice", "jeff.harrison", M)
        self.mfa_event(t1 + 19, "DeleteVirtualMFADevice", "jeff.harrison", M)
        self.scenario("iam_mfa_removed", "leaked-key-removal", "the leaked key deactivates jeff.harrison's MFA",
                      True, {"_time": iso(t1), "eventName": "DeactivateMFADevice", "target": "jeff.harrison",
                             "seconds_to_new_device": None})
        self.scenario("iam_mfa_removed", "leaked-key-delete", "and deletes the device", True,
                      {"_time": iso(t1 + 19), "eventName": "DeleteVirtualMFADevice", "target": "jeff.harrison"})
        # re-enrolled 40 minutes later: still suspicious
        t2 = t(1, 13, 7, r.randint(0, 50))
        self.mfa_event(t2, "DeactivateMFADevice", "noah.fischer", J)
        self.mfa_event(t2 + 2400, "CreateVirtualMFADevice", "noah.fischer", J)
        self.mfa_event(t2 + 2460, "EnableMFADevice", "noah.fischer", J)
        self.scenario("iam_mfa_removed", "late-reenrol", "noah.fischer's MFA removed, a new device 40 minutes later",
                      True, {"_time": iso(t2), "target": "noah.fischer", "seconds_to_new_device": 2400})
        # another user registering right after does not count
        t3 = t(2, 8, 15, r.randint(0, 50))
        self.mfa_event(t3, "DeactivateMFADevice", "aiko.tanaka", J)
        self.mfa_event(t3 + 120, "CreateVirtualMFADevice", "kenji.sato", J)
        self.mfa_event(t3 + 200, "EnableMFADevice", "kenji.sato", J)
        self.scenario("iam_mfa_removed", "other-user-enrols", "aiko.tanaka's MFA removed, kenji.sato enrols right "
                      "after", True, {"_time": iso(t3), "target": "aiko.tanaka"})
        self.scenario("iam_mfa_removed", "first-enrolment", "kenji.sato's enrolment is not a removal", False,
                      {"target": "kenji.sato"})
        # re-enrolled at 14 min 50 s after the deactivation
        t4 = t(0, 15, 20, r.randint(0, 50))
        self.mfa_event(t4, "DeactivateMFADevice", "sofia.rossi", P)
        self.mfa_event(t4 + 30, "DeleteVirtualMFADevice", "sofia.rossi", P)
        self.mfa_event(t4 + 890, "CreateVirtualMFADevice", "sofia.rossi", P)
        self.mfa_event(t4 + 950, "EnableMFADevice", "sofia.rossi", P)
        self.scenario("iam_mfa_removed", "reenrol-14m50", "sofia.rossi's device replaced 14 min 50 s after", False,
                      {"target": "sofia.rossi"})
        # a new device 15 min 10 s after the deactivation, 14 min 45 s after the delete
        t5 = t(2, 14, 2, r.randint(0, 50))
        self.mfa_event(t5, "DeactivateMFADevice", "carlos.mendez", P)
        self.mfa_event(t5 + 25, "DeleteVirtualMFADevice", "carlos.mendez", P)
        self.mfa_event(t5 + 910, "CreateVirtualMFADevice", "carlos.mendez", P)
        self.scenario("iam_mfa_removed", "reenrol-15m10", "carlos.mendez's new device 910 s after the deactivation",
                      True, {"_time": iso(t5), "eventName": "DeactivateMFADevice", "target": "carlos.mendez",
                             "seconds_to_new_device": 910})
        self.scenario("iam_mfa_removed", "reenrol-15m10-delete", "but 885 s after the delete", False,
                      {"_time": iso(t5 + 25), "target": "carlos.mendez"})
        # a denied removal
        t6 = t(1, 16, 41, r.randint(0, 50))
        self.mfa_event(t6, "DeactivateMFADevice", "paul.admin", ("console", "thomas.bennett"),
                       err=("AccessDenied", "User: %s is not authorized to perform: iam:DeactivateMFADevice"
                            % self.user_arn("thomas.bennett")))
        self.scenario("iam_mfa_removed", "denied-removal", "thomas.bennett's DeactivateMFADevice is denied", False,
                      {"target": "paul.admin"})
        # the root user's device
        t7 = t(0, 19, 33, r.randint(0, 50))
        self.mfa_event(t7, "DeleteVirtualMFADevice", "root-account-mfa-device", ("rootconsole",))
        self.scenario("iam_mfa_removed", "root-device", "the root user deletes its own virtual MFA device", True,
                      {"_time": iso(t7), "target": "root-account-mfa-device"})

        # -- iam_access_key_created
        tt = t(2, 19, 59, 23)
        k = self.create_key(tt, ("rootconsole",))
        self.scenario("iam_access_key_created", "root-key", "the root user creates an access key for itself "
                      "(the over-privileged integration key)", True,
                      {"_time": iso(tt), "key_owner": "root", "access_key": k, "privileged": "root"})
        tt = t(1, 2, 52, r.randint(0, 59))
        k = self.create_key(tt, M, "paul.admin")
        self.scenario("iam_access_key_created", "backdoor-admin-key", "the leaked key creates a key for paul.admin",
                      True, {"_time": iso(tt), "key_owner": "paul.admin", "access_key": k, "privileged": "admin"})
        tt = t(1, 2, 46, r.randint(0, 59))
        k = self.create_key(tt, M, "backup-svc2")
        self.scenario("iam_access_key_created", "backdoor-user-key", "and for the user it created", True,
                      {"_time": iso(tt), "key_owner": "backup-svc2", "privileged": None})
        tt = t(0, 13, 8, r.randint(0, 59))
        k = self.create_key(tt, ("key", "kenji.sato"))
        self.scenario("iam_access_key_created", "own-key", "kenji.sato rotates his own key (no userName in the "
                      "request)", True, {"_time": iso(tt), "key_owner": "kenji.sato", "access_key": k,
                                         "privileged": None})
        tt = t(1, 10, 31, r.randint(0, 59))
        k = self.create_key(tt, ("sso", 0), "ci-deployer")
        self.scenario("iam_access_key_created", "sso-admin-key", "an AdministratorAccess Identity Center session "
                      "creates a key for ci-deployer", True,
                      {"_time": iso(tt), "key_owner": "ci-deployer", "privileged": "admin"})
        tt = t(0, 9, 14, r.randint(0, 59))
        old = self.key_id("AKIA")
        self.call(tt, P, "iam", "UpdateAccessKey", {"userName": "svc-backup", "accessKeyId": old, "status": "Active"})
        self.scenario("iam_access_key_created", "reactivated", "paul.admin re-enables a key of svc-backup", True,
                      {"_time": iso(tt), "eventName": "UpdateAccessKey", "key_owner": "svc-backup",
                       "access_key": old, "privileged": "admin"})
        tt = t(0, 9, 20, r.randint(0, 59))
        self.call(tt, P, "iam", "UpdateAccessKey", {"userName": "svc-backup", "accessKeyId": self.key_id("AKIA"),
                                                   "status": "Inactive"})
        self.scenario("iam_access_key_created", "deactivated", "UpdateAccessKey with status Inactive", False,
                      {"_time": iso(tt)})
        tt = t(0, 9, 25, r.randint(0, 59))
        self.call(tt, P, "iam", "DeleteAccessKey", {"userName": "svc-backup", "accessKeyId": self.key_id("AKIA")})
        self.call(tt + 30, P, "iam", "ListAccessKeys", {"userName": "svc-backup"}, ro=True)
        self.scenario("iam_access_key_created", "delete-and-list", "DeleteAccessKey and ListAccessKeys", False,
                      {"_time": iso(tt)})
        tt = t(1, 11, 45, r.randint(0, 59))
        self.create_key(tt, ("console", "lucas.martin"), "lucas.martin",
                        err=("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2"))
        self.scenario("iam_access_key_created", "quota", "a CreateAccessKey refused (LimitExceeded)", False,
                      {"_time": iso(tt)})

    def plant_logins(self):
        r, t = self.r, self.t
        # -- console_root_login
        tt = t(0, 8, 2, r.randint(0, 59))
        self.login(tt, "root", "81.2.69.161", True, ua=UA_FIREFOX_LINUX, mfa=True)
        self.scenario("console_root_login", "root-mfa", "the root user signs in with MFA", True,
                      {"_time": iso(tt), "outcome": "Success", "mfa_used": "Yes"})
        tt = t(1, 22, 47, r.randint(0, 59))
        self.login(tt, "root", "198.51.100.200", True, ua=UA_FIREFOX_LINUX, mfa=False)
        self.scenario("console_root_login", "root-tor", "the root user signs in from a Tor exit without MFA", True,
                      {"_time": iso(tt), "sourceIPAddress": "198.51.100.200", "mfa_used": "No"})
        self.scenario("console_login_without_mfa", "root-tor", "the root sign-in without MFA", True,
                      {"_time": iso(tt), "userIdentity.type": "Root"})
        self.scenario("console_login_suspicious_ip", "root-tor", "the root sign-in from a Tor exit", True,
                      {"_time": iso(tt), "category": "tor"})
        f = self.failures(t(0, 14, 2, r.randint(0, 20)), "root", "45.146.164.110", 7, (20, 35))
        self.scenario("console_root_login", "root-failures", "7 failed root sign-ins", True,
                      {"_time": iso(f[0]), "outcome": "Failure"})
        self.scenario("console_brute_force", "root-burst", "7 root failures in 3 minutes (user = the root arn)", True,
                      {"sourceIPAddress": "45.146.164.110", "user": ROOT_ARN, "failures": 7})
        tt = t(0, 8, 3, r.randint(0, 59))
        self.call(tt, ("rootconsole",), "iam", "ListUsers", {"maxItems": 100}, ro=True)
        self.scenario("console_root_login", "root-api", "the root user's console session calls the API: not a "
                      "sign-in", False, {"_time": iso(tt)})

        # -- console_login_without_mfa
        tt = t(2, 9, 14, r.randint(0, 59))
        self.login(tt, ("sso", 1), "60.112.4.77", True)
        self.scenario("console_login_without_mfa", "sso-federated", "an Identity Center sign-in (AssumedRole, "
                      "MFAUsed=No: MFA was at the identity provider)", False, {"_time": iso(tt)})
        tt = t(1, 8, 51, r.randint(0, 59))
        self.login(tt, "jeff.harrison", "149.40.62.48", False, ua=BROWSERS[0])
        self.scenario("console_login_without_mfa", "failure", "a failed sign-in (MFAUsed=No)", False,
                      {"_time": iso(tt)})

        # -- console_brute_force and console_success_after_failures
        f = self.failures(t(0, 9, 21, r.randint(5, 20)), "thomas.bennett", "198.51.100.23", 8, (12, 22))
        ts = f[-1] + r.randint(30, 50)
        self.login(ts, "thomas.bennett", "198.51.100.23", True, ua=UA_FIREFOX_LINUX, mfa=False)
        self.scenario("console_brute_force", "tor-burst", "8 failures for thomas.bennett from a Tor exit in "
                      "3 minutes", True, {"sourceIPAddress": "198.51.100.23", "user": "thomas.bennett", "failures": 8})
        self.scenario("console_success_after_failures", "tor-burst-success", "then his success", True,
                      {"_time": iso(ts), "user": "thomas.bennett", "failures_before": 8, "users_tried": 1})
        self.scenario("console_login_suspicious_ip", "tor-burst-success", "the success from the Tor exit", True,
                      {"_time": iso(ts), "category": "tor"})
        self.failures(t(0, 11, 41, r.randint(0, 20)), "jeff.harrison", "185.220.101.47", 4, (15, 25))
        self.failures(t(0, 12, 21, r.randint(0, 20)), "jeff.harrison", "185.220.101.47", 4, (15, 25))
        self.scenario("console_brute_force", "four-twice", "4 failures for jeff.harrison, and 4 more 40 minutes "
                      "later: never 5 in a window", False, {"sourceIPAddress": "185.220.101.47"})
        self.failures(t(1, 16, 31, r.randint(0, 20)), "otake.nao", "185.220.101.48", 5, (20, 30))
        self.scenario("console_brute_force", "at-threshold", "exactly 5 failures for otake.nao", True,
                      {"sourceIPAddress": "185.220.101.48", "failures": 5})
        self.failures(t(1, 3, 11, r.randint(0, 20)), None, "193.142.146.35", 12, (8, 18))
        self.scenario("console_brute_force", "unknown-user", "12 failures for a user name that does not exist", True,
                      {"sourceIPAddress": "193.142.146.35", "user": HIDDEN, "failures": 12})
        # password spraying: 3 failures for each of 4 users, then one works
        t0 = t(1, 7, 31, r.randint(0, 20))
        users = ("emma.wilson", "noah.fischer", "sofia.rossi", "kenji.sato")
        for k in range(12):
            self.login(t0 + 25 * k + r.randint(0, 5), users[k % 4], "141.98.11.23", False, ua=UA_HYDRA)
        ts = t0 + 25 * 12 + 40
        self.login(ts, "sofia.rossi", "141.98.11.23", True, ua=UA_HYDRA, mfa=False)
        self.scenario("console_brute_force", "spray", "12 failures spread over 4 users: 3 per user", False,
                      {"sourceIPAddress": "141.98.11.23"})
        self.scenario("console_success_after_failures", "spray-success", "the spray ends in a success for "
                      "sofia.rossi", True, {"_time": iso(ts), "user": "sofia.rossi", "failures_before": 12,
                                            "users_tried": 4})
        f = self.failures(t(2, 13, 20, r.randint(0, 20)), "michael.turner", "5.188.206.14", 4, (25, 35))
        self.login(f[-1] + 50, "michael.turner", "5.188.206.14", True, ua=UA_HYDRA, mfa=False)
        self.scenario("console_success_after_failures", "four-then-success", "4 failures then a success", False,
                      {"sourceIPAddress": "5.188.206.14"})
        f = self.failures(t(1, 18, 41, r.randint(0, 20)), "lucas.martin", "45.155.205.233", 6, (15, 25))
        self.login(f[-1] + 5400 + r.randint(0, 30), "lucas.martin", "45.155.205.233", True, ua=UA_HYDRA, mfa=False)
        self.scenario("console_brute_force", "burst-late-success", "6 failures for lucas.martin", True,
                      {"sourceIPAddress": "45.155.205.233", "failures": 6})
        self.scenario("console_success_after_failures", "late-success", "his success 90 minutes later", False,
                      {"sourceIPAddress": "45.155.205.233"})
        f = self.failures(t(2, 20, 1, r.randint(0, 20)), "carlos.mendez", "91.92.240.17", 6, (15, 25))
        ts = f[-1] + 200
        self.login(ts, "carlos.mendez", "187.189.33.54", True)
        self.scenario("console_success_after_failures", "other-address", "6 failures from one address, the "
                      "success from his home address", False, {"_time": iso(ts)})

        # -- console_login_suspicious_ip
        for tt, user, ip, cat in ((t(0, 15, 30, r.randint(0, 59)), "kenji.sato", "192.0.2.10", "vpn"),
                                  (t(2, 2, 13, r.randint(0, 59)), "michael.turner", "203.0.113.200", "hosting"),
                                  (t(1, 9, 2, r.randint(0, 59)), "emma.wilson", "192.0.2.255", "vpn")):
            self.login(tt, user, ip, True, ua=UA_FIREFOX_LINUX)
            self.scenario("console_login_suspicious_ip", "inside:" + ip, "%s signs in from %s" % (user, ip), True,
                          {"_time": iso(tt), "sourceIPAddress": ip, "category": cat})
        for tt, user, ip in ((t(0, 16, 5, r.randint(0, 59)), "sarah.braun", "8.8.8.8"),
                             (t(1, 8, 20, r.randint(0, 59)), "liam.oconnor", "192.0.3.1"),
                             (t(2, 17, 51, r.randint(0, 59)), "priya.sharma", "198.51.99.255"),
                             (t(2, 11, 9, r.randint(0, 59)), "olivia.dubois", "2001:db8::17")):
            self.login(tt, user, ip, True, ua=UA_CHROME_WIN)
            self.scenario("console_login_suspicious_ip", "outside:" + ip, "%s signs in from %s (in no range)"
                          % (user, ip), False, {"_time": iso(tt)})
        self.failures(t(1, 12, 1, r.randint(0, 20)), "sofia.rossi", "192.0.2.55", 2, (20, 40))
        self.scenario("console_login_suspicious_ip", "vpn-failures", "failures from inside a range", False,
                      {"sourceIPAddress": "192.0.2.55"})

    def plant_keys(self):
        r, t = self.r, self.t
        M = ("leaked", "michael.turner")
        # the leaked key's discovery run
        t0 = t(1, 2, 30, r.randint(0, 30))
        for k, (src, name, q) in enumerate((("sts", "GetCallerIdentity", None), ("iam", "ListUsers", {"maxItems": 100}),
                                            ("iam", "ListAttachedUserPolicies", {"userName": "michael.turner"}),
                                            ("s3", "ListBuckets", None),
                                            ("cloudtrail", "DescribeTrails", {"includeShadowTrails": True}))):
            self.call(t0 + 20 * k, M, src, name, q, ro=True)
        self.scenario("key_long_term_activity", "leaked-key", "michael.turner's key used from 185.183.33.33", True,
                      {"userIdentity.accessKeyId": self.akia["michael.turner"]})
        self.scenario("key_no_session_context", "leaked-key", "the leaked key from the attacker's address", True,
                      {"user": self.user_arn("michael.turner"), "sourceIPAddress": ATTACKER_IP})
        # the root user's integration key
        self.scenario("key_long_term_activity", "root-key", "the root user's integration key", True,
                      {"userIdentity.accessKeyId": self.root_key, "userIdentity.arn": ROOT_ARN})
        self.scenario("key_no_session_context", "root-key", "the root key, no session context", True,
                      {"user": ROOT_ARN, "sourceIPAddress": ROOT_KEY_IP})
        # near misses: console sessions (ASIA with a session context), failed sign-ins (an empty accessKeyId)
        self.scenario("key_long_term_activity", "console-session", "sarah.braun has no access key: only ASIA "
                      "console sessions", False, {"userIdentity.arn": self.user_arn("sarah.braun")})
        self.scenario("key_no_session_context", "console-session", "sarah.braun's console sessions have a session "
                      "context", False, {"user": self.user_arn("sarah.braun")})
        self.scenario("key_no_session_context", "failed-signin", "failed sign-ins have accessKeyId \"\" and no "
                      "session context", False, {"user": HIDDEN})
        self.scenario("key_no_session_context", "workloads", "instance-role sessions have a session context",
                      False, {"sourceIPAddress": INSTANCES[0][1]})

        # -- key_programmatic_console_users
        self.scenario("key_programmatic_console_users", "jeff-cli", "jeff.harrison signs in to the console and "
                      "uses the CLI", True, {"userIdentity.userName": "jeff.harrison"})
        self.scenario("key_programmatic_console_users", "leaked-cli", "michael.turner: console, his CLI and the "
                      "leaked key's aws-cli", True, {"userIdentity.userName": "michael.turner"})
        tt = t(1, 20, 3, r.randint(0, 59))
        self.call(tt, ("key", "paul.admin"), "ec2", "DescribeInstances", {"filterSet": {}}, ro=True, ua=UA_TERRAFORM)
        self.scenario("key_programmatic_console_users", "paul-terraform", "paul.admin runs Terraform with his key",
                      True, {"userIdentity.userName": "paul.admin"})
        self.scenario("key_programmatic_console_users", "service-users", "svc-backup uses boto3 but never signs in",
                      False, {"userIdentity.userName": "svc-backup"})
        tt = t(1, 5, 2, r.randint(0, 59))
        self.login(tt, "etl-runner", "3.83.200.17", False, ua=UA_CHROME_WIN)
        self.scenario("key_programmatic_console_users", "failed-console", "someone fails to sign in as etl-runner, "
                      "which uses the Go SDK: a failure is not a sign-in", False,
                      {"userIdentity.userName": "etl-runner"})
        for k in range(3):
            tt = t(k, 14, 10, r.randint(0, 59))
            self.call(tt, ("console", "emma.wilson"), "s3", "ListBuckets", None, ro=True, ua=UA_CLOUDSHELL,
                      ip="3.236.118.%d" % (20 + k))
        self.scenario("key_programmatic_console_users", "cloudshell", "emma.wilson uses the CLI in CloudShell "
                      "(console credentials)", False, {"userIdentity.userName": "emma.wilson"})
        tt = t(0, 10, 40, r.randint(0, 59))
        self.call(tt, ("console", "aiko.tanaka"), "ec2", "DescribeInstances", {"filterSet": {}}, ro=True,
                  ua=UA_INTERNAL, ip="AWS Internal")
        self.scenario("key_programmatic_console_users", "aws-internal", "the console calls on aiko.tanaka's behalf "
                      "(aws-internal/3 aws-sdk-java)", False, {"userIdentity.userName": "aiko.tanaka"})

        # -- key_assumed_role_traced
        def assume(tt, who, role_name, session, actions=(), fail=False):
            _, role_arn, _ = self.role(role_name)
            ui, ip, ua, console = self.actor(who, tt)
            req = {"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600}
            res = [{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn}]
            if fail:
                self.emit(tt, "sts", "AssumeRole", "us-east-1", ui, ip, ua, req, None, console=console,
                          err=("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
                               % (ui["arn"], role_arn)), resources=res)
                return None
            key = self.key_id("ASIA")
            rid = self.role(role_name)[0]
            token = "IQoJb3JpZ2luX2VjE" + "".join(self.r.choices(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", k=120))
            resp = {"credentials": {"accessKeyId": key, "sessionToken": token, "expiration": human_date(tt + 3600)},
                    "assumedRoleUser": {"assumedRoleId": "%s:%s" % (rid, session),
                                        "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role_name, session)}}
            self.emit(tt, "sts", "AssumeRole", "us-east-1", ui, ip, ua, req, resp, console=console, resources=res)
            rui = self.role_ui(role_name, session, key, tt)
            for off, src, name, region, q, ro in actions:
                self.emit(tt + off, src, name, region, rui, ip, ua, q, None, ro=ro, console=console)
            return key

        tt = t(0, 21, 5, r.randint(0, 59))
        k = assume(tt, ("key", "jeff.harrison"), "BreakGlassAdmin", "maintenance", (
            (12, "sts", "GetCallerIdentity", "us-east-1", None, True),
            (40, "iam", "ListUsers", "us-east-1", {"maxItems": 100}, True),
            (75, "iam", "UpdateLoginProfile", "us-east-1", {"userName": "emma.wilson", "passwordResetRequired": True},
             False)))
        self.scenario("key_assumed_role_traced", "breakglass", "jeff.harrison assumes BreakGlassAdmin", True,
                      {"_time": iso(tt + 75), "eventName": "UpdateLoginProfile",
                       "assumed_by": self.user_arn("jeff.harrison"), "session_key": k})
        tt = t(2, 6, 6, r.randint(0, 59))
        k = assume(tt, M, "ci-deploy", INSTANCES[0][0], (
            (15, "ec2", "DescribeInstances", "us-east-1", {"filterSet": {}}, True),
            (50, "ec2", "RunInstances", "us-east-1", {"instanceType": "p3.2xlarge", "minCount": 4, "maxCount": 4},
             False)))
        self.scenario("key_assumed_role_traced", "fake-instance-session", "the leaked key assumes ci-deploy with an "
                      "EC2 instance id as session name", True,
                      {"eventName": "RunInstances", "assumed_by": self.user_arn("michael.turner"),
                       "session_name": INSTANCES[0][0], "assumed_from": ATTACKER_IP})
        tt = t(1, 11, 0, r.randint(0, 59))
        k = assume(tt, ("console", "sarah.braun"), "EU-RemoteSupport", "SecretSession", (
            (20, "ec2", "DescribeInstances", "eu-west-1", {"filterSet": {}}, True),
            (64, "secretsmanager", "GetSecretValue", "eu-west-1", {"secretId": "prod/db/master"}, True)))
        self.scenario("key_assumed_role_traced", "switch-role", "sarah.braun switches role in the console", True,
                      {"eventName": "GetSecretValue", "assumed_by": self.user_arn("sarah.braun"),
                       "session_name": "SecretSession"})
        tt = t(0, 18, 0, r.randint(0, 59))
        k = assume(tt, ("key", "priya.sharma"), "ReadOnlyAudit", "priya.sharma")
        self.scenario("key_assumed_role_traced", "no-actions", "a session with no actions", False,
                      {"session_key": k})
        tt = t(1, 15, 15, r.randint(0, 59))
        assume(tt, ("key", "lucas.martin"), "BreakGlassAdmin", "maintenance", fail=True)
        self.scenario("key_assumed_role_traced", "denied", "a denied AssumeRole", False,
                      {"assumed_by": self.user_arn("lucas.martin")})
        self.scenario("key_assumed_role_traced", "instance-roles", "EC2 instance-role sessions (AssumeRole by the "
                      "service)", False, {"session_name": INSTANCES[1][0]})

    def plant_network_and_trail(self):
        r, t = self.r, self.t
        M = ("leaked", "michael.turner")
        E = ("console", "emma.wilson")
        P = ("console", "paul.admin")
        C = ("key", "ci-deployer")

        def perm(proto, lo, hi, cidrs=(), cidrs6=(), desc=None):
            p = {"ipProtocol": proto}
            if lo is not None:
                p["fromPort"], p["toPort"] = lo, hi
            p["groups"] = {}
            p["ipRanges"] = {"items": [{"cidrIp": c} | ({"description": desc} if desc else {}) for c in cidrs]} \
                if cidrs else {}
            p["ipv6Ranges"] = {"items": [{"cidrIpv6": c} for c in cidrs6]} if cidrs6 else {}
            p["prefixListIds"] = {}
            return p

        def authorize(tt, who, gid, perms, name="AuthorizeSecurityGroupIngress", err=None):
            req = {"groupId": gid, "ipPermissions": {"items": perms}}
            resp = None
            if not err:
                items = []
                for p in perms:
                    for c in [x["cidrIp"] for x in p["ipRanges"].get("items", [])]:
                        items.append({"groupOwnerId": ACCOUNT, "groupId": gid, "securityGroupRuleId": self.hexid("sgr-"),
                                      "isEgress": name.endswith("Egress"), "ipProtocol": p["ipProtocol"],
                                      "fromPort": p.get("fromPort", -1), "toPort": p.get("toPort", -1),
                                      "cidrIpv4": c})
                    for c in [x["cidrIpv6"] for x in p["ipv6Ranges"].get("items", [])]:
                        items.append({"groupOwnerId": ACCOUNT, "groupId": gid, "securityGroupRuleId": self.hexid("sgr-"),
                                      "isEgress": name.endswith("Egress"), "ipProtocol": p["ipProtocol"],
                                      "fromPort": p.get("fromPort", -1), "toPort": p.get("toPort", -1),
                                      "cidrIpv6": c})
                resp = {"requestId": self.uuid(), "_return": True, "securityGroupRuleSet": {"items": items}}
                if name.startswith("Revoke"):
                    resp = {"requestId": self.uuid(), "_return": True}
            return self.call(tt, who, "ec2", name, req, resp, err=err)

        def modify(tt, who, gid, rules, err=None):
            rs = [{"SecurityGroupRule": rule, "SecurityGroupRuleId": self.hexid("sgr-")} for rule in rules]
            req = {"ModifySecurityGroupRulesRequest": {"GroupId": gid, "SecurityGroupRule": rs[0] if len(rs) == 1
                                                       else rs}}
            resp = None if err else {"ModifySecurityGroupRulesResponse": {
                "xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": self.uuid(), "return": True}}
            return self.call(tt, who, "ec2", "ModifySecurityGroupRules", req, resp, err=err)

        def mrule(proto, lo, hi, v4=None, v6=None):
            x = {"Description": ""}
            if v4:
                x["CidrIpv4"] = v4
            if v6:
                x["CidrIpv6"] = v6
            x.update({"FromPort": lo, "ToPort": hi, "IpProtocol": proto})
            return x

        S = "ec2_security_group_open_to_world"
        tt = t(1, 3, 2, r.randint(0, 59))
        authorize(tt, M, GROUPS[1], [perm("tcp", 22, 22, ["0.0.0.0/0"])])
        self.scenario(S, "ssh-world", "the leaked key opens 22 to 0.0.0.0/0", True,
                      {"_time": iso(tt), "open_cidr": "0.0.0.0/0", "exposes": "ssh/22"})
        tt = t(0, 13, 40, r.randint(0, 59))
        modify(tt, E, GROUPS[0], [mrule("tcp", 3389, 3389, v4="0.0.0.0/0")])
        self.scenario(S, "rdp-console", "emma.wilson changes a rule in the console to 3389 from 0.0.0.0/0", True,
                      {"_time": iso(tt), "eventName": "ModifySecurityGroupRules", "exposes": "rdp/3389"})
        tt = t(1, 17, 12, r.randint(0, 59))
        modify(tt, E, GROUPS[2], [mrule("tcp", 443, 443, v4="0.0.0.0/0"), mrule("tcp", 22, 22, v6="::/0")])
        self.scenario(S, "modify-two", "two rules changed at once: 443 from 0.0.0.0/0 and 22 from ::/0", True,
                      {"_time": iso(tt), "open_cidr": "::/0", "exposes": "ssh/22", "from_port": 22})
        self.scenario(S, "modify-two-443", "its 443 rule is not a hit", False, {"_time": iso(tt), "from_port": 443})
        tt = t(2, 4, 30, r.randint(0, 59))
        self.call(tt, M, "ec2", "AuthorizeSecurityGroupIngress",
                  {"groupId": GROUPS[1], "ipPermissions": {}, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                   "cidrIp": "208.236.235.254/0"},
                  {"requestId": self.uuid(), "_return": True, "securityGroupRuleSet": {"items": [
                      {"cidrIpv4": "208.236.235.254/0", "fromPort": 22, "groupId": GROUPS[1], "groupOwnerId": ACCOUNT,
                       "ipProtocol": "tcp", "isEgress": False, "securityGroupRuleId": self.hexid("sgr-"),
                       "toPort": 22}]}})
        self.scenario(S, "legacy-slash0", "the single-rule form with cidrIp 208.236.235.254/0 (any /0 is everyone)",
                      True, {"_time": iso(tt), "open_cidr": "208.236.235.254/0"})
        tt = t(2, 4, 33, r.randint(0, 59))
        authorize(tt, M, GROUPS[1], [perm("-1", None, None, ["0.0.0.0/0"], ["::/0"])])
        self.scenario(S, "all-traffic", "all traffic (-1) from 0.0.0.0/0 and ::/0", True,
                      {"_time": iso(tt), "protocol": "-1", "open_cidr": ["0.0.0.0/0", "::/0"],
                       "exposes": ["ssh/22", "rdp/3389"]})
        tt = t(0, 15, 2, r.randint(0, 59))
        authorize(tt, C, GROUPS[0], [perm("tcp", 0, 65535, ["10.0.0.0/8", "0.0.0.0/0"], desc="debug")])
        self.scenario(S, "port-range", "tcp 0-65535 from 10.0.0.0/8 and 0.0.0.0/0", True,
                      {"_time": iso(tt), "open_cidr": "0.0.0.0/0", "exposes": ["ssh/22", "rdp/3389"]})
        # near misses
        tt = t(0, 11, 20, r.randint(0, 59))
        authorize(tt, C, GROUPS[2], [perm("tcp", 443, 443, ["0.0.0.0/0"], desc="TLS from Internet"),
                                     perm("tcp", 22, 22, ["10.0.0.0/8"], desc="ssh from the VPN")])
        self.scenario(S, "split-rules", "443 from the world and 22 from 10.0.0.0/8 in one request: the flattened "
                      "fields hold 0.0.0.0/0 and 22, no rule does", False, {"_time": iso(tt)})
        tt = t(1, 9, 40, r.randint(0, 59))
        authorize(tt, P, GROUPS[0], [perm("tcp", 22, 22, ["10.0.0.0/8"])])
        self.scenario(S, "private", "22 from 10.0.0.0/8", False, {"_time": iso(tt)})
        tt = t(1, 9, 44, r.randint(0, 59))
        modify(tt, P, GROUPS[0], [mrule("tcp", 3389, 3389, v4="10.0.0.0/8")])
        self.scenario(S, "private-modify", "3389 from 10.0.0.0/8 in the console", False, {"_time": iso(tt)})
        tt = t(1, 10, 1, r.randint(0, 59))
        authorize(tt, P, GROUPS[0], [perm("tcp", 22, 22, ["0.0.0.0/0"])], name="RevokeSecurityGroupIngress")
        self.scenario(S, "revoke", "RevokeSecurityGroupIngress of 22 from 0.0.0.0/0", False, {"_time": iso(tt)})
        tt = t(1, 10, 5, r.randint(0, 59))
        authorize(tt, P, GROUPS[0], [perm("-1", None, None, ["0.0.0.0/0"])], name="AuthorizeSecurityGroupEgress")
        self.scenario(S, "egress", "an egress rule to 0.0.0.0/0", False, {"_time": iso(tt)})
        tt = t(1, 3, 4, r.randint(0, 59))
        authorize(tt, M, GROUPS[1], [perm("tcp", 22, 22, ["0.0.0.0/0"])],
                  err=("Client.InvalidPermission.Duplicate", "the specified rule \"peer: 0.0.0.0/0, TCP, from port: "
                       "22, to port: 22, ALLOW\" already exists"))
        self.scenario(S, "duplicate", "the same rule again, refused as a duplicate", False, {"_time": iso(tt)})
        tt = t(2, 12, 12, r.randint(0, 59))
        authorize(tt, C, GROUPS[2], [perm("tcp", 8080, 8443, ["0.0.0.0/0"]), perm("icmp", -1, -1, ["0.0.0.0/0"]),
                                     perm("udp", 1, 1024, ["0.0.0.0/0"])])
        self.scenario(S, "other-ports", "8080-8443, icmp and udp 1-1024 from the world", False, {"_time": iso(tt)})

        # -- cloudtrail_tampering
        T = "cloudtrail_tampering"
        tt = t(1, 3, 15, r.randint(0, 59))
        self.call(tt, M, "cloudtrail", "StopLogging", {"name": TRAIL_ARN})
        self.scenario(T, "stop", "the leaked key stops the trail", True,
                      {"_time": iso(tt), "eventName": "StopLogging", "trail": TRAIL_ARN, "outcome": "success"})
        tt = t(1, 3, 16, r.randint(0, 59))
        self.call(tt, M, "cloudtrail", "PutEventSelectors",
                  {"trailName": TRAIL, "eventSelectors": [{"readWriteType": "ReadOnly", "includeManagementEvents": False,
                                                           "dataResources": [], "excludeManagementEventSources": []}]},
                  {"trailARN": TRAIL_ARN, "eventSelectors": [{"readWriteType": "ReadOnly",
                                                             "includeManagementEvents": False, "dataResources": [],
                                                             "excludeManagementEventSources": []}]})
        self.scenario(T, "selectors", "and drops management events", True,
                      {"_time": iso(tt), "trail": TRAIL})
        tt = t(1, 3, 18, r.randint(0, 59))
        self.call(tt, M, "cloudtrail", "DeleteTrail", {"name": TRAIL},
                  err=("AccessDeniedException", "User: %s is not authorized to perform: cloudtrail:DeleteTrail"
                       % self.user_arn("michael.turner")))
        self.scenario(T, "delete-denied", "a denied DeleteTrail is kept", True,
                      {"_time": iso(tt), "outcome": "AccessDeniedException"})
        tt = t(0, 14, 30, r.randint(0, 59))
        self.call(tt, C, "cloudtrail", "UpdateTrail", {"name": TRAIL, "isMultiRegionTrail": True,
                                                      "s3BucketName": "org-cloudtrail-398985017225"},
                  {"name": TRAIL, "s3BucketName": "org-cloudtrail-398985017225", "trailARN": TRAIL_ARN,
                   "isMultiRegionTrail": True, "includeGlobalServiceEvents": True, "logFileValidationEnabled": True})
        self.scenario(T, "terraform-update", "Terraform updates the trail", True, {"_time": iso(tt)})
        tt = t(1, 8, 5, r.randint(0, 59))
        self.call(tt, P, "cloudtrail", "StartLogging", {"name": TRAIL_ARN})
        self.scenario(T, "start", "StartLogging", False, {"_time": iso(tt)})
        tt = t(1, 8, 6, r.randint(0, 59))
        self.call(tt, P, "cloudtrail", "GetTrailStatus", {"name": TRAIL_ARN}, ro=True)
        self.call(tt + 10, P, "cloudtrail", "GetEventSelectors", {"trailName": TRAIL}, ro=True)
        self.scenario(T, "reads", "GetTrailStatus and GetEventSelectors", False, {"_time": iso(tt)})
        tt = t(2, 7, 0, r.randint(0, 59))
        self.call(tt, P, "cloudtrail", "CreateTrail", {"name": "security-lake", "s3BucketName": "sec-lake-trail"},
                  {"name": "security-lake", "trailARN": TRAIL_ARN.replace(TRAIL, "security-lake")}, region="eu-west-1")
        self.scenario(T, "create", "CreateTrail", False, {"_time": iso(tt)})

    def hexid(self, prefix):
        return prefix + "%017x" % self.r.getrandbits(68)

    # ---- background -------------------------------------------------------------------------------
    def background(self):
        r = self.r
        n = self.n_background
        workloads = [("UserAvatarsProcessor", iid, ip, UA_BOTO3, "ec2.amazonaws.com") for iid, ip in INSTANCES]
        workloads += [(fn + "-role", fn, "34.229.%d.%d" % (10 + k, 20 + k), UA_NODE, "lambda.amazonaws.com")
                      for k, fn in enumerate(LAMBDAS)]
        wsess = {}

        def workload_ui(w, tt):
            k = (w[1], tt // 3600)
            s = wsess.get(k)
            if s is None:
                created = (tt // 3600) * 3600 - r.randrange(0, 600)
                key = self.key_id("ASIA")
                s = self.role_ui(w[0], w[1], key, created)
                wsess[k] = s
                if created >= self.start:
                    _, role_arn, _ = self.role(w[0])
                    rid = self.role(w[0])[0]
                    self.emit(created, "sts", "AssumeRole", "us-east-1", {"type": "AWSService", "invokedBy": w[4]},
                              w[4], w[4], {"roleArn": role_arn, "roleSessionName": w[1]},
                              {"credentials": {"accessKeyId": key, "sessionToken": "IQoJb3JpZ2luX2VjE" + "x" * 40,
                                               "expiration": human_date(created + 3600)},
                               "assumedRoleUser": {"assumedRoleId": "%s:%s" % (rid, w[1]),
                                                   "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, w[0], w[1])}},
                              resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn}],
                              shared=True)
            return s

        def when():
            while True:
                tt = self.start + r.randrange(3 * 86400)
                hod = (tt % 86400) // 3600
                if r.random() < (1.0 if 7 <= hod < 19 else 0.35):
                    return tt

        reads = (("ec2", "DescribeInstances", {"filterSet": {}}), ("ec2", "DescribeSecurityGroups", {"filterSet": {}}),
                 ("ec2", "DescribeVpcs", {"filterSet": {}}), ("sts", "GetCallerIdentity", None),
                 ("iam", "ListUsers", {"maxItems": 100}), ("iam", "GetUser", None), ("iam", "ListMFADevices", None),
                 ("iam", "ListRoles", None), ("s3", "ListBuckets", None), ("kms", "DescribeKey", {"keyId": "alias/aws/s3"}),
                 ("cloudtrail", "LookupEvents", {"maxResults": 50}), ("logs", "DescribeLogGroups", None),
                 ("monitoring", "DescribeAlarms", None), ("lambda", "ListFunctions20150331", None))
        console_writes = (("ec2", "StartInstances", lambda: {"instancesSet": {"items": [{"instanceId": r.choice(INSTANCES)[0]}]}}),
                          ("ec2", "StopInstances", lambda: {"instancesSet": {"items": [{"instanceId": r.choice(INSTANCES)[0]}]},
                                                            "force": False}),
                          ("ec2", "CreateTags", lambda: {"resourcesSet": {"items": [{"resourceId": r.choice(INSTANCES)[0]}]},
                                                         "tagSet": {"items": [{"key": "owner", "value": "ops"}]}}),
                          ("s3", "PutBucketTagging", lambda: {"bucketName": r.choice(BUCKETS)[0], "tagging": ""}),
                          ("ssm", "PutParameter", lambda: {"name": "/app/feature-flags", "type": "String",
                                                           "overwrite": True}),
                          ("logs", "PutRetentionPolicy", lambda: {"logGroupName": "/aws/lambda/" + r.choice(LAMBDAS),
                                                                  "retentionInDays": 30}))
        key_humans = [h for h in HUMANS if h[4]]
        for _ in range(n):
            tt = when()
            x = r.random()
            if x < 0.40:     # workloads: S3 objects, KMS, logs
                w = r.choice(workloads)
                ui = workload_ui(w, tt)
                y = r.random()
                if y < 0.6:
                    b, region = r.choice(BUCKETS)
                    key = ("avatars/%06d.png" % r.randrange(10 ** 6) if b == "user-avatars-prod"
                           else "data/part-%05d.parquet" % r.randrange(10 ** 5))
                    name = "GetObject" if r.random() < 0.7 else "PutObject"
                    self.emit(tt, "s3", name, region, ui, w[2], w[3],
                              {"bucketName": b, "Host": "%s.s3.%s.amazonaws.com" % (b, region), "key": key}, None,
                              ro=name == "GetObject", data=True,
                              resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (b, key)},
                                         {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + b}])
                elif y < 0.85:
                    self.emit(tt, "kms", "Decrypt", "us-east-1", ui, w[2], w[3],
                              {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, None)
                else:
                    self.emit(tt, "logs", "CreateLogStream", "us-east-1", ui, w[2], w[3],
                              {"logGroupName": "/aws/lambda/" + w[1], "logStreamName": "2025/12/%s" % self.uuid()[:8]},
                              None, ro=False)
            elif x < 0.62:   # access keys: people with a CLI key, service users, the root integration key
                y = r.random()
                if y < 0.45:
                    who = ("key", r.choice(key_humans)[0])
                elif y < 0.95:
                    who = ("key", r.choice(SERVICE_USERS)[0])
                else:
                    who = ("rootkey",)
                src, ev, q = r.choice(reads)
                ro = True
                if who[0] == "key" and who[1] == "svc-backup" and r.random() < 0.5:
                    b, region = BUCKETS[2]
                    k = "nightly/%s.tar.gz" % self.uuid()[:8]
                    self.call(tt, who, "s3", "PutObject", {"bucketName": b, "Host": "%s.s3.%s.amazonaws.com" % (b, region),
                                                          "key": k}, None, region=region, ro=False, data=True,
                              resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (b, k)}])
                    continue
                if who[0] == "key" and who[1] == "ci-deployer" and r.random() < 0.4:
                    src, ev, q = ("lambda", "UpdateFunctionCode20150331v2",
                                  {"functionName": r.choice(LAMBDAS), "publish": True})
                    ro = False
                if ev in ("GetUser", "ListMFADevices") and who[0] == "key":
                    q = {"userName": who[1]}
                region = r.choice(REGIONS) if src in ("ec2", "logs", "monitoring", "lambda", "kms") else "us-east-1"
                self.call(tt, who, src, ev, q, region=region, ro=ro)
            elif x < 0.90:   # console sessions
                name = r.choice(HUMANS)[0]
                if r.random() < 0.15:
                    src, ev, qf = r.choice(console_writes)
                    self.call(tt, ("console", name), src, ev, qf(), region=r.choice(REGIONS) if src != "s3"
                              else "us-east-1", ro=False)
                else:
                    src, ev, q = r.choice(reads)
                    ua = None
                    ip = None
                    if src == "ec2" and r.random() < 0.3:
                        ua = UA_CONSOLE_EC2
                    elif r.random() < 0.1:
                        ua, ip = UA_INTERNAL, "AWS Internal"
                    self.call(tt, ("console", name), src, ev, q, region=r.choice(REGIONS) if src == "ec2"
                              else "us-east-1", ro=True, ua=ua, ip=ip)
            elif x < 0.95:   # Identity Center users
                i = r.randrange(len(SSO_USERS))
                src, ev, q = r.choice(reads)
                self.call(tt, ("sso", i), src, ev, q, ro=True)
            else:            # the root user's integration key, boto3
                self.call(tt, ("rootkey",), r.choice(("s3", "ec2", "iam")), r.choice(("ListBuckets", "DescribeRegions",
                                                                                      "GetAccountSummary")), None, ro=True)
        # people sign in once or twice a day from home; some mistype their password first
        typos = {}
        for d in range(3):
            for name, ip, bi, mfa, _ in HUMANS:
                for _ in range(1 + (r.random() < 0.4)):
                    tt = self.start + d * 86400 + r.randrange(7 * 3600, 19 * 3600)
                    if r.random() < 0.25 and typos.get(name, 0) < 2:
                        k = 1 + (r.random() < 0.3)
                        typos[name] = typos.get(name, 0) + k
                        for j in range(k):
                            self.login(tt - 30 * (k - j) - r.randint(0, 9), name, ip, False)
                    self.login(tt, name, ip, True)
            for i, (_, _, ip) in enumerate(SSO_USERS):
                self.login(self.start + d * 86400 + r.randrange(8 * 3600, 10 * 3600), ("sso", i), ip, True)
        # service users' keys every hour or so, so that each has a steady footprint
        for name, ip, ua in SERVICE_USERS:
            for h in range(0, 72, 3):
                self.call(self.start + h * 3600 + r.randrange(3600), ("key", name), "sts", "GetCallerIdentity", None,
                          ro=True)

    def build(self):
        self.plant_iam()
        self.plant_logins()
        self.plant_keys()
        self.plant_network_and_trail()
        self.background()
        self.events.sort(key=lambda e: (e[0], e[1]))


# ---- the answer key: each hunt's definition, in plain Python, over every event ----------------------
def get(ev, path):
    """The value at a dotted path of nested objects, None when absent (JSON null is absent)."""
    v = ev
    for p in path.split("."):
        if not isinstance(v, dict):
            return None
        v = v.get(p)
    return v


def coalesce(*vs):
    for v in vs:
        if v is not None:
            return v
    return None


def ok(ev):
    return ev.get("errorCode") is None


def ts(ev):
    return parse_time(ev["eventTime"])


def load_ranges(lookups):
    rows = []
    with open(os.path.join(lookups, "suspicious_ip_ranges.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows.append((ipaddress.ip_network(row["cidr"], strict=False), row["category"], row["description"]))
    return rows


def in_ranges(ranges, ip):
    try:
        a = ipaddress.ip_address(ip)
    except ValueError:
        return []
    return [(c, d) for net, c, d in ranges if a.version == net.version and a in net]


def mv(values):
    """A multivalue cell as cairn prints it: one value bare, several as a list, none as None."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def distinct(values):
    return mv(sorted({str(v) for v in values if v is not None}))


def seen(times):
    return iso(min(times)), iso(max(times))


def answer_key(events, ranges):
    key = {}
    ct = [e for e in events]

    # iam_policy_changed
    rows = []
    for e in ct:
        if e["eventSource"] == "iam.amazonaws.com" and e["eventName"] in ("PutUserPolicy", "PutRolePolicy",
                                                                          "PutGroupPolicy") and ok(e):
            doc = json.loads(get(e, "requestParameters.policyDocument"))
            st = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]

            def star(v):
                return v == "*" or (isinstance(v, list) and "*" in v)
            admin = any(s.get("Effect") == "Allow" and star(s.get("Action")) and star(s.get("Resource")) for s in st)
            rows.append({"_time": e["eventTime"], "userIdentity.arn": get(e, "userIdentity.arn"),
                         "sourceIPAddress": e["sourceIPAddress"], "eventName": e["eventName"],
                         "target": coalesce(get(e, "requestParameters.userName"), get(e, "requestParameters.roleName"),
                                            get(e, "requestParameters.groupName")),
                         "policy_name": get(e, "requestParameters.policyName"),
                         "full_admin": "yes" if admin else "no"})
    key["iam_policy_changed"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress", "eventName", "target",
                                             "policy_name", "full_admin"], "rows": rows}

    # iam_policy_attached
    rows = []
    for e in ct:
        if e["eventSource"] == "iam.amazonaws.com" and e["eventName"] in (
                "AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "AddUserToGroup") and ok(e):
            q = e["requestParameters"]
            granted = q.get("policyArn") or "group/" + q["groupName"]
            priv = any(granted.endswith("policy/" + p) for p in PRIVILEGED_POLICIES) or (
                granted.startswith("group/") and "admin" in granted[6:].lower())
            rows.append({"_time": e["eventTime"], "userIdentity.arn": get(e, "userIdentity.arn"),
                         "sourceIPAddress": e["sourceIPAddress"], "eventName": e["eventName"],
                         "target": coalesce(q.get("userName"), q.get("roleName"), q.get("groupName")),
                         "granted": granted, "privileged": "yes" if priv else "no"})
    key["iam_policy_attached"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress", "eventName", "target",
                                              "granted", "privileged"], "rows": rows}

    # iam_mfa_removed
    mfa = []
    for e in ct:
        if e["eventSource"] == "iam.amazonaws.com" and ok(e) and e["eventName"] in (
                "DeactivateMFADevice", "DeleteVirtualMFADevice", "CreateVirtualMFADevice", "EnableMFADevice"):
            serial = get(e, "requestParameters.serialNumber")
            target = coalesce(get(e, "requestParameters.userName"),
                              re.sub(r"^arn:aws:iam::\d+:mfa/", "", serial) if serial is not None else None,
                              get(e, "requestParameters.virtualMFADeviceName"))
            mfa.append((ts(e), target, e))
    per_target = {}
    for t, target, e in mfa:
        per_target.setdefault(target, []).append(t)
    for target, tl in per_target.items():
        if len(tl) != len(set(tl)):
            raise SystemExit("plan error: two MFA events for %s in one second" % target)
    rows = []
    for t, target, e in mfa:
        if e["eventName"] not in ("DeactivateMFADevice", "DeleteVirtualMFADevice"):
            continue
        later = [u for u, tg, x in mfa if tg == target and u > t
                 and x["eventName"] in ("CreateVirtualMFADevice", "EnableMFADevice")]
        nxt = min(later) - t if later else None
        if nxt == MFA_WINDOW:
            raise SystemExit("plan error: an MFA gap of exactly %d s" % MFA_WINDOW)
        if nxt is None or nxt > MFA_WINDOW:
            rows.append({"_time": e["eventTime"], "userIdentity.arn": get(e, "userIdentity.arn"),
                         "sourceIPAddress": e["sourceIPAddress"], "eventName": e["eventName"], "target": target,
                         "seconds_to_new_device": nxt})
    key["iam_mfa_removed"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress", "eventName", "target",
                                          "seconds_to_new_device"], "rows": rows}

    # iam_access_key_created
    rows = []
    for e in ct:
        if e["eventSource"] != "iam.amazonaws.com" or not ok(e):
            continue
        if not (e["eventName"] == "CreateAccessKey" or (e["eventName"] == "UpdateAccessKey" and str(
                get(e, "requestParameters.status")).lower() == "active")):
            continue
        utype = get(e, "userIdentity.type")
        owner = coalesce(get(e, "requestParameters.userName"), get(e, "responseElements.accessKey.userName"),
                         "root" if utype == "Root" else get(e, "userIdentity.userName"))
        arn = get(e, "userIdentity.arn") or ""
        if utype == "Root" or owner == "root":
            priv = "root"
        elif "admin" in (owner or "").lower() or "admin" in arn.lower():
            priv = "admin"
        else:
            priv = None
        rows.append({"_time": e["eventTime"], "userIdentity.arn": get(e, "userIdentity.arn"), "userIdentity.type": utype,
                     "sourceIPAddress": e["sourceIPAddress"], "eventName": e["eventName"], "key_owner": owner,
                     "access_key": coalesce(get(e, "responseElements.accessKey.accessKeyId"),
                                            get(e, "requestParameters.accessKeyId")),
                     "privileged": priv})
    key["iam_access_key_created"] = {"columns": ["_time", "userIdentity.arn", "userIdentity.type", "sourceIPAddress",
                                                 "eventName", "key_owner", "access_key", "privileged"], "rows": rows}

    logins = [e for e in ct if e["eventName"] == "ConsoleLogin"]

    def who(e):
        return coalesce(get(e, "userIdentity.userName"), get(e, "userIdentity.arn"))

    def outcome(e):
        return get(e, "responseElements.ConsoleLogin")

    # console_root_login
    rows = [{"_time": e["eventTime"], "userIdentity.arn": get(e, "userIdentity.arn"),
             "sourceIPAddress": e["sourceIPAddress"], "userAgent": e["userAgent"], "outcome": outcome(e),
             "mfa_used": get(e, "additionalEventData.MFAUsed"), "errorMessage": e.get("errorMessage")}
            for e in logins if get(e, "userIdentity.type") == "Root"]
    key["console_root_login"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress", "userAgent", "outcome",
                                             "mfa_used", "errorMessage"], "rows": rows}

    # console_login_without_mfa
    rows = [{"_time": e["eventTime"], "user": who(e), "userIdentity.type": get(e, "userIdentity.type"),
             "userIdentity.arn": get(e, "userIdentity.arn"), "sourceIPAddress": e["sourceIPAddress"],
             "userAgent": e["userAgent"]}
            for e in logins if outcome(e) == "Success" and str(get(e, "additionalEventData.MFAUsed")).lower() == "no"
            and get(e, "userIdentity.type") in ("IAMUser", "Root")]
    key["console_login_without_mfa"] = {"columns": ["_time", "user", "userIdentity.type", "userIdentity.arn",
                                                    "sourceIPAddress", "userAgent"], "rows": rows}

    # console_brute_force
    bins = {}
    for e in logins:
        if outcome(e) == "Failure":
            t = ts(e)
            bins.setdefault((t - t % BIN_SPAN, e["sourceIPAddress"], who(e)), []).append(e)
    rows = [{"_time": iso(b), "sourceIPAddress": ip, "user": u, "failures": len(es),
             "user_agents": distinct(x["userAgent"] for x in es)}
            for (b, ip, u), es in bins.items() if len(es) >= BRUTE_THRESHOLD]
    key["console_brute_force"] = {"columns": ["_time", "sourceIPAddress", "user", "failures", "user_agents"],
                                  "rows": rows}

    # console_success_after_failures
    by_ip = {}
    for e in logins:
        by_ip.setdefault(e["sourceIPAddress"], []).append((ts(e), e))
    rows = []
    for ip, xs in by_ip.items():
        tl = [t for t, _ in xs]
        if len(tl) != len(set(tl)):
            raise SystemExit("plan error: two sign-ins from %s in one second" % ip)
        for t, e in xs:
            for u, _ in xs:
                if abs(u - t) == AFTER_WINDOW:
                    raise SystemExit("plan error: sign-ins from %s exactly %d s apart" % (ip, AFTER_WINDOW))
            if outcome(e) != "Success":
                continue
            prior = [x for u, x in xs if t - AFTER_WINDOW < u <= t and outcome(x) == "Failure"]
            if len(prior) >= AFTER_THRESHOLD:
                rows.append({"_time": e["eventTime"], "sourceIPAddress": ip, "user": who(e),
                             "failures_before": len(prior), "users_tried": len({who(x) for x in prior})})
    key["console_success_after_failures"] = {"columns": ["_time", "sourceIPAddress", "user", "failures_before",
                                                         "users_tried"], "rows": rows}

    # console_login_suspicious_ip
    rows = []
    for e in logins:
        if outcome(e) == "Success":
            m = in_ranges(ranges, e["sourceIPAddress"])
            if m:
                rows.append({"_time": e["eventTime"], "user": who(e), "userIdentity.type": get(e, "userIdentity.type"),
                             "sourceIPAddress": e["sourceIPAddress"], "category": mv([c for c, _ in m]),
                             "description": mv([d for _, d in m]),
                             "additionalEventData.MFAUsed": get(e, "additionalEventData.MFAUsed")})
    key["console_login_suspicious_ip"] = {"columns": ["_time", "user", "userIdentity.type", "sourceIPAddress",
                                                      "category", "description", "additionalEventData.MFAUsed"],
                                          "rows": rows}

    # key_long_term_activity
    groups = {}
    for e in ct:
        k = get(e, "userIdentity.accessKeyId")
        arn = get(e, "userIdentity.arn")
        if isinstance(k, str) and k.upper().startswith("AKIA") and arn is not None:
            groups.setdefault((k, arn), []).append(e)
    rows = []
    for (k, arn), es in groups.items():
        first, last = seen([ts(x) for x in es])
        rows.append({"userIdentity.accessKeyId": k, "userIdentity.arn": arn, "events": len(es),
                     "event_types": len({x["eventName"] for x in es}),
                     "errors": sum(1 for x in es if x.get("errorCode") is not None),
                     "source_ips": distinct(x["sourceIPAddress"] for x in es),
                     "regions": distinct(x["awsRegion"] for x in es), "first_seen": first, "last_seen": last})
    key["key_long_term_activity"] = {"columns": ["userIdentity.accessKeyId", "userIdentity.arn", "events",
                                                 "event_types", "errors", "source_ips", "regions", "first_seen",
                                                 "last_seen"], "rows": rows}

    # key_no_session_context
    groups = {}
    for e in ct:
        k = get(e, "userIdentity.accessKeyId")
        if not (isinstance(k, str) and k[:4].upper() in ("AKIA", "ASIA")):
            continue
        if get(e, "userIdentity.sessionContext.attributes.creationDate") is not None:
            continue
        u = coalesce(get(e, "userIdentity.arn"), get(e, "userIdentity.userName"))
        if u is None:
            continue
        groups.setdefault((u, e["sourceIPAddress"]), []).append(e)
    rows = []
    for (u, ip), es in groups.items():
        first, last = seen([ts(x) for x in es])
        rows.append({"user": u, "sourceIPAddress": ip, "events": len(es),
                     "event_types": len({x["eventName"] for x in es}),
                     "access_keys": distinct(get(x, "userIdentity.accessKeyId") for x in es),
                     "user_agents": distinct(x["userAgent"] for x in es), "first_seen": first, "last_seen": last})
    key["key_no_session_context"] = {"columns": ["user", "sourceIPAddress", "events", "event_types", "access_keys",
                                                 "user_agents", "first_seen", "last_seen"], "rows": rows}

    # key_programmatic_console_users
    console_users = {get(e, "userIdentity.userName") for e in logins
                     if outcome(e) == "Success" and get(e, "userIdentity.type") == "IAMUser"}

    def tool(ua):
        lo = ua.lower()
        if lo.startswith("aws-cli/"):
            return "aws-cli"
        if lo.startswith(("boto3/", "botocore/")):
            return "boto3"
        if lo.startswith("aws-sdk-"):
            return "aws-sdk"
        if "terraform/" in lo:
            return "terraform"
        return None
    groups = {}
    for e in ct:
        ua = e.get("userAgent") or ""
        if get(e, "userIdentity.type") != "IAMUser" or "exec-env/cloudshell" in ua.lower() or tool(ua) is None:
            continue
        name = get(e, "userIdentity.userName")
        if name in console_users:
            groups.setdefault(name, []).append(e)
    rows = []
    for name, es in groups.items():
        first, last = seen([ts(x) for x in es])
        rows.append({"userIdentity.userName": name, "events": len(es), "tools": distinct(tool(x["userAgent"]) for x in es),
                     "event_types": len({x["eventName"] for x in es}),
                     "access_keys": distinct(get(x, "userIdentity.accessKeyId") for x in es),
                     "source_ips": distinct(x["sourceIPAddress"] for x in es), "first_seen": first, "last_seen": last})
    key["key_programmatic_console_users"] = {"columns": ["userIdentity.userName", "events", "tools", "event_types",
                                                         "access_keys", "source_ips", "first_seen", "last_seen"],
                                             "rows": rows}

    # key_assumed_role_traced
    sessions = {}
    for e in ct:
        k = get(e, "responseElements.credentials.accessKeyId")
        if e["eventName"] == "AssumeRole" and get(e, "userIdentity.type") == "IAMUser" and k is not None:
            sessions.setdefault(k, (get(e, "userIdentity.arn"), e["sourceIPAddress"],
                                    get(e, "requestParameters.roleArn"), get(e, "requestParameters.roleSessionName")))
    rows = []
    for e in ct:
        k = get(e, "userIdentity.accessKeyId")
        if get(e, "userIdentity.type") == "AssumedRole" and k in sessions:
            by, frm, role, sess = sessions[k]
            rows.append({"_time": e["eventTime"], "eventSource": e["eventSource"], "eventName": e["eventName"],
                         "assumed_by": by, "role_arn": role, "session_name": sess,
                         "sourceIPAddress": e["sourceIPAddress"], "assumed_from": frm, "session_key": k})
    key["key_assumed_role_traced"] = {"columns": ["_time", "eventSource", "eventName", "assumed_by", "role_arn",
                                                  "session_name", "sourceIPAddress", "assumed_from", "session_key"],
                                      "rows": rows}

    # write_events_summary
    groups = {}
    for e in ct:
        if e.get("readOnly") is not False:
            continue
        u = coalesce(get(e, "userIdentity.arn"), get(e, "userIdentity.userName"), get(e, "userIdentity.invokedBy"),
                     get(e, "userIdentity.type"))
        groups.setdefault((u, e["eventName"]), []).append(e)
    rows = []
    for (u, name), es in groups.items():
        first, last = seen([ts(x) for x in es])
        rows.append({"user": u, "eventName": name, "events": len(es),
                     "failed": sum(1 for x in es if x.get("errorCode") is not None or x.get("errorMessage") is not None),
                     "source_ips": len({x["sourceIPAddress"] for x in es}), "first_seen": first, "last_seen": last})
    key["write_events_summary"] = {"columns": ["user", "eventName", "events", "failed", "source_ips", "first_seen",
                                               "last_seen"], "rows": rows}

    # ec2_security_group_open_to_world
    rows = []
    for e in ct:
        if e["eventSource"] != "ec2.amazonaws.com" or e["eventName"] not in (
                "AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules") or not ok(e):
            continue
        q = e.get("requestParameters") or {}
        rules = []
        items = get(e, "requestParameters.ipPermissions.items")
        for it in items if isinstance(items, list) else []:
            rules.append((it.get("ipProtocol"), it.get("fromPort"), it.get("toPort"),
                          [x["cidrIp"] for x in (it.get("ipRanges") or {}).get("items", [])]
                          + [x["cidrIpv6"] for x in (it.get("ipv6Ranges") or {}).get("items", [])]))
        srr = get(e, "requestParameters.ModifySecurityGroupRulesRequest.SecurityGroupRule")
        for x in [srr] if isinstance(srr, dict) else (srr or []):
            m = x["SecurityGroupRule"]
            rules.append((m.get("IpProtocol"), m.get("FromPort"), m.get("ToPort"),
                          [c for c in (m.get("CidrIpv4"), m.get("CidrIpv6")) if c is not None]))
        if not rules:
            rules.append((q.get("ipProtocol"), q.get("fromPort"), q.get("toPort"),
                          [c for c in (q.get("cidrIp"), q.get("cidrIpv6")) if c is not None]))
        for proto, lo, hi, cidrs in rules:
            proto = None if proto is None else str(proto)
            open_ = [c for c in cidrs if c.endswith("/0")]
            exposes = []
            for port, label in ((22, "ssh/22"), (3389, "rdp/3389")):
                if proto == "-1" or (proto in ("tcp", "6") and lo is not None and hi is not None and lo <= port <= hi):
                    exposes.append(label)
            if open_ and exposes:
                rows.append({"_time": e["eventTime"], "userIdentity.arn": get(e, "userIdentity.arn"),
                             "sourceIPAddress": e["sourceIPAddress"], "eventName": e["eventName"],
                             "group_id": coalesce(q.get("groupId"),
                                                  get(e, "requestParameters.ModifySecurityGroupRulesRequest.GroupId")),
                             "protocol": proto, "from_port": lo, "to_port": hi, "open_cidr": mv(open_),
                             "exposes": mv(exposes)})
    key["ec2_security_group_open_to_world"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress", "eventName",
                                                           "group_id", "protocol", "from_port", "to_port", "open_cidr",
                                                           "exposes"], "rows": rows}

    # cloudtrail_tampering
    rows = [{"_time": e["eventTime"], "userIdentity.arn": get(e, "userIdentity.arn"),
             "sourceIPAddress": e["sourceIPAddress"], "awsRegion": e["awsRegion"], "eventName": e["eventName"],
             "trail": coalesce(get(e, "requestParameters.name"), get(e, "requestParameters.trailName")),
             "outcome": coalesce(e.get("errorCode"), "success")}
            for e in ct if e["eventSource"] == "cloudtrail.amazonaws.com"
            and e["eventName"] in ("StopLogging", "DeleteTrail", "PutEventSelectors", "UpdateTrail")]
    key["cloudtrail_tampering"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress", "awsRegion", "eventName",
                                               "trail", "outcome"], "rows": rows}

    for v in key.values():
        v["rows"].sort(key=lambda r: json.dumps(r, sort_keys=True))
    return key


def check_expectations(scenarios, key):
    """Every planted scenario's stated outcome must agree with the computed key."""
    problems = []
    for s in scenarios:
        rows = key[s["hunt"]]["rows"]

        def norm(v):
            return tuple(v) if isinstance(v, list) else v
        hit = any(all(norm(r.get(c)) == norm(v) for c, v in s["match"].items()) for r in rows)
        if hit != s["fires"]:
            problems.append("%s / %s: expected %s" % (s["hunt"], s["name"], "a row" if s["fires"] else "no row"))
    for name, v in key.items():
        if not v["rows"]:
            problems.append("%s: no rows at all" % name)
    if problems:
        raise SystemExit("the answer key disagrees with the plan:\n  " + "\n  ".join(problems))


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", required=True)
    ap.add_argument("--background", type=int, default=3000, help="number of background events (default 3000)")
    ap.add_argument("--start", default="2025-12-08T00:00:00Z", help="midnight UTC of the first of the three days")
    ap.add_argument("--lookups", default=os.path.join(here, "..", "hunts", "lookups"),
                    help="the hunts' lookups directory (suspicious_ip_ranges.csv)")
    a = ap.parse_args(argv)
    start = parse_time(a.start)
    if start % 86400:
        ap.error("--start must be a midnight UTC")
    g = Gen(a.seed, start, a.background)
    g.build()
    events = [e for _, _, e in g.events]
    key = answer_key(events, load_ranges(a.lookups))
    check_expectations(g.scenarios, key)
    os.makedirs(a.out, exist_ok=True)
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    with open(os.path.join(a.out, "cloudtrail.ndjson"), "w", encoding="utf-8", newline="\n") as f:
        for e in events:
            f.write(dumps(e) + "\n")
    doc = {"seed": a.seed, "start": iso(start), "events": len(events), "hunts": key, "plan": g.scenarios}
    with open(os.path.join(a.out, "answer_key.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%d events, %d hunts, %d scenarios in %s" % (len(events), len(key), len(g.scenarios), a.out),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
