#include "engine/pipeline/materialize.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "engine/config/search_time_fields.h"
#include "engine/eval/evaluator.h"

namespace cairn::engine {

storage::Result<const std::vector<int64_t>*> SegmentMatch::Times() {
  if (times == nullptr) {
    auto loaded = segment->reader().GetTimes();
    if (!loaded.ok()) return loaded.status();
    times = loaded.value();
  }
  return times;
}

std::string EpochSecondsText(int64_t time_us) {
  char buf[48];
  if (time_us % 1000000 == 0) {
    auto end = std::to_chars(buf, buf + sizeof buf, time_us / 1000000).ptr;
    return std::string(buf, end);
  } else {
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(time_us) / 1e6);
  }
  return buf;
}

std::optional<int64_t> EpochSecondsToMicros(std::string_view text) {
  size_t i = 0;
  bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  int64_t seconds = 0, micros = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (digits >= 15) return std::nullopt;
    seconds = seconds * 10 + (text[i] - '0');
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int64_t scale = 100000;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10)
      if (scale > 0) micros += (text[i] - '0') * scale;
  }
  if (i != text.size()) return std::nullopt;
  int64_t us = seconds * 1000000 + micros;
  return negative ? -us : us;
}

storage::Status MaterializeRecords(std::vector<SegmentMatch>* matches, std::vector<Record>* records,
                                   const RowDecoding& want, const SearchLimits* limits) {
  const uint64_t limit = want.limit;
  if (limit == 0) {
    records->clear();
    return storage::Status::OK();
  }
  auto newer = [](const MatchedRow& a, const MatchedRow& b) { return NewerRow(a, b); };
  std::vector<MatchedRow> hits;
  if (limit == UINT64_MAX) {
    for (uint32_t m = 0; m < matches->size(); ++m) {
      auto times = (*matches)[m].Times();
      if (!times.ok()) return times.status();
      for (uint32_t row : (*matches)[m].rows) hits.push_back({(*times.value())[row], m, row});
    }
  } else {
    // The newest `limit` events: segments newest first, from each only its last `limit`
    // matched rows (rows are in time order), and none from a segment whose newest event
    // is older than the `limit`-th newest found so far.
    std::vector<uint32_t> order(matches->size());
    for (uint32_t m = 0; m < order.size(); ++m) order[m] = m;
    auto max_time = [&](uint32_t m) { return (*matches)[m].segment->reader().footer().max_time_us(); };
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return max_time(a) > max_time(b); });
    std::vector<uint32_t> rows;
    for (uint32_t m : order) {
      if (hits.size() >= limit && hits[limit - 1].time > max_time(m)) break;
      SegmentMatch& match = (*matches)[m];
      auto times = match.Times();
      if (!times.ok()) return times.status();
      uint64_t card = match.rows.cardinality();
      uint64_t take = std::min<uint64_t>(card, limit);
      rows.resize(take);
      match.rows.rangeUint32Array(rows.data(), card - take, take);
      for (uint32_t row : rows) hits.push_back({(*times.value())[row], m, row});
      size_t keep = static_cast<size_t>(std::min<uint64_t>(limit, hits.size()));
      std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(keep), hits.end(), newer);
      hits.resize(keep);
    }
  }
  if (limit < hits.size()) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(limit), hits.end(), newer);
    hits.resize(limit);
  } else {
    std::sort(hits.begin(), hits.end(), newer);
  }
  return DecodeRows(matches, hits, want, records, limits);
}

