// Text rules shared by ingest and search: value case-folding (SPL matches values
// case-insensitively), Splunk-style tokenization of event text into index terms, and
// JSON string escaping in the canonical form the raw rebuild emits. Stateless.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::storage {

/// Case folding of values: ASCII letters, and the two-byte UTF-8 letters whose lower case
/// is two bytes too (Latin-1, Latin Extended-A, Greek, Cyrillic, Armenian). Folding never
/// changes the length of a text, so positions in a folded text are positions in the original.
std::string Fold(std::string_view s);
void FoldInto(std::string_view s, std::string* out);
/// ASCII lower-casing of one byte.
inline char FoldChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
/// Lower case of a code point in U+0080..U+07FF when it is in that range too, else `cp`.
uint32_t LowerTwoByte(uint32_t cp);
/// Folds the character at p[0..n): writes 1 or 2 folded bytes to `out` and returns how many
/// bytes it took (a byte that does not start a two-byte letter is one unit).
inline size_t FoldUnit(const char* p, size_t n, char out[2]) {
  auto a = static_cast<unsigned char>(p[0]);
  if (a < 0x80) {
    out[0] = FoldChar(p[0]);
    return 1;
  }
  if (a >= 0xC2 && a <= 0xDF && n >= 2 && (static_cast<unsigned char>(p[1]) & 0xC0) == 0x80) {
    uint32_t cp = LowerTwoByte(((a & 0x1Fu) << 6) | (static_cast<unsigned char>(p[1]) & 0x3Fu));
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = p[0];
  return 1;
}

/// A number if the whole text is one in decimal ("42", "-1.5e3"; not "0x1A", "inf" or
/// "nan"), else nullopt.
std::optional<double> ParseNumber(std::string_view text);

namespace breaker_class {
constexpr uint8_t kNone = 0, kMajor = 1, kMinor = 2;
// The class of each byte value.
constexpr std::array<uint8_t, 256> MakeTable() {
  std::array<uint8_t, 256> table{};
  for (char c : std::string_view(" \t\n\r\v\f[](){}<>|;,!?\"'&*+^`~"))
    table[static_cast<unsigned char>(c)] = kMajor;
  for (char c : std::string_view("/:=@.-$#%\\_")) table[static_cast<unsigned char>(c)] = kMinor;
  return table;
}
inline constexpr std::array<uint8_t, 256> kTable = MakeTable();
}  // namespace breaker_class

/// True for Splunk's major breakers (space, brackets, quotes, comma, ...).
inline bool IsMajorBreaker(char c) {
  return breaker_class::kTable[static_cast<unsigned char>(c)] == breaker_class::kMajor;
}
/// True for Splunk's minor breakers (/ : = @ . - $ # % \ _).
inline bool IsMinorBreaker(char c) {
  return breaker_class::kTable[static_cast<unsigned char>(c)] == breaker_class::kMinor;
}

/// True for a major or a minor breaker.
inline bool IsBreaker(char c) { return breaker_class::kTable[static_cast<unsigned char>(c)] != breaker_class::kNone; }

/// Calls `emit` with every index term of `text`, folded: each major-broken token, and
/// when it contains minor breakers, each of its minor-broken parts too. Terms may repeat.
template <typename Emit>
void ForEachTerm(std::string_view text, Emit&& emit) {
  std::string folded;
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && IsMajorBreaker(text[i])) ++i;
    size_t start = i;
    bool has_minor = false;
    while (i < n && !IsMajorBreaker(text[i])) {
      if (IsMinorBreaker(text[i])) has_minor = true;
      ++i;
    }
    if (i == start) continue;
    folded.clear();
    FoldInto(text.substr(start, i - start), &folded);
    emit(std::string_view(folded));
    if (has_minor) {
      size_t j = 0, m = folded.size();
      while (j < m) {
        while (j < m && IsMinorBreaker(folded[j])) ++j;
        size_t s = j;
        while (j < m && !IsMinorBreaker(folded[j])) ++j;
        if (j > s) emit(std::string_view(folded).substr(s, j - s));
      }
    }
  }
}

/// Calls `emit` with every part of an already folded text between breakers (major or
/// minor): the smallest units a search term can match.
template <typename Emit>
void ForEachFoldedPart(std::string_view folded, Emit&& emit) {
  size_t i = 0, n = folded.size();
  while (i < n) {
    while (i < n && IsBreaker(folded[i])) ++i;
    size_t start = i;
    while (i < n && !IsBreaker(folded[i])) ++i;
    if (i > start) emit(folded.substr(start, i - start));
  }
}

/// Calls `emit` with every part of `text` between breakers, folded.
template <typename Emit>
void ForEachPart(std::string_view text, Emit&& emit) {
  std::string folded;
  FoldInto(text, &folded);
  ForEachFoldedPart(std::string_view(folded), emit);
}

/// Appends `s` as a JSON string literal with quotes: escapes ", \ and control characters,
/// keeps '/' and UTF-8 as they are.
void AppendJsonString(std::string_view s, std::string* out);

/// What a JSON text holds that AppendJsonString would not write back as is.
struct JsonEscapeMarks {
  bool control = false;    ///< a byte below 0x20 (newline, tab, ...)
  bool backslash = false;  ///< an escape sequence
};
JsonEscapeMarks FindJsonEscapeMarks(std::string_view s);

}  // namespace cairn::storage
