// head: the first N results (default 10), in search order.   head 5   head limit=20
#include "engine/commands/commands.h"

namespace cairn::engine {

namespace {
class HeadCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{}; }
  explicit HeadCommand(uint64_t n) : n_(n) {}
  std::string ToString() const override { return "head " + std::to_string(n_); }
  std::optional<uint64_t> keeps_first() const override { return n_; }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    if (records->size() > n_) records->resize(n_);
    return storage::Status::OK();
  }

 private:
  uint64_t n_;
};
}  // namespace

static std::unique_ptr<Command> MakeHeadCommand(const query::CommandNode&, CommandArgs* args,
                                                std::optional<query::Diagnostic>*) {
  uint64_t n = args->count().value_or(args->Count("limit"));
  return std::make_unique<HeadCommand>(n);
}

namespace {
const bool kRegistered = RegisterCommand({"head", "head [N | limit=N]", ArgumentStyle::kOptions, {{"limit", OptionType::kCount, "10", "results to keep"}}, MakeHeadCommand,
                                          {{"N", ArgumentKind::kCount, "limit"}}});
}  // namespace

}  // namespace cairn::engine
