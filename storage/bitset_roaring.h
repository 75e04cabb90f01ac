// Turning a plain bitset (bit r of word r / 64 set for row r) into a roaring bitmap at once:
// the bitset is written in roaring's portable serialization, one container per 65,536
// rows (a bitset container when dense, an array when sparse), and read back. A scan that
// marks its hits in words is far cheaper this way than adding rows one by one. Stateless.
#pragma once

#include <cstdint>
#include <roaring/roaring.hh>
#include <vector>

namespace cairn::storage {

/// The rows whose bits are set in `words`.
Roaring RoaringFromWords(const std::vector<uint64_t>& words);

}  // namespace cairn::storage
