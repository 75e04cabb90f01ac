// convert: converts field values with Splunk's conversion functions.
//   convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime) mktime(date) AS epoch num(*)
// ctime (epoch → text), mktime (text → epoch), dur2sec ([D+]HH:MM:SS), mstime ([MM:]SS.sss),
// memk (10k, 5m, 2g → kilobytes), rmcomma, rmunit, num, auto, none (leaves fields out of
// wildcard conversions). Without AS the field is replaced; each value of a multivalue field
// is converted; a value that does not convert stays (num drops it). Times are UTC.
#include <cmath>
#include <algorithm>
#include <cstring>
#include <strings.h>

#include "engine/commands/commands.h"
#include "engine/eval/time_format.h"
#include "engine/pipeline/aggregation.h"
#include "engine/pipeline/field_list.h"
#include "engine/pipeline/materialize.h"

namespace cairn::engine {

namespace {

enum class ConvertFn { kCtime, kMktime, kDur2sec, kMstime, kMemk, kRmcomma, kRmunit, kNum, kAuto, kNone };

struct Conversion {
  ConvertFn fn;
  std::string field;   // may hold '*'
  std::string output;  // "" = in place
};

std::optional<ConvertFn> ParseFn(const std::string& name) {
  static const std::pair<const char*, ConvertFn> kFns[] = {
      {"ctime", ConvertFn::kCtime}, {"mktime", ConvertFn::kMktime},   {"dur2sec", ConvertFn::kDur2sec},
      {"mstime", ConvertFn::kMstime}, {"memk", ConvertFn::kMemk},     {"rmcomma", ConvertFn::kRmcomma},
      {"rmunit", ConvertFn::kRmunit}, {"num", ConvertFn::kNum},       {"auto", ConvertFn::kAuto},
      {"none", ConvertFn::kNone}};
  for (const auto& [n, fn] : kFns)
    if (strcasecmp(n, name.c_str()) == 0) return fn;
  return std::nullopt;
}

const char* FnName(ConvertFn fn) {
  switch (fn) {
    case ConvertFn::kCtime: return "ctime";
    case ConvertFn::kMktime: return "mktime";
    case ConvertFn::kDur2sec: return "dur2sec";
    case ConvertFn::kMstime: return "mstime";
    case ConvertFn::kMemk: return "memk";
    case ConvertFn::kRmcomma: return "rmcomma";
    case ConvertFn::kRmunit: return "rmunit";
    case ConvertFn::kNum: return "num";
    case ConvertFn::kAuto: return "auto";
    case ConvertFn::kNone: return "none";
  }
  return "?";
}

// The longest leading number of `s` ("42ms" → 42), if any.
std::optional<double> LeadingNumber(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  size_t b = i;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
  }
  if (!digits) return std::nullopt;
  return TextNumber(s.substr(b, i - b));
}

// [D+]HH:MM:SS → seconds.
std::optional<double> Dur2Sec(const std::string& s) {
  double days = 0;
  std::string rest = s;
  if (size_t plus = s.find('+'); plus != std::string::npos) {
    auto d = TextNumber(s.substr(0, plus));
    if (!d) return std::nullopt;
    days = *d;
    rest = s.substr(plus + 1);
  }
  double total = 0;
  int parts = 0;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t colon = rest.find(':', start);
    std::string part = rest.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    auto n = TextNumber(part);
    if (!n) return std::nullopt;
    total = total * 60 + *n;
    ++parts;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts < 1 || parts > 3) return std::nullopt;
  return days * 86400 + total;
}

std::optional<std::string> ConvertValue(ConvertFn fn, const std::string& v, const std::string& timeformat) {
  switch (fn) {
    case ConvertFn::kCtime: {
      auto us = EpochSecondsToMicros(v);
      if (!us) {
        auto n = TextNumber(v);
        if (!n || !std::isfinite(*n) || std::fabs(*n) > 1e13) return std::nullopt;
        us = static_cast<int64_t>(std::llround(*n * 1e6));
      }
      return FormatTime(*us, timeformat);
    }
    case ConvertFn::kMktime: {
      auto us = ParseTime(v, timeformat);
      if (!us) return std::nullopt;
      return EpochSecondsText(*us);
    }
    case ConvertFn::kDur2sec: {
      auto n = Dur2Sec(v);
      if (!n) return std::nullopt;
      return FormatNumber(*n);
    }
    case ConvertFn::kMstime: {
      auto n = Dur2Sec(v);  // [MM:]SS.sss is the same reading with at most two parts
      if (!n || std::count(v.begin(), v.end(), ':') > 1 || v.find('+') != std::string::npos) return std::nullopt;
      return FormatNumber(*n);
    }
    case ConvertFn::kMemk: {
      std::string t = v;
      double factor = 1;
      if (!t.empty()) {
        char u = static_cast<char>(std::tolower(static_cast<unsigned char>(t.back())));
        if (u == 'k') factor = 1, t.pop_back();
        else if (u == 'm') factor = 1024, t.pop_back();
        else if (u == 'g') factor = 1024 * 1024, t.pop_back();
      }
      auto n = TextNumber(t);
      if (!n) return std::nullopt;
      return FormatNumber(*n * factor);
    }
    case ConvertFn::kRmcomma: {
      std::string t;
      for (char c : v)
        if (c != ',') t.push_back(c);
      return t;
    }
    case ConvertFn::kRmunit: {
      auto n = LeadingNumber(v);
      if (!n) return std::nullopt;
      return FormatNumber(*n);
    }
    case ConvertFn::kNum:
    case ConvertFn::kAuto: {
      auto n = TextNumber(v);
      if (!n) {
        std::string t;
        for (char c : v)
          if (c != ',') t.push_back(c);
        n = TextNumber(t);
      }
      if (!n) return std::nullopt;
      return FormatNumber(*n);
    }
    case ConvertFn::kNone:
      return v;
  }
  return std::nullopt;
}

