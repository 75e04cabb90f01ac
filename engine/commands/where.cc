// where: keeps the results for which an eval expression is true. Comparisons are
// case-sensitive and compare fields with fields; AND binds tighter than OR.
//   where count>=5      where like(sourceIPAddress, "10.%") OR isnull(errorCode)
#include "engine/commands/commands.h"
#include "engine/eval/evaluator.h"
#include "query/eval_parser.h"

namespace cairn::engine {

namespace {
class WhereCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> f;
    if (!CollectEvalFields(*expr_, &f)) return std::nullopt;
    return f;
  }
  WhereCommand(std::string text, std::unique_ptr<query::EvalExpr> expr) : text_(std::move(text)), expr_(std::move(expr)) {}
  std::string ToString() const override { return "where " + text_; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  bool may_change_time() const override { return false; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    EvalContext ec;
    ec.now_us = ctx->now_us;
    std::vector<Record> out;
    for (Record& r : *records) {
      EvalValue v = Evaluate(*expr_, r, &ec);
      if (v.is_bool() ? v.boolean : (!v.is_null() && v.Truthy())) out.push_back(std::move(r));
    }
    *records = std::move(out);
    if (ec.error) ctx->warnings.push_back(*ec.error);
    return storage::Status::OK();
  }

 private:
  std::string text_;
  std::unique_ptr<query::EvalExpr> expr_;
};
}  // namespace

static std::unique_ptr<Command> MakeWhereCommand(const query::CommandNode& node, CommandArgs*,
                                          std::optional<query::Diagnostic>* error) {
  if (node.args.empty()) {
    *error = ArgError("where needs an expression, e.g. where count>5", node.name_span);
    return nullptr;
  }
  query::EvalParseResult parsed = query::ParseEvalExpression(node.args, node.args_span.begin);
  if (parsed.error) {
    *error = parsed.error;
    return nullptr;
  }
  return std::make_unique<WhereCommand>(node.args, std::move(parsed.expr));
}

namespace {
const bool kRegistered = RegisterCommand({"where", "where EXPR", ArgumentStyle::kFreeText, {}, MakeWhereCommand, {}});
}  // namespace

}  // namespace cairn::engine
