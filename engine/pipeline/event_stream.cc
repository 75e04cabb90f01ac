#include "engine/pipeline/event_stream.h"

#include <algorithm>

namespace cairn::engine {

namespace {
constexpr uint64_t kRowsPerRefill = 1024;
}  // namespace

EventStream::EventStream(std::vector<SegmentMatch>* matches, RowDecoding want, bool oldest_first,
                         const SearchLimits* limits, size_t batch)
    : matches_(matches),
      want_(std::move(want)),
      oldest_first_(oldest_first),
      limits_(limits),
      batch_(batch == 0 ? kDefaultBatch : batch),
      heads_(Later{this}) {}

void EventStream::Rewind() {
  cursors_.clear();
  heads_ = decltype(heads_)(Later{this});
  started_ = false;
}

bool EventStream::Refill(uint32_t match) {
  SegmentMatch& m = (*matches_)[match];
  Cursor& c = cursors_[match];
  uint64_t card = m.rows.cardinality();
  uint64_t take = std::min<uint64_t>(kRowsPerRefill, card - c.taken);
  if (take == 0) return false;
  c.rows.resize(take);
  // Rows are in time order: oldest first reads them forwards, newest first backwards.
  uint64_t first = oldest_first_ ? c.taken : card - c.taken - take;
  m.rows.rangeUint32Array(c.rows.data(), first, take);
  if (!oldest_first_) std::reverse(c.rows.begin(), c.rows.end());
  c.taken += take;
  c.next = 0;
  return true;
}

storage::Status EventStream::Next(std::vector<Record>* batch) {
  batch->clear();
  if (!started_) {
    started_ = true;
    cursors_.assign(matches_->size(), Cursor());
    for (uint32_t m = 0; m < matches_->size(); ++m) {
      if (!Refill(m)) continue;
      auto times = (*matches_)[m].Times();
      if (!times.ok()) return times.status();
      uint32_t row = cursors_[m].rows[0];
      heads_.push({(*times.value())[row], m, row});
    }
  }
  if (limits_ != nullptr)
    if (storage::Status s = limits_->Check(); !s.ok()) return s;
  std::vector<MatchedRow> rows;
  rows.reserve(batch_);
  while (rows.size() < batch_ && !heads_.empty()) {
    MatchedRow head = heads_.top();
    heads_.pop();
    rows.push_back(head);
    Cursor& c = cursors_[head.match];
    if (++c.next == c.rows.size() && !Refill(head.match)) continue;
    uint32_t row = c.rows[c.next];
    heads_.push({(*(*matches_)[head.match].times)[row], head.match, row});
  }
  return DecodeRows(matches_, rows, want_, batch, limits_);
}

}  // namespace cairn::engine
