// streamstats: running aggregations. Each row gets the aggregations over the rows before it
// in its group, in result order (and itself, with current=true).
//   streamstats count as attempt by sourceIPAddress
//   streamstats window=5 current=false dc(userName) as users by sourceIPAddress
//   streamstats time_window=10m count as recent by userName
// window=N keeps the last N rows (of all rows with global=true, of the group's own with
// global=false); time_window keeps the rows within the span of the row's _time;
// reset_on_change, reset_before and reset_after clear every group's state. State is kept
// per group seen, and windows hold copies of at most their rows, so the command streams:
// batches of events pass through it one after another (StreamRole::kRunning).
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/aggregation_spec.h"
#include "engine/pipeline/time_span.h"
#include "query/eval_parser.h"

namespace cairn::engine {

namespace {

class StreamstatsCommand final : public Command {
 public:
  struct Options {
    bool current = true;
    uint64_t window = 0;
    int64_t time_window_us = 0;
    bool global = true;
    bool reset_on_change = false;
    std::shared_ptr<query::EvalExpr> reset_before, reset_after;
  };
  StreamstatsCommand(std::vector<Aggregation> aggs, std::vector<std::string> by, Options options)
      : aggs_(std::move(aggs)), by_(std::move(by)), options_(std::move(options)) {}
  std::string ToString() const override {
    std::string s = "streamstats";
    if (options_.window) s += " window=" + std::to_string(options_.window);
    if (!options_.current) s += " current=false";
    for (size_t i = 0; i < aggs_.size(); ++i)
      s += (i ? ", " : " ") + aggs_[i].name + (aggs_[i].field.empty() ? "" : "(" + aggs_[i].field + ")") +
           " as " + aggs_[i].output;
    if (!by_.empty()) {
      s += " by";
      for (const auto& b : by_) s += " " + b;
    }
    return s;
  }

  std::optional<std::vector<std::string>> FieldsRead() const override {
    auto fields = AggregationFields(aggs_, by_);
    for (const auto& e : {options_.reset_before, options_.reset_after})
      if (fields && e && !CollectEvalFields(*e, &*fields)) return std::nullopt;
    return fields;
  }
  StreamRole stream_role() const override { return HasWildcards(aggs_) ? StreamRole::kNone : StreamRole::kRunning; }

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    Reset(HasWildcards(aggs_) ? ExpandWildcards(aggs_, *records) : aggs_);
    return Run(records, ctx);
  }
  storage::Status Consume(std::vector<Record>* batch, ExecContext* ctx) override {
    if (!started_) Reset(aggs_);
    return Run(batch, ctx);
  }
  storage::Status EndStream(std::vector<Record>* out, ExecContext*) override {
    out->clear();
    started_ = false;  // the next Consume starts afresh
    return storage::Status::OK();
  }

 private:
  // A row a window holds: a copy as it came in (before this command's fields were added).
  struct WindowRow {
    int64_t time;
    std::vector<std::string> key;  // kept for the global window only
    Record record;
  };

  void Reset(std::vector<Aggregation> aggs) {
    run_aggs_ = std::move(aggs);
    ClearState();
    previous_key_.reset();
    started_ = true;
  }
  void ClearState() {
    running_.clear();
    group_rows_.clear();
    global_rows_.clear();
  }

