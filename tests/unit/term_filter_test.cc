// Unit tests for the read-in-place pieces of the storage format: chunk-checked blocks,
// term filters, and the footer's sorted field records.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "storage/block.h"
#include "storage/segment_builder.h"
#include "storage/segment_reader.h"
#include "storage/term_filter.h"
#include "tests/unit/temp_dir.h"

using namespace cairn::storage;
using cairn::test::TempDir;

TEST_CASE("a chunk-checked block verifies only the chunks a read touches") {
  std::string raw;
  for (int i = 0; i < 10000; ++i) raw.push_back(static_cast<char>('a' + i % 26));
  std::string block;
  EncodeCheckedBlock(raw, &block);
  auto view = CheckedView::Open(block, "t");
  REQUIRE(view.ok());
  CHECK(view.value().data() == raw);
  CHECK(view.value().CheckAll("t").ok());

  // Damage one byte of the second chunk (bytes 4096..8191 of the data).
  size_t data_start = block.size() - raw.size();
  block[data_start + 5000] ^= 0x20;
  auto damaged = CheckedView::Open(block, "seg-9 postings");
  REQUIRE(damaged.ok());
  CHECK(damaged.value().Check(0, 100, "seg-9 postings").ok());
  CHECK(damaged.value().Check(9000, 1000, "seg-9 postings").ok());
  Status s = damaged.value().Check(4090, 10, "seg-9 postings");
  CHECK(s.code() == Status::Code::kCorruption);
  CHECK(s.message().find("seg-9 postings") != std::string::npos);
  CHECK(s.message().find("chunk 1") != std::string::npos);
  CHECK(damaged.value().Check(9990, 20, "x").code() == Status::Code::kCorruption);  // past the end

  // A damaged chunk table is caught on open.
  std::string bad_table = std::string(block);
  bad_table[kBlockHeaderSize] ^= 1;
  CHECK_FALSE(CheckedView::Open(bad_table, "t").ok());
  // The whole-block readers accept it and check every chunk.
  std::string out;
  size_t consumed = 0;
  CHECK(DecodeBlock(block, "t", &out, &consumed).code() == Status::Code::kCorruption);
}

TEST_CASE("a term filter holds every term added and few others") {
  std::vector<uint64_t> hashes;
  for (int i = 0; i < 20000; ++i) hashes.push_back(TermHash("term" + std::to_string(i)));
  std::string filter = BuildTermFilter(hashes);
  uint32_t blocks;
  std::memcpy(&blocks, filter.data(), 4);
  uint8_t probes = static_cast<uint8_t>(filter[4]);
  REQUIRE(filter.size() == kTermFilterHeaderBytes + size_t{blocks} * kTermFilterBlockBytes);
  auto may = [&](const std::string& t) {
    uint64_t h = TermHash(t);
    return TermFilterBlockMayContain(filter.data() + TermFilterBlockOffset(h, blocks), h, probes);
  };
  for (int i = 0; i < 20000; ++i) REQUIRE(may("term" + std::to_string(i)));
  int false_positives = 0;
  for (int i = 0; i < 20000; ++i) false_positives += may("other" + std::to_string(i));
  CHECK(false_positives < 20000 / 20);  // under 5%
  CHECK(TermHash("abc") != TermHash("abd"));
  CHECK(TermHash("") != TermHash(std::string(1, '\0')));
}

TEST_CASE("high-cardinality fields get a term filter of their value parts") {
  std::string dir = TempDir("filter");
  SegmentBuilder b;
  uint32_t id = b.FieldId("requestID");
  uint32_t name = b.FieldId("eventName");
  for (int i = 0; i < 3000; ++i)
    b.Add(i, "", {{id, ValueType::kString, "Req-" + std::to_string(i) + ".X" + std::to_string(i * 7919)},
                  {name, ValueType::kString, i % 2 ? "GetObject" : "PutObject"}},
          "{}");
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  SegmentReader& seg = *opened.value();
  int f = seg.FindField("requestID");
  REQUIRE(f >= 0);
  CHECK(seg.field(f).term_filter.size > 0);
  CHECK(seg.field(seg.FindField("eventName")).term_filter.size == 0);  // low cardinality: in the term index
  for (int i = 0; i < 3000; i += 37) {
    auto may = seg.MayHoldParts(f, {"req", std::to_string(i), "x" + std::to_string(i * 7919)});
    REQUIRE(may.ok());
    CHECK(may.value());
  }
  int rejected = 0;
  for (int i = 0; i < 200; ++i) {
    auto may = seg.MayHoldParts(f, {"absent" + std::to_string(i)});
    REQUIRE(may.ok());
    rejected += !may.value();
  }
  CHECK(rejected > 180);
  CHECK(seg.VerifyAll().ok());
}

TEST_CASE("footer field records are sorted by name and found by binary search") {
  std::string dir = TempDir("footer");
  SegmentBuilder b;
  std::set<std::string> names;
  std::vector<uint32_t> ids;
  for (int i = 0; i < 300; ++i) {
    std::string n = "f" + std::to_string((i * 7) % 300) + (i % 3 ? ".sub" : "{}.x");
    names.insert(n);
    ids.push_back(b.FieldId(n));
  }
  for (int r = 0; r < 10; ++r) {
    std::vector<FieldValue> values;
    std::string text = std::to_string(r);
    for (size_t i = r; i < ids.size(); i += 10) values.push_back({ids[i], ValueType::kNumber, text});
    b.Add(r, "", values, "{}");
  }
  REQUIRE(b.Finish(dir + "/s.cseg", nullptr).ok());
  auto opened = SegmentReader::Open(dir + "/s.cseg", "s");
  REQUIRE(opened.ok());
  SegmentReader& seg = *opened.value();
  std::set<std::string> seen;
  std::string previous;
  for (uint32_t i = 0; i < seg.field_count(); ++i) {
    std::string n(seg.field(static_cast<int>(i)).name);
    CHECK(n > previous);
    previous = n;
    seen.insert(n);
    CHECK(seg.FindField(n) == static_cast<int>(i));
  }
  for (const std::string& n : names) CHECK(seen.count(n) == 1);
  CHECK(seg.FindField("f1") < 0);
  CHECK(seg.FindField("zzz") < 0);
  CHECK(seg.FindField("") < 0);
  CHECK(seg.terms_field() >= 0);
  CHECK(seg.shapes_field() >= 0);
  CHECK(seg.VerifyAll().ok());
}
