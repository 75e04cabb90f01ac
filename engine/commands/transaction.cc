// transaction: groups events that share field values into one result per transaction.
//   transaction sourceIPAddress maxspan=10m
//   transaction userIdentity.userName startswith="eventName=DeactivateMFADevice" endswith="eventName=EnableMFADevice" maxspan=15m
// Events are taken oldest first. An event joins the open transaction of its field values (an
// event lacking some of the fields joins the most recent open one that agrees on the others,
// as Splunk's connected=true); otherwise it opens one — with startswith=, only an event
// matching it opens one, and one matching it while a transaction is open starts a new one.
// An event matching endswith= closes its transaction. maxspan=, maxpause= and maxevents=
// (default 1000) close a transaction before the event that would break them. Each
// transaction gets _time (its first event), duration (last minus first, in seconds),
// eventcount, closed_txn, _raw (the events' text, oldest first, one per line) and every field
// of its events (distinct values in lexicographic order, or all in order with mvlist=true).
// closed_txn is 1 for a transaction ended by endswith=, by maxspan=/maxpause=/maxevents=, or
// (without endswith=) by the next startswith= event or the end of the events after opening
// with startswith=. When startswith= or endswith= is given, a
// transaction left with closed_txn=0 is dropped unless keepevicted=true. At most maxopentxn
// (default 5000) transactions are open at once: past it the least recently active one is
// evicted. Results come newest first. Streamed (StreamRole::kOldestFirst), it holds only the
// open transactions' events, and — unless a stats that ignores order follows — its results.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/commands/commands.h"
#include "engine/eval/evaluator.h"
#include "engine/pipeline/aggregation_spec.h"
#include "engine/pipeline/materialize.h"
#include "engine/pipeline/record_matcher.h"
#include "engine/pipeline/time_span.h"
#include "query/binder.h"
#include "query/eval_parser.h"
#include "query/parser.h"

namespace cairn::engine {

namespace {

// A startswith=/endswith= condition: a search expression, or eval(...).
class TransactionFilter {
 public:
  static std::optional<TransactionFilter> Parse(const std::string& text, query::Span span,
                                                std::optional<query::Diagnostic>* error) {
    TransactionFilter f;
    f.text_ = text;
    if (text.size() > 6 && text.compare(0, 5, "eval(") == 0 && text.back() == ')') {
      query::EvalParseResult parsed = query::ParseEvalExpression(text.substr(5, text.size() - 6), span.begin);
      if (parsed.error) {
        *error = ArgError("transaction: " + parsed.error->message + " in '" + text + "'", span);
        return std::nullopt;
      }
      f.eval_ = std::move(parsed.expr);
      return f;
    }
    query::ParseResult parsed = query::ParseQuery(text);
    if (parsed.error || parsed.ast.search == nullptr || !parsed.ast.commands.empty()) {
      *error = ArgError("transaction: '" + text + "' is not a search expression", span,
                        "for example startswith=\"eventName=ConsoleLogin\" or startswith=eval(count>1)");
      return std::nullopt;
    }
    f.search_ = query::BindExpression(*parsed.ast.search);
    return f;
  }
  bool Matches(const Record& r, EvalContext* ec) const {
    if (eval_) {
      EvalValue v = Evaluate(*eval_, r, ec);
      return v.is_bool() ? v.boolean : (!v.is_null() && v.Truthy());
    }
    return MatchesRecord(*search_, r);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<query::EvalExpr> eval_;
  std::shared_ptr<query::Predicate> search_;
};

struct TransactionSpec {
  std::vector<std::string> fields;
  std::optional<int64_t> maxspan_us, maxpause_us;
  uint64_t maxevents = 1000;
  uint64_t maxopentxn = 5000;
  std::optional<TransactionFilter> startswith, endswith;
  bool keepevicted = false, mvlist = false, keeporphans = false;
  query::Span name_span;  // where warnings point
};

struct Transaction {
  std::vector<Record> events;                   // oldest first
  std::vector<std::optional<std::string>> key;  // the first value of each field seen
  int64_t first_us = 0, last_us = 0;
  uint64_t seq = 0;  // order of opening
  bool opened_by_start = false;
};

// A result made, with what puts it in place among the others: newest first, transactions
// before orphans, then in order of opening.
struct MadeResult {
  int64_t time_us;
  bool orphan;
  uint64_t seq;
  Record record;
};

class TransactionCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override {
    if (spec_.startswith || spec_.endswith) return std::nullopt;  // a search may read _raw
    return spec_.fields;
  }
  explicit TransactionCommand(TransactionSpec spec) : spec_(std::move(spec)) {}

