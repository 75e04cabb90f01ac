#include "storage/bitset_roaring.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "storage/coding.h"

namespace cairn::storage {

namespace {
constexpr uint32_t kNoRunCookie = 12346;       // roaring's portable format, no run containers
constexpr uint32_t kWordsPerContainer = 1024;  // 65,536 rows
constexpr uint32_t kArrayMaxCardinality = 4096;
constexpr uint32_t kRunCookie = 12347;      // with run containers (count in the high half)
constexpr uint32_t kNoOffsetThreshold = 4;  // fewer containers with runs: no offset table

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

// True if `b` is a well-formed bitmap in roaring's portable format
// (github.com/RoaringBitmap/RoaringFormatSpec): container keys increasing, array values
// increasing, bitset cardinalities as stated, runs ordered and apart, nothing past the end.
// CRoaring's readSafe checks only that the sizes fit, and iterating a bitmap with an empty
// or disordered container reads out of bounds.
bool WellFormedPortableBitmap(std::string_view b) {
  ByteReader r(b);
  const uint32_t cookie = r.GetU32();
  uint32_t containers = 0;
  std::string_view run_flags;
  if ((cookie & 0xFFFF) == kRunCookie) {
    containers = (cookie >> 16) + 1;
    run_flags = r.GetRaw((containers + 7) / 8);
  } else if (cookie == kNoRunCookie) {
    containers = r.GetU32();
  } else {
    return false;
  }
  if (!r.ok() || containers > (1u << 16) || r.remaining() / 4 < containers) return false;
  ByteReader descriptive(r.GetRaw(size_t{containers} * 4));
  if (run_flags.empty() || containers >= kNoOffsetThreshold)
    r.GetRaw(size_t{containers} * 4);  // offsets: the containers follow in order, so not needed
  int32_t previous_key = -1;
  for (uint32_t c = 0; c < containers && r.ok(); ++c) {
    const uint16_t key = descriptive.GetU16();
    const uint32_t cardinality = uint32_t{descriptive.GetU16()} + 1;
    if (static_cast<int32_t>(key) <= previous_key) return false;
    previous_key = key;
    if (!run_flags.empty() && (static_cast<uint8_t>(run_flags[c / 8]) >> (c % 8)) & 1) {
      const uint32_t runs = r.GetU16();
      if (runs == 0) return false;
      int32_t next_free = 0;
      for (uint32_t k = 0; k < runs && r.ok(); ++k) {
        const int32_t start = r.GetU16(), length = r.GetU16();
        if (start < next_free || start + length > 0xFFFF) return false;
        next_free = start + length + 1;  // runs do not overlap
      }
    } else if (cardinality > kArrayMaxCardinality) {
      std::string_view words = r.GetRaw(8192);
      uint32_t bits = 0;
      for (size_t w = 0; w + 8 <= words.size(); w += 8) {
        uint64_t word;
        std::memcpy(&word, words.data() + w, 8);
        bits += static_cast<uint32_t>(__builtin_popcountll(word));
      }
      if (r.ok() && bits != cardinality) return false;
    } else {
      int32_t previous = -1;
      for (uint32_t v = 0; v < cardinality && r.ok(); ++v) {
        const int32_t value = r.GetU16();
        if (r.ok() && value <= previous) return false;
        previous = value;
      }
    }
  }
  return r.ok();
}

}  // namespace

Status ReadStoredBitmap(std::string_view bytes, uint32_t rows, const std::string& what, Roaring* out,
                        bool well_formed) {
  if (!well_formed && !WellFormedPortableBitmap(bytes))
    return Status::Corruption(what + ": a bitmap is malformed");
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
