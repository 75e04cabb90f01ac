// Record: one result row flowing through the pipeline — a search hit turned into fields,
// or a row made by a transforming command such as stats. Fields keep their insertion order;
// each holds zero (null), one or several (multivalue) values as text, as in Splunk, where
// numbers are text that parses as a number, and the kind JSON output gives them. `_time` is epoch seconds (with a fraction when
// needed) and `_raw` the event text. Plain value type.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/value.h"

namespace cairn::engine {

using cairn::ValueKind;

/// The values of one field in one record, as text (empty means null, several a multivalue),
/// with the kind of value they are (ValueKind, include/cairn/value.h). A cell is used as
/// the list of its values; the kind travels with it through the commands that move cells.
struct FieldCell : std::vector<std::string> {
  using std::vector<std::string>::vector;
  FieldCell(std::vector<std::string> values, ValueKind value_kind = ValueKind::kString)
      : std::vector<std::string>(std::move(values)), kind(value_kind) {}
  ValueKind kind = ValueKind::kString;
};

class Record {
 public:
  /// The field's values, or null when the record lacks it.
  const FieldCell* Get(std::string_view name) const {
    for (const auto& [n, v] : fields_)
      if (n == name) return &v;
    return nullptr;
  }
  /// Sets (or replaces) a field; an empty cell removes it.
  void Set(std::string_view name, FieldCell value) {
    for (auto& [n, v] : fields_) {
      if (n == name) {
        if (value.empty()) Remove(name);
        else v = std::move(value);
        return;
      }
    }
    if (!value.empty()) fields_.emplace_back(std::string(name), std::move(value));
  }
  void Remove(std::string_view name) {
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i].first == name) {
        fields_.erase(fields_.begin() + static_cast<long>(i));
        return;
      }
    }
  }
  const std::vector<std::pair<std::string, FieldCell>>& fields() const { return fields_; }
  std::vector<std::pair<std::string, FieldCell>>& mutable_fields() { return fields_; }

 private:
  std::vector<std::pair<std::string, FieldCell>> fields_;
};

}  // namespace cairn::engine
