// The embedding surface for hunts: rules loaded from cairn's `.spl` hunt files, Sigma rules
// and Splunk ESCU detections (LoadHuntRules), run over an index (RunHunts) on a pool of
// threads, each rule's hits returned with the rule's metadata so that every match can name
// the rule's author and licence. `--since last` state lives in the index directory
// (docs/hunts.md describes the file). Formats of the rules: docs/hunts.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/search.h"
#include "cairn/status.h"

namespace cairn {

namespace query {
struct SearchNode;
}

enum class HuntKind { kSpl, kSigma, kEscu };

/// "spl", "sigma", "escu".
const char* HuntKindName(HuntKind kind);

struct HuntRule {
  HuntKind kind = HuntKind::kSpl;
  std::string file;  ///< the path it was loaded from
  std::string id, title, description, author, level, status;
  std::vector<std::string> tags;        ///< MITRE ATT&CK ids and the like
  std::vector<std::string> references;
  std::optional<std::string> earliest;  ///< the rule's own time range (`# earliest:`)
  std::string license;                  ///< the licence note shown with every match
  int risk_score = -1;                  ///< ESCU's, when given
  /// The SPL run (kSpl, kEscu), or for kSigma the SPL rendering of `search` for people to
  /// read (`cairn sigma convert`); a Sigma rule runs from `search`, never from this text.
  std::string query;
  std::shared_ptr<const query::SearchNode> search;  ///< kSigma only
  /// ESCU: the macros/ and lookups/ directories beside the detections/ it came from, used
  /// with the ones the caller gives.
  std::vector<std::string> macro_paths, lookup_definitions;
  /// A .spl hunt: the `lookups/` directory beside its file, used when the caller gives none.
  std::string lookups_dir;
  int query_line = 0;  ///< the line of `file` the query starts on, for errors
  /// Hunts over the same events, told by the rule's id (or file when it has none): the key
  /// of its --since-last state.
  std::string StateKey() const { return id.empty() ? file : id; }
};

/// A rule that cannot be loaded or cannot run, and why: `file:line: message`.
struct HuntProblem {
  std::string file;
  int line = 0;  ///< 0 when the problem has no line
  std::string message;
  std::string Render() const;
};

struct HuntRuleSet {
  std::vector<HuntRule> rules;
  std::vector<HuntProblem> problems;
};

/// Loads the rules at `paths` (files, or directories searched recursively for *.spl, *.yml
/// and *.yaml). A YAML file with `detection:` is Sigma, one with `search:` an ESCU detection.
/// Rules that cannot run (a construct cairn lacks, ESCU's tstats or ML toolkit) go to
/// `problems`, the rest load.
HuntRuleSet LoadHuntRules(const std::vector<std::string>& paths);

struct HuntOutcome;

struct HuntOptions {
  /// earliest/latest (over each rule's own), macros, lookups, now; its timeout_s and
  /// max_memory_mb apply to each rule on its own (a rule past them fails, the others run).
  SearchOptions search;
  bool since_last = false;    ///< only what earlier --since-last runs have not reported
  uint64_t max_alerts_per_rule = 10000;  ///< events or rows kept per rule (hits are all counted)
  int threads = 2;
  /// Called after each rule finishes (from the thread that ran it, serialised), for progress.
  std::function<void(size_t done, size_t total)> progress;
  /// Called with each rule's index and outcome as soon as the rule has run, from the thread
  /// that ran it (rules run in parallel, so calls may overlap): a caller can render the
  /// alerts there, on both cores, and release them. The outcome is then stored as left.
  std::function<void(size_t rule, HuntOutcome* outcome)> on_outcome;
  /// Called once every rule has run, with the outcomes, before the --since-last state is
  /// saved. A caller writes and flushes its output here, so that a run killed before the
  /// state is saved reports its alerts again next time, never not at all. Returning false
  /// (the output could not be written: a closed pipe, a full disk) leaves the state as it was.
  std::function<bool(const std::vector<HuntOutcome>& outcomes)> deliver;
};

/// One matching event or result row.
struct HuntAlert {
  std::optional<int64_t> time_us;       ///< the event's _time, or a row's _time column
  std::vector<FieldValues> fields;      ///< the event's fields, or the row's cells in column order
  std::string raw;                      ///< events only
  bool is_row = false;
};

struct HuntOutcome {
  Status status;                        ///< why the rule failed to run, or OK
  uint64_t hits = 0;                    ///< events or rows
  std::optional<int64_t> first_us, last_us;  ///< the hits' earliest and latest _time
  std::vector<HuntAlert> alerts;        ///< at most max_alerts_per_rule of them
  size_t kept = 0;                      ///< how many alerts were kept (whatever on_outcome did)
  std::vector<std::string> warnings;
  double elapsed_ms = 0;
  bool truncated = false;               ///< more hits than alerts
};

/// Runs every rule over the index at `index_dir`; outcomes are in the rules' order. A rule
/// that fails does not stop the others. With since_last, the state is read first and written
/// (atomically, in `index_dir`) only after every rule ran and `deliver` returned true; an
/// error writing it, or a delivery that failed, is returned through `state_status`.
std::vector<HuntOutcome> RunHunts(const std::string& index_dir, const std::vector<HuntRule>& rules,
                                  const HuntOptions& options, Status* state_status);

}  // namespace cairn
