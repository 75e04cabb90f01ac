// makeresults: a generating command that makes COUNT rows, each with `_time` = now (whole
// seconds).   | makeresults count=3 | eval n=1
// annotate=true adds no fields: the ones Splunk adds (host, source, ...) are null.
#include "engine/commands/commands.h"
#include "engine/pipeline/materialize.h"

namespace cairn::engine {

namespace {

/// More rows than this is refused (a stated limit instead of unbounded memory).
constexpr uint64_t kMakeresultsMaxRows = 10000000;

class MakeresultsCommand final : public Command {
 public:
  explicit MakeresultsCommand(uint64_t count) : count_(count) {}
  std::string ToString() const override { return "makeresults count=" + std::to_string(count_); }
  bool generating() const override { return true; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    records->clear();
    int64_t now = ctx->now_us / 1000000 * 1000000;
    for (uint64_t i = 0; i < count_; ++i) {
      Record r;
      r.Set("_time", FieldCell({EpochSecondsText(now)}, ValueKind::kNumber));
      records->push_back(std::move(r));
    }
    return storage::Status::OK();
  }

 private:
  uint64_t count_;
};

std::unique_ptr<Command> MakeMakeresultsCommand(const query::CommandNode& node, CommandArgs* args,
                                                std::optional<query::Diagnostic>* error) {
  uint64_t count = args->Count("count");
  if (count > kMakeresultsMaxRows) {
    *error = ArgError("makeresults: count is at most " + std::to_string(kMakeresultsMaxRows), node.args_span);
    return nullptr;
  }
  return std::make_unique<MakeresultsCommand>(count);
}

const bool kRegistered = RegisterCommand({"makeresults", "| makeresults [count=1] [annotate=false]", ArgumentStyle::kOptions,
                                          {{"count", OptionType::kCount, "1", "how many rows"},
                                           {"annotate", OptionType::kBool, "false", "accepted; adds no fields"}},
                                          MakeMakeresultsCommand, {}});

}  // namespace

}  // namespace cairn::engine
