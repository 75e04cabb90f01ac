"""Shared pieces of the lab generators: a cast of AWS principals, CloudTrail records as AWS writes
them, background noise (the everyday API calls of a small company's account), CloudFront lines and
GuardDuty findings, and the writers that lay them out as AWS delivers them.

Every lab's generate.py builds a Lab, weaves its storyline into the noise and writes its files.
All randomness comes from one random.Random(seed); the clock is never read, so the same seed gives
the same bytes. The people, accounts, keys and addresses are invented for cairn's labs.
"""

import calendar
import gzip
import json
import os
import time
from random import Random

UA_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/129.0.0.0 Safari/537.36")
UA_FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"
UA_SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/18.0 Safari/605.1.15")
UA_CLI = ("aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1016-aws md/arch#x86_64 lang/python#3.12.6 "
          "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off")
UA_BOTO3 = ("Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 md/arch#x86_64 "
            "lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36")
UA_TERRAFORM = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.7 (+https://www.terraform.io) terraform-provider-aws/5.70.0 "
                "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.0 ua/2.1 os/linux "
                "lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64")
UA_CONSOLE = "AWS Internal"
UA_KALI = "aws-cli/1.22.34 Python/3.9.12 Linux/6.5.0-kali3-amd64 botocore/1.24.19"
UA_S3_BROWSER = "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.226 OpenJDK_64-Bit_Server_VM/25.422]"
UA_SIEM = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) log-forwarder/4.2.1"

KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def epoch(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


class Principal:
    """One identity as userIdentity shows it, with where it calls from and with what."""

    def __init__(self, kind, name, account, ips, uas, mfa=False, key=None, role=None, session=None,
                 invoked_by=None):
        self.kind = kind      # user | console | root | role | service
        self.name = name
        self.account = account
        self.ips = ips
        self.uas = uas
        self.mfa = mfa
        self.key = key        # AKIA... of a user calling with its access key
        self.role = role      # role name of an assumed-role session
        self.session = session
        self.invoked_by = invoked_by


class Lab:
    def __init__(self, seed, start, days, account, region="us-east-1"):
        self.r = Random(seed)
        self.start = epoch(start)
        self.end = self.start + days * 86400
        self.account = account
        self.region = region
        self.events = []
        self.pids = {}

    # ---- identifiers --------------------------------------------------------------------------
    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) % 4], h[17:20], h[20:32])

    def key_id(self, prefix):
        return prefix + "".join(self.r.choice(KEY_ALPHABET) for _ in range(16))

    def principal_id(self, name, prefix="AIDA"):
        if name not in self.pids:
            self.pids[name] = prefix + "".join(self.r.choice(KEY_ALPHABET) for _ in range(17))
        return self.pids[name]

    def hex_id(self, prefix, n=17):
        return prefix + "%0*x" % (n, self.r.getrandbits(4 * n))

    def request_id(self, source):
        if source == "s3.amazonaws.com":
            return "".join(self.r.choice("0123456789ABCDEF") for _ in range(16))
        return self.uuid()

    # ---- principals ---------------------------------------------------------------------------
    def user(self, name, ips, uas, mfa=True, key=True):
        """A person: a console principal and, with key=True, an access-key principal."""
        console = Principal("console", name, self.account, ips, (uas[0],), mfa=mfa)
        api = Principal("user", name, self.account, ips, uas[1:] or uas, key=self.key_id("AKIA")) if key else None
        return console, api

    def role_session(self, role, session, ips, uas, invoked_by=None):
        return Principal("role", session, self.account, ips, uas, role=role, session=session, invoked_by=invoked_by)

    def root(self, ips, uas, key=None):
        return Principal("root", "root", self.account, ips, uas, key=key)

    def service(self, host):
        return Principal("service", host, self.account, (host,), (host,), invoked_by=host)

    def identity(self, p, t):
        acct = p.account
        if p.kind == "service":
            return {"type": "AWSService", "invokedBy": p.invoked_by}
        if p.kind == "user":
            return {"type": "IAMUser", "principalId": self.principal_id(p.name),
                    "arn": "arn:aws:iam::%s:user/%s" % (acct, p.name), "accountId": acct,
                    "accessKeyId": p.key, "userName": p.name}
        attrs = {"creationDate": iso(max(self.start, t - self.r.randrange(60, 1800))),
                 "mfaAuthenticated": "true" if p.mfa else "false"}
        if p.kind == "console":
            return {"type": "IAMUser", "principalId": self.principal_id(p.name),
                    "arn": "arn:aws:iam::%s:user/%s" % (acct, p.name), "accountId": acct,
                    "accessKeyId": self.key_id("ASIA"), "userName": p.name,
                    "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {}, "attributes": attrs}}
        if p.kind == "root":
            ui = {"type": "Root", "principalId": acct, "arn": "arn:aws:iam::%s:root" % acct, "accountId": acct}
            if p.key:
                ui["accessKeyId"] = p.key
            else:
                ui["accessKeyId"] = self.key_id("ASIA")
                ui["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {}, "attributes": attrs}
            return ui
        rid = self.principal_id("role/" + p.role, "AROA")
        issuer = {"type": "Role", "principalId": rid, "arn": "arn:aws:iam::%s:role/%s" % (acct, p.role),
                  "accountId": acct, "userName": p.role}
        ui = {"type": "AssumedRole", "principalId": "%s:%s" % (rid, p.session),
              "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (acct, p.role, p.session), "accountId": acct,
              "accessKeyId": self.key_id("ASIA"),
              "sessionContext": {"sessionIssuer": issuer, "webIdFederationData": {}, "attributes": attrs}}
        if p.session.startswith("i-"):
            ui["sessionContext"]["ec2RoleDelivery"] = "2.0"
        if p.invoked_by:
            ui["invokedBy"] = p.invoked_by
        return ui

    # ---- records ------------------------------------------------------------------------------
    def record(self, t, p, source, name, req=None, resp=None, ro=True, region=None, error=None, data=False,
               aed=None, resources=None, ip=None, ua=None, event_type="AwsApiCall"):
        region = region or self.region
        ip = ip or self.r.choice(p.ips)
        ua = ua or self.r.choice(p.uas)
        e = {"eventVersion": "1.10" if not data else "1.09", "userIdentity": self.identity(p, t),
             "eventTime": iso(t), "eventSource": source, "eventName": name, "awsRegion": region,
             "sourceIPAddress": ip, "userAgent": ua}
        if error:
            e["errorCode"], e["errorMessage"] = error
        e["requestParameters"] = req
        e["responseElements"] = resp
        if aed is not None:
            e["additionalEventData"] = aed
        e["requestID"] = self.request_id(source)
        e["eventID"] = self.uuid()
        e["readOnly"] = ro
        if resources is not None:
            e["resources"] = resources
        e["eventType"] = event_type
        e["managementEvent"] = not data
        e["recipientAccountId"] = p.account
        e["eventCategory"] = "Data" if data else "Management"
        if p.kind != "service" and event_type == "AwsApiCall":
            host = source if source != "s3.amazonaws.com" else "s3.%s.amazonaws.com" % region
            if not source.startswith(("iam.", "sts.", "s3.")):
                host = "%s.%s.amazonaws.com" % (source.split(".")[0], region)
            e["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                               "clientProvidedHostHeader": host}
        if p.kind == "console" and event_type == "AwsApiCall":
            e["sessionCredentialFromConsole"] = "true"
        self.events.append(e)
        return e

    def console_login(self, t, p, ip=None, ua=None, success=True, mfa=None, reason="Failed authentication"):
        """A ConsoleLogin event as AWS writes it (us-east-1, signin.amazonaws.com)."""
        mfa = p.mfa if mfa is None else mfa
        ip = ip or p.ips[0]
        ua = ua or p.uas[0]
        if p.kind == "root":
            ui = {"type": "Root", "principalId": p.account, "arn": "arn:aws:iam::%s:root" % p.account,
                  "accountId": p.account}
        else:
            ui = {"type": "IAMUser", "principalId": self.principal_id(p.name),
                  "arn": "arn:aws:iam::%s:user/%s" % (p.account, p.name), "accountId": p.account,
                  "userName": p.name}
            if not success:
                ui = {"type": "IAMUser", "accountId": p.account, "accessKeyId": "", "userName": p.name}
        e = {"eventVersion": "1.09", "userIdentity": ui, "eventTime": iso(t), "eventSource": "signin.amazonaws.com",
             "eventName": "ConsoleLogin", "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": ua}
        if not success:
            e["errorMessage"] = reason
        e["requestParameters"] = None
        e["responseElements"] = {"ConsoleLogin": "Success" if success else "Failure"}
        e["additionalEventData"] = {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23",
                                    "MobileVersion": "No", "MFAUsed": "Yes" if (mfa and success) else "No"}
        if mfa and success:
            e["additionalEventData"]["MFAIdentifier"] = "arn:aws:iam::%s:mfa/%s" % (p.account, p.name)
        e["eventID"] = self.uuid()
        e["readOnly"] = False
        e["eventType"] = "AwsConsoleSignIn"
        e["managementEvent"] = True
        e["recipientAccountId"] = p.account
        e["eventCategory"] = "Management"
        e["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": "signin.aws.amazon.com"}
        self.events.append(e)
        return e

    # ---- background noise ----------------------------------------------------------------------
    def business_time(self):
        """A time in the window, mostly in working hours (07-19 UTC) on weekdays."""
        while True:
            t = self.r.randrange(self.start, self.end)
            tm = time.gmtime(t)
            if tm.tm_wday < 5 and 7 <= tm.tm_hour < 19:
                return t
            if self.r.random() < 0.15:
                return t

    def noise(self, n, actors, buckets, instances):
        """n everyday calls by actors (console, user, role principals): reads of EC2, S3, IAM, CloudWatch,
        KMS, STS and Lambda, with a few writes, errors and S3 object reads of the given buckets."""
        r = self.r
        for _ in range(n):
            t = self.business_time()
            p = r.choice(actors)
            roll = r.random()
            region = self.region if r.random() < 0.8 else r.choice(("eu-west-1", "us-west-2"))
            if roll < 0.16:
                self.record(t, p, "ec2.amazonaws.com", "DescribeInstances",
                            {"instancesSet": {}, "filterSet": {}}, None, region=region)
            elif roll < 0.24:
                name = r.choice(("DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeVolumes",
                                 "DescribeAddresses", "DescribeImages", "DescribeRegions"))
                self.record(t, p, "ec2.amazonaws.com", name, {"filterSet": {}}, None, region=region)
            elif roll < 0.34:
                b = r.choice(buckets)
                name = r.choice(("GetBucketLocation", "GetBucketAcl", "GetBucketPolicy", "GetBucketVersioning",
                                 "GetBucketEncryption", "GetBucketPublicAccessBlock"))
                err = ("NoSuchBucketPolicy", "The bucket policy does not exist") \
                    if name == "GetBucketPolicy" and r.random() < 0.4 else None
                self.record(t, p, "s3.amazonaws.com", name, {"bucketName": b, "Host": "%s.s3.amazonaws.com" % b,
                                                             name[3:].lower().replace("bucket", ""): ""},
                            None, error=err,
                            resources=[{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + b}])
            elif roll < 0.40:
                self.record(t, p, "s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}, None)
            elif roll < 0.48:
                name = r.choice(("ListUsers", "ListRoles", "GetAccountSummary", "ListPolicies", "GetUser",
                                 "ListAttachedRolePolicies", "ListAccessKeys"))
                self.record(t, p, "iam.amazonaws.com", name, {"maxItems": 100} if name.startswith("List") else None,
                            None)
            elif roll < 0.56:
                self.record(t, p, "sts.amazonaws.com", "GetCallerIdentity", None, None, region=region)
            elif roll < 0.64:
                name = r.choice(("DescribeAlarms", "GetMetricData", "ListMetrics", "DescribeAlarmHistory"))
                self.record(t, p, "monitoring.amazonaws.com", name, {"maxRecords": 100}, None, region=region)
            elif roll < 0.70:
                name = r.choice(("DescribeLogGroups", "FilterLogEvents", "DescribeLogStreams"))
                self.record(t, p, "logs.amazonaws.com", name,
                            {"logGroupName": r.choice(("/aws/lambda/orders-api", "/ecs/web", "/var/log/messages"))},
                            None, region=region)
            elif roll < 0.76:
                key = "arn:aws:kms:%s:%s:key/%s" % (region, self.account, self.uuid())
                self.record(t, p, "kms.amazonaws.com", r.choice(("Decrypt", "GenerateDataKey", "DescribeKey")),
                            {"keyId": key, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, None, region=region,
                            resources=[{"accountId": self.account, "type": "AWS::KMS::Key", "ARN": key}])
            elif roll < 0.81:
                fn = r.choice(("orders-api", "thumbnailer", "nightly-report"))
                self.record(t, p, "lambda.amazonaws.com", r.choice(("GetFunction20150331v2", "ListFunctions20150331")),
                            {"functionName": fn}, None, region=region)
            elif roll < 0.85:
                self.record(t, p, "cloudtrail.amazonaws.com", r.choice(("DescribeTrails", "LookupEvents",
                                                                       "GetTrailStatus")),
                            {"trailNameList": []}, None, region=region)
            elif roll < 0.88:
                self.record(t, p, "ec2.amazonaws.com", "DescribeInstanceStatus",
                            {"instancesSet": {"items": [{"instanceId": r.choice(instances)}]}}, None)
            elif roll < 0.91:
                name = r.choice(("CreateTags", "StartInstances", "StopInstances"))
                iid = r.choice(instances)
                self.record(t, p, "ec2.amazonaws.com", name,
                            {"instancesSet": {"items": [{"instanceId": iid}]}} if name != "CreateTags" else
                            {"resourcesSet": {"items": [{"resourceId": iid}]},
                             "tagSet": {"items": [{"key": "owner", "value": r.choice(("web", "data", "ops"))}]}},
                            {"requestId": self.uuid(), "_return": True}, ro=False)
            elif roll < 0.94:
                name = r.choice(("DescribeInstances", "ListUsers", "GetSecretValue"))
                src = {"DescribeInstances": "ec2.amazonaws.com", "ListUsers": "iam.amazonaws.com",
                       "GetSecretValue": "secretsmanager.amazonaws.com"}[name]
                self.record(t, p, src, name, None, None,
                            error=("AccessDenied" if src != "ec2.amazonaws.com" else "Client.UnauthorizedOperation",
                                   "User is not authorized to perform this operation"))
            else:
                b = r.choice(buckets)
                self.record(t, p, "ssm.amazonaws.com" if r.random() < 0.5 else "secretsmanager.amazonaws.com",
                            "GetParameter" if r.random() < 0.5 else "DescribeSecret",
                            {"name": "/%s/config" % b.split("-")[0]}, None, region=region)

    def s3_object(self, t, p, name, bucket, key, size=None, ip=None, ua=None, error=None, region=None):
        """An S3 data event on one object (GetObject, PutObject, DeleteObject, HeadObject)."""
        ro = name in ("GetObject", "HeadObject")
        req = {"bucketName": bucket, "Host": "%s.s3.%s.amazonaws.com" % (bucket, region or self.region), "key": key}
        resp = None
        if name == "PutObject":
            resp = {"x-amz-server-side-encryption": "AES256"}
        aed = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
               "bytesTransferredIn": size if name == "PutObject" else 0,
               "bytesTransferredOut": size if name == "GetObject" else 0,
               "AuthenticationMethod": "AuthHeader", "x-amz-id-2": "%032x" % self.r.getrandbits(128)}
        resources = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (bucket, key)},
                     {"accountId": self.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + bucket}]
        return self.record(t, p, "s3.amazonaws.com", name, req, resp, ro=ro, data=True, aed=aed,
                           resources=resources, ip=ip, ua=ua, error=error, region=region)

    def sorted_events(self):
        return sorted(self.events, key=lambda e: e["eventTime"])


# ---- writers --------------------------------------------------------------------------------
def write_cloudtrail_tree(events, out, account, per_file_seconds=900):
    """Writes events as CloudTrail delivers them to S3: AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
    <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz, one {"Records": [...]} per region and
    quarter hour. Returns the paths written, relative to out."""
    groups = {}
    for e in events:
        t = epoch(e["eventTime"])
        groups.setdefault((e["awsRegion"], t - t % per_file_seconds), []).append(e)
    paths = []
    for (region, t0), evs in sorted(groups.items()):
        tm = time.gmtime(t0 + per_file_seconds)
        rel = os.path.join("AWSLogs", account, "CloudTrail", region, "%04d" % tm.tm_year, "%02d" % tm.tm_mon,
                           "%02d" % tm.tm_mday,
                           "%s_CloudTrail_%s_%s_%s.json.gz" % (account, region, time.strftime("%Y%m%dT%H%MZ", tm),
                                                               "%016X" % (hash_text(region + str(t0)))))
        write_bytes(os.path.join(out, rel), gzip.compress(json.dumps({"Records": evs}).encode(), mtime=0))
        paths.append(rel)
    return paths


def hash_text(text):
    h = 1469598103934665603
    for ch in text.encode():
        h = ((h ^ ch) * 1099511628211) % (1 << 64)
    return h


def write_ndjson(events, path):
    write_bytes(path, "".join(json.dumps(e) + "\n" for e in events).encode())


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ---- CloudFront -----------------------------------------------------------------------------
CLOUDFRONT_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
                     "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header "
                     "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
                     "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
                     "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start "
                     "sc-range-end").split()


def cloudfront_line(r, t, ip, method, stem, status, ua, query="-", host="d3kq2x7v9m1abc.cloudfront.net",
                    alias="shop.example.org", size=None, referer="-"):
    size = size if size is not None else r.randrange(400, 48000)
    result = "Hit" if status in (200, 304) and r.random() < 0.6 else ("Miss" if status < 400 else "Error")
    rid = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") for _ in range(54))
    taken = "%.3f" % (r.randrange(1, 900) / 1000)
    ctype = "text/html" if not stem.startswith(("/assets", "/img")) else \
        ("image/png" if stem.endswith(".png") else "application/javascript")
    fields = [time.strftime("%Y-%m-%d", time.gmtime(t)), time.strftime("%H:%M:%S", time.gmtime(t)),
              r.choice(("IAD89-C1", "FRA56-P3", "LHR61-P1")), str(size), ip, method, host, stem, str(status),
              referer, ua.replace(" ", "%20"), query, "-", result, rid + "==", alias, "https",
              str(r.randrange(300, 1400)), taken, "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result, "HTTP/2.0",
              "-", "-", str(r.randrange(1024, 65535)), taken, result, ctype, str(size), "-", "-"]
    return "\t".join(fields)


def write_cloudfront(lines_by_time, path):
    body = ["#Version: 1.0", "#Fields: " + " ".join(CLOUDFRONT_FIELDS)]
    body.extend(line for _, line in sorted(lines_by_time, key=lambda x: x[0]))
    write_bytes(path, ("\n".join(body) + "\n").encode())


# ---- GuardDuty ------------------------------------------------------------------------------
def guardduty_finding(lab, t, ftype, severity, title, description, resource, action, region=None, count=1):
    """A finding as `aws guardduty get-findings` prints it (PascalCase keys)."""
    region = region or lab.region
    fid = "%032x" % lab.r.getrandbits(128)
    detector = "%032x" % lab.r.getrandbits(128)
    first = iso(t)
    return {"AccountId": lab.account, "Arn": "arn:aws:guardduty:%s:%s:detector/%s/finding/%s" % (
        region, lab.account, detector, fid), "CreatedAt": first, "Description": description, "Id": fid,
        "Partition": "aws", "Region": region, "Resource": resource, "SchemaVersion": "2.0",
        "Service": {"Action": action, "Archived": False, "Count": count, "DetectorId": detector,
                    "EventFirstSeen": first, "EventLastSeen": iso(t + 60 * count), "ResourceRole": "TARGET",
                    "ServiceName": "guardduty"},
        "Severity": severity, "Title": title, "Type": ftype, "UpdatedAt": iso(t + 60 * count + 300)}
