// Time functions: strftime, strptime, relative_time, now, time. Times are epoch seconds
// (with a fraction when there is one), in UTC.
#include <chrono>
#include <cmath>

#include "engine/eval/functions.h"
#include "engine/eval/time_format.h"
#include "query/time_modifier.h"

namespace cairn::engine::eval_functions {

namespace {

using query::EvalFunction;

constexpr double kMicros = 1e6;

// Epoch seconds as microseconds, if the value is a number in the range int64 microseconds hold.
std::optional<int64_t> Micros(const EvalValue& v) {
  std::optional<double> secs = v.ToNumber();
  if (!secs || std::fabs(*secs) > 9.0e12) return std::nullopt;
  return static_cast<int64_t>(std::llround(*secs * kMicros));
}

EvalValue Seconds(int64_t micros) { return EvalValue::Number(static_cast<double>(micros) / kMicros); }

}  // namespace

EvalValue CallTime(EvalFunction fn, const Args& args, const query::EvalExpr& call, EvalContext* ctx) {
  switch (fn) {
    case EvalFunction::kNow:
      return EvalValue::Number(std::floor(static_cast<double>(ctx->now_us) / kMicros));
    case EvalFunction::kTime: {
      auto now = std::chrono::system_clock::now().time_since_epoch();
      return Seconds(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
    }
    case EvalFunction::kStrftime: {
      std::optional<int64_t> t = Micros(args[0]);
      if (!t || args[1].is_null()) return EvalValue::Null();
      return EvalValue::String(FormatTime(*t, args[1].ToText()));
    }
    case EvalFunction::kStrptime: {
      if (args[0].is_null() || args[0].is_multi() || args[1].is_null()) return EvalValue::Null();
      std::optional<int64_t> t = ParseTime(args[0].ToText(), args[1].ToText());
      return t ? Seconds(*t) : EvalValue::Null();
    }
    case EvalFunction::kRelativeTime: {
      std::optional<int64_t> t = Micros(args[0]);
      if (!t || args[1].is_null()) return EvalValue::Null();
      std::string error;
      std::optional<int64_t> r = query::ResolveTimeModifier(args[1].ToText(), *t, &error);
      if (!r) {
        ReportError(ctx, *call.args[1], "relative_time(): " + error);
        return EvalValue::Null();
      }
      return Seconds(*r);
    }
    default: return EvalValue::Null();
  }
}

}  // namespace cairn::engine::eval_functions
