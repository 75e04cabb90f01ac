#include "engine/pipeline/pipeline.h"

#include <algorithm>

#include "engine/config/search_time_fields.h"
#include "engine/eval/evaluator.h"
#include "engine/pipeline/streamed_run.h"

namespace cairn::engine {

namespace {

// Levenshtein distance, for suggesting a command name.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

bool Pipeline::Build(const query::QueryAst& ast, std::optional<query::Diagnostic>* error) {
  for (const query::CommandNode& node : ast.commands) {
    const CommandSpec* spec = FindCommand(node.name);
    if (spec == nullptr) {
      query::Diagnostic d;
      d.message = "unknown command '" + node.name + "'";
      d.span = node.name_span;
      std::string close;
      for (const std::string& n : CommandNames())
        if (EditDistance(n, node.name) <= std::max<size_t>(1, node.name.size() / 3))
          close += (close.empty() ? "" : ", ") + n;
      d.hint = (close.empty() ? std::string() : "did you mean " + close + "? ") +
               "cairn's commands are listed in docs/query-language.md";
      *error = d;
      return false;
    }
    CommandArgs args = CommandArgs::Parse(node.args, node.args_span.begin);
    if (spec->style == ArgumentStyle::kOptions) {
      if (auto bad = args.TakeDeclaredOptions(*spec)) {
        *error = bad;
        return false;
      }
      if (auto bad = args.TakeDeclaredArguments(*spec, node)) {
        *error = bad;
        return false;
      }
    }
    std::unique_ptr<Command> cmd = spec->factory(node, &args, error);
    if (cmd == nullptr) return false;
    if (commands_.empty() && ast.leading_pipe && !cmd->generating()) {
      *error = ArgError(
          "a query that starts with '|' needs a generating command first (makeresults, inputlookup, search)",
          node.name_span);
      return false;
    }
    commands_.push_back(std::move(cmd));
  }
  generates_ = ast.leading_pipe;
  return true;
}

bool Pipeline::transforming() const {
  for (const auto& c : commands_)
    if (c->transforming()) return true;
  return false;
}

std::optional<std::vector<std::string>> Pipeline::FieldsNeeded() const {
  std::vector<std::string> needed;
  for (const auto& c : commands_) {
    std::optional<std::vector<std::string>> read = c->FieldsRead();
    if (!read) return std::nullopt;
    for (const std::string& f : *read) {
      if (f.find('*') != std::string::npos) return std::nullopt;
      if (std::find(needed.begin(), needed.end(), f) == needed.end()) needed.push_back(f);
    }
    if (c->ends_projection()) return needed;
  }
  return std::nullopt;  // the events come out as they are: every field
}

bool Pipeline::FirstReadsComputedField() const {
  if (fields_ == nullptr || fields_->empty() || commands_.empty()) return false;
  std::optional<std::vector<std::string>> read = commands_[0]->FieldsRead();
  if (!read) return false;
  for (const std::string& f : *read)
    if (fields_->Defines(f)) return true;
  return false;
}

std::string Pipeline::Describe() const {
  std::string out;
  if (!commands_.empty() && !generates_) {
    if (commands_[0]->CanExecuteOnSegments() && !FirstReadsComputedField()) {
      out += "  (the first command reads the segments' columns: no events are decoded)\n";
    } else {
      if (auto fields = FieldsNeeded()) {
        std::string list;
        for (const std::string& f : *fields) list += (list.empty() ? "" : ", ") + f;
        out += "  (events decoded with _time" + (list.empty() ? std::string() : ", " + list) + " only)\n";
      } else {
        out += "  (events decoded with every field and _raw)\n";
      }
      if (StreamPlan plan = PlanStream(commands_); plan.count > 0)
        out += "  (events streamed in batches" + std::string(plan.oldest_first ? ", oldest first," : "") +
               " through the first " + std::to_string(plan.count) + " command" + (plan.count > 1 ? "s" : "") +
               (plan.two_pass != SIZE_MAX ? ", read twice for eventstats" : "") + ")\n";
    }
  }
  for (const auto& c : commands_) out += "  | " + c->ToString() + "\n";
  return out;
}

storage::Status Pipeline::Run(std::vector<SegmentMatch>* matches, ExecContext* ctx, const RowDecoding& output,
                              std::vector<Record>* records) {
  if (commands_.empty()) {
    RowDecoding events = output;
    events.computed = fields_;  // an event's fields include its aliases and calculated fields
    return MaterializeRecords(matches, records, events, ctx->limits);
  }
  size_t first = 0;
  if (generates_) {
    records->clear();
  } else if (commands_[0]->CanExecuteOnSegments() && !FirstReadsComputedField()) {
    storage::Status s = commands_[0]->ExecuteOnSegments(matches, records, ctx);
    if (!s.ok()) return s;
    ctx->chart = commands_[0]->charts();
    first = 1;
  } else {
    // A head reached through one-to-one commands needs only the newest N events; only the
    // fields the commands read are decoded.
    RowDecoding all;
    all.computed = fields_;
    all.only_fields = FieldsNeeded();
    if (all.only_fields) {
      auto raw = std::find(all.only_fields->begin(), all.only_fields->end(), "_raw");
      all.raw = raw != all.only_fields->end();
      if (all.raw) all.only_fields->erase(raw);
    }
    StreamPlan plan = PlanStream(commands_);
    if (plan.count > 0) {
      storage::Status s = RunStreamed(plan, commands_, matches, all, ctx, records);
      if (!s.ok()) return s;
      for (size_t i = 0; i < plan.count; ++i)
        if (commands_[i]->transforming()) ctx->chart = commands_[i]->charts();
      first = plan.count;
    } else {
      for (const auto& c : commands_) {
        if (auto n = c->keeps_first()) {
          all.limit = *n;
          break;
        }
        if (!c->one_to_one()) break;
      }
      storage::Status s = MaterializeRecords(matches, records, all, ctx->limits);
      if (!s.ok()) return s;
    }
  }
  for (size_t i = first; i < commands_.size(); ++i) {
    if (storage::Status s = ctx->CheckLimits(); !s.ok()) return s;
    storage::Status s = commands_[i]->Execute(records, ctx);
    if (!s.ok()) return s;
    if (commands_[i]->transforming()) ctx->chart = commands_[i]->charts();
  }
  return storage::Status::OK();
}

void ApplyFieldFormats(const ExecContext& ctx, std::vector<Record>* records) {
  EvalContext ec;
  ec.now_us = ctx.now_us;
  for (Record& r : *records)
    for (const auto& [field, expr] : ctx.field_formats)
      if (r.Get(field) != nullptr) r.Set(field, Evaluate(*expr, r, &ec).ToCell());
}

}  // namespace cairn::engine
