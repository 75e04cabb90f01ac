// timechart: aggregations per time bucket, one column per value of the by-field.
//   timechart span=1h count by eventName      timechart span=1d dc(sourceIPAddress) avg(bytes)
//   timechart bins=50 limit=5 useother=f count by userIdentity.userName
// Buckets as bin makes them (span=, bins= default 100, minspan=, aligntime=); with cont=true
// (the default) every bucket from the first to the last is a row, at most kMaxBuckets. The
// series rules (limit, OTHER, NULL) are engine/pipeline/pivot.h's. `timechart count [by f]`
// as the first command counts straight from the segments' times and dictionary codes.
#include <algorithm>
#include <unordered_map>

#include "engine/commands/commands.h"
#include "engine/pipeline/column_cursor.h"
#include "engine/pipeline/materialize.h"
#include "engine/pipeline/pivot.h"
#include "engine/pipeline/time_span.h"

namespace cairn::engine {

namespace {

// The most rows cont=true makes; past it only the buckets holding events are rows.
constexpr uint64_t kMaxBuckets = 100000;

struct TimechartSpec {
  std::vector<Aggregation> aggs;
  std::string split;
  std::optional<TimeSpan> span;
  std::string span_text;
  uint64_t bins = 100;
  double minspan = 0;
  std::string aligntime;
  bool cont = true;
  PivotOptions pivot;
  query::Span span_of_name;  // where warnings point
};

class TimechartCommand final : public Command {
 public:
  explicit TimechartCommand(TimechartSpec spec) : spec_(std::move(spec)) {}

  std::string ToString() const override {
    std::string s = "timechart " + (spec_.span ? "span=" + spec_.span_text : "bins=" + std::to_string(spec_.bins));
    for (size_t i = 0; i < spec_.aggs.size(); ++i)
      s += (i ? ", " : " ") + spec_.aggs[i].name + (spec_.aggs[i].field.empty() ? "" : "(" + spec_.aggs[i].field + ")");
    if (!spec_.split.empty()) s += " by " + spec_.split;
    return s;
  }
  bool transforming() const override { return true; }
  bool charts() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override {
    return AggregationFields(spec_.aggs, spec_.split.empty() ? std::vector<std::string>{} : std::vector<std::string>{spec_.split});
  }
  bool ends_projection() const override { return true; }
  bool CanExecuteOnSegments() const override {
    if (spec_.span && spec_.span->months > 0) return false;
    if (spec_.aggs.size() != 1) return false;
    const Aggregation& a = spec_.aggs[0];
    return a.fn == AggFn::kCount && a.field.empty() && !a.condition;
  }

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::vector<int64_t> times(records->size(), 0);
    std::optional<int64_t> lo, hi;
    for (size_t i = 0; i < records->size(); ++i) {
      const FieldCell* c = (*records)[i].Get("_time");
      auto us = c && !c->empty() ? EpochSecondsToMicros((*c)[0]) : std::nullopt;
      times[i] = us ? *us : INT64_MIN;
      if (us) {
        lo = lo ? std::min(*lo, *us) : *us;
        hi = hi ? std::max(*hi, *us) : *us;
      }
    }
    TimeBuckets buckets = MakeBuckets(lo, hi, ctx);
    PivotTable table(spec_.aggs, spec_.split, spec_.pivot);
    EvalContext ec;
    ec.now_us = ctx->now_us;
    std::vector<int64_t> starts;
    for (size_t i = 0; i < records->size(); ++i) {
      if (times[i] == INT64_MIN) continue;  // a row without _time has no bucket
      int64_t start = buckets.Start(times[i]);
      starts.push_back(start);
      table.Add(EpochSecondsText(start), (*records)[i], times[i], &ec);
    }
    if (table.ChooseSeries())
      for (size_t i = 0; i < records->size(); ++i)
        if (times[i] != INT64_MIN) table.AddOther(EpochSecondsText(buckets.Start(times[i])), (*records)[i], times[i], &ec);
    *records = Finish(table, buckets, starts, ctx);
    return storage::Status::OK();
  }

