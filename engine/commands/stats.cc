// stats: aggregations per group of by-field values.
//   stats count, dc(requestParameters.key) as files by eventName, "requestParameters.bucketName"
// Functions: count, count(f), dc, values, list, min, max, avg, sum, range, earliest, latest,
// first, last. Groups are sorted by their by-values; events lacking a by-field are left out;
// a multivalue by-field puts the event in one group per value. As the first command it
// aggregates straight from segment columns, on dictionary codes.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "engine/commands/commands.h"
#include "engine/eval/evaluator.h"
#include "engine/pipeline/aggregation.h"
#include "engine/pipeline/aggregation_spec.h"
#include "engine/pipeline/column_cursor.h"
#include "query/eval_parser.h"

namespace cairn::engine {

namespace {

using GroupKey = std::vector<std::string>;

// Counting `stats count by f` from postings (each value's rows intersected with the matches)
// beats reading the column when the search matched at least 1/kPostingsCountMinShare of the
// segment and the field has at most kPostingsCountMaxValues values there. Both ways give
// the same counts (tests/queries/thresholds/ checks both sides); only the cost differs.
constexpr uint32_t kPostingsCountMaxValues = 4096;
constexpr uint64_t kPostingsCountMinShare = 8;

class StatsCommand final : public Command {
 public:
  StatsCommand(std::vector<Aggregation> aggs, std::vector<std::string> by)
      : aggs_(std::move(aggs)), by_(std::move(by)) {}

  std::string ToString() const override {
    std::string s = "stats";
    for (size_t i = 0; i < aggs_.size(); ++i) {
      s += (i ? ", " : " ") + aggs_[i].name;
      if (!aggs_[i].field.empty()) s += "(" + aggs_[i].field + ")";
      s += " as " + aggs_[i].output;
    }
    if (!by_.empty()) {
      s += " by";
      for (const auto& b : by_) s += " " + b;
    }
    return s;
  }
  bool transforming() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override {
    return AggregationFields(aggs_, by_);
  }
  bool ends_projection() const override { return true; }
  // Straight from columns unless an aggregation needs eval or search order (list, first,
  // last: the columnar pass visits rows oldest first).
  bool CanExecuteOnSegments() const override {
    for (const auto& a : aggs_)
      if (a.condition || OrderDependent(a.fn) || a.sparkline) return false;
    return !HasWildcards(aggs_);
  }

  // Streamed, it aggregates batch by batch; wildcards and sparklines need every record first.
  StreamRole stream_role() const override {
    for (const auto& a : aggs_)
      if (a.sparkline) return StreamRole::kNone;
    return HasWildcards(aggs_) ? StreamRole::kNone : StreamRole::kSink;
  }
  bool order_sensitive() const override {
    return std::any_of(aggs_.begin(), aggs_.end(), [](const Aggregation& a) { return OrderDependent(a.fn); });
  }

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    if (HasWildcards(aggs_)) aggs_ = ExpandWildcards(aggs_, *records);
    PrepareSparklines(&aggs_, *records);
    streamed_ = Groups();
    storage::Status s = Consume(records, ctx);
    if (!s.ok()) return s;
    return EndStream(records, ctx);
  }
  storage::Status Consume(std::vector<Record>* batch, ExecContext* ctx) override {
    storage::Status s = FeedGroups(*batch, ctx, &streamed_);
    batch->clear();
    return s;
  }
  storage::Status EndStream(std::vector<Record>* out, ExecContext* ctx) override {
    *out = streamed_.Output(aggs_, by_);
    streamed_ = Groups();
    SetColumns(ctx);
    return storage::Status::OK();
  }

  void SetColumns(ExecContext* ctx) const {
    ctx->columns = by_;
    for (const auto& a : aggs_) ctx->columns.push_back(a.output);
  }

  storage::Status ExecuteOnSegments(std::vector<SegmentMatch>* matches, std::vector<Record>* out,
                                    ExecContext* ctx) override {
    SetColumns(ctx);
    Groups groups;
    for (SegmentMatch& m : *matches) {
      storage::Status s = ctx->CheckLimits();
      if (s.ok()) s = AggregateSegment(m, &groups);
      if (!s.ok()) return s;
    }
    *out = groups.Output(aggs_, by_);
    return storage::Status::OK();
  }

