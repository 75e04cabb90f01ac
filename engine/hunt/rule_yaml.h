// What the YAML rule readers (sigma_rule.h, escu_detection.h) share: telling a rule's kind
// from its top-level keys, loading the document with a located error, and reading scalars
// and lists leniently (a missing key is empty). Stateless.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "cairn/hunt.h"

namespace cairn::engine {

/// True when `yaml` has every key of `keys` at the top level (at the start of a line).
bool HasTopLevelKeys(const std::string& yaml, const std::vector<const char*>& keys);

/// Parses `yaml`; false with `problem` (line and message) set when it is not valid YAML.
bool LoadYaml(const std::string& yaml, YAML::Node* doc, HuntProblem* problem);

/// The 1-based line of `n`, or 0.
int LineOf(const YAML::Node& n);

/// A scalar's text, or "" for anything else.
std::string ScalarOf(const YAML::Node& n);

/// A list of scalars (a lone scalar is a list of one).
std::vector<std::string> ScalarList(const YAML::Node& n);

}  // namespace cairn::engine
