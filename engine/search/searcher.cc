// Implements the query side of include/cairn/search.h: text → AST (query/parser.h) →
// logical plan (query/binder.h) → per segment a physical plan run as bitmaps
// (engine/search/segment_match.h) → the pipeline of commands over the matched rows
// (engine/pipeline/pipeline.h; a search without commands is the empty pipeline) → result
// rows (engine/search/result_rows.h). docs/architecture.md draws the same path.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>

#include "cairn/search.h"
#include "engine/config/macro_files.h"
#include "engine/ingest/time_parse.h"
#include "engine/lookup/lookup_catalog.h"
#include "engine/pipeline/pipeline.h"
#include "engine/search/field_expansion.h"
#include "engine/search/result_rows.h"
#include "engine/search/searcher_impl.h"
#include "engine/search/segment_match.h"
#include "engine/search/subsearch.h"
#include "storage/index_dir.h"

namespace cairn {

using engine::SegmentContext;
using query::SearchNode;

Status QueryErrorStatus(const query::Diagnostic& d, const std::string& query) {
  return Status::QueryError(d.Render(query), d.span.begin, d.span.end);
}

namespace {

// An explain of a large index shows the physical plans of this many segments; the others
// are counted. Plans of segments differ only in their statistics.
constexpr size_t kExplainSegmentPlans = 8;

// What a warning about a segment left out of a search adds.
constexpr const char* kLeftOutNote =
    "its events are not in this result (cairn check lists the damage; cairn repair sets unreadable segments "
    "aside)\n";

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void CollectFields(const SearchNode* n, std::vector<const SearchNode*>* out) {
  if (n == nullptr) return;
  if (n->kind == SearchNode::Kind::kCompare || n->kind == SearchNode::Kind::kIn) out->push_back(n);
  for (const auto& c : n->children) CollectFields(c.get(), out);
}

std::string DescribeRange(const query::TimeRange& range) {
  if (!range.earliest_us && !range.latest_us) return "all time";
  std::string from = range.earliest_us ? engine::FormatTimestamp(*range.earliest_us) : "the beginning";
  std::string to = range.latest_us ? engine::FormatTimestamp(*range.latest_us) : "now";
  return from + " to " + to;
}

}  // namespace

Status Searcher::Impl::Open() {
  auto index = storage::IndexDir::OpenForRead(dir);
  if (!index.ok()) return index.status();
  manifest = index.value().manifest();
  std::vector<std::string> names;
  for (const auto& seg : manifest.segments) {
    auto reader = storage::SegmentReader::Open(index.value().SegmentPath(seg.file), seg.file);
    if (!reader.ok()) {
      // The other segments still answer; every result says this one is left out.
      unreadable.push_back(seg.file + ": " + reader.status().ToString());
      continue;
    }
    const storage::FooterView& footer = reader.value()->footer();
    for (uint32_t i = 0; i < footer.field_count(); ++i)
      if (!(footer.field_flags(i) & (storage::kFieldShapes | storage::kFieldTerms)))
        names.emplace_back(footer.field_name(i));
    segments.push_back(std::make_unique<SegmentContext>(reader.take()));
  }
  schema = query::IndexSchema(std::move(names));
  auto computed = engine::SearchTimeFields::Load(dir + "/props.conf", &fields_problems);
  if (!computed.ok()) return computed.status();
  fields = std::move(computed.value());
  // The sourcetypes the index holds: search-time fields expand only for them.
  for (auto& seg : segments) {
    int st = seg->reader().FindField("sourcetype");
    if (st < 0) continue;
    auto d = seg->reader().GetDictionary(st);
    if (!d.ok()) continue;
    for (uint32_t c = 0; c < d.value()->size(); ++c) {
      std::string name(d.value()->text(c));
      if (std::find(sourcetypes.begin(), sourcetypes.end(), name) == sourcetypes.end()) sourcetypes.push_back(name);
    }
  }

  macros = query::MacroLibrary::Builtin();
  std::string conf = dir + "/macros.conf";
  if (FILE* f = std::fopen(conf.c_str(), "rb"); f != nullptr) {
    std::fclose(f);
    std::vector<std::string> problems;
    if (Status st = engine::LoadMacros(conf, &macros, &problems); !st.ok()) return st;
  }
  return Status::OK();
}

const std::vector<std::string>& Searcher::Impl::IndexNames() {
  if (!index_names_known_) {
    std::set<std::string> indexes;
    for (const auto& seg : segments) {
      int idx = seg->reader().FindField("index");
      if (idx < 0) continue;
      auto d = seg->reader().GetDictionary(idx);
      if (d.ok())
        for (uint32_t c = 0; c < d.value()->size(); ++c) indexes.emplace(d.value()->text(c));
    }
    index_names_.assign(indexes.begin(), indexes.end());
    index_names_known_ = true;
  }
  return index_names_;
}

namespace {

// `| search ...` at the start of a query (or subsearch) is the search part itself.
void DropLeadingPipeBeforeSearch(query::QueryText* text) {
  const std::string& t = text->text();
  size_t i = 0;
  while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
  if (i >= t.size() || t[i] != '|') return;
  size_t j = i + 1;
  while (j < t.size() && std::isspace(static_cast<unsigned char>(t[j]))) ++j;
  if (t.compare(j, 6, "search") != 0) return;
  if (j + 6 < t.size() && !std::isspace(static_cast<unsigned char>(t[j + 6]))) return;
  text->Replace(static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1), " ", "");
}

}  // namespace

