// Splunk's strftime and strptime conversions, always in UTC: %Y %y %m %d %e %H %k %I %l %M
// %S %p %b %h %B %a %A %j %u %w %Z %z %s %T %F %D %R %c %n %t %%, and subseconds as %N
// (nine digits) or %<w>N, %Q (three digits) or %<w>Q, and %f (six digits). Times are
// microseconds since the epoch. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::engine {

/// `format` with each conversion replaced by its part of `time_us`; unknown conversions are
/// copied as written.
std::string FormatTime(int64_t time_us, std::string_view format);

/// Reads `text` by `format`. Whitespace in the format matches any run of whitespace; text
/// after the end of the format is ignored; missing date parts default to 1970-01-01 and
/// missing time parts to zero. Nullopt if the text does not fit or a part is out of range.
std::optional<int64_t> ParseTime(std::string_view text, std::string_view format);

}  // namespace cairn::engine
