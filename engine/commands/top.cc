// top and rare: the most (least) common combinations of the fields' values, with count and
// percent columns.   top limit=5 sourceIPAddress      rare eventName by eventSource
// Defaults: 10 results (limit=0: all), countfield=count, percentfield=percent. Percent is of
// the results that have every listed field (per by-group). useother=true adds a last row per
// group whose fields hold otherstr (default OTHER), counting the values past the limit.
#include <algorithm>
#include <cstdio>
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/field_list.h"

namespace cairn::engine {

namespace {

struct TopOptions {
  bool rare = false;
  uint64_t limit = 10;
  std::string countfield = "count", percentfield = "percent";
  bool showcount = true, showperc = true;
  bool useother = false;
  std::string otherstr = "OTHER";
};

class TopCommand final : public Command {
 public:
  TopCommand(TopOptions o, std::vector<std::string> fields, std::vector<std::string> by)
      : o_(std::move(o)), fields_(std::move(fields)), by_(std::move(by)) {}
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> f = fields_;
    f.insert(f.end(), by_.begin(), by_.end());
    return f;
  }
  bool ends_projection() const override { return true; }
  std::string ToString() const override {
    std::string s = std::string(o_.rare ? "rare" : "top") + " limit=" + std::to_string(o_.limit);
    for (const auto& f : fields_) s += " " + f;
    if (!by_.empty()) {
      s += " by";
      for (const auto& b : by_) s += " " + b;
    }
    return s;
  }
  bool transforming() const override { return true; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    ctx->columns = by_;
    ctx->columns.insert(ctx->columns.end(), fields_.begin(), fields_.end());
    if (o_.showcount) ctx->columns.push_back(o_.countfield);
    if (o_.showperc) ctx->columns.push_back(o_.percentfield);
    using Key = std::vector<std::string>;
    std::map<Key, std::map<Key, uint64_t>> counts;  // by-group → value combination → count
    std::map<Key, uint64_t> totals;
    for (const Record& r : *records) {
      Key group, key;
      bool skip = false;
      for (const auto& b : by_) {
        const FieldCell* c = r.Get(b);
        if (c == nullptr || c->empty()) skip = true;
        else group.push_back((*c)[0]);
      }
      for (const auto& f : fields_) {
        const FieldCell* c = r.Get(f);
        if (c == nullptr || c->empty()) skip = true;
        else key.push_back((*c)[0]);
      }
      if (skip) continue;
      ++counts[group][key];
      ++totals[group];
    }
    std::vector<Record> out;
    for (auto& [group, combos] : counts) {
      std::vector<std::pair<Key, uint64_t>> rows(combos.begin(), combos.end());
      std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
        return o_.rare ? a.second < b.second : a.second > b.second;
      });
      if (o_.limit > 0 && rows.size() > o_.limit) {
        uint64_t rest = 0;
        for (size_t i = o_.limit; i < rows.size(); ++i) rest += rows[i].second;
        rows.resize(o_.limit);
        if (o_.useother) rows.emplace_back(Key(fields_.size(), o_.otherstr), rest);
      }
      for (const auto& [key, n] : rows) {
        Record rec;
        for (size_t i = 0; i < by_.size(); ++i) rec.Set(by_[i], {group[i]});
        for (size_t i = 0; i < fields_.size(); ++i) rec.Set(fields_[i], {key[i]});
        if (o_.showcount) rec.Set(o_.countfield, FieldCell({std::to_string(n)}, ValueKind::kNumber));
        if (o_.showperc) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.6f", 100.0 * static_cast<double>(n) / static_cast<double>(totals[group]));
          rec.Set(o_.percentfield, FieldCell({buf}, ValueKind::kNumber));
        }
        out.push_back(std::move(rec));
      }
    }
    *records = std::move(out);
    return storage::Status::OK();
  }

 private:
  TopOptions o_;
  std::vector<std::string> fields_, by_;
};


std::unique_ptr<Command> MakeTop(bool rare, const query::CommandNode& node, CommandArgs* args,
                                 std::optional<query::Diagnostic>* error) {
  TopOptions o;
  o.rare = rare;
  o.limit = args->count().value_or(args->Count("limit"));
  o.countfield = args->Text("countfield");
  o.percentfield = args->Text("percentfield");
  o.showcount = args->Bool("showcount");
  o.showperc = args->Bool("showperc");
  o.useother = args->Bool("useother");
  o.otherstr = args->Text("otherstr");
  std::vector<std::string> fields = args->fields(), by = args->by_fields();
  return std::make_unique<TopCommand>(std::move(o), std::move(fields), std::move(by));
}

}  // namespace

static std::unique_ptr<Command> MakeTopCommand(const query::CommandNode& node, CommandArgs* args,
                                        std::optional<query::Diagnostic>* error) {
  return MakeTop(false, node, args, error);
}

static std::unique_ptr<Command> MakeRareCommand(const query::CommandNode& node, CommandArgs* args,
                                         std::optional<query::Diagnostic>* error) {
  return MakeTop(true, node, args, error);
}

namespace {
const std::vector<OptionSpec> kTopOptions = {{"limit", OptionType::kCount, "10", "results per group, 0 for all"}, {"countfield", OptionType::kText, "count", "name of the count column"}, {"percentfield", OptionType::kText, "percent", "name of the percent column"}, {"showcount", OptionType::kBool, "true", "show the count column"}, {"showperc", OptionType::kBool, "true", "show the percent column"}, {"useother", OptionType::kBool, "false", "add a row counting the values past the limit"}, {"otherstr", OptionType::kText, "OTHER", "the value of that row's fields"}};
const std::vector<ArgumentSpec> kTopArguments = {
    {"N", ArgumentKind::kCount, "limit"}, {"FIELD...", ArgumentKind::kFields, ""}, {"by FIELD...", ArgumentKind::kByFields, ""}};
const bool kRegisteredTop = RegisterCommand(
    {"top", "top [N] [limit=N] [countfield=NAME] [percentfield=NAME] [showcount=BOOL] [showperc=BOOL] FIELD... [by FIELD...]",
     ArgumentStyle::kOptions, kTopOptions, MakeTopCommand, kTopArguments});
const bool kRegisteredRare = RegisterCommand(
    {"rare", "rare [N] [limit=N] [countfield=NAME] [percentfield=NAME] [showcount=BOOL] [showperc=BOOL] FIELD... [by FIELD...]",
     ArgumentStyle::kOptions, kTopOptions, MakeRareCommand, kTopArguments});
}  // namespace

}  // namespace cairn::engine
