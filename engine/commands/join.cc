// join: each row joined with the subsearch rows whose join fields have the same values.
//   join type=left max=0 sourceIPAddress [search eventName=ConsoleLogin | fields sourceIPAddress userName]
// Join fields default to every field both sides have (not those starting with `_`); values
// compare as text, case-sensitively; a row lacking a join field joins nothing. Each pair is
// a row (the subsearch's fields replace the row's with overwrite=true). max=N keeps the
// first N matches (0: all); type=inner drops rows that join nothing, left/outer keep them.
// usetime=true keeps only subsearch rows earlier (earlier=true) or later than the row.
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/aggregation_spec.h"

namespace cairn::engine {

namespace {

constexpr uint64_t kJoinDefaultMaxout = 50000;

class JoinCommand final : public Command {
 public:
  struct Options {
    bool keep_unmatched = false;
    uint64_t max = 1;
    bool overwrite = true;
    bool usetime = false;
    bool earlier = true;
    uint64_t maxout = kJoinDefaultMaxout;
  };
  JoinCommand(std::vector<std::string> fields, std::string subsearch, query::Span span, Options options)
      : fields_(std::move(fields)), subsearch_(std::move(subsearch)), span_(span), options_(options) {}
  /// The join fields; with none given, every field both sides have, so any.
  std::optional<std::vector<std::string>> FieldsRead() const override {
    if (fields_.empty()) return std::nullopt;
    return fields_;
  }
  std::string ToString() const override {
    std::string s = std::string("join type=") + (options_.keep_unmatched ? "left" : "inner") + " max=" + std::to_string(options_.max);
    for (const auto& f : fields_) s += " " + f;
    return s + " [" + subsearch_ + "]";
  }
  // With join fields named, each row's output depends on that row and the subsearch's rows
  // alone: the join streams, running the subsearch once for all batches.
  StreamRole stream_role() const override {
    return fields_.empty() ? StreamRole::kNone : StreamRole::kPerRecord;
  }
  bool worth_streaming() const override { return !options_.keep_unmatched; }
  bool may_change_time() const override { return options_.overwrite; }  // a subsearch row may bring its _time
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    if (!subsearch_ran_) {
      if (storage::Status st = RunSubsearch(ctx); !st.ok()) return st;
      subsearch_ran_ = true;
    }
    const std::vector<Record>& rows = rows_;
    std::vector<std::string> fields = fields_;
    if (fields.empty()) {
      // Every field both sides have.
      std::vector<std::string> left, right;
      for (const Record& r : *records)
        for (const auto& [n, _] : r.fields())
          if (n[0] != '_' && std::find(left.begin(), left.end(), n) == left.end()) left.push_back(n);
      for (const Record& r : rows)
        for (const auto& [n, _] : r.fields())
          if (n[0] != '_' && std::find(right.begin(), right.end(), n) == right.end()) right.push_back(n);
      for (const auto& n : left)
        if (std::find(right.begin(), right.end(), n) != right.end()) fields.push_back(n);
      if (fields.empty()) {
        if (!options_.keep_unmatched) records->clear();
        return storage::Status::OK();
      }
    }
    if (fields != index_fields_) {
      index_.clear();
      for (size_t i = 0; i < rows.size(); ++i)
        for (const auto& key : GroupKeys(rows[i], fields)) index_[key].push_back(i);
      index_fields_ = fields;
    }
    const auto& index = index_;
    std::vector<Record> out;
    for (Record& r : *records) {
      std::vector<size_t> matches;
      for (const auto& key : GroupKeys(r, fields)) {
        auto it = index.find(key);
        if (it == index.end()) continue;
        for (size_t m : it->second)
          if (std::find(matches.begin(), matches.end(), m) == matches.end()) matches.push_back(m);
      }
      std::sort(matches.begin(), matches.end());
      if (options_.usetime) {
        int64_t t = RecordTimeMicros(r);
        matches.erase(std::remove_if(matches.begin(), matches.end(),
                                     [&](size_t m) {
                                       int64_t mt = RecordTimeMicros(rows[m]);
                                       return options_.earlier ? mt > t : mt < t;
                                     }),
                      matches.end());
      }
      if (options_.max > 0 && matches.size() > options_.max) matches.resize(options_.max);
      if (matches.empty()) {
        if (options_.keep_unmatched) out.push_back(std::move(r));
        continue;
      }
      for (size_t m : matches) {
        Record joined = r;
        for (const auto& [name, cell] : rows[m].fields())
          if (options_.overwrite || joined.Get(name) == nullptr) joined.Set(name, cell);
        out.push_back(std::move(joined));
      }
    }
    *records = std::move(out);
    return storage::Status::OK();
  }

