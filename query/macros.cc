#include "query/macros.h"

#include <algorithm>
#include <cctype>

namespace cairn::query {

namespace {

constexpr std::string_view kBuiltinMacros = R"(# cairn's built-in macros (docs/query-language.md, "Macros").
[cloudtrail]
definition = sourcetype=aws:cloudtrail

[security_content_ctime(1)]
args = field
definition = convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)

[drop_dm_object_name(1)]
args = object
definition = rename $object$.* AS *
)";

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Key(std::string_view name, size_t args) {
  return args == 0 ? std::string(name) : std::string(name) + "(" + std::to_string(args) + ")";
}

// Splits "a, b" at commas outside quotes and parentheses; trims each piece.
std::vector<std::string> SplitArguments(std::string_view s) {
  std::vector<std::string> out;
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    char c = i < s.size() ? s[i] : ',';
    if (quoted) {
      if (c == '\\' && i + 1 < s.size()) ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == ',' && depth <= 0) {
      out.push_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  return out;
}

// A back-quoted call found in a text: [begin, end) includes both back quotes.
struct Call {
  size_t begin = 0, end = 0;
  std::string name;
  std::vector<std::string> args;
};

// The next call at or after `from`, outside double quotes; false when there is none.
// An unterminated back quote is an error.
bool NextCall(std::string_view text, size_t from, Call* call, std::optional<Diagnostic>* error) {
  bool quoted = false;
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\' && i + 1 < text.size()) ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') {
      quoted = true;
      continue;
    }
    if (c != '`') continue;
    size_t close = text.find('`', i + 1);
    if (close == std::string_view::npos) {
      Diagnostic d;
      d.message = "unterminated macro: a back quote without its closing one";
      d.span = {static_cast<uint32_t>(i), static_cast<uint32_t>(text.size())};
      *error = d;
      return false;
    }
    std::string_view body = text.substr(i + 1, close - i - 1);
    call->begin = i;
    call->end = close + 1;
    call->args.clear();
    size_t open = body.find('(');
    if (open != std::string_view::npos && !body.empty() && Trim(body).back() == ')') {
      call->name = Trim(body.substr(0, open));
      std::string inner = Trim(body.substr(open + 1));
      inner.pop_back();
      if (!Trim(inner).empty()) call->args = SplitArguments(inner);
    } else {
      call->name = Trim(body);
    }
    return true;
  }
  return false;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class Expander {
 public:
  Expander(const MacroLibrary& library, std::vector<Diagnostic>* notices) : library_(library), notices_(notices) {}

  // The definition of `call` with its arguments substituted and its own calls expanded;
  // nullopt and `problem` set when it cannot be.
  std::optional<std::string> ExpandCall(const Call& call, int depth, std::string* problem) {
    if (depth > kMaxMacroDepth) {
      *problem = "macros nest deeper than " + std::to_string(kMaxMacroDepth) + " levels at `" + call.name + "`";
      return std::nullopt;
    }
    if (std::find(stack_.begin(), stack_.end(), call.name) != stack_.end()) {
      *problem = "macro `" + call.name + "` calls itself";
      return std::nullopt;
    }
    const MacroDefinition* def = library_.Find(call.name, call.args.size());
    if (def == nullptr) {
      if (EndsWith(call.name, "_filter") && call.args.empty()) {
        notices_->push_back(Notice("macro `" + call.name + "` is not defined: it expands to nothing (the *_filter convention)"));
        return std::string();
      }
      *problem = "macro `" + Key(call.name, call.args.size()) + "` is not defined";
      return std::nullopt;
    }
    std::string body = def->definition;
    for (size_t i = 0; i < def->args.size() && i < call.args.size(); ++i) {
      std::string token = "$" + def->args[i] + "$";
      for (size_t at = body.find(token); at != std::string::npos; at = body.find(token, at + call.args[i].size())) {
        body.replace(at, token.size(), call.args[i]);
      }
    }
    stack_.push_back(call.name);
    std::optional<std::string> out = ExpandText(body, depth + 1, problem);
    stack_.pop_back();
    return out;
  }

  // `text` with every call expanded (for definitions: no spans to keep).
  std::optional<std::string> ExpandText(const std::string& text, int depth, std::string* problem) {
    std::string out;
    size_t pos = 0;
    Call call;
    std::optional<Diagnostic> error;
    while (NextCall(text, pos, &call, &error)) {
      out.append(text, pos, call.begin - pos);
      std::optional<std::string> inner = ExpandCall(call, depth, problem);
      if (!inner) return std::nullopt;
      out += *inner;
      pos = call.end;
    }
    if (error) {
      *problem = error->message;
      return std::nullopt;
    }
    out.append(text, pos, std::string::npos);
    return out;
  }

 private:
  static Diagnostic Notice(std::string message) {
    Diagnostic d;
    d.severity = Diagnostic::Severity::kWarning;
    d.message = std::move(message);
    return d;
  }

  const MacroLibrary& library_;
  std::vector<Diagnostic>* notices_;
  std::vector<std::string> stack_;
};

}  // namespace

