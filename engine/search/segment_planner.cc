#include "engine/search/segment_planner.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace cairn::engine {

using query::Predicate;
using query::PredicateKind;

namespace {

const char* AccessName(Access a) {
  switch (a) {
    case Access::kAll:
      return "all rows in range";
    case Access::kNone:
      return "no rows";
    case Access::kIntersect:
      return "intersection";
    case Access::kUnion:
      return "union";
    case Access::kComplement:
      return "complement within the candidates";
    case Access::kPresence:
      return "presence bitmap";
    case Access::kPresenceMinus:
      return "presence minus";
    case Access::kValueLookup:
      return "value lookup";
    case Access::kPrefixRange:
      return "dictionary prefix range";
    case Access::kPatternScan:
      return "dictionary scan for the pattern";
    case Access::kCidrScan:
      return "dictionary scan for the CIDR block";
    case Access::kNumericRange:
      return "numeric index range";
    case Access::kLexicalScan:
      return "dictionary scan, comparing";
    case Access::kTermLookup:
      return "term lookup";
    case Access::kTermInside:
      return "term dictionary scan";
    case Access::kTermPattern:
      return "term dictionary scan for the pattern";
    case Access::kRawCheck:
      return "term lookups, then raw-text check";
    case Access::kRegexScan:
      return "dictionary scan for the regex";
    case Access::kRawFieldCheck:
      return "presence bitmap, then each raw event's JSON";
    case Access::kEvalCheck:
      return "each candidate's fields decoded, the field computed";
  }
  return "?";
}

uint64_t FieldRows(SegmentContext& seg, const std::vector<int>& fields) {
  uint64_t n = 0;
  for (int f : fields) n += seg.reader().field(f).rows_present;
  return std::min<uint64_t>(n, seg.reader().rows());
}

// The access for a field value match (f=v, an element of IN, the child of f!=v).
Access ValueAccess(const Predicate& p) {
  switch (p.kind) {
    case PredicateKind::kFieldPresent:
      return Access::kPresence;
    case PredicateKind::kFieldCidr:
      return Access::kCidrScan;
    case PredicateKind::kFieldRegex:
      return Access::kRegexScan;
    case PredicateKind::kFieldRef:
    case PredicateKind::kObjectText:
      return Access::kRawFieldCheck;
    case PredicateKind::kFieldEquals:
      return Access::kValueLookup;
    case PredicateKind::kFieldPattern: {
      size_t star = p.folded.find('*');
      bool pure_prefix = star == p.folded.size() - 1;
      return pure_prefix && !p.case_sensitive ? Access::kPrefixRange : Access::kPatternScan;
    }
    default:
      return Access::kNone;
  }
}

// Terms and `*` are answered from the term index (or the raw text), whatever the fields.
std::optional<Access> TermAccess(PredicateKind kind) {
  switch (kind) {
    case PredicateKind::kAll:
      return Access::kAll;
    case PredicateKind::kToken:
    case PredicateKind::kWholeTerm:
      return Access::kTermLookup;
    case PredicateKind::kTokenInside:
      return Access::kTermInside;
    case PredicateKind::kTokenPattern:
      return Access::kTermPattern;
    case PredicateKind::kPhrase:
      return Access::kRawCheck;
    default:
      return std::nullopt;
  }
}

}  // namespace

