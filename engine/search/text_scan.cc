#include "engine/search/text_scan.h"

#include <immintrin.h>

#include "storage/text.h"

namespace cairn::engine {

namespace {
// `p` holds at least needle.size() bytes; a two-byte letter cut by the window's end is
// folded alone, as a stray byte.
bool EqualFolded(const char* p, std::string_view needle) {
  char folded[2];
  for (size_t i = 0; i < needle.size();) {
    size_t len = storage::FoldUnit(p + i, needle.size() - i, folded);
    if (folded[0] != needle[i] || (len == 2 && folded[1] != needle[i + 1])) return false;
    i += len;
  }
  return true;
}

bool IsAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}
}  // namespace

size_t FindFolded(std::string_view hay, std::string_view needle, size_t from) {
  const size_t n = needle.size();
  if (n == 0) return from <= hay.size() ? from : std::string_view::npos;
  if (hay.size() < n || from > hay.size() - n) return std::string_view::npos;
  const size_t last = hay.size() - n;  // last valid start
  size_t i = from;
#if defined(__AVX2__)
  // Setting bit 0x20 folds ASCII letters (a needle with other letters takes the byte loop); other bytes may collide, which the byte check rejects.
  const __m256i lower = _mm256_set1_epi8(0x20);
  const __m256i first = _mm256_set1_epi8(static_cast<char>(needle.front() | 0x20));
  const __m256i tail = _mm256_set1_epi8(static_cast<char>(needle.back() | 0x20));
  const bool ascii = IsAscii(needle);
  while (ascii && i + 32 <= last + 1) {
    __m256i a = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay.data() + i)), lower);
    __m256i b =
        _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay.data() + i + n - 1)), lower);
    uint32_t mask = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, tail))));
    while (mask != 0) {
      size_t bit = static_cast<size_t>(__builtin_ctz(mask));
      if (EqualFolded(hay.data() + i + bit, needle)) return i + bit;
      mask &= mask - 1;
    }
    i += 32;
  }
#endif
  for (; i <= last; ++i)
    if (EqualFolded(hay.data() + i, needle)) return i;
  return std::string_view::npos;
}

}  // namespace cairn::engine
