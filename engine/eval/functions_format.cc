// printf(format, values...): C's conversions d i u o x X f F e E g G s c and %%, with flags
// (- + space # 0, and ' for thousands separators), width and precision (also *); a value
// missing for a conversion counts as 0 or "". commands(search): the commands of a search
// string in order, "search" for the search part.
#include <cctype>
#include <cstdio>
#include <cstring>

#include "engine/eval/functions.h"

namespace cairn::engine::eval_functions {

namespace {

void InsertThousands(std::string* piece) {
  size_t begin = piece->find_first_of("0123456789");
  if (begin == std::string::npos) return;
  size_t end = piece->find_first_not_of("0123456789", begin);
  if (end == std::string::npos) end = piece->size();
  std::string digits = piece->substr(begin, end - begin), grouped;
  for (size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) grouped += ',';
    grouped += digits[k];
  }
  *piece = piece->substr(0, begin) + grouped + piece->substr(end);
}

}  // namespace

EvalValue Printf(const Args& args) {
  if (args[0].is_null()) return EvalValue::Null();
  std::string format = args[0].ToText(), out;
  size_t next = 1;
  auto take = [&]() -> const EvalValue* { return next < args.size() ? &args[next++] : nullptr; };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    std::string spec = "%";
    bool thousands = false;
    size_t j = i + 1;
    while (j < format.size() && std::strchr("-+ #0'", format[j]) != nullptr) {
      if (format[j] == '\'') thousands = true;
      else spec += format[j];
      ++j;
    }
    auto digits = [&]() {
      if (j < format.size() && format[j] == '*') {
        const EvalValue* v = take();
        spec += std::to_string(v && v->ToNumber() ? static_cast<int>(*v->ToNumber()) : 0);
        ++j;
        return;
      }
      while (j < format.size() && std::isdigit(static_cast<unsigned char>(format[j])) && spec.size() < 12) spec += format[j++];
    };
    digits();
    if (j < format.size() && format[j] == '.') {
      spec += format[j++];
      digits();
    }
    while (j < format.size() && std::strchr("hlLqjzt", format[j]) != nullptr) ++j;  // values are doubles anyway
    if (j >= format.size()) {
      out += format.substr(i);
      break;
    }
    char conv = format[j];
    const EvalValue* v = take();
    std::optional<double> number = v ? v->ToNumber() : std::nullopt;
    char buf[1024];
    if (std::strchr("diuoxXc", conv) != nullptr) {
      double n = number.value_or(0);
      if (conv == 'c') std::snprintf(buf, sizeof buf, (spec + "c").c_str(), static_cast<int>(n));
      else std::snprintf(buf, sizeof buf, (spec + "ll" + (conv == 'i' ? 'd' : conv)).c_str(), static_cast<long long>(n));
    } else if (std::strchr("fFeEgGaA", conv) != nullptr) {
      std::snprintf(buf, sizeof buf, (spec + conv).c_str(), number.value_or(0));
    } else if (conv == 's') {
      std::string text = v ? v->ToText() : "";
      std::snprintf(buf, sizeof buf, (spec + "s").c_str(), text.c_str());
    } else {
      out += format.substr(i, j - i + 1);  // not a conversion: kept as written
      i = j;
      continue;
    }
    std::string piece = buf;
    if (thousands && std::strchr("diufF", conv) != nullptr) InsertThousands(&piece);
    out += piece;
    i = j;
  }
  return EvalValue::String(std::move(out));
}

EvalValue Commands(const Args& args) {
  if (args[0].is_null()) return EvalValue::Null();
  std::string text = args[0].ToText();
  std::vector<std::string> names;
  auto add = [&](size_t begin, size_t end) {
    std::string part = text.substr(begin, end - begin);
    size_t b = part.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return;
    size_t e = part.find_first_of(" \t\r\n", b);
    std::string word = part.substr(b, e == std::string::npos ? std::string::npos : e - b);
    names.push_back(begin == 0 ? "search" : word);  // the part before the first pipe is a search
  };
  bool in_quote = false;
  int brackets = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' && (i == 0 || text[i - 1] != '\\')) in_quote = !in_quote;
    if (in_quote) continue;
    if (c == '[') ++brackets;
    if (c == ']' && brackets > 0) --brackets;
    if (c == '|' && brackets == 0) {
      add(start, i);
      start = i + 1;
    }
  }
  add(start, text.size());
  return EvalValue::FromValues(std::move(names));
}

}  // namespace cairn::engine::eval_functions
