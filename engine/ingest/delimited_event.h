// DelimitedEventBuilder turns one line of a delimited text log (VPC flow logs, CloudFront
// and S3 access logs) into what a segment stores: a value per field, typed (whole numbers are
// numbers), "-" and empty fields absent, and a line shape ('f' field, 'r' value, 't' the
// separators and dashes) that rebuilds the line byte for byte. A line the shape would not
// rebuild (other spacing) is verbatim. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/ingest/event_flattener.h"
#include "storage/segment_builder.h"

namespace cairn::engine {

/// One record of a delimited text log, as its reader found it.
struct DelimitedRecord {
  std::string_view line;                  ///< without the line end
  uint64_t line_no = 0;                   ///< 1-based
  const std::vector<std::string>* names;  ///< field names, one per token
  /// Changes whenever *names is rewritten in place (a new header line); names appended
  /// to it keep it.
  uint64_t names_version = 0;
  std::vector<std::string_view> tokens;  ///< without their enclosures
  std::vector<char> enclosures;          ///< per token: 0, '"' or '[' (then closed by ']'); may be empty
};

struct DelimitedCallbacks {
  std::function<void(const DelimitedRecord&)> on_record;
  /// A line that is not a record (where = "line 12"); reading goes on.
  std::function<void(const std::string& where, const std::string& message)> on_error;
  /// A line kept in part (where = "line 12").
  std::function<void(const std::string& where, const std::string& message)> on_warning;
  std::function<void(uint64_t disk_bytes)> on_progress;
};

class DelimitedEventBuilder {
 public:
  explicit DelimitedEventBuilder(storage::SegmentBuilder* builder) : builder_(builder) {}
  /// Field ids come from this builder from now on.
  void set_builder(storage::SegmentBuilder* builder) {
    builder_ = builder;
    field_ids_.clear();
    shapes_.clear();
  }

  /// Fills `out` (shape, values; no time) from `record`: its tokens are the fields of its
  /// line in order, written with one `separator` between each two, and within quotes or
  /// brackets where its enclosures say so.
  void Build(const DelimitedRecord& record, char separator, FlatEvent* out);

 private:
  uint32_t FieldId(const std::string& name);

  storage::SegmentBuilder* builder_;
  std::vector<std::pair<std::string, uint32_t>> field_ids_;
  // Shapes made so far for the current names: lines of one layout with the same fields
  // absent share one. The key is, per token, its enclosure and whether it is absent.
  struct CachedShape {
    std::string shape;
    std::vector<uint32_t> ids;  // the field id of each value, in order
  };
  static constexpr size_t kMaxCachedShapes = 256;
  std::vector<std::string> shape_names_;
  const std::vector<std::string>* names_seen_ = nullptr;  // the names shape_names_ was checked against
  uint64_t names_version_seen_ = 0;
  std::unordered_map<std::string, CachedShape> shapes_;
  std::string key_;
  std::string pending_text_;
  std::string renamed_;  // orig_<name> for a field named like one of cairn's own
};

/// Positions of some fields (a record's time fields) in a format's field names, looked up
/// again only when the names change, not for every record.
class FieldPositions {
 public:
  static constexpr size_t kAbsent = static_cast<size_t>(-1);
  explicit FieldPositions(std::vector<std::string> wanted) : wanted_(std::move(wanted)) {}
  /// The position of each wanted field in `names`, kAbsent where it is not.
  const std::vector<size_t>& Of(const std::vector<std::string>* names);
  /// The names behind the pointer last asked about have changed (a new header).
  void Forget() { names_ = nullptr; }

 private:
  std::vector<std::string> wanted_;
  const std::vector<std::string>* names_ = nullptr;
  std::vector<size_t> positions_;
};

/// The value of a whole number of up to 18 digits, else -1.
int64_t ParseDigits(std::string_view text);

/// The fields of `line` between runs of spaces and tabs.
void SplitAtBlanks(std::string_view line, std::vector<std::string_view>* tokens);

/// The fields of `line` between single spaces, where a field that starts with '"' runs to
/// the next '"' and one that starts with '[' to the next ']' (tokens without them, the
/// enclosure of each in `enclosures`). False if a quote or bracket is not closed or text
/// follows one.
bool SplitQuotedFields(std::string_view line, std::vector<std::string_view>* tokens,
                       std::vector<char>* enclosures);

/// The first line of `head` with text on it, without its line end.
std::string_view FirstLine(std::string_view head);

}  // namespace cairn::engine
