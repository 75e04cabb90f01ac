// The Searcher's answers about fields (include/cairn/search.h): names with event counts,
// the values of a low-cardinality field, and Splunk's "interesting fields" of a search's
// matches (coverage and top values), all computed on bitmaps.
#include <algorithm>
#include <map>

#include "engine/search/searcher_impl.h"
#include "engine/search/segment_match.h"

namespace cairn {

using engine::SegmentContext;

namespace {

// Top values are counted only for fields with at most this many values in a segment: each
// value costs a postings read, and a field of thousands of values has no telling top five.
// FieldValueCounts (completion of `field=`) allows more than the profile of a search.
constexpr uint32_t kValueCountMaxDistinct = 5000;
constexpr uint32_t kProfileMaxDistinct = 1000;

// Adds each value's event count within `rows` (all rows when null) to `counts`; skips
// fields with more than `max_distinct` values in the segment.
bool CountValues(SegmentContext& seg, int field, const Roaring* rows, uint32_t max_distinct,
                 std::map<std::string, uint64_t>* counts) {
  if (seg.reader().field(field).distinct > max_distinct) return false;
  auto d = seg.reader().GetDictionary(field);
  auto p = seg.reader().GetPostings(field);
  if (!d.ok() || !p.ok()) return false;
  if (d.value()->size() > max_distinct) return false;
  for (uint32_t c = 0; c < d.value()->size(); ++c) {
    Roaring r;
    if (!p.value()->AddTo(c, &r).ok()) return false;
    uint64_t n = rows ? r.and_cardinality(*rows) : r.cardinality();
    if (n) (*counts)[std::string(d.value()->text(c))] += n;
  }
  return true;
}

std::vector<std::pair<std::string, uint64_t>> TopOf(const std::map<std::string, uint64_t>& counts,
                                                    size_t limit) {
  std::vector<std::pair<std::string, uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace

std::vector<std::pair<std::string, uint64_t>> Searcher::FieldNames() {
  std::map<std::string, uint64_t> counts;
  for (auto& seg : impl_->segments)
    for (uint32_t i = 0; i < seg->reader().field_count(); ++i) {
      const storage::FieldEntry f = seg->reader().field(static_cast<int>(i));
      if (!(f.flags & (storage::kFieldShapes | storage::kFieldTerms)))
        counts[std::string(f.name)] += f.rows_present;
    }
  // Search-time fields of the sourcetypes the index holds: an alias counts the events with its
  // source, a calculated field those of its sourcetype (the events it may be computed for).
  std::map<std::string, uint64_t> computed;
  for (const auto& [sourcetype, events] : FieldValueCounts("sourcetype", 1000)) {
    const engine::SourcetypeFields* defs = impl_->fields.For(sourcetype);
    if (defs == nullptr) continue;
    for (const engine::FieldAlias& a : defs->aliases)
      if (auto it = counts.find(a.source); it != counts.end() && !counts.count(a.alias))
        computed[a.alias] = std::max(computed[a.alias], std::min(it->second, events));
    for (const engine::CalculatedField& c : defs->calculated)
      if (!counts.count(c.field)) computed[c.field] += events;
  }
  for (const auto& [name, n] : computed) counts[name] = n;
  std::vector<std::pair<std::string, uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<std::pair<std::string, uint64_t>> Searcher::FieldValueCounts(const std::string& field,
                                                                         size_t limit) {
  std::map<std::string, uint64_t> counts;
  std::vector<std::string> names = impl_->schema.Resolve(field);
  for (auto& seg : impl_->segments)
    for (const std::string& name : names)
      if (int f = seg->reader().FindField(name); f >= 0)
        CountValues(*seg, f, nullptr, kValueCountMaxDistinct, &counts);
  return TopOf(counts, limit);
}

Status Searcher::ProfileFields(const std::string& query, const SearchOptions& options, size_t top_values,
                               std::vector<FieldProfile>* out, uint64_t* matched_total) {
  PreparedQuery prepared;
  const engine::SearchLimits limits(options);
  if (Status st = impl_->Prepare(query, options, limits, 0, false, &prepared); !st.ok()) return st;
  const query::LogicalPlan* bound = &prepared.plan;
  std::map<std::string, FieldProfile> profiles;
  std::map<std::string, std::map<std::string, uint64_t>> values;
  *matched_total = 0;
  for (auto& seg : impl_->segments) {
    engine::SegmentMatchResult m = engine::MatchSegment(*seg, *bound, false);
    if (m.outcome == engine::SegmentOutcome::kError) return m.status;
    if (m.outcome == engine::SegmentOutcome::kPruned || m.rows.isEmpty()) continue;
    *matched_total += m.rows.cardinality();
    for (uint32_t f = 0; f < seg->reader().field_count(); ++f) {
      const storage::FieldEntry entry = seg->reader().field(static_cast<int>(f));
      if (entry.flags & (storage::kFieldShapes | storage::kFieldTerms)) continue;
      auto p = seg->reader().GetPresence(static_cast<int>(f));
      if (!p.ok()) return p.status();
      uint64_t n = p.value()->and_cardinality(m.rows);
      if (n == 0) continue;
      std::string name(entry.name);
      FieldProfile& fp = profiles[name];
      fp.name = name;
      fp.events += n;
      fp.distinct += entry.distinct;
      CountValues(*seg, static_cast<int>(f), &m.rows, kProfileMaxDistinct, &values[name]);
    }
  }
  out->clear();
  for (auto& [name, fp] : profiles) {
    fp.top = TopOf(values[name], top_values);
    out->push_back(std::move(fp));
  }
  std::stable_sort(out->begin(), out->end(),
                   [](const FieldProfile& a, const FieldProfile& b) { return a.events > b.events; });
  return Status::OK();
}

}  // namespace cairn