MacroLibrary MacroLibrary::Builtin() {
  MacroLibrary lib;
  lib.AddConf(kBuiltinMacros, "built-in");
  return lib;
}

void MacroLibrary::Add(MacroDefinition def) {
  std::string key = Key(def.name, def.args.size());
  by_key_[key] = std::move(def);
}

const MacroDefinition* MacroLibrary::Find(std::string_view name, size_t arg_count) const {
  auto it = by_key_.find(Key(name, arg_count));
  return it == by_key_.end() ? nullptr : &it->second;
}

std::vector<std::string> MacroLibrary::AddConf(std::string_view text, const std::string& source) {
  std::vector<std::string> problems;
  struct Stanza {
    std::string key;
    size_t line = 0;
    std::map<std::string, std::string> values;
  };
  std::vector<Stanza> stanzas;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string line(text.substr(pos, eol - pos));
    pos = eol + 1;
    ++line_no;
    size_t first_line = line_no;
    // A line ending in a backslash continues on the next one.
    while (!line.empty() && (line.back() == '\\' || (line.back() == '\r' && line.size() > 1 && line[line.size() - 2] == '\\'))) {
      if (line.back() == '\r') line.pop_back();
      line.pop_back();
      if (pos >= text.size()) break;
      size_t next = text.find('\n', pos);
      if (next == std::string_view::npos) next = text.size();
      line += "\n" + std::string(text.substr(pos, next - pos));
      pos = next + 1;
      ++line_no;
    }
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.front() == '[' && t.back() == ']') {
      stanzas.push_back({Trim(std::string_view(t).substr(1, t.size() - 2)), first_line, {}});
      continue;
    }
    size_t eq = t.find('=');
    if (eq == std::string::npos || stanzas.empty()) {
      problems.push_back(source + ":" + std::to_string(first_line) + ": expected [stanza] or key = value");
      continue;
    }
    stanzas.back().values[Trim(std::string_view(t).substr(0, eq))] = Trim(std::string_view(t).substr(eq + 1));
  }
  for (const Stanza& st : stanzas) {
    std::string where = source + ":" + std::to_string(st.line);
    MacroDefinition def;
    def.source = where;
    size_t open = st.key.find('(');
    size_t count = 0;
    if (open != std::string::npos) {
      def.name = Trim(std::string_view(st.key).substr(0, open));
      std::string n = Trim(std::string_view(st.key).substr(open + 1));
      if (!n.empty() && n.back() == ')') n.pop_back();
      if (n.empty() || !std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
          n.size() > 2) {
        problems.push_back(where + ": [" + st.key + "]: the argument count is not a number");
        continue;
      }
      count = std::stoul(n);
    } else {
      def.name = st.key;
    }
    auto d = st.values.find("definition");
    if (d == st.values.end()) {
      problems.push_back(where + ": [" + st.key + "] has no definition");
      continue;
    }
    def.definition = d->second;
    if (auto a = st.values.find("args"); a != st.values.end() && !a->second.empty()) def.args = SplitArguments(a->second);
    if (def.args.size() != count) {
      problems.push_back(where + ": [" + st.key + "] declares " + std::to_string(count) + " arguments but args = lists " +
                         std::to_string(def.args.size()));
      continue;
    }
    if (auto e = st.values.find("iseval"); e != st.values.end() && (e->second == "1" || e->second == "true")) {
      problems.push_back(where + ": [" + st.key + "] is an eval-based macro (iseval = 1), which cairn does not run");
      continue;
    }
    Add(std::move(def));
  }
  return problems;
}

std::optional<Diagnostic> ExpandMacros(const MacroLibrary& library, QueryText* query, std::vector<Diagnostic>* notices) {
  Expander expander(library, notices);
  size_t pos = 0;
  Call call;
  std::optional<Diagnostic> error;
  while (NextCall(query->text(), pos, &call, &error)) {
    std::string problem;
    std::optional<std::string> body = expander.ExpandCall(call, 1, &problem);
    Span span{static_cast<uint32_t>(call.begin), static_cast<uint32_t>(call.end)};
    if (!body) {
      Diagnostic d;
      d.message = problem;
      d.span = span;
      return d;
    }
    for (Diagnostic& n : *notices)
      if (n.span.begin == 0 && n.span.end == 0) n.span = query->ToOriginal(span);
    size_t begin = call.begin, end = call.end;
    if (Trim(*body).empty()) {
      // `... | `empty_filter`` or `| `empty` | stats`: the pipe goes with the macro.
      const std::string& t = query->text();
      size_t b = begin;
      while (b > 0 && std::isspace(static_cast<unsigned char>(t[b - 1]))) --b;
      size_t e = end;
      while (e < t.size() && std::isspace(static_cast<unsigned char>(t[e]))) ++e;
      if (b > 0 && t[b - 1] == '|' && (e == t.size() || t[e] == '|')) begin = b - 1;
    }
    query->Replace(static_cast<uint32_t>(begin), static_cast<uint32_t>(end), *body, "macro `" + call.name + "`");
    pos = begin + body->size();
  }
  return error;
}

}  // namespace cairn::query
