#include "engine/hunt/sigma_rule.h"

#include <cctype>
#include <map>

#include "engine/hunt/rule_yaml.h"
#include "engine/hunt/sigma_condition.h"
#include "engine/hunt/spl_render.h"
#include "query/ast.h"

namespace cairn::engine {

using query::SearchNode;
using Kind = query::SearchNode::Kind;

namespace {

constexpr const char* kSigmaLicense =
    "Detection Rule License (DRL) 1.1, https://github.com/SigmaHQ/Detection-Rule-License";

// Thrown inside this file only, caught by ParseSigmaRule: what cannot be run, and where.
struct SigmaError {
  int line;
  std::string message;
};

std::unique_ptr<SearchNode> Group(Kind kind, std::vector<std::unique_ptr<SearchNode>> children) {
  if (children.size() == 1 && kind != Kind::kNot) return std::move(children[0]);
  auto n = std::make_unique<SearchNode>();
  n->kind = kind;
  n->children = std::move(children);
  return n;
}

std::unique_ptr<SearchNode> Not(std::unique_ptr<SearchNode> child) {
  std::vector<std::unique_ptr<SearchNode>> kids;
  kids.push_back(std::move(child));
  return Group(Kind::kNot, std::move(kids));
}

std::unique_ptr<SearchNode> Leaf(Kind kind, const std::string& field, const std::string& value) {
  auto n = std::make_unique<SearchNode>();
  n->kind = kind;
  n->field = field;
  n->value = value;
  return n;
}

// A Sigma string value read into pieces: literal characters and the wildcards `*` and `?`
// (`\*`, `\?`, `\\` are literals; a backslash before anything else is itself).
struct Piece {
  char c;
  bool wildcard;
};

std::vector<Piece> ReadPattern(const std::string& v) {
  std::vector<Piece> out;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\\' && i + 1 < v.size() && (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\')) {
      out.push_back({v[++i], false});
    } else if (c == '*' || c == '?') {
      if (c == '*' && !out.empty() && out.back().wildcard && out.back().c == '*') continue;
      out.push_back({c, true});
    } else {
      out.push_back({c, false});
    }
  }
  return out;
}

std::string RegexEscape(char c) {
  static const std::string special = "\\^$.|?*+()[]{}/";
  return special.find(c) != std::string::npos ? std::string("\\") + c : std::string(1, c);
}

// One value of `field` as a node: a pattern cairn's matcher takes (only `*` wildcards, no
// literal `*`), or else an anchored case-insensitive regular expression.
std::unique_ptr<SearchNode> PatternNode(const std::string& field, std::vector<Piece> pieces) {
  bool needs_regex = false;
  for (const Piece& p : pieces) needs_regex |= (p.wildcard && p.c == '?') || (!p.wildcard && p.c == '*');
  if (!needs_regex) {
    std::string value;
    for (const Piece& p : pieces) value.push_back(p.c);
    auto n = Leaf(Kind::kCompare, field, value);
    n->literal = true;
    n->object_text = true;
    return n;
  }
  std::string re = "(?is)^";
  for (const Piece& p : pieces) re += p.wildcard ? (p.c == '*' ? ".*" : ".") : RegexEscape(p.c);
  re += "$";
  return Leaf(Kind::kRegex, field, re);
}

std::string ScalarText(const YAML::Node& v) { return v.IsNull() ? "" : v.Scalar(); }

