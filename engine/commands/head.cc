// head: the first N results (default 10), in search order.   head 5   head limit=20
#include "engine/commands/commands.h"

namespace cairn::engine {

namespace {
class HeadCommand final : public Command {
 public:
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

static std::unique_ptr<Command> MakeHeadCommand(const query::CommandNode& node, CommandArgs* args,
                                         std::optional<query::Diagnostic>* error) {
  uint64_t n = args->Count("limit");
  if (const ArgToken* t = args->Next()) {
    if (args->Given("limit")) {
      *error = ArgError("give the count once: head N or head limit=N", t->span);
      return nullptr;
    }
    if (!ParseCount(t->text, &n)) {
      *error = ArgError("head takes a count, e.g. head 10", t->span);
      return nullptr;
    }
  }
  if (!args->done()) {
    *error = ArgError("unexpected text after the count", args->RestSpan());
    return nullptr;
  }
  return std::make_unique<HeadCommand>(n);
}

namespace {
const bool kRegistered = RegisterCommand({"head", "head [N | limit=N]", ArgumentStyle::kOptions, {{"limit", OptionType::kCount, "10", "results to keep"}}, MakeHeadCommand});
}  // namespace

}  // namespace cairn::engine
