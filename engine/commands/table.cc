// table: keeps only the listed fields, in that order (wildcards allowed), as a table.
//   table _time eventName userIdentity.arn requestParameters.*
#include <algorithm>

#include "engine/commands/commands.h"
#include "engine/pipeline/field_list.h"

namespace cairn::engine {

namespace {
class TableCommand final : public Command {
 public:
  explicit TableCommand(std::vector<std::string> fields) : fields_(std::move(fields)) {}
  bool one_to_one() const override { return true; }
  std::string ToString() const override {
    std::string s = "table";
    for (const auto& f : fields_) s += " " + f;
    return s;
  }
  bool transforming() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override { return fields_; }
  bool ends_projection() const override { return true; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    ctx->columns.clear();
    for (const std::string& pattern : fields_) {
      if (pattern.find('*') == std::string::npos) {
        ctx->columns.push_back(pattern);
        continue;
      }
      for (const Record& r : *records)
        for (const auto& [name, _] : r.fields())
          if (FieldMatches(pattern, name) &&
              std::find(ctx->columns.begin(), ctx->columns.end(), name) == ctx->columns.end())
            ctx->columns.push_back(name);
    }
    for (Record& r : *records) {
      Record out;
      for (const std::string& pattern : fields_) {
        for (const auto& [name, cell] : r.fields())
          if (FieldMatches(pattern, name) && out.Get(name) == nullptr) out.Set(name, cell);
      }
      r = std::move(out);
    }
    return storage::Status::OK();
  }
  const std::vector<std::string>& fields() const { return fields_; }

 private:
  std::vector<std::string> fields_;
};
}  // namespace

static std::unique_ptr<Command> MakeTableCommand(const query::CommandNode& node, CommandArgs* args,
                                          std::optional<query::Diagnostic>* error) {
  std::vector<std::string> fields = args->fields();
  return std::make_unique<TableCommand>(std::move(fields));
}

namespace {
const bool kRegistered = RegisterCommand({"table", "table FIELD...", ArgumentStyle::kOptions, {}, MakeTableCommand, {{"FIELD...", ArgumentKind::kFields, ""}}});
}  // namespace

}  // namespace cairn::engine
