// makemv and nomv: make a multivalue field from one text, and one text from a multivalue.
//   makemv delim="," groups      makemv tokenizer="(\w+)" text      nomv groups
// makemv splits each value at delim (default a space), or takes each match of the
// tokenizer (its first group when it has one); empty pieces are dropped unless
// allowempty=true. nomv joins the values with a line break.
#include "engine/commands/commands.h"
#include "engine/eval/regex_cache.h"

namespace cairn::engine {

namespace {

class MakemvCommand final : public Command {
 public:
  MakemvCommand(std::string field, std::string delim, std::string tokenizer, bool allow_empty)
      : field_(std::move(field)), delim_(std::move(delim)), tokenizer_(std::move(tokenizer)), allow_empty_(allow_empty) {}
  bool one_to_one() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{field_}; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  std::string ToString() const override {
    return "makemv " + (tokenizer_.empty() ? "delim=\"" + delim_ + "\"" : "tokenizer=\"" + tokenizer_ + "\"") + " " + field_;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    const EvalRegex* re = nullptr;
    if (!tokenizer_.empty()) {
      std::string problem;
      re = regexes_.Get(tokenizer_, &problem);
      if (re == nullptr) return storage::Status::InvalidArgument("makemv: tokenizer: " + problem);
    }
    for (Record& r : *records) {
      const FieldCell* c = r.Get(field_);
      if (c == nullptr) continue;
      FieldCell out;
      for (const std::string& v : *c) {
        if (re != nullptr) {
          for (std::string& piece : re->Tokens(v))
            if (allow_empty_ || !piece.empty()) out.push_back(std::move(piece));
          continue;
        }
        size_t start = 0;
        while (true) {
          size_t at = delim_.empty() ? std::string::npos : v.find(delim_, start);
          std::string piece = v.substr(start, at == std::string::npos ? std::string::npos : at - start);
          if (allow_empty_ || !piece.empty()) out.push_back(piece);
          if (at == std::string::npos) break;
          start = at + delim_.size();
        }
      }
      r.Set(field_, std::move(out));
    }
    return storage::Status::OK();
  }

 private:
  std::string field_, delim_, tokenizer_;
  bool allow_empty_;
  RegexCache regexes_;
};

class NomvCommand final : public Command {
 public:
  explicit NomvCommand(std::string field) : field_(std::move(field)) {}
  bool one_to_one() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{field_}; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  std::string ToString() const override { return "nomv " + field_; }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    for (Record& r : *records) {
      const FieldCell* c = r.Get(field_);
      if (c == nullptr || c->size() < 2) continue;
      std::string joined;
      for (size_t i = 0; i < c->size(); ++i) joined += (i ? "\n" : "") + (*c)[i];
      r.Set(field_, FieldCell({joined}));
    }
    return storage::Status::OK();
  }

 private:
  std::string field_;
};

std::unique_ptr<Command> MakeMakemvCommand(const query::CommandNode& node, CommandArgs* args,
                                           std::optional<query::Diagnostic>* error) {
  if (args->fields().size() != 1) {
    *error = ArgError("makemv takes one field", node.args_span, "synopsis: makemv [delim=TEXT|tokenizer=REGEX] FIELD");
    return nullptr;
  }
  return std::make_unique<MakemvCommand>(args->fields()[0], args->Text("delim"), args->Text("tokenizer"),
                                         args->Bool("allowempty"));
}

std::unique_ptr<Command> MakeNomvCommand(const query::CommandNode& node, CommandArgs* args,
                                         std::optional<query::Diagnostic>* error) {
  if (args->fields().size() != 1) {
    *error = ArgError("nomv takes one field", node.args_span, "synopsis: nomv FIELD");
    return nullptr;
  }
  return std::make_unique<NomvCommand>(args->fields()[0]);
}

const bool kRegisteredMakemv = RegisterCommand(
    {"makemv", "makemv [delim=\" \"] [tokenizer=REGEX] [allowempty=false] [setsv=false] FIELD", ArgumentStyle::kOptions,
     {{"delim", OptionType::kText, " ", "the text between values"},
      {"tokenizer", OptionType::kText, "", "a regular expression matching each value"},
      {"allowempty", OptionType::kBool, "false", "keep empty values"},
      {"setsv", OptionType::kBool, "false", "accepted; a field holds its values only"}},
     MakeMakemvCommand, {{"FIELD", ArgumentKind::kFields, ""}}});
const bool kRegisteredNomv = RegisterCommand(
    {"nomv", "nomv FIELD", ArgumentStyle::kOptions, {}, MakeNomvCommand, {{"FIELD", ArgumentKind::kFields, ""}}});

}  // namespace

}  // namespace cairn::engine
