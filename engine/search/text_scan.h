// Case-insensitive substring search over large texts (dictionary scans for terms),
// without folding the text first: AVX2 compares of the needle's first and last bytes
// pick candidates, which are then confirmed byte by byte. Stateless.
#pragma once

#include <string_view>

namespace cairn::engine {

/// First position >= `from` where `hay` holds `needle` ignoring ASCII case; `needle` must
/// be folded (lower case). npos if none.
size_t FindFolded(std::string_view hay, std::string_view needle, size_t from);

}  // namespace cairn::engine
