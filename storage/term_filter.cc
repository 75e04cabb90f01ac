#include "storage/term_filter.h"

#include <algorithm>
#include <cstring>

#include "storage/coding.h"
#include "storage/string_interner.h"

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

uint64_t TermHash(std::string_view term) { return HashBytes(term.data(), term.size()); }

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
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
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
