// fields: keeps (+, the default) or removes (-) fields, without reordering.
//   fields + eventName, sourceIPAddress      fields - _raw
#include "engine/commands/commands.h"
#include "engine/pipeline/field_list.h"

namespace cairn::engine {

namespace {
class FieldsCommand final : public Command {
 public:
  FieldsCommand(bool remove, std::vector<std::string> fields) : remove_(remove), fields_(std::move(fields)) {}
  bool one_to_one() const override { return true; }
  /// `fields -` reads nothing; `fields +` keeps what it names and the internal `_raw`.
  std::optional<std::vector<std::string>> FieldsRead() const override {
    if (remove_) return std::vector<std::string>{};
    std::vector<std::string> read = fields_;
    read.push_back("_raw");
    return read;
  }
  bool ends_projection() const override { return !remove_; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  std::string ToString() const override {
    std::string s = remove_ ? "fields -" : "fields +";
    for (const auto& f : fields_) s += " " + f;
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::vector<std::string> columns;
    for (const std::string& c : ctx->columns) {
      bool listed = false;
      for (const auto& p : fields_) listed |= FieldMatches(p, c);
      if (remove_ != listed) columns.push_back(c);
    }
    ctx->columns = std::move(columns);
    for (Record& r : *records) {
      auto& fs = r.mutable_fields();
      std::vector<std::pair<std::string, FieldCell>> kept;
      for (auto& f : fs) {
        bool listed = false;
        for (const auto& p : fields_) listed |= FieldMatches(p, f.first);
        // Splunk keeps internal fields (_time, _raw) unless they are removed by name.
        bool internal = !f.first.empty() && f.first[0] == '_';
        if (remove_ ? !listed : (listed || internal)) kept.push_back(std::move(f));
      }
      fs = std::move(kept);
    }
    return storage::Status::OK();
  }

 private:
  bool remove_;
  std::vector<std::string> fields_;
};
}  // namespace

static std::unique_ptr<Command> MakeFieldsCommand(const query::CommandNode& node, CommandArgs* args,
                                           std::optional<query::Diagnostic>* error) {
  bool remove = false;
  if (const ArgToken* t = args->Peek(); t && t->kind == ArgToken::Kind::kWord && (t->text == "-" || t->text == "+")) {
    remove = t->text == "-";
    args->Next();
  }
  std::vector<std::string> fields = ReadFieldList(args);
  // "-field" written without a space.
  if (!fields.empty() && !remove && fields[0].size() > 1 && fields[0][0] == '-') {
    remove = true;
    fields[0].erase(0, 1);
  }
  if (!args->done()) {
    *error = ArgError("unexpected text in the field list", args->RestSpan());
    return nullptr;
  }
  if (fields.empty()) {
    *error = ArgError("fields needs at least one field", node.name_span);
    return nullptr;
  }
  return std::make_unique<FieldsCommand>(remove, std::move(fields));
}

namespace {
const bool kRegistered = RegisterCommand({"fields", "fields [+|-] FIELD...", ArgumentStyle::kOptions, {}, MakeFieldsCommand, {{"...", ArgumentKind::kCustom, ""}}});
}  // namespace

}  // namespace cairn::engine
