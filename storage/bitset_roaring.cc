#include "storage/bitset_roaring.h"

#include <cstring>
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

}  // namespace cairn::storage
