// Splunk time modifiers for earliest= and latest=: "now", relative offsets with optional
// snapping ("-24h", "-7d@d", "@w1", "+1h"), absolute times ("2025-12-29T19:59:23Z",
// "12/29/2025:19:59:23", "12/29/2025") and epoch seconds. Resolved against a given "now"
// in UTC. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::query {

/// Microseconds since the epoch for `text`, or nullopt with `error` set.
std::optional<int64_t> ResolveTimeModifier(std::string_view text, int64_t now_us, std::string* error);

}  // namespace cairn::query
