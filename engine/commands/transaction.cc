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
// evicted. Results come newest first.
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
  std::vector<size_t> members;  // record indexes, oldest first
  std::vector<std::optional<std::string>> key;  // the first value of each field seen
  int64_t first_us = 0, last_us = 0;
  bool opened_by_start = false, closed = false;
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

  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    const std::vector<Record>& in = *records;
    std::vector<int64_t> times(in.size());
    for (size_t i = 0; i < in.size(); ++i) times[i] = RecordTimeMicros(in[i]);
    std::vector<size_t> order(in.size());
    for (size_t i = 0; i < in.size(); ++i) order[i] = in.size() - 1 - i;  // search order reversed: oldest first
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return times[a] < times[b]; });

    EvalContext ec;
    ec.now_us = ctx->now_us;
    std::vector<Transaction> txns;
    std::vector<size_t> open;  // indexes into txns, least recently active first
    std::unordered_map<std::string, size_t> open_by_key;  // full key → txn
    std::vector<size_t> orphans;
    uint64_t evicted_for_room = 0;

    auto key_text = [](const std::vector<std::optional<std::string>>& key) {
      std::string k;
      for (const auto& v : key) k += (v ? *v : std::string("\x01")) + std::string(1, '\0');
      return k;
    };
    auto close = [&](size_t t, bool closed) {
      txns[t].closed = closed;
      open.erase(std::find(open.begin(), open.end(), t));
      std::string k = key_text(txns[t].key);
      if (auto it = open_by_key.find(k); it != open_by_key.end() && it->second == t) open_by_key.erase(it);
    };
    auto touch = [&](size_t t) {
      open.erase(std::find(open.begin(), open.end(), t));
      open.push_back(t);
    };

    for (size_t i : order) {
      const Record& r = in[i];
      std::vector<std::optional<std::string>> key(spec_.fields.size());
      bool full = true;
      for (size_t f = 0; f < spec_.fields.size(); ++f) {
        const FieldCell* c = r.Get(spec_.fields[f]);
        if (c != nullptr && !c->empty()) key[f] = (*c)[0];
        else full = false;
      }
      std::optional<size_t> target;
      if (full) {
        if (auto it = open_by_key.find(key_text(key)); it != open_by_key.end()) target = it->second;
      } else {
        for (auto it = open.rbegin(); it != open.rend() && !target; ++it) {
          bool agrees = true;
          for (size_t f = 0; f < key.size(); ++f)
            if (key[f] && txns[*it].key[f] && *key[f] != *txns[*it].key[f]) agrees = false;
          if (agrees) target = *it;
        }
      }
      bool starts = spec_.startswith && spec_.startswith->Matches(r, &ec);
      if (target) {
        const Transaction& t = txns[*target];
        bool limit = (spec_.maxspan_us && times[i] - t.first_us > *spec_.maxspan_us) ||
                     (spec_.maxpause_us && times[i] - t.last_us > *spec_.maxpause_us) ||
                     t.members.size() >= spec_.maxevents;
        if (starts || limit) {
          close(*target, limit || !spec_.endswith);  // a limit closes it; so does a new start without endswith=
          target.reset();
        }
      }
      if (!target) {
        if (spec_.startswith && !starts) {
          orphans.push_back(i);
          continue;
        }
        txns.push_back({});
        target = txns.size() - 1;
        txns[*target].first_us = times[i];
        txns[*target].opened_by_start = starts;
        txns[*target].key = key;
        open.push_back(*target);
        if (full) open_by_key[key_text(key)] = *target;
        if (open.size() > spec_.maxopentxn) {
          close(open.front(), false);
          ++evicted_for_room;
        }
      } else {
        touch(*target);
      }
      Transaction& t = txns[*target];
      t.members.push_back(i);
      t.last_us = times[i];
      for (size_t f = 0; f < key.size(); ++f)
        if (!t.key[f] && key[f]) {
          t.key[f] = key[f];
          if (std::all_of(t.key.begin(), t.key.end(), [](const auto& v) { return v.has_value(); }))
            open_by_key[key_text(t.key)] = *target;
        }
      if (spec_.endswith && spec_.endswith->Matches(r, &ec)) close(*target, true);
    }
    while (!open.empty()) {
      size_t t = open.front();
      close(t, txns[t].opened_by_start && !spec_.endswith);
    }
    if (evicted_for_room > 0)
      ctx->warnings.push_back(ArgError("transaction: " + std::to_string(evicted_for_room) +
                                           " transactions were evicted because more than maxopentxn=" +
                                           std::to_string(spec_.maxopentxn) + " were open at once",
                                       spec_.name_span, "raise maxopentxn= or narrow the search"));

    bool drop_evicted = !spec_.keepevicted && (spec_.startswith || spec_.endswith);
    std::vector<std::pair<int64_t, Record>> out;
    for (const Transaction& t : txns) {
      if (drop_evicted && !t.closed) continue;
      out.emplace_back(t.first_us, Build(t, in));
    }
    if (spec_.keeporphans)
      for (size_t i : orphans) {
        Record r = in[i];
        r.Set("_txn_orphan", FieldCell({"1"}, ValueKind::kNumber));
        out.emplace_back(times[i], std::move(r));
      }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    records->clear();
    for (auto& [_, r] : out) records->push_back(std::move(r));
    return storage::Status::OK();
  }

 private:
  Record Build(const Transaction& t, const std::vector<Record>& in) const {
    std::vector<std::string> names;
    std::map<std::string, FieldCell> cells;
    std::string raw;
    for (size_t m : t.members) {
      for (const auto& [name, cell] : in[m].fields()) {
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
    r.Set("eventcount", FieldCell({std::to_string(t.members.size())}, ValueKind::kNumber));
    r.Set("closed_txn", FieldCell({t.closed ? "1" : "0"}, ValueKind::kNumber));
    return r;
  }

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
