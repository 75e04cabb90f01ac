// eventstats: the aggregations of stats over each group, added to every row of the group;
// the rows stay as they are, in order.
//   eventstats count as attempts, dc(userName) as users by sourceIPAddress
// A row lacking a by-field gets nothing; a field of the same name is replaced.
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/aggregation_spec.h"

namespace cairn::engine {

namespace {

class EventstatsCommand final : public Command {
 public:
  EventstatsCommand(std::vector<Aggregation> aggs, std::vector<std::string> by, bool allnum)
      : aggs_(std::move(aggs)), by_(std::move(by)), allnum_(allnum) {}
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
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::vector<Aggregation> aggs = HasWildcards(aggs_) ? ExpandWildcards(aggs_, *records) : aggs_;
    std::map<std::vector<std::string>, std::vector<AggState>> groups;
    EvalContext ec;
    ec.now_us = ctx->now_us;
    std::vector<std::vector<std::vector<std::string>>> keys(records->size());
    for (size_t i = 0; i < records->size(); ++i) {
      const Record& r = (*records)[i];
      keys[i] = GroupKeys(r, by_);
      int64_t t = RecordTimeMicros(r);
      for (const auto& key : keys[i]) {
        auto it = groups.find(key);
        if (it == groups.end()) it = groups.emplace(key, std::vector<AggState>(aggs.size())).first;
        FeedRecord(aggs, r, t, &ec, &it->second);
      }
    }
    std::map<std::vector<std::string>, std::vector<FieldCell>> results;
    for (const auto& [key, states] : groups) {
      std::vector<FieldCell>& cells = results[key];
      for (size_t a = 0; a < aggs.size(); ++a) {
        bool void_it = allnum_ && NumericFunction(aggs[a].fn) && states[a].non_numeric;
        cells.push_back(void_it ? FieldCell() : FinishAggregation(aggs[a], states[a]));
      }
    }
    for (size_t i = 0; i < records->size(); ++i) {
      if (keys[i].empty()) continue;
      const std::vector<FieldCell>& cells = results[keys[i][0]];
      for (size_t a = 0; a < aggs.size(); ++a) (*records)[i].Set(aggs[a].output, cells[a]);
    }
    return storage::Status::OK();
  }

 private:
  std::vector<Aggregation> aggs_;
  std::vector<std::string> by_;
  bool allnum_;
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