Status Searcher::Impl::SubstituteFilterSubsearches(query::QueryText* text, const SearchOptions& options,
                                                   const engine::SearchLimits& limits, int depth,
                                                   std::vector<std::string>* warnings) {
  int64_t unbalanced = -1;
  std::vector<engine::BracketSpan> spans = engine::FindFilterSubsearches(text->text(), &unbalanced);
  if (unbalanced >= 0) {
    query::Diagnostic d;
    d.message = "a subsearch '[' without its closing ']'";
    d.span = {static_cast<uint32_t>(unbalanced), static_cast<uint32_t>(unbalanced + 1)};
    return text->Error(d);
  }
  // Right to left, so the earlier spans stay where they are.
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    std::string inner = text->text().substr(it->begin + 1, it->end - it->begin - 2);
    if (inner.find_first_not_of(" \t\r\n") == std::string::npos) {
      query::Diagnostic d;
      d.message = "the subsearch is empty";
      d.span = {it->begin, it->end};
      d.hint = "a subsearch holds a search, e.g. [search eventName=CreateUser | fields userName]";
      return text->Error(d);
    }
    std::vector<engine::Record> rows;
    bool truncated = false;
    Status st = RunSubsearch(inner, options, limits, depth + 1, engine::kFilterSubsearchMaxRows, &rows,
                             &truncated, warnings);
    if (!st.ok()) {
      if (st.code() != Status::Code::kQueryError) return st;
      query::Diagnostic d;
      d.message = "in this subsearch";
      d.span = {it->begin, it->end};
      query::Diagnostic mapped = text->ToOriginal(d);
      return Status::QueryError(st.message() + mapped.Render(text->original()), mapped.span.begin,
                                mapped.span.end);
    }
    if (truncated) {
      query::Diagnostic w;
      w.severity = query::Diagnostic::Severity::kWarning;
      w.message = "the subsearch returned more than " + std::to_string(engine::kFilterSubsearchMaxRows) +
                  " rows; only the first " + std::to_string(engine::kFilterSubsearchMaxRows) + " are used";
      w.span = {it->begin, it->end};
      warnings->push_back(text->Render(w));
    }
    text->Replace(it->begin, it->end, engine::FormatSubsearchFilter(rows), "subsearch");
    if (Status s = limits.Check(); !s.ok()) return s;  // a large filter is long to build and parse
  }
  return Status::OK();
}

