// rename: gives fields new names; one '*' wildcard may carry part of the name over.
//   rename "resources{}.ARN" AS arn, userIdentity.* AS user_*
#include "engine/commands/commands.h"
#include "engine/pipeline/field_list.h"

namespace cairn::engine {

namespace {
class RenameCommand final : public Command {
 public:
  explicit RenameCommand(std::vector<std::pair<std::string, std::string>> pairs) : pairs_(std::move(pairs)) {}
  bool one_to_one() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> sources;
    for (const auto& [from, to] : pairs_) sources.push_back(from);
    return sources;
  }
  std::string ToString() const override {
    std::string s = "rename";
    for (size_t i = 0; i < pairs_.size(); ++i) s += (i ? ", " : " ") + pairs_[i].first + " AS " + pairs_[i].second;
    return s;
  }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    if (!columns_renamed_)  // once, however many batches come (`* AS x_*` twice would be x_x_)
      for (std::string& c : ctx->columns)
        for (const auto& [from, to] : pairs_)
          if (auto renamed = RenameWithPattern(from, to, c)) c = *renamed;
    columns_renamed_ = true;
    for (Record& r : *records) {
      // Renamed fields keep their position; an existing field of the new name is replaced.
      for (const auto& [from, to] : pairs_) {
        auto& fields = r.mutable_fields();
        std::vector<std::string> targets(fields.size());
        bool any = false;
        for (size_t i = 0; i < fields.size(); ++i) {
          auto renamed = RenameWithPattern(from, to, fields[i].first);
          if (renamed && *renamed != fields[i].first) {
            targets[i] = *renamed;
            any = true;
          }
        }
        if (!any) continue;
        std::vector<std::pair<std::string, FieldCell>> out;
        for (size_t i = 0; i < fields.size(); ++i) {
          bool overwritten = false;
          for (size_t j = 0; j < fields.size(); ++j)
            overwritten |= !targets[j].empty() && targets[j] == fields[i].first && targets[i].empty();
          if (overwritten) continue;
          out.emplace_back(targets[i].empty() ? fields[i].first : targets[i], std::move(fields[i].second));
        }
        fields = std::move(out);
      }
    }
    return storage::Status::OK();
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  bool columns_renamed_ = false;
};
}  // namespace

static std::unique_ptr<Command> MakeRenameCommand(const query::CommandNode& node, CommandArgs* args,
                                           std::optional<query::Diagnostic>* error) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!args->done()) {
    const ArgToken* from = args->Next();
    if (from->kind == ArgToken::Kind::kComma) continue;
    if (!args->TakeKeyword("as")) {
      *error = ArgError("expected AS after the field name", args->RestSpan(), "rename old AS new");
      return nullptr;
    }
    const ArgToken* to = args->Next();
    if (to == nullptr || to->kind == ArgToken::Kind::kComma) {
      *error = ArgError("expected the new name after AS", args->RestSpan());
      return nullptr;
    }
    pairs.emplace_back(from->text, to->text);
  }
  if (pairs.empty()) {
    *error = ArgError("rename needs old AS new", node.name_span);
    return nullptr;
  }
  return std::make_unique<RenameCommand>(std::move(pairs));
}

namespace {
const bool kRegistered = RegisterCommand({"rename", "rename FIELD AS NEW[, FIELD AS NEW]...", ArgumentStyle::kOptions, {}, MakeRenameCommand, {{"...", ArgumentKind::kCustom, ""}}});
}  // namespace

}  // namespace cairn::engine
