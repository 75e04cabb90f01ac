#include "storage/term_filter.h"

#include <algorithm>
#include <cstring>

#include "storage/coding.h"

namespace cairn::storage {

namespace {

constexpr uint64_t kProbeMultiplier = 0xC2B2AE3D27D4EB4Full;
constexpr uint8_t kProbes = 7;
constexpr size_t kBitsPerTerm = 10;

// Bit `i` of the block for `hash`: 9-bit slices of a second mix.
uint32_t ProbeBit(uint64_t hash, int i) {
  return static_cast<uint32_t>(((hash * kProbeMultiplier) >> (9 * i)) & 511);
}

}  // namespace

uint64_t TermHash(std::string_view term) {
  auto mix = [](uint64_t x) {
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    return x;
  };
  const char* p = term.data();
  size_t n = term.size();
  uint64_t h = 0x9e3779b97f4a7c15ull * (n + 1);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w) + 0x9e3779b97f4a7c15ull;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  return mix(h ^ tail ^ (static_cast<uint64_t>(n) << 56));
}

size_t TermFilterBlockOffset(uint64_t hash, uint32_t blocks) {
  uint64_t b = ((hash >> 32) * blocks) >> 32;
  return kTermFilterHeaderBytes + static_cast<size_t>(b) * kTermFilterBlockBytes;
}

bool TermFilterBlockMayContain(const char* block, uint64_t hash, uint8_t probes) {
  for (int i = 0; i < probes; ++i) {
    uint32_t bit = ProbeBit(hash, i);
    if (!((static_cast<uint8_t>(block[bit >> 3]) >> (bit & 7)) & 1)) return false;
  }
  return true;
}

std::string BuildTermFilter(std::vector<uint64_t> hashes) {
  // Distinct hashes, through an open-addressing set (0 marks a free slot).
  {
    size_t cap = 64;
    while (cap < hashes.size() * 2) cap <<= 1;
    std::vector<uint64_t> slots(cap, 0);
    bool zero = false;
    size_t kept = 0;
    for (uint64_t h : hashes) {
      if (h == 0) {
        if (!zero) hashes[kept++] = h;
        zero = true;
        continue;
      }
      size_t i = (h ^ (h >> 29)) & (cap - 1);
      while (slots[i] != 0 && slots[i] != h) i = (i + 1) & (cap - 1);
      if (slots[i] == h) continue;
      slots[i] = h;
      hashes[kept++] = h;
    }
    hashes.resize(kept);
  }
  size_t bits = std::max<size_t>(hashes.size() * kBitsPerTerm, 512);
  uint32_t blocks = static_cast<uint32_t>((bits + 511) / 512);
  std::string out;
  ByteWriter w(&out);
  w.PutU32(blocks);
  w.PutU8(kProbes);
  w.PutU8(0);
  w.PutU8(0);
  w.PutU8(0);
  out.resize(kTermFilterHeaderBytes + size_t{blocks} * kTermFilterBlockBytes, '\0');
  for (uint64_t h : hashes) {
    char* block = out.data() + TermFilterBlockOffset(h, blocks);
    for (int i = 0; i < kProbes; ++i) {
      uint32_t bit = ProbeBit(h, i);
      block[bit >> 3] = static_cast<char>(static_cast<uint8_t>(block[bit >> 3]) | (1u << (bit & 7)));
    }
  }
  return out;
}

}  // namespace cairn::storage
