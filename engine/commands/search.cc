// search (after the first pipe): filters results with the search language, bound as the
// first search is (query/binder.h) and matched record by record.
//   ... | stats count by sourceIPAddress | search count>10
#include "engine/commands/commands.h"
#include "engine/pipeline/record_matcher.h"
#include "query/binder.h"
#include "query/parser.h"

namespace cairn::engine {

namespace {
class SearchCommand final : public Command {
 public:
  SearchCommand(std::string text, std::unique_ptr<query::Predicate> expr) : text_(std::move(text)), expr_(std::move(expr)) {}
  std::string ToString() const override { return "search " + text_; }
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> read;
    CollectPredicateFields(*expr_, &read);
    return read;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    std::vector<Record> out;
    for (Record& r : *records)
      if (MatchesRecord(*expr_, r)) out.push_back(std::move(r));
    *records = std::move(out);
    return storage::Status::OK();
  }

 private:
  std::string text_;
  std::unique_ptr<query::Predicate> expr_;
};
}  // namespace

static std::unique_ptr<Command> MakeSearchCommand(const query::CommandNode& node, CommandArgs*,
                                           std::optional<query::Diagnostic>* error) {
  query::ParseResult parsed = query::ParseQuery(node.args);
  if (parsed.error) {
    query::Diagnostic d = *parsed.error;
    d.span.begin += node.args_span.begin;
    d.span.end += node.args_span.begin;
    *error = d;
    return nullptr;
  }
  if (!parsed.ast.commands.empty() || parsed.ast.search == nullptr) {
    *error = ArgError("search needs an expression", node.name_span);
    return nullptr;
  }
  return std::make_unique<SearchCommand>(node.args, query::BindExpression(*parsed.ast.search));
}

namespace {
const bool kRegistered = RegisterCommand({"search", "search EXPRESSION", ArgumentStyle::kFreeText, {}, MakeSearchCommand, {}});
}  // namespace

}  // namespace cairn::engine
