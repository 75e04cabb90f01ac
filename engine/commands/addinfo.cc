// addinfo: adds what the search was to every result: info_min_time and info_max_time (the
// time range searched, epoch seconds; 0 and +Infinity when unbounded), info_search_time
// (when it ran) and info_sid (an id for the run).   ... | addinfo | eval age=info_max_time-_time
#include "engine/commands/commands.h"
#include "engine/pipeline/materialize.h"

namespace cairn::engine {

namespace {

class AddinfoCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{}; }
  bool one_to_one() const override { return true; }
  std::string ToString() const override { return "addinfo"; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::string min_time = ctx->earliest_us ? EpochSecondsText(*ctx->earliest_us) : "0";
    std::string max_time = ctx->latest_us ? EpochSecondsText(*ctx->latest_us) : "+Infinity";
    std::string now = EpochSecondsText(ctx->now_us);
    std::string sid = "cairn_" + std::to_string(ctx->now_us / 1000000);
    for (Record& r : *records) {
      r.Set("info_min_time", FieldCell({min_time}, ValueKind::kNumber));
      r.Set("info_max_time", FieldCell({max_time}, ctx->latest_us ? ValueKind::kNumber : ValueKind::kString));
      r.Set("info_search_time", FieldCell({now}, ValueKind::kNumber));
      r.Set("info_sid", FieldCell({sid}));
    }
    return storage::Status::OK();
  }
};

std::unique_ptr<Command> MakeAddinfoCommand(const query::CommandNode&, CommandArgs*, std::optional<query::Diagnostic>*) {
  return std::make_unique<AddinfoCommand>();
}

const bool kRegistered = RegisterCommand({"addinfo", "addinfo", ArgumentStyle::kOptions, {}, MakeAddinfoCommand, {}});

}  // namespace

}  // namespace cairn::engine
