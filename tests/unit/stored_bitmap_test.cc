// ReadStoredBitmap (storage/bitset_roaring.h): a bitmap read from a segment is checked
// before CRoaring sees it, since a crafted segment can carry right checksums over wrong
// bytes (the segment fuzzer found bitmaps that crashed the iterator).
#include <doctest/doctest.h>

#include <cstring>
#include <roaring/roaring.hh>
#include <string>
#include <vector>

#include "storage/bitset_roaring.h"

namespace {

using cairn::storage::ReadStoredBitmap;

bool Corrupt(const cairn::Status& s) {
  return s.code() == cairn::Status::Code::kCorruption;
}

std::string Portable(const Roaring& r) {
  std::string out(r.getSizeInBytes(true), '\0');
  r.write(out.data(), true);
  return out;
}

void PutU16(std::string* s, uint16_t v) {
  s->push_back(static_cast<char>(v & 0xFF));
  s->push_back(static_cast<char>(v >> 8));
}

// One run container (key 0) in the portable format, with the runs given as (start, length-1).
std::string OneRunContainer(const std::vector<std::pair<uint16_t, uint16_t>>& runs,
                            uint16_t cardinality_minus_1) {
  std::string s;
  const uint32_t cookie = 12347;  // runs present, one container: (1 - 1) << 16
  s.append(reinterpret_cast<const char*>(&cookie), 4);
  s.push_back('\x01');  // container 0 is a run container
  PutU16(&s, 0);
  PutU16(&s, cardinality_minus_1);
  PutU16(&s, static_cast<uint16_t>(runs.size()));
  for (auto [start, length] : runs) {
    PutU16(&s, start);
    PutU16(&s, length);
  }
  return s;
}

}  // namespace

TEST_CASE("stored bitmaps: well-formed arrays, bitsets and runs read back") {
  Roaring sparse, dense, runs;
  for (uint32_t r : {3u, 70000u, 131071u}) sparse.add(r);
  for (uint32_t r = 0; r < 60000; r += 3) dense.add(r);
  runs.addRange(100, 5000);
  runs.addRange(200000, 200100);
  runs.runOptimize();
  for (const Roaring* r : {&sparse, &dense, &runs}) {
    Roaring got;
    REQUIRE(ReadStoredBitmap(Portable(*r), 300000, "postings", &got).ok());
    CHECK(got == *r);
  }
}

TEST_CASE("stored bitmaps: damage is Corruption naming the section, never a crash") {
  Roaring got;
  Roaring sparse;
  for (uint32_t r : {3u, 9u, 12u}) sparse.add(r);
  std::string good = Portable(sparse);

  SUBCASE("rows past the segment's") {
    auto s = ReadStoredBitmap(good, 12, "field eventName postings", &got);
    CHECK(Corrupt(s));
    CHECK(s.message().find("field eventName postings") != std::string::npos);
    CHECK(ReadStoredBitmap(good, 13, "postings", &got).ok());
  }
  SUBCASE("truncated") {
    for (size_t cut = 0; cut < good.size(); ++cut)
      CHECK(Corrupt(ReadStoredBitmap(good.substr(0, cut), 100, "postings", &got)));
  }
  SUBCASE("array values out of order") {
    std::string bad = good;
    std::swap(bad[bad.size() - 2], bad[bad.size() - 4]);  // 12 and 9 swap places
    CHECK(Corrupt(ReadStoredBitmap(bad, 100, "postings", &got)));
  }
  SUBCASE("a run container with no runs, overlapping runs, a run past 65535") {
    CHECK(ReadStoredBitmap(OneRunContainer({{10, 5}, {20, 3}}, 9), 100, "postings", &got).ok());
    CHECK(got.cardinality() == 10);
    CHECK(Corrupt(ReadStoredBitmap(OneRunContainer({}, 0), 100, "postings", &got)));
    CHECK(Corrupt(ReadStoredBitmap(OneRunContainer({{10, 5}, {12, 3}}, 9), 100, "postings", &got)));
    CHECK(Corrupt(ReadStoredBitmap(OneRunContainer({{65530, 10}}, 10), 70000, "postings", &got)));
  }
  SUBCASE("a bitset container whose cardinality disagrees with its bits") {
    Roaring dense;
    for (uint32_t r = 0; r < 10000; r += 2) dense.add(r);
    std::string bad = Portable(dense);
    bad[bad.size() - 1] = static_cast<char>(0xFF);  // bits the header does not count
    CHECK(Corrupt(ReadStoredBitmap(bad, 70000, "postings", &got)));
  }
  SUBCASE("an unknown cookie") {
    std::string bad = good;
    bad[0] = 'x';
    CHECK(Corrupt(ReadStoredBitmap(bad, 100, "postings", &got)));
  }
}
