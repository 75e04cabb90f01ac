// eventstats: the aggregations of stats over each group, added to every row of the group;
// the rows stay as they are, in order.
//   eventstats count as attempts, dc(userName) as users by sourceIPAddress
// A row lacking a by-field gets nothing; a field of the same name is replaced. Streamed, it
// reads the events twice (StreamRole::kTwoPass): once to aggregate, once to annotate, so it
// holds one state per group, not the events.
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/aggregation_spec.h"

namespace cairn::engine {

namespace {

class EventstatsCommand final : public Command {
 public:
  EventstatsCommand(std::vector<Aggregation> aggs, std::vector<std::string> by, bool allnum)
      : aggs_(std::move(aggs)), by_(std::move(by)), allnum_(allnum), run_aggs_(aggs_) {}
  std::string ToString() const override {
    std::string s = "eventstats";
    for (size_t i = 0; i < aggs_.size(); ++i)
      s += (i ? ", " : " ") + aggs_[i].name + (aggs_[i].field.empty() ? "" : "(" + aggs_[i].field + ")") +
           " as " + aggs_[i].output;
    if (!by_.empty()) {
      s += " by";
      for (const auto& b : by_) s += " " + b;
    }
    return s;
  }
  std::optional<std::vector<std::string>> FieldsRead() const override { return AggregationFields(aggs_, by_); }
  StreamRole stream_role() const override { return HasWildcards(aggs_) ? StreamRole::kNone : StreamRole::kTwoPass; }

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    run_aggs_ = HasWildcards(aggs_) ? ExpandWildcards(aggs_, *records) : aggs_;
    groups_.clear();
    storage::Status s = Gather(*records, ctx);
    if (!s.ok()) return s;
    EndGather();
    return Consume(records, ctx);
  }
  // The first reading: each group's aggregations.
  storage::Status Gather(const std::vector<Record>& batch, ExecContext* ctx) override {
    EvalContext ec;
    ec.now_us = ctx->now_us;
    for (const Record& r : batch) {
      int64_t t = RecordTimeMicros(r);
      for (const auto& key : GroupKeys(r, by_)) {
        auto it = groups_.find(key);
        if (it == groups_.end()) it = groups_.emplace(key, std::vector<AggState>(run_aggs_.size())).first;
        FeedRecord(run_aggs_, r, t, &ec, &it->second);
      }
    }
    return storage::Status::OK();
  }
  void EndGather() override {
    results_.clear();
    for (const auto& [key, states] : groups_) {
      std::vector<FieldCell>& cells = results_[key];
      for (size_t a = 0; a < run_aggs_.size(); ++a) {
        bool void_it = allnum_ && NumericFunction(run_aggs_[a].fn) && states[a].non_numeric;
        cells.push_back(void_it ? FieldCell() : FinishAggregation(run_aggs_[a], states[a]));
      }
    }
    groups_.clear();
  }
  // The second reading: each row gets its group's results.
  storage::Status Consume(std::vector<Record>* batch, ExecContext*) override {
    for (Record& r : *batch) {
      std::vector<std::vector<std::string>> keys = GroupKeys(r, by_);
      if (keys.empty()) continue;
      auto it = results_.find(keys[0]);
      if (it == results_.end()) continue;
      for (size_t a = 0; a < run_aggs_.size(); ++a) r.Set(run_aggs_[a].output, it->second[a]);
    }
    return storage::Status::OK();
  }

 private:
  std::vector<Aggregation> aggs_;
  std::vector<std::string> by_;
  bool allnum_;
  std::vector<Aggregation> run_aggs_;  // aggs_ with wildcards expanded
  std::map<std::vector<std::string>, std::vector<AggState>> groups_;  // while gathering
  std::map<std::vector<std::string>, std::vector<FieldCell>> results_;
};

std::unique_ptr<Command> MakeEventstatsCommand(const query::CommandNode& node, CommandArgs* args,
                                               std::optional<query::Diagnostic>* error) {
  std::vector<Aggregation> aggs;
  std::vector<std::string> by;
  if (!ParseAggregations(node, args, &aggs, &by, error)) return nullptr;
  if (HasSparklines(aggs)) {
    *error = ArgError("sparkline() works in stats only", node.args_span);
    return nullptr;
  }
  return std::make_unique<EventstatsCommand>(std::move(aggs), std::move(by), args->Bool("allnum"));
}

const bool kRegistered = RegisterCommand({"eventstats", "eventstats [allnum=false] FUNCTION[(FIELD)] [as NAME]... [by FIELD...]",
                                          ArgumentStyle::kOptions,
                                          {{"allnum", OptionType::kBool, "false", "numeric statistics only where every value is a number (else empty)"}},
                                          MakeEventstatsCommand, {{"...", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
