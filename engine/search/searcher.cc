// Implements include/cairn/search.h: parses the query, takes the time range out of it,
// warns about fields no segment has, prunes segments by time, evaluates the search on
// each remaining segment, and returns events newest first.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "cairn/search.h"
#include "engine/pipeline/pipeline.h"
#include "engine/search/segment_context.h"
#include "engine/search/segment_evaluator.h"
#include "engine/search/value_match.h"
#include "engine/search/time_range.h"
#include "query/parser.h"
#include "storage/index_dir.h"

namespace cairn {

using engine::SegmentContext;
using query::SearchNode;
using storage::Status;

struct Searcher::Impl {
  std::string dir;
  storage::Manifest manifest;
  std::vector<std::unique_ptr<SegmentContext>> segments;  // manifest order
  bool opened = false;
  std::set<std::string> field_names;  // filled on first use (unknown-field hints)
  bool field_names_known = false;
  std::vector<std::string> index_names;  // filled on first use (the empty-result notice)
  bool index_names_known = false;

  const std::set<std::string>& FieldNameSet() {
    if (!field_names_known) {
      for (const auto& seg : segments) {
        const storage::FooterView& footer = seg->reader().footer();
        for (uint32_t i = 0; i < footer.field_count(); ++i)
          if (!(footer.field_flags(i) & (storage::kFieldShapes | storage::kFieldTerms)))
            field_names.emplace(footer.field_name(i));
      }
      field_names_known = true;
    }
    return field_names;
  }

  const std::vector<std::string>& IndexNames() {
    if (!index_names_known) {
      std::set<std::string> indexes;
      for (const auto& seg : segments) {
        int idx = seg->reader().FindField("index");
        if (idx < 0) continue;
        auto d = seg->reader().GetDictionary(idx);
        if (d.ok())
          for (uint32_t c = 0; c < d.value()->size(); ++c) indexes.emplace(d.value()->text(c));
      }
      index_names.assign(indexes.begin(), indexes.end());
      index_names_known = true;
    }
    return index_names;
  }