  std::string ToString() const override {
    std::string s = "transaction";
    for (const auto& f : spec_.fields) s += " " + f;
    if (spec_.maxspan_us) s += " maxspan=" + std::to_string(*spec_.maxspan_us / 1000000) + "s";
    if (spec_.maxpause_us) s += " maxpause=" + std::to_string(*spec_.maxpause_us / 1000000) + "s";
    if (spec_.startswith) s += " startswith=\"" + spec_.startswith->text() + "\"";
    if (spec_.endswith) s += " endswith=\"" + spec_.endswith->text() + "\"";
    return s;
  }
  StreamRole stream_role() const override { return StreamRole::kOldestFirst; }
  void PassOnUnordered() override { unordered_ = true; }

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::vector<int64_t> times(records->size());
    for (size_t i = 0; i < records->size(); ++i) times[i] = RecordTimeMicros((*records)[i]);
    std::vector<size_t> order(records->size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;  // search order reversed: oldest first
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return times[a] < times[b]; });
    std::vector<Record> oldest_first;
    oldest_first.reserve(order.size());
    for (size_t i : order) oldest_first.push_back(std::move((*records)[i]));
    bool unordered = unordered_;
    unordered_ = false;
    storage::Status s = Consume(&oldest_first, ctx);
    if (s.ok()) s = EndStream(records, ctx);
    unordered_ = unordered;
    return s;
  }

  // Takes events oldest first; passes on the transactions they close when the commands after
  // it do not care about order (PassOnUnordered), else holds them until EndStream.
  storage::Status Consume(std::vector<Record>* batch, ExecContext* ctx) override {
    EvalContext ec;
    ec.now_us = ctx->now_us;
    std::vector<Record> in = std::move(*batch);
    batch->clear();
    for (Record& r : in) {
      const int64_t time = RecordTimeMicros(r);
      std::vector<std::optional<std::string>> key(spec_.fields.size());
      bool full = true;
      for (size_t f = 0; f < spec_.fields.size(); ++f) {
        const FieldCell* c = r.Get(spec_.fields[f]);
        if (c != nullptr && !c->empty()) key[f] = (*c)[0];
        else full = false;
      }
      std::optional<uint64_t> target;
      if (full) {
        if (auto it = open_by_key_.find(KeyText(key)); it != open_by_key_.end()) target = it->second;
      } else {
        for (auto it = recency_.rbegin(); it != recency_.rend() && !target; ++it) {
          const Transaction& t = open_.at(*it);
          bool agrees = true;
          for (size_t f = 0; f < key.size(); ++f)
            if (key[f] && t.key[f] && *key[f] != *t.key[f]) agrees = false;
          if (agrees) target = *it;
        }
      }
      bool starts = spec_.startswith && spec_.startswith->Matches(r, &ec);
      if (target) {
        const Transaction& t = open_.at(*target);
        bool limit = (spec_.maxspan_us && time - t.first_us > *spec_.maxspan_us) ||
                     (spec_.maxpause_us && time - t.last_us > *spec_.maxpause_us) ||
                     t.events.size() >= spec_.maxevents;
        if (starts || limit) {
          // A limit closes it; so does a new start without endswith=.
          Close(*target, limit || !spec_.endswith, batch);
          target.reset();
        }
      }
      if (!target) {
        if (spec_.startswith && !starts) {
          if (spec_.keeporphans) {
            r.Set("_txn_orphan", FieldCell({"1"}, ValueKind::kNumber));
            Emit({time, true, orphans_++, std::move(r)}, batch);
          }
          continue;
        }
        target = next_seq_++;
        Transaction& t = open_[*target];
        t.first_us = time;
        t.seq = *target;
        t.opened_by_start = starts;
        t.key = key;
        recency_.push_back(*target);
        if (full) open_by_key_[KeyText(key)] = *target;
        if (recency_.size() > spec_.maxopentxn) {
          Close(recency_.front(), false, batch);
          ++evicted_for_room_;
        }
      } else {
        recency_.erase(std::find(recency_.begin(), recency_.end(), *target));
        recency_.push_back(*target);
      }
      Transaction& t = open_.at(*target);
      t.last_us = time;
      for (size_t f = 0; f < key.size(); ++f)
        if (!t.key[f] && key[f]) {
          t.key[f] = key[f];
          if (std::all_of(t.key.begin(), t.key.end(), [](const auto& v) { return v.has_value(); }))
            open_by_key_[KeyText(t.key)] = *target;
        }
      bool ends = spec_.endswith && spec_.endswith->Matches(r, &ec);
      t.events.push_back(std::move(r));
      if (ends) Close(*target, true, batch);
    }
    if (storage::Status s = ctx->CheckLimits(); !s.ok()) return s;
    return storage::Status::OK();
  }

