// bin (alias bucket): puts values into buckets.
//   bin _time span=5m      bucket span=1d _time AS day      bin bytes span=1000     bin x bins=10
// On _time a bucket is floor(t / span) * span seconds since the epoch (UTC), months are
// calendar months, aligntime= moves the boundaries. Without span, bins= (default 100) picks
// the smallest standard span giving at most that many buckets over the rows' range. On any
// other field, values are numbers and become "LOW-HIGH" ranges; a value that is not a number
// is left out. docs/query-language.md has the rules.
#include <algorithm>
#include <cmath>

#include "engine/commands/commands.h"
#include "engine/pipeline/aggregation.h"
#include "engine/pipeline/materialize.h"
#include "engine/pipeline/time_span.h"
#include "query/civil_time.h"

namespace cairn::engine {

namespace {

class BinCommand final : public Command {
 public:
  struct Spec {
    std::string field, output;
    std::optional<std::string> span_text;
    std::optional<TimeSpan> time_span;  // on _time
    std::optional<double> number_span;  // on other fields
    uint64_t bins = 100;
    std::optional<double> minspan;
    std::optional<double> start, end;
    std::string aligntime;
  };
  explicit BinCommand(Spec spec) : spec_(std::move(spec)) {}
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{spec_.field}; }
  bool one_to_one() const override { return true; }
  // A fixed span gives each record its bucket alone; bins= and aligntime=earliest|latest
  // look at every record.
  StreamRole stream_role() const override {
    bool fixed = spec_.field == "_time" ? spec_.time_span && spec_.aligntime != "earliest" && spec_.aligntime != "latest"
                                        : spec_.number_span.has_value();
    return fixed ? StreamRole::kPerRecord : StreamRole::kNone;
  }
  std::string ToString() const override {
    std::string s = "bin " + spec_.field;
    if (spec_.span_text) s += " span=" + *spec_.span_text;
    else s += " bins=" + std::to_string(spec_.bins);
    if (!spec_.output.empty()) s += " AS " + spec_.output;
    return s;
  }

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    const std::string& target = spec_.output.empty() ? spec_.field : spec_.output;
    if (spec_.field == "_time") return BinTime(records, target, ctx);
    double span = 0;
    if (spec_.number_span) {
      span = *spec_.number_span;
    } else {
      std::optional<double> lo = spec_.start, hi = spec_.end;
      for (const Record& r : *records)
        if (const FieldCell* c = r.Get(spec_.field))
          for (const auto& v : *c)
            if (auto n = TextNumber(v)) {
              lo = lo ? std::min(*lo, *n) : *n;
              hi = hi ? std::max(*hi, *n) : *n;
            }
      if (!lo) return storage::Status::OK();
      span = std::pow(10.0, -12);
      while (span < 1e300 && (std::floor(*hi / span) - std::floor(*lo / span) + 1 > static_cast<double>(spec_.bins) ||
                              (spec_.minspan && span < *spec_.minspan)))
        span *= 10;
      span = std::stod(FormatNumber(span));  // 0.1 as written, not 0.1000000000001
    }
    for (Record& r : *records) {
      const FieldCell* c = r.Get(spec_.field);
      if (c == nullptr) continue;
      FieldCell out;
      for (const auto& v : *c) {
        auto n = TextNumber(v);
        if (!n) continue;
        double low = std::floor(*n / span) * span;
        out.push_back(FormatNumber(low) + "-" + FormatNumber(low + span));
      }
      if (out.empty()) r.Remove(target);
      else r.Set(target, std::move(out));
    }
    return storage::Status::OK();
  }

 private:
  storage::Status BinTime(std::vector<Record>* records, const std::string& target, ExecContext* ctx) {
    std::optional<int64_t> lo, hi;
    for (const Record& r : *records)
      if (const FieldCell* c = r.Get("_time"); c != nullptr && !c->empty())
        if (auto us = EpochSecondsToMicros((*c)[0])) {
          lo = lo ? std::min(*lo, *us) : *us;
          hi = hi ? std::max(*hi, *us) : *us;
        }
    TimeBuckets buckets;
    if (spec_.time_span) {
      buckets.span = *spec_.time_span;
    } else {
      if (!lo) return storage::Status::OK();
      buckets.span = AutoTimeSpan(*lo, *hi, spec_.bins, spec_.minspan.value_or(0));
    }
    buckets.AlignTo(spec_.aligntime, ctx->earliest_us ? ctx->earliest_us : lo, ctx->latest_us ? ctx->latest_us : hi, ctx->now_us);
    for (Record& r : *records) {
      const FieldCell* c = r.Get("_time");
      if (c == nullptr || c->empty()) continue;
      auto us = EpochSecondsToMicros((*c)[0]);
      if (!us) continue;
      r.Set(target, FieldCell({EpochSecondsText(buckets.Start(*us))}, ValueKind::kNumber));
    }
    return storage::Status::OK();
  }