  Status OpenSegments() {
    if (opened) return Status::OK();
    auto index = storage::IndexDir::OpenForRead(dir);
    if (!index.ok()) return index.status();
    manifest = index.value().manifest();
    for (const auto& seg : manifest.segments) {
      auto reader = storage::SegmentReader::Open(index.value().SegmentPath(seg.file), seg.file);
      if (!reader.ok()) return reader.status();
      segments.push_back(std::make_unique<SegmentContext>(reader.take()));
    }
    opened = true;
    return Status::OK();
  }
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  if (Status st = impl->OpenSegments(); !st.ok()) return st;
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

namespace {

Status QueryErrorStatus(const query::Diagnostic& d, const std::string& query) {
  return Status::QueryError(d.Render(query), d.span.begin, d.span.end);
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void CollectFields(const SearchNode* n, std::vector<const SearchNode*>* out) {
  if (n == nullptr) return;
  if (n->kind == SearchNode::Kind::kCompare || n->kind == SearchNode::Kind::kIn) out->push_back(n);
  for (const auto& c : n->children) CollectFields(c.get(), out);
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Names of existing fields close to `name`: same letters in another case first, then the
// nearest by edit distance.
std::vector<std::string> Suggest(const std::string& name, const std::set<std::string>& fields) {
  std::vector<std::pair<size_t, std::string>> scored;
  std::string lname = Lower(engine::StripArrayMarkers(name));
  for (const std::string& f : fields) {
    std::string lf = Lower(engine::StripArrayMarkers(f));
    size_t d = lf == lname ? 0 : EditDistance(lname, lf) + 1;
    if (d <= std::max<size_t>(3, name.size() / 4)) scored.emplace_back(d, f);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

std::string Describe(const SearchNode& n, const std::string& query) {
  switch (n.kind) {
    case SearchNode::Kind::kAnd: return "AND";
    case SearchNode::Kind::kOr: return "OR";
    case SearchNode::Kind::kNot: return "NOT";
    default: return query.substr(n.span.begin, n.span.end - n.span.begin);
  }
}

void RenderPlan(const SearchNode& n, const std::string& query, const engine::PlanStats& stats, int depth,
                std::string* out) {
  auto it = stats.find(&n);
  char line[512];
  std::string label = std::string(static_cast<size_t>(depth) * 2, ' ') + Describe(n, query);
  if (it != stats.end()) {
    std::snprintf(line, sizeof line, "%-56s rows=%-10llu %8.3f ms  %s\n", label.c_str(),
                  static_cast<unsigned long long>(it->second.rows), static_cast<double>(it->second.nanos) / 1e6,
                  it->second.method.c_str());
  } else {
    std::snprintf(line, sizeof line, "%-56s (not evaluated: an earlier AND branch was empty)\n", label.c_str());
  }
  *out += line;
  for (const auto& c : n.children) RenderPlan(*c, query, stats, depth + 1, out);
}

enum class SegmentOutcome { kMatched, kPruned, kError };

// Evaluates the search on one segment within the time range.
SegmentOutcome MatchSegment(SegmentContext& seg, const SearchNode* search, const engine::TimeRange& range,
                            bool need_times, engine::PlanStats* stats, Roaring* matched,
                            const std::vector<int64_t>** times_out, Status* error) {
  const storage::FooterView& footer = seg.reader().footer();
  if ((range.earliest_us && footer.max_time_us() < *range.earliest_us) ||
      (range.latest_us && footer.min_time_us() >= *range.latest_us) || footer.rows() == 0)
    return SegmentOutcome::kPruned;
  uint32_t lo = 0, hi = footer.rows();
  const std::vector<int64_t>* times = nullptr;
  if (need_times || range.earliest_us || range.latest_us) {
    auto t = seg.reader().GetTimes();
    if (!t.ok()) {
      *error = t.status();
      return SegmentOutcome::kError;
    }
    times = t.value();
    if (range.earliest_us)
      lo = static_cast<uint32_t>(std::lower_bound(times->begin(), times->end(), *range.earliest_us) - times->begin());
    if (range.latest_us)
      hi = static_cast<uint32_t>(std::lower_bound(times->begin(), times->end(), *range.latest_us) - times->begin());
  }
  *times_out = times;
  Roaring universe;
  if (hi > lo) universe.addRange(lo, hi);
  if (search == nullptr) {
    *matched = universe;
    return SegmentOutcome::kMatched;
  }
  engine::SegmentEvaluator eval(&seg, universe, stats);
  storage::Status st = eval.Eval(*search, matched);
  if (!st.ok()) {
    *error = st;
    return SegmentOutcome::kError;
  }
  return SegmentOutcome::kMatched;
}

FieldValues ToFieldValues(std::string name, engine::FieldCell cell) {
  FieldValues fv;
  fv.name = std::move(name);
  fv.kind = cell.kind;
  fv.values = std::move(static_cast<std::vector<std::string>&>(cell));
  return fv;
}

// Turns the pipeline's records into the result: a table, or events with fields. The one
// place where records become public values.
void ToOutput(std::vector<engine::Record>& records, const std::vector<std::string>& declared,
              const SearchOptions& options, SearchResult* result) {
  size_t keep = static_cast<size_t>(std::min<uint64_t>(options.limit, records.size()));
  if (result->is_table) {
    // Columns in the order the rows hold them: a field first seen in a later row goes right
    // after the field that precedes it there (so `table a b c` keeps its order even when
    // the first row lacks b).
    std::vector<std::string>& cols = result->table.columns;
    // Declared columns that some row has, in their order; then the rest.
    for (const std::string& c : declared) {
      bool present = false;
      for (size_t i = 0; i < keep && !present; ++i) present = records[i].Get(c) != nullptr;
      if (present && std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    }
    for (size_t i = 0; i < keep; ++i) {
      size_t insert_at = 0;
      for (const auto& [name, _] : records[i].fields()) {
        auto it = std::find(cols.begin(), cols.end(), name);
        if (it == cols.end()) it = cols.insert(cols.begin() + static_cast<long>(insert_at), name);
        insert_at = static_cast<size_t>(it - cols.begin()) + 1;
      }
    }
    for (size_t i = 0; i < keep; ++i) {
      std::vector<FieldValues> row;
      for (const std::string& c : cols) {
        const engine::FieldCell* cell = records[i].Get(c);
        row.push_back(ToFieldValues(c, cell ? *cell : engine::FieldCell()));
      }
      result->table.rows.push_back(std::move(row));
    }
    return;
  }
  for (size_t i = 0; i < keep; ++i) {
    Event ev;
    for (auto& [name, cell] : records[i].mutable_fields()) {
      if (name == "_time") {
        ev.time_us = engine::EpochSecondsToMicros(cell.empty() ? "" : cell[0]).value_or(0);
      } else if (name == "_raw") {
        if (!cell.empty()) ev.raw = std::move(cell[0]);
      } else if (options.want_fields) {
        ev.fields.push_back(ToFieldValues(name, std::move(cell)));
      }
    }
    result->events.push_back(std::move(ev));
  }
}

}  // namespace

std::vector<std::string> QueryFieldNames(const std::string& query) {
  std::vector<std::string> names;
  query::ParseResult parsed = query::ParseQuery(query);
  if (parsed.error) return names;
  std::vector<const SearchNode*> nodes;
  CollectFields(parsed.ast.search.get(), &nodes);
  for (const SearchNode* n : nodes)
    if (n->field != "earliest" && n->field != "latest" &&
        std::find(names.begin(), names.end(), n->field) == names.end())
      names.push_back(n->field);
  return names;
}

std::vector<std::pair<std::string, uint64_t>> Searcher::FieldNames() {
  std::map<std::string, uint64_t> counts;
  for (auto& seg : impl_->segments)
    for (uint32_t i = 0; i < seg->reader().field_count(); ++i) {
      const storage::FieldEntry f = seg->reader().field(static_cast<int>(i));
      if (!(f.flags & (storage::kFieldShapes | storage::kFieldTerms))) counts[std::string(f.name)] += f.rows_present;
    }
  std::vector<std::pair<std::string, uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

namespace {
// Adds each value's event count within `rows` (all rows when null) to `counts`; skips
// fields with more than `max_distinct` values in the segment.
bool CountValues(SegmentContext& seg, int field, const Roaring* rows, uint32_t max_distinct,
                 std::map<std::string, uint64_t>* counts) {
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

std::vector<std::pair<std::string, uint64_t>> TopOf(const std::map<std::string, uint64_t>& counts, size_t limit) {
  std::vector<std::pair<std::string, uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > limit) out.resize(limit);
  return out;
}
}  // namespace

std::vector<std::pair<std::string, uint64_t>> Searcher::FieldValueCounts(const std::string& field, size_t limit) {
  std::map<std::string, uint64_t> counts;
  for (auto& seg : impl_->segments)
    for (int f : seg->ResolveField(field)) CountValues(*seg, f, nullptr, 5000, &counts);
  return TopOf(counts, limit);
}

Status Searcher::ProfileFields(const std::string& query, const SearchOptions& options, size_t top_values,
                               std::vector<FieldProfile>* out, uint64_t* matched_total) {
  query::ParseResult parsed = query::ParseQuery(query);
  if (parsed.error) return QueryErrorStatus(*parsed.error, query);
  int64_t now = options.now_us ? options.now_us : NowMicros();
  engine::TimeRange range;
  if (Status st = engine::ResolveOptionRange(options.earliest, options.latest, now, &range); !st.ok()) return st;
  if (auto e = engine::ExtractTimeRange(&parsed.ast, now, &range)) return QueryErrorStatus(*e, query);
  std::map<std::string, FieldProfile> profiles;
  std::map<std::string, std::map<std::string, uint64_t>> values;
  *matched_total = 0;
  for (auto& seg : impl_->segments) {
    Roaring matched;
    const std::vector<int64_t>* times = nullptr;
    Status error;
    SegmentOutcome o = MatchSegment(*seg, parsed.ast.search.get(), range, false, nullptr, &matched, &times, &error);
    if (o == SegmentOutcome::kError) return error;
    if (o == SegmentOutcome::kPruned || matched.isEmpty()) continue;
    *matched_total += matched.cardinality();
    for (uint32_t f = 0; f < seg->reader().field_count(); ++f) {
      const storage::FieldEntry entry = seg->reader().field(static_cast<int>(f));
      if (entry.flags & (storage::kFieldShapes | storage::kFieldTerms)) continue;
      auto p = seg->reader().GetPresence(static_cast<int>(f));
      if (!p.ok()) return p.status();
      uint64_t n = p.value()->and_cardinality(matched);
      if (n == 0) continue;
      std::string name(entry.name);
      FieldProfile& fp = profiles[name];
      fp.name = name;
      fp.events += n;
      fp.distinct += entry.distinct;
      CountValues(*seg, static_cast<int>(f), &matched, 1000, &values[name]);
    }
  }
  out->clear();
  for (auto& [name, fp] : profiles) {
    fp.top = TopOf(values[name], top_values);
    out->push_back(std::move(fp));
  }
  std::stable_sort(out->begin(), out->end(), [](const FieldProfile& a, const FieldProfile& b) { return a.events > b.events; });
  return Status::OK();
}

SearchResult Searcher::Run(const std::string& query, const SearchOptions& options) {
  SearchResult result = RunSearch(query, options);
  if (result.matched == 0 && result.status.ok()) result.indexes = impl_->IndexNames();
  return result;
}

SearchResult Searcher::RunSearch(const std::string& query, const SearchOptions& options) {
  auto start = std::chrono::steady_clock::now();
  SearchResult result;
  Impl& impl = *impl_;
  query::ParseResult parsed = query::ParseQuery(query);
  if (parsed.error) {
    result.status = QueryErrorStatus(*parsed.error, query);
    return result;
  }
  if (parsed.ast.leading_pipe) {
    query::Diagnostic d;
    d.message = "generating commands (| makeresults, | inputlookup) are not available yet";
    d.span = parsed.ast.commands.empty() ? query::Span{0, 1} : parsed.ast.commands.front().name_span;
    result.status = QueryErrorStatus(d, query);
    return result;
  }
  engine::Pipeline pipeline;
  std::optional<query::Diagnostic> pipeline_error;
  if (!pipeline.Build(parsed.ast, &pipeline_error)) {
    result.status = QueryErrorStatus(*pipeline_error, query);
    return result;
  }
  int64_t now = options.now_us ? options.now_us : NowMicros();
  engine::TimeRange range;
  if (Status st = engine::ResolveOptionRange(options.earliest, options.latest, now, &range); !st.ok()) {
    result.status = st;
    return result;
  }
  if (auto time_error = engine::ExtractTimeRange(&parsed.ast, now, &range)) {
    result.status = QueryErrorStatus(*time_error, query);
    return result;
  }
  result.earliest_us = range.earliest_us;
  result.latest_us = range.latest_us;
  const SearchNode* search = parsed.ast.search.get();

  // Fields that no segment has: warn, with the closest names.
  std::vector<const SearchNode*> compares;
  CollectFields(search, &compares);
  std::set<std::string> warned;
  for (const SearchNode* n : compares) {
    if (warned.count(n->field)) continue;
    bool found = false;
    for (auto& seg : impl.segments) {
      if (!seg->ResolveField(n->field).empty()) {
        found = true;
        break;
      }
    }
    if (found) continue;
    warned.insert(n->field);
    query::Diagnostic d;
    d.severity = query::Diagnostic::Severity::kWarning;
    d.message = "no event has the field '" + n->field + "' (field names are case-sensitive)";
    d.span = n->field_span;
    std::vector<std::string> close = Suggest(n->field, impl.FieldNameSet());
    if (!close.empty()) {
      d.hint = "did you mean ";
      for (size_t i = 0; i < close.size(); ++i) d.hint += (i ? ", " : "") + std::string("'") + close[i] + "'";
      d.hint += "?";
    }
    result.warnings.push_back(d.Render(query));
  }

  std::vector<engine::SegmentMatch> matches;
  // Events are decoded only when some are returned; a transforming pipeline always runs.
  const bool decode = !pipeline.empty() || (!options.count_only && options.limit > 0);
  engine::PlanStats stats;
  result.segments_total = impl.segments.size();
  for (uint32_t s = 0; s < impl.segments.size(); ++s) {
    if (options.cancel != nullptr && options.cancel->load()) {
      result.status = Status::Cancelled();
      return result;
    }
    SegmentContext& seg = *impl.segments[s];
    Roaring matched;
    const std::vector<int64_t>* times = nullptr;
    // Times are loaded when the range needs them, or later by whatever reads them
    // (SegmentMatch::Times).
    bool need_times = range.earliest_us || range.latest_us;
    SegmentOutcome outcome = MatchSegment(seg, search, range, need_times, options.explain ? &stats : nullptr,
                                          &matched, &times, &result.status);
    if (outcome == SegmentOutcome::kError) return result;
    if (outcome == SegmentOutcome::kPruned) {
      ++result.segments_pruned;
      continue;
    }
    ++result.segments_scanned;
    uint64_t n = matched.cardinality();
    result.matched += n;
    if (decode && n > 0) matches.push_back({&seg, std::move(matched), times});
  }

  if (decode) {
    engine::ExecContext ctx;
    ctx.now_us = now;
    ctx.cancel = options.cancel;
    engine::RowDecoding output;
    output.limit = options.count_only ? 0 : options.limit;
    output.raw = options.want_raw;
    output.fields = options.want_fields;
    std::vector<engine::Record> records;
    storage::Status st = pipeline.Run(&matches, &ctx, output, &records);
    for (const auto& w : ctx.warnings) {
      query::Diagnostic d = w;
      d.severity = query::Diagnostic::Severity::kWarning;
      result.warnings.push_back(d.Render(query));
    }
    if (!st.ok()) {
      result.status = st;
      return result;
    }
    result.is_table = pipeline.transforming();
    result.results = pipeline.empty() ? result.matched : records.size();
    if (!options.count_only) ToOutput(records, ctx.columns, options, &result);
  } else {
    result.results = result.matched;
  }
  result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (options.explain) {
    std::string& e = result.explain;
    e = "query:    " + query + "\n";
    e += "range:    " + engine::DescribeRange(range) + "\n";
    e += "segments: " + std::to_string(result.segments_total) + " (" + std::to_string(result.segments_scanned) +
         " scanned, " + std::to_string(result.segments_pruned) + " pruned by time)\n";
    e += "plan (rows and times summed over the scanned segments):\n";
    if (search == nullptr) {
      e += "  all events in the range\n";
    } else {
      RenderPlan(*search, query, stats, 1, &e);
    }
    if (!pipeline.empty()) e += "pipeline:\n" + pipeline.Describe();
    char tail[128];
    std::snprintf(tail, sizeof tail, "matched:  %llu events in %.3f ms\n",
                  static_cast<unsigned long long>(result.matched), result.elapsed_ms);
    e += tail;
  }
  return result;
}

}  // namespace cairn
