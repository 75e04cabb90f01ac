#include "storage/block.h"

#include <lz4.h>

#include <cstring>
#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

#include "storage/coding.h"

namespace cairn::storage {

namespace {
enum : uint8_t { kCodecNone = 0, kCodecLz4 = 1, kCodecChecked = 2 };

size_t ChunkCount(size_t bytes) { return (bytes + kCheckedChunkBytes - 1) / kCheckedChunkBytes; }
}

uint32_t Crc32(std::string_view data) {
  // CRC-32C (Castagnoli), with the SSE4.2 instruction where the build targets it.
  const char* p = data.data();
  size_t n = data.size();
  uint64_t crc = 0xffffffffu;
#if defined(__SSE4_2__)
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    crc = _mm_crc32_u64(crc, w);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(crc);
  while (n > 0) {
    c32 = _mm_crc32_u8(c32, static_cast<uint8_t>(*p++));
    --n;
  }
  return ~c32;
#else
  uint32_t c32 = static_cast<uint32_t>(crc);
  while (n > 0) {
    c32 ^= static_cast<uint8_t>(*p++);
    for (int k = 0; k < 8; ++k) c32 = (c32 >> 1) ^ (0x82f63b78u & (0u - (c32 & 1u)));
    --n;
  }
  return ~c32;
#endif
}

void EncodeBlock(std::string_view raw, std::string* out, bool compress, double max_ratio) {
  std::string compressed;
  std::string_view stored = raw;
  uint8_t codec = kCodecNone;
  if (compress && raw.size() >= 64) {
    compressed.resize(LZ4_compressBound(static_cast<int>(raw.size())));
    int n = LZ4_compress_default(raw.data(), compressed.data(), static_cast<int>(raw.size()),
                                 static_cast<int>(compressed.size()));
    if (n > 0 && static_cast<size_t>(n) < raw.size() && static_cast<double>(n) <= static_cast<double>(raw.size()) * max_ratio) {
      compressed.resize(n);
      stored = compressed;
      codec = kCodecLz4;
    }
  }
  ByteWriter w(out);
  w.PutU8(codec);
  w.PutU32(static_cast<uint32_t>(raw.size()));
  w.PutU32(static_cast<uint32_t>(stored.size()));
  w.PutU32(Crc32(stored));
  w.PutRaw(stored.data(), stored.size());
}

void EncodeCheckedBlock(std::string_view raw, std::string* out) {
  size_t chunks = ChunkCount(raw.size());
  std::string table;
  ByteWriter tw(&table);
  for (size_t c = 0; c < chunks; ++c) tw.PutU32(Crc32(raw.substr(c * kCheckedChunkBytes, kCheckedChunkBytes)));
  ByteWriter w(out);
  w.PutU8(kCodecChecked);
  w.PutU32(static_cast<uint32_t>(raw.size()));
  w.PutU32(static_cast<uint32_t>(table.size() + raw.size()));
  w.PutU32(Crc32(table));
  w.PutRaw(table.data(), table.size());
  w.PutRaw(raw.data(), raw.size());
}

Result<CheckedView> CheckedView::Open(std::string_view data, const std::string& what) {
  ByteReader r(data);
  uint8_t codec = r.GetU8();
  uint32_t raw_size = r.GetU32();
  uint32_t stored_size = r.GetU32();
  uint32_t crc = r.GetU32();
  if (!r.ok()) return Status::Corruption(what + ": block truncated");
  if (codec != kCodecChecked) return Status::Corruption(what + ": expected a chunk-checked block");
  size_t table_bytes = ChunkCount(raw_size) * 4;
  if (stored_size != table_bytes + raw_size) return Status::Corruption(what + ": block size mismatch");
  std::string_view table = r.GetRaw(table_bytes);
  std::string_view raw = r.GetRaw(raw_size);
  if (!r.ok()) return Status::Corruption(what + ": block truncated");
  if (!ChecksumMatches(table, crc))
    return Status::Corruption(what + ": block checksum mismatch (chunk table)");
  CheckedView v;
  v.data_ = raw;
  v.crcs_ = table.data();
  v.verified_.assign((ChunkCount(raw_size) + 63) / 64, 0);
  return v;
}

Status CheckedView::Check(size_t offset, size_t size, const std::string& what) const {
  if (offset > data_.size() || size > data_.size() - offset)
    return Status::Corruption(what + ": read outside the block");
  if (size == 0) return Status::OK();
  for (size_t c = offset / kCheckedChunkBytes, last = (offset + size - 1) / kCheckedChunkBytes; c <= last; ++c) {
    uint64_t bit = 1ull << (c & 63);
    if (verified_[c >> 6] & bit) continue;
    uint32_t expected;
    std::memcpy(&expected, crcs_ + c * 4, 4);
    if (!ChecksumMatches(data_.substr(c * kCheckedChunkBytes, kCheckedChunkBytes), expected))
      return Status::Corruption(what + ": block checksum mismatch in chunk " + std::to_string(c));
    verified_[c >> 6] |= bit;
  }
  return Status::OK();
}

Status DecodeBlock(std::string_view data, const std::string& what, std::string* raw, size_t* consumed) {
  ByteReader r(data);
  uint8_t codec = r.GetU8();
  uint32_t raw_size = r.GetU32();
  uint32_t stored_size = r.GetU32();
  uint32_t crc = r.GetU32();
  std::string_view stored = r.GetRaw(stored_size);
  if (!r.ok()) return Status::Corruption(what + ": block truncated");
  if (codec == kCodecChecked) {
    auto view = CheckedView::Open(data, what);
    if (!view.ok()) return view.status();
    Status s = view.value().CheckAll(what);
    if (!s.ok()) return s;
    raw->assign(view.value().data());
    *consumed = kBlockHeaderSize + stored_size;
    return Status::OK();
  }
  if (!ChecksumMatches(stored, crc)) return Status::Corruption(what + ": block checksum mismatch");
  if (codec == kCodecNone) {
    if (raw_size != stored_size) return Status::Corruption(what + ": block size mismatch");
    raw->assign(stored.data(), stored.size());
  } else if (codec == kCodecLz4) {
    // LZ4 expands at most 255 times (a run of one byte): a larger size is damage, and must
    // not be allocated.
    if (raw_size > uint64_t{stored_size} * 255 + 16)
      return Status::Corruption(what + ": LZ4 block claims more bytes than it can hold");
    raw->resize(raw_size);
    int n = LZ4_decompress_safe(stored.data(), raw->data(), static_cast<int>(stored_size),
                                static_cast<int>(raw_size));
    if (n < 0 || static_cast<uint32_t>(n) != raw_size)
      return Status::Corruption(what + ": LZ4 data does not decode");
  } else {
    return Status::Corruption(what + ": unknown block codec " + std::to_string(codec));
  }
  *consumed = kBlockHeaderSize + stored_size;
  return Status::OK();
}

Status ViewRawBlock(std::string_view data, const std::string& what, std::string_view* raw) {
  ByteReader r(data);
  uint8_t codec = r.GetU8();
  uint32_t raw_size = r.GetU32();
  uint32_t stored_size = r.GetU32();
  uint32_t crc = r.GetU32();
  std::string_view stored = r.GetRaw(stored_size);
  if (!r.ok()) return Status::Corruption(what + ": block truncated");
  if (codec == kCodecChecked) {
    auto view = CheckedView::Open(data, what);
    if (!view.ok()) return view.status();
    Status s = view.value().CheckAll(what);
    if (!s.ok()) return s;
    *raw = view.value().data();
    return Status::OK();
  }
  if (codec != kCodecNone || raw_size != stored_size)
    return Status::Corruption(what + ": expected an uncompressed block");
  if (!ChecksumMatches(stored, crc)) return Status::Corruption(what + ": block checksum mismatch");
  *raw = stored;
  return Status::OK();
}

}  // namespace cairn::storage
