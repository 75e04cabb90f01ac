#include "engine/ingest/cloudwatch_export.h"

#include <optional>
#include <string>

#include "engine/ingest/line_reader.h"
#include "engine/ingest/time_parse.h"

namespace cairn::engine {

namespace {
// The time at the start of `line` and where its message begins: `2024-05-01T10:00:00.000Z `.
std::optional<int64_t> LeadingTime(std::string_view line, size_t* message_at) {
  size_t space = line.find(' ');
  if (space == std::string_view::npos || space < 20 || space > 35) return std::nullopt;
  std::string_view stamp = line.substr(0, space);
  if (stamp[4] != '-' || stamp[7] != '-' || stamp[10] != 'T') return std::nullopt;
  auto t = ParseTimestamp(stamp);
  if (!t) return std::nullopt;
  *message_at = space + 1;
  return t;
}
}  // namespace

bool LooksLikeCloudWatchExport(std::string_view head) {
  std::string_view line = head.substr(0, head.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t at = 0;
  return LeadingTime(line, &at).has_value();
}

Status ReadCloudWatchExport(ByteStream* stream, const ReadCallbacks& callbacks, ReadSummary* summary) {
  std::string message;
  std::optional<int64_t> time_us;
  uint64_t first_line = 0;
  bool cut = false;  // the message reached kMaxLineBytes: its further lines are dropped
  auto flush = [&] {
    if (!time_us) return;
    LogEvent ev;
    ev.message = message;
    ev.timestamp_ms = *time_us / 1000;
    ev.line = first_line;
    callbacks.on_log_event(ev);
    time_us.reset();
  };
  auto on_line = [&](std::string_view line, uint64_t line_no) {
    size_t at = 0;
    if (auto t = LeadingTime(line, &at)) {
      flush();
      cut = false;
      time_us = t;
      message.assign(line.substr(at));
      first_line = line_no;
      return;
    }
    if (time_us) {  // the message goes on over a line break
      if (message.size() + 1 + line.size() > kMaxLineBytes) {
        if (!cut)
          callbacks.on_error("line " + std::to_string(line_no),
                             "the message begun on line " + std::to_string(first_line) + " grows past " +
                                 std::to_string(kMaxLineBytes >> 20) +
                                 " MiB, cairn's limit for one event: kept up to the line before");
        cut = true;
        return;
      }
      message.push_back('\n');
      message.append(line);
      return;
    }
    if (!line.empty())
      callbacks.on_error("line " + std::to_string(line_no),
                         "not a CloudWatch Logs export line (no leading ISO-8601 time)");
  };
  Status s = ReadLines(stream, on_line, callbacks.on_progress, summary, callbacks.on_error);
  flush();
  return s;
}

}  // namespace cairn::engine
