#include "storage/bitset_roaring.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace cairn::storage {

namespace {
constexpr uint32_t kNoRunCookie = 12346;       // roaring's portable format, no run containers
constexpr uint32_t kWordsPerContainer = 1024;  // 65,536 rows
constexpr uint32_t kArrayMaxCardinality = 4096;

void PutU16(std::string* out, uint16_t v) {
  out->append(reinterpret_cast<const char*>(&v), 2);
}
void PutU32(std::string* out, uint32_t v) {
  out->append(reinterpret_cast<const char*>(&v), 4);
}
}  // namespace

Roaring RoaringFromWords(const std::vector<uint64_t>& words) {
  struct Container {
    uint16_t key;
    uint32_t cardinality;
    size_t first_word;
  };
  std::vector<Container> containers;
  for (size_t first = 0; first < words.size(); first += kWordsPerContainer) {
    uint32_t n = 0;
    size_t end = std::min(words.size(), first + kWordsPerContainer);
    for (size_t w = first; w < end; ++w) n += static_cast<uint32_t>(__builtin_popcountll(words[w]));
    if (n > 0) containers.push_back({static_cast<uint16_t>(first / kWordsPerContainer), n, first});
  }
  if (containers.empty()) return Roaring();
  std::string out;
  PutU32(&out, kNoRunCookie);
  PutU32(&out, static_cast<uint32_t>(containers.size()));
  for (const Container& c : containers) {
    PutU16(&out, c.key);
    PutU16(&out, static_cast<uint16_t>(c.cardinality - 1));
  }
  uint32_t offset = static_cast<uint32_t>(out.size() + containers.size() * 4);
  for (const Container& c : containers) {
    PutU32(&out, offset);
    offset += c.cardinality > kArrayMaxCardinality ? kWordsPerContainer * 8 : c.cardinality * 2;
  }
  for (const Container& c : containers) {
    size_t end = std::min(words.size(), c.first_word + kWordsPerContainer);
    if (c.cardinality > kArrayMaxCardinality) {
      size_t at = out.size();
      out.resize(at + kWordsPerContainer * 8, '\0');
      std::memcpy(out.data() + at, words.data() + c.first_word, (end - c.first_word) * 8);
      continue;
    }
    for (size_t w = c.first_word; w < end; ++w)
      for (uint64_t bits = words[w]; bits != 0; bits &= bits - 1)
        PutU16(&out,
               static_cast<uint16_t>((w - c.first_word) * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
  }
  return Roaring::readSafe(out.data(), out.size());
}

namespace {

uint16_t LoadU16(const unsigned char* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
uint32_t LoadU32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

constexpr uint32_t kCookieNoRuns = 12346, kCookieRuns = 12347;
constexpr uint32_t kNoOffsetThreshold = 4, kMaxArrayValues = 4096;

// True if `b` is a well-formed bitmap in roaring's portable format
// (github.com/RoaringBitmap/RoaringFormatSpec): container keys increasing, array values
// increasing, bitset cardinalities as stated, runs ordered and apart, nothing past the end.
// CRoaring's readSafe checks only that the sizes fit, and iterating a bitmap with an empty
// or disordered container reads out of bounds.
bool WellFormedPortableBitmap(std::string_view b) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  const size_t n = b.size();
  size_t at = 0;
  if (n < 4) return false;
  const uint32_t cookie = LoadU32(p);
  at = 4;
  uint32_t containers = 0;
  const unsigned char* run_flags = nullptr;
  if ((cookie & 0xFFFF) == kCookieRuns) {
    containers = (cookie >> 16) + 1;
    run_flags = p + at;
    at += (containers + 7) / 8;
  } else if (cookie == kCookieNoRuns) {
    if (n < 8) return false;
    containers = LoadU32(p + 4);
    at = 8;
  } else {
    return false;
  }
  if (containers > (1u << 16) || at > n || (n - at) / 4 < containers) return false;
  const unsigned char* descriptive = p + at;
  at += size_t{containers} * 4;
  if (run_flags == nullptr || containers >= kNoOffsetThreshold) {
    if ((n - at) / 4 < containers) return false;
    at += size_t{containers} * 4;  // offsets: the containers follow in order, so not needed
  }
  int32_t previous_key = -1;
  for (uint32_t c = 0; c < containers; ++c) {
    const uint16_t key = LoadU16(descriptive + c * 4);
    const uint32_t cardinality = uint32_t{LoadU16(descriptive + c * 4 + 2)} + 1;
    if (static_cast<int32_t>(key) <= previous_key) return false;
    previous_key = key;
    const bool is_run = run_flags != nullptr && (run_flags[c / 8] >> (c % 8)) & 1;
    if (is_run) {
      if (n - at < 2) return false;
      const uint32_t runs = LoadU16(p + at);
      at += 2;
      if (runs == 0 || (n - at) / 4 < runs) return false;
      int32_t next_free = 0;
      for (uint32_t r = 0; r < runs; ++r) {
        const int32_t start = LoadU16(p + at + r * 4), length = LoadU16(p + at + r * 4 + 2);
        if (start < next_free || start + length > 0xFFFF) return false;
        next_free = start + length + 1;  // runs do not overlap
      }
      at += size_t{runs} * 4;
    } else if (cardinality > kMaxArrayValues) {
      if (n - at < 8192) return false;
      uint32_t bits = 0;
      for (size_t w = 0; w < 1024; ++w) {
        uint64_t word;
        std::memcpy(&word, p + at + w * 8, 8);
        bits += static_cast<uint32_t>(__builtin_popcountll(word));
      }
      if (bits != cardinality) return false;
      at += 8192;
    } else {
      if ((n - at) / 2 < cardinality) return false;
      for (uint32_t v = 1; v < cardinality; ++v)
        if (LoadU16(p + at + v * 2) <= LoadU16(p + at + (v - 1) * 2)) return false;
      at += size_t{cardinality} * 2;
    }
  }
  return true;
}

}  // namespace

Status ReadStoredBitmap(std::string_view bytes, uint32_t rows, const std::string& what, Roaring* out) {
  if (!WellFormedPortableBitmap(bytes)) return Status::Corruption(what + ": a bitmap is malformed");
  try {
    *out = Roaring::readSafe(bytes.data(), bytes.size());
  } catch (const std::exception&) {  // CRoaring's C++ API throws on malformed input
    return Status::Corruption(what + ": a bitmap is malformed");
  }
  if (!out->isEmpty() && out->maximum() >= rows)
    return Status::Corruption(what + ": a bitmap holds rows past the segment's " + std::to_string(rows));
  return Status::OK();
}

}  // namespace cairn::storage
