#!/usr/bin/env python3
"""Deterministic generator of realistic AWS CloudTrail events (Python 3 standard library only).

Examples:
  python3 testdata/gen_cloudtrail.py --events 2000 --seed 42 --format ndjson --out sample.ndjson
  python3 testdata/gen_cloudtrail.py --events 300 --seed 7 --format records --records-per-file 100 --out dir/
  python3 testdata/gen_cloudtrail.py --events 10 --seed 1 --format ndjson --out -

The output depends only on the arguments: the same seed and arguments give the same bytes.
All randomness comes from random.Random(seed); the clock is never read.  The events themselves do not
depend on --format or --records-per-file (file names use a separate RNG), so the NDJSON and the
records layout of one seed hold the same events in the same order.

Speed: shared sub-objects (identities of a session, tlsDetails, sessionIssuer, ...) are built once and
reused by reference, since json.dumps only reads them; nothing is deep-copied per event.
"""

import argparse
import base64
import bisect
import calendar
import json
import os
import sys
import time
from datetime import datetime, timezone
from random import Random

ACCOUNT_MAIN = "398985017225"
ACCOUNT_DEV = "715841342563"
ACCOUNT_STEM = {ACCOUNT_MAIN: "VZZK4G6E", ACCOUNT_DEV: "3MQT7XKA"}
KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
FILE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-northeast-1", "ap-southeast-2")
REGION_WEIGHTS = (60, 15, 10, 8, 4, 3)
AZ_SUFFIX = ("a", "b", "c")

# ---------------------------------------------------------------------------------------------
# User agents
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
UA_CLI_MAC = ("aws-cli/2.21.3 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 "
              "md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off")
UA_BOTO3 = ("Boto3/1.35.76 md/Botocore#1.35.76 ua/2.0 os/linux#5.10.228-219.884.amzn2.x86_64 md/arch#x86_64 "
            "lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.76")
UA_TERRAFORM = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 "
                "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.6 ua/2.1 os/linux "
                "lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64")
UA_JAVA = ("aws-sdk-java/2.29.30 Linux/5.10.228-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.13+11-LTS "
           "Java/17.0.13 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy")
UA_NODE = "aws-sdk-js/3.705.0 ua/2.1 os/linux#5.10.228 lang/js md/nodejs#20.18.1 api/s3#3.705.0 exec-env/AWS_Lambda_nodejs20.x"
UA_SPLUNK = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) splunk-add-on-for-aws/7.9.0"
UA_ACCENT = "outil-sécurité/2.1 python-requests/2.32.3"
UA_KALI = "aws-cli/1.22.34 Python/3.9.12 Linux/6.5.0-kali3-amd64 botocore/1.24.19"
UA_CURL = "curl/8.5.0"
UA_SSM = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.1142.0"
BROWSERS = (UA_CHROME_WIN, UA_CHROME_MAC, UA_FIREFOX_LINUX, UA_SAFARI, UA_EDGE)

# ---------------------------------------------------------------------------------------------
# People, roles and places.  IPs are documentation/test ranges or well-known hosting ranges.
HUMANS = (
    # name, ips, browser index, mfa, has key
    ("jeff.harrison", ("149.40.62.48",), 0, True, True),
    ("thomas.bennett", ("81.2.69.160",), 2, False, False),
    ("otake.nao", ("133.32.180.12",), 3, False, True),
    ("michael.turner", ("67.220.68.41",), 1, True, True),
    ("sarah.braun", ("91.64.12.200", "2a02:8109:b6c0:3a00:d1f2:9a4b:1c3e:7f21"), 4, True, True),
    ("emma.wilson", ("86.12.44.7",), 1, True, False),
    ("lucas.martin", ("90.84.115.3",), 0, True, True),
    ("aiko.tanaka", ("126.77.201.9",), 3, True, False),
    ("carlos.mendez", ("187.189.33.54",), 2, True, True),
    ("priya.sharma", ("49.36.120.88",), 0, True, True),
    ("noah.fischer", ("95.90.250.11",), 4, True, False),
    ("olivia.dubois", ("2a01:cb00:85d:1a00:4c2e:90ff:fe11:2b7a",), 0, True, False),
    ("liam.oconnor", ("109.255.60.2",), 1, False, True),
    ("sofia.rossi", ("151.38.12.99",), 2, True, False),
    ("kenji.sato", ("153.246.8.30",), 3, True, True),
)
SERVICE_USERS = (
    # name, ips, user agents
    ("svc-backup", ("54.175.22.19",), (UA_BOTO3,)),
    ("ci-deployer", ("20.42.13.77", "20.42.13.80"), (UA_TERRAFORM, UA_CLI)),
    ("terraform-admin", ("203.0.113.25",), (UA_TERRAFORM,)),
    ("splunk-integration", ("18.206.44.101",), (UA_SPLUNK,)),
    ("security-audit", ("198.51.100.77",), (UA_ACCENT, UA_BOTO3)),
)
INSTANCE_IDS = ("i-0d2b8acdedc371589", "i-04fa0268276e1f763", "i-0a91c3e5b7d24f160")
AVATAR_IPS = ("3.91.170.24", "54.160.33.102", "44.204.81.9")
LAMBDA_FUNCS = ("order-processor", "thumbnail-resizer", "nightly-report")
ATTACKER_IPS = ("185.220.101.34", "185.220.101.47", "45.146.164.110", "193.142.146.35", "185.183.33.33")
BRUTE_TARGETS = ("thomas.bennett", "root", "admin", "jeff.harrison", "otake.nao")

BUCKETS = (
    # name, region, account, key kind
    ("user-avatars-prod", "us-east-1", ACCOUNT_MAIN, "avatar"),
    ("prod-website-thm", "us-east-1", ACCOUNT_MAIN, "web"),
    ("ocr-passport-scan", "eu-west-1", ACCOUNT_MAIN, "scan"),
    ("company-backups-2025", "eu-central-1", ACCOUNT_MAIN, "backup"),
    ("data-lake-raw-398985017225", "us-west-2", ACCOUNT_MAIN, "lake"),
    ("terraform-state-398985017225", "us-east-1", ACCOUNT_MAIN, "tfstate"),
    ("dev-artifacts-715841342563", "eu-west-1", ACCOUNT_DEV, "lake"),
)
WEB_KEYS = ("index.html", "assets/app.js", "assets/style.css", "admin/index.html", "admin/backup.tar.gz",
            "robots.txt", "img/logo.png")
BACKUP_KEYS = ("db/pg-main/dump.sql.gz", "rapports/résumé-annuel-2025.pdf", "hr/salaires-équipe.xlsx",
               "configs/etc.tar.gz", "ldap/export.ldif")

POLICIES_AWS = ("AdministratorAccess", "ReadOnlyAccess", "AmazonS3FullAccess", "AmazonEC2FullAccess",
                "IAMFullAccess", "SecurityAudit", "AmazonSSMManagedInstanceCore", "PowerUserAccess")
GROUPS = ("Admins", "Developers", "Interns", "ReadOnly", "SecurityTeam")
INSTANCE_TYPES = ("t3.micro", "t3.medium", "m5.large", "c5.xlarge", "p3.2xlarge", "t2.micro")
TAG_VALUES = ("web", "prod", "Équipe données", "本番", "batch", "staging")


class Actor:
    """One principal as it appears in userIdentity, with where it calls from and with what."""
    __slots__ = ("kind", "account", "name", "arn", "ui", "ips", "uas", "mfa", "pid", "issuer",
                 "sessions", "index", "invoked_by", "browser", "home")

    def __init__(self, kind, account, name):
        self.kind = kind          # key | console | role | root_console | root_key | service | federated
        self.account = account
        self.name = name
        self.arn = None
        self.ui = None            # fixed userIdentity (key, service kinds)
        self.ips = ()
        self.uas = ()
        self.mfa = False
        self.pid = None
        self.issuer = None        # sessionIssuer dict (roles, federated)
        self.sessions = {}
        self.index = 0
        self.invoked_by = None
        self.browser = None
        self.home = None          # home region of workloads (instances, functions)


