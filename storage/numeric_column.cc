#include "storage/numeric_column.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <numeric>

#include "storage/coding.h"

namespace cairn::storage {

namespace {

enum GroupMode : uint8_t { kFrameOfReference = 0, kDeltas = 1 };
// mode u8, bits u8, base i64, step u64, low delta i64 (kDeltas only)
constexpr size_t kGroupHeaderBytes = 18;
constexpr size_t kDeltaHeaderBytes = 8;
// Zero bytes after the packed values, so that every value is read with one 8-byte load.
constexpr size_t kGroupPaddingBytes = 8;

int BitWidth64(uint64_t max_value) {
  return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value);
}

void Pack(const std::vector<uint64_t>& values, int bits, std::string* out) {
  unsigned __int128 acc = 0;
  int held = 0;
  for (uint64_t v : values) {
    acc |= static_cast<unsigned __int128>(v) << held;
    held += bits;
    while (held >= 8) {
      out->push_back(static_cast<char>(static_cast<uint8_t>(acc)));
      acc >>= 8;
      held -= 8;
    }
  }
  if (held > 0) out->push_back(static_cast<char>(static_cast<uint8_t>(acc)));
  out->append(kGroupPaddingBytes, '\0');
}

// The i-th value of `bits` bits from `p`, which has kGroupPaddingBytes to spare.
inline uint64_t Unpacked(const uint8_t* p, uint64_t i, int bits, uint64_t mask) {
  uint64_t at = i * static_cast<uint64_t>(bits);
  uint64_t word;
  std::memcpy(&word, p + (at >> 3), 8);
  unsigned shift = static_cast<unsigned>(at & 7);
  uint64_t v = word >> shift;
  if (shift + static_cast<unsigned>(bits) > 64) v |= static_cast<uint64_t>(p[(at >> 3) + 8]) << (64 - shift);
  return v & mask;
}

// Offsets of `values` from `base`, divided by their common step.
void Scaled(std::vector<uint64_t>* offsets, uint64_t* step, int* bits) {
  uint64_t g = 0, top = 0;
  for (uint64_t o : *offsets) {
    g = std::gcd(g, o);
    if (g == 1) break;
  }
  if (g == 0) g = 1;
  for (uint64_t& o : *offsets) {
    o /= g;
    top = std::max(top, o);
  }
  *step = g;
  *bits = BitWidth64(top);
}

}  // namespace

bool ParseCanonicalInteger(std::string_view text, int64_t* value) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 19) return false;
  if (digits[0] == '0' && (digits.size() > 1 || negative)) return false;
  unsigned __int128 v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  const auto limit = static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  if (v > limit) return false;
  *value = negative ? static_cast<int64_t>(~static_cast<uint64_t>(v) + 1) : static_cast<int64_t>(v);
  return true;
}

size_t FormatInteger(int64_t v, char* buffer) {
  auto r = std::to_chars(buffer, buffer + 20, v);
  return static_cast<size_t>(r.ptr - buffer);
}

void EncodeNumericGroup(const int64_t* values, uint32_t n, std::string* out) {
  const int64_t lo = *std::min_element(values, values + n), hi = *std::max_element(values, values + n);
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  std::vector<uint64_t> offsets(n);
  for (uint32_t i = 0; i < n; ++i) offsets[i] = static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(lo);
  uint64_t step = 1;
  int bits = 0;
  Scaled(&offsets, &step, &bits);

  // Deltas pay off for sorted or slowly changing values (times, counters); they fit in
  // int64 when the range is below 2^62.
  if (n >= 2 && range < (uint64_t{1} << 62)) {
    std::vector<uint64_t> deltas(n - 1);
    int64_t dlo = std::numeric_limits<int64_t>::max();
    for (uint32_t i = 1; i < n; ++i) dlo = std::min(dlo, values[i] - values[i - 1]);
    for (uint32_t i = 1; i < n; ++i)
      deltas[i - 1] = static_cast<uint64_t>(values[i] - values[i - 1]) - static_cast<uint64_t>(dlo);
    uint64_t dstep = 1;
    int dbits = 0;
    Scaled(&deltas, &dstep, &dbits);
    if (static_cast<uint64_t>(dbits) * (n - 1) + 64 < static_cast<uint64_t>(bits) * n) {
      ByteWriter w(out);
      w.PutU8(kDeltas);
      w.PutU8(static_cast<uint8_t>(dbits));
      w.PutI64(values[0]);
      w.PutU64(dstep);
      w.PutI64(dlo);
      Pack(deltas, dbits, out);
      return;
    }
  }
  ByteWriter w(out);
  w.PutU8(kFrameOfReference);
  w.PutU8(static_cast<uint8_t>(bits));
  w.PutI64(lo);
  w.PutU64(step);
  Pack(offsets, bits, out);
}

bool DecodeNumericGroup(std::string_view data, uint32_t n, int64_t* out) {
  if (n == 0 || data.size() < kGroupHeaderBytes) return false;
  ByteReader r(data);
  const uint8_t mode = r.GetU8();
  const int bits = r.GetU8();
  const uint64_t base = r.GetU64();
  const uint64_t step = r.GetU64();
  if (bits > 64 || mode > kDeltas) return false;
  uint64_t dlo = 0;
  if (mode == kDeltas) dlo = r.GetU64();
  const uint64_t count = mode == kDeltas ? n - 1 : n;
  const size_t packed = static_cast<size_t>((count * static_cast<uint64_t>(bits) + 7) / 8);
  if (!r.ok() || r.remaining() != packed + kGroupPaddingBytes) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(r.position());
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  if (mode == kFrameOfReference) {
    if (bits == 0) {
      std::fill(out, out + n, static_cast<int64_t>(base));
      return true;
    }
    for (uint32_t i = 0; i < n; ++i) out[i] = static_cast<int64_t>(base + Unpacked(p, i, bits, mask) * step);
    return true;
  }
  uint64_t v = base;
  out[0] = static_cast<int64_t>(v);
  for (uint32_t i = 1; i < n; ++i) {
    v += dlo + (bits == 0 ? 0 : Unpacked(p, i - 1, bits, mask)) * step;
    out[i] = static_cast<int64_t>(v);
  }
  return true;
}

void EncodeNumericZones(ValueType type, const std::vector<NumericZone>& zones, std::string* out) {
  ByteWriter w(out);
  w.PutU8(static_cast<uint8_t>(type));
  out->append(kNumericZonesHeaderBytes - 1, '\0');
  for (const NumericZone& z : zones) {
    w.PutI64(z.min);
    w.PutI64(z.max);
  }
}

Result<NumericZonesView> NumericZonesView::Parse(std::string_view raw, uint32_t groups,
                                                 const std::string& what) {
  if (raw.size() != kNumericZonesHeaderBytes + size_t{groups} * 16)
    return Status::Corruption(what + ": numeric zones have the wrong size");
  auto type = static_cast<uint8_t>(raw[0]);
  if (type > static_cast<uint8_t>(ValueType::kBool))
    return Status::Corruption(what + ": numeric zones are malformed");
  NumericZonesView v;
  v.raw_ = raw;
  v.groups_ = groups;
  v.type_ = static_cast<ValueType>(type);
  return v;
}

NumericZone NumericZonesView::zone(uint32_t group) const {
  NumericZone z;
  std::memcpy(&z.min, raw_.data() + kNumericZonesHeaderBytes + size_t{group} * 16, 8);
  std::memcpy(&z.max, raw_.data() + kNumericZonesHeaderBytes + size_t{group} * 16 + 8, 8);
  return z;
}

}  // namespace cairn::storage
