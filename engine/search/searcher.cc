// Implements the query side of include/cairn/search.h: text → AST (query/parser.h) →
// logical plan (query/binder.h) → per segment a physical plan run as bitmaps
// (engine/search/segment_match.h) → the pipeline of commands over the matched rows
// (engine/pipeline/pipeline.h; a search without commands is the empty pipeline) → result
// rows (engine/search/result_rows.h). docs/architecture.md draws the same path.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "cairn/search.h"
#include "engine/ingest/time_parse.h"
#include "engine/pipeline/pipeline.h"
#include "engine/search/result_rows.h"
#include "engine/search/searcher_impl.h"
#include "engine/search/segment_match.h"
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

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
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
    if (!reader.ok()) return reader.status();
    const storage::FooterView& footer = reader.value()->footer();
    for (uint32_t i = 0; i < footer.field_count(); ++i)
      if (!(footer.field_flags(i) & (storage::kFieldShapes | storage::kFieldTerms)))
        names.emplace_back(footer.field_name(i));
    segments.push_back(std::make_unique<SegmentContext>(reader.take()));
  }
  schema = query::IndexSchema(std::move(names));
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

Result<query::LogicalPlan> Searcher::Impl::Bind(const std::string& query, const SearchOptions& options,
                                                query::QueryAst* ast) {
  query::ParseResult parsed = query::ParseQuery(query);
  if (parsed.error) return QueryErrorStatus(*parsed.error, query);
  *ast = std::move(parsed.ast);
  query::BindOptions bind;
  bind.now_us = options.now_us ? options.now_us : NowMicros();
  bind.earliest = options.earliest;
  bind.latest = options.latest;
  return query::Bind(ast, query, schema, bind);
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
  SearchResult result = RunSearch(query, options);
  if (result.matched == 0 && result.status.ok()) result.indexes = impl_->IndexNames();
  return result;
}

SearchResult Searcher::RunSearch(const std::string& query, const SearchOptions& options) {
  auto start = std::chrono::steady_clock::now();
  SearchResult result;
  Impl& impl = *impl_;
  query::QueryAst ast;
  Result<query::LogicalPlan> bound = impl.Bind(query, options, &ast);
  if (!bound.ok()) {
    result.status = bound.status();
    return result;
  }
  const query::LogicalPlan& plan = bound.value();
  if (ast.leading_pipe) {
    query::Diagnostic d;
    d.message = "generating commands (| makeresults, | inputlookup) are not available yet";
    d.span = ast.commands.empty() ? query::Span{0, 1} : ast.commands.front().name_span;
    result.status = QueryErrorStatus(d, query);
    return result;
  }
  engine::Pipeline pipeline;
  std::optional<query::Diagnostic> pipeline_error;
  if (!pipeline.Build(ast, &pipeline_error)) {
    result.status = QueryErrorStatus(*pipeline_error, query);
    return result;
  }
  for (const query::Diagnostic& w : plan.warnings) result.warnings.push_back(w.Render(query));
  result.earliest_us = plan.range.earliest_us;
  result.latest_us = plan.range.latest_us;

  // Events are decoded only when some are returned; a pipeline always runs.
  const bool decode = !pipeline.empty() || (!options.count_only && options.limit > 0);
  std::vector<engine::SegmentMatch> matches;
  std::string segment_plans;
  size_t plans_shown = 0;
  result.segments_total = impl.segments.size();
  for (auto& segment : impl.segments) {
    if (options.cancel != nullptr && options.cancel->load()) {
      result.status = Status::Cancelled();
      return result;
    }
    SegmentContext& seg = *segment;
    // Times are read when the range needs them, or later by whatever reads them.
    engine::SegmentMatchResult m = engine::MatchSegment(seg, plan, false);
    if (m.outcome == engine::SegmentOutcome::kError) {
      result.status = m.status;
      return result;
    }
    if (m.outcome == engine::SegmentOutcome::kPruned) {
      ++result.segments_pruned;
      continue;
    }
    ++result.segments_scanned;
    uint64_t n = m.rows.cardinality();
    result.matched += n;
    if (options.explain && plan.search != nullptr) {
      if (plans_shown++ < kExplainSegmentPlans) {
        segment_plans += "  segment " + seg.reader().name() + " (" + std::to_string(seg.reader().rows()) + " rows):\n";
        segment_plans += engine::DescribePhysicalPlan(m.plan, 2);
      }
    }
    if (decode && n > 0) matches.push_back({&seg, std::move(m.rows), m.times});
  }

  if (decode) {
    engine::ExecContext ctx;
    ctx.now_us = options.now_us ? options.now_us : NowMicros();
    ctx.cancel = options.cancel;
    engine::RowDecoding output;
    output.limit = options.count_only ? 0 : options.limit;
    output.raw = options.want_raw;
    output.fields = options.want_fields;
    std::vector<engine::Record> records;
    Status st = pipeline.Run(&matches, &ctx, output, &records);
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
    if (!options.count_only) engine::ToSearchOutput(records, ctx.columns, options, &result);
  } else {
    result.results = result.matched;
  }
  result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (options.explain) {
    std::string& e = result.explain;
    e = "query:    " + query + "\n";
    e += "range:    " + DescribeRange(plan.range) + "\n";
    e += "segments: " + std::to_string(result.segments_total) + " (" + std::to_string(result.segments_scanned) +
         " scanned, " + std::to_string(result.segments_pruned) + " pruned by time)\n";
    e += "logical plan:\n" + query::DescribePlan(plan);
    if (plan.search != nullptr) {
      e += "physical plans (branches in the order they run; est: at most this many rows, from the segment's statistics):\n";
      e += segment_plans;
      if (plans_shown > kExplainSegmentPlans)
        e += "  ... and " + std::to_string(plans_shown - kExplainSegmentPlans) + " more segments\n";
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
