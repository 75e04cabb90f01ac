// The state of `cairn hunt --since last`, kept in the index directory as `hunt-state.tsv`:
// per rule (by HuntRule::StateKey) the segments its earlier runs searched and the newest
// event time they reported. Segments are immutable and never rewritten, so searching only
// the segments a rule has not seen reports each event exactly once, late-delivered events
// included. The file is replaced atomically (a kill leaves the old or the new state) and a
// lock file keeps two runs from interleaving. Format: docs/hunts.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "cairn/status.h"

namespace cairn::engine {

struct RuleState {
  std::set<std::string> segments;      ///< segment file names searched
  std::optional<int64_t> newest_us;    ///< the newest event time reported
};

class HuntState {
 public:
  /// Takes the lock of the state in `index_dir` (waits while another run holds it) and reads
  /// the state; a missing file is an empty state.
  static Result<std::unique_ptr<HuntState>> Open(const std::string& index_dir);
  ~HuntState();

  RuleState& Rule(const std::string& key) { return rules_[key]; }
  /// Writes the state atomically.
  Status Save() const;

 private:
  HuntState() = default;
  std::string path_;
  int lock_fd_ = -1;
  std::map<std::string, RuleState> rules_;
};

}  // namespace cairn::engine
