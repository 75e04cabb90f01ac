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

#include "engine/ingest/json_format.h"
#include "engine/ingest/path_tree.h"
#include "storage/segment_builder.h"

namespace cairn::engine {

struct FlatEvent {
  std::string shape;  ///< empty when `verbatim` is set
  std::vector<storage::FieldValue> values;
  std::optional<int64_t> time_us;         ///< where the event's format says its time is
  const JsonLogFormat* format = nullptr;  ///< the format the event is in (JSON events)
  /// Bytes of the compact text besides the values: brackets, commas, keys with their quotes
  /// and colons, nulls (keys counted as they stand, unescaped).
  size_t frame_bytes = 0;
  bool verbatim = false;
  bool digest = false;  ///< a CloudTrail digest record, not an event
  /// Set when the event was kept with less than all of it as fields (nesting deeper than
  /// kMaxJsonDepth): what to tell the user. The event's text is then kept whole.
  std::string warning;
};

/// Objects and arrays nested deeper than this are not flattened into fields (the event is
/// kept, verbatim, with a warning): the walk is recursive, and no real log nests this deep.
constexpr int kMaxJsonDepth = 512;
/// Values of one event indexed as fields: the rest are not (the event is kept, verbatim, with
/// a warning). Real events have tens to a few thousand.
constexpr size_t kMaxEventValues = 20000;

class EventFlattener {
 public:
  explicit EventFlattener(storage::SegmentBuilder* builder) : builder_(builder), formats_(JsonLogFormats()) {}
  /// Every event is in `format` (from --sourcetype and --time-field) instead of the one
  /// detected; `time_format` (strptime-like, may be empty) reads its time.
  void set_user_format(std::unique_ptr<JsonLogFormat> format, std::string time_format) {
    user_format_ = std::move(format);
    time_format_ = std::move(time_format);
  }
  /// Field ids come from this builder from now on.
  void set_builder(storage::SegmentBuilder* builder) {
    builder_ = builder;
    paths_.Forget();
  }

  /// Flattens the event object in text[0, len); bytes up to `capacity` must be readable
  /// (simdjson padding), finds its format and its time. `records` says the event came
  /// from a CloudTrail {"Records":[...]} file, which makes it CloudTrail. On malformed
  /// JSON returns false and sets `error`.
  bool Flatten(const char* text, size_t len, size_t capacity, FlatEvent* out, std::string* error,
               bool records = false);

 private:
  bool Walk(simdjson::ondemand::value value, uint32_t path, int depth, FlatEvent* out, std::string* error);
  bool AddScalar(simdjson::ondemand::value value, simdjson::ondemand::json_type type, uint32_t path,
                 FlatEvent* out, std::string* error);
  /// True if the shape and values of `event` rebuild `raw` (the trimmed event text) byte for
  /// byte.
  bool RebuildsExactly(std::string_view raw, const FlatEvent& event);
  /// The event's time where its format says (top-level members, else any flattened path).
  std::optional<int64_t> FindTime(const FlatEvent& event) const;
  /// The text and type of the first value at dotted `path`: a top-level scalar or a
  /// flattened value.
  bool ValueAt(const FlatEvent& event, const std::string& path, std::string_view* text,
               storage::ValueType* type) const;
  /// The builder's field id for a node of paths_.
  uint32_t FieldId(uint32_t path) {
    uint32_t id = paths_.field(path);
    if (id == PathTree::kNoField) {
      id = builder_->FieldId(paths_.Path(path));
      paths_.set_field(path, id);
    }
    return id;
  }
  storage::SegmentBuilder* builder_;
  simdjson::ondemand::parser parser_;
  PathTree paths_;
  std::string renamed_key_;  // orig_<key> for a top-level key named like one of cairn's own fields
  std::string rendered_;
  std::vector<storage::TypedText> render_values_;
  std::vector<std::unique_ptr<JsonLogFormat>> formats_;
  std::unique_ptr<JsonLogFormat> user_format_;
  std::string time_format_;
  std::vector<TopMember> top_scalars_;  // this event's, views valid until the next one
  std::vector<std::string_view> top_keys_;
};

}  // namespace cairn::engine
