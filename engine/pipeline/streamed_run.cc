#include "engine/pipeline/streamed_run.h"

#include <algorithm>

#include "engine/pipeline/event_stream.h"

namespace cairn::engine {

StreamPlan PlanStream(const std::vector<std::unique_ptr<Command>>& commands) {
  StreamPlan plan;
  bool stateful = false;      // a command other than a per-record one is in, or one worth streaming
  bool search_order = true;   // the records reaching this point come in search order
  bool time_kept = true;      // and keep the times they were read with
  size_t i = 0;
  for (; i < commands.size(); ++i) {
    const Command& c = *commands[i];
    StreamRole role = c.stream_role();
    if (role == StreamRole::kNone) break;
    if (role == StreamRole::kSink) {
      if (!search_order && c.order_sensitive()) break;
      plan.unordered_sink = !search_order;
      stateful = true;  // even after per-record commands alone: batches bound the memory
      ++i;
      break;
    }
    if (!search_order) break;  // after a transaction, only a sink streams
    if (role == StreamRole::kOldestFirst || role == StreamRole::kTwoPass) {
      if (stateful || (role == StreamRole::kOldestFirst && !time_kept)) break;
      if (role == StreamRole::kOldestFirst) {
        plan.oldest_first = true;
        search_order = false;
      } else {
        plan.two_pass = i;
      }
    }
    if (role != StreamRole::kPerRecord || c.worth_streaming()) stateful = true;
    if (role == StreamRole::kPerRecord) time_kept &= !c.may_change_time();
  }
  plan.count = stateful ? i : 0;
  if (plan.count == 0) return StreamPlan();
  return plan;
}

namespace {

// Passes `batch` through commands [from, plan.count) and appends what comes out to `out`.
storage::Status PushThrough(const StreamPlan& plan, const std::vector<std::unique_ptr<Command>>& commands,
                            size_t from, std::vector<Record>* batch, ExecContext* ctx, std::vector<Record>* out) {
  for (size_t j = from; j < plan.count && !batch->empty(); ++j) {
    storage::Status s = commands[j]->Consume(batch, ctx);
    if (!s.ok()) return s;
  }
  for (Record& r : *batch) out->push_back(std::move(r));
  return storage::Status::OK();
}

// A command that streams runs once per batch: the same warning would repeat.
void DropRepeatedWarnings(std::vector<query::Diagnostic>* warnings, size_t from) {
  std::vector<query::Diagnostic> kept(warnings->begin(), warnings->begin() + static_cast<long>(from));
  for (size_t i = from; i < warnings->size(); ++i) {
    const query::Diagnostic& w = (*warnings)[i];
    bool seen = std::any_of(kept.begin() + static_cast<long>(from), kept.end(), [&](const query::Diagnostic& k) {
      return k.message == w.message && k.span.begin == w.span.begin && k.span.end == w.span.end;
    });
    if (!seen) kept.push_back(w);
  }
  *warnings = std::move(kept);
}

}  // namespace

storage::Status RunStreamed(const StreamPlan& plan, const std::vector<std::unique_ptr<Command>>& commands,
                            std::vector<SegmentMatch>* matches, const RowDecoding& want, ExecContext* ctx,
                            std::vector<Record>* records) {
  records->clear();
  const size_t warnings_before = ctx->warnings.size();
  if (plan.unordered_sink)
    for (size_t j = 0; j < plan.count; ++j)
      if (commands[j]->stream_role() == StreamRole::kOldestFirst) commands[j]->PassOnUnordered();
  EventStream stream(matches, want, plan.oldest_first, ctx->limits);
  std::vector<Record> batch;
  if (plan.two_pass != SIZE_MAX) {
    for (;;) {
      storage::Status s = stream.Next(&batch);
      if (!s.ok()) return s;
      if (batch.empty()) break;
      for (size_t j = 0; j < plan.two_pass && !batch.empty(); ++j) {
        s = commands[j]->Consume(&batch, ctx);
        if (!s.ok()) return s;
      }
      s = commands[plan.two_pass]->Gather(batch, ctx);
      if (!s.ok()) return s;
    }
    commands[plan.two_pass]->EndGather();
    stream.Rewind();
  }
  for (;;) {
    storage::Status s = stream.Next(&batch);
    if (!s.ok()) return s;
    if (batch.empty()) break;
    s = PushThrough(plan, commands, 0, &batch, ctx, records);
    if (!s.ok()) return s;
  }
  for (size_t j = 0; j < plan.count; ++j) {
    storage::Status s = commands[j]->EndStream(&batch, ctx);
    if (!s.ok()) return s;
    s = PushThrough(plan, commands, j + 1, &batch, ctx, records);
    if (!s.ok()) return s;
  }
  DropRepeatedWarnings(&ctx->warnings, warnings_before);
  return storage::Status::OK();
}

}  // namespace cairn::engine
