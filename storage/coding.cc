#include "storage/coding.h"

namespace cairn::storage {

void ByteWriter::PutVarint(uint64_t v) {
  while (v >= 0x80) {
    out_->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_->push_back(static_cast<char>(v));
}

void ByteWriter::PutString(std::string_view s) {
  PutVarint(s.size());
  out_->append(s.data(), s.size());
}

uint8_t ByteReader::GetU8() {
  if (!ok_ || p_ >= end_) {
    ok_ = false;
    return 0;
  }
  return static_cast<uint8_t>(*p_++);
}

uint16_t ByteReader::GetU16() {
  uint16_t v = 0;
  std::string_view raw = GetRaw(2);
  if (ok_) std::memcpy(&v, raw.data(), 2);
  return v;
}

uint32_t ByteReader::GetU32() {
  uint32_t v = 0;
  std::string_view raw = GetRaw(4);
  if (ok_) std::memcpy(&v, raw.data(), 4);
  return v;
}

uint64_t ByteReader::GetU64() {
  uint64_t v = 0;
  std::string_view raw = GetRaw(8);
  if (ok_) std::memcpy(&v, raw.data(), 8);
  return v;
}

uint64_t ByteReader::GetVarint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b = GetU8();
    if (!ok_) return 0;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  ok_ = false;
  return 0;
}

std::string_view ByteReader::GetString() {
  uint64_t n = GetVarint();
  return GetRaw(n);
}

std::string_view ByteReader::GetRaw(size_t n) {
  if (!ok_ || static_cast<size_t>(end_ - p_) < n) {
    ok_ = false;
    return {};
  }
  std::string_view s(p_, n);
  p_ += n;
  return s;
}

int BitWidth(uint32_t max_value) {
  int w = 1;
  while (w < 32 && (max_value >> w) != 0) ++w;
  return w;
}

void BitPack(const uint32_t* values, size_t n, int width, std::string* out) {
  uint64_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= static_cast<uint64_t>(values[i]) << bits;
    bits += width;
    while (bits >= 8) {
      out->push_back(static_cast<char>(acc & 0xff));
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out->push_back(static_cast<char>(acc & 0xff));
}

bool BitUnpack(std::string_view data, size_t n, int width, uint32_t* out) {
  size_t need = (n * static_cast<size_t>(width) + 7) / 8;
  if (data.size() < need || width < 1 || width > 32) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  const uint64_t mask = (width == 32) ? 0xffffffffull : ((1ull << width) - 1);
  uint64_t acc = 0;
  int bits = 0;
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    while (bits < width) {
      acc |= static_cast<uint64_t>(p[pos++]) << bits;
      bits += 8;
    }
    out[i] = static_cast<uint32_t>(acc & mask);
    acc >>= width;
    bits -= width;
  }
  return true;
}

bool BitExtract(std::string_view data, size_t i, int width, uint32_t* out) {
  if (width < 1 || width > 32) return false;
  const size_t bit = i * static_cast<size_t>(width);
  const size_t first = bit / 8;
  const int shift = static_cast<int>(bit % 8);
  const size_t bytes = (static_cast<size_t>(shift + width) + 7) / 8;  // at most 5
  if (first > data.size() || data.size() - first < bytes) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data()) + first;
  uint64_t acc = 0;
  for (size_t b = 0; b < bytes; ++b) acc |= static_cast<uint64_t>(p[b]) << (8 * b);
  const uint64_t mask = (width == 32) ? 0xffffffffull : ((1ull << width) - 1);
  *out = static_cast<uint32_t>((acc >> shift) & mask);
  return true;
}

}  // namespace cairn::storage