  // Adds the running statistics to each row of `rows`, which follow the rows seen so far.
  storage::Status Run(std::vector<Record>* rows, ExecContext* ctx) {
    const std::vector<Aggregation>& aggs = run_aggs_;
    EvalContext ec;
    ec.now_us = ctx->now_us;
    const bool windowed = options_.window > 0 || options_.time_window_us > 0;
    auto truthy = [&](const std::shared_ptr<query::EvalExpr>& e, const Record& r) {
      if (!e) return false;
      EvalValue v = Evaluate(*e, r, &ec);
      return v.is_bool() ? v.boolean : (!v.is_null() && v.Truthy());
    };
    std::vector<std::pair<std::string, FieldCell>> outputs;
    for (size_t i = 0; i < rows->size(); ++i) {
      Record& r = (*rows)[i];
      const int64_t time = RecordTimeMicros(r);
      if (truthy(options_.reset_before, r)) ClearState();
      std::vector<std::vector<std::string>> keys = GroupKeys(r, by_);
      if (keys.empty()) {
        if (truthy(options_.reset_after, r)) ClearState();
        continue;
      }
      const std::vector<std::string>& key = keys[0];
      if (options_.reset_on_change && previous_key_ && *previous_key_ != key) ClearState();
      previous_key_ = key;
      outputs.clear();
      if (!windowed) {
        std::vector<AggState>& states = running_.try_emplace(key, std::vector<AggState>(aggs.size())).first->second;
        if (options_.current) FeedRecord(aggs, r, time, &ec, &states);
        for (size_t a = 0; a < aggs.size(); ++a) outputs.emplace_back(aggs[a].output, FinishAggregation(aggs[a], states[a]));
        if (!options_.current) FeedRecord(aggs, r, time, &ec, &states);
      } else {
        // The rows before this one that the window holds: N - 1 of them when the row itself
        // counts (current=true), N otherwise.
        const size_t prior_cap = options_.window == 0 ? SIZE_MAX : options_.window - (options_.current ? 1 : 0);
        const bool one_window = options_.global && options_.window > 0;
        auto in_time = [&](int64_t t) {
          return options_.time_window_us == 0 || std::llabs(time - t) <= options_.time_window_us;
        };
        std::vector<AggState> states(aggs.size());
        if (one_window) {
          while (global_rows_.size() > prior_cap) global_rows_.pop_front();
          for (const WindowRow& w : global_rows_)
            if (w.key == key && in_time(w.time)) FeedRecord(aggs, w.record, w.time, &ec, &states);
        } else {
          std::deque<WindowRow>& held = group_rows_[key];
          while (held.size() > prior_cap) held.pop_front();
          while (!held.empty() && !in_time(held.front().time)) held.pop_front();
          for (const WindowRow& w : held)
            if (in_time(w.time)) FeedRecord(aggs, w.record, w.time, &ec, &states);
        }
        if (options_.current) FeedRecord(aggs, r, time, &ec, &states);
        for (size_t a = 0; a < aggs.size(); ++a) outputs.emplace_back(aggs[a].output, FinishAggregation(aggs[a], states[a]));
        if (one_window) global_rows_.push_back({time, key, r});
        else group_rows_[key].push_back({time, {}, r});
      }
      for (auto& [name, cell] : outputs) r.Set(name, std::move(cell));
      // reset_after sees the row with this row's statistics.
      if (truthy(options_.reset_after, r)) ClearState();
      if ((i & 4095) == 0)
        if (storage::Status s = ctx->CheckLimits(); !s.ok()) return s;
    }
    return storage::Status::OK();
  }

  std::vector<Aggregation> aggs_;
  std::vector<std::string> by_;
  Options options_;
  // The state between batches.
  bool started_ = false;
  std::vector<Aggregation> run_aggs_;  // aggs_ with wildcards expanded
  std::map<std::vector<std::string>, std::vector<AggState>> running_;  // no window
  std::map<std::vector<std::string>, std::deque<WindowRow>> group_rows_;
  std::deque<WindowRow> global_rows_;  // window= with global=true
  std::optional<std::vector<std::string>> previous_key_;
};

std::unique_ptr<Command> MakeStreamstatsCommand(const query::CommandNode& node, CommandArgs* args,
                                                std::optional<query::Diagnostic>* error) {
  StreamstatsCommand::Options options;
  options.current = args->Bool("current");
  options.window = args->Count("window");
  options.global = args->Bool("global");
  options.reset_on_change = args->Bool("reset_on_change");
  if (args->Given("time_window")) {
    auto span = ParseTimeSpan(args->Text("time_window"));
    if (!span || span->months > 0) {
      *error = ArgError("streamstats: time_window=" + args->Text("time_window") + " is not a time span such as 10m",
                        node.args_span);
      return nullptr;
    }
    options.time_window_us = span->seconds * 1000000;
  }
  for (const char* name : {"reset_before", "reset_after"}) {
    if (!args->Given(name)) continue;
    std::string text = args->Text(name);
    query::EvalParseResult parsed = query::ParseEvalExpression(text, node.args_span.begin);
    if (parsed.error) {
      query::Diagnostic d = *parsed.error;
      d.message = std::string("streamstats ") + name + ": " + d.message;
      d.span = node.args_span;
      *error = d;
      return nullptr;
    }
    (std::string(name) == "reset_before" ? options.reset_before : options.reset_after) = std::move(parsed.expr);
  }
  std::vector<Aggregation> aggs;
  std::vector<std::string> by;
  if (!ParseAggregations(node, args, &aggs, &by, error)) return nullptr;
  if (HasSparklines(aggs)) {
    *error = ArgError("sparkline() works in stats only", node.args_span);
    return nullptr;
  }
  return std::make_unique<StreamstatsCommand>(std::move(aggs), std::move(by), std::move(options));
}

const bool kRegistered = RegisterCommand(
    {"streamstats", "streamstats [current=true] [window=N] [time_window=S] [global=true] [reset_on_change=false] FUNCTION[(FIELD)] [as NAME]... [by FIELD...]",
     ArgumentStyle::kOptions,
     {{"current", OptionType::kBool, "true", "include the row itself"},
      {"window", OptionType::kCount, "0", "only the last N rows (0: all)"},
      {"time_window", OptionType::kText, "", "only rows within this span of the row's _time"},
      {"global", OptionType::kBool, "true", "one window over all rows (true) or one per group"},
      {"reset_on_change", OptionType::kBool, "false", "clear the state when a by-value changes"},
      {"reset_before", OptionType::kText, "", "clear the state before a row where this eval expression is true"},
      {"reset_after", OptionType::kText, "", "clear the state after a row where this eval expression is true"},
      {"allnum", OptionType::kBool, "false", "accepted; numeric functions use the numbers"}},
     MakeStreamstatsCommand, {{"...", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
