#include "engine/pipeline/command_args.h"

#include "engine/pipeline/command_spec.h"

#include <algorithm>
#include <cctype>
#include <strings.h>

namespace cairn::engine {

CommandArgs CommandArgs::Parse(const std::string& text, uint32_t offset) {
  CommandArgs args;
  size_t i = 0, n = text.size();
  args.text_ = text;
  args.offset_ = offset;
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
    if (c == '[') {
      // A subsearch: up to the matching bracket, outside quotes.
      int depth = 0;
      bool quoted = false;
      size_t j = i;
      for (; j < n; ++j) {
        char d = text[j];
        if (quoted) {
          if (d == '\\' && j + 1 < n) ++j;
          else if (d == '"') quoted = false;
        } else if (d == '"') {
          quoted = true;
        } else if (d == '[') {
          ++depth;
        } else if (d == ']' && --depth == 0) {
          break;
        }
      }
      size_t close = j < n ? j : n;
      args.tokens_.push_back({ArgToken::Kind::kSubsearch, text.substr(i + 1, close - i - 1), span(i, std::min(close + 1, n))});
      i = std::min(close + 1, n);
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
           text[i] != ')' && text[i] != '=' && text[i] != '"' && text[i] != '[')
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
        (tokens_[i + 2].kind != ArgToken::Kind::kWord && tokens_[i + 2].kind != ArgToken::Kind::kQuoted &&
         tokens_[i + 2].kind != ArgToken::Kind::kOpen))
      return ArgError(option->name + "= needs a value", {t.span.begin, tokens_[i + 1].span.end});
    if (given_[option->name])
      return ArgError(option->name + "= is given twice", {t.span.begin, tokens_[i + 2].span.end});
    ArgToken value = tokens_[i + 2];
    // A value in parentheses, `startswith=(a=1 OR b=2)`, or a call, `startswith=eval(x>1)`:
    // the whole balanced group is the value, as written.
    bool group = value.kind == ArgToken::Kind::kOpen;
    bool call = value.kind == ArgToken::Kind::kWord && i + 3 < tokens_.size() &&
                tokens_[i + 3].kind == ArgToken::Kind::kOpen && tokens_[i + 3].span.begin == value.span.end;
    if (group || call) {
      size_t open = group ? i + 2 : i + 3, j = open;
      int level = 0;
      for (; j < tokens_.size(); ++j) {
        if (tokens_[j].kind == ArgToken::Kind::kOpen) ++level;
        if (tokens_[j].kind == ArgToken::Kind::kClose && --level == 0) break;
      }
      if (j == tokens_.size()) return ArgError("unbalanced parentheses in " + option->name + "=", tokens_[open].span);
      uint32_t b = group ? tokens_[open].span.end : value.span.begin, e = group ? tokens_[j].span.begin : tokens_[j].span.end;
      value.text = text_.substr(b - offset_, e - b);
      value.span = {value.span.begin, tokens_[j].span.end};
      value.kind = ArgToken::Kind::kQuoted;
      i = j - 2;  // the loop's `i += 2` then steps past the group
    }
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

std::optional<query::Diagnostic> CommandArgs::TakeDeclaredArguments(const CommandSpec& spec,
                                                                   const query::CommandNode& node) {
  const std::string& cmd = spec.name;
  for (size_t a = 0; a < spec.arguments.size(); ++a) {
    const ArgumentSpec& arg = spec.arguments[a];
    const ArgToken* t = Peek();
    switch (arg.kind) {
      case ArgumentKind::kCount: {
        if (!arg.same_as_option.empty() && Given(arg.same_as_option)) count_ = Count(arg.same_as_option);
        uint64_t n = 0;
        bool only_argument = spec.arguments.size() == 1;
        if (t == nullptr || t->kind != ArgToken::Kind::kWord) break;
        if (!ParseCount(t->text, &n)) {
          if (only_argument) return ArgError(cmd + " takes a count, e.g. " + cmd + " 10", t->span);
          break;  // a field, not a count
        }
        if (!arg.same_as_option.empty() && Given(arg.same_as_option))
          return ArgError("give the count once: " + cmd + " N or " + cmd + " " + arg.same_as_option + "=N", t->span);
        count_ = n;
        Next();
        break;
      }
      case ArgumentKind::kFields:
      case ArgumentKind::kOptionalFields: {
        bool before_by = a + 1 < spec.arguments.size() && spec.arguments[a + 1].kind == ArgumentKind::kByFields;
        fields_ = ReadFieldNames(before_by ? "by" : Lower(arg.ends_at));
        if (fields_.empty() && arg.kind == ArgumentKind::kFields)
          return ArgError(cmd + " needs at least one field", node.name_span);
        break;
      }
      case ArgumentKind::kByFields: {
        if (t == nullptr || t->kind != ArgToken::Kind::kWord || Lower(t->text) != "by") break;
        query::Span by_span = t->span;
        Next();
        by_ = ReadFieldNames("");
        if (by_.empty()) return ArgError("expected a field name after BY", {by_span.end, by_span.end + 1});
        break;
      }
      case ArgumentKind::kPattern:
        if (t == nullptr)
          return ArgError(cmd + " needs a quoted pattern, such as \"(?<user>\\w+)\"", node.name_span,
                          "usage: " + spec.synopsis);
        if (t->kind != ArgToken::Kind::kQuoted)
          return ArgError("expected one quoted pattern, such as \"(?<user>\\w+)\"", t->span, "usage: " + spec.synopsis);
        pattern_ = *t;
        Next();
        break;
      case ArgumentKind::kCustom:
        return std::nullopt;
    }
  }
  if (!done()) return ArgError("unexpected text", RestSpan(), "usage: " + spec.synopsis);
  return std::nullopt;
}

std::vector<std::string> CommandArgs::ReadFieldNames(const std::string& stop) {
  std::vector<std::string> out;
  while (const ArgToken* t = Peek()) {
    if (t->kind == ArgToken::Kind::kComma) {
      Next();
      continue;
    }
    if (t->kind != ArgToken::Kind::kWord && t->kind != ArgToken::Kind::kQuoted) break;
    if (!stop.empty() && t->kind == ArgToken::Kind::kWord && Lower(t->text) == stop) break;
    out.push_back(t->text);
    Next();
  }
  return out;
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
