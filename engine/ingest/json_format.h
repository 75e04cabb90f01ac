// JSON log formats: the JSON counterpart of TextLogFormat. A JsonLogFormat says whether an
// event object is its own (from the event's top-level keys and scalar values), which
// sourcetype it gets and where its time is. CloudTrail is one format among GuardDuty
// findings, Security Hub findings, EventBridge events, WAF logs, CloudFront real-time logs
// and Route 53 resolver query logs; JSON no format claims is `_json`. Adding a format is
// one more entry in JsonLogFormats(). Immutable once built; safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/shape.h"

namespace cairn::engine {

/// One top-level member of an event object whose value is a scalar (string, number,
/// boolean): the key unescaped, the value's text (a string's unescaped text).
struct TopMember {
  std::string_view key;
  std::string_view text;
  storage::ValueType type;
};

/// Where an event's time is: a dotted path ("updatedAt", "detail.updatedAt"), optionally
/// followed by a second path whose text is appended after a space (CloudFront's "date" and
/// "time"). A string is read as an ISO-8601-like timestamp, a number as epoch seconds,
/// milliseconds or microseconds (by its size).
struct TimePath {
  std::string path;
  std::string then;  ///< the second path, or empty
};

class JsonLogFormat {
 public:
  JsonLogFormat(std::string name, std::string sourcetype, std::vector<TimePath> times)
      : name_(std::move(name)), sourcetype_(std::move(sourcetype)), times_(std::move(times)) {}
  virtual ~JsonLogFormat() = default;
  /// The format's name in messages and docs ("cloudtrail", "guardduty").
  const std::string& name() const { return name_; }
  const std::string& sourcetype() const { return sourcetype_; }
  /// The places its time may be, in order of preference.
  const std::vector<TimePath>& times() const { return times_; }
  /// True if an event with these top-level scalar members and keys is in this format.
  virtual bool Matches(const std::vector<TopMember>& scalars,
                       const std::vector<std::string_view>& keys) const = 0;

 private:
  std::string name_, sourcetype_;
  std::vector<TimePath> times_;
};

/// The JSON formats cairn knows, in the order events are matched against them; the last
/// one (`_json`) matches every object.
std::vector<std::unique_ptr<JsonLogFormat>> JsonLogFormats();

/// The format of an event, from the list (never null: the list ends with `_json`).
const JsonLogFormat* DetectJsonFormat(const std::vector<std::unique_ptr<JsonLogFormat>>& formats,
                                      const std::vector<TopMember>& scalars,
                                      const std::vector<std::string_view>& keys);

/// A format made from --sourcetype and --time-field: every event is its own.
std::unique_ptr<JsonLogFormat> MakeUserJsonFormat(const std::string& sourcetype,
                                                  const std::string& time_field);

/// The time a value's text gives: a timestamp string (`format`, strptime-like, when given;
/// else any form ParseTimestamp knows), or a number of epoch seconds, milliseconds or
/// microseconds.
std::optional<int64_t> TimeFromText(std::string_view text, storage::ValueType type,
                                    const std::string& format);

/// A dotted path as a JSON pointer ("detail.updatedAt" -> "/detail/updatedAt").
std::string JsonPointer(std::string_view dotted);

}  // namespace cairn::engine
