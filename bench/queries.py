"""The benchmark's query set: one SPL query and its equivalents for every other system.

Each entry:
  id      short name used in result files and the plot
  spl     the cairn query (exactly what an analyst types)
  kind    "count"  -> a number of matching events
          "groups" -> a table of (by-fields..., count) rows (SPL stats); compared as a multiset
          "top"    -> like groups, but ordered and cut (sort -count | head N); compared tie-aware
          "raw"    -> returns `limit` raw events, newest first
  sql     DuckDB SQL on the native table `ct` (or `ct_raw(raw VARCHAR)` for text search)
  rg      ripgrep arguments (before the file) whose `rg -c` line count equals the answer, or None
  jq      jq program; for count: a `select(...)` filter run as `jq -c FILTER FILE | wc -l`;
          for groups/top: a `jq -rn` program printing "key<TAB>...<TAB>count" lines; or None
  jq_default  whether the full run times jq on it (jq reads ~60 MB/s: every query costs ~25 s x runs
          at 1M events, so only a few run by default; BENCH_JQ=all runs every one)
  py      the same query over a parsed event (dict), used by the smoke run as a third oracle
  target  which speed target from the issues applies (see TARGETS in bench/run)

SPL matches values case-insensitively; the generated data is consistently cased, so plain
equality in SQL/jq is equivalent here. That is not assumed: every answer is checked against
cairn's (or, for queries cairn cannot run yet, against DuckDB's) before its time is reported.
"""

IAM_CHANGES = ["PutUserPolicy", "PutRolePolicy", "PutGroupPolicy", "AttachUserPolicy",
               "AttachGroupPolicy", "AttachRolePolicy", "AddUserToGroup", "DeleteVirtualMFADevice",
               "DeactivateMFADevice", "CreateAccessKey", "UpdateAccessKey"]


def _get(ev, path):
    cur = ev
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


