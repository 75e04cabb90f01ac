// Text log formats: one record a line (VPC flow logs, CloudFront and S3 access logs). A
// TextLogFormat says whether an input is in its format, what each line is (a record and its
// fields, a header or directive, or a bad line) and when a record happened; ReadTextLog runs
// one over a stream; DelimitedEventBuilder makes the stored event. Adding a format is one
// more TextLogFormat. Formats keep header state per input: not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/delimited_event.h"
#include "engine/ingest/input_source.h"

namespace cairn::engine {

/// CloudWatch Logs log events that are not in a format of their own.
inline constexpr char kCloudWatchLogsSourcetype[] = "aws:cloudwatchlogs";

class TextLogFormat {
 public:
  /// kShortRecord: a record with fewer fields than its layout names, kept with the fields
  /// it has (`error` says what is missing).
  enum class Line { kRecord, kShortRecord, kHeader, kBad };

  virtual ~TextLogFormat() = default;
  virtual const char* sourcetype() const = 0;
  /// What writes one field after another: ' ' or '\t'.
  virtual char separator() const = 0;
  /// True if `head`, the first bytes of an input (at least its first line), is in this format.
  virtual bool Matches(std::string_view head) const = 0;
  /// Forgets the headers of the previous input.
  virtual void StartInput() {}
  /// True if the format has header lines (they change how the lines after them are read).
  virtual bool HasHeaders() const { return false; }
  /// True if `line` is a header or directive that Parse would take as such, whatever came
  /// before it.
  virtual bool IsHeaderLine(std::string_view /*line*/) const { return false; }
  /// The byte every header line starts with ('#' for W3C directives), or 0 when header
  /// lines have no mark of their own.
  virtual char header_mark() const { return 0; }
  /// What `line` (without its line end) is. For a record, fills record->tokens, enclosures
  /// and names (which stay valid until the next call); for a bad line, `error`.
  virtual Line Parse(std::string_view line, DelimitedRecord* record, std::string* error) = 0;
  /// When a record happened, in microseconds since the epoch.
  virtual std::optional<int64_t> Time(const DelimitedRecord& record) = 0;
};

/// The text log formats cairn reads, in the order inputs are matched against them.
std::vector<std::unique_ptr<TextLogFormat>> TextLogFormats();

/// The index in `formats` of the text log format of an input that starts with `head`
/// (its first line that is not a directive, at least), or -1 for JSON and other text.
int MatchTextFormat(std::string_view head, const std::vector<std::unique_ptr<TextLogFormat>>& formats);

/// The header lines in force at byte `offset` (a line start) of a plain file in `format`:
/// the last run of header lines before it, in file order; none when there is none.
Result<std::vector<std::string>> HeaderLinesBefore(const InputFile& file, uint64_t offset,
                                                   const TextLogFormat& format);

/// Reads `stream` to its end in `format`: records go to callbacks.on_record, bad lines to
/// on_error ("line 12"). `headers` (lines from before the stream, when it is a part of a
/// file) are read first, as headers. Non-OK only when the stream itself failed.
Status ReadTextLog(ByteStream* stream, TextLogFormat* format, const DelimitedCallbacks& callbacks,
                   ReadSummary* summary, const std::vector<std::string>& headers = {});

}  // namespace cairn::engine
