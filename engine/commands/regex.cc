// regex: keeps the results whose field matches (or, with !=, does not match) a PCRE
// pattern. The default field is _raw.   regex userAgent="(?i)python|curl"   regex _raw!="AWS Internal"
#include "engine/commands/commands.h"
#include "engine/pipeline/pattern_arg.h"

namespace cairn::engine {

namespace {
class RegexCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{field_}; }
  RegexCommand(std::string field, bool negate, std::string pattern, std::unique_ptr<EvalRegex> re)
      : field_(std::move(field)), negate_(negate), pattern_(std::move(pattern)), re_(std::move(re)) {}
  std::string ToString() const override { return "regex " + field_ + (negate_ ? "!=" : "=") + "\"" + pattern_ + "\""; }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    std::vector<Record> out;
    for (Record& r : *records) {
      const FieldCell* c = r.Get(field_);
      bool match = false;
      if (c != nullptr)
        for (const auto& v : *c) match |= re_->Matches(v);
      if (match != negate_) out.push_back(std::move(r));
    }
    *records = std::move(out);
    return storage::Status::OK();
  }

 private:
  std::string field_;
  bool negate_;
  std::string pattern_;
  std::unique_ptr<EvalRegex> re_;
};
}  // namespace

static std::unique_ptr<Command> MakeRegexCommand(const query::CommandNode& node, CommandArgs* args,
                                          std::optional<query::Diagnostic>* error) {
  std::string field = "_raw";
  bool negate = false;
  const ArgToken* first = args->Next();
  if (first == nullptr) {
    *error = ArgError("regex needs a pattern: regex field=\"...\"", node.name_span);
    return nullptr;
  }
  const ArgToken* pattern = first;
  if (first->kind == ArgToken::Kind::kWord) {
    std::string name = first->text;
    if (!name.empty() && name.back() == '!') {
      negate = true;
      name.pop_back();
    }
    const ArgToken* eq = args->Next();
    pattern = args->Next();
    if (eq == nullptr || eq->kind != ArgToken::Kind::kEquals || pattern == nullptr) {
      *error = ArgError("expected field=\"pattern\" or field!=\"pattern\"", first->span);
      return nullptr;
    }
    field = name;
  }
  if (!args->done()) {
    *error = ArgError("unexpected text after the pattern", args->RestSpan());
    return nullptr;
  }
  auto re = CompilePatternArg(*pattern, error);
  if (re == nullptr) return nullptr;
  return std::make_unique<RegexCommand>(field, negate, pattern->text, std::move(re));
}

namespace {
const bool kRegistered = RegisterCommand({"regex", "regex [FIELD=|FIELD!=]\"PCRE\"", ArgumentStyle::kFreeText, {}, MakeRegexCommand, {}});
}  // namespace

}  // namespace cairn::engine