Status Searcher::Impl::Prepare(const std::string& query, const SearchOptions& options,
                               const engine::SearchLimits& limits, int depth, bool build_pipeline,
                               PreparedQuery* out) {
  out->text = query::QueryText(query);
  if (depth > engine::kMaxSubsearchDepth)
    return Status::QueryError(
        "error: subsearches nest deeper than " + std::to_string(engine::kMaxSubsearchDepth) + " levels\n", 0,
        static_cast<uint32_t>(query.size()));
  query::MacroLibrary library = macros;
  for (const std::string& path : options.macro_paths) {
    std::vector<std::string> problems;
    if (Status st = engine::LoadMacros(path, &library, &problems); !st.ok())
      return Status::InvalidArgument("--macros " + path + ": " + st.message());
    for (const std::string& p : problems) out->warnings.push_back("warning: " + p + " (skipped)\n");
  }
  std::vector<query::Diagnostic> notices;
  if (auto error = query::ExpandMacros(library, &out->text, &notices)) return out->text.Error(*error);
  for (const query::Diagnostic& n : notices) out->warnings.push_back(n.Render(out->text.original()));
  DropLeadingPipeBeforeSearch(&out->text);
  if (Status st = SubstituteFilterSubsearches(&out->text, options, limits, depth, &out->warnings); !st.ok())
    return st;

  query::ParseResult parsed = query::ParseQuery(out->text.text());
  if (parsed.error) return out->text.Error(*parsed.error);
  if (Status s = limits.Check(); !s.ok()) return s;
  out->ast = std::move(parsed.ast);
  // Aliases and calculated fields become searches on the fields they come from. (A search
  // tree given as such, a Sigma rule's, names the log's own fields: PrepareTree.)
  engine::ExpandSearchTimeFields(fields, &out->ast.search, &sourcetypes);
  return BindAndBuild(options, build_pipeline, out);
}

Status Searcher::Impl::BindAndBuild(const SearchOptions& options, bool build_pipeline, PreparedQuery* out) {
  query::BindOptions bind;
  bind.now_us = options.now_us ? options.now_us : NowMicros();
  bind.earliest = options.earliest;
  bind.latest = options.latest;
  bind.computed_fields = fields.DefinedFields();
  for (const std::string& p : fields_problems) out->warnings.push_back("warning: " + p + "\n");
  Result<query::LogicalPlan> bound = query::Bind(&out->ast, out->text, schema, bind);
  if (!bound.ok()) return bound.status();
  out->plan = std::move(bound.value());
  for (const query::Diagnostic& w : out->plan.warnings) out->warnings.push_back(out->text.Render(w));
  if (build_pipeline) {
    std::optional<query::Diagnostic> pipeline_error;
    if (!out->pipeline.Build(out->ast, &pipeline_error)) return out->text.Error(*pipeline_error);
    out->pipeline.set_search_time_fields(&fields);
  }
  return Status::OK();
}

Status Searcher::Impl::PrepareTree(const query::SearchNode& search, const std::string& rendering,
                                   const SearchOptions& options, PreparedQuery* out) {
  out->text = query::QueryText(rendering);
  out->ast.search = query::CloneSearchNode(search);
  return BindAndBuild(options, true, out);
}

Status Searcher::Impl::Execute(PreparedQuery* q, const SearchOptions& options,
                               const engine::SearchLimits& limits, int depth,
                               const engine::RowDecoding& output, std::vector<engine::Record>* records,
                               ExecutionStats* stats) {
  const query::LogicalPlan& plan = q->plan;
  std::vector<engine::SegmentMatch> matches;
  if (!q->pipeline.generates()) {
    stats->segments_total = segments.size();
    std::vector<SegmentContext*> searched;
    for (auto& segment : segments) {
      if (!options.skip_segments.empty() &&
          std::find(options.skip_segments.begin(), options.skip_segments.end(), segment->reader().name()) !=
              options.skip_segments.end())
        continue;
      searched.push_back(segment.get());
    }
    // Times are read when the range needs them, or later by whatever reads them.
    std::vector<engine::SegmentMatchResult> results =
        MatchSegments(searched, plan, &limits, options.parallel_segments);
    for (size_t i = 0; i < searched.size(); ++i) {
      if (Status s = limits.Check(); !s.ok()) return s;
      SegmentContext& seg = *searched[i];
      engine::SegmentMatchResult& m = results[i];
      if (m.outcome == engine::SegmentOutcome::kError) return m.status;
      if (m.outcome == engine::SegmentOutcome::kPruned) {
        ++stats->segments_pruned;
        continue;
      }
      ++stats->segments_scanned;
      uint64_t n = m.rows.cardinality();
      stats->matched += n;
      if (options.explain && plan.search != nullptr && stats->plans_shown++ < kExplainSegmentPlans) {
        stats->segment_plans +=
            "  segment " + seg.reader().name() + " (" + std::to_string(seg.reader().rows()) + " rows):\n";
        stats->segment_plans += engine::DescribePhysicalPlan(m.plan, 2);
      }
      if (n > 0 && (output.limit > 0 || !q->pipeline.empty()))
        matches.push_back({&seg, std::move(m.rows), m.times});
    }
  }
  if (output.limit == 0 && q->pipeline.empty()) return Status::OK();
  engine::ExecContext ctx;
  ctx.now_us = options.now_us ? options.now_us : NowMicros();
  ctx.earliest_us = plan.range.earliest_us;
  ctx.latest_us = plan.range.latest_us;
  ctx.limits = &limits;
  engine::LookupCatalog lookups(options.lookups_dir.empty() ? dir + "/lookups" : options.lookups_dir,
                                options.lookup_definitions);
  ctx.lookups = &lookups;
  std::vector<std::string>* warnings = &q->warnings;
  const query::QueryText& query_text = q->text;
  ctx.run_subsearch = [this, &options, &limits, depth, warnings, &query_text](
                          const std::string& text, query::Span span, uint64_t max_rows,
                          std::vector<engine::Record>* rows, bool* truncated) {
    Status st = RunSubsearch(text, options, limits, depth + 1, max_rows, rows, truncated, warnings);
    if (st.code() != Status::Code::kQueryError) return st;
    query::Diagnostic d;
    d.message = "in this subsearch";
    d.span = span;
    query::Diagnostic mapped = query_text.ToOriginal(d);
    return Status::QueryError(st.message() + mapped.Render(query_text.original()), mapped.span.begin,
                              mapped.span.end);
  };
  Status st = q->pipeline.Run(&matches, &ctx, output, records);
  for (const auto& w : ctx.warnings) {
    query::Diagnostic d = w;
    d.severity = query::Diagnostic::Severity::kWarning;
    q->warnings.push_back(q->text.Render(d));
  }
  stats->columns = ctx.columns;
  stats->chart = ctx.chart;
  if (st.ok() && depth == 0 && !ctx.field_formats.empty()) engine::ApplyFieldFormats(ctx, records);
  return st;
}

