#include "engine/pipeline/record_matcher.h"

#include <algorithm>

#include "engine/config/search_time_fields.h"
#include "engine/eval/evaluator.h"
#include "engine/eval/json_path.h"
#include "engine/eval/regex_cache.h"
#include "engine/search/phrase_match.h"
#include "query/value_match.h"
#include "storage/text.h"

namespace cairn::engine {

using query::CidrContains;
using query::CompareOp;
using query::GlobMatch;
using query::Predicate;
using query::PredicateKind;
using storage::ParseNumber;

namespace {

// One value against f=v, f=a*b or f=CIDR.
bool ValueMatches(const Predicate& p, const std::string& value) {
  switch (p.kind) {
    case PredicateKind::kFieldPresent:
      return true;
    case PredicateKind::kFieldCidr:
      return CidrContains(*p.cidr, value);
    case PredicateKind::kFieldPattern:
      return p.case_sensitive ? GlobMatch(p.value, value) : GlobMatch(p.folded, storage::Fold(value));
    case PredicateKind::kFieldEquals:
      return p.case_sensitive ? value == p.value : storage::Fold(value) == p.folded;
    default:
      return false;
  }
}

bool AnyMatches(const Predicate& p, const FieldCell* cell) {
  if (cell == nullptr) return false;
  for (const auto& v : *cell)
    if (ValueMatches(p, v)) return true;
  return false;
}

bool Compare(const Predicate& p, const FieldCell* cell) {
  if (cell == nullptr) return false;
  for (const auto& v : *cell) {
    int c;
    auto lhs = p.number ? ParseNumber(v) : std::nullopt;
    if (p.number && lhs)
      c = *lhs < *p.number ? -1 : (*lhs > *p.number ? 1 : 0);
    else
      c = v.compare(p.value) < 0 ? -1 : (v.compare(p.value) > 0 ? 1 : 0);
    bool ok = (p.op == CompareOp::kLt && c < 0) || (p.op == CompareOp::kLe && c <= 0) ||
              (p.op == CompareOp::kGt && c > 0) || (p.op == CompareOp::kGe && c >= 0);
    if (ok) return true;
  }
  return false;
}

// The text terms are matched against: _raw, or the values of a row made by a command.
std::string RecordText(const Record& r) {
  if (const FieldCell* raw = r.Get("_raw"); raw != nullptr && !raw->empty()) return (*raw)[0];
  std::string text;
  for (const auto& [name, cell] : r.fields())
    for (const auto& v : cell) text += v + " ";
  return text;
}

// `text` has `segment` as one whole major segment (TERM()).
bool HasMajorSegment(std::string_view text, std::string_view segment) {
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && storage::IsMajorBreaker(text[i])) ++i;
    size_t start = i;
    while (i < n && !storage::IsMajorBreaker(text[i])) ++i;
    if (i > start && text.substr(start, i - start) == segment) return true;
  }
  return false;
}

bool Term(const Predicate& p, const Record& r) {
  std::string text = RecordText(r);
  if (p.kind == PredicateKind::kPhrase && p.case_sensitive) return ContainsPhrase(text, p.value);
  std::string folded = storage::Fold(text);
  bool hit = false;
  switch (p.kind) {
    case PredicateKind::kTokenPattern:
      storage::ForEachTerm(folded, [&](std::string_view t) { hit = hit || GlobMatch(p.folded, t); });
      return hit;
    case PredicateKind::kWholeTerm:
      return HasMajorSegment(folded, p.folded);
    default:
      return ContainsPhrase(folded, p.folded);
  }
}

}  // namespace

bool MatchesRecord(const Predicate& p, const Record& r) {
  switch (p.kind) {
    case PredicateKind::kAnd:
      for (const auto& c : p.children)
        if (!MatchesRecord(*c, r)) return false;
      return true;
    case PredicateKind::kOr:
      for (const auto& c : p.children)
        if (MatchesRecord(*c, r)) return true;
      return false;
    case PredicateKind::kNot:
      return !MatchesRecord(*p.children[0], r);
    case PredicateKind::kAll:
      return true;
    case PredicateKind::kNone:
    case PredicateKind::kFieldNever:
      return false;
    case PredicateKind::kToken:
    case PredicateKind::kTokenInside:
    case PredicateKind::kTokenPattern:
    case PredicateKind::kWholeTerm:
    case PredicateKind::kPhrase:
      return Term(p, r);
    case PredicateKind::kFieldPresent:
    case PredicateKind::kFieldEquals:
    case PredicateKind::kFieldPattern:
    case PredicateKind::kFieldCidr: {
      const FieldCell* cell = r.Get(p.field);
      return p.kind == PredicateKind::kFieldPresent ? cell != nullptr && !cell->empty() : AnyMatches(p, cell);
    }
    case PredicateKind::kFieldNotEquals: {
      const FieldCell* cell = r.Get(p.field);
      return cell != nullptr && !cell->empty() && !AnyMatches(*p.children[0], cell);
    }
    case PredicateKind::kFieldCompare:
      return Compare(p, r.Get(p.field));
    case PredicateKind::kFieldRegex: {
      std::string error;
      std::unique_ptr<EvalRegex> re = EvalRegex::Compile(p.value, &error);
      const FieldCell* cell = r.Get(p.field);
      if (re == nullptr || cell == nullptr) return false;
      for (const auto& v : *cell)
        if (re->Matches(v)) return true;
      return false;
    }
    case PredicateKind::kFieldRef: {
      const FieldCell* left = r.Get(p.field);
      const FieldCell* right = r.Get(p.value);
      if (left == nullptr || right == nullptr) return false;
      for (const auto& l : *left)
        for (const auto& v : *right)
          if (storage::Fold(l) == storage::Fold(v)) return true;
      return false;
    }
    case PredicateKind::kEvalMatch: {
      EvalContext ctx;
      Record computed;
      computed.Set(p.eval->field, ComputeSearchEval(*p.eval, r, &ctx));
      return MatchesRecord(*p.children[0], computed);
    }
    case PredicateKind::kObjectText: {
      const FieldCell* raw = r.Get("_raw");
      if (raw == nullptr || raw->empty()) return false;
      auto values = JsonPathValues((*raw)[0], p.field);
      if (!values) return false;
      for (const auto& v : *values)
        if (GlobMatch(p.folded, storage::Fold(v))) return true;
      return false;
    }
  }
  return false;
}

void CollectPredicateFields(const Predicate& p, std::vector<std::string>* fields) {
  auto add = [fields](const std::string& name) {
    if (std::find(fields->begin(), fields->end(), name) == fields->end()) fields->push_back(name);
  };
  switch (p.kind) {
    case PredicateKind::kToken:
    case PredicateKind::kTokenInside:
    case PredicateKind::kTokenPattern:
    case PredicateKind::kWholeTerm:
    case PredicateKind::kPhrase:
    case PredicateKind::kObjectText:
      add("_raw");
      break;
    case PredicateKind::kFieldRef:
      add(p.field);
      add(p.value);
      break;
    case PredicateKind::kEvalMatch:
      for (const std::string& name : p.eval->reads) add(name);
      return;  // the child reads the computed field, not the record's
    case PredicateKind::kFieldPresent:
    case PredicateKind::kFieldEquals:
    case PredicateKind::kFieldPattern:
    case PredicateKind::kFieldCidr:
    case PredicateKind::kFieldNotEquals:
    case PredicateKind::kFieldCompare:
    case PredicateKind::kFieldRegex:
      add(p.field);
      break;
    default:
      break;
  }
  for (const auto& c : p.children) CollectPredicateFields(*c, fields);
}

}  // namespace cairn::engine
