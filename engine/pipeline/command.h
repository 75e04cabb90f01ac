// Command: one pipeline command after the search (stats, sort, head, ...). Each lives in
// its own file under engine/commands/ with its spec (command_spec.h), argument parser,
// execution and the text `explain` shows, and registers itself. A command
// transforms the list of records; a command that can aggregate straight from segment
// columns (stats) may also take the search's matches directly. Not thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <roaring/roaring.hh>
#include <string>
#include <vector>

#include "engine/pipeline/command_args.h"
#include "engine/pipeline/command_spec.h"
#include "engine/pipeline/record.h"
#include "engine/pipeline/search_limits.h"
#include "engine/search/segment_context.h"
#include "query/ast.h"
#include "query/eval_ast.h"
#include "storage/status.h"

namespace cairn::engine {

class LookupCatalog;

/// Runs a subsearch (the text inside `[...]`, whose brackets are at `span` in the query) and
/// gives its rows, at most `max_rows` of them (`*truncated` says whether there were more).
using SubsearchRunner = std::function<storage::Status(const std::string& text, query::Span span, uint64_t max_rows,
                                                      std::vector<Record>* rows, bool* truncated)>;

struct ExecContext {
  int64_t now_us = 0;
  std::optional<int64_t> earliest_us, latest_us;  ///< the search's time range (none: unbounded)
  SubsearchRunner run_subsearch;          ///< null where subsearches cannot run
  LookupCatalog* lookups = nullptr;       ///< the lookup tables of this query (engine/lookup/)
  /// Cancel, time and memory limits: checked between commands and inside long ones.
  const SearchLimits* limits = nullptr;
  storage::Status CheckLimits() const { return limits != nullptr ? limits->Check() : storage::Status::OK(); }
  std::vector<query::Diagnostic> warnings;    ///< runtime problems (a bad regex in eval, ...)
  /// The column order a command declared (table, stats, top): results show these first.
  std::vector<std::string> columns;
  /// The last transforming command was chart or timechart.
  bool chart = false;
  /// fieldformat: how fields show in the output (applied after the last command, so sorts and
  /// comparisons still see the values).
  std::vector<std::pair<std::string, std::shared_ptr<query::EvalExpr>>> field_formats;
};

/// The rows one segment matched, for commands that read columns directly.
struct SegmentMatch {
  SegmentContext* segment = nullptr;
  Roaring rows;
  const std::vector<int64_t>* times = nullptr;  ///< null until Times() loads them

  /// The segment's event times (decoded on first use: many commands never need them).
  storage::Result<const std::vector<int64_t>*> Times();
};

/// How a command takes part in a streamed pipeline (pipeline.h): the events come in batches
/// and each command keeps only its own state between them.
enum class StreamRole {
  kNone,        ///< needs all its input at once
  kPerRecord,   ///< each record's output depends on that record alone (eval, where, rex, ...)
  kRunning,     ///< keeps state across records in search order (streamstats)
  kOldestFirst, ///< keeps state across records taken oldest first (transaction)
  kTwoPass,     ///< reads its input twice: once to gather, once to annotate (eventstats)
  kSink,        ///< consumes every record and gives its output at the end (stats)
};

class Command {
 public:
  virtual ~Command() = default;
  /// The command as `explain` prints it.
  virtual std::string ToString() const = 0;
  /// Transforms `records` (in search order: newest first).
  virtual storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) = 0;
  /// True for commands that map each record to one record, whatever the others are (eval,
  /// rex, rename, table, fields): a head after them still needs only its first N inputs.
  virtual bool one_to_one() const { return false; }
  /// For head: how many records it keeps.
  virtual std::optional<uint64_t> keeps_first() const { return std::nullopt; }
  /// True for commands that make rows of their own (makeresults, inputlookup): they may
  /// start a query (`| makeresults`) and get no rows from a search.
  virtual bool generating() const { return false; }
  /// True when the results are a table rather than events (stats, top, table, ...).
  virtual bool transforming() const { return false; }
  /// True for chart and timechart, whose table a terminal also draws as bars.
  virtual bool charts() const { return false; }
  /// The fields of its input the command reads (besides `_time`, always decoded), or nullopt
  /// when it may read any (`_raw` included). The pipeline decodes only what its commands read.
  virtual std::optional<std::vector<std::string>> FieldsRead() const { return std::nullopt; }
  /// True when the output holds nothing of the input but what FieldsRead names (stats, chart,
  /// table, ...): the commands after it need nothing decoded.
  virtual bool ends_projection() const { return false; }
  /// How the command can stream; a command other than kNone implements Consume and EndStream.
  virtual StreamRole stream_role() const { return StreamRole::kNone; }
  /// For a kSink or a command after a kOldestFirst one: true when its output depends on the
  /// order of its input (stats first(), last(), list()).
  virtual bool order_sensitive() const { return true; }
  /// Takes the next batch of input (in stream order) and replaces it with the records to pass
  /// on now. The default, for kPerRecord commands, is Execute on the batch.
  virtual storage::Status Consume(std::vector<Record>* batch, ExecContext* ctx) { return Execute(batch, ctx); }
  /// After the last batch: the records the command still holds.
  virtual storage::Status EndStream(std::vector<Record>* out, ExecContext* ctx) {
    out->clear();
    return storage::Status::OK();
  }
  /// kTwoPass: the first reading of the input, batch by batch, then EndGather().
  virtual storage::Status Gather(const std::vector<Record>& batch, ExecContext* ctx) {
    return storage::Status::Unsupported(ToString());
  }
  virtual void EndGather() {}
  /// For a kPerRecord command: true when it keeps far less than its input (an inner join),
  /// so that a pipeline holding it streams in batches and holds only what it keeps.
  virtual bool worth_streaming() const { return false; }
  /// For a kPerRecord command: false when it never changes `_time`, so a transaction after it
  /// may take the events in the stream's time order.
  virtual bool may_change_time() const { return true; }
  /// kOldestFirst: the commands after it do not care about order, so it may pass records on
  /// as they are made instead of holding them to put them in search order.
  virtual void PassOnUnordered() {}
  /// True when ExecuteOnSegments can replace Execute as the first command.
  virtual bool CanExecuteOnSegments() const { return false; }
  /// Produces the command's output straight from the search's matches.
  virtual storage::Status ExecuteOnSegments(std::vector<SegmentMatch>* matches, std::vector<Record>* out,
                                            ExecContext* ctx) {
    return storage::Status::Unsupported(ToString());
  }
};

}  // namespace cairn::engine