 private:
  struct Groups {
    std::map<GroupKey, std::vector<AggState>> map;
    std::vector<AggState>& Get(const GroupKey& key, size_t n) {
      auto it = map.find(key);
      if (it == map.end()) it = map.emplace(key, std::vector<AggState>(n)).first;
      return it->second;
    }
    std::vector<Record> Output(const std::vector<Aggregation>& aggs, const std::vector<std::string>& by) {
      std::vector<Record> out;
      if (map.empty() && by.empty()) map.emplace(GroupKey{}, std::vector<AggState>(aggs.size()));
      for (const auto& [key, states] : map) {
        Record r;
        for (size_t i = 0; i < by.size(); ++i) r.Set(by[i], {key[i]});
        for (size_t a = 0; a < aggs.size(); ++a) r.Set(aggs[a].output, FinishAggregation(aggs[a], states[a]));
        out.push_back(std::move(r));
      }
      return out;
    }
  };

  // Adds the records to the groups of their by-values.
  storage::Status FeedGroups(const std::vector<Record>& records, ExecContext* ctx, Groups* groups) {
    EvalContext ec;
    ec.now_us = ctx->now_us;
    for (size_t i = 0; i < records.size(); ++i) {
      if ((i & 4095) == 4095)
        if (storage::Status s = ctx->CheckLimits(); !s.ok()) return s;
      const Record& r = records[i];
      std::vector<const FieldCell*> by_cells;
      bool skip = false;
      for (const auto& b : by_) {
        const FieldCell* c = r.Get(b);
        if (c == nullptr || c->empty()) {
          skip = true;
          break;
        }
        by_cells.push_back(c);
      }
      if (skip) continue;
      int64_t t = RecordTime(r);
      ForEachKey(by_cells,
                 [&](const GroupKey& key) { FeedRecord(aggs_, r, t, &ec, &groups->Get(key, aggs_.size())); });
    }
    return storage::Status::OK();
  }

  static int64_t RecordTime(const Record& r) {
    const FieldCell* t = r.Get("_time");
    if (t == nullptr || t->empty()) return 0;
    auto n = TextNumber((*t)[0]);
    return n ? static_cast<int64_t>(*n * 1e6) : 0;
  }

  // Calls f with every combination of by-values (one group per multivalue element).
  template <typename F>
  static void ForEachKey(const std::vector<const FieldCell*>& cells, F&& f) {
    GroupKey key(cells.size());
    std::vector<size_t> idx(cells.size(), 0);
    while (true) {
      for (size_t i = 0; i < cells.size(); ++i) key[i] = (*cells[i])[idx[i]];
      f(key);
      size_t i = 0;
      while (i < cells.size() && ++idx[i] == cells[i]->size()) idx[i++] = 0;
      if (i == cells.size()) return;
    }
  }

  // `stats count by f` over a field of few values: each group's count is the size of the
  // value's postings intersected with the matched rows; no column is read.
  bool AllPlainCounts() const {
    for (const auto& a : aggs_)
      if (!a.field.empty() || a.fn != AggFn::kCount) return false;
    return true;
  }

  storage::Status CountByPostings(SegmentMatch& m, int field, Groups* groups, bool* done) {
    storage::SegmentReader& reader = m.segment->reader();
    if (reader.field(field).distinct > kPostingsCountMaxValues) return storage::Status::OK();
    auto d = reader.GetDictionary(field);
    if (!d.ok()) return d.status();
    auto p = reader.GetPostings(field);
    if (!p.ok()) return p.status();
    bool all_rows = m.rows.cardinality() == reader.rows();
    for (uint32_t c = 0; c < d.value()->size(); ++c) {
      uint64_t n = 0;
      if (storage::Status st = p.value()->Count(c, all_rows ? nullptr : &m.rows, &n); !st.ok()) return st;
      if (n == 0) continue;
      std::vector<AggState>& states = groups->Get({std::string(d.value()->text(c))}, aggs_.size());
      for (auto& st : states) st.count += n;
    }
    *done = true;
    return storage::Status::OK();
  }