// The matches of one `field|modifiers: value(s)` entry.
std::unique_ptr<SearchNode> FieldMatch(const std::string& key, const YAML::Node& value) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t bar; (bar = key.find('|', start)) != std::string::npos; start = bar + 1)
    parts.push_back(key.substr(start, bar - start));
  parts.push_back(key.substr(start));
  const std::string field = parts[0];
  if (field.empty()) throw SigmaError{LineOf(value), "a detection key without a field name: '" + key + "'"};
  std::string transform, regex_flags, compare_op;
  bool all = false, cidr = false, exists = false, fieldref = false, is_re = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& m = parts[i];
    if (m == "contains" || m == "startswith" || m == "endswith") transform = m;
    else if (m == "all") all = true;
    else if (m == "re") is_re = true;
    else if (m == "i" || m == "m" || m == "s") regex_flags += m;
    else if (m == "cidr") cidr = true;
    else if (m == "exists") exists = true;
    else if (m == "fieldref") fieldref = true;
    else if (m == "lt" || m == "lte" || m == "gt" || m == "gte") compare_op = m;
    else
      throw SigmaError{LineOf(value), "the value modifier '|" + m + "' (in '" + key + "') is not supported by cairn"};
  }
  if (!regex_flags.empty() && !is_re)
    throw SigmaError{LineOf(value), "the modifier '|" + regex_flags + "' applies to '|re' only (in '" + key + "')"};

  std::vector<YAML::Node> values;
  if (value.IsSequence()) {
    for (const YAML::Node& v : value) values.push_back(v);
  } else {
    values.push_back(value);
  }
  std::vector<std::unique_ptr<SearchNode>> matches;
  for (const YAML::Node& v : values) {
    if (!v.IsScalar() && !v.IsNull())
      throw SigmaError{LineOf(v), "a value of '" + key + "' is a map or list; Sigma values are scalars"};
    const std::string text = ScalarText(v);
    if (exists) {
      bool want = text == "true" || text == "True" || text == "yes";
      auto present = Leaf(Kind::kCompare, field, "*");
      matches.push_back(want ? std::move(present) : Not(std::move(present)));
    } else if (v.IsNull() || (v.Tag() == "?" && text == "null") || text == "~") {
      matches.push_back(Not(Leaf(Kind::kCompare, field, "*")));
    } else if (fieldref) {
      matches.push_back(Leaf(Kind::kFieldRef, field, text));
    } else if (is_re) {
      std::string flags = regex_flags.empty() ? "" : "(?" + regex_flags + ")";
      matches.push_back(Leaf(Kind::kRegex, field, flags + text));
    } else if (cidr) {
      matches.push_back(Leaf(Kind::kCompare, field, text));
    } else if (!compare_op.empty()) {
      auto n = Leaf(Kind::kCompare, field, text);
      n->op = compare_op == "lt" ? query::CompareOp::kLt
              : compare_op == "lte" ? query::CompareOp::kLe
              : compare_op == "gt" ? query::CompareOp::kGt
                                   : query::CompareOp::kGe;
      matches.push_back(std::move(n));
    } else {
      std::vector<Piece> pieces = ReadPattern(text);
      if (transform == "contains" || transform == "endswith") pieces.insert(pieces.begin(), {'*', true});
      if (transform == "contains" || transform == "startswith") pieces.push_back({'*', true});
      // A wildcard next to an added one collapses, as in `contains: '*'`.
      std::vector<Piece> merged;
      for (const Piece& p : pieces)
        if (!(p.wildcard && p.c == '*' && !merged.empty() && merged.back().wildcard && merged.back().c == '*'))
          merged.push_back(p);
      matches.push_back(PatternNode(field, std::move(merged)));
    }
  }
  if (matches.empty()) throw SigmaError{LineOf(value), "'" + key + "' has an empty list of values"};
  return Group(all ? Kind::kAnd : Kind::kOr, std::move(matches));
}

// A selection: a map (every entry), a list of maps (any), or a list of keywords (any, as
// search terms in the raw text).
std::unique_ptr<SearchNode> Selection(const std::string& name, const YAML::Node& sel) {
  if (sel.IsMap()) {
    std::vector<std::unique_ptr<SearchNode>> all;
    for (const auto& kv : sel) all.push_back(FieldMatch(kv.first.Scalar(), kv.second));
    if (all.empty()) throw SigmaError{LineOf(sel), "the selection '" + name + "' is empty"};
    return Group(Kind::kAnd, std::move(all));
  }
  if (sel.IsSequence()) {
    std::vector<std::unique_ptr<SearchNode>> any;
    for (const YAML::Node& item : sel) {
      if (item.IsMap()) {
        any.push_back(Selection(name, item));
      } else if (item.IsScalar()) {
        auto term = std::make_unique<SearchNode>();
        term->kind = Kind::kTerm;
        term->value = item.Scalar();
        term->quoted = true;
        any.push_back(std::move(term));
      } else {
        throw SigmaError{LineOf(item), "the selection '" + name + "' holds a nested list"};
      }
    }
    if (any.empty()) throw SigmaError{LineOf(sel), "the selection '" + name + "' is empty"};
    return Group(Kind::kOr, std::move(any));
  }
  if (sel.IsScalar()) {
    auto term = std::make_unique<SearchNode>();
    term->kind = Kind::kTerm;
    term->value = sel.Scalar();
    term->quoted = true;
    return term;
  }
  throw SigmaError{LineOf(sel), "the selection '" + name + "' is neither a map nor a list"};
}

