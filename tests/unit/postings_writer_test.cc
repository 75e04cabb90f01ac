// Unit tests for PostingsWriter: rows written as array containers directly read back as
// roaring bitmaps of the same rows, byte for byte what roaring itself writes for them.
#include "storage/postings_writer.h"

#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <roaring/roaring.hh>
#include <string>
#include <vector>

namespace cairn::storage {
namespace {

uint32_t U32(const std::string& s, size_t at) {
  uint32_t v;
  std::memcpy(&v, s.data() + at, 4);
  return v;
}

// The bitmaps of a section, in order: (inline row, or the bitmap's bytes).
std::vector<std::string> Bitmaps(const std::string& section) {
  uint32_t n = U32(section, 0);
  uint32_t m = U32(section, 4 + 4 * n);
  size_t offsets = 8 + 4 * size_t{n};
  size_t data = offsets + 4 * (size_t{m} + 1);
  std::vector<std::string> out;
  for (uint32_t i = 0; i < m; ++i)
    out.push_back(section.substr(data + U32(section, offsets + 4 * i),
                                 U32(section, offsets + 4 * (i + 1)) - U32(section, offsets + 4 * i)));
  return out;
}

}  // namespace

TEST_CASE("rows written directly are roaring bitmaps of those rows") {
  std::mt19937 rng(7);
  std::vector<std::vector<uint32_t>> sets = {
      {3, 9},
      {0, 1, 2, 3},
      {65535, 65536},                      // two containers
      {5, 70000, 140000, 210000, 280000},  // five containers: more than roaring's offset threshold
  };
  for (int k = 0; k < 40; ++k) {
    std::vector<uint32_t> rows;
    uint32_t r = rng() % 1000;
    size_t n = 2 + rng() % 255;
    for (size_t i = 0; i < n; ++i, r += 1 + rng() % (k % 2 ? 5000 : 20)) rows.push_back(r);
    sets.push_back(rows);
  }
  PostingsWriter writer;
  for (const auto& rows : sets) writer.AddSortedRows(rows.data(), rows.size());
  std::string section;
  writer.AppendTo(&section);
  std::vector<std::string> bitmaps = Bitmaps(section);
  REQUIRE(bitmaps.size() == sets.size());
  for (size_t i = 0; i < sets.size(); ++i) {
    Roaring read = Roaring::readSafe(bitmaps[i].data(), bitmaps[i].size());
    Roaring want;
    want.addMany(sets[i].size(), sets[i].data());
    CHECK(read == want);
    std::string bytes(want.getSizeInBytes(true), '\0');
    want.write(bytes.data(), true);
    CHECK(bytes == bitmaps[i]);  // without runOptimize, roaring writes arrays the same way
  }
}

TEST_CASE("one row is inline; many rows go through roaring") {
  PostingsWriter writer;
  uint32_t one = 42;
  writer.AddSortedRows(&one, 1);
  std::vector<uint32_t> many(5000);
  for (uint32_t i = 0; i < many.size(); ++i) many[i] = i * 2;
  writer.AddSortedRows(many.data(), many.size());
  std::string section;
  writer.AppendTo(&section);
  CHECK(U32(section, 0) == 2);
  std::vector<std::string> bitmaps = Bitmaps(section);
  REQUIRE(bitmaps.size() == 1);
  Roaring read = Roaring::readSafe(bitmaps[0].data(), bitmaps[0].size());
  CHECK(read.cardinality() == 5000);
  CHECK(read.contains(9998));
}

}  // namespace cairn::storage
