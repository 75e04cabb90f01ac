// fieldsummary: one row per field of the results with what its values look like.
//   ... | fieldsummary      ... | fieldsummary maxvals=5 sourceIPAddress userAgent
// Columns: field, count (results having it), distinct_count, is_exact (1: cairn counts
// exactly), max, mean, min, numeric_count (numeric values), stdev, values (the maxvals,
// default 100, most common values with their counts, as JSON, most common first, ties in
// lexicographic order). Internal fields (_raw, _time, ...) are left out. Rows in field order.
#include <algorithm>
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/aggregation.h"
#include "engine/pipeline/field_list.h"

namespace cairn::engine {

namespace {

void AppendJsonString(const std::string& s, std::string* out) {
  *out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      *out += buf;
    } else {
      *out += c;
    }
  }
  *out += '"';
}

class FieldsummaryCommand final : public Command {
 public:
  FieldsummaryCommand(uint64_t maxvals, std::vector<std::string> fields) : maxvals_(maxvals), fields_(std::move(fields)) {}
  bool transforming() const override { return true; }
  std::string ToString() const override {
    std::string s = "fieldsummary maxvals=" + std::to_string(maxvals_);
    for (const auto& f : fields_) s += " " + f;
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    struct Summary {
      uint64_t count = 0, numeric = 0;
      AggState min, max, mean, stdev;
      std::map<std::string, uint64_t> values;
    };
    std::map<std::string, Summary> by_field;
    for (const Record& r : *records) {
      for (const auto& field : r.fields()) {
        const std::string& name = field.first;
        const auto& cell = field.second;
        if (name.empty() || name[0] == '_' || cell.empty()) continue;
        if (!fields_.empty() && std::none_of(fields_.begin(), fields_.end(), [&](const std::string& p) { return FieldMatches(p, name); }))
          continue;
        Summary& s = by_field[name];
        ++s.count;
        for (const std::string& v : cell) {
          auto n = TextNumber(v);
          if (n) ++s.numeric;
          Feed(AggFn::kMin, v, n, 0, &s.min);
          Feed(AggFn::kMax, v, n, 0, &s.max);
          Feed(AggFn::kAvg, v, n, 0, &s.mean);
          Feed(AggFn::kStdev, v, n, 0, &s.stdev);
          ++s.values[v];
        }
      }
    }
    std::vector<Record> out;
    for (const auto& [name, s] : by_field) {
      Record r;
      r.Set("field", FieldCell({name}));
      r.Set("count", FieldCell({std::to_string(s.count)}, ValueKind::kNumber));
      r.Set("distinct_count", FieldCell({std::to_string(s.values.size())}, ValueKind::kNumber));
      r.Set("is_exact", FieldCell({"1"}, ValueKind::kNumber));
      r.Set("max", Finish(AggFn::kMax, s.max));
      r.Set("mean", Finish(AggFn::kAvg, s.mean));
      r.Set("min", Finish(AggFn::kMin, s.min));
      r.Set("numeric_count", FieldCell({std::to_string(s.numeric)}, ValueKind::kNumber));
      r.Set("stdev", Finish(AggFn::kStdev, s.stdev));
      std::vector<std::pair<std::string, uint64_t>> top(s.values.begin(), s.values.end());
      std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      if (top.size() > maxvals_) top.resize(maxvals_);
      std::string json = "[";
      for (size_t i = 0; i < top.size(); ++i) {
        json += i ? ",{\"value\":" : "{\"value\":";
        AppendJsonString(top[i].first, &json);
        json += ",\"count\":" + std::to_string(top[i].second) + "}";
      }
      r.Set("values", FieldCell({json + "]"}));
      out.push_back(std::move(r));
    }
    *records = std::move(out);
    ctx->columns = {"field", "count", "distinct_count", "is_exact", "max", "mean", "min", "numeric_count", "stdev", "values"};
    return storage::Status::OK();
  }

 private:
  uint64_t maxvals_;
  std::vector<std::string> fields_;
};

std::unique_ptr<Command> MakeFieldsummaryCommand(const query::CommandNode&, CommandArgs* args,
                                                 std::optional<query::Diagnostic>*) {
  return std::make_unique<FieldsummaryCommand>(args->Count("maxvals"), args->fields());
}

const bool kRegistered = RegisterCommand({"fieldsummary", "fieldsummary [maxvals=N] [FIELD...]", ArgumentStyle::kOptions,
                                          {{"maxvals", OptionType::kCount, "100", "the most common values listed per field"}},
                                          MakeFieldsummaryCommand, {{"FIELD...", ArgumentKind::kOptionalFields, ""}}});

}  // namespace

}  // namespace cairn::engine