Status Searcher::Impl::RunSubsearch(const std::string& text, const SearchOptions& options,
                                    const engine::SearchLimits& limits, int depth, uint64_t max_rows,
                                    std::vector<engine::Record>* rows, bool* truncated,
                                    std::vector<std::string>* warnings) {
  PreparedQuery q;
  if (Status st = Prepare(text, options, limits, depth, true, &q); !st.ok()) return st;
  engine::RowDecoding output;
  output.limit = max_rows == UINT64_MAX ? max_rows : max_rows + 1;
  output.raw = true;
  output.fields = true;
  ExecutionStats stats;
  Status st = Execute(&q, options, limits, depth, output, rows, &stats);
  for (const std::string& w : q.warnings) warnings->push_back("in subsearch: " + w);
  if (!st.ok()) return st;
  *truncated = rows->size() > max_rows;
  if (*truncated) rows->resize(max_rows);
  return Status::OK();
}

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  if (Status st = impl->Open(); !st.ok()) return st;
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

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

SearchResult Searcher::Run(const std::string& query, const SearchOptions& options) {
  const engine::SearchLimits limits(options);
  SearchResult result = LeavingOutDamage(
      options, [&](const SearchOptions& run_options) { return RunSearch(query, run_options, limits); });
  if (result.matched == 0 && result.status.ok()) result.indexes = impl_->IndexNames();
  return result;
}

SearchResult Searcher::RunTree(const query::SearchNode& search, const std::string& rendering,
                               const SearchOptions& options) {
  const engine::SearchLimits limits(options);
  SearchResult result = LeavingOutDamage(options, [&](const SearchOptions& run_options) {
    PreparedQuery q;
    if (Status st = impl_->PrepareTree(search, rendering, run_options, &q); !st.ok()) {
      SearchResult failed;
      failed.status = st;
      failed.warnings = q.warnings;
      return failed;
    }
    return RunPrepared(&q, rendering, run_options, limits);
  });
  if (result.matched == 0 && result.status.ok()) result.indexes = impl_->IndexNames();
  return result;
}

