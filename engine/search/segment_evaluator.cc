#include "engine/search/segment_evaluator.h"

#include <chrono>
#include <limits>

#include "engine/search/phrase_match.h"
#include "engine/search/text_scan.h"
#include "engine/search/value_match.h"
#include "storage/text.h"

namespace cairn::engine {

using query::CompareOp;
using query::SearchNode;
using storage::Status;

namespace {

bool HasWildcard(std::string_view s) { return s.find('*') != std::string_view::npos; }

// The parts of a folded search value split at major and minor breakers.
std::vector<std::string> SplitParts(std::string_view text) {
  std::vector<std::string> parts;
  storage::ForEachPart(text, [&](std::string_view part) { parts.emplace_back(part); });
  return parts;
}

using storage::IsBreaker;

// A term checked against the raw text: CASE(), or a phrase holding a major breaker (a
// space, a quote, ...), which may span fields. Terms of minor-broken parts lie inside one
// index term and are answered from the term index.
bool IsRawPhrase(const SearchNode& term) {
  if (term.whole_term || term.value == "*" || HasWildcard(term.value)) return false;
  if (term.case_sensitive) return true;
  for (char c : term.value)
    if (storage::IsMajorBreaker(c)) return true;
  return false;
}

// True if answering `node` reads raw text somewhere below it.
bool NeedsRawText(const SearchNode& node) {
  if (node.kind == SearchNode::Kind::kTerm) return IsRawPhrase(node);
  for (const auto& child : node.children)
    if (NeedsRawText(*child)) return true;
  return false;
}

}  // namespace

Status SegmentEvaluator::Eval(const SearchNode& node, Roaring* out) { return Eval(node, universe_, out); }

Status SegmentEvaluator::Eval(const SearchNode& node, const Roaring& within, Roaring* out) {
  auto start = std::chrono::steady_clock::now();
  std::string method;
  Status s = EvalNode(node, within, out, &method);
  if (!s.ok()) return s;
  *out &= within;
  if (stats_ != nullptr) {
    NodeStats& st = (*stats_)[&node];
    st.rows += out->cardinality();
    st.nanos += static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    if (st.method.empty()) st.method = method;
  }
  return Status::OK();
}

Status SegmentEvaluator::EvalNode(const SearchNode& node, const Roaring& within, Roaring* out, std::string* method) {
  switch (node.kind) {
    case SearchNode::Kind::kAnd: {
      // Index lookups first; branches that read raw text then check only the rows the
      // others left. Only the cost changes with the order, never the answer.
      std::vector<const SearchNode*> order;
      for (const auto& child : node.children) order.push_back(child.get());
      std::stable_partition(order.begin(), order.end(), [](const SearchNode* c) { return !NeedsRawText(*c); });
      *method = "intersection";
      *out = within;
      for (const SearchNode* child : order) {
        Roaring r;
        Status s = Eval(*child, *out, &r);
        if (!s.ok()) return s;
        *out = std::move(r);
        if (out->isEmpty()) break;
      }
      return Status::OK();
    }
    case SearchNode::Kind::kOr: {
      *method = "union";
      for (const auto& child : node.children) {
        Roaring r;
        Status s = Eval(*child, within, &r);
        if (!s.ok()) return s;
        *out |= r;
      }
      return Status::OK();
    }
    case SearchNode::Kind::kNot: {
      *method = "complement within the candidates";
      Roaring r;
      Status s = Eval(*node.children[0], within, &r);
      if (!s.ok()) return s;
      *out = within - r;
      return Status::OK();
    }
    case SearchNode::Kind::kTerm:
      return Term(node, within, out, method);
    case SearchNode::Kind::kCompare:
      return Compare(node, node.value, out, method);
    case SearchNode::Kind::kIn: {
      const std::vector<int>& fields = ctx_->ResolveField(node.field);
      *method = "union of " + std::to_string(node.values.size()) + " value lookups";
      for (const std::string& v : node.values) {
        std::string m;
        Status s = Equal(fields, v, false, out, &m);
        if (!s.ok()) return s;
      }
      return Status::OK();
    }
  }
  return Status::OK();
}

Status SegmentEvaluator::Presence(const std::vector<int>& fields, Roaring* out) {
  for (int f : fields) {
    auto p = ctx_->reader().GetPresence(f);
    if (!p.ok()) return p.status();
    *out |= *p.value();
  }
  return Status::OK();
}

Status SegmentEvaluator::Equal(const std::vector<int>& fields, const std::string& value, bool case_sensitive,
                               Roaring* out, std::string* method) {
  if (value == "*" && !case_sensitive) {
    *method = "presence bitmap";
    return Presence(fields, out);
  }
  std::string folded = storage::Fold(value);
  std::optional<Cidr> cidr = HasWildcard(value) ? std::nullopt : ParseCidr(value);
  uint64_t matched_values = 0;
  for (int f : fields) {
    auto d = ctx_->reader().GetDictionary(f);
    if (!d.ok()) return d.status();
    auto p = ctx_->reader().GetPostings(f);
    if (!p.ok()) return p.status();
    const storage::Dictionary& dict = *d.value();
    const storage::PostingsView& postings = *p.value();
    if (cidr) {
      *method = "dictionary scan for CIDR " + value;
      for (uint32_t c = 0; c < dict.size(); ++c) {
        if (CidrContains(*cidr, dict.text(c))) {
          if (Status st = postings.AddTo(c, out); !st.ok()) return st;
          ++matched_values;
        }
      }
      continue;
    }
    if (!HasWildcard(folded)) {
      auto [lo, hi] = dict.EqualRange(folded);
      *method = "value lookup";
      for (uint32_t c = lo; c < hi; ++c) {
        if (case_sensitive && dict.text(c) != value) continue;
        if (Status st = postings.AddTo(c, out); !st.ok()) return st;
        ++matched_values;
      }
      continue;
    }
    size_t star = folded.find('*');
    std::string prefix = folded.substr(0, star);
    auto [lo, hi] = dict.PrefixRange(prefix);
    bool pure_prefix = star == folded.size() - 1;
    *method = pure_prefix ? "dictionary prefix range" : (prefix.empty() ? "dictionary scan" : "dictionary prefix range + scan");
    if (pure_prefix && !case_sensitive) {
      if (Status st = postings.AddRangeTo(lo, hi, out); !st.ok()) return st;
      matched_values += hi - lo;
      continue;
    }
    for (uint32_t c = lo; c < hi; ++c) {
      std::string_view text = dict.text(c);
      bool ok = case_sensitive ? GlobMatch(value, text) : GlobMatch(folded, storage::Fold(text));
      if (ok) {
        if (Status st = postings.AddTo(c, out); !st.ok()) return st;
        ++matched_values;
      }
    }
  }
  *method += ", " + std::to_string(matched_values) + " value" + (matched_values == 1 ? "" : "s");
  return Status::OK();
}

Status SegmentEvaluator::Compare(const SearchNode& node, const std::string& value, Roaring* out,
                                 std::string* method) {
  const std::vector<int>& fields = ctx_->ResolveField(node.field);
  switch (node.op) {
    case CompareOp::kEq:
      return Equal(fields, value, node.case_sensitive, out, method);
    case CompareOp::kNe: {
      if (value == "*") {
        *method = "never matches (f!=*)";
        return Status::OK();
      }
      Roaring present, eq;
      Status s = Presence(fields, &present);
      if (!s.ok()) return s;
      s = Equal(fields, value, node.case_sensitive, &eq, method);
      if (!s.ok()) return s;
      *method = "presence minus " + *method;
      *out = present - eq;
      return Status::OK();
    }
    default:
      break;
  }
  std::optional<double> rhs = ParseNumber(value);
  uint64_t matched_values = 0;
  bool used_numeric_index = false;
  for (int f : fields) {
    auto d = ctx_->reader().GetDictionary(f);
    if (!d.ok()) return d.status();
    auto p = ctx_->reader().GetPostings(f);
    if (!p.ok()) return p.status();
    const storage::Dictionary& dict = *d.value();
    std::vector<uint32_t> codes;  // of the values that compare true
    // Numbers against a number: a range of the dictionary's numeric index; the other
    // values compare as text below.
    std::vector<bool> numeric;
    if (rhs && dict.has_numeric_index()) {
      const double inf = std::numeric_limits<double>::infinity();
      bool below = node.op == CompareOp::kLt || node.op == CompareOp::kLe;
      bool inclusive = node.op == CompareOp::kLe || node.op == CompareOp::kGe;
      auto [first, last] = below ? dict.NumericRange(-inf, true, *rhs, inclusive)
                                 : dict.NumericRange(*rhs, inclusive, inf, true);
      used_numeric_index = true;
      numeric.assign(dict.size(), false);
      for (uint32_t i = 0; i < dict.numeric_count(); ++i) numeric[dict.numeric_code(i)] = true;
      for (uint32_t i = first; i < last; ++i) codes.push_back(dict.numeric_code(i));
    }
    for (uint32_t c = 0; c < dict.size(); ++c) {
      if (!numeric.empty() && numeric[c]) continue;
      std::string_view text = dict.text(c);
      int cmp;
      std::optional<double> lhs = rhs && numeric.empty() ? ParseNumber(text) : std::nullopt;
      if (rhs && lhs) {
        cmp = *lhs < *rhs ? -1 : (*lhs > *rhs ? 1 : 0);
      } else {
        int r = text.compare(value);
        cmp = r < 0 ? -1 : (r > 0 ? 1 : 0);
      }
      bool ok = (node.op == CompareOp::kLt && cmp < 0) || (node.op == CompareOp::kLe && cmp <= 0) ||
                (node.op == CompareOp::kGt && cmp > 0) || (node.op == CompareOp::kGe && cmp >= 0);
      if (ok) codes.push_back(c);
    }
    // Wide ranges match thousands of values: their rows go in at once.
    if (Status st = p.value()->AddCodesTo(codes, out); !st.ok()) return st;
    matched_values += codes.size();
  }
  *method = std::string(used_numeric_index ? "numeric index range and text comparison of the rest"
                                            : rhs ? "dictionary scan, numeric comparison"
                                                  : "dictionary scan, lexical comparison") +
            ", " + std::to_string(matched_values) + " values";
  return Status::OK();
}

Status SegmentEvaluator::TokenRows(std::string_view token, Roaring* out, bool inside_terms) {
  storage::SegmentReader& seg = ctx_->reader();
  int tf = seg.terms_field();
  if (tf >= 0 && inside_terms) {
    // The token may sit inside a longer indexed term, between minor breakers.
    Status st = ScanField(tf, token, out);
    if (!st.ok()) return st;
  } else if (tf >= 0) {
    auto d = seg.GetDictionary(tf);
    if (!d.ok()) return d.status();
    auto p = seg.GetPostings(tf);
    if (!p.ok()) return p.status();
    auto [lo, hi] = d.value()->EqualRange(token);
    if (Status st = p.value()->AddRangeTo(lo, hi, out); !st.ok()) return st;
  }
  // High-cardinality fields keep their values out of the term index: scan them, unless a
  // byte of the token never occurs in the field (a word in a field of UUIDs) or the field's
  // term filter lacks one of the token's parts.
  std::vector<std::string> parts = SplitParts(token);
  for (int f : ctx_->HighCardinalityFields()) {
    const auto set = seg.field(f).byte_set;
    bool possible = true;
    for (unsigned char c : token) possible &= ((set[c >> 6] >> (c & 63)) & 1) != 0;
    if (!possible) continue;
    auto may = seg.MayHoldParts(f, parts);
    if (!may.ok()) return may.status();
    if (!may.value()) continue;
    Status st = ScanField(f, token, out);
    if (!st.ok()) return st;
  }
  return Status::OK();
}

Status SegmentEvaluator::ScanField(int field, std::string_view phrase, Roaring* out) {
  storage::SegmentReader& seg = ctx_->reader();
  auto d = seg.GetDictionary(field);
  if (!d.ok()) return d.status();
  auto p = seg.GetPostings(field);
  if (!p.ok()) return p.status();
  const storage::Dictionary& dict = *d.value();
  std::string_view hay = dict.all_text();
  size_t pos = 0;
  while ((pos = FindFolded(hay, phrase, pos)) != std::string::npos) {
    uint32_t code = dict.CodeAt(static_cast<uint32_t>(pos));
    uint32_t begin = dict.offset(code), end = dict.offset(code + 1);
    size_t tend = pos + phrase.size();
    bool left = pos == begin || IsBreaker(hay[pos - 1]) || IsBreaker(phrase.front());
    bool right = tend == end || (tend < end && (IsBreaker(hay[tend]) || IsBreaker(phrase.back())));
    if (tend <= end && left && right) {
      if (Status st = p.value()->AddTo(code, out); !st.ok()) return st;
      pos = end > pos + 1 ? end : pos + 1;  // one hit per value is enough
    } else {
      ++pos;
    }
  }
  return Status::OK();
}

Status SegmentEvaluator::WildcardTermRows(std::string_view pattern, Roaring* out) {
  storage::SegmentReader& seg = ctx_->reader();
  int tf = seg.terms_field();
  size_t star = pattern.find('*');
  std::string prefix(pattern.substr(0, star));
  if (tf >= 0) {
    auto d = seg.GetDictionary(tf);
    if (!d.ok()) return d.status();
    auto p = seg.GetPostings(tf);
    if (!p.ok()) return p.status();
    auto [lo, hi] = d.value()->PrefixRange(prefix);
    for (uint32_t c = lo; c < hi; ++c) {
      if (!GlobMatch(pattern, d.value()->text(c))) continue;
      if (Status st = p.value()->AddTo(c, out); !st.ok()) return st;
    }
  }
  for (int f : ctx_->HighCardinalityFields()) {
    auto d = seg.GetDictionary(f);
    if (!d.ok()) return d.status();
    auto p = seg.GetPostings(f);
    if (!p.ok()) return p.status();
    for (uint32_t c = 0; c < d.value()->size(); ++c) {
      bool hit = false;
      storage::ForEachTerm(d.value()->text(c), [&](std::string_view t) {
        if (!hit && GlobMatch(pattern, t)) hit = true;
      });
      if (!hit) continue;
      if (Status st = p.value()->AddTo(c, out); !st.ok()) return st;
    }
  }
  return Status::OK();
}

Status SegmentEvaluator::Term(const SearchNode& node, const Roaring& within, Roaring* out, std::string* method) {
  const std::string& value = node.value;
  if (value == "*") {
    *method = "all events";
    *out = within;
    return Status::OK();
  }
  std::string folded = storage::Fold(value);
  if (HasWildcard(folded)) {
    *method = "term dictionary scan for pattern";
    return WildcardTermRows(folded, out);
  }
  if (node.whole_term) {
    *method = "term lookup (TERM)";
    return TokenRows(folded, out);
  }
  std::vector<std::string> parts = SplitParts(folded);
  if (parts.empty()) return Status::OK();
  bool plain_token = parts.size() == 1 && parts[0] == folded;
  if (!IsRawPhrase(node) && !plain_token) {
    // Minor breakers only (jeff.harrison, 10.0.0.1, -foo): the phrase lies inside one
    // indexed term, where the term dictionary finds it; no raw text needed.
    *method = "term dictionary scan for the phrase";
    return TokenRows(folded, out, true);
  }
  // Candidates: the rows holding every part of the phrase as a term.
  *out = within;
  for (const std::string& part : parts) {
    Roaring r;
    Status s = TokenRows(part, &r);
    if (!s.ok()) return s;
    *out &= r;
    if (out->isEmpty()) break;
  }
  if (!IsRawPhrase(node)) {
    *method = "term lookup";
    return Status::OK();
  }
  // A phrase across breakers, or CASE(): Splunk's rule is the raw text's, whatever the
  // fields; each candidate's raw event is read and checked.
  *method = "term lookups of " + std::to_string(parts.size()) + " part(s), then raw-text check of " +
            std::to_string(out->cardinality()) + " candidates";
  Roaring confirmed;
  const PhrasePattern phrase(node.case_sensitive ? value : folded);
  std::string raw, raw_folded;
  for (uint32_t row : *out) {
    Status s = ctx_->reader().GetRaw(row, &raw);
    if (!s.ok()) return s;
    bool ok;
    if (node.case_sensitive) {
      ok = phrase.FoundIn(raw);
    } else {
      raw_folded = storage::Fold(raw);
      ok = phrase.FoundIn(raw_folded);
    }
    if (ok) confirmed.add(row);
  }
  ctx_->reader().TrimCaches();
  *out = std::move(confirmed);
  return Status::OK();
}

}  // namespace cairn::engine
