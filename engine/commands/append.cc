// Commands that combine the rows so far with a subsearch's rows:
//   append [search ...]                 the subsearch's rows after the rows so far
//   appendcols [override=false] [...]   its row i merged into row i
//   union [search ...] [search ...]     the rows so far, then each subsearch's rows
// A subsearch gives at most kCommandSubsearchMaxRows rows (maxout=); a warning says when it
// had more.
#include <algorithm>

#include "engine/commands/commands.h"

namespace cairn::engine {

namespace {

/// Rows a subsearch of these commands gives by default (Splunk's maxout for append/join).
constexpr uint64_t kDefaultMaxout = 50000;

enum class Combine { kAppend, kAppendcols, kUnion };

class CombineCommand final : public Command {
 public:
  CombineCommand(Combine how, std::vector<std::pair<std::string, query::Span>> subsearches, uint64_t maxout, bool override_fields)
      : how_(how), subsearches_(std::move(subsearches)), maxout_(maxout), override_(override_fields) {}
  std::string ToString() const override {
    std::string s = how_ == Combine::kAppend ? "append" : how_ == Combine::kAppendcols ? "appendcols" : "union";
    for (const auto& [text, _] : subsearches_) s += " [" + text + "]";
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    if (!ctx->run_subsearch) return storage::Status::Unsupported("subsearches cannot run here");
    for (const auto& [text, span] : subsearches_) {
      std::vector<Record> rows;
      bool truncated = false;
      if (storage::Status st = ctx->run_subsearch(text, span, maxout_, &rows, &truncated); !st.ok()) return st;
      if (truncated) {
        query::Diagnostic w;
        w.message = "the subsearch returned more than " + std::to_string(maxout_) + " rows; only the first " +
                    std::to_string(maxout_) + " are used (maxout=)";
        w.span = span;
        ctx->warnings.push_back(w);
      }
      // The subsearch's columns come after the ones the rows so far declared (a stats table
      // appended to a stats table keeps the first table's columns first).
      if (!ctx->columns.empty())
        for (const Record& r : rows)
          for (const auto& [name, _] : r.fields())
            if (std::find(ctx->columns.begin(), ctx->columns.end(), name) == ctx->columns.end()) ctx->columns.push_back(name);
      if (how_ != Combine::kAppendcols) {
        for (Record& r : rows) records->push_back(std::move(r));
        continue;
      }
      for (size_t i = 0; i < rows.size(); ++i) {
        if (i >= records->size()) {
          records->push_back(std::move(rows[i]));
          continue;
        }
        for (auto& [name, cell] : rows[i].mutable_fields())
          if (override_ || (*records)[i].Get(name) == nullptr) (*records)[i].Set(name, std::move(cell));
      }
    }
    return storage::Status::OK();
  }

 private:
  Combine how_;
  std::vector<std::pair<std::string, query::Span>> subsearches_;
  uint64_t maxout_;
  bool override_;
};

std::unique_ptr<Command> MakeCombine(Combine how, const query::CommandNode& node, CommandArgs* args,
                                     std::optional<query::Diagnostic>* error) {
  std::vector<std::pair<std::string, query::Span>> subsearches;
  while (!args->done()) {
    const ArgToken* t = args->Next();
    if (t->kind == ArgToken::Kind::kComma) continue;
    if (t->kind != ArgToken::Kind::kSubsearch) {
      *error = ArgError(node.name + ": expected a subsearch in brackets, such as [search eventName=AssumeRole]", t->span);
      return nullptr;
    }
    subsearches.emplace_back(t->text, t->span);
  }
  if (subsearches.empty() || (how != Combine::kUnion && subsearches.size() > 1)) {
    *error = ArgError(node.name + (subsearches.empty() ? " needs a subsearch: " : " takes one subsearch: ") + node.name +
                          " [search ...]",
                      node.args_span.end > node.args_span.begin ? node.args_span : node.name_span);
    return nullptr;
  }
  uint64_t maxout = args->Given("maxout") ? args->Count("maxout") : kDefaultMaxout;
  if (maxout == 0) maxout = UINT64_MAX;
  bool override_fields = how == Combine::kAppendcols && args->Bool("override");
  return std::make_unique<CombineCommand>(how, std::move(subsearches), maxout, override_fields);
}

const std::vector<OptionSpec> kSubsearchOptions = {
    {"maxout", OptionType::kCount, "50000", "rows the subsearch may give (0: no limit)"},
    {"maxtime", OptionType::kCount, "60", "accepted; subsearches are not timed out"},
    {"timeout", OptionType::kCount, "60", "accepted; subsearches are not timed out"},
    {"extendtimerange", OptionType::kBool, "false", "accepted"}};

std::vector<OptionSpec> WithOverride() {
  std::vector<OptionSpec> o = kSubsearchOptions;
  o.push_back({"override", OptionType::kBool, "false", "the subsearch's fields replace the row's"});
  return o;
}

const bool kAppend = RegisterCommand(
    {"append", "append [maxout=50000] [SUBSEARCH]", ArgumentStyle::kOptions, kSubsearchOptions,
     [](const query::CommandNode& n, CommandArgs* a, std::optional<query::Diagnostic>* e) { return MakeCombine(Combine::kAppend, n, a, e); },
     {{"[SUBSEARCH]", ArgumentKind::kCustom, ""}}});
const bool kAppendcols = RegisterCommand(
    {"appendcols", "appendcols [override=false] [SUBSEARCH]", ArgumentStyle::kOptions, WithOverride(),
     [](const query::CommandNode& n, CommandArgs* a, std::optional<query::Diagnostic>* e) { return MakeCombine(Combine::kAppendcols, n, a, e); },
     {{"[SUBSEARCH]", ArgumentKind::kCustom, ""}}});
const bool kUnion = RegisterCommand(
    {"union", "union [SUBSEARCH]...", ArgumentStyle::kOptions, kSubsearchOptions,
     [](const query::CommandNode& n, CommandArgs* a, std::optional<query::Diagnostic>* e) { return MakeCombine(Combine::kUnion, n, a, e); },
     {{"[SUBSEARCH]...", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
