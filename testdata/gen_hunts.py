#!/usr/bin/env python3
"""CloudTrail data with planted answers for the four hunts of the seed notes (Python 3 standard library only).

    python3 testdata/gen_hunts.py --seed 7 --out DIR [--background 3000] [--start 2025-12-08T00:00:00Z]

Writes, under DIR:

- `AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<stamp>_<rand>.json`:
  `{"Records":[...]}` files as AWS delivers them, one per account, region and hour;
- `lookups/suspicious_ranges.csv` (cidr,provider,category) and `lookups/lookups.conf`, which declares
  `match_type = CIDR(cidr)` for the lookup `suspicious_ranges`;
- `answer_key.json`: for each hunt query of `testdata/hunts/` (by file stem), the columns to compare and
  the expected rows; and the plan (every planted scenario with what it is meant to show).

Four hunts (../shared/seed/aws-security-logging-notes.en.md), over three days:

a. brute force: ConsoleLogin failures per sourceIPAddress and user, in 10-minute bins, in a sliding
   10-minute window and as bursts (pauses under 5 minutes); IPs whose failures are followed by a success;
b. MFA removal (DeactivateMFADevice, DeleteVirtualMFADevice) not followed within 15 minutes by a new
   device (CreateVirtualMFADevice + EnableMFADevice) for the same user;
c. AssumeRole by IAM users, and every later AssumedRole action with the returned ASIA key, joined back
   to the real user;
d. successful console logins from the address ranges of a CIDR lookup.

The answer key is computed from the plan: every event that any hunt can see (ConsoleLogin, the four MFA
events, AssumeRole by IAM users and the AssumedRole actions of those sessions) is planted by a scenario
and recorded in the plan as it is made; the key applies each hunt's definition to those records. The
background (a few thousand ordinary events: describes, S3 objects, KMS, console and instance-role
activity, AssumeRole by EC2 and Lambda) never uses those event names for an IAM user, so it cannot
change an answer. Each scenario also states its intended outcome, and the generator stops with an
error if the computed key disagrees with one, or if a planted time sits exactly on a window edge
(a pause of exactly 300 s, two failures exactly 600 s apart, an MFA gap of exactly 900 s).

Determinism: the output is a pure function of the arguments (random.Random(seed) only, the clock is
never read, serialization `json.dumps(ev, separators=(',', ':'), ensure_ascii=False)`).
"""

import argparse
import calendar
import ipaddress
import json
import os
import sys
import time
from random import Random

ACCOUNT = "398985017225"
STEM = "VZZK4G6E"
KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ROOT_ARN = "arn:aws:iam::%s:root" % ACCOUNT
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"

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
UA_BOTO3 = ("Boto3/1.35.76 md/Botocore#1.35.76 ua/2.0 os/linux#5.10.228-219.884.amzn2.x86_64 md/arch#x86_64 "
            "lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.76")
UA_NODE = "aws-sdk-js/3.705.0 ua/2.1 os/linux#5.10.228 lang/js md/nodejs#20.18.1 api/s3#3.705.0 exec-env/AWS_Lambda_nodejs20.x"
UA_KALI = "aws-cli/1.22.34 Python/3.9.12 Linux/6.5.0-kali3-amd64 botocore/1.24.19"
UA_HYDRA = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"
BROWSERS = (UA_CHROME_WIN, UA_CHROME_MAC, UA_FIREFOX_LINUX, UA_SAFARI, UA_EDGE)

# name, home IP, browser index, MFA at login
HUMANS = (
    ("jeff.harrison", "149.40.62.48", 0, True),
    ("thomas.bennett", "81.2.69.160", 2, False),
    ("otake.nao", "133.32.180.12", 3, False),
    ("michael.turner", "67.220.68.41", 1, True),
    ("sarah.braun", "91.64.12.200", 4, True),
    ("emma.wilson", "86.12.44.7", 1, True),
    ("lucas.martin", "90.84.115.3", 0, True),
    ("aiko.tanaka", "126.77.201.9", 3, True),
    ("carlos.mendez", "187.189.33.54", 2, True),
    ("priya.sharma", "49.36.120.88", 0, True),
    ("noah.fischer", "95.90.250.11", 4, True),
    ("olivia.dubois", "2a01:cb00:85d:1a00:4c2e:90ff:fe11:2b7a", 0, True),
    ("liam.oconnor", "109.255.60.2", 1, False),
    ("sofia.rossi", "151.38.12.99", 2, True),
    ("kenji.sato", "153.246.8.30", 3, True),
)
SERVICE_USERS = (("svc-backup", "54.175.22.19", UA_BOTO3), ("ci-deployer", "20.42.13.77", UA_CLI),
                 ("splunk-integration", "18.206.44.101", UA_BOTO3))
ATTACKER_IP = "185.183.33.33"   # where michael.turner's leaked access key is used from

# The CIDR lookup: documentation ranges (RFC 5737, RFC 3849) standing for VPN, Tor and hosting networks.
RANGES = (
    ("192.0.2.0/25", "ExampleVPN", "vpn"),
    ("198.51.100.0/24", "Tor exit nodes", "tor"),
    ("203.0.113.128/25", "ExampleHost VPS", "hosting"),
    ("2001:db8:4000::/36", "ExampleHost VPS", "hosting"),
)
LOOKUP_NAME = "suspicious_ranges"

BUCKETS = (("user-avatars-prod", "us-east-1"), ("prod-website-thm", "us-east-1"),
           ("company-backups-2025", "eu-central-1"), ("data-lake-raw-398985017225", "us-west-2"))
INSTANCES = (("i-0d2b8acdedc371589", "3.91.170.24"), ("i-04fa0268276e1f763", "54.160.33.102"),
             ("i-0a91c3e5b7d24f160", "44.204.81.9"))
LAMBDAS = ("order-processor", "thumbnail-resizer", "nightly-report")

BRUTE_THRESHOLD = 5      # failures
BIN_SPAN = 600           # bin _time span=10m, streamstats time_window=10m
BURST_PAUSE = 300        # transaction maxpause=5m (failure bursts)
SUCCESS_PAUSE = 600      # transaction maxpause=10m (failures then a success)
MFA_WINDOW = 900         # 15 minutes


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def human_date(t):
    g = time.gmtime(t)
    h = g.tm_hour % 12 or 12
    return "%s %d, %d, %d:%02d:%02d %s" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_year, h, g.tm_min, g.tm_sec,
                                          "AM" if g.tm_hour < 12 else "PM")


