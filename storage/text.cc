#include "storage/text.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace cairn::storage {

std::string Fold(std::string_view s) {
  std::string out;
  FoldInto(s, &out);
  return out;
}

uint32_t LowerTwoByte(uint32_t cp) {
  auto even_upper = [&](uint32_t lo, uint32_t hi) { return cp >= lo && cp <= hi && (cp & 1) == 0; };
  auto odd_upper = [&](uint32_t lo, uint32_t hi) { return cp >= lo && cp <= hi && (cp & 1) == 1; };
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;             // Latin-1: À..Þ
  if (even_upper(0x100, 0x12F) || even_upper(0x132, 0x137) || odd_upper(0x139, 0x148) ||
      even_upper(0x14A, 0x177) || odd_upper(0x179, 0x17E))
    return cp + 1;                                                            // Latin Extended-A
  if (cp == 0x178) return 0xFF;                                               // Ÿ
  if (cp == 0x386) return 0x3AC;                                              // Greek: Ά
  if (cp >= 0x388 && cp <= 0x38A) return cp + 0x25;                           // Έ Ή Ί
  if (cp == 0x38C) return 0x3CC;                                              // Ό
  if (cp == 0x38E || cp == 0x38F) return cp + 0x3F;                           // Ύ Ώ
  if ((cp >= 0x391 && cp <= 0x3A1) || (cp >= 0x3A3 && cp <= 0x3AB)) return cp + 0x20;  // Α..Ϋ
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                           // Cyrillic: Ѐ..Џ
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                           // А..Я
  if (even_upper(0x460, 0x481) || even_upper(0x48A, 0x4BF) || odd_upper(0x4C1, 0x4CE) ||
      even_upper(0x4D0, 0x52F))
    return cp + 1;
  if (cp == 0x4C0) return 0x4CF;                                              // Ӏ
  if (cp >= 0x531 && cp <= 0x556) return cp + 0x30;                           // Armenian
  return cp;
}

void FoldInto(std::string_view s, std::string* out) {
  size_t base = out->size();
  out->resize(base + s.size());
  char* dst = out->data() + base;
  // Most values are ASCII: check 8 bytes at a time, then fold with a loop the compiler
  // vectorizes.
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    high |= w;
  }
  for (; i < s.size(); ++i) high |= static_cast<unsigned char>(s[i]);
  if ((high & 0x8080808080808080ull) == 0) {
    for (size_t k = 0; k < s.size(); ++k) dst[k] = FoldChar(s[k]);
    return;
  }
  for (size_t k = 0; k < s.size();) k += FoldUnit(s.data() + k, s.size() - k, dst + k);
}

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  char first = text[0];
  if (!((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.')) return std::nullopt;
  // Whole numbers of up to 15 digits (ports, sizes, Unix times) are exact in a double.
  {
    bool negative = first == '-';
    size_t i = negative ? 1 : 0;
    if (text.size() > i && text.size() - i <= 15) {
      int64_t v = 0;
      for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) v = v * 10 + (text[i] - '0');
      if (i == text.size()) return negative ? -static_cast<double>(v) : static_cast<double>(v);
    }
  }
  // Decimal digits, signs, points and exponents only: no hexadecimal, and most texts that
  // start with a digit (times, addresses, ids) are turned down before strtod.
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) return std::nullopt;
  // from_chars rounds as strtod does, without its locale and its slow path for long ids
  // (CloudWatch's 56-digit event ids); it takes no '+'.
  if (first == '+' && (text.size() < 2 || text[1] == '-' || text[1] == '+')) return std::nullopt;
  const char* begin = text.data() + (first == '+' ? 1 : 0);
  const char* end = text.data() + text.size();
  double v = 0;
  auto [ptr, ec] = std::from_chars(begin, end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;  // not "inf" or "nan": the first character rules them out
}

void AppendJsonString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
#if defined(__AVX2__)
    // Skip 32 bytes at a time while none needs escaping.
    while (i + 32 <= s.size()) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
      __m256i control = _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v);
      __m256i quote = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'));
      __m256i backslash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'));
      auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(control, _mm256_or_si256(quote, backslash))));
      if (mask == 0) {
        i += 32;
        continue;
      }
      i += static_cast<size_t>(__builtin_ctz(mask));
      break;
    }
    if (i >= s.size()) break;
#endif
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

JsonEscapeMarks FindJsonEscapeMarks(std::string_view s) {
  JsonEscapeMarks marks;
  size_t i = 0;
#if defined(__AVX2__)
  uint32_t control = 0, backslash = 0;
  for (; i + 32 <= s.size(); i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
    control |= static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v)));
    backslash |= static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))));
  }
  marks.control = control != 0;
  marks.backslash = backslash != 0;
#endif
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) marks.control = true;
    if (c == '\\') marks.backslash = true;
  }
  return marks;
}

}  // namespace cairn::storage
