// Matching functions: like (SQL % and _ wildcards), match (PCRE search), cidrmatch (IPv4
// and IPv6 networks) and in (equality with any listed value). Each is true when any value
// of a multivalue first argument matches, and null when that argument is null. Also
// mvfind(mv, regex) (the index of the first matching value) and ipmask(mask, ip).
#include <arpa/inet.h>

#include <cstring>

#include "engine/eval/functions.h"

namespace cairn::engine::eval_functions {

namespace {

using query::EvalFunction;

size_t NextChar(std::string_view s, size_t i) {
  ++i;
  while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  return i;
}

// `%` matches any run of characters and `_` exactly one; everything else itself, with case.
bool Like(std::string_view s, std::string_view pattern) {
  size_t si = 0, pi = 0, star_pi = std::string_view::npos, star_si = 0;
  while (si < s.size()) {
    if (pi < pattern.size() && pattern[pi] == '%') {
      star_pi = ++pi;
      star_si = si;
    } else if (pi < pattern.size() && pattern[pi] == '_') {
      si = NextChar(s, si);
      ++pi;
    } else if (pi < pattern.size() && pattern[pi] == s[si]) {
      ++si;
      ++pi;
    } else if (star_pi != std::string_view::npos) {
      star_si = NextChar(s, star_si);
      si = star_si;
      pi = star_pi;
    } else {
      return false;
    }
  }
  while (pi < pattern.size() && pattern[pi] == '%') ++pi;
  return pi == pattern.size();
}

struct Address {
  int family = 0;
  unsigned char bytes[16] = {};
};

std::optional<Address> ParseAddress(const std::string& text) {
  Address a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, text.c_str(), a.bytes) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

struct Network {
  Address address;
  int prefix = 0;
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address (a network of one).
std::optional<Network> ParseNetwork(const std::string& text) {
  size_t slash = text.find('/');
  std::optional<Address> a = ParseAddress(text.substr(0, slash));
  if (!a) return std::nullopt;
  const int bits = a->family == AF_INET ? 32 : 128;
  Network n{*a, bits};
  if (slash == std::string::npos) return n;
  std::string digits = text.substr(slash + 1);
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  int prefix = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > bits) return std::nullopt;
  n.prefix = prefix;
  return n;
}

bool InNetwork(const Network& n, const Address& a) {
  if (a.family != n.address.family) return false;
  int whole = n.prefix / 8, rest = n.prefix % 8;
  if (std::memcmp(a.bytes, n.address.bytes, static_cast<size_t>(whole)) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a.bytes[whole] & mask) == (n.address.bytes[whole] & mask);
}

template <typename Predicate>
EvalValue AnyValue(const EvalValue& v, Predicate predicate) {
  if (v.is_null()) return EvalValue::Null();
  for (const auto& s : v.ToValues())
    if (predicate(s)) return EvalValue::Bool(true);
  return EvalValue::Bool(false);
}

}  // namespace

EvalValue CallMatch(EvalFunction fn, const Args& args, const query::EvalExpr& call, EvalContext* ctx) {
  switch (fn) {
    case EvalFunction::kLike: {
      if (args[1].is_null()) return EvalValue::Null();
      std::string pattern = args[1].ToText();
      return AnyValue(args[0], [&](const std::string& s) { return Like(s, pattern); });
    }
    case EvalFunction::kMatch: {
      if (args[1].is_null()) return EvalValue::Null();
      std::string error;
      const EvalRegex* re = ctx->regexes.Get(args[1].ToText(), &error);
      if (re == nullptr) {
        ReportError(ctx, *call.args[1], error);
        return EvalValue::Null();
      }
      return AnyValue(args[0], [&](const std::string& s) { return re->Matches(s); });
    }
    case EvalFunction::kCidrmatch: {
      if (args[0].is_null()) return EvalValue::Null();
      std::optional<Network> network = ParseNetwork(args[0].ToText());
      if (!network) {
        ReportError(ctx, *call.args[0], "cidrmatch(): not an IPv4 or IPv6 network: \"" + args[0].ToText() + "\"");
        return args[1].is_null() ? EvalValue::Null() : EvalValue::Bool(false);
      }
      return AnyValue(args[1], [&](const std::string& s) {
        std::optional<Address> a = ParseAddress(s);
        return a && InNetwork(*network, *a);
      });
    }
    case EvalFunction::kMvfind: {
      if (args[0].is_null() || args[1].is_null()) return EvalValue::Null();
      std::string message;
      const EvalRegex* re = ctx->regexes.Get(args[1].ToText(), &message);
      if (re == nullptr) {
        ReportError(ctx, *call.args[1], "mvfind(): " + message);
        return EvalValue::Null();
      }
      std::vector<std::string> values = args[0].ToValues();
      for (size_t i = 0; i < values.size(); ++i)
        if (re->Matches(values[i])) return EvalValue::Number(static_cast<double>(i));
      return EvalValue::Null();
    }
    case EvalFunction::kIpmask: {
      if (args[0].is_null() || args[1].is_null()) return EvalValue::Null();
      std::optional<Address> mask = ParseAddress(args[0].ToText());
      if (!mask || mask->family != AF_INET) {
        ReportError(ctx, *call.args[0], "ipmask(): not an IPv4 mask: \"" + args[0].ToText() + "\"");
        return EvalValue::Null();
      }
      std::vector<std::string> out;
      for (const std::string& s : args[1].ToValues()) {
        std::optional<Address> a = ParseAddress(s);
        if (!a || a->family != AF_INET) continue;
        std::string text;
        for (int i = 0; i < 4; ++i) text += (i ? "." : "") + std::to_string(a->bytes[i] & mask->bytes[i]);
        out.push_back(text);
      }
      return EvalValue::FromValues(std::move(out));
    }
    case EvalFunction::kIn: {
      if (args[0].is_null()) return EvalValue::Null();
      for (size_t i = 1; i < args.size(); ++i) {
        EvalValue equal = CompareEvalValues(query::EvalOp::kEq, args[0], args[i]);
        if (equal.is_bool() && equal.boolean) return equal;
      }
      return EvalValue::Bool(false);
    }
    default: return EvalValue::Null();
  }
}

}  // namespace cairn::engine::eval_functions
