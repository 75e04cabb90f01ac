// Byte-level encoding helpers: little-endian fixed integers, LEB128 varints, and
// bit-packed uint32 arrays. ByteWriter appends to a string; ByteReader reads from a
// span and reports overruns through ok() instead of reading past the end.
// Not thread-safe; each instance belongs to one thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::storage {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}
  void PutU8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void PutU32(uint32_t v) { PutRaw(&v, 4); }
  void PutU64(uint64_t v) { PutRaw(&v, 8); }
  void PutI64(int64_t v) { PutRaw(&v, 8); }
  void PutVarint(uint64_t v);
  /// A varint length followed by the bytes.
  void PutString(std::string_view s);
  void PutRaw(const void* p, size_t n) { out_->append(static_cast<const char*>(p), n); }
  size_t size() const { return out_->size(); }

 private:
  std::string* out_;
};

class ByteReader {
 public:
  ByteReader(const char* data, size_t size) : p_(data), end_(data + size) {}
  explicit ByteReader(std::string_view s) : ByteReader(s.data(), s.size()) {}
  uint8_t GetU8();
  uint16_t GetU16();
  uint32_t GetU32();
  uint64_t GetU64();
  int64_t GetI64() { return static_cast<int64_t>(GetU64()); }
  uint64_t GetVarint();
  std::string_view GetString();
  std::string_view GetRaw(size_t n);
  /// False once any read ran past the end; later reads return zeros.
  bool ok() const { return ok_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const char* position() const { return p_; }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

/// Bits needed to store values up to max_value (at least 1).
int BitWidth(uint32_t max_value);
/// Appends values packed at `width` bits each.
void BitPack(const uint32_t* values, size_t n, int width, std::string* out);
/// Reads n values packed at `width` bits; false if `data` is too short.
bool BitUnpack(std::string_view data, size_t n, int width, uint32_t* out);
/// Value `i` of values packed as BitPack writes them, read alone; false if `data` is too
/// short to hold it or `width` is outside 1..32.
bool BitExtract(std::string_view data, size_t i, int width, uint32_t* out);

}  // namespace cairn::storage
