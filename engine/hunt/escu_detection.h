// Splunk ESCU detections (security_content's detections/*.yml): name, id, author, MITRE
// ATT&CK ids, risk score and the search, which runs as SPL with ESCU's macros and lookup
// definitions (the macros/ and lookups/ directories beside detections/, when present).
// Detections over CIM data models (`tstats`) or the Machine Learning Toolkit (`apply`,
// `anomalydetection`) are refused with that reason. Stateless.
#pragma once

#include <string>

#include "cairn/hunt.h"

namespace cairn::engine {

/// True when the YAML document looks like an ESCU detection (top-level `search:` and `name:`).
bool LooksLikeEscu(const std::string& yaml);

/// The detection in `yaml` (the text of `file`); false with `problem` set when it cannot run.
bool ParseEscuDetection(const std::string& yaml, const std::string& file, HuntRule* rule, HuntProblem* problem);

}  // namespace cairn::engine