 private:
  storage::Status RunSubsearch(ExecContext* ctx) {
    if (!ctx->run_subsearch) return storage::Status::Unsupported("subsearches cannot run here");
    bool truncated = false;
    if (storage::Status st = ctx->run_subsearch(subsearch_, span_, options_.maxout, &rows_, &truncated);
        !st.ok())
      return st;
    if (truncated) {
      query::Diagnostic w;
      w.message = "the join subsearch returned more than " + std::to_string(options_.maxout) +
                  " rows; only the first " + std::to_string(options_.maxout) + " are used";
      w.span = span_;
      ctx->warnings.push_back(w);
    }
    return storage::Status::OK();
  }

  std::vector<std::string> fields_;
  std::string subsearch_;
  query::Span span_;
  Options options_;
  // The subsearch's rows and their index by join key, made once for every batch.
  bool subsearch_ran_ = false;
  std::vector<Record> rows_;
  std::vector<std::string> index_fields_;
  std::map<std::vector<std::string>, std::vector<size_t>> index_;
};

std::unique_ptr<Command> MakeJoinCommand(const query::CommandNode& node, CommandArgs* args,
                                         std::optional<query::Diagnostic>* error) {
  JoinCommand::Options options;
  std::string type = args->Text("type");
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "inner" && type != "left" && type != "outer") {
    *error = ArgError("join: type=" + args->Text("type") + " is not inner, left or outer", node.args_span);
    return nullptr;
  }
  options.keep_unmatched = type != "inner";
  options.max = args->Count("max");
  options.overwrite = args->Bool("overwrite");
  options.usetime = args->Bool("usetime");
  options.earlier = args->Bool("earlier");
  if (args->Given("maxout")) options.maxout = args->Count("maxout") == 0 ? UINT64_MAX : args->Count("maxout");
  std::vector<std::string> fields;
  const ArgToken* subsearch = nullptr;
  while (!args->done()) {
    const ArgToken* t = args->Next();
    if (t->kind == ArgToken::Kind::kComma) continue;
    if (t->kind == ArgToken::Kind::kSubsearch && subsearch == nullptr) {
      subsearch = t;
      continue;
    }
    if (subsearch != nullptr || (t->kind != ArgToken::Kind::kWord && t->kind != ArgToken::Kind::kQuoted)) {
      *error = ArgError("join: unexpected '" + t->text + "'", t->span, "synopsis: join [type=inner|left] [max=1] FIELD... [SUBSEARCH]");
      return nullptr;
    }
    fields.push_back(t->text);
  }
  if (subsearch == nullptr) {
    *error = ArgError("join needs a subsearch: join FIELD [search ...]", node.args_span.end > node.args_span.begin ? node.args_span : node.name_span);
    return nullptr;
  }
  return std::make_unique<JoinCommand>(std::move(fields), subsearch->text, subsearch->span, options);
}

const bool kRegistered = RegisterCommand(
    {"join", "join [type=inner|left|outer] [max=1] [overwrite=true] [usetime=false] [earlier=true] FIELD... [SUBSEARCH]",
     ArgumentStyle::kOptions,
     {{"type", OptionType::kText, "inner", "inner drops rows that join nothing; left and outer keep them"},
      {"max", OptionType::kCount, "1", "matches kept per row (0: all)"},
      {"overwrite", OptionType::kBool, "true", "the subsearch's fields replace the row's"},
      {"usetime", OptionType::kBool, "false", "join only rows earlier (or later) than the row"},
      {"earlier", OptionType::kBool, "true", "with usetime: earlier (true) or later rows"},
      {"maxout", OptionType::kCount, "50000", "rows the subsearch may give (0: no limit)"}},
     MakeJoinCommand, {{"FIELD... [SUBSEARCH]", ArgumentKind::kCustom, ""}}});

}  // namespace

}  // namespace cairn::engine
