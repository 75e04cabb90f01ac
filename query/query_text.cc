#include "query/query_text.h"

#include <algorithm>

namespace cairn::query {

QueryText::QueryText(std::string original) : original_(std::move(original)), text_(original_) {
  uint32_t n = static_cast<uint32_t>(text_.size());
  pieces_.push_back({0, n, 0, n, ""});
}

void QueryText::Replace(uint32_t begin, uint32_t end, const std::string& replacement, const std::string& label) {
  end = std::min<uint32_t>(end, static_cast<uint32_t>(text_.size()));
  begin = std::min(begin, end);
  Span from = ToOriginal(Span{begin, end});
  const int64_t delta = static_cast<int64_t>(replacement.size()) - (end - begin);
  std::vector<Piece> out;
  bool placed = false;
  auto place = [&] {
    if (placed) return;
    placed = true;
    if (!replacement.empty())
      out.push_back({begin, begin + static_cast<uint32_t>(replacement.size()), from.begin, from.end, label});
  };
  for (const Piece& p : pieces_) {
    if (p.text_end <= begin) {
      out.push_back(p);
      continue;
    }
    if (p.text_begin >= end) {
      place();
      Piece q = p;
      q.text_begin = static_cast<uint32_t>(q.text_begin + delta);
      q.text_end = static_cast<uint32_t>(q.text_end + delta);
      out.push_back(q);
      continue;
    }
    // p overlaps [begin, end): keep its parts outside.
    if (p.text_begin < begin) {
      Piece head = p;
      head.text_end = begin;
      if (p.label.empty()) head.original_end = p.original_begin + (begin - p.text_begin);
      out.push_back(head);
    }
    place();
    if (p.text_end > end) {
      Piece tail = p;
      tail.text_begin = static_cast<uint32_t>(end + delta);
      tail.text_end = static_cast<uint32_t>(p.text_end + delta);
      if (p.label.empty()) tail.original_begin = p.original_begin + (end - p.text_begin);
      out.push_back(tail);
    }
  }
  place();
  pieces_ = std::move(out);
  text_.replace(begin, end - begin, replacement);
}

const QueryText::Piece* QueryText::PieceAt(uint32_t pos) const {
  for (const Piece& p : pieces_)
    if (pos >= p.text_begin && pos < p.text_end) return &p;
  return nullptr;
}

Span QueryText::ToOriginal(Span span) const {
  auto map = [&](uint32_t pos, bool is_end) -> uint32_t {
    if (pieces_.empty()) return 0;
    const Piece* p = PieceAt(is_end && pos > 0 ? pos - 1 : pos);
    if (p == nullptr) return static_cast<uint32_t>(original_.size());
    if (!p->label.empty()) return is_end ? p->original_end : p->original_begin;
    return p->original_begin + (pos - p->text_begin);
  };
  if (span.end <= span.begin) {
    uint32_t b = map(span.begin, false);
    return {b, b};
  }
  return {map(span.begin, false), map(span.end, true)};
}

Diagnostic QueryText::ToOriginal(const Diagnostic& d) const {
  Diagnostic out = d;
  out.span = ToOriginal(d.span);
  if (const Piece* p = PieceAt(d.span.begin); p != nullptr && !p->label.empty()) out.message = "in " + p->label + ": " + d.message;
  return out;
}

std::string QueryText::Render(const Diagnostic& d) const { return ToOriginal(d).Render(original_); }

Status QueryText::Error(const Diagnostic& d) const {
  Diagnostic mapped = ToOriginal(d);
  return Status::QueryError(mapped.Render(original_), mapped.span.begin, mapped.span.end);
}

}  // namespace cairn::query
