#include "engine/pipeline/command_args.h"

#include "engine/pipeline/command_spec.h"

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

query::Span CommandArgs::RestSpan() const {
  if (done()) return {end_, end_ + 1};
  return {tokens_[pos_].span.begin, end_};
}

namespace {
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string OptionList(const CommandSpec& spec) {
  std::string list;
  for (const OptionSpec& o : spec.options) {
    if (!list.empty()) list += ", ";
    list += o.name + (o.type == OptionType::kCount ? "=N" : o.type == OptionType::kBool ? "=true|false" : "=TEXT");
  }
  return list;
}
}  // namespace

std::optional<query::Diagnostic> CommandArgs::TakeDeclaredOptions(const CommandSpec& spec) {
  for (const OptionSpec& o : spec.options) values_[o.name] = o.default_value;
  std::vector<ArgToken> rest;
  int depth = 0;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const ArgToken& t = tokens_[i];
    if (t.kind == ArgToken::Kind::kOpen) ++depth;
    if (t.kind == ArgToken::Kind::kClose && depth > 0) --depth;
    bool is_option = depth == 0 && t.kind == ArgToken::Kind::kWord && i + 1 < tokens_.size() &&
                     tokens_[i + 1].kind == ArgToken::Kind::kEquals;
    if (!is_option) {
      rest.push_back(t);
      continue;
    }
    const OptionSpec* option = nullptr;
    for (const OptionSpec& o : spec.options)
      if (Lower(o.name) == Lower(t.text)) option = &o;
    if (option == nullptr) {
      std::string hint = spec.options.empty() ? spec.name + " takes no options" : "options: " + OptionList(spec);
      return ArgError("unknown option '" + t.text + "' for " + spec.name, t.span, hint + "; usage: " + spec.synopsis);
    }
    if (i + 2 >= tokens_.size() ||
        (tokens_[i + 2].kind != ArgToken::Kind::kWord && tokens_[i + 2].kind != ArgToken::Kind::kQuoted))
      return ArgError(option->name + "= needs a value", {t.span.begin, tokens_[i + 1].span.end});
    if (given_[option->name])
      return ArgError(option->name + "= is given twice", {t.span.begin, tokens_[i + 2].span.end});
    const ArgToken& value = tokens_[i + 2];
    uint64_t count = 0;
    bool flag = false;
    if (option->type == OptionType::kCount && !ParseCount(value.text, &count))
      return ArgError(option->name + "= takes a whole number, not '" + value.text + "'", value.span);
    if (option->type == OptionType::kBool && !ParseBool(value.text, &flag))
      return ArgError(option->name + "= takes true or false, not '" + value.text + "'", value.span);
    values_[option->name] = value.text;
    given_[option->name] = true;
    i += 2;
  }
  tokens_ = std::move(rest);
  pos_ = 0;
  return std::nullopt;
}

const std::string& CommandArgs::Text(const std::string& name) const {
  static const std::string kNone;
  auto it = values_.find(name);
  return it == values_.end() ? kNone : it->second;
}

uint64_t CommandArgs::Count(const std::string& name) const {
  uint64_t n = 0;
  ParseCount(Text(name), &n);
  return n;
}

bool CommandArgs::Bool(const std::string& name) const {
  bool b = false;
  ParseBool(Text(name), &b);
  return b;
}

bool CommandArgs::Given(const std::string& name) const {
  auto it = given_.find(name);
  return it != given_.end() && it->second;
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
  std::string v = Lower(s);
  if (v == "true" || v == "t" || v == "1" || v == "yes") *out = true;
  else if (v == "false" || v == "f" || v == "0" || v == "no") *out = false;
  else return false;
  return true;
}

}  // namespace cairn::engine