  // `timechart count [by f]` from the segments: a counter per (series, bucket) in flat
  // arrays, series found through each segment's dictionary codes.
  storage::Status ExecuteOnSegments(std::vector<SegmentMatch>* matches, std::vector<Record>* out,
                                    ExecContext* ctx) override {
    std::optional<int64_t> lo, hi;
    for (SegmentMatch& m : *matches) {
      storage::SegmentReader& reader = m.segment->reader();
      if (m.rows.cardinality() == reader.rows()) {  // every row: the footer knows the range
        int64_t first_us = reader.footer().min_time_us(), last_us = reader.footer().max_time_us();
        lo = lo ? std::min(*lo, first_us) : first_us;
        hi = hi ? std::max(*hi, last_us) : last_us;
        continue;
      }
      auto times = m.Times();
      if (!times.ok()) return times.status();
      for (uint32_t row : m.rows) {
        int64_t t = (*times.value())[row];
        lo = lo ? std::min(*lo, t) : t;
        hi = hi ? std::max(*hi, t) : t;
      }
    }
    const bool split = !spec_.split.empty();
    const Aggregation& agg = spec_.aggs[0];
    TimeBuckets buckets = MakeBuckets(lo, hi, ctx);
    ctx->columns = {"_time"};
    out->clear();
    if (!lo) {
      if (!split) ctx->columns.push_back(agg.output);
      return storage::Status::OK();
    }
    const int64_t first = buckets.Start(*lo), width = buckets.span.seconds * 1000000;
    const size_t nb = static_cast<size_t>((buckets.Start(*hi) - first) / width) + 1;
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string> names;
    std::vector<std::vector<uint64_t>> counts;  // series → bucket → events
    auto id_of = [&](const std::string& name) {
      auto [it, fresh] = ids.emplace(name, static_cast<uint32_t>(names.size()));
      if (fresh) {
        names.push_back(name);
        counts.emplace_back(nb, 0);
      }
      return it->second;
    };
    struct MultiRow {  // a row in several series: OTHER must count it once
      size_t bucket;
      std::vector<uint32_t> series;
    };
    std::vector<MultiRow> multi;
    const uint32_t kNone = UINT32_MAX;
    const uint32_t null_id = split && spec_.pivot.usenull ? id_of(PivotNullKey()) : kNone;
    const uint32_t all_id = split ? kNone : id_of("");
    std::vector<uint32_t> row_series;
    for (SegmentMatch& m : *matches) {
      auto loaded = m.Times();
      if (!loaded.ok()) return loaded.status();
      const std::vector<int64_t>& times = *loaded.value();
      storage::SegmentReader& reader = m.segment->reader();
      int field = split ? reader.FindField(spec_.split) : -1;
      const storage::Dictionary* dict = nullptr;
      ColumnCursor cursor;
      std::vector<uint32_t> code_ids;
      if (field >= 0) {
        auto d = reader.GetDictionary(field);
        if (!d.ok()) return d.status();
        dict = d.value();
        cursor = {&reader, field, {}, false};
        code_ids.assign(dict->size(), kNone);
      }
      // Rows in batches (the bitmap's iterator costs more one row at a time); `first` is a
      // bucket start at or before every time, so a row's bucket is a plain division.
      roaring_uint32_iterator_t* it = roaring_create_iterator(&m.rows.roaring);
      std::vector<uint32_t> batch(4096);
      for (uint32_t n; (n = roaring_read_uint32_iterator(it, batch.data(), static_cast<uint32_t>(batch.size()))) > 0;) {
        for (uint32_t k = 0; k < n; ++k) {
          const uint32_t row = batch[k];
          const size_t b = static_cast<size_t>((times[row] - first) / width);
          if (!split) {
            ++counts[all_id][b];
            continue;
          }
          const uint32_t *begin = nullptr, *end = nullptr;
          if (field >= 0)
            if (storage::Status st = cursor.Codes(row, &begin, &end); !st.ok()) {
              roaring_free_uint32_iterator(it);
              return st;
            }
          if (begin == end) {
            if (null_id != kNone) ++counts[null_id][b];
            continue;
          }
          if (end - begin == 1) {
            if (code_ids[*begin] == kNone) code_ids[*begin] = id_of(std::string(dict->text(*begin)));
            ++counts[code_ids[*begin]][b];
            continue;
          }
          row_series.clear();
          for (const uint32_t* c = begin; c != end; ++c) {
            if (code_ids[*c] == kNone) code_ids[*c] = id_of(std::string(dict->text(*c)));
            if (std::find(row_series.begin(), row_series.end(), code_ids[*c]) == row_series.end()) {
              row_series.push_back(code_ids[*c]);
              ++counts[code_ids[*c]][b];
            }
          }
          if (row_series.size() > 1) multi.push_back({b, row_series});
        }
      }
      roaring_free_uint32_iterator(it);
      reader.TrimCaches();
    }
    std::vector<std::pair<double, std::string>> totals;
    for (size_t i = 0; i < names.size(); ++i) {
      uint64_t sum = 0;
      for (uint64_t n : counts[i]) sum += n;
      if (sum > 0) totals.emplace_back(static_cast<double>(sum), names[i]);
    }
    std::vector<std::string> kept;
    bool has_other = false;
    SelectSeries(std::move(totals), spec_.pivot, split, &kept, &has_other);
    std::vector<uint64_t> other(nb, 0);
    if (has_other) {
      std::vector<char> dropped(names.size(), 1);
      for (const std::string& k : kept) dropped[ids[k]] = 0;
      for (size_t i = 0; i < names.size(); ++i)
        if (dropped[i])
          for (size_t b = 0; b < nb; ++b) other[b] += counts[i][b];
      for (const MultiRow& r : multi) {
        size_t d = 0;
        for (uint32_t id : r.series) d += dropped[id];
        if (d > 1) other[r.bucket] -= d - 1;
      }
    }
    std::vector<std::pair<std::string, const std::vector<uint64_t>*>> columns;
    for (const std::string& k : kept) columns.emplace_back(PivotColumnName(agg, 1, k, split, spec_.pivot), &counts[ids[k]]);
    if (has_other) columns.emplace_back(PivotColumnName(agg, 1, PivotOtherKey(), split, spec_.pivot), &other);
    for (const auto& column : columns) ctx->columns.push_back(column.first);
    bool every_bucket = spec_.cont && nb <= kMaxBuckets;
    if (spec_.cont && !every_bucket) ctx->warnings.push_back(TooManyBuckets());
    for (size_t b = 0; b < nb; ++b) {
      bool any = every_bucket;
      for (size_t i = 0; i < counts.size() && !any; ++i) any = counts[i][b] > 0;
      if (!any) continue;
      Record r;
      auto& fields = r.mutable_fields();  // the column names are distinct: no lookups
      fields.reserve(columns.size() + 1);
      fields.emplace_back("_time", FieldCell({EpochSecondsText(first + static_cast<int64_t>(b) * width)}, ValueKind::kNumber));
      for (const auto& [name, cells] : columns) fields.emplace_back(name, FieldCell({std::to_string((*cells)[b])}, ValueKind::kNumber));
      out->push_back(std::move(r));
    }
    return storage::Status::OK();
  }