  // Closes what is still open and gives every result not passed on yet, newest first.
  storage::Status EndStream(std::vector<Record>* out, ExecContext* ctx) override {
    out->clear();
    while (!recency_.empty()) {
      uint64_t t = recency_.front();
      Close(t, open_.at(t).opened_by_start && !spec_.endswith, out);
    }
    if (evicted_for_room_ > 0)
      ctx->warnings.push_back(ArgError("transaction: " + std::to_string(evicted_for_room_) +
                                           " transactions were evicted because more than maxopentxn=" +
                                           std::to_string(spec_.maxopentxn) + " were open at once",
                                       spec_.name_span, "raise maxopentxn= or narrow the search"));
    std::stable_sort(held_.begin(), held_.end(), [](const MadeResult& a, const MadeResult& b) {
      if (a.time_us != b.time_us) return a.time_us > b.time_us;
      if (a.orphan != b.orphan) return !a.orphan;
      return a.seq < b.seq;
    });
    for (MadeResult& m : held_) out->push_back(std::move(m.record));
    held_.clear();
    open_.clear();
    open_by_key_.clear();
    next_seq_ = orphans_ = evicted_for_room_ = 0;
    return storage::Status::OK();
  }

 private:
  static std::string KeyText(const std::vector<std::optional<std::string>>& key) {
    std::string k;
    for (const auto& v : key) k += (v ? *v : std::string("\x01")) + std::string(1, '\0');
    return k;
  }

  // Ends an open transaction; `closed` is its closed_txn. With startswith= or endswith=, one
  // left unclosed is dropped unless keepevicted=true.
  void Close(uint64_t id, bool closed, std::vector<Record>* passed_on) {
    auto node = open_.extract(id);
    Transaction& t = node.mapped();
    recency_.erase(std::find(recency_.begin(), recency_.end(), id));
    if (auto it = open_by_key_.find(KeyText(t.key)); it != open_by_key_.end() && it->second == id) open_by_key_.erase(it);
    bool drop = !closed && !spec_.keepevicted && (spec_.startswith || spec_.endswith);
    if (drop) return;
    Emit({t.first_us, false, t.seq, Build(t, closed)}, passed_on);
  }

  void Emit(MadeResult made, std::vector<Record>* passed_on) {
    if (unordered_) passed_on->push_back(std::move(made.record));
    else held_.push_back(std::move(made));
  }

  Record Build(const Transaction& t, bool closed) const {
    std::vector<std::string> names;
    std::map<std::string, FieldCell> cells;
    std::string raw;
    for (const Record& event : t.events) {
      for (const auto& [name, cell] : event.fields()) {
        if (name == "_time") continue;
        if (name == "_raw") {
          for (const std::string& v : cell) raw += (raw.empty() ? "" : "\n") + v;
          continue;
        }
        auto it = cells.find(name);
        if (it == cells.end()) {
          names.push_back(name);
          it = cells.emplace(name, FieldCell({}, cell.kind)).first;
        }
        for (const std::string& v : cell) it->second.push_back(v);
      }
    }
    Record r;
    r.Set("_time", FieldCell({EpochSecondsText(t.first_us)}, ValueKind::kNumber));
    if (!raw.empty()) r.Set("_raw", FieldCell({raw}));
    for (const std::string& name : names) {
      FieldCell& c = cells[name];
      if (!spec_.mvlist) {
        std::sort(c.begin(), c.end());
        c.erase(std::unique(c.begin(), c.end()), c.end());
      }
      r.Set(name, std::move(c));
    }
    r.Set("duration", FieldCell({EpochSecondsText(t.last_us - t.first_us)}, ValueKind::kNumber));
    r.Set("eventcount", FieldCell({std::to_string(t.events.size())}, ValueKind::kNumber));
    r.Set("closed_txn", FieldCell({closed ? "1" : "0"}, ValueKind::kNumber));
    return r;
  }

