#!/usr/bin/env python3
"""Builds CloudTrail test events for Sigma rules: for every rule a "positive" that matches it and
a "near miss" that differs from the positive in exactly one field a selection names and does
not match. Both are checked with the independent oracle (tests/sigma_oracle.py).

    python3 tests/e2e/sigma_events.py --rules DIR --out FILE.ndjson [--report]

writes all events as NDJSON; --report prints, per rule, the positive and near-miss eventIDs and
the field that differs (or why the rule was skipped). `generate(rules_dir)` returns
(events, pairs, skipped) for tests.

How an event is built. The condition is tried with every assignment of true/false to the
selections that satisfies it (and, for a list-of-maps selection, every alternative); the true
selections' items are satisfied field by field on a realistic base record (an identity that
fits userIdentity.type, an eventSource that fits eventName, samples for wildcard, regex and
"any value" matches, small request templates for object-wide `contains`), and the smallest
event the oracle accepts is kept. The near miss tries, for each field a selection names,
values that switch a filter on (`not filter`), add a field a `null` needs absent, break an
`|all` or a modifier match, or change eventName, and keeps the most interesting one that the
oracle rejects. Besides that field, only eventID, eventTime and requestID differ.
"""
import argparse
import copy
import datetime
import ipaddress
import itertools
import json
import os
import re
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import sigma_oracle as so  # noqa: E402

ACCOUNT = "111122223333"
BASE_TIME = datetime.datetime(2024, 6, 3, 9, 0, 0)
ABSENT = object()


class Ref:
    """A value copied from another field (for |fieldref)."""
    def __init__(self, field):
        self.field = field


IDENTITIES = {
    "iamuser": {"type": "IAMUser", "principalId": "AIDAQRSTUVWXY2EXAMPLE",
                "arn": f"arn:aws:iam::{ACCOUNT}:user/alice", "accountId": ACCOUNT,
                "accessKeyId": "AKIAQRSTUVWXYEXAMPLE", "userName": "alice"},
    "root": {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root",
             "accountId": ACCOUNT, "accessKeyId": "ASIAQRSTUVWXYROOTKEY"},
    "assumedrole": {
        "type": "AssumedRole", "principalId": "AROAQRSTUVWXYEXAMPLE:alice",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/DevOpsAdmin/alice", "accountId": ACCOUNT,
        "accessKeyId": "ASIAQRSTUVWXYEXAMPLE",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROAQRSTUVWXYEXAMPLE",
                              "arn": f"arn:aws:iam::{ACCOUNT}:role/DevOpsAdmin",
                              "accountId": ACCOUNT, "userName": "DevOpsAdmin"},
            "attributes": {"creationDate": "2024-06-03T08:41:12Z", "mfaAuthenticated": "false"}}},
}
SOURCE_FOR_NAME = {"DeleteBucket": "s3.amazonaws.com", "ConsoleLogin": "signin.amazonaws.com",
                   "DeleteFlowLogs": "ec2.amazonaws.com", "SendCommand": "ssm.amazonaws.com",
                   "CreateAccessKey": "iam.amazonaws.com", "AssumeRoleWithSAML": "sts.amazonaws.com"}
