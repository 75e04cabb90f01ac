// CloudTrailReader finds the events in one input stream, whatever its shape: NDJSON (one
// event, or one {"Records":[...]} wrapper, per line), a {"Records":[...]} document on one
// line or pretty-printed, a JSON array of events, or a single event object. It hands each
// event's text to a callback with its location, reports malformed parts with the line or
// byte offset and keeps going, and recognises CloudTrail digest files. A CloudWatch Logs
// document is split into its log events instead. Not thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/input_source.h"

namespace cairn::engine {

/// The largest line (one NDJSON event) cairn reads: a longer one is reported and skipped
/// without being held in memory, and the lines after it are read.
constexpr size_t kMaxLineBytes = 256u << 20;
/// The largest JSON document spanning lines (a pretty-printed Records file, an export) read
/// whole; a larger one is reported and not ingested.
constexpr size_t kMaxDocumentBytes = 512u << 20;

struct EventText {
  const char* data;
  size_t size;
  size_t capacity;       ///< readable bytes from data (>= size + simdjson padding)
  uint64_t line;         ///< 1-based line of the event's start
  bool records = false;  ///< an element of a CloudTrail {"Records":[...]} wrapper
};

/// One log event of a CloudWatch Logs document: a subscription payload (`messageType`,
/// `logGroup`, `logStream`, `logEvents`) or `aws logs filter-log-events` output (`events`
/// with `logStreamName`). Views valid during the callback.
struct LogEvent {
  std::string_view message;
  std::optional<int64_t> timestamp_ms;
  std::string_view id, log_group, log_stream, owner;
  uint64_t line;  ///< 1-based line of the document's start
};

struct ReadCallbacks {
  std::function<void(const EventText&)> on_event;
  std::function<void(const LogEvent&)> on_log_event;
  /// A problem at `where` ("line 12", "byte 4096"); reading continues when it can.
  std::function<void(const std::string& where, const std::string& message)> on_error;
  std::function<void(uint64_t disk_bytes)> on_progress;
};

struct ReadSummary {
  uint64_t bytes = 0;   ///< decompressed bytes read
  bool digest = false;  ///< the input was a CloudTrail digest file
};

/// Splits `text` into the JSON objects and arrays written back to back in it, with or
/// without whitespace between them (Firehose concatenates records so). False, leaving `out`
/// alone, unless it holds two or more and nothing else.
bool SplitConcatenatedJson(std::string_view text, std::vector<std::string_view>* out);

class CloudTrailReader {
 public:
  /// Reads `stream` to its end. Returns non-OK only when the stream itself failed
  /// (I/O error, damaged gzip); events before the failure have been delivered.
  /// `first_line` numbers the stream's first line; `ndjson` skips the shape detection
  /// (a part of an NDJSON file that SplitAtLines cut).
  Status Read(ByteStream* stream, const ReadCallbacks& callbacks, ReadSummary* summary,
              uint64_t first_line = 1, bool ndjson = false);

 private:
  void HandleLine(const char* p, size_t n, size_t capacity, uint64_t line, const ReadCallbacks& cb);
  /// Each document of `pieces` (views into `whole`, the buffer) on its own.
  void EmitPieces(const std::vector<std::string_view>& pieces, std::string_view whole,
                  const ReadCallbacks& cb);

  std::string buf_;  // data then simdjson::SIMDJSON_PADDING spare bytes
  size_t data_len_ = 0;
  simdjson::ondemand::parser outer_;
  ReadSummary* summary_ = nullptr;
};

}  // namespace cairn::engine
