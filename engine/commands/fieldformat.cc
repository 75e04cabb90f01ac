// fieldformat: how a field shows in the results, without changing its value for the commands
// after it (a sort still sorts the number, not the text).
//   fieldformat _time=strftime(_time, "%Y-%m-%d")      fieldformat bytes=tostring(bytes, "commas")
// The expression is eval's; it runs on every result holding the field once the last command
// has run, in every output format.
#include "engine/commands/commands.h"
#include "query/eval_parser.h"

namespace cairn::engine {

namespace {

class FieldformatCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{}; }
  FieldformatCommand(std::string text, std::string field, std::shared_ptr<query::EvalExpr> expr)
      : text_(std::move(text)), field_(std::move(field)), expr_(std::move(expr)) {}
  bool one_to_one() const override { return true; }
  std::string ToString() const override { return "fieldformat " + text_; }
  storage::Status Execute(std::vector<Record>*, ExecContext* ctx) override {
    ctx->field_formats.emplace_back(field_, expr_);
    return storage::Status::OK();
  }

 private:
  std::string text_, field_;
  std::shared_ptr<query::EvalExpr> expr_;
};

std::unique_ptr<Command> MakeFieldformatCommand(const query::CommandNode& node, CommandArgs*,
                                                std::optional<query::Diagnostic>* error) {
  query::EvalAssignmentsResult parsed = query::ParseEvalAssignments(node.args, node.args_span.begin);
  if (parsed.error) {
    *error = parsed.error;
    return nullptr;
  }
  if (parsed.assignments.size() != 1) {
    *error = ArgError("fieldformat takes one FIELD=EXPR, e.g. fieldformat bytes=tostring(bytes, \"commas\")", node.args_span);
    return nullptr;
  }
  return std::make_unique<FieldformatCommand>(node.args, parsed.assignments[0].field, std::move(parsed.assignments[0].expr));
}

const bool kRegistered = RegisterCommand({"fieldformat", "fieldformat FIELD=EXPR", ArgumentStyle::kFreeText, {},
                                          MakeFieldformatCommand, {}});

}  // namespace

}  // namespace cairn::engine