SearchResult Searcher::LeavingOutDamage(const SearchOptions& options,
                                        const std::function<SearchResult(const SearchOptions&)>& run_once) {
  SearchOptions run_options = options;
  std::vector<std::string> damaged;  // "seg-000002.cseg: what was found"
  for (;;) {
    SearchResult result = run_once(run_options);
    std::string segment;
    if (result.status.code() == Status::Code::kCorruption) {
      for (const auto& seg : impl_->segments) {
        const std::string& name = seg->reader().name();
        if (result.status.message().find(name) != std::string::npos &&
            std::find(run_options.skip_segments.begin(), run_options.skip_segments.end(), name) ==
                run_options.skip_segments.end()) {
          segment = name;
          break;
        }
      }
    }
    if (segment.empty()) {
      for (const std::string& d : damaged) {
        result.unreadable_segments.push_back(d);
        result.warnings.push_back("warning: segment " + d + "\n  " + kLeftOutNote);
      }
      return result;
    }
    // Damage found while reading a segment (a block whose checksum fails): the search runs
    // again without it, as it would if the segment could not be opened.
    damaged.push_back(segment + ": " + result.status.message());
    run_options.skip_segments.push_back(segment);
  }
}

std::vector<std::string> Searcher::SegmentNames() const {
  std::vector<std::string> names;
  for (const auto& seg : impl_->segments) names.push_back(seg->reader().name());
  return names;
}

SearchResult Searcher::RunSearch(const std::string& query, const SearchOptions& options,
                                 const engine::SearchLimits& limits) {
  PreparedQuery q;
  if (Status st = impl_->Prepare(query, options, limits, 0, true, &q); !st.ok()) {
    SearchResult result;
    result.status = st;
    result.warnings = q.warnings;
    return result;
  }
  return RunPrepared(&q, query, options, limits);
}

SearchResult Searcher::RunPrepared(PreparedQuery* prepared, const std::string& query,
                                   const SearchOptions& options, const engine::SearchLimits& limits) {
  auto start = std::chrono::steady_clock::now();
  SearchResult result;
  Impl& impl = *impl_;
  PreparedQuery& q = *prepared;
  const query::LogicalPlan& plan = q.plan;
  result.earliest_us = plan.range.earliest_us;
  result.latest_us = plan.range.latest_us;

  // Events are decoded only when some are returned; a pipeline always runs.
  engine::RowDecoding output;
  output.limit = options.count_only ? 0 : options.limit;
  output.raw = options.want_raw;
  output.fields = options.want_fields;
  std::vector<engine::Record> records;
  ExecutionStats stats;
  Status st = impl.Execute(&q, options, limits, 0, output, &records, &stats);
  result.warnings = q.warnings;
  result.unreadable_segments = impl.unreadable;
  for (const std::string& u : impl.unreadable)
    result.warnings.push_back("warning: segment " + u + "\n  " + kLeftOutNote);
  result.matched = stats.matched;
  result.segments_total = stats.segments_total;
  result.segments_scanned = stats.segments_scanned;
  result.segments_pruned = stats.segments_pruned;
  if (!st.ok()) {
    result.status = st;
    return result;
  }
  if (q.pipeline.empty()) {
    result.results = result.matched;
  } else {
    if (q.pipeline.generates()) {
      result.generated = true;
      result.matched = records.size();
    }
    result.is_table = q.pipeline.transforming();
    result.table.chart = stats.chart;
    result.results = records.size();
  }
  if (!options.count_only && (output.limit > 0 || !q.pipeline.empty()))
    engine::ToSearchOutput(records, stats.columns, options, &result);
  result.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (options.explain) {
    std::string& e = result.explain;
    e = "query:    " + query + "\n";
    if (q.text.text() != query) e += "expanded: " + q.text.text() + "\n";
    e += "range:    " + DescribeRange(plan.range) + "\n";
    e += "segments: " + std::to_string(result.segments_total) + " (" +
         std::to_string(result.segments_scanned) + " scanned, " + std::to_string(result.segments_pruned) +
         " pruned by time)\n";
    e += "logical plan:\n" + query::DescribePlan(plan);
    if (plan.search != nullptr) {
      e += "physical plans (branches in the order they run; est: at most this many rows, from the segment's "
           "statistics):\n";
      e += stats.segment_plans;
      if (stats.plans_shown > kExplainSegmentPlans)
        e += "  ... and " + std::to_string(stats.plans_shown - kExplainSegmentPlans) + " more segments\n";
    }
    if (!q.pipeline.empty()) e += "pipeline:\n" + q.pipeline.Describe();
    char tail[128];
    std::snprintf(tail, sizeof tail, "matched:  %llu events in %.3f ms\n",
                  static_cast<unsigned long long>(result.matched), result.elapsed_ms);
    e += tail;
  }
  return result;
}

}  // namespace cairn
