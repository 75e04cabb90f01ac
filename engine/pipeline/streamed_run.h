// Streamed runs: the leading commands of a pipeline that can take the events in batches
// (Command::stream_role) run over an EventStream, so streamstats, transaction, eventstats
// and a stats after them hold only their own state — per group, per open transaction —
// never every event. Streaming is used only when a stateful command is among them; the
// output equals running each command over the whole list (tests/e2e/test_streaming.py).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "engine/pipeline/command.h"
#include "engine/pipeline/materialize.h"

namespace cairn::engine {

struct StreamPlan {
  size_t count = 0;            ///< leading commands that stream (0: none do)
  bool oldest_first = false;   ///< the stream runs oldest first (a transaction is among them)
  size_t two_pass = SIZE_MAX;  ///< the kTwoPass command, read twice; SIZE_MAX: none
  bool unordered_sink = false; ///< a sink after the transaction does not care about order
};

/// Which leading commands stream. Rules: per-record commands stream anywhere before a
/// transaction; streamstats needs search order; a transaction or eventstats only after
/// per-record commands; a stats sink ends the streamed part (after a transaction, only a
/// stats whose functions ignore order).
StreamPlan PlanStream(const std::vector<std::unique_ptr<Command>>& commands);

/// Runs the first `plan.count` commands over the matches, decoded as `want`; their output
/// goes into `records`.
storage::Status RunStreamed(const StreamPlan& plan, const std::vector<std::unique_ptr<Command>>& commands,
                            std::vector<SegmentMatch>* matches, const RowDecoding& want, ExecContext* ctx,
                            std::vector<Record>* records);

}  // namespace cairn::engine
