#include "storage/dictionary_writer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "storage/coding.h"
#include "storage/shape.h"
#include "storage/text.h"

namespace cairn::storage {

namespace {

// `type(i)` and `text(i)` give entry i of `n`.
template <typename TypeOf, typename TextOf>
void Encode(size_t n, TypeOf&& type, TextOf&& text, std::string* out) {
  ByteWriter w(out);
  w.PutU32(static_cast<uint32_t>(n));
  for (size_t i = 0; i < n; ++i) w.PutU8(type(i));
  uint32_t off = 0;
  w.PutU32(0);
  for (size_t i = 0; i < n; ++i) {
    off += static_cast<uint32_t>(text(i).size());
    w.PutU32(off);
  }
  for (size_t i = 0; i < n; ++i) w.PutRaw(text(i).data(), text(i).size());
  std::vector<std::pair<double, uint32_t>> numbers;
  for (size_t i = 0; i < n; ++i)
    if (auto v = ParseNumber(text(i))) numbers.emplace_back(*v, static_cast<uint32_t>(i));
  std::sort(numbers.begin(), numbers.end());
  w.PutU32(static_cast<uint32_t>(numbers.size()));
  for (const auto& [v, c] : numbers) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    w.PutU64(bits);
  }
  for (const auto& [v, c] : numbers) w.PutU32(c);
}

}  // namespace

void EncodeDictionary(const std::vector<std::string_view>& typed_texts, std::string* out) {
  Encode(
      typed_texts.size(), [&](size_t i) { return static_cast<uint8_t>(typed_texts[i][0]); },
      [&](size_t i) { return typed_texts[i].substr(1); }, out);
}

void EncodeStringDictionary(const std::vector<std::string_view>& texts, std::string* out) {
  Encode(
      texts.size(), [](size_t) { return static_cast<uint8_t>(ValueType::kString); },
      [&](size_t i) { return texts[i]; }, out);
}

}  // namespace cairn::storage
