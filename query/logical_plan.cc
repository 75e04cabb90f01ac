#include "query/logical_plan.h"

namespace cairn::query {

namespace {

const char* KindName(PredicateKind kind) {
  switch (kind) {
    case PredicateKind::kAnd:
      return "AND";
    case PredicateKind::kOr:
      return "OR";
    case PredicateKind::kNot:
      return "NOT";
    case PredicateKind::kAll:
      return "all events";
    case PredicateKind::kNone:
      return "no event (no token)";
    case PredicateKind::kToken:
      return "token";
    case PredicateKind::kTokenInside:
      return "token with minor breakers";
    case PredicateKind::kTokenPattern:
      return "token pattern";
    case PredicateKind::kWholeTerm:
      return "whole term";
    case PredicateKind::kPhrase:
      return "phrase in the raw text";
    case PredicateKind::kFieldPresent:
      return "field present";
    case PredicateKind::kFieldNever:
      return "never (f!=*)";
    case PredicateKind::kFieldEquals:
      return "field equals";
    case PredicateKind::kFieldPattern:
      return "field matches pattern";
    case PredicateKind::kFieldCidr:
      return "field in CIDR block";
    case PredicateKind::kFieldCompare:
      return "field compares";
    case PredicateKind::kFieldNotEquals:
      return "field present and not";
    case PredicateKind::kFieldRegex:
      return "field matches regex";
    case PredicateKind::kFieldRef:
      return "field equals field";
    case PredicateKind::kObjectText:
      return "object's JSON text matches pattern";
    case PredicateKind::kEvalMatch:
      return "calculated field";
  }
  return "?";
}

const char* OpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

void Describe(const Predicate& p, int depth, std::string* out) {
  std::string line(static_cast<size_t>(depth) * 2, ' ');
  line += KindName(p.kind);
  switch (p.kind) {
    case PredicateKind::kAnd:
    case PredicateKind::kOr:
    case PredicateKind::kNot:
    case PredicateKind::kAll:
      break;
    case PredicateKind::kToken:
    case PredicateKind::kTokenPattern:
    case PredicateKind::kWholeTerm:
    case PredicateKind::kNone:
      line += " '" + p.folded + "'";
      break;
    case PredicateKind::kTokenInside:
    case PredicateKind::kPhrase: {
      line += " '" + (p.case_sensitive ? p.value : p.folded) + "'" +
              (p.case_sensitive ? " (case-sensitive)" : "");
      line += ", candidates by the terms";
      for (const std::string& part : p.parts) line += " '" + part + "'";
      break;
    }
    default: {
      line += " " + p.field;
      if (p.kind == PredicateKind::kFieldCompare) line += std::string(" ") + OpText(p.op) + " " + p.value;
      if (p.kind == PredicateKind::kFieldCompare) line += p.number ? " (numeric)" : " (lexical)";
      if (p.kind == PredicateKind::kFieldEquals || p.kind == PredicateKind::kFieldPattern)
        line += " '" + (p.case_sensitive ? p.value : p.folded) + "'" +
                (p.case_sensitive ? " (case-sensitive)" : "");
      if (p.kind == PredicateKind::kFieldCidr || p.kind == PredicateKind::kFieldRef) line += " " + p.value;
      if (p.kind == PredicateKind::kFieldRegex) line += " /" + p.value + "/";
      if (p.kind == PredicateKind::kObjectText) line += " '" + p.folded + "'";
      if (p.kind == PredicateKind::kEvalMatch) {
        line += " = " + p.eval->text + ", each candidate's fields read, then:";
        break;
      }
      if (p.fields.empty()) {
        line += "  [no such field]";
      } else if (p.fields.size() > 1 || p.fields[0] != p.field) {
        line += "  [fields:";
        for (const std::string& f : p.fields) line += " " + f;
        line += "]";
      }
      break;
    }
  }
  *out += line + "\n";
  for (const auto& c : p.children) Describe(*c, depth + 1, out);
}

}  // namespace

bool ReadsRawText(const Predicate& p) {
  if (p.kind == PredicateKind::kPhrase || p.kind == PredicateKind::kFieldRef ||
      p.kind == PredicateKind::kObjectText || p.kind == PredicateKind::kEvalMatch)
    return true;
  for (const auto& c : p.children)
    if (ReadsRawText(*c)) return true;
  return false;
}

std::string DescribePlan(const LogicalPlan& plan) {
  std::string out;
  if (plan.search == nullptr) return "  all events in the range\n";
  Describe(*plan.search, 1, &out);
  return out;
}

}  // namespace cairn::query
