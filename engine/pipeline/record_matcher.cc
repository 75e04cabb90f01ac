#include "engine/pipeline/record_matcher.h"

#include "engine/search/phrase_match.h"
#include "query/value_match.h"
#include "storage/text.h"

namespace cairn::engine {

using query::CidrContains;
using query::GlobMatch;
using query::ParseCidr;
using storage::ParseNumber;

using query::CompareOp;
using query::SearchNode;

namespace {


bool ValueEquals(const SearchNode& n, const std::string& pattern, const std::string& value) {
  if (n.case_sensitive) return pattern.find('*') != std::string::npos ? GlobMatch(pattern, value) : pattern == value;
  if (pattern.find('*') == std::string::npos) {
    if (auto cidr = ParseCidr(pattern)) return CidrContains(*cidr, value);
    return storage::Fold(pattern) == storage::Fold(value);
  }
  return GlobMatch(storage::Fold(pattern), storage::Fold(value));
}

bool AnyEquals(const SearchNode& n, const std::string& pattern, const FieldCell* cell) {
  if (cell == nullptr) return false;
  for (const auto& v : *cell)
    if (ValueEquals(n, pattern, v)) return true;
  return false;
}

bool Compare(const SearchNode& n, const FieldCell* cell) {
  if (cell == nullptr || cell->empty()) return false;
  auto rhs = ParseNumber(n.value);
  for (const auto& v : *cell) {
    int c;
    auto lhs = rhs ? ParseNumber(v) : std::nullopt;
    if (rhs && lhs) c = *lhs < *rhs ? -1 : (*lhs > *rhs ? 1 : 0);
    else c = v.compare(n.value) < 0 ? -1 : (v.compare(n.value) > 0 ? 1 : 0);
    bool ok = (n.op == CompareOp::kLt && c < 0) || (n.op == CompareOp::kLe && c <= 0) ||
              (n.op == CompareOp::kGt && c > 0) || (n.op == CompareOp::kGe && c >= 0);
    if (ok) return true;
  }
  return false;
}

bool Term(const SearchNode& n, const Record& r) {
  if (n.value == "*") return true;
  std::string text;
  if (const FieldCell* raw = r.Get("_raw"); raw != nullptr && !raw->empty()) {
    text = (*raw)[0];
  } else {
    for (const auto& [name, cell] : r.fields())
      for (const auto& v : cell) text += v + " ";
  }
  if (n.case_sensitive) return ContainsPhrase(text, n.value);
  std::string folded = storage::Fold(text), needle = storage::Fold(n.value);
  if (needle.find('*') != std::string::npos) {
    bool hit = false;
    storage::ForEachTerm(folded, [&](std::string_view t) { hit = hit || GlobMatch(needle, t); });
    return hit;
  }
  return ContainsPhrase(folded, needle);
}

}  // namespace

bool MatchesRecord(const SearchNode& n, const Record& r) {
  switch (n.kind) {
    case SearchNode::Kind::kAnd:
      for (const auto& c : n.children)
        if (!MatchesRecord(*c, r)) return false;
      return true;
    case SearchNode::Kind::kOr:
      for (const auto& c : n.children)
        if (MatchesRecord(*c, r)) return true;
      return false;
    case SearchNode::Kind::kNot:
      return !MatchesRecord(*n.children[0], r);
    case SearchNode::Kind::kTerm:
      return Term(n, r);
    case SearchNode::Kind::kIn: {
      const FieldCell* cell = r.Get(n.field);
      for (const auto& v : n.values)
        if (AnyEquals(n, v, cell)) return true;
      return false;
    }
    case SearchNode::Kind::kCompare: {
      const FieldCell* cell = r.Get(n.field);
      bool present = cell != nullptr && !cell->empty();
      switch (n.op) {
        case CompareOp::kEq:
          if (n.value == "*" && !n.case_sensitive) return present;
          return AnyEquals(n, n.value, cell);
        case CompareOp::kNe:
          if (n.value == "*") return false;
          return present && !AnyEquals(n, n.value, cell);
        default:
          return Compare(n, cell);
      }
    }
  }
  return false;
}

}  // namespace cairn::engine
