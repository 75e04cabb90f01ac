#include "storage/dictionary.h"

#include <algorithm>
#include <cstring>

#include "storage/coding.h"
#include "storage/text.h"

namespace cairn::storage {

namespace {
// Compares the folded form of `text` with the already-folded `key` over at most
// `limit` bytes of key: <0, 0, >0.
int CompareFolded(std::string_view text, std::string_view key) {
  size_t n = std::min(text.size(), key.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char a = static_cast<unsigned char>(FoldChar(text[i]));
    unsigned char b = static_cast<unsigned char>(key[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  if (text.size() == key.size()) return 0;
  return text.size() < key.size() ? -1 : 1;
}
}  // namespace

Result<Dictionary> Dictionary::Parse(std::string raw, const std::string& what) {
  Dictionary d;
  ByteReader r(raw);
  uint32_t n = r.GetU32();
  if (!r.ok() || n > raw.size()) return Status::Corruption(what + ": dictionary header is malformed");
  std::string_view types = r.GetRaw(n);
  std::string_view offsets = r.GetRaw((static_cast<size_t>(n) + 1) * 4);
  if (!r.ok()) return Status::Corruption(what + ": dictionary is truncated");
  d.types_.assign(types.begin(), types.end());
  d.offsets_.resize(n + 1);
  std::memcpy(d.offsets_.data(), offsets.data(), offsets.size());
  d.text_base_ = raw.size() - r.remaining();
  uint32_t prev = 0;
  for (uint32_t off : d.offsets_) {
    if (off < prev || off > r.remaining()) return Status::Corruption(what + ": dictionary offsets are invalid");
    prev = off;
  }
  d.data_ = raw.substr(d.text_base_);
  return d;
}

std::pair<uint32_t, uint32_t> Dictionary::EqualRange(std::string_view folded) const {
  uint32_t lo = 0, hi = size();
  while (lo < hi) {  // first code with folded text >= key
    uint32_t mid = lo + (hi - lo) / 2;
    if (CompareFolded(text(mid), folded) < 0) lo = mid + 1; else hi = mid;
  }
  uint32_t first = lo;
  hi = size();
  while (lo < hi) {  // first code with folded text > key
    uint32_t mid = lo + (hi - lo) / 2;
    if (CompareFolded(text(mid), folded) <= 0) lo = mid + 1; else hi = mid;
  }
  return {first, lo};
}

std::pair<uint32_t, uint32_t> Dictionary::PrefixRange(std::string_view folded_prefix) const {
  uint32_t lo = 0, hi = size();
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (CompareFolded(text(mid), folded_prefix) < 0) lo = mid + 1; else hi = mid;
  }
  uint32_t first = lo;
  hi = size();
  while (lo < hi) {  // first code whose prefix is greater than the key
    uint32_t mid = lo + (hi - lo) / 2;
    std::string_view t = text(mid);
    if (CompareFolded(t.substr(0, std::min(t.size(), folded_prefix.size())), folded_prefix) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return {first, lo};
}

std::string_view Dictionary::all_text() const { return data_; }

uint32_t Dictionary::CodeAt(uint32_t pos) const {
  auto it = std::upper_bound(offsets_.begin(), offsets_.end(), pos);
  return static_cast<uint32_t>(it - offsets_.begin()) - 1;
}

}  // namespace cairn::storage
