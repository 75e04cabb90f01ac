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
#include "query/time_modifier.h"

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
    for (const auto& a : spec_.aggs)
      if (a.fn != AggFn::kCount || !a.field.empty() || a.condition) return false;
    return true;
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

  storage::Status ExecuteOnSegments(std::vector<SegmentMatch>* matches, std::vector<Record>* out,
                                    ExecContext* ctx) override {
    std::optional<int64_t> lo, hi;
    for (SegmentMatch& m : *matches) {
      auto times = m.Times();
      if (!times.ok()) return times.status();
      for (uint32_t row : m.rows) {
        int64_t t = (*times.value())[row];
        lo = lo ? std::min(*lo, t) : t;
        hi = hi ? std::max(*hi, t) : t;
      }
    }
    TimeBuckets buckets = MakeBuckets(lo, hi, ctx);
    PivotTable table(spec_.aggs, spec_.split, spec_.pivot);
    std::vector<int64_t> starts;
    for (SegmentMatch& m : *matches)
      if (storage::Status s = CountSegment(m, buckets, &table, &starts, false); !s.ok()) return s;
    if (table.ChooseSeries())
      for (SegmentMatch& m : *matches)
        if (storage::Status s = CountSegment(m, buckets, &table, nullptr, true); !s.ok()) return s;
    *out = Finish(table, buckets, starts, ctx);
    return storage::Status::OK();
  }

 private:
  TimeBuckets MakeBuckets(std::optional<int64_t> lo, std::optional<int64_t> hi, ExecContext* ctx) const {
    TimeBuckets buckets;
    if (spec_.span) buckets.span = *spec_.span;
    else buckets.span = AutoTimeSpan(lo.value_or(0), hi.value_or(0), spec_.bins, spec_.minspan);
    if (!spec_.aligntime.empty()) {
      std::optional<int64_t> align;
      if (spec_.aligntime == "earliest") align = lo;
      else if (spec_.aligntime == "latest") align = hi;
      else {
        std::string err;
        align = query::ResolveTimeModifier(spec_.aligntime, ctx->now_us, &err);
      }
      if (align) buckets.AlignTo(*align);
    }
    return buckets;
  }

  // Counts one segment's matches per (bucket, value code). With `other`, counts per bucket
  // the rows having a value that is not a kept series (pass 2).
  storage::Status CountSegment(SegmentMatch& m, const TimeBuckets& buckets, PivotTable* table,
                               std::vector<int64_t>* starts, bool other) {
    auto loaded = m.Times();
    if (!loaded.ok()) return loaded.status();
    const std::vector<int64_t>& times = *loaded.value();
    storage::SegmentReader& reader = m.segment->reader();
    int field = spec_.split.empty() ? -1 : reader.FindField(spec_.split);
    const storage::Dictionary* dict = nullptr;
    ColumnCursor cursor;
    std::vector<char> kept;
    if (field >= 0) {
      auto d = reader.GetDictionary(field);
      if (!d.ok()) return d.status();
      dict = d.value();
      cursor = {&reader, field, {}, false};
      if (other) {
        kept.resize(dict->size());
        for (uint32_t c = 0; c < dict->size(); ++c) kept[c] = table->Kept(std::string(dict->text(c)));
      }
    }
    const uint32_t kMissing = UINT32_MAX;
    std::unordered_map<int64_t, std::unordered_map<uint32_t, uint64_t>> counts;  // bucket → code → n
    for (uint32_t row : m.rows) {
      int64_t start = buckets.Start(times[row]);
      if (!spec_.split.empty() && field < 0) {
        if (other) {
          if (!table->Kept("")) ++counts[start][0];
        } else {
          ++counts[start][kMissing];
        }
        continue;
      }
      if (field < 0) {
        ++counts[start][0];
        continue;
      }
      const uint32_t *b = nullptr, *e = nullptr;
      if (storage::Status s = cursor.Codes(row, &b, &e); !s.ok()) return s;
      if (other) {
        bool dropped = b == e ? !table->Kept("") : false;
        for (const uint32_t* c = b; c != e && !dropped; ++c) dropped = !kept[*c];
        if (dropped) ++counts[start][0];
        continue;
      }
      if (b == e) {
        ++counts[start][kMissing];
        continue;
      }
      for (const uint32_t* c = b; c != e; ++c)
        if (std::find(b, c, *c) == c) ++counts[start][*c];
    }
    for (const auto& [start, by_code] : counts) {
      std::string x = EpochSecondsText(start);
      if (starts) starts->push_back(start);
      for (const auto& [code, n] : by_code) {
        if (other) table->AddOtherCount(x, n);
        else if (code == kMissing) table->AddCount(x, "", true, n);
        else table->AddCount(x, field >= 0 ? std::string(dict->text(code)) : "", false, n);
      }
    }
    reader.TrimCaches();
    return storage::Status::OK();
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
        ctx->warnings.push_back(ArgError("timechart: more than " + std::to_string(kMaxBuckets) +
                                             " buckets from the first event to the last; only buckets holding events are shown",
                                         spec_.span_of_name, "use a larger span="));
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
