#include "engine/search/phrase_match.h"

#include "storage/text.h"

namespace cairn::engine {

namespace {

using storage::IsBreaker;
using storage::IsMajorBreaker;

// The major segments of `text`, in order.
void SplitMajor(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && IsMajorBreaker(text[i])) ++i;
    size_t start = i;
    while (i < n && !IsMajorBreaker(text[i])) ++i;
    if (i > start) out->push_back(text.substr(start, i - start));
  }
}

// `part` ends `segment` at a breaker inside it (or is all of it).
bool EndsSegment(std::string_view segment, std::string_view part) {
  if (segment.size() < part.size() || segment.substr(segment.size() - part.size()) != part) return false;
  return segment.size() == part.size() || IsBreaker(part.front()) || IsBreaker(segment[segment.size() - part.size() - 1]);
}

// `part` starts `segment` at a breaker inside it (or is all of it).
bool StartsSegment(std::string_view segment, std::string_view part) {
  if (segment.size() < part.size() || segment.substr(0, part.size()) != part) return false;
  return segment.size() == part.size() || IsBreaker(part.back()) || IsBreaker(segment[part.size()]);
}

// `part` (no major breaker) occurs in `text` with a breaker or an edge on both sides.
bool InsideSegment(std::string_view text, std::string_view part) {
  size_t pos = 0;
  while ((pos = text.find(part, pos)) != std::string_view::npos) {
    size_t end = pos + part.size();
    bool left = pos == 0 || IsBreaker(text[pos - 1]) || IsBreaker(part.front());
    bool right = end == text.size() || IsBreaker(text[end]) || IsBreaker(part.back());
    if (left && right) return true;
    ++pos;
  }
  return false;
}

}  // namespace

PhrasePattern::PhrasePattern(std::string_view phrase) {
  std::vector<std::string_view> parts;
  SplitMajor(phrase, &parts);
  for (std::string_view p : parts) segments_.emplace_back(p);
  for (char c : phrase) has_tokens_ |= !IsBreaker(c);
}

bool PhrasePattern::FoundIn(std::string_view text) const {
  if (!has_tokens_) return false;
  if (segments_.size() == 1) return InsideSegment(text, segments_[0]);
  // Cheap rejection first: every inner segment must occur somewhere.
  for (size_t k = 1; k + 1 < segments_.size(); ++k)
    if (text.find(segments_[k]) == std::string_view::npos) return false;
  thread_local std::vector<std::string_view> words;
  SplitMajor(text, &words);
  size_t n = segments_.size();
  for (size_t i = 0; i + n <= words.size(); ++i) {
    if (!EndsSegment(words[i], segments_[0])) continue;
    size_t k = 1;
    while (k + 1 < n && words[i + k] == segments_[k]) ++k;
    if (k + 1 == n && StartsSegment(words[i + n - 1], segments_[n - 1])) return true;
  }
  return false;
}

bool ContainsPhrase(std::string_view text, std::string_view phrase) { return PhrasePattern(phrase).FoundIn(text); }

}  // namespace cairn::engine
