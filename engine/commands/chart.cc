// chart: aggregations with one row per value of a field and one column per value of another.
//   chart count over eventName by awsRegion      chart count by eventName awsRegion
//   chart dc(sourceIPAddress) avg(bytes) over userIdentity.userName
// Rows are the values of the `over` field in lexicographic order (as stats sorts); a record
// lacking it is left out. The series rules (limit, OTHER, NULL) are engine/pipeline/pivot.h's.
#include <algorithm>

#include "engine/commands/commands.h"
#include "engine/pipeline/pivot.h"

namespace cairn::engine {

namespace {

class ChartCommand final : public Command {
 public:
  ChartCommand(std::vector<Aggregation> aggs, std::string over, std::string split, PivotOptions options)
      : aggs_(std::move(aggs)), over_(std::move(over)), split_(std::move(split)), options_(std::move(options)) {}

  std::string ToString() const override {
    std::string s = "chart";
    for (size_t i = 0; i < aggs_.size(); ++i)
      s += (i ? ", " : " ") + aggs_[i].name + (aggs_[i].field.empty() ? "" : "(" + aggs_[i].field + ")");
    if (!over_.empty()) s += " over " + over_;
    if (!split_.empty()) s += " by " + split_;
    return s;
  }
  bool transforming() const override { return true; }
  bool charts() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> keys;
    for (const std::string& f : {over_, split_})
      if (!f.empty()) keys.push_back(f);
    return AggregationFields(aggs_, keys);
  }
  bool ends_projection() const override { return true; }

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::vector<Aggregation> aggs = HasWildcards(aggs_) ? ExpandWildcards(aggs_, *records) : aggs_;
    PivotTable table(aggs, split_, options_);
    EvalContext ec;
    ec.now_us = ctx->now_us;
    std::vector<std::vector<std::string>> xs(records->size());
    for (size_t i = 0; i < records->size(); ++i) {
      const Record& r = (*records)[i];
      if (over_.empty()) {
        xs[i] = {""};
      } else if (const FieldCell* c = r.Get(over_); c != nullptr) {
        for (const std::string& v : *c)
          if (std::find(xs[i].begin(), xs[i].end(), v) == xs[i].end()) xs[i].push_back(v);
      }
      for (const std::string& x : xs[i]) table.Add(x, r, RecordTimeMicros(r), &ec);
    }
    if (table.ChooseSeries())
      for (size_t i = 0; i < records->size(); ++i)
        for (const std::string& x : xs[i]) table.AddOther(x, (*records)[i], RecordTimeMicros((*records)[i]), &ec);
    std::vector<std::string> x_order = table.XValues();
    if (over_.empty() && x_order.empty()) x_order = {""};  // `chart count` over nothing: one row of 0
    *records = table.Output(x_order, over_.empty() ? "\x01" : over_, ValueKind::kString, &ctx->columns);
    if (over_.empty()) {
      for (Record& r : *records) r.Remove("\x01");
      ctx->columns.erase(ctx->columns.begin());
    }
    return storage::Status::OK();
  }

 private:
  std::vector<Aggregation> aggs_;
  std::string over_, split_;
  PivotOptions options_;
};

std::unique_ptr<Command> MakeChartCommand(const query::CommandNode& node, CommandArgs* args,
                                          std::optional<query::Diagnostic>* error) {
  std::vector<Aggregation> aggs;
  std::vector<std::string> by;
  if (!ParseAggregations(node, args, &aggs, &by, error, true)) return nullptr;
  if (HasSparklines(aggs)) {
    *error = ArgError("sparkline() works in stats only", node.args_span);
    return nullptr;
  }
  PivotOptions options;
  if (!ReadPivotOptions(*args, node, &options, error)) return nullptr;
  if (by.size() > 2) {
    *error = ArgError("chart takes at most two fields: chart ... over X by Y (or by X Y)", node.args_span,
                      "for more use stats ... by X Y Z");
    return nullptr;
  }
  std::string over = by.empty() ? "" : by[0];
  std::string split = by.size() == 2 ? by[1] : "";
  return std::make_unique<ChartCommand>(std::move(aggs), std::move(over), std::move(split), std::move(options));
}

const bool kRegistered = RegisterCommand({"chart",
                                          "chart [limit=N] [useother=B] [usenull=B] FUNCTION[(FIELD)] [as NAME]... "
                                          "[over X [by Y] | by X [Y]]",
                                          ArgumentStyle::kOptions, PivotOptionSpecs(), MakeChartCommand,
                                          {{"...", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
