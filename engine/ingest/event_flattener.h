// EventFlattener turns one JSON event into what a segment stores: dotted field paths
// ("userIdentity.sessionContext.attributes.creationDate", "resources{}.ARN") with typed
// values in document order, the event's shape, and its time. It then checks that the
// shape rebuild reproduces the input text byte for byte; when it does not (whitespace,
// escapes, reserved keys), the event keeps its original text. Not thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/segment_builder.h"

namespace cairn::engine {

struct FlatEvent {
  std::string shape;  ///< empty when `verbatim` is set
  std::vector<storage::FieldValue> values;
  std::optional<int64_t> time_us;  ///< from eventTime, else @timestamp
  bool verbatim = false;
  bool digest = false;  ///< a CloudTrail digest record, not an event
};

class EventFlattener {
 public:
  explicit EventFlattener(storage::SegmentBuilder* builder) : builder_(builder) {}
  /// Field ids come from this builder from now on.
  void set_builder(storage::SegmentBuilder* builder) {
    builder_ = builder;
    field_cache_.clear();
  }

  /// Flattens the event object in text[0, len); bytes up to `capacity` must be readable
  /// (simdjson padding). On malformed JSON returns false and sets `error`.
  bool Flatten(const char* text, size_t len, size_t capacity, FlatEvent* out, std::string* error);

 private:
  bool Walk(simdjson::ondemand::value value, FlatEvent* out, std::string* error);
  bool AddScalar(simdjson::ondemand::value value, simdjson::ondemand::json_type type, FlatEvent* out,
                 std::string* error);
  /// True if the shape and values of `event` rebuild `raw` (the trimmed event text) byte for
  /// byte.
  bool RebuildsExactly(std::string_view raw, const FlatEvent& event);
  /// The builder's id for path_, remembered by the value's position in the event: events
  /// of one kind put the same paths in the same places, so most lookups skip the hash.
  uint32_t PathFieldId();

  storage::SegmentBuilder* builder_;
  simdjson::ondemand::parser parser_;
  std::string path_;
  std::vector<std::pair<std::string, uint32_t>> field_cache_;  // by value position
  size_t value_position_ = 0;
  std::string rendered_;
  std::vector<storage::TypedText> render_values_;
};

}  // namespace cairn::engine
