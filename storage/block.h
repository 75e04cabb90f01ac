// Checksummed, optionally LZ4-compressed blocks: the unit every segment section is stored
// in. A block is [codec u8][raw size u32][stored size u32][crc32 of stored bytes u32]
// [stored bytes]. Decoding verifies sizes and the checksum before it trusts a byte.
// Stateless functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "storage/status.h"

namespace cairn::storage {

constexpr size_t kBlockHeaderSize = 13;

/// CRC-32C (Castagnoli polynomial) of the bytes.
uint32_t Crc32(std::string_view data);

/// Appends one block holding `raw` to `out`; compresses with LZ4 when `compress` is set and
/// that saves space (bitmaps are stored uncompressed so that queries read them in place).
void EncodeBlock(std::string_view raw, std::string* out, bool compress = true);

/// True if the block at the start of `data` is stored uncompressed.
inline bool IsRawBlock(std::string_view data) { return !data.empty() && data[0] == 0; }

/// Checks the block at the start of `data` and returns a view of its stored bytes without
/// copying; fails on an LZ4-compressed block.
Status ViewRawBlock(std::string_view data, const std::string& what, std::string_view* raw);

/// Decodes the block at the start of `data` into `raw`; sets `consumed` to its full size.
/// `what` names the block in error messages (e.g. "segment 3 field eventName dictionary").
Status DecodeBlock(std::string_view data, const std::string& what, std::string* raw, size_t* consumed);

}  // namespace cairn::storage
