// eval: computes fields from expressions, left to right (a later assignment sees earlier
// ones).   eval user=coalesce('userIdentity.userName', 'userIdentity.arn'), hour=strftime(_time, "%H")
#include "engine/commands/commands.h"
#include "engine/eval/evaluator.h"
#include "query/eval_parser.h"

namespace cairn::engine {

namespace {
class EvalCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> f;
    for (const auto& a : assignments_)
      if (!CollectEvalFields(*a.expr, &f)) return std::nullopt;
    return f;
  }
  EvalCommand(std::string text, std::vector<query::EvalAssignment> assignments)
      : text_(std::move(text)), assignments_(std::move(assignments)) {}
  bool one_to_one() const override { return true; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  bool may_change_time() const override {
    for (const auto& a : assignments_)
      if (a.field == "_time") return true;
    return false;
  }
  std::string ToString() const override { return "eval " + text_; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    EvalContext ec;
    ec.now_us = ctx->now_us;
    for (Record& r : *records) {
      for (const auto& a : assignments_) {
        EvalValue v = Evaluate(*a.expr, r, &ec);
        r.Set(a.field, v.ToCell());
      }
    }
    if (ec.error) ctx->warnings.push_back(*ec.error);
    return storage::Status::OK();
  }

 private:
  std::string text_;
  std::vector<query::EvalAssignment> assignments_;
};
}  // namespace

static std::unique_ptr<Command> MakeEvalCommand(const query::CommandNode& node, CommandArgs*,
                                         std::optional<query::Diagnostic>* error) {
  query::EvalAssignmentsResult parsed = query::ParseEvalAssignments(node.args, node.args_span.begin);
  if (parsed.error) {
    *error = parsed.error;
    return nullptr;
  }
  if (parsed.assignments.empty()) {
    *error = ArgError("eval needs an assignment, e.g. eval user=lower(userName)", node.name_span);
    return nullptr;
  }
  return std::make_unique<EvalCommand>(node.args, std::move(parsed.assignments));
}

namespace {
const bool kRegistered = RegisterCommand({"eval", "eval FIELD=EXPR[, FIELD=EXPR]...", ArgumentStyle::kFreeText, {}, MakeEvalCommand, {}});
}  // namespace

}  // namespace cairn::engine