bool ProducesNumber(ConvertFn fn) { return fn != ConvertFn::kCtime && fn != ConvertFn::kRmcomma && fn != ConvertFn::kNone; }

class ConvertCommand final : public Command {
 public:
  ConvertCommand(std::string timeformat, std::vector<Conversion> conversions)
      : timeformat_(std::move(timeformat)), conversions_(std::move(conversions)) {}
  bool one_to_one() const override { return true; }
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> read;
    for (const auto& c : conversions_) read.push_back(c.field);
    return read;
  }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  std::string ToString() const override {
    std::string s = "convert timeformat=\"" + timeformat_ + "\"";
    for (const auto& c : conversions_) {
      s += " " + std::string(FnName(c.fn)) + "(" + c.field + ")";
      if (!c.output.empty()) s += " AS " + c.output;
    }
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    std::vector<std::string> excluded;
    for (const auto& c : conversions_)
      if (c.fn == ConvertFn::kNone) excluded.push_back(c.field);
    for (Record& r : *records) {
      for (const auto& c : conversions_) {
        if (c.fn == ConvertFn::kNone) continue;
        std::vector<std::string> names;
        if (c.field.find('*') == std::string::npos) {
          names.push_back(c.field);
        } else {
          for (const auto& [name, _] : r.fields()) {
            bool skip = false;
            for (const auto& e : excluded) skip |= FieldMatches(e, name);
            if (!skip && FieldMatches(c.field, name)) names.push_back(name);
          }
        }
        for (const std::string& name : names) {
          const FieldCell* cell = r.Get(name);
          if (cell == nullptr) continue;
          FieldCell out;
          bool all_converted = true;
          for (const std::string& v : *cell) {
            std::optional<std::string> converted = ConvertValue(c.fn, v, timeformat_);
            if (converted) out.push_back(*converted);
            else if (c.fn != ConvertFn::kNum) out.push_back(v), all_converted = false;
            else all_converted = false;
          }
          out.kind = ProducesNumber(c.fn) && all_converted ? ValueKind::kNumber
                     : c.fn == ConvertFn::kCtime || c.fn == ConvertFn::kRmcomma ? ValueKind::kString
                                                                                 : cell->kind;
          std::string target = c.output.empty() || names.size() > 1 ? name : c.output;
          r.Set(target, std::move(out));
        }
      }
    }
    return storage::Status::OK();
  }

 private:
  std::string timeformat_;
  std::vector<Conversion> conversions_;
};

std::unique_ptr<Command> MakeConvertCommand(const query::CommandNode& node, CommandArgs* args,
                                            std::optional<query::Diagnostic>* error) {
  std::vector<Conversion> conversions;
  while (!args->done()) {
    if (args->TakeComma()) continue;
    const ArgToken* name = args->Next();
    std::optional<ConvertFn> fn = name->kind == ArgToken::Kind::kWord ? ParseFn(name->text) : std::nullopt;
    if (!fn) {
      *error = ArgError("convert: expected a conversion such as ctime(field), not '" + name->text + "'", name->span,
                        "functions: ctime, mktime, dur2sec, mstime, memk, rmcomma, rmunit, num, auto, none");
      return nullptr;
    }
    const ArgToken* open = args->Next();
    const ArgToken* field = open != nullptr && open->kind == ArgToken::Kind::kOpen ? args->Next() : nullptr;
    const ArgToken* close = field != nullptr ? args->Next() : nullptr;
    if (field == nullptr || close == nullptr || close->kind != ArgToken::Kind::kClose ||
        (field->kind != ArgToken::Kind::kWord && field->kind != ArgToken::Kind::kQuoted)) {
      *error = ArgError("convert: " + name->text + " takes one field in parentheses: " + name->text + "(field)", name->span);
      return nullptr;
    }
    Conversion c{*fn, field->text, ""};
    if (args->TakeKeyword("as")) {
      const ArgToken* out = args->Next();
      if (out == nullptr || (out->kind != ArgToken::Kind::kWord && out->kind != ArgToken::Kind::kQuoted)) {
        *error = ArgError("convert: AS needs a field name", args->RestSpan());
        return nullptr;
      }
      c.output = out->text;
    }
    conversions.push_back(std::move(c));
  }
  if (conversions.empty()) {
    *error = ArgError("convert needs at least one conversion, such as ctime(_time)", node.args_span);
    return nullptr;
  }
  return std::make_unique<ConvertCommand>(args->Text("timeformat"), std::move(conversions));
}

const bool kRegistered = RegisterCommand(
    {"convert", "convert [timeformat=FORMAT] FN(FIELD) [AS NEW]...", ArgumentStyle::kOptions,
     {{"timeformat", OptionType::kText, "%m/%d/%Y %H:%M:%S", "the strftime format of ctime and mktime"}},
     MakeConvertCommand,
     {{"FN(FIELD) [AS NEW]...", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
