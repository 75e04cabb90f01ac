// Unit tests for the storage layer: codecs, blocks, dictionaries, shapes, segments and
// the manifest.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <limits>
#include <roaring/roaring.hh>
#include <set>

#include "storage/block.h"
#include "storage/coding.h"
#include "storage/dictionary.h"
#include "storage/manifest.h"
#include "storage/segment_builder.h"
#include "storage/segment_reader.h"
#include "storage/shape.h"
#include "storage/text.h"
#include "tests/unit/temp_dir.h"

using namespace cairn::storage;
using cairn::test::TempDir;

namespace {
std::string Bits(const Roaring& r, uint32_t n) {
  std::string s;
  for (uint32_t i = 0; i < n; ++i) s.push_back(r.contains(i) ? '1' : '0');
  return s;
}
}  // namespace

TEST_CASE("varints and bit packing round trip") {
  std::string buf;
  ByteWriter w(&buf);
  w.PutVarint(0);
  w.PutVarint(127);
  w.PutVarint(128);
  w.PutVarint(0xffffffffffull);
  w.PutString("héllo");
  ByteReader r(buf);
  CHECK(r.GetVarint() == 0);
  CHECK(r.GetVarint() == 127);
  CHECK(r.GetVarint() == 128);
  CHECK(r.GetVarint() == 0xffffffffffull);
  CHECK(r.GetString() == "héllo");
  CHECK(r.ok());
  r.GetU32();
  CHECK_FALSE(r.ok());

  std::vector<uint32_t> values = {0, 5, 7, 1, 6, 3};
  std::string packed;
  BitPack(values.data(), values.size(), BitWidth(7), &packed);
  CHECK(packed.size() == 3);  // 6 values x 3 bits = 18 bits
  std::vector<uint32_t> out(values.size());
  CHECK(BitUnpack(packed, out.size(), 3, out.data()));
  CHECK(out == values);
  CHECK_FALSE(BitUnpack(packed.substr(0, 2), out.size(), 3, out.data()));
  for (size_t i = 0; i < values.size(); ++i) {
    uint32_t one = 99;
    CHECK(BitExtract(packed, i, 3, &one));
    CHECK(one == values[i]);
  }
  uint32_t past = 0;
  CHECK_FALSE(BitExtract(packed, values.size() + 2, 3, &past));
  // Widths that straddle five bytes.
  std::vector<uint32_t> wide = {0xffffffffu, 1, 0x80000001u, 12345, 0x7fffffffu};
  for (int width : {17, 31, 32}) {
    std::vector<uint32_t> in = wide;
    for (uint32_t& v : in) v &= width == 32 ? 0xffffffffu : ((1u << width) - 1);
    std::string p;
    BitPack(in.data(), in.size(), width, &p);
    for (size_t i = 0; i < in.size(); ++i) {
      uint32_t one = 0;
      CHECK(BitExtract(p, i, width, &one));
      CHECK(one == in[i]);
    }
  }
}

TEST_CASE("blocks detect corruption") {
  std::string raw(1000, 'a');
  std::string block;
  EncodeBlock(raw, &block);
  CHECK(block.size() < raw.size());
  std::string back;
  size_t used = 0;
  CHECK(DecodeBlock(block, "t", &back, &used).ok());
  CHECK(back == raw);
  CHECK(used == block.size());
  block[block.size() - 1] ^= 1;
  Status s = DecodeBlock(block, "test block", &back, &used);
  CHECK(s.code() == Status::Code::kCorruption);
  CHECK(s.message().find("test block") != std::string::npos);
  CHECK_FALSE(DecodeBlock(block.substr(0, 10), "t", &back, &used).ok());
}

TEST_CASE("an LZ4 block claiming more than LZ4 can expand to is damage, not an allocation") {
  std::string raw(1000, 'a');
  std::string block;
  EncodeBlock(raw, &block);
  REQUIRE(block[0] == 1);  // LZ4
  const uint32_t stored = static_cast<uint32_t>(block.size() - kBlockHeaderSize);
  for (uint32_t claimed : {stored * 255 + 17, 0xFFFFFFFFu}) {
    std::string bad = block;
    std::memcpy(bad.data() + 1, &claimed, 4);  // raw size; the checksum covers the stored bytes only
    std::string back;
    size_t used = 0;
    Status s = DecodeBlock(bad, "dictionary", &back, &used);
    CHECK(s.code() == Status::Code::kCorruption);
    CHECK(s.message().find("claims more bytes") != std::string::npos);
    CHECK(back.capacity() < (1u << 20));
  }
}

