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
  char folded[2];
  for (size_t i = 0; i < n;) {
    size_t len = FoldUnit(text.data() + i, text.size() - i, folded);
    for (size_t k = 0; k < len && i + k < n; ++k) {
      auto a = static_cast<unsigned char>(folded[k]);
      auto b = static_cast<unsigned char>(key[i + k]);
      if (a != b) return a < b ? -1 : 1;
    }
    i += len;
  }
  if (text.size() == key.size()) return 0;
  return text.size() < key.size() ? -1 : 1;
}
}  // namespace

Status Dictionary::Init(std::string_view raw, const std::string& what) {
  ByteReader r(raw);
  uint32_t n = r.GetU32();
  if (!r.ok() || n > raw.size()) return Status::Corruption(what + ": dictionary header is malformed");
  std::string_view types = r.GetRaw(n);
  std::string_view offsets = r.GetRaw((static_cast<size_t>(n) + 1) * 4);
  if (!r.ok()) return Status::Corruption(what + ": dictionary is truncated");
  size_ = n;
  types_ = reinterpret_cast<const uint8_t*>(types.data());
  offsets_ = offsets.data();
  text_ = r.position();
  uint32_t prev = 0;
  for (uint32_t i = 0; i <= n; ++i) {
    uint32_t off = offset(i);
    if (off < prev || off > r.remaining()) return Status::Corruption(what + ": dictionary offsets are invalid");
    prev = off;
  }
  text_size_ = offset(n);
  r.GetRaw(text_size_);
  has_numeric_index_ = r.remaining() > 0;
  if (has_numeric_index_) {
    numeric_count_ = r.GetU32();
    if (!r.ok() || numeric_count_ > n) return Status::Corruption(what + ": numeric index is malformed");
    numbers_ = r.GetRaw(static_cast<size_t>(numeric_count_) * 8).data();
    numeric_codes_ = r.GetRaw(static_cast<size_t>(numeric_count_) * 4).data();
    if (!r.ok() || r.remaining() != 0) return Status::Corruption(what + ": numeric index is truncated");
    for (uint32_t i = 0; i < numeric_count_; ++i) {
      if (numeric_code(i) >= n || (i > 0 && !(numeric_value(i - 1) <= numeric_value(i))))
        return Status::Corruption(what + ": numeric index is out of order");
    }
  }
  for (uint32_t i = 0; i < n; ++i)
    if (types_[i] > static_cast<uint8_t>(ValueType::kBool)) return Status::Corruption(what + ": bad value type");
  return Status::OK();
}

Result<Dictionary> Dictionary::Parse(std::string raw, const std::string& what) {
  Dictionary d;
  d.owned_ = std::move(raw);
  Status s = d.Init(d.owned_, what);
  if (!s.ok()) return s;
  return d;
}

Result<Dictionary> Dictionary::ParseView(std::string_view raw, const std::string& what) {
  Dictionary d;
  Status s = d.Init(raw, what);
  if (!s.ok()) return s;
  return d;
}

Dictionary& Dictionary::operator=(Dictionary&& other) noexcept {
  if (this == &other) return *this;
  // Views into other.owned_ must be rebased onto our copy of the buffer.
  const char* old_base = other.owned_.data();
  bool owned = !other.owned_.empty();
  owned_ = std::move(other.owned_);
  size_ = other.size_;
  text_size_ = other.text_size_;
  auto rebase = [&](const char* p) { return owned ? owned_.data() + (p - old_base) : p; };
  types_ = reinterpret_cast<const uint8_t*>(rebase(reinterpret_cast<const char*>(other.types_)));
  offsets_ = rebase(other.offsets_);
  text_ = rebase(other.text_);
  has_numeric_index_ = other.has_numeric_index_;
  numeric_count_ = other.numeric_count_;
  numbers_ = other.numbers_ ? rebase(other.numbers_) : nullptr;
  numeric_codes_ = other.numeric_codes_ ? rebase(other.numeric_codes_) : nullptr;
  return *this;
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

std::pair<uint32_t, uint32_t> Dictionary::NumericRange(double lo, bool lo_inclusive, double hi,
                                                      bool hi_inclusive) const {
  auto below = [&](uint32_t i, double bound, bool inclusive) {  // value i is before the bound
    double v = numeric_value(i);
    return inclusive ? v < bound : v <= bound;
  };
  uint32_t a = 0, b = numeric_count_;
  while (a < b) {  // first value inside the lower bound
    uint32_t mid = a + (b - a) / 2;
    if (below(mid, lo, lo_inclusive)) a = mid + 1; else b = mid;
  }
  uint32_t first = a;
  b = numeric_count_;
  while (a < b) {  // first value past the upper bound
    uint32_t mid = a + (b - a) / 2;
    double v = numeric_value(mid);
    if (hi_inclusive ? v <= hi : v < hi) a = mid + 1; else b = mid;
  }
  return {first, a};
}

std::string_view Dictionary::all_text() const { return {text_, text_size_}; }

uint32_t Dictionary::CodeAt(uint32_t pos) const {
  uint32_t lo = 0, hi = size_ + 1;  // first index with offset > pos
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (offset(mid) <= pos) lo = mid + 1; else hi = mid;
  }
  return lo - 1;
}

}  // namespace cairn::storage
