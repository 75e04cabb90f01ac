// inputlookup and outputlookup: read a lookup table as rows, and write rows to one.
//   | inputlookup vpn_ranges.csv where provider="mullvad"
//   ... | inputlookup append=true s3_deletion_baseline
//   ... | outputlookup append=false previously_seen_cloud_regions
// inputlookup starts a query, or with append=true adds the table's rows after the rows so
// far; start= skips rows, max= stops after that many, `where` takes an eval expression.
// outputlookup writes every field not starting with `_` (plus _key and _time), columns in
// the order a table/stats before it declared, then the others in first-seen order, a multivalue cell as its values joined by line breaks, atomically, and
// passes the rows on.
#include <strings.h>

#include <algorithm>

#include "engine/commands/commands.h"
#include "engine/eval/evaluator.h"
#include "engine/lookup/lookup_catalog.h"
#include "query/eval_parser.h"

namespace cairn::engine {

namespace {

class InputlookupCommand final : public Command {
 public:
  InputlookupCommand(std::string name, bool append, uint64_t start, uint64_t max, std::shared_ptr<query::EvalExpr> where)
      : name_(std::move(name)), append_(append), start_(start), max_(max), where_(std::move(where)) {}
  bool generating() const override { return !append_; }
  /// Rows of a table, not events (no _time), as Splunk shows them under Statistics.
  bool transforming() const override { return !append_; }
  std::string ToString() const override {
    return "inputlookup" + std::string(append_ ? " append=true" : "") + " " + name_ + (where_ ? " where ..." : "");
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    if (ctx->lookups == nullptr) return storage::Status::Unsupported("lookups are not available here");
    auto table = ctx->lookups->Table(name_);
    if (!table.ok()) return table.status();
    if (!append_) records->clear();
    EvalContext ec;
    ec.now_us = ctx->now_us;
    const LookupTable& t = *table.value();
    uint64_t taken = 0;
    for (size_t i = start_; i < t.rows.size() && (max_ == 0 || taken < max_); ++i) {
      Record r;
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const std::string& v = t.rows[i][c];
        if (v.empty()) continue;
        FieldCell cell;
        size_t from = 0;
        while (true) {
          size_t nl = v.find('\n', from);
          cell.push_back(v.substr(from, nl == std::string::npos ? std::string::npos : nl - from));
          if (nl == std::string::npos) break;
          from = nl + 1;
        }
        r.Set(t.columns[c], std::move(cell));
      }
      if (where_) {
        EvalValue keep = Evaluate(*where_, r, &ec);
        if (!(keep.is_bool() ? keep.boolean : (!keep.is_null() && keep.Truthy()))) continue;
      }
      records->push_back(std::move(r));
      ++taken;
    }
    for (const std::string& p : ctx->lookups->TakeProblems()) {
      query::Diagnostic w;
      w.message = p;
      ctx->warnings.push_back(w);
    }
    return storage::Status::OK();
  }

 private:
  std::string name_;
  bool append_;
  uint64_t start_, max_;
  std::shared_ptr<query::EvalExpr> where_;
};

class OutputlookupCommand final : public Command {
 public:
  OutputlookupCommand(std::string name, bool append, bool create_empty, bool override_if_empty)
      : name_(std::move(name)), append_(append), create_empty_(create_empty), override_if_empty_(override_if_empty) {}
  std::string ToString() const override { return "outputlookup" + std::string(append_ ? " append=true" : "") + " " + name_; }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    if (ctx->lookups == nullptr) return storage::Status::Unsupported("lookups are not available here");
    if (records->empty() && (!create_empty_ || !override_if_empty_)) return storage::Status::OK();
    auto written = [](const std::string& name) { return name[0] != '_' || name == "_key" || name == "_time"; };
    std::vector<std::string> columns;
    for (const std::string& name : ctx->columns)  // the order table or stats declared, first
      if (written(name) && std::any_of(records->begin(), records->end(), [&](const Record& r) { return r.Get(name) != nullptr; }))
        columns.push_back(name);
    for (const Record& r : *records)
      for (const auto& [name, _] : r.fields())
        if ((name[0] != '_' || name == "_key" || name == "_time") && std::find(columns.begin(), columns.end(), name) == columns.end())
          columns.push_back(name);
    std::vector<std::vector<std::string>> rows;
    for (const Record& r : *records) {
      std::vector<std::string> row(columns.size());
      for (size_t c = 0; c < columns.size(); ++c)
        if (const FieldCell* cell = r.Get(columns[c]))
          for (size_t i = 0; i < cell->size(); ++i) row[c] += (i ? "\n" : "") + (*cell)[i];
      rows.push_back(std::move(row));
    }
    return ctx->lookups->Write(name_, columns, rows, append_);
  }