  bool unordered_ = false;
  // The state between batches: open transactions by id, their ids least recently active
  // first, and the id of each full key's open one.
  std::map<uint64_t, Transaction> open_;
  std::vector<uint64_t> recency_;
  std::unordered_map<std::string, uint64_t> open_by_key_;
  std::vector<MadeResult> held_;
  uint64_t next_seq_ = 0, orphans_ = 0, evicted_for_room_ = 0;
  TransactionSpec spec_;
};

std::unique_ptr<Command> MakeTransactionCommand(const query::CommandNode& node, CommandArgs* args,
                                                std::optional<query::Diagnostic>* error) {
  TransactionSpec spec;
  spec.name_span = node.name_span;
  spec.fields = args->fields();
  auto span_option = [&](const char* name, std::optional<int64_t>* out) {
    if (!args->Given(name)) return true;
    std::string text = args->Text(name);
    if (text == "-1") return true;
    auto s = ParseTimeSpan(text);
    if (!s || s->months > 0) {
      *error = ArgError(std::string("transaction: ") + name + "=" + text + " is not a time span", node.args_span,
                        "for example 30s, 10m, 1h, 1d");
      return false;
    }
    *out = s->seconds * 1000000;
    return true;
  };
  if (!span_option("maxspan", &spec.maxspan_us) || !span_option("maxpause", &spec.maxpause_us)) return nullptr;
  if (args->Given("maxevents")) {
    std::string text = args->Text("maxevents");
    if (text != "-1" && (!ParseCount(text, &spec.maxevents) || spec.maxevents == 0)) {
      *error = ArgError("transaction: maxevents=" + text + " is not a positive number", node.args_span);
      return nullptr;
    }
    if (text == "-1") spec.maxevents = UINT64_MAX;
  }
  spec.maxopentxn = args->Count("maxopentxn");
  for (const char* name : {"startswith", "endswith"}) {
    if (!args->Given(name)) continue;
    auto f = TransactionFilter::Parse(args->Text(name), node.args_span, error);
    if (!f) return nullptr;
    (std::string(name) == "startswith" ? spec.startswith : spec.endswith) = std::move(f);
  }
  spec.keepevicted = args->Bool("keepevicted");
  spec.mvlist = args->Bool("mvlist");
  spec.keeporphans = args->Bool("keeporphans");
  return std::make_unique<TransactionCommand>(std::move(spec));
}

const bool kRegistered = RegisterCommand(
    {"transaction",
     "transaction [FIELD...] [maxspan=S] [maxpause=S] [maxevents=N] [startswith=\"SEARCH\"|eval(X)] [endswith=...]",
     ArgumentStyle::kOptions,
     {{"maxspan", OptionType::kText, "", "the longest a transaction may last (-1: no limit)"},
      {"maxpause", OptionType::kText, "", "the longest gap between its events (-1: no limit)"},
      {"maxevents", OptionType::kText, "1000", "the most events in one transaction (-1: no limit)"},
      {"startswith", OptionType::kText, "", "a search or eval(...) that the first event matches"},
      {"endswith", OptionType::kText, "", "a search or eval(...) that the last event matches"},
      {"keepevicted", OptionType::kBool, "false", "keep transactions that did not close (closed_txn=0)"},
      {"mvlist", OptionType::kBool, "false", "fields list every value in order instead of the distinct ones"},
      {"keeporphans", OptionType::kBool, "false", "keep events outside any transaction, with _txn_orphan=1"},
      {"maxopentxn", OptionType::kCount, "5000", "the most transactions open at once"},
      {"maxopenevents", OptionType::kCount, "100000", "accepted"},
      {"connected", OptionType::kBool, "true", "accepted: events lacking a field join a transaction that agrees"},
      {"unifyends", OptionType::kBool, "false", "accepted"},
      {"delim", OptionType::kText, " ", "accepted"},
      {"mvraw", OptionType::kBool, "false", "accepted"},
      {"nullstr", OptionType::kText, "NULL", "accepted"},
      {"name", OptionType::kText, "", "accepted"}},
     MakeTransactionCommand,
     {{"FIELD...", ArgumentKind::kOptionalFields, ""}}});

}  // namespace

}  // namespace cairn::engine