  // Counts only, over a small code space: one counter per code tuple, groups built at the end.
  storage::Status CountOnCodes(SegmentMatch& m, std::vector<ColumnCursor>& cursors,
                               const std::vector<const storage::Dictionary*>& dicts, uint64_t space,
                               Groups* groups) {
    const size_t n = by_.size();
    std::vector<uint64_t> counts(space, 0);
    std::vector<uint32_t> radix(n);
    for (size_t i = 0; i < n; ++i) radix[i] = std::max<uint32_t>(1, dicts[i]->size());
    std::vector<std::pair<const uint32_t*, const uint32_t*>> codes(n);
    std::vector<size_t> idx(n);
    for (uint32_t row : m.rows) {
      bool skip = false, single = true;
      for (size_t i = 0; i < n; ++i) {
        storage::Status s = cursors[i].Codes(row, &codes[i].first, &codes[i].second);
        if (!s.ok()) return s;
        if (codes[i].first == codes[i].second) {
          skip = true;
          break;
        }
        single &= codes[i].second - codes[i].first == 1;
      }
      if (skip) continue;
      if (single) {
        uint64_t k = 0;
        for (size_t i = 0; i < n; ++i) k = k * radix[i] + *codes[i].first;
        ++counts[k];
        continue;
      }
      std::fill(idx.begin(), idx.end(), 0);  // multivalue: every combination
      while (true) {
        uint64_t k = 0;
        for (size_t i = 0; i < n; ++i) k = k * radix[i] + codes[i].first[idx[i]];
        ++counts[k];
        size_t i = 0;
        while (i < n && ++idx[i] == static_cast<size_t>(codes[i].second - codes[i].first)) idx[i++] = 0;
        if (i == n) break;
      }
    }
    GroupKey key(n);
    for (uint64_t k = 0; k < space; ++k) {
      if (counts[k] == 0) continue;
      uint64_t rest = k;
      for (size_t i = n; i-- > 0;) {
        key[i] = std::string(dicts[i]->text(static_cast<uint32_t>(rest % radix[i])));
        rest /= radix[i];
      }
      for (auto& st : groups->Get(key, aggs_.size())) st.count += counts[k];
    }
    m.segment->reader().TrimCaches();
    return storage::Status::OK();
  }