 private:
  query::Diagnostic TooManyBuckets() const {
    return ArgError("timechart: more than " + std::to_string(kMaxBuckets) +
                        " buckets from the first event to the last; only buckets holding events are shown",
                    spec_.span_of_name, "use a larger span=");
  }

  TimeBuckets MakeBuckets(std::optional<int64_t> lo, std::optional<int64_t> hi, ExecContext* ctx) const {
    TimeBuckets buckets;
    if (spec_.span) buckets.span = *spec_.span;
    else buckets.span = AutoTimeSpan(lo.value_or(0), hi.value_or(0), spec_.bins, spec_.minspan);
    buckets.AlignTo(spec_.aligntime, ctx->earliest_us ? ctx->earliest_us : lo, ctx->latest_us ? ctx->latest_us : hi, ctx->now_us);
    return buckets;
  }

  std::vector<Record> Finish(const PivotTable& table, const TimeBuckets& buckets, std::vector<int64_t> starts,
                             ExecContext* ctx) const {
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    std::vector<std::string> x_order;
    if (spec_.cont && !starts.empty()) {
      uint64_t n = 0;
      for (int64_t b = starts.front(); b <= starts.back() && n <= kMaxBuckets; b = buckets.Next(b), ++n) {
        x_order.push_back(EpochSecondsText(b));
      }
      if (n > kMaxBuckets) {
        ctx->warnings.push_back(TooManyBuckets());
        x_order.clear();
      }
    }
    if (x_order.empty())
      for (int64_t b : starts) x_order.push_back(EpochSecondsText(b));
    return table.Output(x_order, "_time", ValueKind::kNumber, &ctx->columns);
  }

