// lookup: enriches rows from a lookup table (engine/lookup/lookup_catalog.h).
//   lookup vpn_ranges.csv range AS sourceIPAddress OUTPUT provider AS vpn_provider
//   lookup users user AS userIdentity.userName OUTPUTNEW department
// Every listed pair must match (CIDR and WILDCARD columns as the definition says); several
// matching rows make a multivalue field in file order, up to max_matches. OUTPUT replaces
// the fields (and clears them when nothing matches), OUTPUTNEW sets only missing ones;
// without either, every column that is not a match column is output.
#include <strings.h>

#include <algorithm>

#include <unordered_map>

#include "engine/commands/commands.h"
#include "engine/lookup/lookup_catalog.h"
#include "engine/lookup/lookup_matcher.h"

namespace cairn::engine {

namespace {

struct FieldPair {
  std::string column;  // in the table
  std::string field;   // in the rows
};

// The output cells for one row's match values (each value of a multivalue, every
// combination), then a last cell "1" when some table row matched, else "0".
std::vector<FieldCell> OutputCells(const LookupMatcher& matcher, const LookupTable& t, const LookupDefinition& def,
                                   const std::vector<const FieldCell*>& cells, bool complete,
                                   const std::vector<int>& output_columns, std::vector<std::string>* values) {
  std::vector<uint32_t> rows;
  if (complete) {
    std::vector<size_t> idx(cells.size(), 0);
    while (true) {
      for (size_t i = 0; i < cells.size(); ++i) (*values)[i] = (*cells[i])[idx[i]];
      for (uint32_t row : matcher.Match(*values))
        if (std::find(rows.begin(), rows.end(), row) == rows.end()) rows.push_back(row);
      size_t i = 0;
      while (i < cells.size() && ++idx[i] == cells[i]->size()) idx[i++] = 0;
      if (i == cells.size()) break;
    }
    std::sort(rows.begin(), rows.end());
    if (rows.size() > def.max_matches) rows.resize(def.max_matches);
  }
  const bool use_default = rows.size() < def.min_matches && !def.default_match.empty();
  std::vector<FieldCell> out;
  for (int column : output_columns) {
    FieldCell cell;
    if (use_default) cell.push_back(def.default_match);
    for (uint32_t row : rows) {
      const std::string& v = t.rows[row][column];
      size_t start = 0;
      while (start <= v.size() && !v.empty()) {
        size_t nl = v.find('\n', start);
        std::string piece = v.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!piece.empty()) cell.push_back(piece);
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    out.push_back(std::move(cell));
  }
  out.push_back(FieldCell({rows.empty() ? "0" : "1"}));
  return out;
}

class LookupCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> f;
    for (const auto& m : match_) f.push_back(m.field);
    if (output_new_)  // OUTPUTNEW keeps fields the row has: it reads them
      for (const auto& o : output_) f.push_back(o.field);
    return f;
  }
  LookupCommand(std::string name, std::vector<FieldPair> match, std::vector<FieldPair> output, bool output_new, bool listed)
      : name_(std::move(name)), match_(std::move(match)), output_(std::move(output)), output_new_(output_new), listed_(listed) {}
  bool one_to_one() const override { return true; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  std::string ToString() const override {
    std::string s = "lookup " + name_;
    for (const auto& m : match_) s += " " + m.column + " AS " + m.field;
    if (listed_) {
      s += output_new_ ? " OUTPUTNEW" : " OUTPUT";
      for (const auto& o : output_) s += " " + o.column + " AS " + o.field;
    }
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    if (ctx->lookups == nullptr) return storage::Status::Unsupported("lookups are not available here");
    auto table = ctx->lookups->Table(name_);
    if (!table.ok()) return table.status();
    auto def = ctx->lookups->Definition(name_);
    if (!def.ok()) return def.status();
    const LookupTable& t = *table.value();
    std::vector<int> match_columns;
    for (const auto& m : match_) {
      int c = t.Column(m.column);
      if (c < 0) return storage::Status::InvalidArgument("lookup " + name_ + " has no column '" + m.column + "' (" + t.path + ")");
      match_columns.push_back(c);
    }
    std::vector<FieldPair> outputs = output_;
    if (!listed_)
      for (const std::string& c : t.columns) {
        bool is_match = false;
        for (const auto& m : match_) is_match |= m.column == c;
        if (!is_match) outputs.push_back({c, c});
      }
    std::vector<int> output_columns;
    for (const auto& o : outputs) {
      int c = t.Column(o.column);
      if (c < 0) return storage::Status::InvalidArgument("lookup " + name_ + " has no column '" + o.column + "' (" + t.path + ")");
      output_columns.push_back(c);
    }
    LookupMatcher matcher(t, *def.value(), match_columns);
    // The output cells of each combination of single values seen: events repeat addresses, so
    // most rows are answered without matching (at most kMemoEntries kept).
    constexpr size_t kMemoEntries = 1 << 16;
    std::unordered_map<std::string, std::vector<FieldCell>> memo;
    std::vector<std::string> values(match_.size());
    std::string memo_key;
    for (Record& r : *records) {
      std::vector<const FieldCell*> cells;
      for (const auto& m : match_) cells.push_back(r.Get(m.field));
      bool complete = std::all_of(cells.begin(), cells.end(), [](const FieldCell* c) { return c != nullptr && !c->empty(); });
      bool single = complete && std::all_of(cells.begin(), cells.end(), [](const FieldCell* c) { return c->size() == 1; });
      const std::vector<FieldCell>* computed = nullptr;
      if (single) {
        memo_key.clear();
        for (const FieldCell* c : cells) memo_key.append((*c)[0]).push_back('\0');
        if (auto it = memo.find(memo_key); it != memo.end()) computed = &it->second;
      }
      std::vector<FieldCell> fresh;
      if (computed == nullptr) {
        fresh = OutputCells(matcher, t, *def.value(), cells, complete, output_columns, &values);
        if (single) {
          if (memo.size() >= kMemoEntries) memo.clear();
          computed = &memo.emplace(memo_key, std::move(fresh)).first->second;
        } else {
          computed = &fresh;
        }
      }
      const bool matched = !(*computed).empty() && (*computed).back().size() == 1 && (*computed).back()[0] == "1";
      for (size_t o = 0; o < outputs.size(); ++o) {
        if (output_new_ && r.Get(outputs[o].field) != nullptr) continue;
        const FieldCell& cell = (*computed)[o];
        if (cell.empty() && matched && output_new_) continue;
        r.Set(outputs[o].field, cell);
      }
    }
    for (const std::string& p : ctx->lookups->TakeProblems()) {
      query::Diagnostic w;
      w.message = p;
      ctx->warnings.push_back(w);
    }
    return storage::Status::OK();
  }

 private:
  std::string name_;
  std::vector<FieldPair> match_, output_;
  bool output_new_, listed_;
};

bool IsName(const ArgToken* t) { return t != nullptr && (t->kind == ArgToken::Kind::kWord || t->kind == ArgToken::Kind::kQuoted); }

bool IsOutputKeyword(const ArgToken* t) {
  return t != nullptr && t->kind == ArgToken::Kind::kWord && (strcasecmp(t->text.c_str(), "output") == 0 || strcasecmp(t->text.c_str(), "outputnew") == 0);
}

std::unique_ptr<Command> MakeLookupCommand(const query::CommandNode& node, CommandArgs* args,
                                           std::optional<query::Diagnostic>* error) {
  const char* synopsis = "synopsis: lookup NAME FIELD [AS EVENT_FIELD]... [OUTPUT|OUTPUTNEW FIELD [AS NEW]...]";
  const ArgToken* name = args->Next();
  if (!IsName(name)) {
    *error = ArgError("lookup needs a lookup name", name ? name->span : args->RestSpan(), synopsis);
    return nullptr;
  }
  auto read_pairs = [&](std::vector<FieldPair>* out) {
    while (!args->done() && !IsOutputKeyword(args->Peek())) {
      if (args->TakeComma()) continue;
      const ArgToken* col = args->Next();
      if (!IsName(col)) {
        *error = ArgError("lookup: expected a field name, not '" + col->text + "'", col->span, synopsis);
        return false;
      }
      FieldPair p{col->text, col->text};
      if (args->TakeKeyword("as")) {
        const ArgToken* f = args->Next();
        if (!IsName(f)) {
          *error = ArgError("lookup: AS needs a field name", f ? f->span : args->RestSpan(), synopsis);
          return false;
        }
        p.field = f->text;
      }
      out->push_back(std::move(p));
    }
    return true;
  };
  std::vector<FieldPair> match, output;
  if (!read_pairs(&match)) return nullptr;
  if (match.empty()) {
    *error = ArgError("lookup needs a field to match on", args->RestSpan(), synopsis);
    return nullptr;
  }
  bool listed = false, output_new = false;
  if (IsOutputKeyword(args->Peek())) {
    listed = true;
    output_new = strcasecmp(args->Next()->text.c_str(), "outputnew") == 0;
    if (!read_pairs(&output)) return nullptr;
    if (IsOutputKeyword(args->Peek())) {
      *error = ArgError("lookup takes one OUTPUT or OUTPUTNEW clause", args->Peek()->span, synopsis);
      return nullptr;
    }
    if (output.empty()) {
      *error = ArgError("lookup: OUTPUT needs at least one field", args->RestSpan(), synopsis);
      return nullptr;
    }
  }
  return std::make_unique<LookupCommand>(name->text, std::move(match), std::move(output), output_new, listed);
}

const bool kRegistered = RegisterCommand(
    {"lookup", "lookup NAME FIELD [AS EVENT_FIELD]... [OUTPUT|OUTPUTNEW FIELD [AS NEW]...]", ArgumentStyle::kOptions,
     {{"local", OptionType::kBool, "false", "accepted; lookups are always local"},
      {"update", OptionType::kBool, "false", "accepted; tables are read once per query"}},
     MakeLookupCommand, {{"NAME FIELD...", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
