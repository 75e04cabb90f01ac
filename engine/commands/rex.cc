// rex: extracts fields with a PCRE pattern's named groups.
//   rex field=userAgent "^(?<tool>[^/ ]+)/(?<version>\S+)"   rex max_match=0 "(?<ip>\d+\.\d+\.\d+\.\d+)"
// The default field is _raw; max_match (default 1, 0 = unlimited) > 1 gives multivalue fields.
// mode=sed edits the field in place instead: "s/REGEX/REPLACEMENT/[g|N]" (\1.. insert groups;
// g replaces every match, N only the N-th, none the first) or "y/FROM/TO/" (characters).
//   rex field=userAgent mode=sed "s/\d+\.\d+/X.Y/g"
#include "engine/commands/commands.h"
#include "engine/pipeline/pattern_arg.h"

namespace cairn::engine {

namespace {

// A sed expression of rex mode=sed.
struct SedExpression {
  bool transliterate = false;  // y/FROM/TO/
  std::string from, to;        // y: the characters
  std::unique_ptr<EvalRegex> re;
  std::string replacement;
  uint64_t nth = 1;  // 0: every match

  std::string Apply(const std::string& text) const {
    if (!transliterate) return re->ReplaceAll(text, replacement, nth);
    std::string out = text;
    for (char& c : out)
      if (size_t i = from.find(c); i != std::string::npos) c = to[i];
    return out;
  }
};

// Splits "s/a/b/g" at its delimiter (the character after s or y); a backslash before the
// delimiter makes it literal.
std::optional<SedExpression> ParseSed(const ArgToken& token, std::optional<query::Diagnostic>* error) {
  const std::string& text = token.text;
  auto fail = [&](const std::string& why) {
    *error = ArgError("rex mode=sed: " + why, token.span, "for example \"s/secret=\\S+/secret=xxx/g\" or \"y/abc/ABC/\"");
    return std::nullopt;
  };
  if (text.size() < 4 || (text[0] != 's' && text[0] != 'y')) return fail("the expression must start with s/ or y/");
  char delim = text[1];
  std::vector<std::string> parts(1);
  for (size_t i = 2; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == delim) {
      parts.back() += delim;
      ++i;
    } else if (text[i] == delim) {
      parts.emplace_back();
    } else {
      parts.back() += text[i];
    }
  }
  if (parts.size() != 3) return fail("expected three parts: s/REGEX/REPLACEMENT/FLAGS");
  SedExpression sed;
  if (text[0] == 'y') {
    if (parts[0].size() != parts[1].size()) return fail("y/FROM/TO/ needs as many characters in TO as in FROM");
    sed.transliterate = true;
    sed.from = parts[0];
    sed.to = parts[1];
    return sed;
  }
  std::string message;
  sed.re = EvalRegex::Compile(parts[0], &message);
  if (sed.re == nullptr) return fail("bad regular expression: " + message);
  sed.replacement = parts[1];
  const std::string& flags = parts[2];
  if (flags == "g") sed.nth = 0;
  else if (!flags.empty() && !ParseCount(flags, &sed.nth)) return fail("flags are g or a number, not '" + flags + "'");
  if (sed.nth == 0 && flags != "g") return fail("the occurrence number starts at 1");
  return sed;
}

class RexSedCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{field_}; }
  RexSedCommand(std::string field, std::string text, SedExpression sed)
      : field_(std::move(field)), text_(std::move(text)), sed_(std::move(sed)) {}
  bool one_to_one() const override { return true; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  std::string ToString() const override { return "rex field=" + field_ + " mode=sed \"" + text_ + "\""; }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    for (Record& r : *records) {
      const FieldCell* c = r.Get(field_);
      if (c == nullptr || c->empty()) continue;
      FieldCell edited = *c;
      for (std::string& v : edited) v = sed_.Apply(v);
      r.Set(field_, std::move(edited));
    }
    return storage::Status::OK();
  }

 private:
  std::string field_, text_;
  SedExpression sed_;
};

class RexCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{field_}; }
  RexCommand(std::string field, uint64_t max_match, std::string pattern, std::unique_ptr<EvalRegex> re)
      : field_(std::move(field)), max_match_(max_match), pattern_(std::move(pattern)), re_(std::move(re)) {}
  bool one_to_one() const override { return true; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
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
  const ArgToken* pattern = args->pattern();
  if (args->Given("mode")) {
    if (args->Text("mode") != "sed") {
      *error = ArgError("rex: mode=" + args->Text("mode") + " is not a mode; the only one is mode=sed", node.args_span);
      return nullptr;
    }
    auto sed = ParseSed(*pattern, error);
    if (!sed) return nullptr;
    return std::make_unique<RexSedCommand>(field, pattern->text, std::move(*sed));
  }
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
const bool kRegistered = RegisterCommand({"rex", "rex [field=FIELD] [max_match=N] \"PCRE with (?<name>...)\" | rex [field=FIELD] mode=sed \"s/REGEX/REPLACEMENT/[g|N]\"", ArgumentStyle::kOptions, {{"field", OptionType::kText, "_raw", "the field to match"}, {"max_match", OptionType::kCount, "1", "matches to extract, 0 for all"}, {"mode", OptionType::kText, "", "sed: edit the field with s/REGEX/REPLACEMENT/FLAGS or y/FROM/TO/"}, {"offset_field", OptionType::kText, "", "accepted"}}, MakeRexCommand,
                                          {{"\"PCRE\"", ArgumentKind::kPattern, ""}}});
}  // namespace

}  // namespace cairn::engine
