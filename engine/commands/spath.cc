// spath: the JSON value at a path of a field (default _raw).
//   spath input=requestParameters.policyDocument output=statements path=Statement{}
//   spath userIdentity.arn          spath input=findings        (every leaf of the JSON)
// engine/eval/json_path.h has the path rules. Input that is not JSON, or a path that is
// absent, sets nothing.
#include "engine/commands/commands.h"
#include "engine/eval/json_path.h"

namespace cairn::engine {

namespace {

class SpathCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{input_}; }
  SpathCommand(std::string input, std::string output, std::string path)
      : input_(std::move(input)), output_(std::move(output)), path_(std::move(path)) {}
  bool one_to_one() const override { return true; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  std::string ToString() const override {
    std::string s = "spath input=" + input_;
    if (!path_.empty()) s += " output=" + (output_.empty() ? path_ : output_) + " path=" + path_;
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    for (Record& r : *records) {
      const FieldCell* in = r.Get(input_);
      if (in == nullptr || in->empty()) continue;
      if (path_.empty()) {
        std::vector<std::pair<std::string, FieldCell>> found;
        for (const std::string& doc : *in) {
          auto leaves = JsonLeaves(doc);
          if (!leaves) continue;
          for (auto& leaf : *leaves) {
            const std::string& name = leaf.first;
            auto& values = leaf.second;
            auto it = std::find_if(found.begin(), found.end(), [&](const auto& p) { return p.first == name; });
            if (it == found.end()) found.emplace_back(name, FieldCell(values));
            else it->second.insert(it->second.end(), values.begin(), values.end());
          }
        }
        for (auto& [name, cell] : found) r.Set(name, std::move(cell));
        continue;
      }
      FieldCell values;
      bool any_json = false;
      for (const std::string& doc : *in) {
        auto v = JsonPathValues(doc, path_);
        if (!v) continue;
        any_json = true;
        values.insert(values.end(), v->begin(), v->end());
      }
      if (any_json && !values.empty()) r.Set(output_.empty() ? path_ : output_, std::move(values));
    }
    return storage::Status::OK();
  }

 private:
  std::string input_, output_, path_;
};

std::unique_ptr<Command> MakeSpathCommand(const query::CommandNode& node, CommandArgs* args,
                                          std::optional<query::Diagnostic>* error) {
  std::string path = args->Text("path");
  if (!args->done()) {
    const ArgToken* t = args->Next();
    if (args->Given("path") || (t->kind != ArgToken::Kind::kWord && t->kind != ArgToken::Kind::kQuoted)) {
      *error = ArgError("spath: unexpected '" + t->text + "'", t->span, "synopsis: spath [input=F] [output=F] [path=]PATH");
      return nullptr;
    }
    path = t->text;
  }
  if (!args->done()) {
    *error = ArgError("spath takes one path", args->RestSpan(), "synopsis: spath [input=F] [output=F] [path=]PATH");
    return nullptr;
  }
  return std::make_unique<SpathCommand>(args->Text("input"), args->Text("output"), path);
}

const bool kRegistered = RegisterCommand({"spath", "spath [input=_raw] [output=FIELD] [path=]PATH", ArgumentStyle::kOptions,
                                          {{"input", OptionType::kText, "_raw", "the field holding JSON"},
                                           {"output", OptionType::kText, "", "the field to write (default: the path)"},
                                           {"path", OptionType::kText, "", "the JSON path"}},
                                          MakeSpathCommand, {{"[PATH]", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
