// Unit tests for numeric columns: canonical integers, the group codec in both modes at
// every width, zones, and a segment whose integer field is stored as a numeric column
// (range scans, the dictionary and postings built from it, raw rebuild, corruption).
#include "storage/numeric_column.h"

#include <doctest/doctest.h>

#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <roaring/roaring.hh>
#include <set>

#include "storage/bitset_roaring.h"
#include "storage/coding.h"
#include "storage/segment_builder.h"
#include "storage/segment_reader.h"
#include "tests/unit/temp_dir.h"

using namespace cairn::storage;
using cairn::test::TempDir;

namespace {
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

std::vector<int64_t> RoundTrip(const std::vector<int64_t>& values) {
  std::string encoded;
  EncodeNumericGroup(values.data(), static_cast<uint32_t>(values.size()), &encoded);
  std::vector<int64_t> out(values.size());
  REQUIRE(DecodeNumericGroup(encoded, static_cast<uint32_t>(values.size()), out.data()));
  return out;
}
}  // namespace

TEST_CASE("canonical integers") {
  int64_t v = 0;
  CHECK((ParseCanonicalInteger("0", &v) && v == 0));
  CHECK((ParseCanonicalInteger("-17", &v) && v == -17));
  CHECK((ParseCanonicalInteger("9223372036854775807", &v) && v == kMax));
  CHECK((ParseCanonicalInteger("-9223372036854775808", &v) && v == kMin));
  for (const char* bad : {"", "-", "-0", "007", "+5", "1.0", "1e3", " 1", "9223372036854775808",
                          "-9223372036854775809", "12345678901234567890", "0x1A"})
    CHECK_FALSE(ParseCanonicalInteger(bad, &v));
  char buf[20];
  for (int64_t x : {int64_t{0}, int64_t{-1}, kMin, kMax, int64_t{443}}) {
    std::string text(buf, FormatInteger(x, buf));
    int64_t back = 0;
    CHECK((ParseCanonicalInteger(text, &back) && back == x));
  }
}

TEST_CASE("numeric groups round-trip at every width, sorted and not") {
  std::mt19937_64 rng(42);
  for (int bits = 0; bits <= 64; ++bits) {
    for (bool sorted : {false, true}) {
      std::vector<int64_t> values(1000);
      const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
      for (auto& x : values) x = static_cast<int64_t>(rng() & mask) - (bits == 64 ? 0 : int64_t{1} << 20);
      if (sorted) std::sort(values.begin(), values.end());
      CHECK(RoundTrip(values) == values);
    }
  }
  CHECK(RoundTrip({kMin, kMax, 0, kMin, kMax}) == std::vector<int64_t>{kMin, kMax, 0, kMin, kMax});
  CHECK(RoundTrip({5}) == std::vector<int64_t>{5});
  // Multiples of a step (epoch microseconds of whole seconds) and steady deltas pack small.
  std::vector<int64_t> seconds;
  for (int i = 0; i < 4096; ++i) seconds.push_back(1767000000000000 + int64_t{i} * 3000000);
  std::string encoded;
  EncodeNumericGroup(seconds.data(), 4096, &encoded);
  CHECK(encoded.size() < 64);
  CHECK(RoundTrip(seconds) == seconds);
}

TEST_CASE("a damaged numeric group is refused") {
  std::vector<int64_t> values = {1, 200, 3, 4000};
  std::string encoded;
  EncodeNumericGroup(values.data(), 4, &encoded);
  std::vector<int64_t> out(4);
  CHECK_FALSE(DecodeNumericGroup(encoded.substr(0, encoded.size() - 1), 4, out.data()));
  CHECK_FALSE(DecodeNumericGroup(encoded, 5, out.data()));
  std::string bad_mode = encoded;
  bad_mode[0] = 9;
  CHECK_FALSE(DecodeNumericGroup(bad_mode, 4, out.data()));
  std::string bad_bits = encoded;
  bad_bits[1] = 65;
  CHECK_FALSE(DecodeNumericGroup(bad_bits, 4, out.data()));
}

