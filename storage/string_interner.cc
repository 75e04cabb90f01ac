#include "storage/string_interner.h"

#include <algorithm>
#include <cstring>

namespace cairn::storage {

namespace {
// A segment may hold many thousands of fields with a value or two each (one event of a wide
// object): the first chunk and table are small, and grow with the field.
constexpr size_t kFirstChunkBytes = 256;
constexpr size_t kFirstSlots = 16;
constexpr size_t kMaxChunkBytes = 1 << 20;
constexpr uint64_t kK0 = 0xa0761d6478bd642full, kK1 = 0xe7037ed1a0b428dbull, kK2 = 0x8ebc6af09c88c6e3ull;

// Folds the 128-bit product of a and b into 64 bits.
inline uint64_t MulFold(uint64_t a, uint64_t b) {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
}  // namespace

uint64_t HashBytes(const char* p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ kK0 ^ n;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) h = MulFold(Load64(p + i) ^ kK1, Load64(p + i + 8) ^ h);
  uint64_t a = 0, b = 0;
  size_t rest = n - i;
  if (rest >= 8) {
    a = Load64(p + i);
    std::memcpy(&b, p + i + 8, rest - 8);
  } else if (rest != 0) {  // an empty string's pointer may be null
    std::memcpy(&a, p + i, rest);
  }
  return MulFold(MulFold(a ^ kK1, b ^ h) ^ kK2, n ^ kK0);
}

StringInterner::StringInterner() {
  slots_.resize(kFirstSlots);
}

void StringInterner::Clear() {
  slots_.assign(kFirstSlots, Slot());
  strings_.clear();
  chunks_.clear();
  chunk_used_ = chunk_size_ = arena_bytes_ = 0;
}

std::string_view StringInterner::Store(char tag, std::string_view text) {
  size_t n = text.size() + 1;
  if (chunk_used_ + n > chunk_size_) {
    // Chunks grow geometrically: small fields stay small, big ones allocate rarely.
    size_t next = chunk_size_ == 0 ? kFirstChunkBytes : std::min(chunk_size_ * 2, kMaxChunkBytes);
    chunk_size_ = n > next ? n : next;
    chunks_.push_back(
        std::unique_ptr<char[]>(new char[chunk_size_]));  // left uninitialised: written before read
    chunk_used_ = 0;
    arena_bytes_ += chunk_size_;
  }
  char* dst = chunks_.back().get() + chunk_used_;
  dst[0] = tag;
  std::memcpy(dst + 1, text.data(), text.size());
  chunk_used_ += n;
  return {dst, n};
}

uint32_t StringInterner::Append(char tag, std::string_view text) {
  strings_.push_back(Store(tag, text));
  return static_cast<uint32_t>(strings_.size() - 1);
}

void StringInterner::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot());
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id == UINT32_MAX) continue;
    size_t i = s.hash & mask;
    while (slots_[i].id != UINT32_MAX) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

uint32_t StringInterner::Intern(char tag, std::string_view text) {
  // The tag seeds the hash of the text: the key is never built.
  uint32_t h = static_cast<uint32_t>(HashBytes(text.data(), text.size(), static_cast<unsigned char>(tag)));
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].id != UINT32_MAX) {
    if (slots_[i].hash == h) {
      std::string_view s = strings_[slots_[i].id];
      if (s.size() == text.size() + 1 && s[0] == tag &&
          std::memcmp(s.data() + 1, text.data(), text.size()) == 0)
        return slots_[i].id;
    }
    i = (i + 1) & mask;
  }
  uint32_t id = static_cast<uint32_t>(strings_.size());
  strings_.push_back(Store(tag, text));
  slots_[i] = {h, id};
  if (strings_.size() * 2 > slots_.size()) Grow();
  return id;
}

}  // namespace cairn::storage
