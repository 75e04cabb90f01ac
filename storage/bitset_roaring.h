// Turning a plain bitset (bit r of word r / 64 set for row r) into a roaring bitmap at once:
// the bitset is written in roaring's portable serialization, one container per 65,536
// rows (a bitset container when dense, an array when sparse), and read back. A scan that
// marks its hits in words is far cheaper this way than adding rows one by one. Also reading
// a stored bitmap without trusting it (ReadStoredBitmap). Stateless.
#pragma once

#include <cstdint>
#include <roaring/roaring.hh>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace cairn::storage {

/// The rows whose bits are set in `words`.
Roaring RoaringFromWords(const std::vector<uint64_t>& words);

/// Reads a bitmap in roaring's portable serialization from `bytes` into `out`: Corruption
/// (naming `what`) when the bytes are not one, or when it holds a row of `rows` or past it.
/// `well_formed`: the same bytes passed this check before, so their containers are not
/// walked again (the row bound is still checked; it costs nothing).
Status ReadStoredBitmap(std::string_view bytes, uint32_t rows, const std::string& what, Roaring* out,
                        bool well_formed = false);

}  // namespace cairn::storage
