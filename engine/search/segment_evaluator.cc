#include "engine/search/segment_evaluator.h"

#include <chrono>
#include <cmath>
#include <limits>

#include "engine/config/search_time_fields.h"
#include "engine/eval/evaluator.h"
#include "engine/eval/json_path.h"
#include "engine/eval/regex_cache.h"
#include "engine/pipeline/materialize.h"
#include "engine/pipeline/record_matcher.h"
#include "engine/search/phrase_match.h"
#include "engine/search/text_scan.h"
#include "query/value_match.h"
#include "storage/numeric_column.h"
#include "storage/text.h"

namespace cairn::engine {

using query::CidrContains;
using query::CompareOp;
using query::GlobMatch;
using query::Predicate;
using storage::IsBreaker;
using storage::ParseNumber;
using storage::Status;

namespace {
constexpr int64_t kMinInteger = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxInteger = std::numeric_limits<int64_t>::max();

// The integers v for which `v op x` holds, as [*lo, *hi] (empty when *lo > *hi).
void IntegerBounds(CompareOp op, double x, int64_t* lo, int64_t* hi) {
  constexpr double kTwo63 = 9223372036854775808.0;
  *lo = kMinInteger;
  *hi = kMaxInteger;
  const bool below = op == CompareOp::kLt || op == CompareOp::kLe;
  double bound = below ? (op == CompareOp::kLt ? std::ceil(x) - 1 : std::floor(x))
                       : (op == CompareOp::kGt ? std::floor(x) + 1 : std::ceil(x));
  if (bound >= kTwo63) {
    if (!below) *lo = 1, *hi = 0;
    return;
  }
  if (bound < -kTwo63) {
    if (below) *lo = 1, *hi = 0;
    return;
  }
  (below ? *hi : *lo) = static_cast<int64_t>(bound);
}

// The parts of a folded search value split at major and minor breakers.
std::vector<std::string> SplitParts(std::string_view text) {
  std::vector<std::string> parts;
  storage::ForEachPart(text, [&](std::string_view part) { parts.emplace_back(part); });
  return parts;
}
}  // namespace

Status SegmentEvaluator::Eval(PhysicalNode* plan, Roaring* out) {
  return Eval(plan, universe_, out);
}

Status SegmentEvaluator::Eval(PhysicalNode* node, const Roaring& within, Roaring* out) {
  auto start = std::chrono::steady_clock::now();
  Status s = EvalNode(*node, within, out);
  if (!s.ok()) return s;
  *out &= within;
  node->ran = true;
  node->rows = out->cardinality();
  node->nanos = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  return Status::OK();
}

Status SegmentEvaluator::EvalNode(PhysicalNode& node, const Roaring& within, Roaring* out) {
  const Predicate& p = *node.predicate;
  switch (node.access) {
    case Access::kAll:
      *out = within;
      return Status::OK();
    case Access::kNone:
      return Status::OK();
    case Access::kIntersect: {
      // The planner's order: each branch sees only the rows the earlier ones left.
      *out = within;
      for (PhysicalNode& child : node.children) {
        Roaring r;
        if (Status s = Eval(&child, *out, &r); !s.ok()) return s;
        *out = std::move(r);
        if (out->isEmpty()) break;
      }
      return Status::OK();
    }
    case Access::kUnion:
      for (PhysicalNode& child : node.children) {
        Roaring r;
        if (Status s = Eval(&child, within, &r); !s.ok()) return s;
        *out |= r;
      }
      return Status::OK();
    case Access::kComplement: {
      Roaring r;
      if (Status s = Eval(&node.children[0], within, &r); !s.ok()) return s;
      *out = within - r;
      return Status::OK();
    }
    case Access::kPresence:
      return Presence(node.fields, out);
    case Access::kPresenceMinus: {
      Roaring present, match;
      if (Status s = Presence(node.fields, &present); !s.ok()) return s;
      if (Status s = Eval(&node.children[0], within, &match); !s.ok()) return s;
      *out = present - match;
      return Status::OK();
    }
    case Access::kValueLookup:
    case Access::kPrefixRange:
    case Access::kPatternScan:
    case Access::kCidrScan:
      return MatchValues(node, out);
    case Access::kNumericRange:
    case Access::kLexicalScan:
      return CompareValues(node, out);
    case Access::kTermLookup:
      return TokenRows(p.folded, out);
    case Access::kTermInside:
      return TokenRows(p.folded, out, true);
    case Access::kTermPattern:
      return WildcardTermRows(p.folded, out);
    case Access::kRawCheck:
      return RawPhrase(node, within, out);
    case Access::kRegexScan:
      return RegexValues(node, out);
    case Access::kRawFieldCheck:
      return RawFieldCheck(node, within, out);
    case Access::kEvalCheck:
      return EvalCheck(node, within, out);
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

Status SegmentEvaluator::MatchValues(PhysicalNode& node, Roaring* out) {
  const Predicate& p = *node.predicate;
  uint64_t matched_values = 0;
  for (int f : node.fields) {
    if (node.access == Access::kValueLookup && ctx_->reader().IsNumeric(f)) {
      // Only a canonical integer's text can equal a value of a numeric column.
      int64_t v;
      if (!storage::ParseCanonicalInteger(p.folded, &v)) continue;
      if (Status st = ctx_->reader().AddNumericRows(f, v, v, out); !st.ok()) return st;
      ++matched_values;
      continue;
    }
    auto d = ctx_->reader().GetDictionary(f);
    if (!d.ok()) return d.status();
    auto postings_or = ctx_->reader().GetPostings(f);
    if (!postings_or.ok()) return postings_or.status();
    const storage::Dictionary& dict = *d.value();
    const storage::PostingsView& postings = *postings_or.value();
    switch (node.access) {
      case Access::kCidrScan:
        for (uint32_t c = 0; c < dict.size(); ++c) {
          if (!CidrContains(*p.cidr, dict.text(c))) continue;
          if (Status st = postings.AddTo(c, out); !st.ok()) return st;
          ++matched_values;
        }
        break;
      case Access::kValueLookup: {
        auto [lo, hi] = dict.EqualRange(p.folded);
        for (uint32_t c = lo; c < hi; ++c) {
          if (p.case_sensitive && dict.text(c) != p.value) continue;
          if (Status st = postings.AddTo(c, out); !st.ok()) return st;
          ++matched_values;
        }
        break;
      }
      case Access::kPrefixRange: {
        auto [lo, hi] = dict.PrefixRange(p.folded.substr(0, p.folded.size() - 1));
        if (Status st = postings.AddRangeTo(lo, hi, out); !st.ok()) return st;
        matched_values += hi - lo;
        break;
      }
      default: {  // kPatternScan: the values under the pattern's prefix, each matched
        auto [lo, hi] = dict.PrefixRange(p.folded.substr(0, p.folded.find('*')));
        for (uint32_t c = lo; c < hi; ++c) {
          std::string_view text = dict.text(c);
          bool ok = p.case_sensitive ? GlobMatch(p.value, text) : GlobMatch(p.folded, storage::Fold(text));
          if (!ok) continue;
          if (Status st = postings.AddTo(c, out); !st.ok()) return st;
          ++matched_values;
        }
        break;
      }
    }
  }
  node.detail = std::to_string(matched_values) + " value" + (matched_values == 1 ? "" : "s");
  return Status::OK();
}

Status SegmentEvaluator::CompareValues(PhysicalNode& node, Roaring* out) {
  const Predicate& p = *node.predicate;
  const std::optional<double>& rhs = p.number;
  const std::string& value = p.value;
  uint64_t matched_values = 0;
  bool used_numeric_index = false;
  bool used_columns = false;
  for (int f : node.fields) {
    if (rhs && ctx_->reader().IsNumeric(f)) {  // integers compared as they are stored
      int64_t lo, hi;
      IntegerBounds(p.op, *rhs, &lo, &hi);
      if (Status st = ctx_->reader().AddNumericRows(f, lo, hi, out); !st.ok()) return st;
      used_columns = true;
      continue;
    }
    auto d = ctx_->reader().GetDictionary(f);
    if (!d.ok()) return d.status();
    auto postings = ctx_->reader().GetPostings(f);
    if (!postings.ok()) return postings.status();
    const storage::Dictionary& dict = *d.value();
    std::vector<uint32_t> codes;  // of the values that compare true
    // Numbers against a number: a range of the dictionary's numeric index; the other
    // values compare as text below.
    std::vector<bool> numeric;
    if (rhs && dict.has_numeric_index()) {
      const double inf = std::numeric_limits<double>::infinity();
      bool below = p.op == CompareOp::kLt || p.op == CompareOp::kLe;
      bool inclusive = p.op == CompareOp::kLe || p.op == CompareOp::kGe;
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
      bool ok = (p.op == CompareOp::kLt && cmp < 0) || (p.op == CompareOp::kLe && cmp <= 0) ||
                (p.op == CompareOp::kGt && cmp > 0) || (p.op == CompareOp::kGe && cmp >= 0);
      if (ok) codes.push_back(c);
    }
    // Wide ranges match thousands of values: their rows go in at once.
    if (Status st = postings.value()->AddCodesTo(codes, out); !st.ok()) return st;
    matched_values += codes.size();
  }
  if (used_columns && !used_numeric_index && matched_values == 0) {
    node.detail = "numeric column scan";
    return Status::OK();
  }
  node.detail = std::string(used_numeric_index ? "the rest compared as text"
                            : rhs              ? "numeric comparison"
                                               : "lexical comparison") +
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
  // A numeric column's value text is digits after an optional '-': the token is the whole
  // value, or its digits after the '-' (a minor breaker).
  int64_t v;
  if (!ctx_->NumericFields().empty() && storage::ParseCanonicalInteger(token, &v)) {
    for (int f : ctx_->NumericFields()) {
      if (Status st = seg.AddNumericRows(f, v, v, out); !st.ok()) return st;
      if (v > 0)
        if (Status st = seg.AddNumericRows(f, -v, -v, out); !st.ok()) return st;
    }
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
  // Numeric columns, only for a pattern that an integer's text can match.
  std::vector<int> scanned = ctx_->HighCardinalityFields();
  if (pattern.find_first_not_of("0123456789-*") == std::string_view::npos)
    scanned.insert(scanned.end(), ctx_->NumericFields().begin(), ctx_->NumericFields().end());
  for (int f : scanned) {
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

Status SegmentEvaluator::RegexValues(PhysicalNode& node, Roaring* out) {
  const Predicate& p = *node.predicate;
  std::string error;
  std::unique_ptr<EvalRegex> re = EvalRegex::Compile(p.value, &error);
  if (re == nullptr) return Status::InvalidArgument("regular expression /" + p.value + "/: " + error);
  uint64_t matched_values = 0;
  for (int f : node.fields) {
    auto d = ctx_->reader().GetDictionary(f);
    if (!d.ok()) return d.status();
    auto postings = ctx_->reader().GetPostings(f);
    if (!postings.ok()) return postings.status();
    std::vector<uint32_t> codes;
    for (uint32_t c = 0; c < d.value()->size(); ++c)
      if (re->Matches(d.value()->text(c))) codes.push_back(c);
    if (Status st = postings.value()->AddCodesTo(codes, out); !st.ok()) return st;
    matched_values += codes.size();
  }
  node.detail = std::to_string(matched_values) + " value" + (matched_values == 1 ? "" : "s");
  return Status::OK();
}

namespace {

// The values at any of `paths` in the JSON text `raw`.
std::vector<std::string> ValuesAt(std::string_view raw, const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    auto values = JsonPathValues(raw, path);
    if (values) out.insert(out.end(), values->begin(), values->end());
  }
  return out;
}

}  // namespace

Status SegmentEvaluator::RawFieldCheck(PhysicalNode& node, const Roaring& within, Roaring* out) {
  const Predicate& p = *node.predicate;
  if (Status s = Presence(node.fields, out); !s.ok()) return s;
  *out &= within;
  node.detail = std::to_string(out->cardinality()) + " candidates";
  Roaring confirmed;
  std::string raw;
  const std::vector<std::string> object_path = {p.field};
  for (uint32_t row : *out) {
    if (Status s = ctx_->reader().GetRaw(row, &raw); !s.ok()) return s;
    bool ok = false;
    if (p.kind == query::PredicateKind::kFieldRef) {
      std::vector<std::string> left = ValuesAt(raw, p.fields), right = ValuesAt(raw, p.other_fields);
      for (const std::string& l : left)
        for (const std::string& r : right) ok = ok || storage::Fold(l) == storage::Fold(r);
    } else {
      for (const std::string& text : ValuesAt(raw, object_path))
        ok = ok || GlobMatch(p.folded, storage::Fold(text));
    }
    if (ok) confirmed.add(row);
  }
  ctx_->reader().TrimCaches();
  *out = std::move(confirmed);
  return Status::OK();
}

Status SegmentEvaluator::EvalCheck(PhysicalNode& node, const Roaring& within, Roaring* out) {
  const Predicate& p = *node.predicate;
  node.detail = std::to_string(within.cardinality()) + " candidates";
  std::vector<SegmentMatch> segment(1);
  segment[0].segment = ctx_;
  RowDecoding want;
  want.raw = false;
  want.only_fields = p.eval->reads;
  EvalContext ec;
  constexpr size_t kBatch = 4096;  // rows decoded at a time
  std::vector<MatchedRow> rows;
  std::vector<Record> records;
  auto check = [&]() -> Status {
    if (Status s = DecodeRows(&segment, rows, want, &records, nullptr); !s.ok()) return s;
    for (size_t i = 0; i < rows.size(); ++i) {
      Record computed;
      computed.Set(p.eval->field, ComputeSearchEval(*p.eval, records[i], &ec));
      if (MatchesRecord(*p.children[0], computed)) out->add(rows[i].row);
    }
    rows.clear();
    return Status::OK();
  };
  for (uint32_t row : within) {
    rows.push_back({0, 0, row});
    if (rows.size() == kBatch)
      if (Status s = check(); !s.ok()) return s;
  }
  if (Status s = check(); !s.ok()) return s;
  ctx_->reader().TrimCaches();
  return Status::OK();
}

Status SegmentEvaluator::RawPhrase(PhysicalNode& node, const Roaring& within, Roaring* out) {
  const Predicate& p = *node.predicate;
  // Candidates: the rows holding every part of the phrase as a term.
  *out = within;
  for (const std::string& part : p.parts) {
    Roaring r;
    if (Status s = TokenRows(part, &r); !s.ok()) return s;
    *out &= r;
    if (out->isEmpty()) break;
  }
  // Splunk's rule is the raw text's, whatever the fields: each candidate's raw event is read.
  node.detail = std::to_string(out->cardinality()) + " candidates";
  Roaring confirmed;
  const PhrasePattern phrase(p.case_sensitive ? p.value : p.folded);
  std::string raw, raw_folded;
  for (uint32_t row : *out) {
    if (Status s = ctx_->reader().GetRaw(row, &raw); !s.ok()) return s;
    bool ok;
    if (p.case_sensitive) {
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