TEST_CASE("terms follow major and minor breakers, folded") {
  std::vector<std::string> terms;
  ForEachTerm("user jeff.harrison@Example.com [AKIA1]", [&](std::string_view t) { terms.emplace_back(t); });
  std::vector<std::string> expected = {
      "user", "jeff.harrison@example.com", "jeff", "harrison", "example", "com", "akia1"};
  CHECK(terms == expected);
}

TEST_CASE("folding lowers ASCII and two-byte UTF-8 letters, keeping the length") {
  CHECK(Fold("ÉCOLE Ωmega ДОМ Ärger ŁÓDŹ Ÿ Ἀ") == "école ωmega дом ärger łódź ÿ Ἀ");  // Ἀ: 3 bytes, kept
  CHECK(Fold("×÷ß") == "×÷ß");  // no case, or no two-byte lower case
  std::string mixed = "Ünïcode ЖУК";
  CHECK(Fold(mixed).size() == mixed.size());
  CHECK(Fold("\xC3") == "\xC3");  // a cut sequence is kept as it is
  // Dictionary ranges use the same folding.
  Dictionary d;
  std::string raw;
  ByteWriter w(&raw);
  std::vector<std::string> sorted = {"JOSÉ", "josé", "Łukasz"};  // by (folded text, text)
  w.PutU32(3);
  for (size_t i = 0; i < 3; ++i) w.PutU8(0);
  uint32_t off = 0;
  w.PutU32(0);
  for (const auto& t : sorted) w.PutU32(off += static_cast<uint32_t>(t.size()));
  for (const auto& t : sorted) w.PutRaw(t.data(), t.size());
  auto parsed = Dictionary::Parse(raw, "d");
  REQUIRE(parsed.ok());
  auto eq = parsed.value().EqualRange(Fold("JoSé"));
  CHECK(eq.second - eq.first == 2);
  auto prefix = parsed.value().PrefixRange(Fold("ŁU"));
  CHECK(prefix.second - prefix.first == 1);
}

TEST_CASE("json strings escape canonically") {
  std::string out;
  AppendJsonString("a\"b\\c\n/é\x01", &out);
  CHECK(out == "\"a\\\"b\\\\c\\n/é\\u0001\"");
  // Long texts (the 32-byte fast path) with an escape at every position of a block.
  for (size_t at = 0; at < 70; ++at) {
    std::string text(70, 'x');
    text[at] = at % 3 == 0 ? '"' : (at % 3 == 1 ? '\\' : '\x1f');
    std::string want = "\"" + text.substr(0, at) +
                       (at % 3 == 0 ? "\\\"" : (at % 3 == 1 ? "\\\\" : "\\u001f")) + text.substr(at + 1) +
                       "\"";
    std::string got;
    AppendJsonString(text, &got);
    CHECK(got == want);
  }
}

TEST_CASE("shapes render the event back") {
  std::string shape;
  ByteWriter w(&shape);
  auto key = [&](std::string_view k) {
    w.PutU8('k');
    w.PutString(k);
  };
  w.PutU8('{');
  key("a");
  w.PutU8('v');
  key("r");
  w.PutU8('[');
  w.PutU8('{');
  key("ARN");
  w.PutU8('v');
  w.PutU8('}');
  w.PutU8('{');
  key("ARN");
  w.PutU8('v');
  w.PutU8('}');
  w.PutU8(']');
  key("n");
  w.PutU8('n');
  key("o");
  w.PutU8('{');
  w.PutU8('}');
  w.PutU8('}');
  std::vector<std::string> paths;
  REQUIRE(ShapeValuePaths(shape, &paths));
  CHECK(paths == std::vector<std::string>{"a", "r{}.ARN", "r{}.ARN"});
  std::string out;
  REQUIRE(RenderShape(
      shape, {{ValueType::kNumber, "1.50"}, {ValueType::kString, "x"}, {ValueType::kBool, "true"}}, &out));
  CHECK(out == R"({"a":1.50,"r":[{"ARN":"x"},{"ARN":true}],"n":null,"o":{}})");
  CHECK_FALSE(RenderShape(shape, {{ValueType::kString, "x"}}, &out));
}

