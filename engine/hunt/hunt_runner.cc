// Implements RunHunts (include/cairn/hunt.h): a pool of threads, each with its own Searcher
// (a Searcher is one thread's), takes the rules in turn; a Sigma rule runs from its search
// tree, the others from their SPL; rules that run the same search run it once, and each
// thread's Searcher keeps the segments' decoded dictionaries and postings between rules. With --since last,
// each rule leaves out the segments its earlier runs searched (engine/hunt/hunt_state.h) and the state is
// saved after all ran.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "cairn/hunt.h"
#include "engine/hunt/hunt_state.h"
#include "storage/text.h"

namespace cairn {

namespace {

std::optional<int64_t> RowTime(const std::vector<FieldValues>& cells) {
  for (const FieldValues& c : cells) {
    if (c.name != "_time" || c.values.empty()) continue;
    if (auto n = storage::ParseNumber(c.values[0])) return static_cast<int64_t>(*n * 1e6);
  }
  return std::nullopt;
}

void Widen(HuntOutcome* o, std::optional<int64_t> t) {
  if (!t) return;
  if (!o->first_us || *t < *o->first_us) o->first_us = t;
  if (!o->last_us || *t > *o->last_us) o->last_us = t;
}

HuntOutcome RunRule(Searcher& searcher, const HuntRule& rule, const HuntOptions& options,
                    const engine::RuleState* state) {
  auto start = std::chrono::steady_clock::now();
  SearchOptions so = options.search;
  if (!so.earliest && rule.earliest) so.earliest = rule.earliest;
  so.macro_paths.insert(so.macro_paths.begin(), rule.macro_paths.begin(), rule.macro_paths.end());
  so.lookup_definitions.insert(so.lookup_definitions.begin(), rule.lookup_definitions.begin(),
                               rule.lookup_definitions.end());
  if (so.lookups_dir.empty()) so.lookups_dir = rule.lookups_dir;
  so.limit = options.max_alerts_per_rule;
  so.want_raw = true;
  so.want_fields = true;
  so.count_only = false;
  so.parallel_segments = false;  // the pool keeps both cores busy already
  if (state != nullptr) so.skip_segments.assign(state->segments.begin(), state->segments.end());
  SearchResult r = rule.kind == HuntKind::kSigma && rule.search != nullptr
                       ? searcher.RunTree(*rule.search, rule.query, so)
                       : searcher.Run(rule.query, so);
  HuntOutcome o;
  o.status = r.status;
  o.warnings = r.warnings;
  if (o.status.ok() && !r.unreadable_segments.empty()) {
    // A hunt that missed events must not report "no hits", nor move --since last past them.
    std::string names;
    for (const std::string& u : r.unreadable_segments) names += (names.empty() ? "" : "; ") + u;
    o.status = Status::Corruption("the index has segments that cannot be read (" + names +
                                  "); cairn repair sets them aside");
  }
  if (r.status.ok()) {
    o.hits = r.results;  // every event or row, however many are kept as alerts
    if (r.is_table) {
      for (size_t i = 0; i < r.table.rows.size() && i < options.max_alerts_per_rule; ++i) {
        HuntAlert a;
        a.is_row = true;
        a.fields = r.table.rows[i];
        for (size_t c = 0; c < a.fields.size() && c < r.table.columns.size(); ++c)
          a.fields[c].name = r.table.columns[c];
        a.time_us = RowTime(a.fields);
        Widen(&o, a.time_us);
        o.alerts.push_back(std::move(a));
      }
    } else {
      for (Event& ev : r.events) {
        HuntAlert a;
        a.time_us = ev.time_us;
        a.fields = std::move(ev.fields);
        a.raw = std::move(ev.raw);
        Widen(&o, a.time_us);
        o.alerts.push_back(std::move(a));
      }
    }
    o.kept = o.alerts.size();
    o.truncated = o.hits > o.kept;
  }
  o.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return o;
}

}  // namespace

std::vector<HuntOutcome> RunHunts(const std::string& index_dir, const std::vector<HuntRule>& rules,
                                  const HuntOptions& options, Status* state_status) {
  *state_status = Status::OK();
  std::vector<HuntOutcome> outcomes(rules.size());
  std::unique_ptr<engine::HuntState> state;
  if (options.since_last) {
    auto opened = engine::HuntState::Open(index_dir);
    if (!opened.ok()) {
      *state_status = opened.status();
      for (HuntOutcome& o : outcomes) o.status = opened.status();
      if (options.deliver) options.deliver(outcomes);  // the summary still names every rule
      return outcomes;
    }
    state = opened.take();
  }
  std::vector<const engine::RuleState*> states(rules.size(), nullptr);
  if (state != nullptr)
    for (size_t i = 0; i < rules.size(); ++i) states[i] = &state->Rule(rules[i].StateKey());
  std::vector<std::vector<std::string>> searched(rules.size());

  // Rules that run the same search (the same SPL, or Sigma rules compiled to the same tree,
  // with the same time range and state) run once; the others copy the outcome.
  std::vector<size_t> distinct;
  // Per distinct rule, the others that share its search.
  std::vector<std::vector<size_t>> alike(rules.size());
  {
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < rules.size(); ++i) {
      const HuntRule& r = rules[i];
      std::string key =
          std::string(HuntKindName(r.kind)) + "\n" + r.query + "\n" + r.earliest.value_or("") + "\n";
      for (const std::string& m : r.macro_paths) key += m + ";";
      for (const std::string& l : r.lookup_definitions) key += l + ";";
      key += r.lookups_dir + "\n";
      if (states[i] != nullptr)
        for (const std::string& seg : states[i]->segments) key += seg + ",";
      auto [it, added] = seen.emplace(key, i);
      if (added) {
        distinct.push_back(i);
      } else {
        alike[it->second].push_back(i);
      }
    }
  }

  std::atomic<size_t> next{0}, done{0};
  std::mutex progress_mutex;
  auto worker = [&]() {
    auto opened = Searcher::Open(index_dir);
    std::unique_ptr<Searcher> searcher = opened.ok() ? opened.take() : nullptr;
    for (size_t k; (k = next.fetch_add(1)) < distinct.size();) {
      size_t i = distinct[k];
      if (searcher == nullptr) {
        outcomes[i].status = opened.status();
      } else {
        outcomes[i] = RunRule(*searcher, rules[i], options, states[i]);
        searched[i] = searcher->SegmentNames();
      }
      for (size_t j : alike[i]) {
        outcomes[j] = outcomes[i];
        searched[j] = searched[i];
      }
      if (options.on_outcome) {
        for (size_t j : alike[i]) options.on_outcome(j, &outcomes[j]);
        options.on_outcome(i, &outcomes[i]);
      }
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        options.progress(done.fetch_add(1) + 1, distinct.size());
      }
    }
  };
  int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(distinct.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  if (options.deliver && !options.deliver(outcomes)) {
    if (state != nullptr)
      *state_status = Status::IOError("the alerts could not be written, so the state is left as it was");
    return outcomes;
  }
  if (state != nullptr) {
    for (size_t i = 0; i < rules.size(); ++i) {
      if (!outcomes[i].status.ok()) continue;  // a failed rule sees the same events next time
      engine::RuleState& rs = state->Rule(rules[i].StateKey());
      rs.segments.insert(searched[i].begin(), searched[i].end());
      if (outcomes[i].last_us && (!rs.newest_us || *outcomes[i].last_us > *rs.newest_us))
        rs.newest_us = outcomes[i].last_us;
    }
    *state_status = state->Save();
  }
  return outcomes;
}

}  // namespace cairn
