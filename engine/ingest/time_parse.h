// Timestamps in the forms AWS logs and the tools around them write
// ("2025-12-29T19:59:23Z", "2025-12-29T19:59:23.123Z", "2023-01-10 20:10:41",
// "+02:00" offsets, "01/Aug/2019:00:24:41 +0000"), converted to microseconds since the Unix epoch, UTC. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::engine {

/// Parses an ISO-8601-like timestamp; nullopt if it is not one.
std::optional<int64_t> ParseTimestamp(std::string_view text);

/// Parses the common log format's time: "01/Aug/2019:00:24:41 +0000" (S3 access logs).
std::optional<int64_t> ParseCommonLogTime(std::string_view text);

/// "2025-12-29T19:59:23Z" (with ".ffffff" when the microseconds are not zero).
std::string FormatTimestamp(int64_t time_us);

}  // namespace cairn::engine
