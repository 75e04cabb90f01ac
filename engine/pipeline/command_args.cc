#include "engine/pipeline/command_args.h"

#include <cctype>
#include <strings.h>

namespace cairn::engine {

CommandArgs CommandArgs::Parse(const std::string& text, uint32_t offset) {
  CommandArgs args;
  size_t i = 0, n = text.size();
  args.end_ = offset + static_cast<uint32_t>(n);
  auto span = [&](size_t b, size_t e) { return query::Span{offset + static_cast<uint32_t>(b), offset + static_cast<uint32_t>(e)}; };
  while (i < n) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    size_t start = i;
    if (c == ',' || c == '(' || c == ')' || c == '=') {
      ArgToken::Kind k = c == ',' ? ArgToken::Kind::kComma
                         : c == '(' ? ArgToken::Kind::kOpen
                         : c == ')' ? ArgToken::Kind::kClose
                                    : ArgToken::Kind::kEquals;
      args.tokens_.push_back({k, std::string(1, c), span(i, i + 1)});
      ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      char q = c;
      std::string value;
      ++i;
      while (i < n && text[i] != q) {
        if (text[i] == '\\' && i + 1 < n && (text[i + 1] == q || text[i + 1] == '\\')) ++i;
        value.push_back(text[i++]);
      }
      if (i < n) ++i;
      // Single quotes name a field (eval's rule); both read as the text here.
      args.tokens_.push_back({q == '"' ? ArgToken::Kind::kQuoted : ArgToken::Kind::kWord, value, span(start, i)});
      continue;
    }
    while (i < n && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != ',' && text[i] != '(' &&
           text[i] != ')' && text[i] != '=' && text[i] != '"')
      ++i;
    args.tokens_.push_back({ArgToken::Kind::kWord, text.substr(start, i - start), span(start, i)});
  }
  return args;
}

bool CommandArgs::TakeKeyword(const char* word) {
  const ArgToken* t = Peek();
  if (t == nullptr || t->kind != ArgToken::Kind::kWord || strcasecmp(t->text.c_str(), word) != 0) return false;
  ++pos_;
  return true;
}

bool CommandArgs::TakeComma() {
  const ArgToken* t = Peek();
  if (t == nullptr || t->kind != ArgToken::Kind::kComma) return false;
  ++pos_;
  return true;
}

std::optional<std::string> CommandArgs::TakeOption(const char* name) {
  const ArgToken* k = Peek();
  const ArgToken* eq = Peek(1);
  const ArgToken* v = Peek(2);
  if (k == nullptr || eq == nullptr || v == nullptr) return std::nullopt;
  if (k->kind != ArgToken::Kind::kWord || eq->kind != ArgToken::Kind::kEquals) return std::nullopt;
  if (strcasecmp(k->text.c_str(), name) != 0) return std::nullopt;
  if (v->kind != ArgToken::Kind::kWord && v->kind != ArgToken::Kind::kQuoted) return std::nullopt;
  pos_ += 3;
  return v->text;
}

query::Span CommandArgs::RestSpan() const {
  if (done()) return {end_, end_ + 1};
  return {tokens_[pos_].span.begin, end_};
}

query::Diagnostic ArgError(std::string message, query::Span span, std::string hint) {
  query::Diagnostic d;
  d.message = std::move(message);
  d.span = span;
  d.hint = std::move(hint);
  return d;
}

bool ParseCount(const std::string& s, uint64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

bool ParseBool(const std::string& s, bool* out) {
  if (s == "true" || s == "t" || s == "1") *out = true;
  else if (s == "false" || s == "f" || s == "0") *out = false;
  else return false;
  return true;
}

}  // namespace cairn::engine