 private:
  std::string name_;
  bool append_, create_empty_, override_if_empty_;
};

// inputlookup reads its own options: `where` takes an eval expression, whose `a=b` must not
// be read as options.
std::unique_ptr<Command> MakeInputlookupCommand(const query::CommandNode& node, CommandArgs* args,
                                                std::optional<query::Diagnostic>* error) {
  const char* synopsis = "synopsis: inputlookup [append=false] [start=0] [max=N] NAME [where EXPR]";
  bool append = false;
  uint64_t start = 0, max = 0;
  const ArgToken* name = nullptr;
  while (!args->done()) {
    const ArgToken* t = args->Peek();
    const ArgToken* eq = args->Peek(1);
    if (t->kind == ArgToken::Kind::kWord && eq != nullptr && eq->kind == ArgToken::Kind::kEquals) {
      args->Next();
      args->Next();
      const ArgToken* v = args->Next();
      std::string key = t->text;
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      bool ok = v != nullptr;
      if (ok && key == "append") ok = ParseBool(v->text, &append);
      else if (ok && key == "start") ok = ParseCount(v->text, &start);
      else if (ok && key == "max") ok = ParseCount(v->text, &max);
      else if (ok) {
        *error = ArgError("inputlookup has no option '" + t->text + "'", t->span, "options: append, start, max");
        return nullptr;
      }
      if (!ok) {
        *error = ArgError("inputlookup: bad value for " + t->text, v ? v->span : t->span, synopsis);
        return nullptr;
      }
      continue;
    }
    if (name == nullptr) {
      name = args->Next();
      if (name->kind != ArgToken::Kind::kWord && name->kind != ArgToken::Kind::kQuoted) {
        *error = ArgError("inputlookup needs a lookup name", name->span, synopsis);
        return nullptr;
      }
      continue;
    }
    break;
  }
  if (name == nullptr) {
    *error = ArgError("inputlookup needs a lookup name", args->RestSpan(), synopsis);
    return nullptr;
  }
  std::shared_ptr<query::EvalExpr> where;
  if (!args->done()) {
    const ArgToken* kw = args->Next();
    if (kw->kind != ArgToken::Kind::kWord || strcasecmp(kw->text.c_str(), "where") != 0) {
      *error = ArgError("inputlookup: unexpected '" + kw->text + "'", kw->span, synopsis);
      return nullptr;
    }
    uint32_t from = kw->span.end - node.args_span.begin;
    query::EvalParseResult parsed = query::ParseEvalExpression(node.args.substr(from), kw->span.end);
    if (parsed.error) {
      *error = parsed.error;
      return nullptr;
    }
    where = std::move(parsed.expr);
  }
  return std::make_unique<InputlookupCommand>(name->text, append, start, max, std::move(where));
}

std::unique_ptr<Command> MakeOutputlookupCommand(const query::CommandNode& node, CommandArgs* args,
                                                 std::optional<query::Diagnostic>* error) {
  if (args->fields().size() != 1) {
    *error = ArgError("outputlookup takes one lookup name", node.args_span.end > node.args_span.begin ? node.args_span : node.name_span,
                      "synopsis: outputlookup [append=false] [create_empty=true] [override_if_empty=true] NAME");
    return nullptr;
  }
  return std::make_unique<OutputlookupCommand>(args->fields()[0], args->Bool("append"), args->Bool("create_empty"),
                                               args->Bool("override_if_empty"));
}

const bool kInputlookup = RegisterCommand({"inputlookup", "| inputlookup [append=false] [start=0] [max=N] NAME [where EXPR]",
                                           ArgumentStyle::kFreeText, {}, MakeInputlookupCommand, {}});
const bool kOutputlookup = RegisterCommand(
    {"outputlookup", "outputlookup [append=false] [create_empty=true] [override_if_empty=true] NAME", ArgumentStyle::kOptions,
     {{"append", OptionType::kBool, "false", "add the rows under the existing ones"},
      {"create_empty", OptionType::kBool, "true", "with no rows, write the header only"},
      {"override_if_empty", OptionType::kBool, "true", "with no rows, replace an existing file"},
      {"key_field", OptionType::kText, "", "accepted; _key is written as a column"},
      {"max", OptionType::kCount, "0", "accepted"}},
     MakeOutputlookupCommand, {{"NAME", ArgumentKind::kFields, ""}}});

}  // namespace

}  // namespace cairn::engine