PhysicalNode PlanSegment(const Predicate& p, SegmentContext& seg) {
  PhysicalNode node;
  node.predicate = &p;
  const uint64_t rows = seg.reader().rows();
  if (std::optional<Access> term = TermAccess(p.kind)) {
    node.access = *term;
    node.estimate = rows;
    return node;
  }
  switch (p.kind) {
    case PredicateKind::kAnd: {
      node.access = Access::kIntersect;
      node.estimate = rows;
      for (const auto& c : p.children) {
        node.children.push_back(PlanSegment(*c, seg));
        node.estimate = std::min(node.estimate, node.children.back().estimate);
      }
      // A branch that can match nothing here runs first (the AND then stops); index
      // lookups keep the query's order, since a lookup costs the same whatever ran before
      // it; branches that read raw text run last, fewest candidates first, on the rows the
      // others left.
      auto rank = [](const PhysicalNode& n) {
        if (query::ReadsRawText(*n.predicate)) return 2;
        return n.estimate == 0 ? 0 : 1;
      };
      std::stable_sort(node.children.begin(), node.children.end(),
                       [&](const PhysicalNode& a, const PhysicalNode& b) {
                         int ra = rank(a), rb = rank(b);
                         if (ra != rb) return ra < rb;
                         return ra == 2 && a.estimate < b.estimate;
                       });
      return node;
    }
    case PredicateKind::kOr: {
      node.access = Access::kUnion;
      for (const auto& c : p.children) {
        node.children.push_back(PlanSegment(*c, seg));
        node.estimate += node.children.back().estimate;
      }
      node.estimate = std::min(node.estimate, rows);
      return node;
    }
    case PredicateKind::kNot:
      node.access = Access::kComplement;
      node.children.push_back(PlanSegment(*p.children[0], seg));
      node.estimate = rows;
      return node;
    case PredicateKind::kNone:
    case PredicateKind::kFieldNever:
      node.access = Access::kNone;
      return node;
    case PredicateKind::kEvalMatch:
      // Any row may compute a value (from constants, or fields it lacks): the candidates
      // are whatever the branches before it left.
      node.access = Access::kEvalCheck;
      node.estimate = rows;
      for (const std::string& name : p.eval->reads)
        if (int f = seg.reader().FindField(name); f >= 0) node.fields.push_back(f);
      return node;
    default:
      break;
  }
  // Field predicates: the segment's fields the names denote.
  for (const std::string& name : p.fields) {
    int f = seg.reader().FindField(name);
    if (f >= 0) node.fields.push_back(f);
  }
  node.estimate = FieldRows(seg, node.fields);
  if (node.fields.empty()) {
    node.access = Access::kNone;
    return node;
  }
  switch (p.kind) {
    case PredicateKind::kFieldNotEquals: {
      node.access = Access::kPresenceMinus;
      PhysicalNode match;
      match.predicate = p.children[0].get();
      match.fields = node.fields;
      match.access = ValueAccess(*match.predicate);
      match.estimate = node.estimate;
      node.children.push_back(std::move(match));
      return node;
    }
    case PredicateKind::kFieldCompare: {
      bool numeric_index = false;
      for (int f : node.fields) {
        if (seg.reader().IsNumeric(f)) {  // its values are the numbers
          numeric_index = true;
          continue;
        }
        auto d = seg.reader().GetDictionary(f);
        numeric_index |= d.ok() && d.value()->has_numeric_index();
      }
      node.access = p.number && numeric_index ? Access::kNumericRange : Access::kLexicalScan;
      return node;
    }
    default:
      node.access = ValueAccess(p);
      return node;
  }
}

std::string DescribePhysicalPlan(const PhysicalNode& n, int depth) {
  std::string label = std::string(static_cast<size_t>(depth) * 2, ' ');
  const Predicate& p = *n.predicate;
  bool logical =
      p.kind == PredicateKind::kAnd || p.kind == PredicateKind::kOr || p.kind == PredicateKind::kNot;
  label += logical ? std::string(AccessName(n.access)) : p.text + "  " + AccessName(n.access);
  if (!n.detail.empty()) label += ", " + n.detail;
  char line[640];
  if (n.ran) {
    std::snprintf(line, sizeof line, "%-64s est=%-9llu rows=%-9llu %8.3f ms\n", label.c_str(),
                  static_cast<unsigned long long>(n.estimate), static_cast<unsigned long long>(n.rows),
                  static_cast<double>(n.nanos) / 1e6);
  } else {
    std::snprintf(line, sizeof line, "%-64s est=%-9llu (not run: an earlier branch left no rows)\n",
                  label.c_str(), static_cast<unsigned long long>(n.estimate));
  }
  std::string out = line;
  for (const PhysicalNode& c : n.children) out += DescribePhysicalPlan(c, depth + 1);
  return out;
}

}  // namespace cairn::engine
