// rex: extracts fields with a PCRE pattern's named groups.
//   rex field=userAgent "^(?<tool>[^/ ]+)/(?<version>\S+)"   rex max_match=0 "(?<ip>\d+\.\d+\.\d+\.\d+)"
// The default field is _raw; max_match (default 1, 0 = unlimited) > 1 gives multivalue fields.
#include "engine/commands/commands.h"
#include "engine/pipeline/pattern_arg.h"

namespace cairn::engine {

namespace {
class RexCommand final : public Command {
 public:
  RexCommand(std::string field, uint64_t max_match, std::string pattern, std::unique_ptr<EvalRegex> re)
      : field_(std::move(field)), max_match_(max_match), pattern_(std::move(pattern)), re_(std::move(re)) {}
  bool one_to_one() const override { return true; }
  std::string ToString() const override {
    return "rex field=" + field_ + " max_match=" + std::to_string(max_match_) + " \"" + pattern_ + "\"";
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    for (Record& r : *records) {
      const FieldCell* c = r.Get(field_);
      if (c == nullptr || c->empty()) continue;
      std::vector<std::pair<std::string, std::vector<std::string>>> found = re_->Extract((*c)[0], max_match_);
      for (auto& [name, values] : found)
        if (!values.empty()) r.Set(name, std::move(values));
    }
    return storage::Status::OK();
  }

 private:
  std::string field_;
  uint64_t max_match_;
  std::string pattern_;
  std::unique_ptr<EvalRegex> re_;
};
}  // namespace

static std::unique_ptr<Command> MakeRexCommand(const query::CommandNode& node, CommandArgs* args,
                                        std::optional<query::Diagnostic>* error) {
  std::string field = args->Text("field");
  uint64_t max_match = args->Count("max_match");
  if (args->Given("mode")) {
    *error = ArgError("rex mode=sed is not supported yet", node.args_span);
    return nullptr;
  }
  const ArgToken* pattern = args->pattern();
  auto re = CompilePatternArg(*pattern, error);
  if (re == nullptr) return nullptr;
  bool named = false;
  for (const auto& n : re->GroupNames()) named |= !n.empty();
  if (!named) {
    *error = ArgError("the pattern has no named group (?<name>...) to extract", pattern->span);
    return nullptr;
  }
  return std::make_unique<RexCommand>(field, max_match, pattern->text, std::move(re));
}

namespace {
const bool kRegistered = RegisterCommand({"rex", "rex [field=FIELD] [max_match=N] \"PCRE with (?<name>...)\"", ArgumentStyle::kOptions, {{"field", OptionType::kText, "_raw", "the field to match"}, {"max_match", OptionType::kCount, "1", "matches to extract, 0 for all"}, {"mode", OptionType::kText, "", "sed is not supported yet"}}, MakeRexCommand,
                                          {{"\"PCRE\"", ArgumentKind::kPattern, ""}}});
}  // namespace

}  // namespace cairn::engine
