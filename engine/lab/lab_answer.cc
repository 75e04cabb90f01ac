// Judging a student's answer (AnswerMatches): the forms a question accepts, by its kind.
// Text is compared without case, surrounding space, quotes or a final full stop, with runs
// of spaces as one; numbers as integers; lists as sets; times as instants.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <optional>
#include <regex>
#include <set>

#include "cairn/lab.h"

namespace cairn {

namespace {

std::string Normalize(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (out.size() >= 2 &&
         ((out.front() == '"' && out.back() == '"') || (out.front() == '\'' && out.back() == '\'') ||
          (out.front() == '`' && out.back() == '`')))
    out = out.substr(1, out.size() - 2);
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// An integer written with digits, optionally a sign and thousands separators (1,204).
std::optional<long long> Integer(std::string_view s) {
  static const std::regex kInteger("-?([0-9]{1,18}|[0-9]{1,3}(,[0-9]{3}){1,5})");
  std::string n = Normalize(s);
  if (!std::regex_match(n, kInteger)) return std::nullopt;
  n.erase(std::remove(n.begin(), n.end(), ','), n.end());
  return std::stoll(n);
}

std::set<std::string> Items(std::string_view s) {
  std::set<std::string> items;
  std::string n = Normalize(s), word;
  auto flush = [&] {
    if (!word.empty() && word != "and" && word != "&") items.insert(word);
    word.clear();
  };
  for (char c : n) {
    if (c == ',' || c == ';' || c == ' ' || c == '/')
      flush();
    else
      word += c;
  }
  flush();
  return items;
}

// Epoch seconds of "YYYY-MM-DD[ T]HH:MM:SS[.fff][Z| UTC| +00:00]".
std::optional<int64_t> Instant(std::string_view s) {
  std::string n = Normalize(s);
  for (const char* suffix : {" utc", "utc", "z", "+00:00"})
    if (n.size() > std::string(suffix).size() && n.ends_with(suffix))
      n.resize(n.size() - std::string(suffix).size());
  while (!n.empty() && n.back() == ' ') n.pop_back();
  if (size_t dot = n.find('.', 10); dot != std::string::npos && n.size() - dot <= 7) n.resize(dot);
  if (n.size() != 19 || (n[10] != ' ' && n[10] != 't')) return std::nullopt;
  std::tm tm{};
  int year, mon, day, h, m, sec;
  if (std::sscanf(n.c_str(), "%4d-%2d-%2d%*c%2d:%2d:%2d", &year, &mon, &day, &h, &m, &sec) != 6)
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = sec;
  return static_cast<int64_t>(timegm(&tm));
}

bool Same(AnswerKind kind, std::string_view expected, std::string_view given) {
  switch (kind) {
    case AnswerKind::kNumber: {
      auto a = Integer(expected), b = Integer(given);
      return a && b && *a == *b;
    }
    case AnswerKind::kList: {
      auto a = Items(expected);
      return !a.empty() && a == Items(given);
    }
    case AnswerKind::kTime: {
      auto a = Instant(expected), b = Instant(given);
      return a && b && *a == *b;
    }
    case AnswerKind::kText:
      break;
  }
  std::string a = Normalize(expected);
  return !a.empty() && a == Normalize(given);
}

}  // namespace

bool AnswerMatches(const LabTask& task, std::string_view given) {
  if (Same(task.kind, task.answer, given)) return true;
  for (const std::string& form : task.accept)
    if (Same(task.kind, form, given) || Normalize(form) == Normalize(given)) return true;
  return false;
}

}  // namespace cairn