TEST_CASE("a segment stores many distinct integers as a numeric column") {
  std::string dir = TempDir("numeric_segment");
  SegmentBuilder b;
  uint32_t bytes = b.FieldId("bytes");
  uint32_t port = b.FieldId("port");
  std::string shape_with, shape_without;
  {
    ByteWriter w(&shape_with);
    w.PutU8('{');
    w.PutU8('k');
    w.PutString("bytes");
    w.PutU8('v');
    w.PutU8('k');
    w.PutString("port");
    w.PutU8('v');
    w.PutU8('}');
    ByteWriter w2(&shape_without);
    w2.PutU8('{');
    w2.PutU8('k');
    w2.PutString("port");
    w2.PutU8('v');
    w2.PutU8('}');
  }
  // 10,000 rows over three column groups; every seventh row lacks `bytes`; `port` has few
  // values and stays a dictionary.
  std::mt19937_64 rng(7);
  std::vector<std::optional<int64_t>> expected;
  std::vector<std::string> texts;
  const uint32_t rows = 10000;
  for (uint32_t r = 0; r < rows; ++r) {
    std::string port_text = std::to_string(r % 5 * 100);
    if (r % 7 == 0) {
      expected.emplace_back();
      b.Add(int64_t{r} * 1000000, shape_without, {{port, ValueType::kNumber, port_text}}, "");
      continue;
    }
    int64_t v = static_cast<int64_t>(rng() % 2000000) - 1000000;
    if (r == 1) v = kMax;
    if (r == 2) v = kMin;
    expected.emplace_back(v);
    texts.push_back(std::to_string(v));
    b.Add(int64_t{r} * 1000000, shape_with,
          {{bytes, ValueType::kNumber, texts.back()}, {port, ValueType::kNumber, port_text}}, "");
  }
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  SegmentReader& seg = *opened.value();
  int fb = seg.FindField("bytes"), fp = seg.FindField("port");
  REQUIRE(fb >= 0);
  CHECK(seg.IsNumeric(fb));
  CHECK_FALSE(seg.IsNumeric(fp));

  for (auto [lo, hi] :
       {std::pair{int64_t{-1000}, int64_t{1000}}, std::pair{kMin, int64_t{0}},
        std::pair{int64_t{999000}, kMax}, std::pair{kMax, kMax}, std::pair{int64_t{5}, int64_t{4}}}) {
    Roaring got;
    REQUIRE(seg.AddNumericRows(fb, lo, hi, &got).ok());
    Roaring want;
    for (uint32_t r = 0; r < rows; ++r)
      if (expected[r] && *expected[r] >= lo && *expected[r] <= hi) want.add(r);
    CHECK(got == want);
  }

  // The dictionary built from the column: every distinct value once, in text order, and
  // its postings and codes agree with the values.
  auto dict = seg.GetDictionary(fb);
  REQUIRE(dict.ok());
  std::set<std::string> distinct;
  for (uint32_t r = 0; r < rows; ++r)
    if (expected[r]) distinct.insert(std::to_string(*expected[r]));
  REQUIRE(dict.value()->size() == distinct.size());
  uint32_t c = 0;
  for (const std::string& text : distinct) CHECK(dict.value()->text(c++) == text);
  auto postings = seg.GetPostings(fb);
  REQUIRE(postings.ok());
  auto [lo, hi] = dict.value()->EqualRange(std::to_string(*expected[3]));
  REQUIRE(hi == lo + 1);
  Roaring with_value;
  REQUIRE(postings.value()->AddTo(lo, &with_value).ok());
  CHECK(with_value.contains(3));
  std::vector<uint32_t> codes;
  for (uint32_t r : {0u, 3u, 4095u, 4096u, 9999u}) {
    REQUIRE(seg.GetRowCodes(fb, r, &codes).ok());
    if (!expected[r]) {
      CHECK(codes.empty());
      continue;
    }
    REQUIRE(codes.size() == 1);
    CHECK(dict.value()->text(codes[0]) == std::to_string(*expected[r]));
  }

  std::string raw;
  REQUIRE(seg.GetRaw(1, &raw).ok());
  CHECK(raw == R"({"bytes":9223372036854775807,"port":100})");
  REQUIRE(seg.GetRaw(7, &raw).ok());
  CHECK(raw == R"({"port":200})");
  CHECK(seg.VerifyAll().ok());
}

TEST_CASE("a damaged numeric column is reported by name") {
  std::string dir = TempDir("numeric_damage");
  SegmentBuilder b;
  uint32_t f = b.FieldId("n");
  std::string shape;
  {
    ByteWriter w(&shape);
    w.PutU8('{');
    w.PutU8('k');
    w.PutString("n");
    w.PutU8('v');
    w.PutU8('}');
  }
  std::vector<std::string> texts;
  for (int i = 0; i < 1000; ++i) texts.push_back(std::to_string(i * 7919 % 100003));
  for (int i = 0; i < 1000; ++i)
    b.Add(i, shape, {{f, ValueType::kNumber, texts[static_cast<size_t>(i)]}}, "");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  uint64_t at = 0;
  {
    auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
    REQUIRE(opened.ok());
    int n = opened.value()->FindField("n");
    REQUIRE(opened.value()->IsNumeric(n));
    FieldEntry e = opened.value()->field(n);
    at = opened.value()->footer().column_group(e, 0).offset + 40;
  }
  std::fstream file(dir + "/s.cseg", std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(at));
  file.put('\x5a');
  file.close();
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  Roaring rows;
  Status s = opened.value()->AddNumericRows(opened.value()->FindField("n"), 0, 50, &rows);
  CHECK_FALSE(s.ok());
  CHECK(s.ToString().find("segment s field n column") != std::string::npos);
}

TEST_CASE("bitsets become the same roaring bitmap as rows added one by one") {
  std::mt19937_64 rng(3);
  for (size_t words : {size_t{0}, size_t{1}, size_t{1023}, size_t{1024}, size_t{3000}}) {
    for (int density : {0, 1, 50, 100}) {  // per mille of rows set
      std::vector<uint64_t> bits(words, 0);
      Roaring want;
      for (uint32_t r = 0; r < words * 64; ++r)
        if (static_cast<int>(rng() % 1000) < density * 10 || (density == 100 && r % 2 == 0)) {
          bits[r / 64] |= uint64_t{1} << (r % 64);
          want.add(r);
        }
      Roaring got = RoaringFromWords(bits);
      CHECK(got == want);
      CHECK(got.cardinality() == want.cardinality());
    }
  }
}