  TimechartSpec spec_;
};

std::unique_ptr<Command> MakeTimechartCommand(const query::CommandNode& node, CommandArgs* args,
                                              std::optional<query::Diagnostic>* error) {
  TimechartSpec spec;
  spec.span_of_name = node.name_span;
  std::vector<std::string> by;
  if (!ParseAggregations(node, args, &spec.aggs, &by, error)) return nullptr;
  if (HasSparklines(spec.aggs)) {
    *error = ArgError("sparkline() works in stats only", node.args_span);
    return nullptr;
  }
  if (!ReadPivotOptions(*args, node, &spec.pivot, error)) return nullptr;
  if (!ReadSplitClause(node, by, &spec.split, &spec.pivot, error)) return nullptr;
  if (args->Given("span")) {
    spec.span_text = args->Text("span");
    spec.span = ParseTimeSpan(spec.span_text);
    if (!spec.span) {
      *error = ArgError("timechart: span=" + spec.span_text + " is not a time span", node.args_span,
                        "for example span=5m, 1h, 1d, 1mon");
      return nullptr;
    }
  }
  spec.bins = args->Count("bins");
  if (spec.bins == 0) {
    *error = ArgError("timechart: bins= must be 1 or more", node.args_span);
    return nullptr;
  }
  if (args->Given("minspan")) {
    auto m = ParseTimeSpan(args->Text("minspan"));
    if (!m || m->months > 0) {
      *error = ArgError("timechart: minspan=" + args->Text("minspan") + " is not a time span", node.args_span);
      return nullptr;
    }
    spec.minspan = static_cast<double>(m->seconds);
  }
  spec.aligntime = args->Text("aligntime");
  spec.cont = args->Bool("cont");
  return std::make_unique<TimechartCommand>(std::move(spec));
}

std::vector<OptionSpec> TimechartOptions() {
  std::vector<OptionSpec> options = PivotOptionSpecs();
  options.push_back({"span", OptionType::kText, "", "the bucket size: 5m, 1h, 1d, 1mon"});
  options.push_back({"bins", OptionType::kCount, "100", "at most this many buckets when span is not given"});
  options.push_back({"minspan", OptionType::kText, "", "the smallest span bins= may choose"});
  options.push_back({"aligntime", OptionType::kText, "", "earliest, latest or a time: where buckets start"});
  options.push_back({"cont", OptionType::kBool, "true", "a row for every bucket, empty ones too"});
  options.push_back({"partial", OptionType::kBool, "true", "accepted: partial buckets are always shown"});
  options.push_back({"fixedrange", OptionType::kBool, "true", "accepted: the range is the events' range"});
  return options;
}

const bool kRegistered = RegisterCommand(
    {"timechart", "timechart [span=S|bins=N] [limit=N] [useother=B] [usenull=B] FUNCTION[(FIELD)] [as NAME]... [by FIELD]",
     ArgumentStyle::kOptions, TimechartOptions(), MakeTimechartCommand, {{"...", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
