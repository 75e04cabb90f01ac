// Text rules shared by ingest and search: value case-folding (SPL matches values
// case-insensitively), Splunk-style tokenization of event text into index terms, and
// JSON string escaping in the canonical form the raw rebuild emits. Stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::storage {

/// ASCII lower-casing; bytes >= 0x80 are kept as they are.
std::string Fold(std::string_view s);
void FoldInto(std::string_view s, std::string* out);
inline char FoldChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

/// True for Splunk's major breakers (space, brackets, quotes, comma, ...).
bool IsMajorBreaker(char c);
/// True for Splunk's minor breakers (/ : = @ . - $ # % \ _).
bool IsMinorBreaker(char c);

/// True for a major or a minor breaker.
inline bool IsBreaker(char c) { return IsMajorBreaker(c) || IsMinorBreaker(c); }

/// True if `needle` occurs in `hay` with breakers (or the ends of `hay`) on both sides, as a
/// search phrase must; a needle that starts or ends with a breaker needs none on that side.
bool ContainsAtBreakers(std::string_view hay, std::string_view needle);

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

/// Calls `emit` with every part of `text` between breakers (major or minor), folded: the
/// smallest units a search term can match.
template <typename Emit>
void ForEachPart(std::string_view text, Emit&& emit) {
  std::string folded;
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && IsBreaker(text[i])) ++i;
    size_t start = i;
    while (i < n && !IsBreaker(text[i])) ++i;
    if (i == start) continue;
    folded.clear();
    FoldInto(text.substr(start, i - start), &folded);
    emit(std::string_view(folded));
  }
}

/// Appends `s` as a JSON string literal with quotes: escapes ", \ and control characters,
/// keeps '/' and UTF-8 as they are.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace cairn::storage