def parse_start(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


class Gen:
    def __init__(self, seed, start, background):
        self.r = Random(seed)
        self.start = start
        self.end = start + 3 * 86400
        self.n_background = background
        self.events = []
        # the plan: what the scenarios planted, as they planted it
        self.logins = []      # every ConsoleLogin
        self.mfa = []         # every DeactivateMFADevice / DeleteVirtualMFADevice / CreateVirtualMFADevice / EnableMFADevice
        self.sessions = []    # every AssumeRole by an IAM user, with the actions of its session
        self.scenarios = []   # (hunt, name, description, expectation)
        self.pid = {}
        self.akia = {}
        self.console = {}     # (user, hour) -> console session userIdentity
        for name, _, _, _ in HUMANS + tuple((n, i, 0, False) for n, i, _ in SERVICE_USERS):
            self.pid[name] = self.key_id("AIDA", 9)
            self.akia[name] = self.key_id("AKIA")
        self.role_ids = {}

    # ---- helpers -------------------------------------------------------------------------------
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

    def role(self, name):
        if name not in self.role_ids:
            rid = self.key_id("AROA", 9)
            arn = "arn:aws:iam::%s:role/%s" % (ACCOUNT, name)
            self.role_ids[name] = (rid, arn, {"type": "Role", "principalId": rid, "arn": arn, "accountId": ACCOUNT,
                                              "userName": name})
        return self.role_ids[name]

    def key_ui(self, name):
        return {"type": "IAMUser", "principalId": self.pid[name], "arn": self.user_arn(name), "accountId": ACCOUNT,
                "accessKeyId": self.akia[name], "userName": name}

    def console_ui(self, name, t):
        k = (name, t // 3600)
        ui = self.console.get(k)
        if ui is None:
            mfa = self.human(name)[3]
            created = max(self.start, (t // 3600) * 3600 - self.r.randrange(60, 900))
            ui = {"type": "IAMUser", "principalId": self.pid[name], "arn": self.user_arn(name), "accountId": ACCOUNT,
                  "accessKeyId": self.key_id("ASIA"), "userName": name,
                  "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                                     "attributes": {"creationDate": iso(created),
                                                    "mfaAuthenticated": "true" if mfa else "false"}}}
            self.console[k] = ui
        return ui

    def role_ui(self, role_name, session, key, created, mfa=False):
        rid, _, issuer = self.role(role_name)
        ui = {"type": "AssumedRole", "principalId": "%s:%s" % (rid, session),
              "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role_name, session), "accountId": ACCOUNT,
              "accessKeyId": key,
              "sessionContext": {"sessionIssuer": issuer, "webIdFederationData": {},
                                 "attributes": {"creationDate": iso(created),
                                                "mfaAuthenticated": "true" if mfa else "false"}}}
        if session.startswith("i-") and role_name == "UserAvatarsProcessor":
            ui["sessionContext"]["ec2RoleDelivery"] = "2.0"
        return ui

    def tls(self, host):
        return {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}

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
        ev["managementEvent"] = not data
        ev["recipientAccountId"] = ACCOUNT
        if shared:
            ev["sharedEventID"] = self.uuid()
        ev["eventCategory"] = "Data" if data else "Management"
        if ui.get("type") != "AWSService":
            if host is None:
                host = (src + ".amazonaws.com") if src in ("iam", "sts") else "%s.%s.amazonaws.com" % (src, region)
            ev["tlsDetails"] = self.tls(host)
        if console:
            ev["sessionCredentialFromConsole"] = "true"
        self.events.append((t, len(self.events), ev))
        return ev

    # ---- ConsoleLogin ----------------------------------------------------------------------------
    def login(self, t, user, ip, success, scenario, ua=None, mfa=None):
        """user: an IAM user name, "root", or None for a user name that does not exist."""
        r = self.r
        if user == "root":
            ui = {"type": "Root", "principalId": ACCOUNT, "arn": ROOT_ARN, "accountId": ACCOUNT, "accessKeyId": ""}
            who = ROOT_ARN
        elif user is None:
            ui = {"type": "IAMUser", "accountId": ACCOUNT, "accessKeyId": "", "userName": HIDDEN}
            who = HIDDEN
        elif success:
            ui = {"type": "IAMUser", "principalId": self.pid[user], "arn": self.user_arn(user), "accountId": ACCOUNT,
                  "userName": user}
            who = user
        else:
            ui = {"type": "IAMUser", "principalId": self.pid[user], "accountId": ACCOUNT, "accessKeyId": "",
                  "userName": user}
            who = user
        if ua is None:
            ua = BROWSERS[self.human(user)[2]] if user not in ("root", None) else UA_FIREFOX_LINUX
        if mfa is None:
            mfa = success and user not in ("root", None) and self.human(user)[3]
        login_to = ("https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state="
                    "hashArgsFromTB_us-east-1_" + ("%016x" % r.getrandbits(64)))
        aed = {"LoginTo": login_to, "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"}
        if mfa:
            aed = {"LoginTo": login_to, "MobileVersion": "No",
                   "MFAIdentifier": "arn:aws:iam::%s:mfa/%s" % (ACCOUNT, user), "MFAUsed": "Yes"}
        ev = self.emit(t, "signin", "ConsoleLogin", "us-east-1", ui, ip, ua, None,
                       {"ConsoleLogin": "Success" if success else "Failure"},
                       err=None if success else (None, "Failed authentication"), aed=aed, ro=False,
                       etype="AwsConsoleSignIn", request_id=False, host="signin.aws.amazon.com")
        arn = ui.get("arn")
        self.logins.append({"t": t, "ip": ip, "user": who, "arn": arn, "success": success, "scenario": scenario})
        if success and mfa:
            self.emit(t - 4, "signin", "CheckMfa", "us-east-1", dict(ui), ip, ua, None, {"CheckMfa": "Success"},
                      aed={"MfaType": "Virtual MFA"}, ro=False, etype="AwsConsoleSignIn", request_id=False,
                      host="signin.aws.amazon.com")
        return ev

    def burst(self, t0, user, ip, n, gaps, scenario, ua=UA_HYDRA):
        """n failures from t0, the i-th gap drawn from gaps (a (lo, hi) pair); returns the failure times."""
        times = []
        t = t0
        for i in range(n):
            if i:
                t += self.r.randint(*gaps)
            self.login(t, user, ip, False, scenario, ua=ua)
            times.append(t)
        return times

    # ---- MFA ---------------------------------------------------------------------------------------
    def mfa_event(self, t, name, target, actor, scenario):
        """actor: ("console", user) or ("key", user)."""
        kind, who = actor
        if kind == "console":
            ui = self.console_ui(who, t)
            ip, ua = self.human(who)[1], BROWSERS[self.human(who)[2]]
        else:
            ui = self.key_ui(who)
            ip, ua = (ATTACKER_IP, UA_KALI) if who == "michael.turner" else (self.human(who)[1], UA_CLI)
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
            req = {"userName": target, "serialNumber": serial}
        self.emit(t, "iam", name, "us-east-1", ui, ip, ua, req, resp, ro=False, console=(kind == "console"))
        self.mfa.append({"t": t, "eventName": name, "target": target, "actor_arn": ui["arn"], "scenario": scenario})

    # ---- AssumeRole --------------------------------------------------------------------------------
    def assume_role(self, t, user, via, role_name, session, scenario, actions=(), fail=False):
        """via: "key" (the user's AKIA key) or "console" (switch role in the console session)."""
        r = self.r
        _, role_arn, _ = self.role(role_name)
        if via == "key":
            ui = self.key_ui(user)
            ip, ua = (ATTACKER_IP, UA_KALI) if user == "michael.turner" else (self.human(user)[1], UA_CLI)
        else:
            ui = self.console_ui(user, t)
            ip, ua = self.human(user)[1], BROWSERS[self.human(user)[2]]
        req = {"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600}
        res = [{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn}]
        if fail:
            err = ("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
                   % (self.user_arn(user), role_arn))
            self.emit(t, "sts", "AssumeRole", "us-east-1", ui, ip, ua, req, None, err=err, resources=res,
                      console=(via == "console"))
            return None
        key = self.key_id("ASIA")
        rid = self.role(role_name)[0]
        token = "IQoJb3JpZ2luX2VjE" + "".join(r.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                                                          k=180))
        resp = {"credentials": {"accessKeyId": key, "sessionToken": token, "expiration": human_date(t + 3600)},
                "assumedRoleUser": {"assumedRoleId": "%s:%s" % (rid, session),
                                    "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role_name, session)}}
        self.emit(t, "sts", "AssumeRole", "us-east-1", ui, ip, ua, req, resp, resources=res,
                  console=(via == "console"))
        sess = {"t": t, "user_arn": ui["arn"], "role_arn": role_arn, "session": session, "key": key,
                "actions": [], "scenario": scenario}
        rui = self.role_ui(role_name, session, key, t)
        for off, src, name, region, q, ro, data in actions:
            ta = t + off
            self.emit(ta, src, name, region, rui, ip, ua, q, None, ro=ro, data=data)
            sess["actions"].append({"t": ta, "eventName": name})
        self.sessions.append(sess)
        return sess

    # ---- scenarios -----------------------------------------------------------------------------------
    def scenario(self, hunt, name, description, expect):
        self.scenarios.append({"hunt": hunt, "name": name, "description": description, "expect": expect})

    def plant_brute_force(self):
        r = self.r
        t = self.t
        # S1: fast burst from a Tor exit, then the success (thomas.bennett has no MFA)
        f = self.burst(t(0, 9, 21, r.randint(5, 20)), "thomas.bennett", "198.51.100.23", 8, (12, 22), "tor-burst-success")
        self.login(f[-1] + r.randint(30, 50), "thomas.bennett", "198.51.100.23", True, "tor-burst-success",
                   ua=UA_FIREFOX_LINUX, mfa=False)
        self.scenario("a", "tor-burst-success", "8 failures for thomas.bennett from 198.51.100.23 in 3 minutes, "
                      "then a success without MFA", {"bin": True, "sliding": True, "burst": True, "then_success": True,
                                                     "then_success_txn": True})
        # S2: the root user (its userIdentity has no userName)
        self.burst(t(0, 14, 2, r.randint(0, 20)), "root", "45.146.164.110", 7, (20, 35), "root-burst")
        self.scenario("a", "root-burst", "7 failures for the root user (no userIdentity.userName) from 45.146.164.110",
                      {"bin": True, "sliding": True, "burst": True, "then_success": False})
        # S3: a user name that does not exist
        self.burst(t(1, 3, 11, r.randint(0, 20)), None, "193.142.146.35", 12, (8, 18), "unknown-user-burst")
        self.scenario("a", "unknown-user-burst", "12 failures for an unknown user (HIDDEN_DUE_TO_SECURITY_REASONS)",
                      {"bin": True, "sliding": True, "burst": True, "then_success": False})
        # S4: just under the threshold, twice, 30 minutes apart (8 in the hour, never 5 in 10 minutes)
        self.burst(t(0, 11, 41, r.randint(0, 20)), "jeff.harrison", "185.220.101.47", 4, (15, 25), "under-twice")
        self.burst(t(0, 12, 15, r.randint(0, 20)), "jeff.harrison", "185.220.101.47", 4, (15, 25), "under-twice")
        self.scenario("a", "under-twice", "4 failures for jeff.harrison, and 4 more 30 minutes later",
                      {"bin": False, "sliding": False, "burst": False, "then_success": False})
        # S5: exactly at the threshold
        self.burst(t(1, 16, 33, r.randint(0, 20)), "otake.nao", "185.220.101.47", 5, (20, 30), "at-threshold")
        self.scenario("a", "at-threshold", "exactly 5 failures for otake.nao in 2 minutes",
                      {"bin": True, "sliding": True, "burst": True, "then_success": False})
        # S6: 6 failures straddling a 10-minute boundary, 3 on each side
        b = t(1, 10, 10)
        for dt in (-r.randint(75, 85), -r.randint(50, 60), -r.randint(15, 25),
                   r.randint(10, 20), r.randint(45, 55), r.randint(85, 95)):
            self.login(b + dt, "liam.oconnor", "80.94.95.12", False, "straddle-3-3", ua=UA_HYDRA)
        self.scenario("a", "straddle-3-3", "6 failures for liam.oconnor within 3 minutes, 3 before 10:10 and 3 after: "
                      "the 10-minute bins never see 5", {"bin": False, "sliding": True, "burst": True,
                                                         "then_success": False})
        # S7: 9 failures straddling a boundary, 5 before and 4 after
        b = t(0, 20, 10)
        for k in range(5):
            self.login(b - 170 + 40 * k + r.randint(0, 5), "carlos.mendez", "91.92.240.17", False, "straddle-5-4",
                       ua=UA_HYDRA)
        for k in range(4):
            self.login(b + 10 + 40 * k + r.randint(0, 5), "carlos.mendez", "91.92.240.17", False, "straddle-5-4",
                       ua=UA_HYDRA)
        self.scenario("a", "straddle-5-4", "9 failures for carlos.mendez in 6 minutes, 5 before 20:10 and 4 after",
                      {"bin": True, "sliding": True, "burst": True, "then_success": False})
        # S8: password spraying: 3 failures for each of 4 users from one address
        t0 = t(1, 7, 31, r.randint(0, 20))
        users = ("emma.wilson", "noah.fischer", "sofia.rossi", "kenji.sato")
        for k in range(12):
            self.login(t0 + 25 * k + r.randint(0, 5), users[k % 4], "141.98.11.23", False, "spray", ua=UA_HYDRA)
        self.scenario("a", "spray", "12 failures from 141.98.11.23 spread over 4 users (3 each): under the threshold "
                      "per user", {"bin": False, "sliding": False, "burst": False, "then_success": False})
        # S9: low and slow: 6 failures two hours apart, then a success
        t0 = t(0, 6, 17, r.randint(0, 40))
        for k in range(6):
            self.login(t0 + 7200 * k + r.randint(0, 600), "priya.sharma", "89.248.165.74", False, "low-and-slow",
                       ua=UA_HYDRA)
        self.login(t0 + 7200 * 5 + 3600 + r.randint(0, 600), "priya.sharma", "89.248.165.74", True, "low-and-slow",
                   ua=UA_HYDRA, mfa=False)
        self.scenario("a", "low-and-slow", "6 failures for priya.sharma two hours apart, then a success an hour later",
                      {"bin": False, "sliding": False, "burst": False, "then_success": True,
                       "then_success_txn": False})
        # S10: a success first, then a burst of failures
        t0 = t(2, 8, 4, r.randint(0, 20))
        self.login(t0, "aiko.tanaka", "103.251.167.20", True, "success-then-burst", ua=UA_HYDRA, mfa=False)
        self.burst(t0 + 50, "aiko.tanaka", "103.251.167.20", 7, (10, 18), "success-then-burst")
        self.scenario("a", "success-then-burst", "a success for aiko.tanaka from 103.251.167.20, then 7 failures",
                      {"bin": True, "sliding": True, "burst": True, "then_success": False})
        # S11: 3 failures then a success from an unusual address
        f = self.burst(t(2, 13, 20, r.randint(0, 20)), "michael.turner", "5.188.206.14", 3, (25, 35), "three-then-success")
        self.login(f[-1] + 50, "michael.turner", "5.188.206.14", True, "three-then-success", ua=UA_HYDRA, mfa=False)
        self.scenario("a", "three-then-success", "3 failures then a success for michael.turner from 5.188.206.14",
                      {"bin": False, "sliding": False, "burst": False, "then_success": False})
        # S12: a fast burst, then the success 12 minutes later (beyond the 10-minute pause)
        f = self.burst(t(1, 18, 40, r.randint(0, 20)), "lucas.martin", "45.155.205.233", 6, (15, 25), "burst-late-success")
        self.login(f[-1] + 720 + r.randint(0, 30), "lucas.martin", "45.155.205.233", True, "burst-late-success",
                   ua=UA_HYDRA, mfa=False)
        self.scenario("a", "burst-late-success", "6 failures for lucas.martin in 2 minutes, the success 12 minutes "
                      "after the last", {"bin": True, "sliding": True, "burst": True, "then_success": True,
                                        "then_success_txn": False})
        # two failures from inside the VPN range, no success from that address
        self.burst(t(1, 12, 1, r.randint(0, 20)), "sofia.rossi", "192.0.2.55", 2, (20, 40), "vpn-failures")
        self.scenario("d", "vpn-failures", "2 failures for sofia.rossi from 192.0.2.55 (VPN range): not successes",
                      {"suspicious_login": False})

    def plant_suspicious_logins(self):
        r = self.r
        t = self.t
        inside = (
            (t(0, 15, 30, r.randint(0, 59)), "kenji.sato", "192.0.2.10", "vpn"),
            (t(1, 9, 2, r.randint(0, 59)), "emma.wilson", "192.0.2.127", "vpn, the last address of 192.0.2.0/25"),
            (t(1, 22, 47, r.randint(0, 59)), "root", "198.51.100.200", "tor, the root user"),
            (t(2, 2, 13, r.randint(0, 59)), "michael.turner", "203.0.113.200", "hosting"),
            (t(2, 10, 40, r.randint(0, 59)), "olivia.dubois", "2001:db8:4abc::17", "hosting, IPv6"),
        )
        for tt, user, ip, what in inside:
            self.login(tt, user, ip, True, "inside:" + ip, ua=UA_FIREFOX_LINUX, mfa=user == "olivia.dubois")
            self.scenario("d", "inside:" + ip, "a successful login for %s from %s (%s)" % (user, ip, what),
                          {"suspicious_login": True})
        self.scenario("d", "tor-burst-success", "the success after the brute force from 198.51.100.23 (tor)",
                      {"suspicious_login": True})
        outside = (
            (t(0, 16, 5, r.randint(0, 59)), "noah.fischer", "192.0.2.128", "the first address after 192.0.2.0/25"),
            (t(1, 8, 20, r.randint(0, 59)), "liam.oconnor", "203.0.113.5", "203.0.113.0/24 but not its upper half"),
            (t(1, 14, 9, r.randint(0, 59)), "sarah.braun", "2001:db8:8000::1", "2001:db8::/32 but not 2001:db8:4000::/36"),
            (t(2, 17, 51, r.randint(0, 59)), "priya.sharma", "198.51.99.255", "the address before 198.51.100.0/24"),
        )
        for tt, user, ip, what in outside:
            self.login(tt, user, ip, True, "outside:" + ip, ua=UA_CHROME_WIN)
            self.scenario("d", "outside:" + ip, "a successful login for %s from %s (%s)" % (user, ip, what),
                          {"suspicious_login": False})

    def plant_mfa(self):
        r = self.r
        t = self.t
        J = ("console", "jeff.harrison")
        M = ("key", "michael.turner")

        def removal(t0, target, actor, scenario, delete=True):
            self.mfa_event(t0, "DeactivateMFADevice", target, actor, scenario)
            if delete:
                self.mfa_event(t0 + r.randint(15, 35), "DeleteVirtualMFADevice", target, actor, scenario)

        def enrol(t0, target, actor, scenario, enable_after, create_after=None, enable=True):
            if create_after is None:
                create_after = enable_after - r.randint(30, 60)
            self.mfa_event(t0 + create_after, "CreateVirtualMFADevice", target, actor, scenario)
            if enable:
                self.mfa_event(t0 + enable_after, "EnableMFADevice", target, actor, scenario)

        t0 = t(0, 10, 12, r.randint(0, 59))
        removal(t0, "emma.wilson", J, "lost-phone")
        enrol(t0, "emma.wilson", ("console", "emma.wilson"), "lost-phone", r.randint(380, 460))
        self.scenario("b", "lost-phone", "jeff.harrison removes emma.wilson's MFA, she enrols a new one 7 minutes later",
                      {"suspicious": False})
        t0 = t(0, 23, 48, r.randint(0, 59))
        removal(t0, "noah.fischer", M, "attacker-no-reenrol", delete=False)
        self.scenario("b", "attacker-no-reenrol", "michael.turner's leaked key deactivates noah.fischer's MFA; "
                      "nothing follows", {"suspicious": True})
        t0 = t(1, 9, 40, r.randint(0, 59))
        removal(t0, "sofia.rossi", ("console", "sofia.rossi"), "late-reenrol")
        enrol(t0, "sofia.rossi", ("console", "sofia.rossi"), "late-reenrol", 2400 + r.randint(0, 120))
        self.scenario("b", "late-reenrol", "sofia.rossi removes her MFA and enrols a new one 40 minutes later",
                      {"suspicious": True})
        t0 = t(1, 13, 5, r.randint(0, 59))
        removal(t0, "kenji.sato", J, "other-user-reenrol")
        enrol(t0, "liam.oconnor", ("console", "liam.oconnor"), "other-user-reenrol", r.randint(200, 260))
        self.scenario("b", "other-user-reenrol", "kenji.sato's MFA removed; 4 minutes later liam.oconnor (another user) "
                      "enrols one", {"suspicious": True})
        t0 = t(1, 17, 30, r.randint(0, 59))
        enrol(t0, "priya.sharma", ("console", "priya.sharma"), "reenrol-before", -600 + 40, -600)
        removal(t0, "priya.sharma", M, "reenrol-before")
        self.scenario("b", "reenrol-before", "priya.sharma enrols a device, 10 minutes later it is removed",
                      {"suspicious": True})
        t0 = t(2, 4, 44, r.randint(0, 59))
        removal(t0, "lucas.martin", M, "create-without-enable")
        enrol(t0, "lucas.martin", M, "create-without-enable", None, create_after=r.randint(150, 210), enable=False)
        self.scenario("b", "create-without-enable", "lucas.martin's MFA removed; a virtual device is created but "
                      "never enabled", {"suspicious": True})
        t0 = t(0, 16, 0, r.randint(0, 59))
        removal(t0, "aiko.tanaka", ("console", "aiko.tanaka"), "aiko-1")
        enrol(t0, "aiko.tanaka", ("console", "aiko.tanaka"), "aiko-1", r.randint(500, 580))
        self.scenario("b", "aiko-1", "aiko.tanaka replaces her MFA device within 9 minutes", {"suspicious": False})
        t0 = t(2, 11, 11, r.randint(0, 59))
        removal(t0, "aiko.tanaka", M, "aiko-2")
        self.scenario("b", "aiko-2", "two days later aiko.tanaka's MFA is removed again and not replaced",
                      {"suspicious": True})
        t0 = t(1, 20, 0, r.randint(0, 59))
        removal(t0, "carlos.mendez", J, "just-inside")
        enrol(t0, "carlos.mendez", ("console", "carlos.mendez"), "just-inside", 890)
        self.scenario("b", "just-inside", "carlos.mendez re-enrolled 14 min 50 s after the removal",
                      {"suspicious": False})
        t0 = t(2, 15, 30, r.randint(0, 59))
        removal(t0, "olivia.dubois", J, "just-outside")
        enrol(t0, "olivia.dubois", ("console", "olivia.dubois"), "just-outside", 910)
        self.scenario("b", "just-outside", "olivia.dubois re-enrolled 15 min 10 s after the removal",
                      {"suspicious": True})
        t0 = t(2, 9, 0, r.randint(0, 59))
        enrol(t0, "thomas.bennett", ("console", "thomas.bennett"), "first-enrolment", 45, 0)
        self.scenario("b", "first-enrolment", "thomas.bennett enrols his first MFA device (no removal)",
                      {"suspicious": False})

    def plant_assume_role(self):
        r = self.r
        t = self.t

        def acts(names):
            out, off = [], r.randint(5, 30)
            for src, name, region, q, ro, data in names:
                out.append((off, src, name, region, q, ro, data))
                off += r.randint(20, 300)
            return out

        s3get = lambda key: ("s3", "GetObject", "eu-central-1",  # noqa: E731
                             {"bucketName": "company-backups-2025", "Host": "company-backups-2025.s3.eu-central-1.amazonaws.com",
                              "key": key}, True, True)
        self.assume_role(t(0, 13, 0, r.randint(0, 59)), "jeff.harrison", "key", "BreakGlassAdmin", "maintenance",
                         "breakglass-jeff-1", acts([
                             ("sts", "GetCallerIdentity", "us-east-1", None, True, False),
                             ("iam", "ListUsers", "us-east-1", {"maxItems": 100}, True, False),
                             ("iam", "ListAttachedUserPolicies", "us-east-1", {"userName": "emma.wilson"}, True, False),
                             ("ec2", "DescribeInstances", "us-east-1", {"filterSet": {}}, True, False),
                             ("iam", "UpdateLoginProfile", "us-east-1", {"userName": "emma.wilson",
                                                                         "passwordResetRequired": True}, False, False),
                         ]))
        self.scenario("c", "breakglass-jeff-1", "jeff.harrison (access key) assumes BreakGlassAdmin as 'maintenance'",
                      {"joined": True})
        self.assume_role(t(1, 2, 30, r.randint(0, 59)), "michael.turner", "key", "BreakGlassAdmin", "maintenance",
                         "breakglass-leaked-key", acts([
                             ("sts", "GetCallerIdentity", "us-east-1", None, True, False),
                             ("s3", "ListBuckets", "us-east-1", None, True, False),
                             s3get("db/pg-main/dump.sql.gz"), s3get("hr/salaires-équipe.xlsx"), s3get("ldap/export.ldif"),
                             ("iam", "CreateUser", "us-east-1", {"userName": "backup-svc2"}, False, False),
                             ("iam", "AttachUserPolicy", "us-east-1", {"userName": "backup-svc2", "policyArn":
                                                                       "arn:aws:iam::aws:policy/AdministratorAccess"},
                              False, False),
                             ("iam", "CreateAccessKey", "us-east-1", {"userName": "backup-svc2"}, False, False),
                         ]))
        self.scenario("c", "breakglass-leaked-key", "michael.turner's leaked key assumes the same role with the same "
                      "session name: the actions' arn is identical, only the access key tells them apart",
                      {"joined": True})
        self.assume_role(t(1, 11, 0, r.randint(0, 59)), "sarah.braun", "console", "EU-RemoteSupport", "SecretSession",
                         "switch-role", acts([
                             ("ec2", "DescribeInstances", "eu-west-1", {"filterSet": {}}, True, False),
                             ("secretsmanager", "GetSecretValue", "eu-west-1", {"secretId": "prod/db/master"}, True, False),
                             ("iam", "ListRoles", "us-east-1", None, True, False),
                         ]))
        self.scenario("c", "switch-role", "sarah.braun switches role in the console (her session key is ASIA too)",
                      {"joined": True})
        self.assume_role(t(2, 6, 6, r.randint(0, 59)), "michael.turner", "key", "ci-deploy", "i-0d2b8acdedc371589",
                         "fake-instance-session", acts([
                             ("ec2", "DescribeInstances", "us-east-1", {"filterSet": {}}, True, False),
                             ("ec2", "RunInstances", "us-east-1", {"instanceType": "p3.2xlarge", "minCount": 4,
                                                                  "maxCount": 4}, False, False),
                             ("ec2", "CreateTags", "us-east-1", {"resourcesSet": {"items": [{"resourceId": "i-0ffee"}]}},
                              False, False),
                         ]))
        self.scenario("c", "fake-instance-session", "michael.turner's key assumes ci-deploy with the session name of "
                      "an EC2 instance", {"joined": True})
        self.assume_role(t(2, 14, 0, r.randint(0, 59)), "jeff.harrison", "key", "BreakGlassAdmin", "maintenance",
                         "breakglass-jeff-2", acts([
                             ("sts", "GetCallerIdentity", "us-east-1", None, True, False),
                             ("iam", "DeleteAccessKey", "us-east-1", {"userName": "backup-svc2",
                                                                      "accessKeyId": "AKIA" + STEM + "BACKUP22"}, False, False),
                             ("iam", "DeleteUser", "us-east-1", {"userName": "backup-svc2"}, False, False),
                         ]))
        self.scenario("c", "breakglass-jeff-2", "jeff.harrison assumes BreakGlassAdmin again (a new key) and cleans up",
                      {"joined": True})
        self.assume_role(t(0, 18, 0, r.randint(0, 59)), "priya.sharma", "key", "ReadOnlyAudit", "priya.sharma",
                         "no-actions")
        self.scenario("c", "no-actions", "priya.sharma assumes ReadOnlyAudit and does nothing with it",
                      {"joined": False})
        self.assume_role(t(1, 15, 15, r.randint(0, 59)), "lucas.martin", "key", "BreakGlassAdmin", "maintenance",
                         "denied", fail=True)
        self.scenario("c", "denied", "lucas.martin's AssumeRole is denied (no credentials in the response)",
                      {"joined": False})

    # ---- background ----------------------------------------------------------------------------------
    def background(self):
        r = self.r
        n = self.n_background
        # instance-role and Lambda sessions: one per hour per workload, the AssumeRole done by the service
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
                s = (self.role_ui(w[0], w[1], key, created), created, key)
                wsess[k] = s
                if created >= self.start:   # the service's AssumeRole, when it falls in the data
                    _, role_arn, _ = self.role(w[0])
                    rid = self.role(w[0])[0]
                    svc = {"type": "AWSService", "invokedBy": w[4]}
                    self.emit(created, "sts", "AssumeRole", "us-east-1", svc, w[4], w[4],
                              {"roleArn": role_arn, "roleSessionName": w[1]},
                              {"credentials": {"accessKeyId": key, "sessionToken": "IQoJb3JpZ2luX2VjE" + "x" * 40,
                                               "expiration": human_date(created + 3600)},
                               "assumedRoleUser": {"assumedRoleId": "%s:%s" % (rid, w[1]),
                                                   "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, w[0], w[1])}},
                              resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn}],
                              shared=True)
            return s[0]

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
                 ("monitoring", "DescribeAlarms", None))
        for _ in range(n):
            tt = when()
            x = r.random()
            if x < 0.45:   # workloads: S3 objects, KMS, logs
                w = r.choice(workloads)
                ui = workload_ui(w, tt)
                y = r.random()
                if y < 0.6:
                    b, region = r.choice(BUCKETS)
                    key = "avatars/%06d.png" % r.randrange(10 ** 6) if b == "user-avatars-prod" else "data/part-%05d.parquet" % r.randrange(10 ** 5)
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
            elif x < 0.7:   # people and service users with access keys
                if r.random() < 0.6:
                    name, ip, _, _ = r.choice(HUMANS)
                    ua = UA_CLI
                else:
                    name, ip, ua = r.choice(SERVICE_USERS)
                src, ev, q = r.choice(reads)
                if ev == "GetUser" or ev == "ListMFADevices":
                    q = {"userName": name}
                self.emit(tt, src, ev, "us-east-1", self.key_ui(name), ip, ua, q, None)
            else:   # console sessions
                name, ip, bi, _ = r.choice(HUMANS)
                src, ev, q = r.choice(reads)
                region = "us-east-1" if r.random() < 0.8 else "eu-west-1"
                self.emit(tt, src, ev, region, self.console_ui(name, tt), ip, BROWSERS[bi], q, None, console=True)
        # every person logs in once or twice a day from home; some mistype their password first (at most 3
        # times in the three days, so that no home address reaches the threshold)
        typos = {}
        for d in range(3):
            for name, ip, bi, mfa in HUMANS:
                for _ in range(1 + (r.random() < 0.4)):
                    tt = self.start + d * 86400 + r.randrange(7 * 3600, 19 * 3600)
                    if r.random() < 0.25 and typos.get(name, 0) < 2:
                        k = 1 + (r.random() < 0.3)
                        typos[name] = typos.get(name, 0) + k
                        for j in range(k):
                            self.login(tt - 30 * (k - j) - r.randint(0, 9), name, ip, False, "typo")
                    self.login(tt, name, ip, True, "home")
        self.scenario("a", "typo", "people who mistype their password once or twice before logging in from home",
                      {"bin": False, "sliding": False, "burst": False, "then_success": False})
        self.scenario("d", "home", "the daily logins from home addresses", {"suspicious_login": False})

    def build(self):
        self.plant_brute_force()
        self.plant_suspicious_logins()
        self.plant_mfa()
        self.plant_assume_role()
        self.background()
        self.events.sort(key=lambda e: (e[0], e[1]))


# ---- the answer key: each hunt's definition applied to the plan ---------------------------------------
def in_ranges(ip):
    a = ipaddress.ip_address(ip)
    for cidr, provider, category in RANGES:
        net = ipaddress.ip_network(cidr)
        if a.version == net.version and a in net:
            return provider, category
    return None


def answer_key(g):
    key = {}
    fails = [x for x in g.logins if not x["success"]]
    groups = {}
    for x in fails:
        groups.setdefault((x["ip"], x["user"]), []).append(x["t"])
    for v in groups.values():
        v.sort()
    # no pair of failures of one group exactly on a window edge
    for (ip, user), ts in groups.items():
        for i in range(len(ts)):
            for j in range(i + 1, len(ts)):
                if ts[j] - ts[i] in (BIN_SPAN,):
                    raise SystemExit("plan error: failures %s/%s exactly %d s apart" % (ip, user, BIN_SPAN))
            if i and ts[i] - ts[i - 1] == BURST_PAUSE:
                raise SystemExit("plan error: a pause of exactly %d s for %s/%s" % (BURST_PAUSE, ip, user))

    # a1: bin _time span=10m | stats count by _time ip user | where failures >= 5
    rows = []
    for (ip, user), ts in groups.items():
        per = {}
        for t in ts:
            per[t - t % BIN_SPAN] = per.get(t - t % BIN_SPAN, 0) + 1
        for b, c in per.items():
            if c >= BRUTE_THRESHOLD:
                rows.append({"_time": iso(b), "sourceIPAddress": ip, "user": user, "failures": c})
    key["brute_force_bin"] = {"columns": ["_time", "sourceIPAddress", "user", "failures"], "rows": rows}

    # a2: streamstats time_window=10m count by ip user | stats max by ip user | where peak >= 5
    rows = []
    for (ip, user), ts in groups.items():
        peak = max(sum(1 for u in ts if t - BIN_SPAN < u <= t) for t in ts)
        if peak >= BRUTE_THRESHOLD:
            rows.append({"sourceIPAddress": ip, "user": user, "peak": peak, "failures": len(ts)})
    key["brute_force_sliding"] = {"columns": ["sourceIPAddress", "user", "peak", "failures"], "rows": rows}

    # a3: transaction ip user maxpause=5m | where eventcount >= 5
    rows = []
    for (ip, user), ts in groups.items():
        cur = [ts[0]]
        bursts = []
        for t in ts[1:]:
            if t - cur[-1] > BURST_PAUSE:
                bursts.append(cur)
                cur = [t]
            else:
                cur.append(t)
        bursts.append(cur)
        for b in bursts:
            if len(b) >= BRUTE_THRESHOLD:
                rows.append({"_time": iso(b[0]), "sourceIPAddress": ip, "user": user, "eventcount": len(b),
                             "duration": b[-1] - b[0]})
    key["brute_force_transaction"] = {"columns": ["_time", "sourceIPAddress", "user", "eventcount", "duration"],
                                      "rows": rows}

    # a4: timechart span=10m count by src_user (limit=0, cont=true: every bucket from the first to the last)
    buckets = sorted({x["t"] - x["t"] % BIN_SPAN for x in fails})
    series = sorted({"%s/%s" % (x["ip"], x["user"]) for x in fails})
    counts = {}
    for x in fails:
        k = (x["t"] - x["t"] % BIN_SPAN, "%s/%s" % (x["ip"], x["user"]))
        counts[k] = counts.get(k, 0) + 1
    rows = []
    for b in range(buckets[0], buckets[-1] + 1, BIN_SPAN):
        row = {"_time": iso(b)}
        for s in series:
            row[s] = counts.get((b, s), 0)
        rows.append(row)
    key["brute_force_timechart"] = {"columns": ["_time"] + series, "rows": rows, "ordered": True,
                                     "exact_columns": True}
    # the same with timechart's defaults: the 10 series with the largest totals, the rest summed in OTHER
    totals = {s: sum(c for (b, s2), c in counts.items() if s2 == s) for s in series}
    ranked = sorted(series, key=lambda s: (-totals[s], s))
    top = ranked[:10]
    if len(ranked) > 10 and totals[ranked[9]] == totals[ranked[10]]:
        raise SystemExit("plan error: a tie at the 10th series of the timechart")
    rows = []
    for b in range(buckets[0], buckets[-1] + 1, BIN_SPAN):
        row = {"_time": iso(b)}
        for s in top:
            row[s] = counts.get((b, s), 0)
        row["OTHER"] = sum(counts.get((b, s), 0) for s in ranked[10:])
        rows.append(row)
    key["brute_force_timechart_top"] = {"columns": ["_time"] + sorted(top) + ["OTHER"], "rows": rows,
                                         "ordered": True, "exact_columns": True}

    # failures then a success, by IP
    by_ip = {}
    for x in g.logins:
        by_ip.setdefault(x["ip"], []).append(x)
    rows_ss, rows_stats, rows_txn = [], [], []
    for ip, xs in by_ip.items():
        xs.sort(key=lambda x: x["t"])
        nf = 0
        for x in xs:
            if x["success"] and nf >= BRUTE_THRESHOLD:
                rows_ss.append({"_time": iso(x["t"]), "sourceIPAddress": ip, "user": x["user"], "prior_failures": nf})
            if not x["success"]:
                nf += 1
        f = [x["t"] for x in xs if not x["success"]]
        s = [x["t"] for x in xs if x["success"]]
        if len(f) >= BRUTE_THRESHOLD and s and max(s) > min(f):
            rows_stats.append({"sourceIPAddress": ip, "failures": len(f), "successes": len(s),
                               "first_failure": iso(min(f)), "last_success": iso(max(s))})
        # transaction sourceIPAddress maxpause=10m endswith=Success
        cur = []
        for x in xs:
            if cur and x["t"] - cur[-1]["t"] > SUCCESS_PAUSE:
                cur = []
            cur.append(x)
            if x["success"]:
                if len(cur) - 1 >= BRUTE_THRESHOLD:
                    rows_txn.append({"_time": iso(cur[0]["t"]), "sourceIPAddress": ip, "failures": len(cur) - 1,
                                     "duration": cur[-1]["t"] - cur[0]["t"]})
                cur = []
        for i in range(1, len(xs)):
            if xs[i]["t"] - xs[i - 1]["t"] == SUCCESS_PAUSE:
                raise SystemExit("plan error: a pause of exactly %d s from %s" % (SUCCESS_PAUSE, ip))
    key["failures_then_success_streamstats"] = {"columns": ["_time", "sourceIPAddress", "user", "prior_failures"],
                                                "rows": rows_ss}
    key["failures_then_success_stats"] = {"columns": ["sourceIPAddress", "failures", "successes", "first_failure",
                                                      "last_success"], "rows": rows_stats}
    key["failures_then_success_transaction"] = {"columns": ["_time", "sourceIPAddress", "failures", "duration"],
                                                "rows": rows_txn}

    # b: a DeactivateMFADevice not followed within 15 minutes by an EnableMFADevice for the same user
    rows_txn, rows_ss = [], []
    for x in g.mfa:
        if x["eventName"] != "DeactivateMFADevice":
            continue
        later = [y["t"] - x["t"] for y in g.mfa
                 if y["eventName"] == "EnableMFADevice" and y["target"] == x["target"] and y["t"] > x["t"]]
        if any(d == MFA_WINDOW for d in later):
            raise SystemExit("plan error: an MFA gap of exactly 900 s")
        nxt = min(later) if later else None
        if nxt is None or nxt > MFA_WINDOW:
            rows_txn.append({"_time": iso(x["t"]), "target": x["target"]})
            rows_ss.append({"_time": iso(x["t"]), "target": x["target"], "userIdentity.arn": x["actor_arn"],
                            "seconds_to_reenrol": nxt})
    key["mfa_removed_transaction"] = {"columns": ["_time", "target"], "rows": rows_txn}
    key["mfa_removed_streamstats"] = {"columns": ["_time", "target", "userIdentity.arn", "seconds_to_reenrol"],
                                      "rows": rows_ss}

    # c: every action of an assumed-role session joined to the IAM user who called AssumeRole
    rows, rows_sum = [], []
    for s in g.sessions:
        for a in s["actions"]:
            rows.append({"_time": iso(a["t"]), "eventName": a["eventName"], "key": s["key"], "real_user": s["user_arn"],
                         "role": s["role_arn"]})
        if s["actions"]:
            rows_sum.append({"key": s["key"], "real_user": s["user_arn"], "role": s["role_arn"],
                             "actions": len(s["actions"]),
                             "action_names": sorted({a["eventName"] for a in s["actions"]})})
    key["assumed_role_join"] = {"columns": ["_time", "eventName", "key", "real_user", "role"], "rows": rows}
    key["assumed_role_eventstats"] = {"columns": ["_time", "eventName", "key", "real_user", "role"], "rows": rows}
    key["assumed_role_stats"] = {"columns": ["key", "real_user", "role", "actions", "action_names"], "rows": rows_sum}

    # d: successful logins from the ranges of the lookup
    rows, rows_sub = [], []
    for x in g.logins:
        if not x["success"]:
            continue
        m = in_ranges(x["ip"])
        if m:
            rows.append({"_time": iso(x["t"]), "userIdentity.arn": x["arn"], "sourceIPAddress": x["ip"],
                         "provider": m[0], "category": m[1]})
            rows_sub.append({"_time": iso(x["t"]), "userIdentity.arn": x["arn"], "sourceIPAddress": x["ip"]})
    key["suspicious_login_lookup"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress", "provider",
                                                  "category"], "rows": rows}
    key["suspicious_login_subsearch"] = {"columns": ["_time", "userIdentity.arn", "sourceIPAddress"], "rows": rows_sub}
    for v in key.values():
        if not v.get("ordered"):
            v["rows"].sort(key=lambda r: json.dumps(r, sort_keys=True))
    return key


def check_expectations(g, key):
    """Every scenario's stated outcome must agree with the computed key."""
    by_scn_logins = {}
    for x in g.logins:
        by_scn_logins.setdefault(x["scenario"], []).append(x)
    problems = []

    def flagged(hunt, scn, cols):
        xs = by_scn_logins.get(scn, [])
        pairs = {(x["ip"], x["user"]) for x in xs}
        ips = {x["ip"] for x in xs}
        for r in key[hunt]["rows"]:
            if "user" in cols and (r["sourceIPAddress"], r["user"]) in pairs:
                return True
            if "user" not in cols and r["sourceIPAddress"] in ips:
                return True
        return False

    for s in g.scenarios:
        e = s["expect"]
        if s["hunt"] == "a":
            checks = (("bin", "brute_force_bin", ("user",)), ("sliding", "brute_force_sliding", ("user",)),
                      ("burst", "brute_force_transaction", ("user",)),
                      ("then_success", "failures_then_success_streamstats", ()),
                      ("then_success", "failures_then_success_stats", ()))
            for label, hunt, cols in checks:
                if label in e and flagged(hunt, s["name"], cols) != e[label]:
                    problems.append("%s: %s expected %s" % (s["name"], hunt, e[label]))
            want = e.get("then_success_txn", e.get("then_success"))
            if want is not None and flagged("failures_then_success_transaction", s["name"], ()) != want:
                problems.append("%s: failures_then_success_transaction expected %s" % (s["name"], want))
        elif s["hunt"] == "b":
            targets = {x["target"]: x["t"] for x in g.mfa if x["scenario"] == s["name"]
                       and x["eventName"] == "DeactivateMFADevice"}
            got = any(r["target"] in targets and r["_time"] == iso(targets[r["target"]])
                      for r in key["mfa_removed_transaction"]["rows"])
            if got != e["suspicious"]:
                problems.append("%s: mfa expected %s" % (s["name"], e["suspicious"]))
        elif s["hunt"] == "c":
            keys = {x["key"] for x in g.sessions if x["scenario"] == s["name"]}
            got = any(r["key"] in keys for r in key["assumed_role_join"]["rows"])
            if got != e["joined"]:
                problems.append("%s: join expected %s" % (s["name"], e["joined"]))
        elif s["hunt"] == "d":
            xs = [x for x in g.logins if x["scenario"] == s["name"] and x["success"]]
            got = any(r["_time"] == iso(x["t"]) and r["sourceIPAddress"] == x["ip"]
                      for x in xs for r in key["suspicious_login_lookup"]["rows"])
            if xs and got != e["suspicious_login"]:
                problems.append("%s: lookup expected %s" % (s["name"], e["suspicious_login"]))
    if problems:
        raise SystemExit("the answer key disagrees with the plan:\n  " + "\n  ".join(problems))


def write(g, out, seed):
    fr = Random(seed ^ 0x5EED)
    batches = {}
    for t, _, ev in g.events:
        batches.setdefault((ev["awsRegion"], t // 3600), []).append(ev)
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    for (region, hour), evs in sorted(batches.items()):
        newest = max(calendar.timegm(time.strptime(e["eventTime"], "%Y-%m-%dT%H:%M:%SZ")) for e in evs)
        g_ = time.gmtime(hour * 3600)
        d = os.path.join(out, "AWSLogs", ACCOUNT, "CloudTrail", region, "%04d" % g_.tm_year, "%02d" % g_.tm_mon,
                         "%02d" % g_.tm_mday)
        os.makedirs(d, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime(newest - newest % 300))
        name = "%s_CloudTrail_%s_%s_%s.json" % (ACCOUNT, region, stamp,
                                                "".join(fr.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", k=16)))
        with open(os.path.join(d, name), "w", encoding="utf-8", newline="\n") as f:
            f.write('{"Records":[' + ",".join(dumps(e) for e in evs) + "]}\n")
    lk = os.path.join(out, "lookups")
    os.makedirs(lk, exist_ok=True)
    with open(os.path.join(lk, LOOKUP_NAME + ".csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("cidr,provider,category\n")
        for cidr, provider, category in RANGES:
            f.write("%s,%s,%s\n" % (cidr, provider, category))
    with open(os.path.join(lk, "lookups.conf"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Splunk transforms.conf keys: the lookup suspicious_ranges matches sourceIPAddress against CIDR ranges\n"
                "[%s]\nfilename = %s.csv\nmatch_type = CIDR(cidr)\nmax_matches = 1\n" % (LOOKUP_NAME, LOOKUP_NAME))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    ap.add_argument("--background", type=int, default=3000, help="number of background events (default 3000)")
    ap.add_argument("--start", default="2025-12-08T00:00:00Z", help="midnight UTC of the first of the three days")
    a = ap.parse_args(argv)
    start = parse_start(a.start)
    if start % 86400:
        ap.error("--start must be a midnight UTC")
    g = Gen(a.seed, start, a.background)
    g.build()
    key = answer_key(g)
    check_expectations(g, key)
    write(g, a.out, a.seed)
    doc = {"seed": a.seed, "start": iso(start), "events": len(g.events), "lookup": LOOKUP_NAME,
           "hunts": key, "plan": {"scenarios": g.scenarios,
                                  "sessions": [{k: v for k, v in s.items() if k != "actions"} | {
                                      "actions": len(s["actions"])} for s in g.sessions]}}
    with open(os.path.join(a.out, "answer_key.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    print("%d events, %d hunts in %s" % (len(g.events), len(key), os.path.join(a.out, "answer_key.json")),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