// The logsource as a restriction of the search: CloudTrail rules look at CloudTrail events.
std::unique_ptr<SearchNode> LogsourceFilter(const YAML::Node& logsource) {
  std::string product = ScalarOf(logsource["product"]), service = ScalarOf(logsource["service"]);
  static const std::map<std::string, std::string> kSourcetypes = {
      {"cloudtrail", "aws:cloudtrail"},
      {"guardduty", "aws:cloudwatch:guardduty"},
      {"vpcflow", "aws:cloudwatchlogs:vpcflow"},
      {"cloudfront", "aws:cloudfront:accesslogs"},
      {"s3", "aws:s3:accesslogs"},
  };
  if (product != "aws") return nullptr;
  auto it = kSourcetypes.find(service);
  if (it == kSourcetypes.end()) return nullptr;
  auto n = Leaf(Kind::kCompare, "sourcetype", it->second);
  n->literal = true;
  return n;
}

}  // namespace

bool LooksLikeSigma(const std::string& yaml) { return HasTopLevelKeys(yaml, {"detection:", "logsource:"}); }

bool ParseSigmaRule(const std::string& yaml, const std::string& file, HuntRule* rule, HuntProblem* problem) {
  problem->file = file;
  YAML::Node doc;
  if (!LoadYaml(yaml, &doc, problem)) return false;
  try {
    rule->kind = HuntKind::kSigma;
    rule->file = file;
    rule->title = ScalarOf(doc["title"]);
    rule->id = ScalarOf(doc["id"]);
    rule->description = ScalarOf(doc["description"]);
    rule->author = ScalarOf(doc["author"]);
    rule->level = ScalarOf(doc["level"]);
    rule->status = ScalarOf(doc["status"]);
    rule->tags = ScalarList(doc["tags"]);
    rule->references = ScalarList(doc["references"]);
    rule->license = doc["license"] ? ScalarOf(doc["license"]) : kSigmaLicense;
    const YAML::Node detection = doc["detection"];
    if (!detection || !detection.IsMap()) throw SigmaError{LineOf(doc), "the rule has no 'detection' map"};
    std::vector<SigmaSelection> selections;
    YAML::Node condition;
    for (const auto& kv : detection) {
      const std::string name = kv.first.Scalar();
      if (name == "condition") {
        condition = kv.second;
      } else if (name == "timeframe") {
        throw SigmaError{LineOf(kv.first), "'timeframe' (an aggregation window) is not supported by cairn"};
      } else {
        selections.push_back({name, Selection(name, kv.second)});
      }
    }
    if (!condition) throw SigmaError{LineOf(detection), "the detection has no 'condition'"};
    std::vector<std::string> conditions = ScalarList(condition);
    if (conditions.empty()) throw SigmaError{LineOf(condition), "the condition is not text"};
    std::vector<std::unique_ptr<SearchNode>> any;
    for (const std::string& c : conditions) {
      std::string error;
      std::unique_ptr<SearchNode> tree = CompileSigmaCondition(c, selections, &error);
      if (tree == nullptr) throw SigmaError{LineOf(condition), "condition '" + c + "': " + error};
      any.push_back(std::move(tree));
    }
    std::unique_ptr<SearchNode> search = Group(Kind::kOr, std::move(any));
    if (auto filter = LogsourceFilter(doc["logsource"])) {
      std::vector<std::unique_ptr<SearchNode>> both;
      both.push_back(std::move(filter));
      both.push_back(std::move(search));
      search = Group(Kind::kAnd, std::move(both));
    }
    rule->query = RenderSpl(*search);
    rule->search = std::shared_ptr<const SearchNode>(std::move(search));
    return true;
  } catch (const SigmaError& e) {
    problem->line = e.line;
    problem->message = e.message;
  } catch (const YAML::Exception& e) {
    problem->line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    problem->message = e.msg;
  }
  return false;
}

}  // namespace cairn::engine