storage::Status DecodeRows(std::vector<SegmentMatch>* matches, const std::vector<MatchedRow>& rows,
                           const RowDecoding& want, std::vector<Record>* records,
                           const SearchLimits* limits) {
  struct Hit {
    uint32_t match;
    uint32_t row;
    int64_t time;
    size_t record;
  };
  std::vector<Hit> hits(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) hits[i] = {rows[i].match, rows[i].row, rows[i].time, i};
  records->assign(hits.size(), Record());
  // Search-time fields need the fields they come from, and the sourcetype.
  const std::optional<std::vector<std::string>>* names = &want.only_fields;
  std::optional<std::vector<std::string>> with_sources;
  const bool computed = want.computed != nullptr && want.fields && !want.computed->empty();
  if (computed && want.only_fields) {
    with_sources = want.only_fields;
    for (const std::string& name : *want.only_fields)
      for (const std::string& source : want.computed->SourcesOf(name))
        if (std::find(with_sources->begin(), with_sources->end(), source) == with_sources->end())
          with_sources->push_back(source);
    names = &with_sources;
  }
  // Room in each record for the search-time fields Apply adds.
  uint32_t computed_room = 0;
  if (computed && want.only_fields) {
    for (const std::string& name : *want.only_fields) computed_room += want.computed->Defines(name);
  } else if (computed) {
    computed_room = static_cast<uint32_t>(want.computed->MostAdded());
  }
  // Fill field by field per segment, so each column group is decoded once.
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.match != b.match ? a.match < b.match : a.row < b.row;
  });
  size_t begin = 0;
  while (begin < hits.size()) {
    size_t end = begin;
    while (end < hits.size() && hits[end].match == hits[begin].match) ++end;
    storage::SegmentReader& reader = (*matches)[hits[begin].match].segment->reader();
    std::vector<uint32_t> wanted;
    if (want.fields && *names) {
      for (const std::string& name : **names)
        if (int f = reader.FindField(name); f >= 0) wanted.push_back(static_cast<uint32_t>(f));
    } else if (want.fields) {
      for (uint32_t f = 0; f < reader.field_count(); ++f) wanted.push_back(f);
    }
    // Each record's fields in one allocation; the presence bitmaps say how many it gets.
    std::vector<const Roaring*> presences(wanted.size(), nullptr);  // null: no row here has it
    // _time and _raw, and room for the search-time fields.
    std::vector<uint32_t> present(end - begin, 2 + computed_room);
    for (size_t w = 0; w < wanted.size(); ++w) {
      if (reader.footer().field_flags(wanted[w]) & (storage::kFieldShapes | storage::kFieldTerms)) continue;
      auto presence = reader.GetPresence(static_cast<int>(wanted[w]));
      if (!presence.ok()) return presence.status();
      bool any = false;
      for (size_t i = begin; i < end; ++i) {
        bool has = presence.value()->contains(hits[i].row);
        present[i - begin] += has;
        any |= has;
      }
      if (any) presences[w] = presence.value();
    }
    for (size_t i = begin; i < end; ++i) {
      if ((i & 1023) == 0 && limits != nullptr)
        if (storage::Status s = limits->Check(); !s.ok()) return s;
      Record& r = (*records)[hits[i].record];
      r.mutable_fields().reserve(present[i - begin]);
      // A new record: append without lookups, and move the raw text in.
      r.mutable_fields().emplace_back("_time",
                                      FieldCell({EpochSecondsText(hits[i].time)}, ValueKind::kNumber));
      if (!want.raw) continue;
      FieldCell raw(1);
      storage::Status s = reader.GetRaw(hits[i].row, &raw[0]);
      if (!s.ok()) return s;
      r.mutable_fields().emplace_back("_raw", std::move(raw));
    }
    std::vector<uint32_t> codes;
    for (size_t w = 0; w < wanted.size(); ++w) {
      const Roaring* presence = presences[w];
      if (presence == nullptr) continue;
      const uint32_t f = wanted[w];
      auto dict = reader.GetDictionary(static_cast<int>(f));
      if (!dict.ok()) return dict.status();
      for (size_t i = begin; i < end; ++i) {
        if (!presence->contains(hits[i].row)) continue;
        codes.clear();
        if (storage::Status s = reader.AppendRowCodes(static_cast<int>(f), hits[i].row, &codes); !s.ok())
          return s;
        FieldCell cell;
        bool numbers = true, booleans = true;
        for (uint32_t code : codes) {
          cell.emplace_back(dict.value()->text(code));
          numbers &= dict.value()->type(code) == storage::ValueType::kNumber;
          booleans &= dict.value()->type(code) == storage::ValueType::kBool;
        }
        if (!cell.empty())
          cell.kind = numbers ? ValueKind::kNumber : booleans ? ValueKind::kBoolean : ValueKind::kString;
        // Names are distinct within a segment: append without a lookup.
        (*records)[hits[i].record].mutable_fields().emplace_back(reader.footer().field_name(f),
                                                                 std::move(cell));
      }
    }
    reader.TrimCaches();
    begin = end;
  }
  if (computed) {
    EvalContext ctx;
    const std::vector<std::string>* only = want.only_fields ? &*want.only_fields : nullptr;
    for (Record& r : *records) want.computed->Apply(&r, &ctx, only);
  }
  return storage::Status::OK();
}

}  // namespace cairn::engine