QUERIES = [
    {
        "id": "console_login",
        "spl": "eventName=ConsoleLogin",
        "kind": "count",
        "sql": "SELECT count(*) FROM ct WHERE eventName = 'ConsoleLogin'",
        "rg": ["-F", '"eventName":"ConsoleLogin"'],
        "jq": 'select(.eventName == "ConsoleLogin")',
        "jq_default": True,
        "py": lambda e: e.get("eventName") == "ConsoleLogin",
        "target": "indexed",
    },
    {
        "id": "akia_prefix",
        "spl": "userIdentity.accessKeyId=AKIA*",
        "kind": "count",
        "sql": "SELECT count(*) FROM ct WHERE userIdentity.accessKeyId LIKE 'AKIA%'",
        # userIdentity's own accessKeyId comes before any nested object in it
        "rg": ["^\\{[^{}]*\"userIdentity\":\\{[^{}]*\"accessKeyId\":\"AKIA"],
        "jq": 'select((.userIdentity.accessKeyId // "") | startswith("AKIA"))',
        "jq_default": False,
        "py": lambda e: str(_get(e, "userIdentity.accessKeyId") or "").startswith("AKIA"),
        "target": "indexed",
    },
    {
        "id": "no_creation_date",
        "spl": "NOT userIdentity.sessionContext.attributes.creationDate=*",
        "kind": "count",
        "sql": "SELECT count(*) FROM ct WHERE userIdentity.sessionContext.attributes.creationDate IS NULL",
        "rg": ["-v", "-F", '"creationDate":"'],
        "jq": "select(.userIdentity.sessionContext.attributes.creationDate == null)",
        "jq_default": True,
        "py": lambda e: _get(e, "userIdentity.sessionContext.attributes.creationDate") is None,
        "target": "indexed",
    },
    {
        "id": "readonly_false",
        "spl": "readOnly=false",
        "kind": "count",
        "sql": "SELECT count(*) FROM ct WHERE readOnly = false",
        "rg": ["-F", '"readOnly":false'],
        "jq": "select(.readOnly == false)",
        "jq_default": False,
        "py": lambda e: e.get("readOnly") is False,
        "target": "indexed",
    },
    {
        "id": "term_search",
        "spl": "ModifySecurityGroupRules",
        "kind": "count",
        "sql": "SELECT count(*) FROM ct_raw WHERE contains(raw, 'ModifySecurityGroupRules')",
        "rg": ["-F", "ModifySecurityGroupRules"],
        "jq": None,
        "jq_default": False,
        # a bare term matches a whole token of the raw text (case-insensitive); in this data the
        # word only occurs as the event name and inside the ModifySecurityGroupRulesRequest key of
        # the same events, so substring search gives the same count -- checked, not assumed
        "py": None,  # filled in by bench/run (needs the raw line)
        "target": "term",
    },
    {
        "id": "assume_role",
        "spl": "eventName=AssumeRole",
        "kind": "count",
        "sql": "SELECT count(*) FROM ct WHERE eventName = 'AssumeRole'",
        "rg": ["-F", '"eventName":"AssumeRole"'],
        "jq": 'select(.eventName == "AssumeRole")',
        "jq_default": False,
        "py": lambda e: e.get("eventName") == "AssumeRole",
        "target": "indexed",
    },
    {
        "id": "iam_changes_in",
        "spl": "eventName IN (" + ", ".join(IAM_CHANGES) + ")",
        "kind": "count",
        "sql": "SELECT count(*) FROM ct WHERE eventName IN (" + ", ".join("'%s'" % n for n in IAM_CHANGES) + ")",
        "rg": ['"eventName":"(' + "|".join(IAM_CHANGES) + ')"'],
        "jq": "select(.eventName as $n | " + " or ".join('$n == "%s"' % n for n in IAM_CHANGES) + ")",
        "jq_default": False,
        "py": lambda e: e.get("eventName") in IAM_CHANGES,
        "target": "indexed",
    },
    {
        "id": "failed_logins",
        "spl": 'eventName=ConsoleLogin errorMessage="Failed authentication"',
        "kind": "count",
        "sql": "SELECT count(*) FROM ct WHERE eventName = 'ConsoleLogin' AND errorMessage = 'Failed authentication'",
        "rg": ['"eventName":"ConsoleLogin".*"errorMessage":"Failed authentication"'],
        "jq": 'select(.eventName == "ConsoleLogin" and .errorMessage == "Failed authentication")',
        "jq_default": False,
        "py": lambda e: e.get("eventName") == "ConsoleLogin" and e.get("errorMessage") == "Failed authentication",
        "target": "indexed",
    },
    {
        "id": "stats_by_ip",
        "spl": "* | stats count by sourceIPAddress",
        "kind": "groups",
        "sql": "SELECT sourceIPAddress, count(*) FROM ct WHERE sourceIPAddress IS NOT NULL GROUP BY sourceIPAddress",
        "rg": None,
        "jq": 'reduce (inputs | .sourceIPAddress | select(. != null)) as $k ({}; .[$k] += 1) '
              '| to_entries[] | "\\(.key)\\t\\(.value)"',
        "jq_default": True,
        "py_groups": lambda e: [(e["sourceIPAddress"],)] if e.get("sourceIPAddress") is not None else [],
        "target": "stats",
    },
    {
        "id": "stats_src_name",
        "spl": "readOnly=false | stats count by eventSource eventName",
        "kind": "groups",
        "sql": "SELECT eventSource, eventName, count(*) FROM ct WHERE readOnly = false "
               "AND eventSource IS NOT NULL AND eventName IS NOT NULL GROUP BY eventSource, eventName",
        "rg": None,
        "jq": 'reduce (inputs | select(.readOnly == false) | "\\(.eventSource)\\t\\(.eventName)") as $k '
              '({}; .[$k] += 1) | to_entries[] | "\\(.key)\\t\\(.value)"',
        "jq_default": False,
        "py_groups": lambda e: [(e["eventSource"], e["eventName"])] if e.get("readOnly") is False else [],
        "target": "stats_half",
    },
    {
        "id": "failed_login_top",
        "spl": 'eventName=ConsoleLogin errorMessage="Failed authentication" '
               '| stats count by sourceIPAddress | sort -count | head 10',
        "kind": "top",
        "top": 10,
        "sql": "SELECT sourceIPAddress, count(*) AS c FROM ct WHERE eventName = 'ConsoleLogin' "
               "AND errorMessage = 'Failed authentication' AND sourceIPAddress IS NOT NULL "
               "GROUP BY sourceIPAddress ORDER BY c DESC LIMIT 10",
        "rg": None,
        "jq": '[inputs | select(.eventName == "ConsoleLogin" and .errorMessage == "Failed authentication") '
              '| .sourceIPAddress | select(. != null)] | group_by(.) | map([.[0], length]) '
              '| sort_by(-.[1]) | .[:10][] | "\\(.[0])\\t\\(.[1])"',
        "jq_default": True,
        "py_groups": lambda e: [(e["sourceIPAddress"],)] if (
            e.get("eventName") == "ConsoleLogin" and e.get("errorMessage") == "Failed authentication"
            and e.get("sourceIPAddress") is not None) else [],
        "target": "stats",
    },
    {
        "id": "timechart_hour",
        # every series (limit=0): the OTHER column of the default limit=10 has no simple SQL twin
        "spl": "* | timechart span=1h limit=0 count by eventName",
        "kind": "groups",
        # cairn's pivoted table (_time, one column per eventName) as (hour, eventName, count) rows
        # without the zero cells, to compare with the GROUP BY
        "unpivot": True,
        "sql": "SELECT strftime(date_trunc('hour', eventTime), '%Y-%m-%dT%H:%M:%SZ'), eventName, count(*) FROM ct "
               "WHERE eventName IS NOT NULL GROUP BY 1, 2",
        "rg": None,
        "jq": None,
        "jq_default": False,
        "py_groups": lambda e: [(e["eventTime"][:13] + ":00:00Z", e["eventName"])] if e.get("eventName") else [],
        "target": "timechart",
    },
    {
        "id": "raw_10k",
        "spl": "eventName=GetObject",
        "kind": "raw",
        "limit": 10000,
        # what DuckDB returns: the newest 10,000 matching rows, all columns, materialized
        "sql": "SELECT * FROM ct WHERE eventName = 'GetObject' ORDER BY eventTime DESC LIMIT 10000",
        # not timed: which events those are, to check cairn returned the same ones
        "verify_sql": "SELECT CAST(eventID AS VARCHAR), strftime(eventTime, '%Y-%m-%dT%H:%M:%SZ') FROM ct "
                      "WHERE eventName = 'GetObject' ORDER BY eventTime DESC LIMIT 10000",
        "count_sql": "SELECT count(*) FROM ct WHERE eventName = 'GetObject'",
        "rg": None,
        "jq": None,
        "jq_default": False,
        "py": lambda e: e.get("eventName") == "GetObject",
        "target": None,
    },
]


