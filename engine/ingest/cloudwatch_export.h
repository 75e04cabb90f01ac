// CloudWatch Logs exported to S3 (`aws logs create-export-task`): text files, often gzipped,
// of one log event per line written as `<ISO-8601 time> <message>`. Each line becomes a
// LogEvent, as a subscription payload's events do (a JSON message is flattened, a VPC flow
// line parsed, other text kept as it is). A line without a leading time continues the
// message before it (a message holding line breaks). Stateless functions.
#pragma once

#include <string_view>

#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/input_source.h"

namespace cairn::engine {

/// True if the first line of `head` (an input's first bytes) is `<ISO-8601 time> <text>`.
bool LooksLikeCloudWatchExport(std::string_view head);

/// Reads `stream` to its end: each log event to callbacks.on_log_event (its line the line
/// it starts on), a leading line without a time to on_error. Non-OK only when the stream
/// itself failed.
Status ReadCloudWatchExport(ByteStream* stream, const ReadCallbacks& callbacks, ReadSummary* summary);

}  // namespace cairn::engine
