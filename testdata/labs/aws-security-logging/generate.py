#!/usr/bin/env python3
"""Lab "aws-security-logging": five days of a web shop's AWS account (CloudTrail management and S3 data
events, CloudFront access logs, GuardDuty findings) with one intrusion woven in.

    python3 testdata/labs/aws-security-logging/generate.py --out DIR

The storyline (the answers are in lab.yml): daniel.okafor's console password is used from a VPN exit
at night, without MFA; the intruder creates a bucket, opens RDP and PostgreSQL to the world with
ModifySecurityGroupRules (not AuthorizeSecurityGroupIngress, which only the deploy pipeline uses),
launches a crypto-mining instance that GuardDuty flags, downloads a customer export from S3, and is
seen by GuardDuty as anomalous discovery from the VPN. On the website, one address reaches the admin
dashboard, and shoppers search the catalogue. The output depends only on --seed.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import labgen  # noqa: E402
from labgen import epoch, guardduty_finding  # noqa: E402

ACCOUNT = "482915306127"
INTRUDER_IP = "146.70.117.38"
ADMIN_IP = "91.219.237.54"
NEW_BUCKET = "dr-archive-transfer"
EXPORT_BUCKET = "northwind-finance-reports"
EXPORT_KEY = "finance/exports/customers-2026-10.csv.gz"
MINER = "i-0c4f9a1e7b2d63a58"
SG = "sg-0a4d7be19c3f52e60"
SEARCH_WORD = "kayak"


def build(seed):
    lab = labgen.Lab(seed, "2026-10-12T00:00:00Z", 5, ACCOUNT)
    r = lab.r
    daniel_c, daniel_k = lab.user("daniel.okafor", ("73.158.22.41",), (labgen.UA_CHROME, labgen.UA_CLI))
    priya_c, priya_k = lab.user("priya.raman", ("98.207.14.9",), (labgen.UA_SAFARI, labgen.UA_CLI))
    kofi_c, kofi_k = lab.user("kofi.mensah", ("24.18.203.77",), (labgen.UA_FIREFOX, labgen.UA_BOTO3))
    hanna_c, _ = lab.user("hanna.berg", ("83.233.41.12",), (labgen.UA_CHROME,), key=False)
    deployer = labgen.Principal("user", "web-deployer", ACCOUNT, ("3.216.40.12",), (labgen.UA_TERRAFORM,),
                                key=lab.key_id("AKIA"))
    web_roles = [lab.role_session("WebAppServer", iid, (ip,), (labgen.UA_BOTO3,), invoked_by=None)
                 for iid, ip in (("i-05e2b8c41d7a9f306", "34.201.17.88"), ("i-0f19d3a6c8e24b751", "54.86.120.4"))]
    orders = lab.role_session("orders-api-role", "orders-api", ("34.229.61.140",), (labgen.UA_BOTO3,))
    humans = [daniel_c, priya_c, kofi_c, hanna_c]
    actors = humans * 2 + [daniel_k, priya_k, kofi_k, deployer] + web_roles * 2 + [orders]
    buckets = ["shop-assets-" + ACCOUNT, EXPORT_BUCKET, "shop-logs-" + ACCOUNT, "terraform-state-" + ACCOUNT]
    instances = ["i-05e2b8c41d7a9f306", "i-0f19d3a6c8e24b751", "i-0e6a2d94f1b8c7035"]

    # Everyone's daily console logins (with MFA) from their usual addresses.
    for day in range(5):
        for p in humans:
            if r.random() < 0.15:
                continue
            t = lab.start + day * 86400 + r.randrange(7 * 3600, 10 * 3600)
            lab.console_login(t, p)
            if r.random() < 0.2:
                lab.console_login(t + 3 * 3600 + r.randrange(3600), p)
    lab.noise(1720, actors, buckets, instances)
    # The deploy pipeline's own rule changes (the trap: they are the only AuthorizeSecurityGroupIngress).
    for k in range(3):
        t = lab.start + (k + 1) * 86400 + 14 * 3600 + r.randrange(3600)
        lab.record(t, deployer, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
                   {"groupId": "sg-0c81f5e2a7d94b310", "ipPermissions": {"items": [
                       {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                        "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0", "description": "HTTPS"}]}}]}},
                   {"requestId": lab.uuid(), "_return": True}, ro=False)

    # The intrusion, on the night of 14 October.
    t = epoch("2026-10-14T02:13:41Z")
    lab.console_login(t - 95, daniel_c, ip=INTRUDER_IP, ua=labgen.UA_FIREFOX, success=False)
    lab.console_login(t, daniel_c, ip=INTRUDER_IP, ua=labgen.UA_FIREFOX, mfa=False)
    intruder = labgen.Principal("console", "daniel.okafor", ACCOUNT, (INTRUDER_IP,), (labgen.UA_FIREFOX,))
    for k, name in enumerate(("ListBuckets", "ListUsers", "GetAccountAuthorizationDetails", "DescribeInstances",
                              "ListRoles", "DescribeSecurityGroups")):
        src = {"ListBuckets": "s3.amazonaws.com", "DescribeInstances": "ec2.amazonaws.com",
               "DescribeSecurityGroups": "ec2.amazonaws.com"}.get(name, "iam.amazonaws.com")
        lab.record(t + 40 + 25 * k, intruder, src, name, None, None)
    lab.record(t + 310, intruder, "s3.amazonaws.com", "CreateBucket",
               {"bucketName": NEW_BUCKET, "Host": "%s.s3.amazonaws.com" % NEW_BUCKET,
                "x-amz-acl": "private"}, None, ro=False,
               resources=[{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + NEW_BUCKET}])
    for k, port in enumerate((3389, 5432)):
        rule = "sgr-%017x" % r.getrandbits(68)
        lab.record(t + 480 + 40 * k, intruder, "ec2.amazonaws.com", "ModifySecurityGroupRules",
                   {"ModifySecurityGroupRulesRequest": {"GroupId": SG, "SecurityGroupRule": {
                       "SecurityGroupRuleId": rule, "SecurityGroupRule": {
                           "Description": "", "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                           "CidrIpv4": "0.0.0.0/0"}}}},
                   {"ModifySecurityGroupRulesResponse": {"requestId": lab.uuid(), "return": True}}, ro=False)
    lab.record(t + 640, intruder, "ec2.amazonaws.com", "RunInstances",
               {"instancesSet": {"items": [{"imageId": "ami-0e86e20dae9224db8", "minCount": 1, "maxCount": 1}]},
                "instanceType": "c5.4xlarge", "blockDeviceMapping": {},
                "groupSet": {"items": [{"groupId": SG}]}},
               {"requestId": lab.uuid(), "reservationId": "r-%017x" % r.getrandbits(68), "ownerId": ACCOUNT,
                "instancesSet": {"items": [{"instanceId": MINER, "imageId": "ami-0e86e20dae9224db8",
                                            "instanceState": {"code": 0, "name": "pending"},
                                            "instanceType": "c5.4xlarge", "privateIpAddress": "172.31.40.17"}]}},
               ro=False)
    lab.s3_object(t + 900, daniel_k, "GetObject", EXPORT_BUCKET, EXPORT_KEY, size=48213770, ip=INTRUDER_IP,
                  ua=labgen.UA_KALI)

    # S3 data events of the shop: the web servers read and write assets, the report job writes reports.
    assets = ["img/products/%04d.jpg" % n for n in range(1, 60)] + ["css/site.css", "js/app.js", "index.html"]
    for _ in range(260):
        tt = lab.business_time()
        p = r.choice(web_roles)
        if r.random() < 0.8:
            lab.s3_object(tt, p, "GetObject", buckets[0], r.choice(assets), size=r.randrange(2000, 400000))
        else:
            lab.s3_object(tt, p, "PutObject", buckets[0], "img/uploads/%08x.jpg" % r.getrandbits(32),
                          size=r.randrange(20000, 900000))
    for day in range(5):
        lab.s3_object(lab.start + day * 86400 + 3 * 3600 + 17, orders, "PutObject", EXPORT_BUCKET,
                      "finance/daily/orders-2026-10-%02d.csv" % (12 + day), size=r.randrange(200000, 900000))
    return lab


def cloudfront(lab):
    r = lab.r
    lines = []
    shoppers = ["%d.%d.%d.%d" % (r.choice((24, 67, 71, 98, 104, 172)), r.randrange(256), r.randrange(256),
                                 r.randrange(1, 255)) for _ in range(90)]
    words = ("tent", "headlamp", "sleeping+bag", "boots", "paddle", "stove", "rain+jacket")
    pages = ("/", "/products/tents", "/products/kayaks", "/cart", "/checkout", "/about", "/products/lamps")
    for _ in range(430):
        t = lab.business_time()
        ip = r.choice(shoppers)
        roll = r.random()
        if roll < 0.55:
            lines.append((t, labgen.cloudfront_line(r, t, ip, "GET", r.choice(pages), 200, labgen.UA_CHROME)))
        elif roll < 0.8:
            lines.append((t, labgen.cloudfront_line(r, t, ip, "GET", "/assets/app.%d.js" % r.randrange(3), 304,
                                                    labgen.UA_SAFARI, size=0)))
        else:
            lines.append((t, labgen.cloudfront_line(r, t, ip, "GET", "/search", 200, labgen.UA_CHROME,
                                                    query="q=" + r.choice(words))))
    searchers = r.sample(shoppers, 13)
    for ip in searchers:
        for _ in range(r.randrange(1, 4)):
            t = lab.business_time()
            lines.append((t, labgen.cloudfront_line(r, t, ip, "GET", "/search", 200, labgen.UA_FIREFOX,
                                                    query="q=%s&page=%d" % (SEARCH_WORD, r.randrange(1, 3)))))
    for scanner in ("45.148.10.81", "194.26.192.64"):
        for stem in ("/admin/", "/admin/login", "/admin/.env", "/wp-login.php", "/.git/config"):
            t = lab.business_time()
            status = 403 if stem.startswith("/admin") else 404
            lines.append((t, labgen.cloudfront_line(r, t, scanner, "GET", stem, status, "python-requests/2.32.3",
                                                    size=r.randrange(300, 900))))
    t = epoch("2026-10-15T21:47:09Z")
    for k, (method, stem, status) in enumerate((("GET", "/admin/login", 200), ("POST", "/admin/login", 302),
                                                ("GET", "/admin/dashboard", 200), ("GET", "/admin/users", 200),
                                                ("GET", "/admin/export", 200))):
        lines.append((t + 7 * k, labgen.cloudfront_line(r, t + 7 * k, ADMIN_IP, method, stem, status,
                                                        labgen.UA_FIREFOX)))
    return lines


def guardduty(lab):
    miner = {"ResourceType": "Instance", "InstanceDetails": {
        "InstanceId": MINER, "InstanceType": "c5.4xlarge", "ImageId": "ami-0e86e20dae9224db8",
        "AvailabilityZone": "us-east-1a", "InstanceState": "running"}}
    key = {"ResourceType": "AccessKey", "AccessKeyDetails": {
        "AccessKeyId": "ASIA" + "Q" * 16, "PrincipalId": lab.principal_id("daniel.okafor"),
        "UserName": "daniel.okafor", "UserType": "IAMUser"}}
    vpn = {"IpAddressV4": INTRUDER_IP, "Organization": {"Asn": "9009", "AsnOrg": "M247 Europe SRL",
                                                        "Isp": "Mullvad VPN", "Org": "Mullvad VPN"},
           "Country": {"CountryName": "Sweden"}, "City": {"CityName": "Stockholm"},
           "GeoLocation": {"Lat": 59.33, "Lon": 18.06}}
    web = {"ResourceType": "Instance", "InstanceDetails": {"InstanceId": "i-05e2b8c41d7a9f306",
                                                           "InstanceType": "t3.medium"}}
    return [
        guardduty_finding(lab, epoch("2026-10-12T16:02:11Z"), "Recon:EC2/PortProbeUnprotectedPort", 2,
                          "Unprotected port on EC2 instance i-05e2b8c41d7a9f306 is being probed.",
                          "EC2 instance has an unprotected port which is being probed by a known malicious host.",
                          web, {"ActionType": "PORT_PROBE", "PortProbeAction": {"Blocked": False, "PortProbeDetails": [
                              {"LocalPortDetails": {"Port": 22, "PortName": "SSH"},
                               "RemoteIpDetails": {"IpAddressV4": "45.148.10.81"}}]}}, count=14),
        guardduty_finding(lab, epoch("2026-10-14T02:16:30Z"), "Discovery:IAMUser/AnomalousBehavior", 5,
                          "User daniel.okafor is anomalously invoking APIs commonly used in Discovery tactics.",
                          "APIs commonly used in Discovery tactics were invoked by user IAMUser : daniel.okafor, "
                          "under anomalous circumstances.",
                          key, {"ActionType": "AWS_API_CALL", "AwsApiCallAction": {
                              "Api": "GetAccountAuthorizationDetails", "CallerType": "Remote IP",
                              "ServiceName": "iam.amazonaws.com", "RemoteIpDetails": vpn}}, count=6),
        guardduty_finding(lab, epoch("2026-10-14T02:41:52Z"), "CryptoCurrency:EC2/BitcoinTool.B!DNS", 8,
                          "EC2 instance %s is querying a domain name that is associated with Bitcoin activity." % MINER,
                          "EC2 instance %s is querying a domain name associated with Bitcoin-related activity." % MINER,
                          miner, {"ActionType": "DNS_REQUEST", "DnsRequestAction": {
                              "Domain": "pool.supportxmr.com", "Protocol": "UDP", "Blocked": False}}, count=37),
        guardduty_finding(lab, epoch("2026-10-14T03:05:18Z"), "Execution:EC2/MaliciousFile", 8,
                          "A malicious file has been detected on EC2 instance %s." % MINER,
                          "GuardDuty Malware Protection found a coin miner in a scan of the EBS volumes of %s." % MINER,
                          dict(miner, EbsVolumeDetails={"ScannedVolumeDetails": [{
                              "VolumeArn": "arn:aws:ec2:us-east-1:%s:volume/vol-0d3e5a7c9b1f24680" % ACCOUNT,
                              "DeviceName": "/dev/xvda"}]}),
                          {"ActionType": "MALWARE_SCAN", "MalwareScanDetails": {"Threats": [{
                              "Name": "Linux.CoinMiner.XMRig", "Source": "Bitdefender",
                              "ItemPaths": [{"NestedItemPath": "/var/tmp/.cache/kdevtmpfsi",
                                             "Hash": "%064x" % lab.r.getrandbits(256)}]}]}}),
        guardduty_finding(lab, epoch("2026-10-15T09:30:00Z"), "UnauthorizedAccess:EC2/SSHBruteForce", 2,
                          "45.148.10.81 is performing SSH brute force attacks against i-0f19d3a6c8e24b751.",
                          "EC2 instance i-0f19d3a6c8e24b751 is being targeted by SSH brute force.",
                          {"ResourceType": "Instance", "InstanceDetails": {"InstanceId": "i-0f19d3a6c8e24b751"}},
                          {"ActionType": "NETWORK_CONNECTION", "NetworkConnectionAction": {
                              "ConnectionDirection": "INBOUND", "RemoteIpDetails": {"IpAddressV4": "45.148.10.81"},
                              "LocalPortDetails": {"Port": 22, "PortName": "SSH"}, "Protocol": "TCP"}}, count=212),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261014)
    args = ap.parse_args()
    lab = build(args.seed)
    events = lab.sorted_events()
    data = [e for e in events if e["eventCategory"] == "Data"]
    management = [e for e in events if e["eventCategory"] != "Data"]
    labgen.write_cloudtrail_tree(management, os.path.join(args.out, "cloudtrail"), ACCOUNT)
    labgen.write_bytes(os.path.join(args.out, "s3.json"),
                       labgen.json.dumps({"Records": data}, indent=1).encode())
    labgen.write_cloudfront(cloudfront(lab), os.path.join(args.out, "cloudfront.log"))
    labgen.write_bytes(os.path.join(args.out, "guardduty.json"),
                       labgen.json.dumps(guardduty(lab), indent=2).encode())


if __name__ == "__main__":
    main()
