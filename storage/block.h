// Checksummed blocks: the unit every segment section is stored in. A block is
// [codec u8][raw size u32][stored size u32][crc32 u32][stored bytes]. Codecs: stored as is
// or LZ4-compressed (the CRC covers the stored bytes), or chunk-checked: stored as is with a
// CRC per 4 KiB chunk, so that a query reading a few bytes of a large section in place
// checks only the chunks it touches (the header CRC then covers the chunk CRC table).
// Nothing is trusted before its checksum is verified. The functions are stateless; a
// CheckedView remembers which chunks it has verified and belongs to one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace cairn::storage {

constexpr size_t kBlockHeaderSize = 13;

/// CRC-32C (Castagnoli polynomial) of the bytes.
uint32_t Crc32(std::string_view data);

/// True if `crc` is the CRC-32C of `data`. A build for fuzzing (`make fuzz`, which defines
/// FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) takes every checksum as right, so that the
/// fuzzer reaches the decoders behind them; they must stand on their own.
inline bool ChecksumMatches(std::string_view data, uint32_t crc) {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  (void)data;
  (void)crc;
  return true;
#else
  return Crc32(data) == crc;
#endif
}

/// Appends one block holding `raw` to `out`; compresses with LZ4 when `compress` is set and
/// the result takes at most `max_ratio` of the raw size (bitmaps are stored uncompressed so
/// that queries read them in place).
void EncodeBlock(std::string_view raw, std::string* out, bool compress = true, double max_ratio = 1.0);

/// True if the block at the start of `data` is stored uncompressed (as is or chunk-checked).
inline bool IsRawBlock(std::string_view data) { return !data.empty() && (data[0] == 0 || data[0] == 2); }

/// Checks the block at the start of `data` and returns a view of its stored bytes without
/// copying; fails on an LZ4-compressed block. A chunk-checked block is checked in full.
Status ViewRawBlock(std::string_view data, const std::string& what, std::string_view* raw);

constexpr size_t kCheckedChunkBytes = 4096;

/// Appends one chunk-checked block holding `raw` to `out`.
void EncodeCheckedBlock(std::string_view raw, std::string* out);

/// A chunk-checked block read in place: Check() verifies the chunks under a byte range
/// (once each) before the caller reads it.
class CheckedView {
 public:
  /// Checks the header and chunk table of the chunk-checked block at the start of `data`.
  static Result<CheckedView> Open(std::string_view data, const std::string& what);

  std::string_view data() const { return data_; }
  /// Verifies the chunks holding bytes [offset, offset + size) of data(); Corruption (naming
  /// `what` and the chunk) on a mismatch or a range outside the block.
  Status Check(size_t offset, size_t size, const std::string& what) const;
  /// Verifies every chunk.
  Status CheckAll(const std::string& what) const { return Check(0, data_.size(), what); }

 private:
  std::string_view data_;
  const char* crcs_ = nullptr;
  mutable std::vector<uint64_t> verified_;  // one bit per chunk
};

/// Decodes the block at the start of `data` into `raw`; sets `consumed` to its full size.
/// `what` names the block in error messages (e.g. "segment 3 field eventName dictionary").
Status DecodeBlock(std::string_view data, const std::string& what, std::string* raw, size_t* consumed);

}  // namespace cairn::storage
