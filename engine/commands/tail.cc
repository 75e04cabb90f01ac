// tail: the last N results (default 10), last one first, as Splunk shows them.   tail 5
#include <algorithm>

#include "engine/commands/commands.h"

namespace cairn::engine {

namespace {
class TailCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{}; }
  explicit TailCommand(uint64_t n) : n_(n) {}
  std::string ToString() const override { return "tail " + std::to_string(n_); }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    if (records->size() > n_) records->erase(records->begin(), records->end() - static_cast<long>(n_));
    std::reverse(records->begin(), records->end());
    return storage::Status::OK();
  }

 private:
  uint64_t n_;
};
}  // namespace

static std::unique_ptr<Command> MakeTailCommand(const query::CommandNode& node, CommandArgs* args,
                                         std::optional<query::Diagnostic>* error) {
  uint64_t n = args->count().value_or(10);
  return std::make_unique<TailCommand>(n);
}

namespace {
const bool kRegistered = RegisterCommand({"tail", "tail [N]", ArgumentStyle::kOptions, {}, MakeTailCommand, {{"N", ArgumentKind::kCount, ""}}});
}  // namespace

}  // namespace cairn::engine