class Generator:
    def __init__(self, seed, start, days):
        self.r = Random(seed)
        self.start = start
        self.end = start + int(days * 86400)
        self._minute_cache = {}
        self._tls = {}
        self._build_time_cdf(days)
        self._build_actors()
        self._build_catalog()

    # ---- small helpers ---------------------------------------------------------------------
    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) & 3], h[17:20], h[20:])

    def key_id(self, prefix, account, n=8):
        return prefix + ACCOUNT_STEM[account] + "".join(self.r.choices(KEY_ALPHABET, k=n))

    def hexid(self, prefix, n=17):
        return prefix + ("%0*x" % (n, self.r.getrandbits(4 * n)))

    def s3_request_id(self):
        return base64.b32encode(self.r.getrandbits(80).to_bytes(10, "big")).decode("ascii")

    def iso(self, t):
        m = t // 60
        p = self._minute_cache.get(m)
        if p is None:
            if len(self._minute_cache) > 200000:
                self._minute_cache.clear()
            p = time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(m * 60))
            self._minute_cache[m] = p
        return "%s%02dZ" % (p, t % 60)

    @staticmethod
    def human_date(t):
        g = time.gmtime(t)
        h = g.tm_hour % 12 or 12
        return "%s %d, %d, %d:%02d:%02d %s" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_year, h, g.tm_min,
                                              g.tm_sec, "AM" if g.tm_hour < 12 else "PM")

    def tls(self, host, v12=False):
        k = (host, v12)
        d = self._tls.get(k)
        if d is None:
            if v12:
                d = {"tlsVersion": "TLSv1.2", "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
                     "clientProvidedHostHeader": host}
            else:
                d = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                     "clientProvidedHostHeader": host}
            self._tls[k] = d
        return d

    def region(self):
        cum = self._region_cum
        return REGIONS[bisect.bisect_right(cum, self.r.random() * cum[-1])]

    # ---- time --------------------------------------------------------------------------------
    def _build_time_cdf(self, days):
        hours = max(1, int(days * 24 + 0.999))
        cum = []
        total = 0.0
        for h in range(hours):
            g = time.gmtime(self.start + h * 3600)
            hod = g.tm_hour
            w = 3.0 if 7 <= hod < 18 else (1.4 if 18 <= hod < 22 else 0.6)
            if g.tm_wday >= 5:
                w *= 0.45
            total += w
            cum.append(total)
        self._hour_cum = cum
        self._hour_total = total
        self._region_cum = []
        acc = 0
        for w in REGION_WEIGHTS:
            acc += w
            self._region_cum.append(acc)

    def nominal_time(self, u):
        """Map u in [0,1) to a time through the diurnal/weekly CDF (monotone in u)."""
        x = u * self._hour_total
        cum = self._hour_cum
        h = bisect.bisect_right(cum, x)
        if h >= len(cum):
            h = len(cum) - 1
        lo = cum[h - 1] if h else 0.0
        frac = (x - lo) / (cum[h] - lo)
        t = self.start + h * 3600 + int(frac * 3600)
        return min(t, self.end - 1)

    def clamp(self, t):
        if t < self.start:
            return self.start
        if t >= self.end:
            return self.end - 1
        return t

    # ---- actors ------------------------------------------------------------------------------
    def _new_actor(self, kind, account, name):
        a = Actor(kind, account, name)
        a.index = len(self.actors)
        self.actors.append(a)
        return a

    def _build_actors(self):
        r = self.r
        self.actors = []
        self.user_pid = {}
        self.user_keys = {}
        self.humans_console = []
        self.humans_key = []
        self.by_name = {}

        def user_pid(name, account=ACCOUNT_MAIN):
            k = (account, name)
            if k not in self.user_pid:
                self.user_pid[k] = self.key_id("AIDA", account, 9)
            return self.user_pid[k]

        for name, ips, bi, mfa, has_key in HUMANS:
            pid = user_pid(name)
            arn = "arn:aws:iam::%s:user/%s" % (ACCOUNT_MAIN, name)
            c = self._new_actor("console", ACCOUNT_MAIN, name)
            c.pid, c.arn, c.ips, c.mfa = pid, arn, ips, mfa
            c.browser = BROWSERS[bi]
            c.uas = (BROWSERS[bi],)
            self.humans_console.append(c)
            self.by_name["console:" + name] = c
            if has_key:
                k = self._new_actor("key", ACCOUNT_MAIN, name)
                akia = self.key_id("AKIA", ACCOUNT_MAIN)
                self.user_keys[name] = akia
                k.pid, k.arn, k.ips = pid, arn, ips
                k.uas = (UA_CLI, UA_CLI_MAC, UA_BOTO3) if bi != 3 else (UA_CLI_MAC,)
                k.ui = {"type": "IAMUser", "principalId": pid, "arn": arn, "accountId": ACCOUNT_MAIN,
                        "accessKeyId": akia, "userName": name}
                self.humans_key.append(k)
                self.by_name["key:" + name] = k
        self.service_keys = []
        for name, ips, uas in SERVICE_USERS:
            pid = user_pid(name)
            arn = "arn:aws:iam::%s:user/%s" % (ACCOUNT_MAIN, name)
            k = self._new_actor("key", ACCOUNT_MAIN, name)
            akia = self.key_id("AKIA", ACCOUNT_MAIN)
            self.user_keys[name] = akia
            k.pid, k.arn, k.ips, k.uas = pid, arn, ips, uas
            k.ui = {"type": "IAMUser", "principalId": pid, "arn": arn, "accountId": ACCOUNT_MAIN,
                    "accessKeyId": akia, "userName": name}
            self.service_keys.append(k)
            self.by_name["key:" + name] = k
        # dev account: one CI user
        dk = self._new_actor("key", ACCOUNT_DEV, "dev-ci")
        dk.pid = user_pid("dev-ci", ACCOUNT_DEV)
        dk.arn = "arn:aws:iam::%s:user/dev-ci" % ACCOUNT_DEV
        dk.ips, dk.uas = ("20.42.13.90",), (UA_TERRAFORM, UA_CLI)
        dk.ui = {"type": "IAMUser", "principalId": dk.pid, "arn": dk.arn, "accountId": ACCOUNT_DEV,
                 "accessKeyId": self.key_id("AKIA", ACCOUNT_DEV), "userName": "dev-ci"}
        self.dev_actors = [dk]

        # roles
        self.role_ids = {}

        def role(account, rname, session, ips, uas, path="/"):
            rk = (account, rname)
            if rk not in self.role_ids:
                rid = self.key_id("AROA", account, 9)
                rarn = "arn:aws:iam::%s:role%s%s" % (account, path, rname)
                self.role_ids[rk] = (rid, rarn, {"type": "Role", "principalId": rid, "arn": rarn,
                                                 "accountId": account, "userName": rname})
            rid, rarn, issuer = self.role_ids[rk]
            a = self._new_actor("role", account, rname)
            a.pid = "%s:%s" % (rid, session)
            a.arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, rname, session)
            a.issuer = issuer
            a.ips, a.uas = ips, uas
            a.name = session
            self.by_name["role:%s/%s" % (rname, session)] = a
            return a

        self.avatar_roles = [role(ACCOUNT_MAIN, "UserAvatarsProcessor", iid, (ip,), (UA_BOTO3,))
                             for iid, ip in zip(INSTANCE_IDS, AVATAR_IPS)]
        for a in self.avatar_roles:
            a.invoked_by = "ec2.amazonaws.com"
        self.ssm_roles = [role(ACCOUNT_MAIN, "AmazonSSMRoleForInstancesQuickSetup", iid, (ip,), (UA_SSM,))
                          for iid, ip in zip(INSTANCE_IDS, AVATAR_IPS)]
        for a in self.ssm_roles:
            a.invoked_by = "ec2.amazonaws.com"
        self.lambda_roles = []
        for fn in LAMBDA_FUNCS:
            a = role(ACCOUNT_MAIN, fn + "-role", fn, ("34.229.%d.%d" % (r.randrange(256), r.randrange(1, 255)),),
                     (UA_NODE, UA_BOTO3))
            a.invoked_by = "lambda.amazonaws.com"
            self.lambda_roles.append(a)
        for a in self.avatar_roles + self.ssm_roles + self.lambda_roles:
            a.home = "us-east-1"
        self.remote_support = role(ACCOUNT_MAIN, "EU-RemoteSupport", "SecretSession",
                                   ("91.64.12.200",), (UA_CLI,))
        self.remote_support_user = "sarah.braun"
        self.sso_roles = []
        for uname, perm in (("emma.wilson", "AdministratorAccess"), ("noah.fischer", "ReadOnlyAccess"),
                            ("aiko.tanaka", "PowerUserAccess"), ("olivia.dubois", "AdministratorAccess")):
            c = self.by_name["console:" + uname]
            rn = "AWSReservedSSO_%s_%016x" % (perm, r.getrandbits(64))
            a = role(ACCOUNT_MAIN, rn, uname + "@example.com", c.ips, (c.browser, c.browser, UA_CLI),
                     path="/aws-reserved/sso.amazonaws.com/")
            a.mfa = True
            self.sso_roles.append(a)
        self.gha_role = role(ACCOUNT_MAIN, "github-actions-deploy", "GitHubActions",
                             ("4.175.114.50", "20.57.79.40"), (UA_NODE, UA_TERRAFORM))
        self.gha_role.invoked_by = "sts.amazonaws.com"
        self.dev_actors.append(role(ACCOUNT_DEV, "OrganizationAccountAccessRole", "sarah.braun",
                                    ("91.64.12.200",), (UA_CLI,)))
        self.dev_actors.append(role(ACCOUNT_DEV, "ecs-task-role", "a9e3f1c27b4d4e5f8c0d1e2f3a4b5c6d",
                                    ("52.16.201.44",), (UA_JAVA,)))
        for a in self.dev_actors:
            a.home = "eu-west-1"
        # root
        self.root_console = self._new_actor("root_console", ACCOUNT_MAIN, "root")
        self.root_console.arn = "arn:aws:iam::%s:root" % ACCOUNT_MAIN
        self.root_console.ips = ("185.183.33.33", "149.40.62.48")
        self.root_console.uas = (UA_FIREFOX_LINUX,)
        self.root_console.browser = UA_FIREFOX_LINUX
        self.root_key = self._new_actor("root_key", ACCOUNT_MAIN, "root")
        self.root_key.arn = self.root_console.arn
        self.root_key.ips = ("18.206.44.101",)
        self.root_key.uas = (UA_SPLUNK,)
        self.root_key.ui = {"type": "Root", "principalId": ACCOUNT_MAIN, "arn": self.root_key.arn,
                            "accountId": ACCOUNT_MAIN, "accessKeyId": self.key_id("AKIA", ACCOUNT_MAIN)}
        # federated user (GetFederationToken through a broker user)
        fb = self.by_name["key:ci-deployer"]
        self.federated = []
        for fname in ("partner-bob", "vendor-support"):
            a = self._new_actor("federated", ACCOUNT_MAIN, fname)
            a.pid = "%s:%s" % (ACCOUNT_MAIN, fname)
            a.arn = "arn:aws:sts::%s:federated-user/%s" % (ACCOUNT_MAIN, fname)
            a.issuer = {"type": "IAMUser", "principalId": fb.pid, "arn": fb.arn, "accountId": ACCOUNT_MAIN,
                        "userName": fb.name}
            a.ips, a.uas = ("198.51.100.140",), (UA_JAVA,)
            self.federated.append(a)
        # AWS services
        self.services = {}
        for svc in ("ec2.amazonaws.com", "lambda.amazonaws.com", "config.amazonaws.com",
                    "cloudtrail.amazonaws.com", "s3.amazonaws.com", "ssm.amazonaws.com",
                    "health.amazonaws.com", "autoscaling.amazonaws.com"):
            a = self._new_actor("service", ACCOUNT_MAIN, svc)
            a.ui = {"type": "AWSService", "invokedBy": svc}
            a.ips, a.uas = (svc,), (svc,)
            self.services[svc] = a
        self.attacker_key = self.by_name["key:michael.turner"]

        # actor pools per class: list of (actor, weight)
        P = {}
        hk, hc, sk = self.humans_key, self.humans_console, self.service_keys
        roles_all = self.avatar_roles + self.lambda_roles + [self.gha_role]
        P["any"] = ([(a, 3) for a in hk] + [(a, 3) for a in hc] + [(a, 3) for a in sk] +
                    [(a, 4) for a in roles_all] + [(a, 3) for a in self.sso_roles] +
                    [(self.root_console, 0.4), (self.root_key, 0.6)] + [(a, 0.4) for a in self.federated] +
                    [(a, 2) for a in self.dev_actors] + [(self.remote_support, 1)])
        P["s3app"] = ([(a, 25) for a in self.avatar_roles] + [(a, 6) for a in self.lambda_roles] +
                      [(a, 3) for a in hk] + [(self.by_name["key:svc-backup"], 12), (self.gha_role, 3)] +
                      [(a, 1) for a in hc] + [(self.dev_actors[2], 6), (self.federated[0], 1)])
        P["console"] = ([(a, 4) for a in hc] + [(a, 4) for a in self.sso_roles] + [(self.root_console, 0.7)])
        P["admin"] = ([(self.by_name["console:" + n], 3) for n in ("jeff.harrison", "sarah.braun", "emma.wilson")] +
                      [(self.sso_roles[0], 4), (self.sso_roles[3], 3), (self.by_name["key:terraform-admin"], 5),
                       (self.by_name["key:ci-deployer"], 3), (self.root_console, 0.8), (self.root_key, 0.5),
                       (self.gha_role, 2), (self.dev_actors[0], 2), (self.remote_support, 1),
                       (self.attacker_key, 0.5)])
        P["kms"] = ([(a, 5) for a in self.avatar_roles + self.lambda_roles] + [(a, 2) for a in hk] +
                    [(self.services["s3.amazonaws.com"], 8), (self.services["ec2.amazonaws.com"], 4),
                     (self.dev_actors[2], 3)])
        P["ssm"] = [(a, 1) for a in self.ssm_roles]
        P["lambda"] = [(a, 1) for a in self.lambda_roles]
        P["auto"] = ([(a, 3) for a in sk] + [(self.gha_role, 3), (self.dev_actors[0], 2)] +
                     [(a, 2) for a in self.lambda_roles] + [(self.services["config.amazonaws.com"], 4)])
        P["health"] = [(self.services["health.amazonaws.com"], 1)] + [(a, 1) for a in hc[:5]]
        self.pools = {}
        for k, lst in P.items():
            acc, cum = 0.0, []
            for _, w in lst:
                acc += w
                cum.append(acc)
            self.pools[k] = ([a for a, _ in lst], cum)

    def pick(self, pool):
        actors, cum = self.pools[pool]
        return actors[bisect.bisect_right(cum, self.r.random() * cum[-1])]

    def session(self, a, t):
        """userIdentity of a session actor for the hour around t (sessions last about an hour)."""
        hour = t // 3600
        s = a.sessions.get(hour)
        if s is not None:
            return s
        r = self.r
        created = max(self.start, hour * 3600 - r.randrange(0, 900))
        account = a.account
        asia = self.key_id("ASIA", account)
        attrs = {"creationDate": self.iso(created), "mfaAuthenticated": "true" if a.mfa else "false"}
        k = a.kind
        if k == "console":
            ui = {"type": "IAMUser", "principalId": a.pid, "arn": a.arn, "accountId": account,
                  "accessKeyId": asia, "userName": a.name,
                  "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {}, "attributes": attrs}}
        elif k == "root_console":
            ui = {"type": "Root", "principalId": account, "arn": a.arn, "accountId": account, "accessKeyId": asia,
                  "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {}, "attributes": attrs}}
        elif k == "role":
            ui = {"type": "AssumedRole", "principalId": a.pid, "arn": a.arn, "accountId": account,
                  "accessKeyId": asia,
                  "sessionContext": {"sessionIssuer": a.issuer, "webIdFederationData": {}, "attributes": attrs}}
            if a.name.startswith("i-"):
                ui["sessionContext"]["ec2RoleDelivery"] = "2.0"
        else:  # federated
            ui = {"type": "FederatedUser", "principalId": a.pid, "arn": a.arn, "accountId": account,
                  "accessKeyId": asia,
                  "sessionContext": {"sessionIssuer": a.issuer, "webIdFederationData": {}, "attributes": attrs}}
        s = (ui, created, asia)
        if len(a.sessions) > 4096:
            a.sessions.clear()
        a.sessions[hour] = s
        return s

    # ---- catalog -----------------------------------------------------------------------------
    def _build_catalog(self):
        # (eventSource prefix, eventName, weight, readOnly, actor pool, handler, flags)
        # flags: d = data event, g = global (us-east-1), t = throttling-prone, e = error-prone
        C = []

        def add(src, name, w, ro, pool, handler=None, flags=""):
            C.append((src, name, w, ro, pool, handler or self.h_generic, flags))

        # reads
        add("s3", "GetObject", 900, True, "s3app", self.h_s3_object, "d")
        add("kms", "Decrypt", 520, True, "kms", self.h_kms)
        add("ec2", "DescribeInstances", 480, True, "any", self.h_describe, "t")
        add("sts", "AssumeRole", 300, True, "any", self.h_assume_role, "g")
        add("sts", "GetCallerIdentity", 260, True, "any", self.h_null, "g")
        add("s3", "ListObjects", 200, True, "s3app", self.h_s3_list, "d")
        add("s3", "HeadObject", 150, True, "s3app", self.h_s3_object, "d")
        add("ec2", "DescribeSecurityGroups", 200, True, "any", self.h_describe, "t")
        add("ec2", "DescribeVpcs", 150, True, "any", self.h_describe, "t")
        add("ec2", "DescribeSubnets", 140, True, "any", self.h_describe)
        add("ec2", "DescribeInstanceStatus", 90, True, "auto", self.h_describe, "t")
        add("ec2", "DescribeRouteTables", 100, True, "any", self.h_describe)
        add("ec2", "DescribeVolumes", 100, True, "any", self.h_describe)
        add("ec2", "DescribeNetworkInterfaces", 90, True, "auto", self.h_describe)
        add("ec2", "DescribeImages", 80, True, "any", self.h_describe)
        add("ec2", "DescribeAvailabilityZones", 70, True, "any", self.h_describe)
        add("ec2", "DescribeRegions", 60, True, "any", self.h_describe)
        add("ec2", "DescribeAccountAttributes", 40, True, "any", self.h_describe)
        add("ec2", "DescribeSnapshots", 40, True, "auto", self.h_describe)
        add("ec2", "DescribeTags", 50, True, "any", self.h_describe)
        add("ec2", "DescribeKeyPairs", 20, True, "any", self.h_describe)
        add("s3", "GetBucketAcl", 150, True, "auto", self.h_s3_bucket)
        add("s3", "GetBucketLocation", 120, True, "any", self.h_s3_bucket)
        add("s3", "ListBuckets", 100, True, "any", self.h_s3_listbuckets)
        add("s3", "GetBucketPolicy", 60, True, "any", self.h_s3_bucket, "e")
        add("s3", "GetBucketVersioning", 40, True, "auto", self.h_s3_bucket)
        add("s3", "GetBucketPublicAccessBlock", 40, True, "auto", self.h_s3_bucket, "e")
        add("iam", "GetUser", 120, True, "any", self.h_iam_user, "ge")
        add("iam", "ListUsers", 60, True, "any", self.h_iam_list, "g")
        add("iam", "ListRoles", 70, True, "any", self.h_iam_list, "g")
        add("iam", "GetRole", 80, True, "any", self.h_iam_role, "g")
        add("iam", "ListAttachedUserPolicies", 40, True, "any", self.h_iam_user, "g")
        add("iam", "ListAttachedRolePolicies", 50, True, "any", self.h_iam_role, "g")
        add("iam", "ListRolePolicies", 40, True, "any", self.h_iam_role, "g")
        add("iam", "GetPolicy", 40, True, "any", self.h_iam_policy, "g")
        add("iam", "GetPolicyVersion", 40, True, "any", self.h_iam_policy, "g")
        add("iam", "ListAccessKeys", 40, True, "any", self.h_iam_user, "g")
        add("iam", "ListMFADevices", 25, True, "any", self.h_iam_user, "g")
        add("iam", "ListGroupsForUser", 20, True, "any", self.h_iam_user, "g")
        add("iam", "GetAccountPasswordPolicy", 15, True, "any", self.h_null, "g")
        add("iam", "GetAccountSummary", 15, True, "any", self.h_null, "g")
        add("kms", "GenerateDataKey", 150, True, "kms", self.h_kms)
        add("kms", "DescribeKey", 50, True, "any", self.h_kms)
        add("cloudtrail", "LookupEvents", 40, True, "console", self.h_lookup)
        add("cloudtrail", "DescribeTrails", 30, True, "any", self.h_generic)
        add("cloudtrail", "GetTrailStatus", 25, True, "auto", self.h_trail)
        add("cloudtrail", "GetEventSelectors", 15, True, "auto", self.h_trail)
        add("logs", "DescribeLogGroups", 60, True, "any", self.h_describe)
        add("logs", "DescribeLogStreams", 60, True, "any", self.h_logs)
        add("logs", "FilterLogEvents", 30, True, "console", self.h_logs)
        add("lambda", "ListFunctions20150331", 50, True, "any", self.h_describe)
        add("lambda", "GetFunction20150331v2", 40, True, "any", self.h_lambda_fn)
        add("ssm", "GetParameter", 150, True, "s3app", self.h_ssm_param)
        add("ssm", "GetParameters", 60, True, "lambda", self.h_ssm_param)
        add("ssm", "DescribeInstanceInformation", 80, True, "console", self.h_describe)
        add("ssm", "GetParametersByPath", 30, True, "lambda", self.h_ssm_param)
        add("secretsmanager", "GetSecretValue", 100, True, "lambda", self.h_secret, "e")
        add("secretsmanager", "DescribeSecret", 30, True, "any", self.h_secret)
        add("monitoring", "DescribeAlarms", 60, True, "console", self.h_describe)
        add("monitoring", "GetMetricData", 80, True, "auto", self.h_describe)
        add("dynamodb", "DescribeTable", 40, True, "lambda", self.h_dynamo)
        add("rds", "DescribeDBInstances", 40, True, "any", self.h_describe)
        add("elasticloadbalancing", "DescribeLoadBalancers", 40, True, "any", self.h_describe)
        add("guardduty", "ListDetectors", 15, True, "console", self.h_describe)
        add("guardduty", "GetFindings", 20, True, "console", self.h_generic)
        add("health", "DescribeEventAggregates", 30, True, "health", self.h_health, "g")
        add("bedrock", "InvokeModel", 30, True, "any", self.h_bedrock)
        add("sts", "GetSessionToken", 10, True, "any", self.h_generic, "g")
        # writes
        add("s3", "PutObject", 330, False, "s3app", self.h_s3_object, "d")
        add("s3", "DeleteObject", 60, False, "s3app", self.h_s3_object, "d")
        add("s3", "CopyObject", 25, False, "s3app", self.h_s3_copy, "d")
        add("lambda", "Invoke", 180, False, "auto", self.h_lambda_invoke, "d")
        add("ssm", "UpdateInstanceInformation", 420, False, "ssm", self.h_ssm_update)
        add("logs", "CreateLogStream", 230, False, "lambda", self.h_logs)
        add("signin", "ConsoleLogin", 120, False, "console", None, "g")
        add("ec2", "CreateTags", 60, False, "admin", self.h_ec2_tags)
        add("ec2", "RunInstances", 30, False, "admin", self.h_run_instances, "e")
        add("ec2", "TerminateInstances", 15, False, "admin", self.h_ec2_instances)
        add("ec2", "StartInstances", 15, False, "admin", self.h_ec2_instances)
        add("ec2", "StopInstances", 20, False, "admin", self.h_ec2_instances)
        add("ec2", "AuthorizeSecurityGroupIngress", 15, False, "admin", self.h_sg_ingress)
        add("ec2", "ModifySecurityGroupRules", 12, False, "admin", self.h_sg_modify)
        add("ec2", "RevokeSecurityGroupIngress", 8, False, "admin", self.h_sg_ingress)
        add("ec2", "CreateSecurityGroup", 8, False, "admin", self.h_sg_create)
        add("ec2", "CreateSnapshot", 15, False, "auto", self.h_generic)
        add("ec2", "CreateVolume", 8, False, "admin", self.h_generic)
        add("ec2", "ModifyInstanceAttribute", 8, False, "admin", self.h_ec2_instances)
        add("logs", "CreateLogGroup", 10, False, "lambda", self.h_logs)
        add("logs", "PutRetentionPolicy", 4, False, "admin", self.h_logs)
        add("ssm", "PutParameter", 15, False, "admin", self.h_ssm_param)
        add("ssm", "SendCommand", 10, False, "admin", self.h_ssm_send)
        add("ssm", "StartSession", 8, False, "console", self.h_ssm_session)
        add("secretsmanager", "PutSecretValue", 6, False, "admin", self.h_secret)
        add("lambda", "UpdateFunctionCode20150331v2", 8, False, "admin", self.h_lambda_fn)
        add("lambda", "CreateFunction20150331", 4, False, "admin", self.h_lambda_fn)
        add("lambda", "AddPermission20150331v2", 4, False, "admin", self.h_lambda_fn)
        add("s3", "PutBucketPolicy", 6, False, "admin", self.h_s3_bucket)
        add("s3", "PutBucketAcl", 4, False, "admin", self.h_s3_bucket)
        add("s3", "PutBucketPublicAccessBlock", 4, False, "admin", self.h_s3_bucket)
        add("s3", "CreateBucket", 6, False, "admin", self.h_s3_bucket)
        add("s3", "DeleteBucket", 2, False, "admin", self.h_s3_bucket)
        add("iam", "CreateAccessKey", 8, False, "admin", self.h_iam_write, "ge")
        add("iam", "UpdateAccessKey", 5, False, "admin", self.h_iam_write, "g")
        add("iam", "DeleteAccessKey", 4, False, "admin", self.h_iam_write, "g")
        add("iam", "CreateUser", 5, False, "admin", self.h_iam_write, "ge")
        add("iam", "CreateLoginProfile", 3, False, "admin", self.h_iam_write, "g")
        add("iam", "PutUserPolicy", 4, False, "admin", self.h_iam_write, "g")
        add("iam", "PutRolePolicy", 5, False, "admin", self.h_iam_write, "g")
        add("iam", "PutGroupPolicy", 2, False, "admin", self.h_iam_write, "g")
        add("iam", "AttachUserPolicy", 4, False, "admin", self.h_iam_write, "ge")
        add("iam", "AttachGroupPolicy", 2, False, "admin", self.h_iam_write, "g")
        add("iam", "AttachRolePolicy", 5, False, "admin", self.h_iam_write, "g")
        add("iam", "AddUserToGroup", 4, False, "admin", self.h_iam_write, "g")
        add("iam", "DeleteVirtualMFADevice", 2, False, "admin", self.h_iam_write, "g")
        add("iam", "DeactivateMFADevice", 2, False, "admin", self.h_iam_write, "g")
        add("iam", "CreateVirtualMFADevice", 2, False, "admin", self.h_iam_write, "g")
        add("iam", "EnableMFADevice", 2, False, "admin", self.h_iam_write, "g")
        add("iam", "CreateRole", 3, False, "admin", self.h_iam_write, "g")
        add("cloudtrail", "StopLogging", 1, False, "admin", self.h_trail)
        add("cloudtrail", "PutEventSelectors", 1, False, "admin", self.h_trail)
        add("rds", "ModifyDBInstance", 2, False, "admin", self.h_generic)
        self.catalog = C
        acc, cum = 0.0, []
        for e in C:
            acc += e[2]
            cum.append(acc)
        self.catalog_cum = cum
        self.by_event = {e[1]: e for e in C}

    # ---- the event skeleton ------------------------------------------------------------------
    def event(self, t, src, name, region, actor, req, resp, aed=None, resources=None, ro=True, data=False,
              err=None, ui=None, console=False, host=None, ip=None, ua=None, etype="AwsApiCall",
              request_id=True, version=None, shared=False, api_version=None):
        r = self.r
        if ui is None:
            ui, console = self.identity(actor, t)
        if ip is None:
            ip = actor.ips[0] if len(actor.ips) == 1 else r.choice(actor.ips)
        if ua is None:
            ua = actor.uas[0] if len(actor.uas) == 1 else r.choice(actor.uas)
        if version is None:
            x = r.random()
            version = "1.11" if x < 0.7 else ("1.10" if x < 0.9 else ("1.09" if x < 0.97 else "1.08"))
        source = src + ".amazonaws.com"
        ev = {"eventVersion": version, "userIdentity": ui, "eventTime": self.iso(t), "eventSource": source,
              "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": ua}
        if err is not None:
            if err[0] is not None:
                ev["errorCode"] = err[0]
            ev["errorMessage"] = err[1]
        ev["requestParameters"] = req
        ev["responseElements"] = resp
        if aed is not None:
            ev["additionalEventData"] = aed
        if request_id:
            ev["requestID"] = self.s3_request_id() if (src == "s3") else self.uuid()
        ev["eventID"] = self.uuid()
        ev["readOnly"] = ro
        if resources is not None:
            ev["resources"] = resources
        ev["eventType"] = etype
        if api_version is not None:
            ev["apiVersion"] = api_version
        ev["managementEvent"] = not data
        ev["recipientAccountId"] = actor.account
        if shared:
            ev["sharedEventID"] = self.uuid()
        ev["eventCategory"] = "Data" if data else "Management"
        if actor.kind != "service" and ua != "AWS Internal":
            if host is None:
                host = self._default_host(src, region)
            ev["tlsDetails"] = self.tls(host, r.random() < 0.12)
        if console:
            ev["sessionCredentialFromConsole"] = "true"
        return ev

    @staticmethod
    def _default_host(src, region):
        if src in ("iam", "sts"):
            return src + ".amazonaws.com"
        if src == "signin":
            return "signin.aws.amazon.com"
        return "%s.%s.amazonaws.com" % (src, region)

    def identity(self, a, t):
        k = a.kind
        if k == "key" or k == "service" or k == "root_key":
            return a.ui, False
        ui = self.session(a, t)[0]
        return ui, (k == "console" or k == "root_console")

    # ---- generic handlers: each returns (req, resp, aed, resources) --------------------------
    def h_null(self, ctx):
        return None, None, None, None

    def h_generic(self, ctx):
        return {}, None, None, None

    def h_describe(self, ctx):
        r = self.r
        x = r.random()
        if x < 0.4:
            return {"maxResults": r.choice((5, 50, 100, 1000))}, None, None, None
        if x < 0.6:
            return {"filterSet": {}}, None, None, None
        if x < 0.8:
            iid = r.choice(INSTANCE_IDS)
            return {"instancesSet": {"items": [{"instanceId": iid}]}, "filterSet": {}}, None, None, None
        return None, None, None, None

    def h_trail(self, ctx):
        return {"name": "arn:aws:cloudtrail:us-east-1:%s:trail/management-events" % ACCOUNT_MAIN}, None, None, None

    def h_lookup(self, ctx):
        return {"maxResults": 50, "lookupAttributes": [{"attributeKey": "ReadOnly", "attributeValue": "false"}]}, \
            None, None, None

    def h_logs(self, ctx):
        fn = self.r.choice(LAMBDA_FUNCS)
        req = {"logGroupName": "/aws/lambda/" + fn}
        if ctx["name"] == "CreateLogStream":
            req["logStreamName"] = "2025/12/%02d/[$LATEST]%032x" % (self.r.randrange(1, 29), self.r.getrandbits(128))
        elif ctx["name"] == "PutRetentionPolicy":
            req["retentionInDays"] = 30
        elif ctx["name"] == "FilterLogEvents":
            req["limit"] = 100
            req["filterPattern"] = "ERROR"
        return req, None, None, None

    def h_lambda_fn(self, ctx):
        fn = self.r.choice(LAMBDA_FUNCS)
        name = ctx["name"]
        req = {"functionName": fn}
        resp = None
        if name.startswith("AddPermission"):
            req.update({"statementId": "allow-all-%d" % self.r.randrange(1000), "action": "lambda:InvokeFunction",
                        "principal": "*"})
        elif name.startswith("UpdateFunctionCode"):
            req["publish"] = False
            resp = {"functionName": fn, "functionArn": "arn:aws:lambda:%s:%s:function:%s" % (ctx["region"],
                                                                                           ctx["account"], fn),
                    "runtime": "python3.12", "codeSize": self.r.randrange(1000, 5000000), "timeout": 30,
                    "memorySize": 256, "version": "$LATEST"}
        elif name.startswith("CreateFunction"):
            req.update({"runtime": "python3.12", "handler": "app.handler", "timeout": 30, "memorySize": 128,
                        "role": "arn:aws:iam::%s:role/%s-role" % (ctx["account"], fn)})
        return req, resp, None, None

    def h_lambda_invoke(self, ctx):
        fn = self.r.choice(LAMBDA_FUNCS)
        arn = "arn:aws:lambda:%s:%s:function:%s" % (ctx["region"], ctx["account"], fn)
        return ({"functionName": arn, "invocationType": "Event" if self.r.random() < 0.5 else "RequestResponse"},
                None, {"functionVersion": arn + ":$LATEST"},
                [{"accountId": ctx["account"], "type": "AWS::Lambda::Function", "ARN": arn}])

    def h_kms(self, ctx):
        r = self.r
        acct, region = ctx["account"], ctx["region"]
        key = "arn:aws:kms:%s:%s:key/%s" % (region, acct, self._kms_key(region, acct))
        if ctx["name"] == "DescribeKey":
            return {"keyId": "alias/aws/s3"}, None, None, [{"accountId": acct, "type": "AWS::KMS::Key", "ARN": key}]
        req = {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
        if r.random() < 0.6:
            b = r.choice(BUCKETS)[0]
            req["encryptionContext"] = {"aws:s3:arn": "arn:aws:s3:::" + b}
        else:
            req["encryptionContext"] = {"aws:lambda:FunctionArn": "arn:aws:lambda:%s:%s:function:%s" % (
                region, acct, r.choice(LAMBDA_FUNCS))}
        if ctx["name"] == "GenerateDataKey":
            req = {"keyId": key, "keySpec": "AES_256", "encryptionContext": req["encryptionContext"]}
        return req, None, None, [{"accountId": acct, "type": "AWS::KMS::Key", "ARN": key}]

    def _kms_key(self, region, acct):
        k = (region, acct)
        d = self.__dict__.setdefault("_kms_keys", {})
        if k not in d:
            d[k] = self.uuid()
        return d[k]

    def h_ssm_param(self, ctx):
        r = self.r
        name = r.choice(("/prod/db/password", "/prod/api/key", "/app/config/feature-flags", "/dev/db/url"))
        if ctx["name"] == "GetParameters":
            return {"names": [name, "/app/config/region"], "withDecryption": True}, None, None, None
        if ctx["name"] == "GetParametersByPath":
            return {"path": "/app/config", "recursive": True, "withDecryption": False, "maxResults": 10}, \
                None, None, None
        if ctx["name"] == "PutParameter":
            return {"name": name, "type": "SecureString", "overwrite": True, "keyId": "alias/aws/ssm"}, \
                {"version": r.randrange(1, 40), "tier": "Standard"}, None, None
        return {"name": name, "withDecryption": r.random() < 0.7}, None, None, None

    def h_ssm_update(self, ctx):
        a = ctx["actor"]
        return ({"instanceId": a.name, "agentVersion": "3.3.1142.0", "agentStatus": "Active",
                 "platformType": "Linux", "platformName": "Ubuntu", "platformVersion": "24.04",
                 "iPAddress": "10.0.%d.%d" % (1 + a.index % 3, 10 + a.index), "computerName":
                     "ip-10-0-1-%d.ec2.internal" % (10 + a.index), "agentName": "amazon-ssm-agent"},
                None, None, None)

    def h_ssm_send(self, ctx):
        iid = self.r.choice(INSTANCE_IDS)
        cmd = self.r.choice(("uptime", "curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                             "sudo systemctl restart nginx", "cat /etc/passwd"))
        cid = self.uuid()
        return ({"instanceIds": [iid], "documentName": "AWS-RunShellScript", "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS",
                 "interactive": False},
                {"command": {"commandId": cid, "documentName": "AWS-RunShellScript", "instanceIds": [iid],
                             "status": "Pending", "timeoutSeconds": 3600, "maxConcurrency": "50",
                             "maxErrors": "0", "comment": cmd}},
                None, None)

    def h_ssm_session(self, ctx):
        iid = self.r.choice(INSTANCE_IDS)
        sid = "%s-%017x" % (ctx["actor"].name.split("@")[0], self.r.getrandbits(68))
        return ({"target": iid}, {"sessionId": sid, "tokenValue": "Value hidden due to security reasons.",
                                  "streamUrl": "wss://ssmmessages.%s.amazonaws.com/v1/data-channel/%s?role=publish_subscribe"
                                               % (ctx["region"], sid)}, None,
                [{"accountId": ctx["account"], "ARN": "arn:aws:ec2:%s:%s:instance/%s" % (ctx["region"], ctx["account"], iid)}])

    def h_secret(self, ctx):
        sid = self.r.choice(("prod/db/credentials", "prod/stripe/api-key", "dev/github-token"))
        arn = "arn:aws:secretsmanager:%s:%s:secret:%s-%s" % (ctx["region"], ctx["account"], sid,
                                                            "".join(self.r.choices(FILE_ALPHABET, k=6)))
        req = {"secretId": arn}
        if ctx["name"] == "PutSecretValue":
            req["clientRequestToken"] = self.uuid()
            return req, {"arn": arn, "versionId": self.uuid(), "versionStages": ["AWSCURRENT"]}, None, None
        return req, None, None, None

    def h_dynamo(self, ctx):
        return {"tableName": self.r.choice(("orders", "sessions", "user-profiles"))}, None, None, None

    def h_health(self, ctx):
        return ({"filter": {"eventStatusCodes": ["open", "upcoming"],
                            "startTimes": [{"from": self.human_date(max(self.start, ctx["t"] - 7 * 86400))}]},
                 "aggregateField": "eventTypeCategory"}, None, None, None)

    def h_bedrock(self, ctx):
        model = self.r.choice(("anthropic.claude-3-haiku-20240307-v1:0", "amazon.titan-text-express-v1",
                               "meta.llama3-8b-instruct-v1:0"))
        arn = "arn:aws:bedrock:%s::foundation-model/%s" % (ctx["region"], model)
        return ({"modelId": model}, None,
                {"inferenceRegion": ctx["region"], "inferenceConfig": {"maxTokens": 512,
                                                                       "temperature": self.r.choice((0.2, 0.5, 0.7, 1.0))}},
                [{"accountId": ctx["account"], "type": "AWS::Bedrock::Model", "ARN": arn}])

    # ---- S3 ----------------------------------------------------------------------------------
    def bucket_for(self, actor):
        r = self.r
        if actor.account == ACCOUNT_DEV:
            return BUCKETS[6]
        if actor.name.startswith("i-"):
            return BUCKETS[0]
        if actor.name == "svc-backup":
            return BUCKETS[3]
        return BUCKETS[r.randrange(0, 6)]

    def s3_key(self, kind):
        r = self.r
        if kind == "avatar":
            return "avatars/%08x/%s.png" % (r.getrandbits(32), r.choice(("original", "thumb-128", "thumb-512")))
        if kind == "web":
            return r.choice(WEB_KEYS)
        if kind == "scan":
            return "scans/2025/passport-%05d.jpg" % r.randrange(100000)
        if kind == "backup":
            return r.choice(BACKUP_KEYS)
        if kind == "tfstate":
            return "env/prod/terraform.tfstate"
        return "raw/dt=2025-12-%02d/part-%05d.parquet" % (r.randrange(1, 29), r.randrange(2000))

    def _s3_aed(self, out_bytes, in_bytes=0):
        r = self.r
        if r.random() < 0.3:  # real S3 data events carry these as floats too ("bytesTransferredIn":0.0)
            out_bytes, in_bytes = float(out_bytes), float(in_bytes)
        return {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                "bytesTransferredIn": in_bytes, "SSEApplied": "Default_SSE_S3", "AuthenticationMethod": "AuthHeader",
                "x-amz-id-2": base64.b64encode(r.getrandbits(456).to_bytes(57, "big")).decode("ascii"),
                "bytesTransferredOut": out_bytes}

    def h_s3_object(self, ctx):
        r = self.r
        b, region, acct, kind = ctx["bucket"]
        key = self.s3_key(kind)
        name = ctx["name"]
        req = {"bucketName": b, "Host": "%s.s3.%s.amazonaws.com" % (b, region), "key": key}
        resp = None
        if name == "GetObject":
            aed = self._s3_aed(r.randrange(200, 5000000))
        elif name == "HeadObject":
            aed = self._s3_aed(0)
        elif name == "PutObject":
            size = r.randrange(200, 3000000)
            aed = self._s3_aed(0, size)
            resp = {"x-amz-server-side-encryption": "AES256"}
            if r.random() < 0.3:
                resp["x-amz-version-id"] = "".join(r.choices(FILE_ALPHABET, k=32))
        else:  # DeleteObject
            aed = self._s3_aed(0)
        res = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (b, key)},
               {"accountId": acct, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + b}]
        return req, resp, aed, res

    def h_s3_copy(self, ctx):
        r = self.r
        b, region, acct, kind = ctx["bucket"]
        src = self.s3_key(kind)
        dst = "archive/" + src
        req = {"bucketName": b, "Host": "%s.s3.%s.amazonaws.com" % (b, region), "key": dst,
               "x-amz-copy-source": "%s/%s" % (b, src)}
        resp = {"CopyObjectResult": {"LastModified": self.iso(ctx["t"]).replace("Z", ".000Z"),
                                     "ETag": "%032x" % r.getrandbits(128)}}
        res = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (b, src)},
               {"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (b, dst)},
               {"accountId": acct, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + b}]
        return req, resp, self._s3_aed(0), res

    def h_s3_list(self, ctx):
        b, region, acct, kind = ctx["bucket"]
        prefix = {"avatar": "avatars/", "web": "", "scan": "scans/2025/", "backup": "", "tfstate": "env/"}.get(kind, "raw/")
        req = {"list-type": "2", "bucketName": b, "Host": "%s.s3.%s.amazonaws.com" % (b, region), "prefix": prefix,
               "max-keys": "1000", "encoding-type": "url"}
        return req, None, self._s3_aed(self.r.randrange(300, 90000)), \
            [{"accountId": acct, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + b}]

    def h_s3_bucket(self, ctx):
        r = self.r
        b, region, acct, kind = ctx["bucket"]
        name = ctx["name"]
        req = {"bucketName": b, "Host": "%s.s3.%s.amazonaws.com" % (b, region)}
        resp = None
        if name == "GetBucketAcl":
            req["acl"] = ""
        elif name == "GetBucketLocation":
            req["location"] = ""
        elif name == "GetBucketPolicy":
            req["policy"] = ""
        elif name == "GetBucketVersioning":
            req["versioning"] = ""
        elif name in ("GetBucketPublicAccessBlock", "PutBucketPublicAccessBlock"):
            req["publicAccessBlock"] = ""
            if name[0] == "P":
                on = r.random() < 0.6
                req["PublicAccessBlockConfiguration"] = {
                    "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "RestrictPublicBuckets": on,
                    "BlockPublicPolicy": on, "BlockPublicAcls": on, "IgnorePublicAcls": on}
        elif name == "PutBucketPolicy":
            req["policy"] = {"Version": "2012-10-17", "Statement": [{
                "Sid": r.choice(("PublicRead", "AllowOfficeOnly", "DenyInsecureTransport")),
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::%s/*" % b}]}
            if r.random() < 0.5:
                req["policy"]["Statement"][0]["Condition"] = {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}
        elif name == "PutBucketAcl":
            req["acl"] = ""
            req["x-amz-acl"] = r.choice(("public-read", "private", "authenticated-read"))
        elif name == "CreateBucket":
            req["CreateBucketConfiguration"] = {"LocationConstraint": region,
                                                "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}
        return req, resp, self._s3_aed(0), [{"accountId": acct, "type": "AWS::S3::Bucket",
                                              "ARN": "arn:aws:s3:::" + b}]

    def h_s3_listbuckets(self, ctx):
        return {"Host": "s3.%s.amazonaws.com" % ctx["region"]}, None, self._s3_aed(0), None

    # ---- IAM ---------------------------------------------------------------------------------
    def _some_user(self):
        r = self.r
        if r.random() < 0.85:
            return r.choice(HUMANS)[0]
        return r.choice(SERVICE_USERS)[0]

    def h_iam_user(self, ctx):
        return {"userName": self._some_user()}, None, None, None

    def h_iam_list(self, ctx):
        r = self.r
        if r.random() < 0.5:
            return {"maxItems": 100}, None, None, None
        return None, None, None, None

    def h_iam_role(self, ctx):
        rn = self.r.choice(("UserAvatarsProcessor", "EU-RemoteSupport", "github-actions-deploy",
                            "AmazonSSMRoleForInstancesQuickSetup", "order-processor-role"))
        return {"roleName": rn}, None, None, None

    def h_iam_policy(self, ctx):
        p = "arn:aws:iam::aws:policy/" + self.r.choice(POLICIES_AWS)
        if ctx["name"] == "GetPolicyVersion":
            return {"policyArn": p, "versionId": "v%d" % self.r.randrange(1, 5)}, None, None, None
        return {"policyArn": p}, None, None, None

    @staticmethod
    def policy_doc(actions, resource="*", sid=None):
        st = {"Effect": "Allow", "Action": actions, "Resource": resource}
        if sid:
            st = {"Sid": sid, **st}
        return json.dumps({"Version": "2012-10-17", "Statement": [st]}, indent=4)

    def h_iam_write(self, ctx):
        r = self.r
        name = ctx["name"]
        acct = ctx["account"]
        t = ctx["t"]
        user = ctx.get("target_user") or self._some_user()
        resp = None
        if name == "CreateAccessKey":
            req = {"userName": user}
            resp = {"accessKey": {"accessKeyId": self.key_id("AKIA", acct), "status": "Active", "userName": user,
                                  "createDate": self.human_date(t)}}
        elif name == "UpdateAccessKey":
            req = {"userName": user, "accessKeyId": self.user_keys.get(user) or self.key_id("AKIA", acct),
                   "status": r.choice(("Active", "Inactive"))}
        elif name == "DeleteAccessKey":
            req = {"userName": user, "accessKeyId": self.key_id("AKIA", acct)}
        elif name == "CreateUser":
            user = ctx.get("target_user") or r.choice(("intern-%02d" % r.randrange(1, 30), "backup-operator",
                                                        "support-temp", "svc-monitoring"))
            req = {"userName": user, "tags": [{"key": "team", "value": r.choice(TAG_VALUES)}]}
            resp = {"user": {"path": "/", "userName": user, "userId": self.key_id("AIDA", acct, 9),
                             "arn": "arn:aws:iam::%s:user/%s" % (acct, user), "createDate": self.human_date(t),
                             "tags": req["tags"]}}
        elif name == "CreateLoginProfile":
            req = {"userName": user, "passwordResetRequired": r.random() < 0.5}
            resp = {"loginProfile": {"userName": user, "createDate": self.human_date(t),
                                     "passwordResetRequired": req["passwordResetRequired"]}}
        elif name == "PutUserPolicy":
            req = {"userName": user, "policyName": r.choice(("ReadOnlyAccess", "S3Access", "TempPolicy")),
                   "policyDocument": self.policy_doc(["ec2:StartInstances", "ec2:StopInstances", "ec2:Describe*"])}
        elif name == "PutRolePolicy":
            req = {"roleName": r.choice(("UserAvatarsProcessor", "order-processor-role", "EU-RemoteSupport")),
                   "policyName": r.choice(("s3-avatars-rw", "logs-write", "ReadOnlyAccess")),
                   "policyDocument": self.policy_doc(["s3:GetObject", "s3:PutObject"],
                                                     "arn:aws:s3:::user-avatars-prod/*", "AvatarsRW")}
        elif name == "PutGroupPolicy":
            req = {"groupName": r.choice(GROUPS), "policyName": "ReadOnlyAccess",
                   "policyDocument": self.policy_doc("*")}
        elif name == "AttachUserPolicy":
            req = {"userName": user, "policyArn": "arn:aws:iam::aws:policy/" + r.choice(POLICIES_AWS)}
        elif name == "AttachGroupPolicy":
            req = {"groupName": r.choice(GROUPS), "policyArn": "arn:aws:iam::aws:policy/" + r.choice(POLICIES_AWS)}
        elif name == "AttachRolePolicy":
            req = {"roleName": r.choice(("UserAvatarsProcessor", "EU-RemoteSupport", "github-actions-deploy")),
                   "policyArn": "arn:aws:iam::aws:policy/" + r.choice(POLICIES_AWS)}
        elif name == "AddUserToGroup":
            req = {"groupName": r.choice(GROUPS), "userName": user}
        elif name == "DeleteVirtualMFADevice":
            req = {"serialNumber": "arn:aws:iam::%s:mfa/%s" % (acct, user)}
        elif name == "DeactivateMFADevice":
            req = {"userName": user, "serialNumber": "arn:aws:iam::%s:mfa/%s" % (acct, user)}
        elif name == "CreateVirtualMFADevice":
            req = {"virtualMFADeviceName": user, "path": "/"}
            resp = {"virtualMFADevice": {"serialNumber": "arn:aws:iam::%s:mfa/%s" % (acct, user)}}
        elif name == "EnableMFADevice":
            req = {"userName": user, "serialNumber": "arn:aws:iam::%s:mfa/%s" % (acct, user)}
        else:  # CreateRole
            rn = r.choice(("backup-role", "lambda-exec-temp", "cross-account-audit"))
            trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
            req = {"roleName": rn, "assumeRolePolicyDocument": trust, "maxSessionDuration": 3600}
            resp = {"role": {"path": "/", "roleName": rn, "roleId": self.key_id("AROA", acct, 9),
                             "arn": "arn:aws:iam::%s:role/%s" % (acct, rn), "createDate": self.human_date(t),
                             "assumeRolePolicyDocument": trust}}
        return req, resp, None, None

    # ---- EC2 ---------------------------------------------------------------------------------
    def h_ec2_instances(self, ctx):
        r = self.r
        iid = r.choice(INSTANCE_IDS)
        name = ctx["name"]
        if name == "ModifyInstanceAttribute":
            return {"instanceId": iid, "userData": "<sensitiveDataRemoved>"}, {"_return": True}, None, None
        states = {"TerminateInstances": ((16, "running"), (32, "shutting-down")),
                  "StartInstances": ((80, "stopped"), (0, "pending")),
                  "StopInstances": ((16, "running"), (64, "stopping"))}[name]
        return ({"instancesSet": {"items": [{"instanceId": iid}]}, "force": False} if name == "StopInstances" else
                {"instancesSet": {"items": [{"instanceId": iid}]}},
                {"requestId": self.uuid(), "instancesSet": {"items": [{
                    "instanceId": iid, "currentState": {"code": states[1][0], "name": states[1][1]},
                    "previousState": {"code": states[0][0], "name": states[0][1]}}]}},
                None, None)

    def h_ec2_tags(self, ctx):
        r = self.r
        rid = r.choice(INSTANCE_IDS) if r.random() < 0.7 else self.hexid("vol-")
        return ({"resourcesSet": {"items": [{"resourceId": rid}]},
                 "tagSet": {"items": [{"key": r.choice(("Name", "env", "owner", "équipe")),
                                       "value": r.choice(TAG_VALUES)}]}},
                {"requestId": self.uuid(), "_return": True}, None, None)

    def h_run_instances(self, ctx):
        r = self.r
        region = ctx["region"]
        n = 1 if r.random() < 0.8 else r.randrange(2, 4)
        itype = r.choice(INSTANCE_TYPES)
        ami = self.hexid("ami-")
        subnet = self.hexid("subnet-")
        vpc = self.hexid("vpc-")
        az = region + r.choice(AZ_SUFFIX)
        launch = ctx["t"] * 1000
        items = []
        for i in range(n):
            ip4 = "10.0.%d.%d" % (r.randrange(0, 4), r.randrange(4, 250))
            items.append({"instanceId": self.hexid("i-"), "imageId": ami,
                          "instanceState": {"code": 0, "name": "pending"},
                          "privateDnsName": "ip-%s.ec2.internal" % ip4.replace(".", "-"),
                          "amiLaunchIndex": i, "productCodes": {}, "instanceType": itype, "launchTime": launch,
                          "placement": {"availabilityZone": az, "tenancy": "default"},
                          "monitoring": {"state": "disabled"}, "subnetId": subnet, "vpcId": vpc,
                          "privateIpAddress": ip4, "stateReason": {"code": "pending", "message": "pending"},
                          "architecture": "x86_64", "rootDeviceType": "ebs", "rootDeviceName": "/dev/xvda",
                          "blockDeviceMapping": {}, "virtualizationType": "hvm", "hypervisor": "xen",
                          "groupSet": {"items": [{"groupId": self.hexid("sg-"), "groupName": "launch-wizard-1"}]},
                          "ebsOptimized": False, "enaSupport": True, "cpuOptions": {"coreCount": 1, "threadsPerCore": 2},
                          "metadataOptions": {"state": "pending", "httpTokens": "required",
                                              "httpPutResponseHopLimit": 2, "httpEndpoint": "enabled"}})
        tag = r.choice(TAG_VALUES)
        req = {"instancesSet": {"items": [{"imageId": ami, "minCount": n, "maxCount": n}]}, "instanceType": itype,
               "blockDeviceMapping": {}, "monitoring": {"enabled": False}, "subnetId": subnet,
               "disableApiTermination": False, "disableApiStop": False, "clientToken": self.uuid(),
               "tagSpecificationSet": {"items": [{"resourceType": "instance",
                                                  "tags": [{"key": "Name", "value": tag}]}]}}
        resp = {"requestId": self.uuid(), "reservationId": self.hexid("r-"), "ownerId": ctx["account"],
                "groupSet": {}, "instancesSet": {"items": items}}
        return req, resp, None, None

    def h_sg_ingress(self, ctx):
        r = self.r
        port = r.choice((22, 3389, 443, 80, 5432, 8080))
        cidr = "0.0.0.0/0" if r.random() < 0.5 else "203.0.113.0/24"
        gid = r.choice(("sg-0a1b2c3d4e5f60718", "sg-04cfb7a4712d75b00", "sg-09e8d7c6b5a493827"))
        req = {"groupId": gid, "ipPermissions": {"items": [{
            "ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {},
            "ipRanges": {"items": [{"cidrIp": cidr, "description": "ops access"}]}, "ipv6Ranges": {},
            "prefixListIds": {}}]}}
        if ctx["name"] == "RevokeSecurityGroupIngress":
            return req, {"requestId": self.uuid(), "_return": True}, None, None
        resp = {"requestId": self.uuid(), "_return": True, "securityGroupRuleSet": {"items": [{
            "groupOwnerId": ctx["account"], "groupId": gid, "securityGroupRuleId": self.hexid("sgr-"),
            "description": "ops access", "isEgress": False, "ipProtocol": "tcp", "fromPort": port, "toPort": port,
            "cidrIpv4": cidr}]}}
        return req, resp, None, None

    def h_sg_modify(self, ctx):
        r = self.r
        port = ctx.get("port") or r.choice((22, 3389, 22, 3389, 443, 8443))
        gid = r.choice(("sg-0a1b2c3d4e5f60718", "sg-04cfb7a4712d75b00", "sg-09e8d7c6b5a493827"))
        req = {"ModifySecurityGroupRulesRequest": {"GroupId": gid, "SecurityGroupRule": {
            "SecurityGroupRule": {"Description": "", "CidrIpv4": "0.0.0.0/0", "FromPort": port, "ToPort": port,
                                  "IpProtocol": "tcp"},
            "SecurityGroupRuleId": self.hexid("sgr-")}}}
        resp = {"ModifySecurityGroupRulesResponse": {"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/",
                                                     "requestId": self.uuid(), "return": True}}
        return req, resp, None, None

    def h_sg_create(self, ctx):
        name = self.r.choice(("launch-wizard-2", "db-access", "tmp-debug"))
        return ({"groupName": name, "groupDescription": "created %s" % self.iso(ctx["t"]),
                 "vpcId": "vpc-0f1e2d3c4b5a69788"},
                {"requestId": self.uuid(), "_return": True, "groupId": self.hexid("sg-")}, None, None)

    # ---- STS ---------------------------------------------------------------------------------
    def h_assume_role(self, ctx):
        """Returns a complete event (AssumeRole needs the assumed role's session)."""
        r = self.r
        t = ctx["t"]
        x = r.random()
        caller = ctx["actor"]
        if x < 0.45:
            role = r.choice(self.avatar_roles + self.ssm_roles)
            caller = self.services["ec2.amazonaws.com"]
        elif x < 0.7:
            role = r.choice(self.lambda_roles)
            caller = self.services["lambda.amazonaws.com"]
        elif x < 0.8:
            role = self.gha_role
            caller = self.by_name["key:ci-deployer"]
        elif x < 0.9:
            role = self.remote_support
            caller = self.by_name["key:" + self.remote_support_user] if r.random() < 0.5 else \
                self.by_name["console:" + self.remote_support_user]
        else:
            role = self.dev_actors[1]
            caller = self.by_name["console:sarah.braun"]
        return self.assume_role_event(t, caller, role)

    def assume_role_event(self, t, caller, role, duration=3600):
        r = self.r
        ui, created, asia = self.session(role, t)
        t = max(created, self.start)
        rarn = role.issuer["arn"]
        sess = role.name
        exp = self.human_date(t + duration)
        token = "IQoJb3JpZ2luX2VjE" + base64.b64encode(r.getrandbits(1536).to_bytes(192, "big")).decode("ascii")
        req = {"roleArn": rarn, "roleSessionName": sess}
        if caller.kind != "service":
            req["durationSeconds"] = duration
        resp = {"credentials": {"accessKeyId": asia, "sessionToken": token, "expiration": exp},
                "assumedRoleUser": {"assumedRoleId": role.pid, "arn": role.arn}}
        res = [{"accountId": role.account, "type": "AWS::IAM::Role", "ARN": rarn}]
        shared = caller.kind == "service" or caller.account != role.account
        ev = self.event(t, "sts", "AssumeRole", "us-east-1", caller, req, resp, None, res, ro=True,
                        shared=shared)
        if caller.account != role.account:
            ev["recipientAccountId"] = role.account
        return ev

    # ---- ConsoleLogin ------------------------------------------------------------------------
    def console_login(self, t, actor, success=True, ip=None, ua=None, mfa=None):
        r = self.r
        acct = ACCOUNT_MAIN
        region = "us-east-1" if r.random() < 0.85 else "eu-central-1"
        host = "signin.aws.amazon.com" if region == "us-east-1" else region + ".signin.aws.amazon.com"
        if mfa is None:
            mfa = actor is not None and actor.mfa and success
        if actor is not None and actor.kind == "root_console":
            ui = {"type": "Root", "principalId": acct, "arn": actor.arn, "accountId": acct, "accessKeyId": ""}
        elif actor is not None:
            if success:
                ui = {"type": "IAMUser", "principalId": actor.pid, "arn": actor.arn, "accountId": acct,
                      "userName": actor.name}
            else:
                ui = {"type": "IAMUser", "principalId": actor.pid, "accountId": acct, "accessKeyId": "",
                      "userName": actor.name}
        else:  # unknown user name
            ui = {"type": "IAMUser", "accountId": acct, "accessKeyId": "",
                  "userName": "HIDDEN_DUE_TO_SECURITY_REASONS"}
        a = actor or self.root_console
        if ip is None:
            ip = r.choice(a.ips)
        if ua is None:
            ua = a.browser or r.choice(BROWSERS)
        aed = {"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state="
                          "hashArgsFromTB_us-east-1_" + ("%016x" % r.getrandbits(64)),
               "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"}
        if mfa and actor is not None and actor.kind == "console":
            aed = {"LoginTo": aed["LoginTo"], "MobileVersion": "No",
                   "MFAIdentifier": "arn:aws:iam::%s:mfa/%s" % (acct, actor.name), "MFAUsed": "Yes"}
        err = None if success else (None, "Failed authentication")
        holder = self.root_console if actor is None else actor
        ev = self.event(t, "signin", "ConsoleLogin", region, holder, None,
                        {"ConsoleLogin": "Success" if success else "Failure"}, aed, None, ro=False, err=err,
                        ui=ui, console=False, host=host, ip=ip, ua=ua, etype="AwsConsoleSignIn",
                        request_id=False)
        return ev

    # ---- errors ------------------------------------------------------------------------------
    def error_for(self, src, name, actor, flags):
        r = self.r
        arn = actor.arn
        x = r.random()
        if "t" in flags and x < 0.3:
            return ("Client.RequestLimitExceeded", "Request limit exceeded.") if src == "ec2" else \
                ("ThrottlingException", "Rate exceeded")
        if src == "s3":
            if name == "GetBucketPolicy":
                return ("NoSuchBucketPolicy", "The bucket policy does not exist")
            if name == "GetBucketPublicAccessBlock":
                return ("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
            return ("AccessDenied", "Access Denied")
        if src == "ec2":
            return ("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: %s "
                    "is not authorized to perform: ec2:%s because no identity-based policy allows the ec2:%s action"
                    % (arn, name, name))
        if src == "iam" and name == "GetUser" and x < 0.6:
            return ("NoSuchEntityException", "The user with name %s cannot be found." % r.choice(
                ("admin", "test", "backup", "jenkins")))
        if src == "secretsmanager" and x < 0.5:
            return ("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
        return ("AccessDenied", "User: %s is not authorized to perform: %s:%s on resource: arn:aws:%s::%s:* "
                "because no identity-based policy allows the %s:%s action"
                % (arn, src, name, src, actor.account, src, name))

    # ---- one background event ----------------------------------------------------------------
    def single(self, t, spec=None, actor=None, **extra):
        r = self.r
        if spec is None:
            cum = self.catalog_cum
            spec = self.catalog[bisect.bisect_right(cum, r.random() * cum[-1])]
        src, name, _, ro, pool, handler, flags = spec
        if actor is None:
            actor = self.pick(pool)
        if name == "ConsoleLogin":
            if actor.kind not in ("console", "root_console"):
                actor = self.pick("console")
            if actor.kind == "role":  # SSO users sign in through the portal, not ConsoleLogin
                actor = r.choice(self.humans_console)
            return self.console_login(t, actor, success=r.random() < 0.93)
        if name == "AssumeRole":
            return self.h_assume_role({"t": t, "actor": actor})
        if actor.kind == "service" and (src not in ("kms", "ec2", "s3", "health", "monitoring", "cloudtrail")
                                        or not ro):
            actor = self.pick("any")
            if actor.kind == "service":
                actor = self.by_name["key:svc-backup"]
        data = "d" in flags
        bucket = None
        if src == "s3":
            bucket = self.bucket_for(actor)
            region = bucket[1]
            if bucket[2] != actor.account:
                bucket = BUCKETS[6] if actor.account == ACCOUNT_DEV else BUCKETS[0]
                region = bucket[1]
        elif "g" in flags:
            region = "us-east-1"
        elif actor.home is not None and r.random() < 0.93:
            region = actor.home
        else:
            region = self.region()
        ctx = {"t": t, "actor": actor, "region": region, "account": actor.account, "name": name, "bucket": bucket}
        if extra:
            ctx.update(extra)
        req, resp, aed, res = handler(ctx)
        err = None
        if actor.kind not in ("service", "root_console", "root_key"):
            p = 0.02 if "e" not in flags else 0.12
            if actor is self.attacker_key or actor.uas[0] is UA_KALI:
                p = 0.35
            if r.random() < p:
                err = self.error_for(src, name, actor, flags)
                if not ro or data:
                    resp = None
                if aed is not None and "bytesTransferredOut" in aed:
                    aed["bytesTransferredOut"] = 0
        ua = None
        ip = None
        if actor.kind in ("console", "root_console") or (actor.kind == "role" and actor.name.endswith("@example.com")):
            x = r.random()
            if x < 0.18:
                ua, ip = "AWS Internal", "AWS Internal"
            elif x < 0.3 and src in ("ec2", "s3", "monitoring", "logs", "lambda", "ssm"):
                ua = "console.%s.amazonaws.com" % src
            elif x < 0.3 and src == "iam":
                ua = "console.amazonaws.com"
        elif actor.kind == "service":
            pass
        elif src == "s3" and actor.uas[0] not in BROWSERS:
            u = actor.uas[0] if len(actor.uas) == 1 else r.choice(actor.uas)
            ua = "[" + u + "]"
        host = None
        if src == "s3" and "Host" in (req or {}):
            host = req["Host"]
        ev = self.event(t, src, name, region, actor, req, resp, aed, res, ro=ro, data=data, err=err,
                        ip=ip, ua=ua, host=host, api_version="2012-08-10" if src == "dynamodb" else None)
        return ev

    # ---- scenarios (correlated bursts) -------------------------------------------------------
    def scenario(self, t):
        r = self.r
        x = r.random()
        if x < 0.22:
            return self.sc_bruteforce(t)
        if x < 0.50:
            return self.sc_console_session(t)
        if x < 0.64:
            return self.sc_remote_support(t)
        if x < 0.74:
            return self.sc_exfil(t)
        if x < 0.84:
            return self.sc_iam_persistence(t)
        if x < 0.92:
            return self.sc_root(t)
        return self.sc_open_ports(t)

    def sc_bruteforce(self, t):
        r = self.r
        ip = r.choice(ATTACKER_IPS[:4])
        target = r.choice(BRUTE_TARGETS)
        ua = r.choice((UA_CHROME_WIN, UA_FIREFOX_LINUX, UA_CURL))
        n = r.randrange(6, 40)
        out = []
        for _ in range(n):
            t += r.randrange(1, 12)
            if target == "root":
                actor = self.root_console
            elif target == "admin":
                actor = None
            else:
                actor = self.by_name["console:" + target]
            out.append(self.console_login(t, actor, success=False, ip=ip, ua=ua))
        if target != "admin" and r.random() < 0.25:
            t += r.randrange(5, 60)
            actor = self.root_console if target == "root" else self.by_name["console:" + target]
            out.append(self.console_login(t, actor, success=True, ip=ip, ua=ua, mfa=False))
        return out

    def sc_console_session(self, t):
        r = self.r
        actor = r.choice(self.humans_console)
        out = [self.console_login(t, actor, success=True)]
        # jeff.harrison's console sessions create/configure buckets
        names = ("DescribeInstances", "DescribeSecurityGroups", "ListBuckets", "GetBucketAcl", "DescribeVpcs",
                 "ListUsers", "LookupEvents", "DescribeAlarms", "GetBucketPolicy", "CreateTags", "StopInstances")
        for _ in range(r.randrange(3, 12)):
            t += r.randrange(2, 90)
            out.append(self.single(t, self.by_event[r.choice(names)], actor))
        if actor.name == "jeff.harrison":
            t += r.randrange(5, 60)
            ev = self.single(t, self.by_event["CreateBucket"], actor)
            out.append(ev)
        return out

    def sc_remote_support(self, t):
        r = self.r
        caller = self.by_name["console:sarah.braun"] if r.random() < 0.5 else self.by_name["key:sarah.braun"]
        role = self.remote_support
        out = [self.assume_role_event(t, caller, role)]
        for _ in range(r.randrange(2, 8)):
            t += r.randrange(2, 120)
            name = r.choice(("DescribeInstances", "GetCallerIdentity", "ListRoles", "SendCommand",
                             "DescribeInstanceInformation", "StartSession"))
            out.append(self.single(t, self.by_event[name], role))
        return out

    def sc_exfil(self, t):
        r = self.r
        actor = self.attacker_key
        ip = ATTACKER_IPS[4]
        b = BUCKETS[2] if r.random() < 0.6 else BUCKETS[1]
        out = []
        for name in ("GetCallerIdentity", "ListBuckets"):
            t += r.randrange(1, 30)
            ev = self.single(t, self.by_event[name], actor)
            ev["sourceIPAddress"] = ip
            ev["userAgent"] = UA_KALI
            out.append(ev)
        for op in ("GetObject",) * r.randrange(3, 12) + ("DeleteObject",) * r.randrange(0, 5):
            t += r.randrange(1, 20)
            ev = self.single(t, self.by_event[op], actor)
            rp = ev["requestParameters"]
            key = self.s3_key(b[3])
            if b[0] == "prod-website-thm" and r.random() < 0.4:
                key = "admin/backup.tar.gz"
            rp["bucketName"], rp["Host"], rp["key"] = b[0], "%s.s3.%s.amazonaws.com" % (b[0], b[1]), key
            ev["awsRegion"] = b[1]
            ev["resources"] = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (b[0], key)},
                               {"accountId": ACCOUNT_MAIN, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + b[0]}]
            ev["sourceIPAddress"] = ip
            ev["userAgent"] = "[" + UA_KALI + "]"
            ev["tlsDetails"] = self.tls(rp["Host"])
            out.append(ev)
        if r.random() < 0.5:
            t += r.randrange(5, 60)
            ev = self.single(t, self.by_event["PutObject"], actor)
            rp = ev["requestParameters"]
            rp["bucketName"], rp["Host"], rp["key"] = b[0], "%s.s3.%s.amazonaws.com" % (b[0], b[1]), \
                "WHERE-ARE-MY-FILES.README"
            ev["awsRegion"] = b[1]
            ev["sourceIPAddress"] = ip
            ev["resources"] = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/WHERE-ARE-MY-FILES.README" % b[0]},
                               {"accountId": ACCOUNT_MAIN, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + b[0]}]
            out.append(ev)
        return out

    def sc_iam_persistence(self, t):
        r = self.r
        actor = r.choice((self.attacker_key, self.by_name["console:jeff.harrison"], self.sso_roles[0],
                          self.root_console))
        newu = r.choice(("backup-operator", "support-temp", "svc-monitoring", "intern-07"))
        out = []
        steps = ["CreateUser", "CreateLoginProfile", "AttachUserPolicy", "AddUserToGroup", "CreateAccessKey"]
        if r.random() < 0.5:
            steps += ["DeactivateMFADevice", "DeleteVirtualMFADevice"]
        if r.random() < 0.4:
            steps += ["PutUserPolicy"]
        for name in steps:
            t += r.randrange(2, 40)
            ev = self.single(t, self.by_event[name], actor, target_user=newu)
            if name == "AttachUserPolicy" and ev["requestParameters"] is not None:
                ev["requestParameters"]["policyArn"] = "arn:aws:iam::aws:policy/AdministratorAccess"
            out.append(ev)
        return out

    def sc_root(self, t):
        r = self.r
        root = self.root_console
        ip = r.choice(root.ips)
        out = [self.console_login(t, root, success=True, ip=ip, mfa=r.random() < 0.3)]
        for name in ("DescribeInstances", "RunInstances", "DescribeInstances", "CreateAccessKey"):
            if name == "CreateAccessKey" and r.random() < 0.5:
                continue
            t += r.randrange(5, 120)
            ev = self.single(t, self.by_event[name], root, target_user="root")
            ev["sourceIPAddress"] = ip
            if name == "CreateAccessKey" and ev["requestParameters"] is not None:
                ev["requestParameters"] = None
            out.append(ev)
        return out

    def sc_open_ports(self, t):
        r = self.r
        actor = self.pick("admin")
        out = []
        for port in (22, 3389)[: r.randrange(1, 3)]:
            t += r.randrange(5, 90)
            out.append(self.single(t, self.by_event["ModifySecurityGroupRules"], actor, port=port))
        if r.random() < 0.5:
            t += r.randrange(5, 90)
            out.append(self.single(t, self.by_event["AuthorizeSecurityGroupIngress"], actor))
        return out

    # ---- main stream -------------------------------------------------------------------------
    def events(self, n):
        """Yields n events (dicts) in roughly, not exactly, increasing eventTime."""
        r = self.r
        pending = []
        i = 0
        scenario_p = 0.006
        while i < n:
            if pending:
                yield pending.pop()
                i += 1
                continue
            t = self.nominal_time((i + r.random()) / n)
            x = r.random()
            if x < 0.01:
                t -= r.randrange(120, 900)      # late delivery
            else:
                t += r.randrange(-90, 91)       # jitter
            t = self.clamp(t)
            if r.random() < scenario_p and t < self.end - 3600:   # a scenario lasts well under an hour
                pending = self.scenario(t)[::-1]
                continue
            yield self.single(t)
            i += 1


# ---------------------------------------------------------------------------------------------
# Output

def dumps_factory():
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    return enc.encode


def write_ndjson(gen, n, out):
    enc = dumps_factory()
    f = sys.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="\n")
    try:
        buf = []
        for ev in gen.events(n):
            buf.append(enc(ev))
            if len(buf) >= 4096:
                buf.append("")
                f.write("\n".join(buf))
                buf = []
        if buf:
            buf.append("")
            f.write("\n".join(buf))
    finally:
        if f is not sys.stdout:
            f.close()
        else:
            f.flush()


def write_records_single(gen, n, out):
    enc = dumps_factory()
    f = sys.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="\n")
    try:
        f.write('{"Records":[')
        first = True
        buf = []
        for ev in gen.events(n):
            buf.append(enc(ev))
            if len(buf) >= 4096:
                f.write(("" if first else ",") + ",".join(buf))
                first = False
                buf = []
        if buf:
            f.write(("" if first else ",") + ",".join(buf))
        f.write("]}\n")
    finally:
        if f is not sys.stdout:
            f.close()
        else:
            f.flush()


def write_records_tree(gen, n, out, per_file, seed):
    """AWS delivery layout: one file per (account, region) batch of per_file events."""
    enc = dumps_factory()
    names = Random("cairn-file-names-%s" % seed)
    buffers = {}
    used = set()
    written = 0

    def flush(key):
        nonlocal written
        account, region = key
        evs = buffers.pop(key)
        last = max(e["eventTime"] for e in evs)
        ts = calendar.timegm(time.strptime(last, "%Y-%m-%dT%H:%M:%SZ"))
        ts -= ts % 300
        g = time.gmtime(ts)
        while True:
            rnd = "".join(names.choices(FILE_ALPHABET, k=16))
            fname = "%s_CloudTrail_%s_%s_%s.json" % (account, region, time.strftime("%Y%m%dT%H%MZ", g), rnd)
            if fname not in used:
                used.add(fname)
                break
        d = os.path.join(out, "AWSLogs", account, "CloudTrail", region, "%04d" % g.tm_year, "%02d" % g.tm_mon,
                         "%02d" % g.tm_mday)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, fname), "w", encoding="utf-8", newline="\n") as f:
            f.write('{"Records":[' + ",".join(enc(e) for e in evs) + "]}\n")
        written += 1

    for ev in gen.events(n):
        key = (ev["recipientAccountId"], ev["awsRegion"])
        b = buffers.get(key)
        if b is None:
            b = buffers[key] = []
        b.append(ev)
        if len(b) >= per_file:
            flush(key)
    for key in list(buffers):
        flush(key)
    return written


def parse_start(s):
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return calendar.timegm(dt.astimezone(timezone.utc).timetuple())


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate deterministic, realistic CloudTrail events.")
    ap.add_argument("--events", type=int, required=True, help="number of events")
    ap.add_argument("--seed", type=int, default=1, help="RNG seed (same seed + args = same bytes)")
    ap.add_argument("--format", choices=("ndjson", "records"), default="ndjson")
    ap.add_argument("--records-per-file", type=int, default=None,
                    help="records format only: write the AWSLogs/... tree under --out with K events a file")
    ap.add_argument("--start", default="2025-12-01T00:00:00Z", help="start of the time range (UTC)")
    ap.add_argument("--days", type=float, default=30.0, help="length of the time range in days")
    ap.add_argument("--out", required=True, help="output file, '-' for stdout, or a directory with --records-per-file")
    a = ap.parse_args(argv)
    if a.events < 0:
        ap.error("--events must be >= 0")
    if a.days <= 0:
        ap.error("--days must be > 0")
    gen = Generator(a.seed, parse_start(a.start), a.days)
    if a.format == "ndjson":
        if a.records_per_file:
            ap.error("--records-per-file needs --format records")
        write_ndjson(gen, a.events, a.out)
    elif a.records_per_file:
        if a.records_per_file < 1:
            ap.error("--records-per-file must be >= 1")
        if a.out == "-":
            ap.error("--records-per-file needs a directory for --out")
        write_records_tree(gen, a.events, a.out, a.records_per_file, a.seed)
    else:
        write_records_single(gen, a.events, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
