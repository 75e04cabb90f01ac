// fillnull: gives missing fields a value (default 0). With no field list, every field that
// some result has is filled in the results that lack it.   fillnull value="MISSING" userName
#include "engine/commands/commands.h"
#include "engine/pipeline/field_list.h"

namespace cairn::engine {

namespace {
class FillnullCommand final : public Command {
 public:
  FillnullCommand(std::string value, std::vector<std::string> fields) : value_(std::move(value)), fields_(std::move(fields)) {}
  /// With no field list it fills every field some result has, so it reads them all.
  std::optional<std::vector<std::string>> FieldsRead() const override {
    if (fields_.empty()) return std::nullopt;
    return fields_;
  }
  std::string ToString() const override {
    std::string s = "fillnull value=\"" + value_ + "\"";
    for (const auto& f : fields_) s += " " + f;
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    std::vector<std::string> fields = fields_;
    if (fields.empty()) {
      for (const Record& r : *records)
        for (const auto& [name, _] : r.fields()) {
          bool have = false;
          for (const auto& f : fields) have |= f == name;
          if (!have) fields.push_back(name);
        }
    }
    for (Record& r : *records)
      for (const auto& f : fields)
        if (r.Get(f) == nullptr) r.Set(f, {value_});
    return storage::Status::OK();
  }

 private:
  std::string value_;
  std::vector<std::string> fields_;
};
}  // namespace

static std::unique_ptr<Command> MakeFillnullCommand(const query::CommandNode& node, CommandArgs* args,
                                             std::optional<query::Diagnostic>* error) {
  std::string value = args->Text("value");
  std::vector<std::string> fields = args->fields();
  return std::make_unique<FillnullCommand>(std::move(value), std::move(fields));
}

namespace {
const bool kRegistered = RegisterCommand({"fillnull", "fillnull [value=TEXT] [FIELD...]", ArgumentStyle::kOptions, {{"value", OptionType::kText, "0", "what null fields get"}}, MakeFillnullCommand,
                                          {{"FIELD...", ArgumentKind::kOptionalFields, ""}}});
}  // namespace

}  // namespace cairn::engine
