// sort: orders results by one or more fields.
//   sort -count      sort 20 +_time, -num(bytes)      sort 0 str(user)      sort by count desc
// Default limit 10,000 (sort 0: all). auto order puts numbers first, numerically, then text
// lexicographically; events missing the field go last either way; a multivalue field sorts
// by its first value. The sort is stable.
#include "engine/commands/commands.h"
#include "engine/pipeline/sort_keys.h"

namespace cairn::engine {

namespace {

class SortCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> f;
    for (const SortKey& k : keys_) f.push_back(k.field);
    return f;
  }
  SortCommand(uint64_t limit, std::vector<SortKey> keys) : limit_(limit), keys_(std::move(keys)) {}
  std::string ToString() const override {
    return "sort limit=" + std::to_string(limit_) + DescribeSortKeys(keys_);
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    SortRecords(records, keys_);
    if (limit_ > 0 && records->size() > limit_) records->resize(limit_);
    return storage::Status::OK();
  }

 private:
  uint64_t limit_;
  std::vector<SortKey> keys_;
};

}  // namespace

static std::unique_ptr<Command> MakeSortCommand(const query::CommandNode& node, CommandArgs* args,
                                         std::optional<query::Diagnostic>* error) {
  uint64_t limit = args->Count("limit");
  if (const ArgToken* t = args->Peek(); t && t->kind == ArgToken::Kind::kWord && ParseCount(t->text, &limit)) {
    if (args->Given("limit")) {
      *error = ArgError("give the limit once: sort N or sort limit=N", t->span);
      return nullptr;
    }
    args->Next();
  }
  args->TakeKeyword("by");
  std::vector<SortKey> keys;
  if (!ParseSortKeys(args, &keys, error)) return nullptr;
  if (keys.empty()) {
    *error = ArgError("sort needs a field, e.g. sort -count", node.name_span);
    return nullptr;
  }
  return std::make_unique<SortCommand>(limit, std::move(keys));
}

namespace {
const bool kRegistered = RegisterCommand({"sort", "sort [N | limit=N] [+|-]FIELD... [desc]", ArgumentStyle::kOptions, {{"limit", OptionType::kCount, "10000", "results to keep, 0 for all"}}, MakeSortCommand, {{"...", ArgumentKind::kCustom, ""}}});
}  // namespace

}  // namespace cairn::engine
