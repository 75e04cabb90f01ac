#include "storage/block.h"

#include <lz4.h>

#include <cstring>
#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

#include "storage/coding.h"

namespace cairn::storage {

namespace {
enum : uint8_t { kCodecNone = 0, kCodecLz4 = 1 };
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

void EncodeBlock(std::string_view raw, std::string* out, bool compress) {
  std::string stored;
  uint8_t codec = kCodecNone;
  if (compress && raw.size() >= 64) {
    stored.resize(LZ4_compressBound(static_cast<int>(raw.size())));
    int n = LZ4_compress_default(raw.data(), stored.data(), static_cast<int>(raw.size()),
                                 static_cast<int>(stored.size()));
    if (n > 0 && static_cast<size_t>(n) < raw.size()) {
      stored.resize(n);
      codec = kCodecLz4;
    }
  }
  if (codec == kCodecNone) stored.assign(raw.data(), raw.size());
  ByteWriter w(out);
  w.PutU8(codec);
  w.PutU32(static_cast<uint32_t>(raw.size()));
  w.PutU32(static_cast<uint32_t>(stored.size()));
  w.PutU32(Crc32(stored));
  w.PutRaw(stored.data(), stored.size());
}

Status DecodeBlock(std::string_view data, const std::string& what, std::string* raw, size_t* consumed) {
  ByteReader r(data);
  uint8_t codec = r.GetU8();
  uint32_t raw_size = r.GetU32();
  uint32_t stored_size = r.GetU32();
  uint32_t crc = r.GetU32();
  std::string_view stored = r.GetRaw(stored_size);
  if (!r.ok()) return Status::Corruption(what + ": block truncated");
  if (Crc32(stored) != crc) return Status::Corruption(what + ": block checksum mismatch");
  if (codec == kCodecNone) {
    if (raw_size != stored_size) return Status::Corruption(what + ": block size mismatch");
    raw->assign(stored.data(), stored.size());
  } else if (codec == kCodecLz4) {
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
  if (codec != kCodecNone || raw_size != stored_size)
    return Status::Corruption(what + ": expected an uncompressed block");
  if (Crc32(stored) != crc) return Status::Corruption(what + ": block checksum mismatch");
  *raw = stored;
  return Status::OK();
}

}  // namespace cairn::storage
