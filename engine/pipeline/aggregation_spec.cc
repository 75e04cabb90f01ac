#include "engine/pipeline/aggregation_spec.h"

#include <algorithm>
#include <cmath>
#include <cctype>

#include "engine/pipeline/field_list.h"
#include "engine/pipeline/time_span.h"
#include "query/eval_parser.h"

namespace cairn::engine {

namespace {

// sparkline(count) | sparkline(FN(FIELD)) | sparkline(..., SPAN) [AS name]
bool ParseSparkline(const query::CommandNode& node, CommandArgs* args, const ArgToken* name, Aggregation* agg,
                    std::optional<query::Diagnostic>* error) {
  auto fail = [&](const query::Span& span) {
    *error = ArgError("expected sparkline(count), sparkline(FN(FIELD)) or sparkline(FN(FIELD), SPAN)", span);
    return false;
  };
  if (!args->Peek() || args->Peek()->kind != ArgToken::Kind::kOpen) return fail(name->span);
  uint32_t begin = args->Next()->span.end;
  const ArgToken* inner = args->Next();
  if (inner == nullptr || inner->kind != ArgToken::Kind::kWord) return fail(name->span);
  std::string inner_name = inner->text;
  for (char& c : inner_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto fn = ParseAggFn(inner_name);
  if (!fn) {
    *error = ArgError("unknown stats function '" + inner->text + "' in sparkline()", inner->span, std::string("use ") + AggFnList());
    return false;
  }
  agg->fn = fn->fn;
  agg->percent = fn->percent;
  agg->name = inner_name;
  agg->sparkline = true;
  if (args->Peek() && args->Peek()->kind == ArgToken::Kind::kOpen) {
    args->Next();
    const ArgToken* field = args->Next();
    const ArgToken* close = args->Next();
    if (field == nullptr || close == nullptr || close->kind != ArgToken::Kind::kClose) return fail(inner->span);
    agg->field = field->text;
  } else if (fn->fn != AggFn::kCount) {
    *error = ArgError(inner->text + " needs a field: sparkline(" + inner->text + "(field))", inner->span);
    return false;
  }
  if (args->TakeComma()) {
    const ArgToken* span = args->Next();
    auto parsed = span ? ParseTimeSpan(span->text) : std::nullopt;
    if (!parsed || parsed->months > 0) {
      *error = ArgError("sparkline(): expected a time span such as 5m or 1h", span ? span->span : args->RestSpan());
      return false;
    }
    agg->spark_span_us = parsed->seconds * 1000000;
  }
  const ArgToken* close = args->Next();
  if (close == nullptr || close->kind != ArgToken::Kind::kClose) return fail(close ? close->span : args->RestSpan());
  agg->output = "sparkline(" + node.args.substr(begin - node.args_span.begin, close->span.begin - begin) + ")";
  if (args->TakeKeyword("as")) {
    const ArgToken* out = args->Next();
    if (out == nullptr || (out->kind != ArgToken::Kind::kWord && out->kind != ArgToken::Kind::kQuoted)) {
      *error = ArgError("expected a name after 'as'", out ? out->span : args->RestSpan());
      return false;
    }
    agg->output = out->text;
  }
  return true;
}

}  // namespace

bool ParseAggregations(const query::CommandNode& node, CommandArgs* args, std::vector<Aggregation>* aggs_out,
                       std::vector<std::string>* by_out, std::optional<query::Diagnostic>* error, bool allow_over) {
  std::vector<Aggregation>& aggs = *aggs_out;
  std::vector<std::string>& by = *by_out;
  bool saw_by = false;
  query::Span by_span{};
  while (!args->done()) {
    if (const ArgToken* t = args->Peek(); t->kind == ArgToken::Kind::kWord && (t->text == "by" || t->text == "BY")) {
      by_span = t->span;
    }
    if (args->TakeKeyword("by")) {
      saw_by = true;
      break;
    }
    if (allow_over && !aggs.empty() && args->TakeKeyword("over")) {
      const ArgToken* x = args->Next();
      if (x == nullptr || (x->kind != ArgToken::Kind::kWord && x->kind != ArgToken::Kind::kQuoted)) {
        *error = ArgError("expected a field name after OVER", x ? x->span : args->RestSpan());
        return false;
      }
      by.push_back(x->text);
      if (!args->done() && !args->TakeKeyword("by")) {
        *error = ArgError("expected BY after OVER " + by[0], args->Peek()->span);
        return false;
      }
      saw_by = true;
      if (args->done()) saw_by = false;
      break;
    }
    const ArgToken* name = args->Next();
    if (name->kind != ArgToken::Kind::kWord) {
      *error = ArgError("expected an aggregation such as count or dc(field)", name->span);
      return false;
    }
    std::string fn_name = name->text;
    for (char& c : fn_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (fn_name == "sparkline") {
      Aggregation agg;
      if (!ParseSparkline(node, args, name, &agg, error)) return false;
      aggs.push_back(std::move(agg));
      args->TakeComma();
      continue;
    }
    auto fn = ParseAggFn(fn_name);
    if (!fn) {
      *error = ArgError("unknown stats function '" + name->text + "'", name->span, std::string("use ") + AggFnList());
      return false;
    }
    Aggregation agg{fn->fn, "", "", nullptr, fn->percent, fn_name};
    if (args->Peek() && args->Peek()->kind == ArgToken::Kind::kOpen) {
      args->Next();
      const ArgToken* field = args->Next();
      if (field == nullptr || (field->kind != ArgToken::Kind::kWord && field->kind != ArgToken::Kind::kQuoted)) {
        *error = ArgError("expected a field name", field ? field->span : args->RestSpan());
        return false;
      }
      if (field->text == "eval" && args->Peek() && args->Peek()->kind == ArgToken::Kind::kOpen) {
        const ArgToken* open = args->Next();
        int depth = 1;
        const ArgToken* close_eval = nullptr;
        while (const ArgToken* t = args->Next()) {
          if (t->kind == ArgToken::Kind::kOpen) ++depth;
          if (t->kind == ArgToken::Kind::kClose && --depth == 0) {
            close_eval = t;
            break;
          }
        }
        if (close_eval == nullptr) {
          *error = ArgError("unbalanced parentheses in eval(...)", open->span);
          return false;
        }
        uint32_t b = open->span.end - node.args_span.begin, e = close_eval->span.begin - node.args_span.begin;
        query::EvalParseResult parsed = query::ParseEvalExpression(node.args.substr(b, e - b), open->span.end);
        if (parsed.error) {
          *error = parsed.error;
          return false;
        }
        agg.condition = std::move(parsed.expr);
        agg.field = "eval(" + node.args.substr(b, e - b) + ")";
      } else {
        agg.field = field->text;
      }
      const ArgToken* close = args->Next();
      if (close == nullptr || close->kind != ArgToken::Kind::kClose) {
        *error = ArgError("expected ')'", close ? close->span : args->RestSpan());
        return false;
      }
    } else if (fn->fn != AggFn::kCount) {
      *error = ArgError(name->text + " needs a field: " + name->text + "(field)", name->span);
      return false;
    }
    agg.output = agg.field.empty() ? std::string(AggFnName(fn->fn)) : fn_name + "(" + agg.field + ")";
    if (args->TakeKeyword("as")) {
      const ArgToken* out = args->Next();
      if (out == nullptr || (out->kind != ArgToken::Kind::kWord && out->kind != ArgToken::Kind::kQuoted)) {
        *error = ArgError("expected a name after 'as'", out ? out->span : args->RestSpan());
        return false;
      }
      agg.output = out->text;
    }
    aggs.push_back(std::move(agg));
    args->TakeComma();
  }
  while (!args->done()) {
    const ArgToken* f = args->Next();
    if (f->kind == ArgToken::Kind::kComma) continue;
    if (f->kind != ArgToken::Kind::kWord && f->kind != ArgToken::Kind::kQuoted) {
      *error = ArgError("expected a field name after 'by'", f->span);
      return false;
    }
    by.push_back(f->text);
  }
  if (aggs.empty()) {
    *error = ArgError(node.name + " needs at least one aggregation, such as count", node.name_span);
    return false;
  }
  if (saw_by && by.empty()) {
    *error = ArgError("expected a field name after BY", {by_span.end, by_span.end + 1});
    return false;
  }
  return true;
}

bool HasWildcards(const std::vector<Aggregation>& aggs) {
  for (const auto& a : aggs)
    if (!a.condition && a.field.find('*') != std::string::npos) return true;
  return false;
}

std::vector<Aggregation> ExpandWildcards(const std::vector<Aggregation>& aggs, const std::vector<Record>& records) {
  std::vector<Aggregation> out;
  for (const auto& a : aggs) {
    if (a.condition || a.field.find('*') == std::string::npos) {
      out.push_back(a);
      continue;
    }
    std::vector<std::string> names;
    for (const Record& r : records)
      for (const auto& [name, _] : r.fields())
        if (FieldMatches(a.field, name) && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      Aggregation e = a;
      e.field = name;
      std::optional<std::string> renamed = RenameWithPattern(a.field, a.output, name);
      e.output = renamed && a.output.find('*') != std::string::npos ? *renamed : a.name + "(" + name + ")";
      out.push_back(std::move(e));
    }
  }
  return out;
}

FieldCell FinishAggregation(const Aggregation& a, const AggState& s) {
  if (!a.sparkline) return Finish(a.function(), s);
  static const char* const kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::vector<double> values;
  double max = 0;
  for (int64_t b = a.spark_first; b <= a.spark_last && values.size() < 1000; ++b) {
    double v = 0;
    if (s.buckets)
      if (auto it = s.buckets->find(b); it != s.buckets->end()) {
        FieldCell c = Finish(a.function(), it->second);
        if (!c.empty())
          if (auto n = TextNumber(c[0])) v = *n;
      }
    values.push_back(v);
    max = std::max(max, v);
  }
  std::string line;
  for (double v : values) {
    if (v <= 0 || max <= 0) line += " ";
    else line += kLevels[std::min<size_t>(7, static_cast<size_t>(std::ceil(v / max * 8)) - 1)];
  }
  return FieldCell({line});
}

bool HasSparklines(const std::vector<Aggregation>& aggs) {
  for (const auto& a : aggs)
    if (a.sparkline) return true;
  return false;
}

void PrepareSparklines(std::vector<Aggregation>* aggs, const std::vector<Record>& records) {
  if (!HasSparklines(*aggs)) return;
  std::optional<int64_t> lo, hi;
  for (const Record& r : records) {
    int64_t t = RecordTimeMicros(r);
    lo = lo ? std::min(*lo, t) : t;
    hi = hi ? std::max(*hi, t) : t;
  }
  for (Aggregation& a : *aggs) {
    if (!a.sparkline) continue;
    if (a.spark_span_us == 0) a.spark_span_us = AutoTimeSpan(lo.value_or(0), hi.value_or(0), 20).seconds * 1000000;
    auto bucket = [&](int64_t t) { return t >= 0 ? t / a.spark_span_us : -((-t + a.spark_span_us - 1) / a.spark_span_us); };
    a.spark_first = lo ? bucket(*lo) : 0;
    a.spark_last = hi ? bucket(*hi) : -1;
  }
}

std::optional<std::vector<std::string>> AggregationFields(const std::vector<Aggregation>& aggs,
                                                          const std::vector<std::string>& by) {
  std::vector<std::string> fields = by;
  for (const Aggregation& a : aggs) {
    if (a.condition) {
      if (!CollectEvalFields(*a.condition, &fields)) return std::nullopt;
    } else if (!a.field.empty()) {
      fields.push_back(a.field);
    }
  }
  return fields;
}

int64_t RecordTimeMicros(const Record& r) {
  const FieldCell* t = r.Get("_time");
  if (t == nullptr || t->empty()) return 0;
  auto n = TextNumber((*t)[0]);
  return n ? static_cast<int64_t>(*n * 1e6) : 0;
}

std::vector<std::vector<std::string>> GroupKeys(const Record& r, const std::vector<std::string>& by) {
  std::vector<const FieldCell*> cells;
  for (const auto& b : by) {
    const FieldCell* c = r.Get(b);
    if (c == nullptr || c->empty()) return {};
    cells.push_back(c);
  }
  std::vector<std::vector<std::string>> keys;
  std::vector<std::string> key(cells.size());
  std::vector<size_t> idx(cells.size(), 0);
  while (true) {
    for (size_t i = 0; i < cells.size(); ++i) key[i] = (*cells[i])[idx[i]];
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    size_t i = 0;
    while (i < cells.size() && ++idx[i] == cells[i]->size()) idx[i++] = 0;
    if (i == cells.size()) return keys;
  }
}

void FeedRecord(const std::vector<Aggregation>& aggs, const Record& r, int64_t time_us, EvalContext* ec,
                std::vector<AggState>* states) {
  for (size_t a = 0; a < aggs.size(); ++a) {
    AggState* target = &(*states)[a];
    if (aggs[a].sparkline) {  // the state of the event's time bucket
      if (!target->buckets) target->buckets = std::make_shared<std::map<int64_t, AggState>>();
      int64_t width = aggs[a].spark_span_us > 0 ? aggs[a].spark_span_us : 1;
      int64_t bucket = time_us >= 0 ? time_us / width : -((-time_us + width - 1) / width);
      target = &(*target->buckets)[bucket];
    }
    AggState& st = *target;
    if (aggs[a].condition) {
      EvalValue v = Evaluate(*aggs[a].condition, r, ec);
      if (aggs[a].fn == AggFn::kCount) {
        if (v.is_bool() ? v.boolean : (!v.is_null() && v.Truthy())) ++st.count;
      } else if (!v.is_null() && !v.is_bool()) {
        for (const std::string& s : v.ToCell()) Feed(aggs[a].fn, s, TextNumber(s), time_us, &st);
      }
      continue;
    }
    if (aggs[a].field.empty()) {
      ++st.count;
      continue;
    }
    const FieldCell* v = r.Get(aggs[a].field);
    if (v == nullptr) continue;
    for (const std::string& s : *v) Feed(aggs[a].fn, s, TextNumber(s), time_us, &st);
  }
}

}  // namespace cairn::engine