  storage::Status AggregateSegment(SegmentMatch& m, Groups* groups) {
    storage::SegmentReader& reader = m.segment->reader();
    // Postings pay off when the search matched a good part of the segment: intersecting
    // every value's rows with the matched rows touches every posting, while reading the
    // column touches only the matched rows.
    if (AllPlainCounts() && by_.size() == 1 &&
        m.rows.cardinality() * kPostingsCountMinShare >= reader.rows()) {
      if (int f = reader.FindField(by_[0]); f >= 0) {
        bool done = false;
        storage::Status s = CountByPostings(m, f, groups, &done);
        if (!s.ok() || done) return s;
      }
    }
    std::vector<ColumnCursor> by_cursors(by_.size());
    std::vector<const storage::Dictionary*> by_dicts(by_.size());
    for (size_t i = 0; i < by_.size(); ++i) {
      int f = reader.FindField(by_[i]);
      if (f < 0) return storage::Status::OK();  // no event here has the by-field
      by_cursors[i] = {&reader, f, {}, false};
      auto d = reader.GetDictionary(f);
      if (!d.ok()) return d.status();
      by_dicts[i] = d.value();
    }
    std::vector<ColumnCursor> agg_cursors(aggs_.size());
    std::vector<const storage::Dictionary*> agg_dicts(aggs_.size(), nullptr);
    std::vector<std::vector<double>> numbers(aggs_.size());  // per code, NaN if not a number
    std::vector<NumericCursor> numeric_cursors(aggs_.size());
    for (size_t a = 0; a < aggs_.size(); ++a) {
      if (aggs_[a].field.empty()) continue;
      if (aggs_[a].field == "_time") continue;
      int f = reader.FindField(aggs_[a].field);
      if (f < 0) continue;
      if (reader.IsNumeric(f)) {  // values read as they are stored
        numeric_cursors[a] = {&reader, f};
        continue;
      }
      agg_cursors[a] = {&reader, f, {}, false};
      auto d = reader.GetDictionary(f);
      if (!d.ok()) return d.status();
      agg_dicts[a] = d.value();
      numbers[a].resize(d.value()->size());
      for (uint32_t c = 0; c < d.value()->size(); ++c) {
        auto n = TextNumber(d.value()->text(c));
        numbers[a][c] = n ? *n : std::nan("");
      }
    }
    // Groups of this segment by code tuple, each pointing at the global group's states:
    // a flat array indexed by the mixed-radix code tuple when it is small, else a hash map.
    uint64_t space = 1;
    bool flat = true;
    for (const auto* d : by_dicts) {
      space *= std::max<uint32_t>(1, d->size());
      if (space > (1u << 22)) {
        flat = false;
        break;
      }
    }
    if (flat && AllPlainCounts()) return CountOnCodes(m, by_cursors, by_dicts, space, groups);
    auto loaded_times = m.Times();
    if (!loaded_times.ok()) return loaded_times.status();
    const std::vector<int64_t>& times = *loaded_times.value();
    std::vector<std::vector<AggState>*> flat_groups(flat ? space : 0, nullptr);
    std::unordered_map<std::string, std::vector<AggState>*> local;
    std::string code_key;
    std::vector<std::pair<const uint32_t*, const uint32_t*>> by_codes(by_.size());
    std::vector<size_t> idx(by_.size());
    for (uint32_t row : m.rows) {
      bool skip = false;
      for (size_t i = 0; i < by_.size(); ++i) {
        storage::Status s = by_cursors[i].Codes(row, &by_codes[i].first, &by_codes[i].second);
        if (!s.ok()) return s;
        if (by_codes[i].first == by_codes[i].second) {
          skip = true;
          break;
        }
      }
      if (skip) continue;
      int64_t t = times[row];
      std::fill(idx.begin(), idx.end(), 0);
      while (true) {
        std::vector<AggState>** slot;
        if (flat) {
          uint64_t k = 0;
          for (size_t i = 0; i < by_.size(); ++i)
            k = k * std::max<uint32_t>(1, by_dicts[i]->size()) + by_codes[i].first[idx[i]];
          slot = &flat_groups[k];
        } else {
          code_key.clear();
          for (size_t i = 0; i < by_.size(); ++i) {
            uint32_t c = by_codes[i].first[idx[i]];
            code_key.append(reinterpret_cast<const char*>(&c), 4);
          }
          slot = &local[code_key];
        }
        if (*slot == nullptr) {
          GroupKey key(by_.size());
          for (size_t i = 0; i < by_.size(); ++i)
            key[i] = std::string(by_dicts[i]->text(by_codes[i].first[idx[i]]));
          *slot = &groups->Get(key, aggs_.size());
        }
        std::vector<AggState>& states = **slot;
        for (size_t a = 0; a < aggs_.size(); ++a) {
          if (aggs_[a].field.empty()) {
            ++states[a].count;
            continue;
          }
          if (aggs_[a].field == "_time") {
            std::string v = FormatNumber(static_cast<double>(t) / 1e6);
            Feed(aggs_[a].fn, v, static_cast<double>(t) / 1e6, t, &states[a]);
            continue;
          }
          if (numeric_cursors[a].reader != nullptr) {
            bool present = false;
            int64_t v = 0;
            if (storage::Status s = numeric_cursors[a].Value(row, &present, &v); !s.ok()) return s;
            if (!present) continue;
            char text[20];
            Feed(aggs_[a].fn, std::string_view(text, storage::FormatInteger(v, text)), static_cast<double>(v),
                 t, &states[a]);
            continue;
          }
          if (agg_dicts[a] == nullptr) continue;
          const uint32_t *b, *e;
          storage::Status s = agg_cursors[a].Codes(row, &b, &e);
          if (!s.ok()) return s;
          for (const uint32_t* c = b; c != e; ++c) {
            double n = numbers[a][*c];
            Feed(aggs_[a].fn, agg_dicts[a]->text(*c), std::isnan(n) ? std::nullopt : std::optional<double>(n),
                 t, &states[a]);
          }
        }
        size_t i = 0;
        while (i < by_.size() && ++idx[i] == static_cast<size_t>(by_codes[i].second - by_codes[i].first))
          idx[i++] = 0;
        if (i == by_.size()) break;
      }
    }
    reader.TrimCaches();
    return storage::Status::OK();
  }

  std::vector<Aggregation> aggs_;
  std::vector<std::string> by_;
  Groups streamed_;  // the groups so far, while streaming
};

}  // namespace

static std::unique_ptr<Command> MakeStatsCommand(const query::CommandNode& node, CommandArgs* args,
                                                 std::optional<query::Diagnostic>* error) {
  std::vector<Aggregation> aggs;
  std::vector<std::string> by;
  if (!ParseAggregations(node, args, &aggs, &by, error)) return nullptr;
  return std::make_unique<StatsCommand>(std::move(aggs), std::move(by));
}

namespace {
const bool kRegistered = RegisterCommand({"stats",
                                          "stats FUNCTION[(FIELD)] [as NAME]... [by FIELD...]",
                                          ArgumentStyle::kOptions,
                                          {},
                                          MakeStatsCommand,
                                          {{"...", ArgumentKind::kCustom, ""}}});
}  // namespace

}  // namespace cairn::engine
