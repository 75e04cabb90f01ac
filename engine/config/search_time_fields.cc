#include "engine/config/search_time_fields.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/eval/evaluator.h"
#include "query/eval_parser.h"

namespace cairn::engine {

extern const char kDefaultProps[];  // engine/config/aws_props.conf, compiled in (CMakeLists.txt)

namespace {

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The words of a FIELDALIAS value: bare, or in double quotes (a field name with spaces).
bool AliasWords(std::string_view value, std::vector<std::string>* words) {
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    if (i >= value.size()) break;
    if (value[i] == '"') {
      size_t end = value.find('"', i + 1);
      if (end == std::string_view::npos) return false;
      words->emplace_back(value.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      size_t end = value.find_first_of(" \t", i);
      if (end == std::string_view::npos) end = value.size();
      words->emplace_back(value.substr(i, end - i));
      i = end;
    }
  }
  return true;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// `alias` takes the values of `source` when the record has it (and, for ASNEW, lacks `alias`).
void CopyAlias(const std::string& source, const std::string& alias, bool overwrite, Record* record) {
  const FieldCell* from = record->Get(source);
  if (from == nullptr || (!overwrite && record->Get(alias) != nullptr)) return;
  FieldCell copy = *from;
  record->Set(alias, std::move(copy));
}

}  // namespace

const SearchTimeFields& SearchTimeFields::Defaults() {
  static const SearchTimeFields defaults = [] {
    SearchTimeFields f;
    std::vector<std::string> problems;
    f.AddConf(kDefaultProps, "aws_props.conf (built in)", &problems);
    return f;
  }();
  return defaults;
}

Result<SearchTimeFields> SearchTimeFields::Load(const std::string& path, std::vector<std::string>* problems) {
  SearchTimeFields fields = Defaults();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return fields;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot read");
  std::stringstream text;
  text << in.rdbuf();
  fields.AddConf(text.str(), path, problems);
  return fields;
}

void SearchTimeFields::AddConf(std::string_view text, const std::string& origin,
                               std::vector<std::string>* problems) {
  std::string stanza;
  bool usable = false;  // the current stanza names a sourcetype
  std::vector<std::string> touched;
  size_t pos = 0, line_no = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    size_t first_line = ++line_no;
    pos = end + 1;
    // A backslash at the end continues the line.
    while (!line.empty() && Trim(line).size() && Trim(line).back() == '\\' && pos <= text.size()) {
      line = std::string(Trim(line).substr(0, Trim(line).size() - 1));
      end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      line += " " + std::string(Trim(text.substr(pos, end - pos)));
      ++line_no;
      pos = end + 1;
    }
    std::string_view l = Trim(line);
    auto problem = [&](const std::string& what) {
      problems->push_back(origin + ":" + std::to_string(first_line) + ": " + what);
    };
    if (l.empty() || l[0] == '#') continue;
    if (l[0] == '[') {
      if (l.back() != ']') {
        problem("a stanza name must end with ']'");
        usable = false;
        continue;
      }
      stanza = std::string(Trim(l.substr(1, l.size() - 2)));
      usable = !stanza.empty() && stanza.find("::") == std::string::npos;
      if (!usable) problem("[" + stanza + "]: only sourcetype stanzas are supported (skipped)");
      continue;
    }
    size_t eq = l.find('=');
    if (eq == std::string_view::npos) {
      problem("expected KEY = VALUE");
      continue;
    }
    std::string_view key = Trim(l.substr(0, eq)), value = Trim(l.substr(eq + 1));
    if (!usable) {
      if (stanza.empty()) problem(std::string(key) + " outside a [sourcetype] stanza (skipped)");
      continue;
    }
    Stanza& s = stanzas_[stanza];
    if (key.size() > 11 && IEquals(key.substr(0, 11), "FIELDALIAS-")) {
      std::vector<std::string> words;
      if (!AliasWords(value, &words) || words.empty() || words.size() % 3 != 0) {
        problem(std::string(key) + ": expected SOURCE AS ALIAS [SOURCE AS ALIAS ...]");
        continue;
      }
      std::vector<FieldAlias> pairs;
      bool ok = true;
      for (size_t i = 0; i < words.size(); i += 3) {
        bool as = IEquals(words[i + 1], "AS"), asnew = IEquals(words[i + 1], "ASNEW");
        if (!as && !asnew) ok = false;
        pairs.push_back({words[i], words[i + 2], as});
      }
      if (!ok) {
        problem(std::string(key) + ": expected AS or ASNEW between the names");
        continue;
      }
      s.alias_classes[std::string(key.substr(11))] = std::move(pairs);
    } else if (key.size() > 5 && IEquals(key.substr(0, 5), "EVAL-")) {
      std::string field(key.substr(5));
      query::EvalParseResult parsed = query::ParseEvalExpression(value, 0);
      if (parsed.error) {
        problem(std::string(key) + ": " + parsed.error->message);
        continue;
      }
      s.calculated[field] = {field, std::string(value), std::move(parsed.expr)};
    } else {
      problem(std::string(key) + ": not a search-time field setting cairn reads (skipped)");
      continue;
    }
    if (std::find(touched.begin(), touched.end(), stanza) == touched.end()) touched.push_back(stanza);
  }
  for (const std::string& st : touched) Rebuild(st);
}

void SearchTimeFields::Rebuild(std::string_view sourcetype) {
  const Stanza& s = stanzas_.find(sourcetype)->second;
  SourcetypeFields out;
  // Classes in ASCII order (std::map), pairs in the order written: Splunk's order.
  for (const auto& [cls, pairs] : s.alias_classes)
    out.aliases.insert(out.aliases.end(), pairs.begin(), pairs.end());
  for (const auto& [field, calc] : s.calculated) out.calculated.push_back(calc);
  by_sourcetype_[std::string(sourcetype)] = std::move(out);
}

const SourcetypeFields* SearchTimeFields::For(std::string_view sourcetype) const {
  auto it = by_sourcetype_.find(sourcetype);
  return it == by_sourcetype_.end() ? nullptr : &it->second;
}

bool SearchTimeFields::Defines(std::string_view field) const {
  for (const auto& [st, f] : by_sourcetype_) {
    for (const FieldAlias& a : f.aliases)
      if (a.alias == field) return true;
    for (const CalculatedField& c : f.calculated)
      if (c.field == field) return true;
  }
  return false;
}

std::vector<std::string> SearchTimeFields::DefinedFields() const {
  std::vector<std::string> out;
  for (const auto& [st, f] : by_sourcetype_) {
    for (const FieldAlias& a : f.aliases) out.push_back(a.alias);
    for (const CalculatedField& c : f.calculated) out.push_back(c.field);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> SearchTimeFields::SourcesOf(std::string_view field) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  for (const auto& [st, f] : by_sourcetype_) {
    std::vector<std::string> reads;
    for (const CalculatedField& c : f.calculated)
      if (c.field == field) CollectEvalFields(*c.expr, &reads);
    reads.emplace_back(field);
    // An expression may read an alias: its sources too.
    for (size_t i = 0; i < reads.size(); ++i)
      for (const FieldAlias& a : f.aliases)
        if (a.alias == reads[i] && std::find(reads.begin(), reads.end(), a.source) == reads.end())
          reads.push_back(a.source);
    for (const std::string& r : reads) add(r);
  }
  if (!out.empty()) add("sourcetype");
  return out;
}

size_t SearchTimeFields::MostAdded() const {
  size_t most = 0;
  for (const auto& [_, f] : by_sourcetype_) most = std::max(most, f.aliases.size() + f.calculated.size());
  return most;
}

void SearchTimeFields::Apply(Record* record, EvalContext* ctx, const std::vector<std::string>* only) const {
  const FieldCell* st = record->Get("sourcetype");
  if (st == nullptr || st->empty()) return;
  const SourcetypeFields* f = For((*st)[0]);
  if (f == nullptr) return;
  if (only != nullptr) {
    // Only what was asked for: the aliases it names or its expressions read, its EVALs.
    auto wanted = [&](const std::string& name) {
      return std::find(only->begin(), only->end(), name) != only->end();
    };
    std::vector<std::string> reads;
    for (const CalculatedField& c : f->calculated)
      if (wanted(c.field)) CollectEvalFields(*c.expr, &reads);
    for (const FieldAlias& a : f->aliases) {
      if (!wanted(a.alias) && std::find(reads.begin(), reads.end(), a.alias) == reads.end()) continue;
      CopyAlias(a.source, a.alias, a.overwrite, record);
    }
    std::vector<std::pair<const std::string*, FieldCell>> values;
    for (const CalculatedField& c : f->calculated)
      if (wanted(c.field)) values.emplace_back(&c.field, Evaluate(*c.expr, *record, ctx).ToCell());
    for (auto& [field, cell] : values) {
      if (cell.empty()) {
        record->Remove(*field);
      } else {
        record->Set(*field, std::move(cell));
      }
    }
    return;
  }
  for (const FieldAlias& a : f->aliases) {
    CopyAlias(a.source, a.alias, a.overwrite, record);
  }
  // Each calculated field from the event as the aliases left it, then all set at once.
  std::vector<FieldCell> values;
  values.reserve(f->calculated.size());
  for (const CalculatedField& c : f->calculated) values.push_back(Evaluate(*c.expr, *record, ctx).ToCell());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty()) {
      record->Remove(f->calculated[i].field);
    } else {
      record->Set(f->calculated[i].field, std::move(values[i]));
    }
  }
}