TYPE_FOR_NAME = {"ConsoleLogin": "AwsConsoleSignIn", "GetSigninToken": "AwsConsoleSignIn"}
SAMPLES = {  # realistic values by the last step of a field name (lower case)
    "useragent": ["aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22",
                  "S3 Browser/11.5.7 (https://s3browser.com)", "TruffleHog",
                  "Jersey/${project.version} (HttpUrlConnection 17.0.9; Linux 5.10.205)"],
    "errorcode": ["AccessDenied", "Client.UnauthorizedOperation"],
    "errormessage": ["User: arn:aws:iam::111122223333:user/alice is not authorized to perform "
                     "this operation", "Failed authentication"],
    "arn": [f"arn:aws:sts::{ACCOUNT}:assumed-role/aws:ec2-instance/i-0a1b2c3d4e5f67890"],
    "username": ["bob"],
    "layers": [[f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:shared-deps:7"]],
    "masteruserpassword": ["****"],
    "command": [["/bin/sh", "-c", "curl -s 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]],
    "sourceipaddress": ["AWS Internal", "198.51.100.23"],
    "eventname": ["UpdateFunctionConfiguration20150331v2"],
    "eventsource": ["ssm.amazonaws.com", "ec2.amazonaws.com"],
    "eventtype": ["AwsServiceEvent", "AwsApiCall"],
}
TEMPLATES = {  # (object field, eventName) -> a realistic object for object-wide matches
    ("requestParameters", "PutBucketVersioning"): {
        "bucketName": "corp-backups-2024", "Host": "corp-backups-2024.s3.us-east-1.amazonaws.com",
        "versioning": "", "VersioningConfiguration": {
            "Status": "Suspended", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}},
    ("requestParameters", "PutUserPolicy"): {
        "userName": "s3-reader", "policyName": "s3-browser-bucket-access",
        "policyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["s3:GetObject"],
            "Resource": ["arn:aws:s3:::<YOUR-BUCKET-NAME>/*"]}]}},
    ("responseElements", "CreateInstanceExportTask"): {"exportTask": {
        "exportTaskId": "export-i-0a1b2c3d4e5f67890", "state": "Failure",
        "instanceExportDetails": {"instanceId": "i-0a1b2c3d4e5f67890", "targetEnvironment": "vmware"}}},
}
VARIANTS = {"allow": "Deny", "suspended": "Enabled", "s3:getobject": "s3:ListBucket", "no": "Yes",
            "success": "Failure", "failure": "completed", "true": "false", "false": "true",
            "userdata": "instanceType", "root": "IAMUser", "assumedrole": "IAMUser",
            "role": "IAMUser", "iamuser": "AssumedRole", "awsserviceevent": "AwsApiCall"}
VERBS = {"Delete": "Describe", "Create": "Describe", "Update": "Get", "Put": "Get", "Stop": "Start",
         "Disable": "Get", "Enable": "Get", "Modify": "Describe", "Import": "Describe",
         "Authorize": "Describe", "Revoke": "Describe", "Restore": "Describe", "Send": "List",
         "Get": "List", "List": "Get", "Transfer": "Get", "Register": "Describe", "Run": "Describe",
         "Associate": "Describe", "Disassociate": "Describe", "Apply": "Describe", "Set": "Get",
         "Batch": "Get", "Assume": "Get", "Replicate": "Head", "Console": "Check"}
NEAR_NAMES = {  # a real, harmless sibling API for eventNames the rules name
    "DeleteGuardrail": "ListGuardrails", "UpdateGuardrail": "GetGuardrail", "DeleteBucket": "CreateBucket",
    "StopLogging": "StartLogging", "CreateNetworkAclEntry": "DescribeNetworkAcls",
    "CreateRoute": "DescribeRouteTables", "EnableRegion": "GetRegionOptStatus",
    "AuthorizeSecurityGroupEgress": "DescribeSecurityGroups",
    "ApplySecurityGroupsToLoadBalancer": "DescribeLoadBalancers",
    "AuthorizeDBSecurityGroupIngress": "DescribeDBSecurityGroups", "SendCommand": "ListCommands",
    "DeleteFlowLogs": "DescribeFlowLogs", "DeleteDeliveryChannel": "DescribeDeliveryChannels",
    "DeleteIdentity": "ListIdentities", "DisableEbsEncryptionByDefault": "GetEbsEncryptionByDefault",
    "ImportKeyPair": "DescribeKeyPairs", "DeleteFileSystem": "DescribeFileSystems",
    "DeleteMountTarget": "DescribeMountTargets", "CreateCluster": "DescribeCluster",
    "CreateCacheSecurityGroup": "DescribeCacheSecurityGroups",
    "DeleteCacheSecurityGroup": "DescribeCacheSecurityGroups", "CreateIPSet": "ListIPSets",
    "ImportKeyMaterial": "GetParametersForImport", "CreateFunctionUrlConfig": "GetFunctionUrlConfig",
    "CreateDevEndpoint": "GetDevEndpoints", "ModifyDBCluster": "DescribeDBClusters",
    "DisableDomainTransferLock": "EnableDomainTransferLock",
    "TransferDomainToAnotherAwsAccount": "GetDomainDetail", "PutBucketLogging": "GetBucketLogging",
    "BatchUpdateFindings": "GetFindings", "ModifySnapshotAttribute": "DescribeSnapshotAttribute",
    "AssociateDirectory": "DescribeDirectories", "DeleteDetector": "GetDetector",
    "ModifyDBInstance": "DescribeDBInstances", "PutBucketVersioning": "GetBucketVersioning",
    "CreateAccessKey": "ListAccessKeys", "UpdateLoginProfile": "GetLoginProfile",
    "ConsoleLogin": "GetSigninToken", "GetCallerIdentity": "GetSessionToken"}
OBJECTS = {"requestParameters", "responseElements", "additionalEventData", "userIdentity",
           "serviceEventDetails"}
ARRAY_STEPS = {  # steps that are arrays of objects in real records: a first element
    "containerDefinitions": {"name": "app", "image": "public.ecr.aws/docker/library/alpine:3.19",
                             "essential": True}}


# ---------------------------------------------------------------------------- event editing
def base_event():
    return {"eventVersion": "1.09", "userIdentity": copy.deepcopy(IDENTITIES["iamuser"]),
            "eventTime": None, "eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances",
            "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.45",
            "userAgent": SAMPLES["useragent"][0], "requestParameters": None,
            "responseElements": None, "requestID": None, "eventID": None, "readOnly": False,
            "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
            "eventCategory": "Management"}


def get_values(ev, field):
    return so.field_values(ev, field)


def set_path(ev, field, value):
    """Sets a dotted path (creating objects; ARRAY_STEPS become one-element arrays);
    ABSENT removes it; Ref copies the first value of another field."""
    if isinstance(value, Ref):
        vals = get_values(ev, value.field)
        if not vals:
            return False
        value = copy.deepcopy(vals[0])
    parts, node = field.split("."), ev
    for p in parts[:-1]:
        nxt = node.get(p)
        if value is ABSENT and not isinstance(nxt, (dict, list)):
            return True
        if p in ARRAY_STEPS:
            if not isinstance(nxt, list) or not nxt or not isinstance(nxt[0], dict):
                nxt = node[p] = [copy.deepcopy(ARRAY_STEPS[p])]
            node = nxt[0]
        else:
            if not isinstance(nxt, dict):
                nxt = node[p] = {}
            node = nxt
    if value is ABSENT:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = copy.deepcopy(value)
    return True


def leaves(v, prefix=""):
    if isinstance(v, dict) and v:
        return {k: x for key, sub in v.items() for k, x in leaves(sub, f"{prefix}.{key}" if prefix
                                                                    else key).items()}
    if isinstance(v, list) and v:
        return {k: x for i, sub in enumerate(v) for k, x in leaves(sub, f"{prefix}[{i}]").items()}
    return {prefix: json.dumps(v)}


# ---------------------------------------------------------------------------- candidate values
def literal(v):
    """The literal text of a value without wildcards, or None."""
    toks = so.tokens(v) if isinstance(v, str) else list(so.text_of(v))
    return None if any(isinstance(t, tuple) for t in toks) else "".join(toks)


def fill(v):
    """A concrete string for a Sigma pattern: '*' -> '', '?' -> 'x'."""
    return "".join("" if t == ("*",) else "x" if t == ("?",) else t for t in so.tokens(v))


def regex_guess(rx):
    """A string that probably matches a simple regular expression (the caller checks)."""
    s = re.sub(r"^\^|(?<!\\)\$$", "", rx)
    while True:  # groups: their first alternative
        t = re.sub(r"\((?:\?:)?([^()|]*)(?:\|[^()]*)?\)", r"\1", s)
        if t == s:
            break
        s = t
    s = re.sub(r"\[\^?\\?(.)[^\]]*\]", r"\1", s)  # a class: its first character
    s = s.replace(".+", "x").replace(".*", "").replace("\\d", "1").replace("\\w", "x").replace("\\s", " ")
    s = re.sub(r"\{\d+(,\d*)?\}|(?<!\\)[+*?]", "", s)
    return re.sub(r"\\(.)", r"\1", s)


def true_candidates(item, ev):
    """Values for item.field that may make the item true (checked by the caller)."""
    last = item.field.split(".")[-1].lower()
    samples = list(SAMPLES.get(last, []))
    if item.field in OBJECTS:
        t = TEMPLATES.get((item.field, ev.get("eventName")))
        samples = ([t] if t else []) + samples
    vals = list(item.values)
    out = []
    if item.op == "exists":
        want = vals[0] if isinstance(vals[0], bool) else str(vals[0]).lower() == "true"
        return (samples + ["present"]) if want else [ABSENT]
    if item.op == "fieldref":
        return [Ref(so.text_of(v)) for v in vals]
    if item.op in ("gt", "gte", "lt", "lte"):
        return [int(float(v)) + (1 if item.op[0] == "g" else -1) for v in vals]
    if item.op == "cidr":
        return [str(next(ipaddress.ip_network(str(v), strict=False).hosts(), None) or
                    ipaddress.ip_network(str(v), strict=False).network_address) for v in vals]
    if item.op == "re":
        return samples + [regex_guess(so.text_of(v)) for v in vals]
    if item.all and len(vals) > 1:  # one value that satisfies every pattern
        lits = [fill(so.text_of(v)) for v in vals]
        if item.field in OBJECTS:
            out.append({f"detail{i}": s[1:-1] if len(s) > 1 and s[0] == s[-1] == '"' else s
                        for i, s in enumerate(lits)})
        return samples + out + [" ".join(lits)]
    for v in vals:
        if v is None:
            out.append(ABSENT)
            continue
        lit = literal(v)
        if item.op == "eq" and lit is not None:
            if lit.lower() in ("true", "false"):
                out.append(lit.lower() == "true")
            out.append(lit)
            continue
        s = fill(so.text_of(v))
        out += samples
        if item.field == "eventName" and item.op in ("contains", "endswith") and s[:1].isupper():
            out.append("Put" + s)
        cur = get_values(ev, item.field) if item.field else []
        if item.op in ("contains", "endswith") and cur and isinstance(cur[0], str) and "/" in cur[0]:
            out.append(cur[0][:cur[0].rfind("/") + 1] + s)
        if item.field in OBJECTS:
            out.append({"detail": s[1:-1] if len(s) > 1 and s[0] == s[-1] == '"' else s})
        out.append(s if s else "present")
    return out


def satisfy(ev, field, items, constrained):
    """Sets `field` in ev so that every item is true; False if no candidate works."""
    for it in items:
        for c in true_candidates(it, ev):
            trial = copy.deepcopy(ev)
            if field == "userIdentity.type" and isinstance(c, str) and c.lower() in IDENTITIES:
                trial["userIdentity"] = copy.deepcopy(IDENTITIES[c.lower()])
            if field == "userIdentity.arn" and isinstance(c, str) and ":assumed-role/" in c \
                    and "userIdentity.type" not in constrained:
                trial["userIdentity"] = copy.deepcopy(IDENTITIES["assumedrole"])
                role, _, session = c.split(":assumed-role/", 1)[1].partition("/")
                trial["userIdentity"]["principalId"] = f"AROAQRSTUVWXYEXAMPLE:{session}"
                trial["userIdentity"]["sessionContext"]["sessionIssuer"].update(
                    arn=f"arn:aws:iam::{ACCOUNT}:role/{role}", userName=role)
            if field == "":  # a keyword: realistic places for free text are few; use userAgent
                if not isinstance(c, str) or not set_path(trial, "userAgent", c):
                    continue
            elif not set_path(trial, field, c):
                continue
            if field == "eventName" and isinstance(c, str):
                if "eventSource" not in constrained:
                    trial["eventSource"] = SOURCE_FOR_NAME.get(c, trial["eventSource"])
                if "eventType" not in constrained:
                    trial["eventType"] = TYPE_FOR_NAME.get(c, trial["eventType"])
            if all(i.matches(trial) for i in items):
                ev.clear()
                ev.update(trial)
                return True
    return False


def field_order(field):
    first = {"userIdentity.type": 0, "eventName": 1, "eventSource": 2}
    return (first.get(field, 3), field.count("."))


def construct(rule, items, false_names):
    ev = base_event()
    by_field = {}
    for it in items:
        by_field.setdefault(it.field, []).append(it)
    refs = [so.text_of(v) for it in items if it.op == "fieldref" for v in it.values]
    for field in sorted(dict.fromkeys(refs + list(by_field)), key=field_order):  # refs first
        if field in by_field and not satisfy(ev, field, by_field[field], by_field):
            return None
        if field not in by_field and not get_values(ev, field):  # a field a fieldref copies
            set_path(ev, field, (SAMPLES.get(field.split(".")[-1].lower()) or ["value"])[0])
    for n in false_names:  # a fieldref filter that is false should still see both fields
        for alt in rule.selections[n].alternatives:
            for it in alt:
                for v in (it.values if it.op == "fieldref" else []):
                    if not get_values(ev, so.text_of(v)):
                        set_path(ev, so.text_of(v), (SAMPLES.get(so.text_of(v).split(".")[-1]
                                                                 .lower()) or ["other"])[0])
    return ev


def build_positive(rule):
    names = list(rule.selections)
    if len(names) > 10:
        return None, f"too many selections ({len(names)})"
    best = None
    for bits in itertools.product([False, True], repeat=len(names)):
        truth = dict(zip(names, bits))
        if not rule.evaluate(truth):
            continue
        trues = [n for n in names if truth[n]]
        falses = [n for n in names if not truth[n]]
        choices = itertools.product(*(range(len(rule.selections[n].alternatives)) for n in trues))
        for alts in itertools.islice(choices, 64):
            items = [it for n, a in zip(trues, alts) for it in rule.selections[n].alternatives[a]]
            ev = construct(rule, items, falses)
            if ev is not None and rule.matches(ev):
                size = len(leaves(ev))
                if best is None or size < best[0]:
                    best = (size, ev)
    return (best[1], None) if best else (None, "no event satisfies the condition")


# ---------------------------------------------------------------------------- near miss
def swapped(field, value):
    """Realistic different values for a string: a sibling API for eventName, a VARIANT."""
    out = [VARIANTS[value.lower()]] if value.lower() in VARIANTS else []
    m = re.match(r"[A-Z][a-z]+", value) if field == "eventName" else None
    if m:
        rest = value[m.end():]
        out += [NEAR_NAMES[value]] if value in NEAR_NAMES else []
        out += swapped(field, rest) if m.group() == "Batch" else []
        out += [VERBS.get(m.group(), "Describe") + rest, "Describe" + rest, "Get" + rest, "List" + rest]
    return out


def variant_of(cur):
    """cur's JSON with one known word replaced by its VARIANT (breaks one |all value)."""
    text = json.dumps(cur)
    out = []
    for word, repl in VARIANTS.items():
        if len(word) > 4 and re.search(re.escape(word), text, re.I):
            out.append(json.loads(re.sub(re.escape(word), repl, text, flags=re.I)))
    return out


def mutations(rule, pos, field):
    items = [it for s in rule.selections.values() for alt in s.alternatives for it in alt]
    cur = get_values(pos, field)
    out = []
    for it in items:
        if it.field == field:
            out += [c for c in true_candidates(it, pos) if set_path(t := copy.deepcopy(pos), field, c)
                    and it.matches(t)]
        if it.op == "fieldref" and field in (so.text_of(v) for v in it.values):
            out.append(Ref(it.field))
    if cur:
        c = cur[0]
        if isinstance(c, bool):
            out.append(not c)
        elif isinstance(c, str):
            out += swapped(field, c)
        elif isinstance(c, (dict, list)):
            out += variant_of(c)
        out.append(ABSENT)
    return out[:-1] + [s for s in SAMPLES.get(field.split(".")[-1].lower(), []) if s not in cur] + out[-1:] \
        if cur else out + SAMPLES.get(field.split(".")[-1].lower(), [])


def interest(rule, field):
    best = 0
    for s in rule.selections.values():
        for alt in s.alternatives:
            for it in alt:
                if it.field == field or (it.op == "fieldref" and field in map(so.text_of, it.values)):
                    best = max(best, 4 if it.all and len(it.values) > 1 else
                               3 if it.op in ("re", "fieldref", "cidr") else
                               1 if it.op in ("contains", "startswith", "endswith") else 0)
    return best


def build_near_miss(rule, pos):
    truth_pos = {n: s.matches(pos) for n, s in rule.selections.items()}
    fields = []
    for s in rule.selections.values():
        for alt in s.alternatives:
            for it in alt:
                for f in ([so.text_of(v) for v in it.values] if it.op == "fieldref" else []) + [it.field]:
                    f = f or "userAgent"  # where keywords are put
                    if f not in fields:
                        fields.append(f)
    found = []
    for order, field in enumerate(fields):
        for k, value in enumerate(mutations(rule, pos, field)):
            nm = copy.deepcopy(pos)
            if not set_path(nm, field, value) or nm == pos or rule.matches(nm):
                continue
            truth = {n: s.matches(nm) for n, s in rule.selections.items()}
            on = any(truth[n] and not truth_pos[n] for n in truth)
            kind = 0 if on else 3 if field == "eventName" else 4 if field == "eventSource" else \
                1 if interest(rule, field) or value is ABSENT or not get_values(pos, field) else 2
            found.append(((kind, -interest(rule, field), value is ABSENT, order, k), field, nm))
            break
    if not found:
        return None, None, "no single-field change makes the rule miss"
    _, field, nm = min(found, key=lambda x: x[0])
    return nm, field, None


# ---------------------------------------------------------------------------- driver
def describe(a, b):
    """'old' -> 'new' for the differing field (for objects: the leaves that differ)."""
    if len(a) == 1 and len(b) == 1 and isinstance(a[0], (dict, list)) and isinstance(b[0], (dict, list)):
        la, lb = leaves(a[0]), leaves(b[0])
        keys = sorted(k for k in set(la) | set(lb) if la.get(k) != lb.get(k))
        return (", ".join(f"{k}={la.get(k, '(absent)')}" for k in keys),
                ", ".join(f"{k}={lb.get(k, '(absent)')}" for k in keys))
    return tuple("(absent)" if not v else json.dumps(v[0]) for v in (a, b))


def stamp(ev, stem, role, n):
    ev["eventID"] = f"sigma-{stem}-{role}"
    ev["requestID"] = str(uuid.uuid5(uuid.NAMESPACE_URL, ev["eventID"]))
    ev["eventTime"] = (BASE_TIME + datetime.timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(rules_dir):
    """(events, pairs, skipped): events in order (positive, near miss per rule); pairs as dicts
    rule/stem/id/positive/nearmiss/field/from/to; skipped as dicts rule/reason."""
    events, pairs, skipped = [], [], []
    for n, path in enumerate(so.rule_paths([rules_dir])):
        name = os.path.basename(path)
        stem = os.path.splitext(name)[0]
        try:
            rule = so.load_rule(path)
        except so.Unsupported as e:
            skipped.append({"rule": name, "reason": f"unsupported: {e}"})
            continue
        pos, why = build_positive(rule)
        nm, field, why2 = (None, None, None) if pos is None else build_near_miss(rule, pos)
        if pos is None or nm is None:
            skipped.append({"rule": name, "reason": why or why2})
            continue
        stamp(pos, stem, "pos", 2 * n)
        stamp(nm, stem, "nearmiss", 2 * n + 1)
        # the oracle's verdicts, and the "one field" promise
        def without(ev):
            ev = copy.deepcopy(ev)
            set_path(ev, field, ABSENT)
            return {k: v for k, v in ev.items() if k not in ("eventID", "eventTime", "requestID")}
        assert rule.matches(pos) and not rule.matches(nm), name
        assert without(pos) == without(nm), name
        events += [pos, nm]
        was, now = describe(get_values(pos, field), get_values(nm, field))
        pairs.append({"rule": name, "stem": stem, "id": rule.id, "positive": pos["eventID"],
                      "nearmiss": nm["eventID"], "field": field, "from": was, "to": now})
    return events, pairs, skipped


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args(argv)
    events, pairs, skipped = generate(a.rules)
    with open(a.out, "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
    if a.report:
        for p in pairs:
            print(f"{p['stem']}: {p['positive']} / {p['nearmiss']}: {p['field']} "
                  f"{p['from']} -> {p['to']}")
        for s in skipped:
            print(f"{os.path.splitext(s['rule'])[0]}: skipped: {s['reason']}")
        print(f"{len(pairs)} pairs, {len(skipped)} skipped, {len(events)} events -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
