// Unit tests for what the segment writer derives: dictionary order, postings without
// repeated rows, and the term index as the union of values, keys and kept raw texts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <roaring/roaring.hh>
#include <string>
#include <vector>

#include "storage/coding.h"
#include "storage/segment_builder.h"
#include "storage/segment_reader.h"
#include "storage/text.h"
#include "tests/unit/temp_dir.h"

using namespace cairn::storage;
using cairn::test::TempDir;

namespace {
// The shape of a flat event with these keys, one value each.
std::string FlatShape(const std::vector<std::string>& keys) {
  std::string s;
  ByteWriter w(&s);
  w.PutU8('{');
  for (const std::string& k : keys) {
    w.PutU8('k');
    w.PutString(k);
    w.PutU8('v');
  }
  w.PutU8('}');
  return s;
}

std::vector<uint32_t> Rows(SegmentReader& seg, int field, std::string_view folded) {
  auto dict = seg.GetDictionary(field);
  REQUIRE(dict.ok());
  auto range = dict.value()->EqualRange(folded);
  Roaring rows;
  REQUIRE(seg.GetPostings(field).value()->AddRangeTo(range.first, range.second, &rows).ok());
  std::vector<uint32_t> out(rows.begin(), rows.end());
  return out;
}

std::string AsciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

TEST_CASE("dictionaries are ordered by folded text, then text, also past eight bytes") {
  std::string dir = TempDir("dict_order");
  SegmentBuilder b;
  uint32_t arn = b.FieldId("arn");
  std::vector<std::string> values = {"arn:aws:iam::123456789012:user/Bob",
                                     "arn:aws:iam::123456789012:user/alice",
                                     "ARN:AWS:IAM::123456789012:USER/ALICE",
                                     "arn:aws:iam::123456789012:role/x",
                                     "arn:aws:iam::123456789012:user/bob",
                                     "arn",
                                     "arn:",
                                     "ar",
                                     std::string("arn\0x", 5),
                                     "zeta",
                                     "Zeta",
                                     "a",
                                     "arn:aws:iam::1234",
                                     "arn:aws:iam::123456789012:user/alice2"};
  for (size_t i = 0; i < values.size(); ++i)
    b.Add(static_cast<int64_t>(i), FlatShape({"arn"}), {{arn, ValueType::kString, values[i]}}, "");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  auto dict = opened.value()->GetDictionary(opened.value()->FindField("arn"));
  REQUIRE(dict.ok());

  std::vector<std::string> expected = values;
  std::sort(expected.begin(), expected.end(), [](const std::string& x, const std::string& y) {
    std::string fx = AsciiLower(x), fy = AsciiLower(y);
    return fx != fy ? fx < fy : x < y;
  });
  std::vector<std::string> got;
  for (uint32_t c = 0; c < dict.value()->size(); ++c) got.emplace_back(dict.value()->text(c));
  CHECK(got == expected);
}

TEST_CASE("term postings are the union of values, keys and raw texts") {
  std::string dir = TempDir("term_union");
  SegmentBuilder b;
  uint32_t region = b.FieldId("region");
  uint32_t zone = b.FieldId("zone");
  uint32_t tags = b.FieldId("tags{}");
  b.set_scanned_terms_max_fields(0);  // values in the term index, however few the fields
  // Row 0: "us" from region; row 1: from zone; row 2: from both; row 3: none, but a
  // multivalue field repeats "prod" in one event; row 4: a kept raw text.
  b.Add(0, FlatShape({"region"}), {{region, ValueType::kString, "us-east-1"}}, "");
  b.Add(1, FlatShape({"zone"}), {{zone, ValueType::kString, "US-WEST-2a"}}, "");
  b.Add(2, FlatShape({"region", "zone"}),
        {{region, ValueType::kString, "us-east-1"}, {zone, ValueType::kString, "us-east-1b"}}, "");
  std::string tag_shape;
  {
    ByteWriter w(&tag_shape);
    w.PutU8('{');
    w.PutU8('k');
    w.PutString("tags");
    w.PutU8('[');
    w.PutU8('v');
    w.PutU8('v');
    w.PutU8(']');
    w.PutU8('}');
  }
  b.Add(3, tag_shape, {{tags, ValueType::kString, "prod"}, {tags, ValueType::kString, "prod"}}, "");
  b.Add(4, "", {{region, ValueType::kString, "eu-west-1"}},
        R"({ "region" : "eu-west-1", "note" : "US only" })");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  SegmentReader& seg = *opened.value();
  int terms = seg.terms_field();

  CHECK(Rows(seg, terms, "us") == std::vector<uint32_t>{0, 1, 2, 4});
  CHECK(Rows(seg, terms, "us-east-1") == std::vector<uint32_t>{0, 2});
  CHECK(Rows(seg, terms, "east") == std::vector<uint32_t>{0, 2});
  CHECK(Rows(seg, terms, "region") == std::vector<uint32_t>{0, 2, 4});  // a key, and raw text
  CHECK(Rows(seg, terms, "zone") == std::vector<uint32_t>{1, 2});
  CHECK(Rows(seg, terms, "note") == std::vector<uint32_t>{4});
  CHECK(Rows(seg, terms, "prod") == std::vector<uint32_t>{3});
  CHECK(Rows(seg, seg.FindField("tags{}"), "prod") == std::vector<uint32_t>{3});
  CHECK(Rows(seg, seg.FindField("region"), "us-east-1") == std::vector<uint32_t>{0, 2});
}

TEST_CASE("numbers are decimal") {
  CHECK(ParseNumber("26") == 26.0);
  CHECK(ParseNumber("-1.5e3") == -1500.0);
  CHECK_FALSE(ParseNumber("0x1A").has_value());
  CHECK_FALSE(ParseNumber("10.0.0.1").has_value());
  CHECK_FALSE(ParseNumber("2023-07-10T12:25:18Z").has_value());
  CHECK_FALSE(ParseNumber("1 ").has_value());
  // Signs, points and exponents as strtod reads them, and long digit strings (CloudWatch
  // event ids) rounded the same way.
  CHECK(ParseNumber("+7") == 7.0);
  CHECK(ParseNumber(".5") == 0.5);
  CHECK(ParseNumber("-.25") == -0.25);
  CHECK(ParseNumber("5.") == 5.0);
  CHECK_FALSE(ParseNumber("+-5").has_value());
  CHECK_FALSE(ParseNumber("+").has_value());
  CHECK_FALSE(ParseNumber("-").has_value());
  CHECK_FALSE(ParseNumber("1e").has_value());
  CHECK_FALSE(ParseNumber("1.2.3").has_value());
  for (const char* id : {"31953106606966983378809025079804211143289615424298221568", "12345678901234567890",
                         "9007199254740993", "0.1000000000000000055511151231257827", "2.5e-308"})
    CHECK(ParseNumber(id) == std::strtod(id, nullptr));
}

TEST_CASE("a field of nearly all new values still gets one code per distinct value") {
  std::string dir = TempDir("append_only");
  SegmentBuilder b;
  uint32_t id = b.FieldId("eventID");
  // Enough new values to stop looking them up, then repeats of earlier ones, in both types.
  const uint32_t kUnique = 9000;
  for (uint32_t i = 0; i < kUnique; ++i)
    b.Add(i, FlatShape({"eventID"}), {{id, ValueType::kString, "id-" + std::to_string(i)}}, "");
  b.Add(kUnique, FlatShape({"eventID"}), {{id, ValueType::kString, "id-0"}}, "");
  b.Add(kUnique + 1, FlatShape({"eventID"}), {{id, ValueType::kString, "ID-7"}}, "");
  b.Add(kUnique + 2, FlatShape({"eventID"}), {{id, ValueType::kString, "id-7"}}, "");
  b.Add(kUnique + 3, FlatShape({"eventID"}), {{id, ValueType::kNumber, "42"}}, "");
  b.Add(kUnique + 4, FlatShape({"eventID"}), {{id, ValueType::kString, "42"}}, "");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  SegmentReader& seg = *opened.value();
  int f = seg.FindField("eventID");
  auto dict = seg.GetDictionary(f);
  REQUIRE(dict.ok());
  // The 9000 ids, "ID-7" (a text other than "id-7"), and 42 as a number and as a string.
  CHECK(dict.value()->size() == kUnique + 3);
  for (uint32_t c = 1; c < dict.value()->size(); ++c) {
    bool ordered = Fold(dict.value()->text(c - 1)) < Fold(dict.value()->text(c)) ||
                   (Fold(dict.value()->text(c - 1)) == Fold(dict.value()->text(c)) &&
                    (dict.value()->text(c - 1) < dict.value()->text(c) ||
                     (dict.value()->text(c - 1) == dict.value()->text(c) &&
                      dict.value()->type(c - 1) < dict.value()->type(c))));
    REQUIRE(ordered);
  }
  CHECK(Rows(seg, f, "id-0") == std::vector<uint32_t>{0, kUnique});
  CHECK(Rows(seg, f, "id-7") == std::vector<uint32_t>{7, kUnique + 1, kUnique + 2});
  CHECK(Rows(seg, f, "42") == std::vector<uint32_t>{kUnique + 3, kUnique + 4});
}

TEST_CASE("whole numbers parse as strtod does") {
  for (const char* text : {"0", "-0", "7", "007", "443", "-12", "1767002400", "999999999999999",
                           "1234567890123456", "-999999999999999", "12345678901234567890"}) {
    CAPTURE(text);
    auto v = ParseNumber(text);
    REQUIRE(v.has_value());
    double expected = std::strtod(text, nullptr);
    CHECK(*v == expected);
    CHECK(std::signbit(*v) == std::signbit(expected));
  }
  CHECK_FALSE(ParseNumber("-").has_value());
  CHECK_FALSE(ParseNumber("12a").has_value());
}

TEST_CASE("postings of many codes at once equal their union one by one") {
  std::string dir = TempDir("add_codes");
  SegmentBuilder b;
  uint32_t f = b.FieldId("bytes");
  // 3000 values held by one row each, one value held by 10 rows, one by 200.
  uint32_t row = 0;
  for (uint32_t i = 0; i < 3000; ++i)
    b.Add(row++, FlatShape({"bytes"}), {{f, ValueType::kNumber, std::to_string(100000 + i)}}, "");
  for (uint32_t i = 0; i < 10; ++i) b.Add(row++, FlatShape({"bytes"}), {{f, ValueType::kNumber, "7"}}, "");
  for (uint32_t i = 0; i < 200; ++i) b.Add(row++, FlatShape({"bytes"}), {{f, ValueType::kNumber, "8"}}, "");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  SegmentReader& seg = *opened.value();
  int field = seg.FindField("bytes");
  const PostingsView* p = seg.GetPostings(field).value();
  uint32_t n = p->size();
  REQUIRE(n == 3002);
  // Every code, backwards: every row.
  std::vector<uint32_t> all;
  for (uint32_t c = n; c-- > 0;) all.push_back(c);
  Roaring got;
  REQUIRE(p->AddCodesTo(all, &got).ok());
  CHECK(got.cardinality() == row);
  // Every third code, added to rows already there, equals the codes one by one.
  std::vector<uint32_t> some;
  for (uint32_t c = 0; c < n; c += 3) some.push_back(c);
  Roaring start;
  start.add(5000);
  Roaring each = start, once = start;
  for (uint32_t c : some) REQUIRE(p->AddTo(c, &each).ok());
  REQUIRE(p->AddCodesTo(some, &once).ok());
  CHECK(once == each);
  CHECK_FALSE(p->AddCodesTo({n}, &once).ok());  // a code beyond the postings
}

TEST_CASE("a row's codes read alone equal the decoded column group's, in every group layout") {
  // Three groups (4,096 + 4,096 + 808 rows) of fields in the three layouts: one value in
  // every row, one in every seventh row, and none to three values per row.
  std::string dir = TempDir("row_codes");
  SegmentBuilder b;
  uint32_t every = b.FieldId("every"), sparse = b.FieldId("sparse"), multi = b.FieldId("multi{}");
  const uint32_t rows = 9000;
  auto multi_count = [](uint32_t r) { return (r * 2654435761u >> 7) % 4; };
  for (uint32_t r = 0; r < rows; ++r) {
    std::string shape;
    ByteWriter w(&shape);
    std::vector<FieldValue> values;
    std::deque<std::string> texts;  // FieldValue holds views
    w.PutU8('{');
    w.PutU8('k');
    w.PutString("every");
    w.PutU8('v');
    values.push_back({every, ValueType::kString, texts.emplace_back("e" + std::to_string(r % 300))});
    if (r % 7 == 0) {
      w.PutU8('k');
      w.PutString("sparse");
      w.PutU8('v');
      values.push_back({sparse, ValueType::kString, texts.emplace_back("s" + std::to_string(r))});
    }
    w.PutU8('k');
    w.PutString("multi");
    w.PutU8('[');
    for (uint32_t m = 0; m < multi_count(r); ++m) {
      w.PutU8('v');
      values.push_back({multi, ValueType::kString, texts.emplace_back("m" + std::to_string((r + m) % 50))});
    }
    w.PutU8(']');
    w.PutU8('}');
    b.Add(static_cast<int64_t>(r) * 1000000, shape, values, "");
  }
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto sparse_reader = SegmentReader::Open(dir + "/s.cseg", "s");
  auto dense_reader = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(sparse_reader.ok());
  REQUIRE(dense_reader.ok());
  SegmentReader& alone = *sparse_reader.value();
  SegmentReader& whole = *dense_reader.value();
  const int fe = alone.FindField("every"), fs = alone.FindField("sparse"), fm = alone.FindField("multi{}");
  REQUIRE((fe >= 0 && fs >= 0 && fm >= 0));
  // Rows in an order that jumps between groups, a few per group, so the single-row path is taken.
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < 3 * SegmentReader::kSingleRowReads; ++i) order.push_back((i * 7919u) % rows);
  for (uint32_t r : order) {
    for (int f : {fe, fs, fm}) {
      std::vector<uint32_t> read_alone;
      REQUIRE(alone.AppendRowCodes(f, r, &read_alone).ok());
      auto group = whole.GetColumnGroup(f, r / kColumnGroupRows);
      REQUIRE(group.ok());
      const uint32_t k = r - group.value().first_row;
      std::vector<uint32_t> decoded(group.value().codes + group.value().Begin(k),
                                    group.value().codes + group.value().End(k));
      CHECK(read_alone == decoded);
      // The values are those written.
      std::vector<std::string> texts, expected;
      for (uint32_t c : read_alone) texts.emplace_back(alone.GetDictionary(f).value()->text(c));
      if (f == fe) expected = {"e" + std::to_string(r % 300)};
      if (f == fs && r % 7 == 0) expected = {"s" + std::to_string(r)};
      if (f == fm)
        for (uint32_t m = 0; m < multi_count(r); ++m) expected.push_back("m" + std::to_string((r + m) % 50));
      CHECK(texts == expected);
    }
    std::string raw_alone, raw_whole;
    REQUIRE(alone.GetRaw(r, &raw_alone).ok());
    REQUIRE(whole.GetRaw(r, &raw_whole).ok());
    CHECK(raw_alone == raw_whole);
    CHECK(raw_alone.find("\"e" + std::to_string(r % 300) + "\"") != std::string::npos);
  }
  // Many rows of one group: past kSingleRowReads the group is decoded, with the same codes.
  for (uint32_t r = 4096; r < 4096 + 200; ++r) {
    std::vector<uint32_t> read_alone, decoded;
    REQUIRE(alone.AppendRowCodes(fm, r, &read_alone).ok());
    REQUIRE(whole.GetRowCodes(fm, r, &decoded).ok());
    CHECK(read_alone == decoded);
  }
}