  Spec spec_;
};

std::unique_ptr<Command> MakeBinCommand(const query::CommandNode& node, CommandArgs* args,
                                        std::optional<query::Diagnostic>* error) {
  BinCommand::Spec spec;
  const ArgToken* field = args->Next();
  if (field == nullptr || (field->kind != ArgToken::Kind::kWord && field->kind != ArgToken::Kind::kQuoted)) {
    *error = ArgError(node.name + " needs a field: " + node.name + " span=5m _time", args->RestSpan());
    return nullptr;
  }
  spec.field = field->text;
  if (args->TakeKeyword("as")) {
    const ArgToken* out = args->Next();
    if (out == nullptr || (out->kind != ArgToken::Kind::kWord && out->kind != ArgToken::Kind::kQuoted)) {
      *error = ArgError(node.name + ": AS needs a field name", args->RestSpan());
      return nullptr;
    }
    spec.output = out->text;
  }
  if (!args->done()) {
    *error = ArgError(node.name + ": unexpected '" + args->Peek()->text + "'", args->Peek()->span,
                      "synopsis: " + node.name + " [span=S] [bins=N] [minspan=S] [start=X] [end=X] [aligntime=T] FIELD [AS NEW]");
    return nullptr;
  }
  const bool on_time = spec.field == "_time";
  auto number = [&](const char* option, std::optional<double>* out) {
    if (!args->Given(option)) return true;
    std::string text = args->Text(option);
    if (on_time && std::string(option) == "minspan") {
      auto s = ParseTimeSpan(text);
      if (s && s->months == 0) *out = static_cast<double>(s->seconds);
    } else if (auto n = TextNumber(text)) {
      *out = *n;
    }
    if (!*out) *error = ArgError(node.name + ": " + option + "=" + text + " is not a " + (on_time ? "span" : "number"), node.args_span);
    return out->has_value();
  };
  if (!number("minspan", &spec.minspan) || !number("start", &spec.start) || !number("end", &spec.end)) return nullptr;
  spec.bins = args->Count("bins");
  if (spec.bins == 0) {
    *error = ArgError(node.name + ": bins= must be 1 or more", node.args_span);
    return nullptr;
  }
  spec.aligntime = args->Text("aligntime");
  if (args->Given("span")) {
    std::string text = args->Text("span");
    spec.span_text = text;
    if (on_time) {
      spec.time_span = ParseTimeSpan(text);
      if (!spec.time_span) {
        *error = ArgError(node.name + ": span=" + text + " is not a time span", node.args_span, "for example span=5m, 1h, 1d, 1mon");
        return nullptr;
      }
    } else {
      auto n = TextNumber(text);
      if (!n || *n <= 0) {
        *error = ArgError(node.name + ": span=" + text + " is not a positive number", node.args_span);
        return nullptr;
      }
      spec.number_span = *n;
    }
  }
  return std::make_unique<BinCommand>(std::move(spec));
}

const std::vector<OptionSpec> kBinOptions = {
    {"span", OptionType::kText, "", "the bucket size: 5m, 1h, 1d on _time; a number elsewhere"},
    {"bins", OptionType::kCount, "100", "at most this many buckets when span is not given"},
    {"minspan", OptionType::kText, "", "the smallest span bins= may choose"},
    {"start", OptionType::kText, "", "widens the range bins= covers"},
    {"end", OptionType::kText, "", "widens the range bins= covers"},
    {"aligntime", OptionType::kText, "", "earliest, latest or a time: where _time buckets start"}};

const bool kRegisteredBin = RegisterCommand({"bin", "bin [span=S] [bins=N] FIELD [AS NEW]", ArgumentStyle::kOptions,
                                             kBinOptions, MakeBinCommand, {{"FIELD [AS NEW]", ArgumentKind::kCustom, ""}}});
const bool kRegisteredBucket = RegisterCommand({"bucket", "bucket [span=S] [bins=N] FIELD [AS NEW]", ArgumentStyle::kOptions,
                                                kBinOptions, MakeBinCommand, {{"FIELD [AS NEW]", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