TEST_CASE("segment round trip: dictionary, postings, presence, raw") {
  std::string dir = TempDir("segment");
  SegmentBuilder b;
  uint32_t name = b.FieldId("eventName");
  uint32_t code = b.FieldId("errorCode");
  uint32_t src = b.FieldId("source", true);
  b.set_scanned_terms_max_fields(0);  // values in the term index, however few the fields
  // Shape {"eventName":v,"errorCode":v} or {"eventName":v}
  auto shape = [](bool with_error) {
    std::string s;
    ByteWriter w(&s);
    w.PutU8('{');
    w.PutU8('k');
    w.PutString("eventName");
    w.PutU8('v');
    if (with_error) {
      w.PutU8('k');
      w.PutString("errorCode");
      w.PutU8('v');
    }
    w.PutU8('}');
    return s;
  };
  // Added out of time order: rows are sorted by time on write.
  b.Add(30, shape(false), {{name, ValueType::kString, "ConsoleLogin"}, {src, ValueType::kString, "f"}}, "");
  b.Add(10, shape(true),
        {{name, ValueType::kString, "consolelogin"},
         {code, ValueType::kString, "AccessDenied"},
         {src, ValueType::kString, "f"}},
        "");
  b.Add(20, "", {{name, ValueType::kString, "AssumeRole"}, {src, ValueType::kString, "f"}},
        "{ \"eventName\" : \"AssumeRole\" }");
  SegmentWriteStats stats;
  REQUIRE(b.Finish(dir + "/s.cseg", &stats).ok());
  CHECK(stats.rows == 3);
  CHECK(stats.verbatim_rows == 1);

  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  SegmentReader& seg = *opened.value();
  CHECK(seg.footer().min_time_us() == 10);
  CHECK(seg.footer().max_time_us() == 30);
  int f = seg.FindField("eventName");
  REQUIRE(f >= 0);
  CHECK(seg.FindField("eventname") < 0);  // field names are case-sensitive
  auto dict = seg.GetDictionary(f);
  REQUIRE(dict.ok());
  CHECK(dict.value()->size() == 3);
  auto range = dict.value()->EqualRange("consolelogin");
  CHECK(range.second - range.first == 2);
  Roaring rows;
  CHECK(seg.GetPostings(f).value()->AddRangeTo(range.first, range.second, &rows).ok());
  CHECK(Bits(rows, 3) == "101");  // times 10 and 30 → rows 0 and 2
  auto prefix = dict.value()->PrefixRange("ass");
  CHECK(prefix.second - prefix.first == 1);
  auto presence = seg.GetPresence(seg.FindField("errorCode"));
  REQUIRE(presence.ok());
  CHECK(Bits(*presence.value(), 3) == "100");

  std::string raw;
  REQUIRE(seg.GetRaw(0, &raw).ok());
  CHECK(raw == R"({"eventName":"consolelogin","errorCode":"AccessDenied"})");
  REQUIRE(seg.GetRaw(1, &raw).ok());
  CHECK(raw == "{ \"eventName\" : \"AssumeRole\" }");
  REQUIRE(seg.GetRaw(2, &raw).ok());
  CHECK(raw == R"({"eventName":"ConsoleLogin"})");

  // Terms come from values, keys and verbatim text, not from metadata fields.
  auto dterms = seg.GetDictionary(seg.terms_field());
  REQUIRE(dterms.ok());
  auto t = dterms.value()->EqualRange("accessdenied");
  CHECK(t.second - t.first == 1);
  Roaring trows;
  CHECK(seg.GetPostings(seg.terms_field()).value()->AddRangeTo(t.first, t.second, &trows).ok());
  CHECK(Bits(trows, 3) == "100");
  auto k = dterms.value()->EqualRange("errorcode");
  CHECK(k.second - k.first == 1);
  CHECK(dterms.value()->EqualRange("f").second == dterms.value()->EqualRange("f").first);
}

TEST_CASE("a damaged segment is reported by name, not read") {
  std::string dir = TempDir("damaged");
  SegmentBuilder b;
  uint32_t name = b.FieldId("eventName");
  for (int i = 0; i < 100; ++i) b.Add(i, "", {{name, ValueType::kString, "x" + std::to_string(i % 7)}}, "{}");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  std::string path = dir + "/s.cseg";
  {
    std::FILE* fp = std::fopen(path.c_str(), "r+b");
    std::fseek(fp, 40, SEEK_SET);
    std::fputc(0x5a, fp);
    std::fclose(fp);
  }
  auto opened = SegmentReader::Open(path, "seg-7");
  bool reported = !opened.ok();
  if (opened.ok()) {
    auto t = opened.value()->GetTimes();
    auto d = opened.value()->GetDictionary(opened.value()->FindField("eventName"));
    reported = !t.ok() || !d.ok();
    if (!t.ok()) CHECK(t.status().message().find("seg-7") != std::string::npos);
  }
  CHECK(reported);
  std::filesystem::resize_file(path, 30);
  auto truncated = SegmentReader::Open(path, "seg-7");
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().code() == Status::Code::kCorruption);
}

