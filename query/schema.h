// IndexSchema: the field names an index holds, as the binder resolves names against them. A
// name written without `{}` also denotes the fields that equal it once their `{}` are
// removed (`resources.ARN` finds `resources{}.ARN`, as Sigma rules write paths). Built once
// per opened index; read-only afterwards, so safe to share between threads.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace cairn::query {

class IndexSchema {
 public:
  IndexSchema() = default;
  explicit IndexSchema(std::vector<std::string> fields);

  /// Every field name, sorted.
  const std::vector<std::string>& fields() const { return fields_; }
  /// The fields `name` denotes: itself if the index has it, then its `{}` forms.
  std::vector<std::string> Resolve(const std::string& name) const;
  /// The fields inside object `name` (`name.x`, `name{}.x`, `name.a{}.b`, ...): where a
  /// Sigma rule names an object, its leaves. An array of scalars (`name{}`) is Resolve's.
  std::vector<std::string> Children(const std::string& name) const;
  /// Up to three field names close to `name` (the same letters in another case first, then
  /// the nearest by edit distance), for "did you mean" hints.
  std::vector<std::string> Suggest(const std::string& name) const;

 private:
  std::vector<std::string> fields_;
  std::unordered_map<std::string, bool> exact_;
  std::unordered_map<std::string, std::vector<std::string>> by_stripped_name_;
};

/// `name` without any "{}" (array markers).
std::string StripArrayMarkers(const std::string& name);

}  // namespace cairn::query