std::shared_ptr<const query::SearchEval> SearchTimeFields::ForSearch(const SourcetypeFields& fields,
                                                                     const CalculatedField& calculated) {
  auto e = std::make_shared<query::SearchEval>();
  e->field = calculated.field;
  e->text = calculated.text;
  e->expr = calculated.expr;
  CollectEvalFields(*calculated.expr, &e->reads);
  // The aliases whose results the expression reads, with their sources.
  for (const FieldAlias& a : fields.aliases) {
    if (std::find(e->reads.begin(), e->reads.end(), a.alias) == e->reads.end()) continue;
    e->aliases.push_back({a.source, a.alias, a.overwrite});
  }
  for (const auto& a : e->aliases)
    if (std::find(e->reads.begin(), e->reads.end(), a.source) == e->reads.end()) e->reads.push_back(a.source);
  return e;
}

FieldCell ComputeSearchEval(const query::SearchEval& eval, const Record& record, EvalContext* ctx) {
  Record scratch;
  for (const std::string& name : eval.reads)
    if (const FieldCell* c = record.Get(name)) scratch.Set(name, *c);
  for (const auto& a : eval.aliases) {
    CopyAlias(a.source, a.alias, a.overwrite, &scratch);
  }
  return Evaluate(*eval.expr, scratch, ctx).ToCell();
}

}  // namespace cairn::engine