TEST_CASE("manifest round trip and checksum") {
  Manifest m;
  m.next_segment = 3;
  m.raw_bytes = 12345;
  m.segments.push_back({"seg-000001.cseg", 10, -5, 99, 4096});
  m.sources.push_back({"abcd", 10, 12345, "/tmp/a file.json"});
  m.parts.push_back({"ef01", false, 100, 900, 7, 6, true, "/tmp/big file.ndjson"});
  std::string text = m.Encode();
  Manifest back;
  REQUIRE(Manifest::Decode(text, "m", &back).ok());
  CHECK(back.next_segment == 3);
  CHECK(back.segments.size() == 1);
  CHECK(back.segments[0].min_time_us == -5);
  CHECK(back.sources[0].path == "/tmp/a file.json");
  REQUIRE(back.parts.size() == 1);
  CHECK_FALSE(back.parts[0].whole);
  CHECK(back.parts[0].begin == 100);
  CHECK(back.parts[0].end == 900);
  CHECK(back.parts[0].records == 7);
  CHECK(back.parts[0].events == 6);
  CHECK(back.parts[0].finished);
  CHECK(back.parts[0].path == "/tmp/big file.ndjson");
  // A version 1 manifest (no part lines) still reads.
  std::string v1 = "cairn-manifest 1\nnext_segment 2\nraw_bytes 5\n";
  char crc[32];
  std::snprintf(crc, sizeof crc, "crc32 %08x\n", Crc32(v1));
  CHECK(Manifest::Decode(v1 + crc, "m", &back).ok());
  CHECK(back.next_segment == 2);
  text[20] = 'X';
  CHECK(Manifest::Decode(text, "m", &back).code() == Status::Code::kCorruption);
}

TEST_CASE("a manifest naming a segment file outside the index is damage") {
  for (const char* name : {"../../etc/passwd", "/tmp/seg-000001.cseg", "seg-00000x.cseg", "seg-.cseg"}) {
    Manifest m;
    m.segments.push_back({name, 1, 0, 0, 10});
    Manifest back;
    Status s = Manifest::Decode(m.Encode(), "MANIFEST", &back);
    CHECK(s.code() == Status::Code::kCorruption);
    CHECK(s.message().find("is not a segment file name") != std::string::npos);
  }
  CHECK(IsSegmentFileName("seg-000042.cseg"));
}

TEST_CASE("dictionaries index their numbers by value") {
  std::string dir = TempDir("numbers");
  SegmentBuilder b;
  uint32_t f = b.FieldId("bytes");
  const char* values[] = {"10", "9", "1e3", "abc", "-2.5", "0010", "9"};
  for (int i = 0; i < 7; ++i)
    b.Add(i, "", {{f, i == 3 ? ValueType::kString : ValueType::kNumber, values[i]}}, "{}");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  auto d = opened.value()->GetDictionary(opened.value()->FindField("bytes"));
  REQUIRE(d.ok());
  const Dictionary& dict = *d.value();
  REQUIRE(dict.has_numeric_index());
  CHECK(dict.numeric_count() == 5);  // "10", "9", "1e3", "-2.5", "0010": not "abc"
  for (uint32_t i = 1; i < dict.numeric_count(); ++i)
    CHECK(dict.numeric_value(i - 1) <= dict.numeric_value(i));
  const double inf = std::numeric_limits<double>::infinity();
  auto texts = [&](std::pair<uint32_t, uint32_t> r) {
    std::multiset<std::string> out;
    for (uint32_t i = r.first; i < r.second; ++i) out.emplace(dict.text(dict.numeric_code(i)));
    return out;
  };
  CHECK(texts(dict.NumericRange(9, false, inf, true)) == std::multiset<std::string>{"10", "1e3", "0010"});
  CHECK(texts(dict.NumericRange(9, true, inf, true)) == std::multiset<std::string>{"9", "10", "1e3", "0010"});
  CHECK(texts(dict.NumericRange(-inf, true, 10, false)) == std::multiset<std::string>{"-2.5", "9"});
  CHECK(texts(dict.NumericRange(-inf, true, 10, true)) ==
        std::multiset<std::string>{"-2.5", "9", "10", "0010"});
}