# The scripted shell run (issue #6: keystroke-to-result in `cairn shell`). Each is typed at the
# `cairn> ` prompt as is; `ref` names the query above whose answer (from the `cairn search` CLI) the
# shell's printed answer must equal before its time is reported:
#   count  -> a one-cell `count` table equal to ref's count
#   top / groups -> the printed table's rows compared with ref's rows as for "top" / "groups" above
#   raw    -> the pretty-printed events are the newest `limit` of ref's (tie-aware), and the status
#             line's "N events matched" is ref's count
SHELL_QUERIES = [
    {"id": "sh_login_count", "spl": "eventName=ConsoleLogin | stats count", "ref": "console_login", "kind": "count"},
    {"id": "sh_failed_top", "spl": [q for q in QUERIES if q["id"] == "failed_login_top"][0]["spl"],
     "ref": "failed_login_top", "kind": "top", "top": 10},
    {"id": "sh_stats_by_ip", "spl": "* | stats count by sourceIPAddress", "ref": "stats_by_ip", "kind": "groups"},
    # raw events, rendered as coloured pretty JSON; GetObject (not ConsoleLogin) because the harness
    # knows the newest 10,000 GetObject events (raw_10k) to check the five against
    {"id": "sh_raw_head5", "spl": "eventName=GetObject | head 5", "ref": "raw_10k", "kind": "raw", "limit": 5},
]
