// ReadLines hands each line of a byte stream to a callback, without its line end ("\n" or
// "\r\n"), numbered from 1; a last line without a newline counts too, unless the stream
// failed (it may be cut short). For text log formats
// (VPC flow logs, CloudFront access logs). Stateless.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/input_source.h"

namespace cairn::engine {

/// Reads `stream` to its end; non-OK only when the stream itself failed (the lines before
/// the failure have been handed over). `summary->bytes` counts the bytes read. A line longer
/// than kMaxLineBytes is reported to `on_error` ("line N", message) and skipped without being
/// held in memory.
Status ReadLines(ByteStream* stream,
                 const std::function<void(std::string_view line, uint64_t line_no)>& on_line,
                 const std::function<void(uint64_t disk_bytes)>& on_progress, ReadSummary* summary,
                 const std::function<void(const std::string& where, const std::string& message)>& on_error);

}  // namespace cairn::engine
