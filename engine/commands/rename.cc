// rename: gives fields new names; one '*' wildcard may carry part of the name over.
//   rename "resources{}.ARN" AS arn, userIdentity.* AS user_*
#include "engine/commands/commands.h"
#include "engine/pipeline/field_list.h"

namespace cairn::engine {

namespace {
class RenameCommand final : public Command {
 public:
  explicit RenameCommand(std::vector<std::pair<std::string, std::string>> pairs) : pairs_(std::move(pairs)) {}
  std::string ToString() const override {
    std::string s = "rename";
    for (size_t i = 0; i < pairs_.size(); ++i) s += (i ? ", " : " ") + pairs_[i].first + " AS " + pairs_[i].second;
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    for (Record& r : *records) {
      for (const auto& [from, to] : pairs_) {
        std::vector<std::pair<std::string, FieldCell>> moved;
        for (const auto& [name, cell] : r.fields()) {
          auto renamed = RenameWithPattern(from, to, name);
          if (renamed && *renamed != name) moved.emplace_back(name, cell);
        }
        for (auto& [name, cell] : moved) {
          std::string target = *RenameWithPattern(from, to, name);
          r.Remove(name);
          r.Set(target, std::move(cell));
        }
      }
    }
    return storage::Status::OK();
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};
}  // namespace

std::unique_ptr<Command> MakeRenameCommand(const query::CommandNode& node, CommandArgs* args,
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

}  // namespace cairn::engine
