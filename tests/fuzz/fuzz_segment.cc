// libFuzzer target: the segment reader (storage/segment_reader.h) on any file. The build
// for fuzzing (`make fuzz`) accepts every checksum (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
// in storage/block.cc), so the fuzzer reaches the decoders behind them: a crafted segment
// whose checksums are right must still be reported as damaged, never read out of bounds.
// The seeds are segments of the bundled samples. It opens the file, verifies it, and reads
// what a search reads: times, dictionaries, postings, presence, numeric zones and groups,
// each row's codes and values, and `_raw`.
#include <cstddef>
#include <cstdint>
#include <roaring/roaring.hh>
#include <string>
#include <vector>

#include "storage/segment_reader.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

using cairn::storage::SegmentReader;

void ReadField(SegmentReader* reader, int field) {
  if (reader->IsNumeric(field)) {
    auto zones = reader->GetNumericZones(field);
    Roaring rows;
    (void)reader->AddNumericRows(field, 0, 1000, &rows);
    return;
  }
  auto dict = reader->GetDictionary(field);
  auto postings = reader->GetPostings(field);
  auto presence = reader->GetPresence(field);
  if (dict.ok() && postings.ok() && dict.value()->size() > 0) {
    Roaring rows;
    (void)postings.value()->AddTo(0, &rows);
    (void)postings.value()->AddRangeTo(0, dict.value()->size(), &rows);
  }
  (void)reader->MayHoldParts(field, {"root", "a"});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path =
      cairn::fuzz::WriteScratchFile("seg-000001.cseg", {reinterpret_cast<const char*>(data), size});
  auto opened = SegmentReader::Open(path, "seg-000001.cseg");
  if (!opened.ok()) return 0;
  SegmentReader* reader = opened.value().get();
  (void)reader->VerifyAll();
  auto times = reader->GetTimes();
  for (int f = 0; f < static_cast<int>(reader->field_count()); ++f) ReadField(reader, f);

  const uint32_t rows = std::min<uint32_t>(reader->rows(), 300);
  std::string raw;
  std::vector<uint32_t> codes;
  for (uint32_t row = 0; row < rows; ++row) {
    (void)reader->GetRaw(row, &raw);
    for (int f = 0; f < static_cast<int>(reader->field_count()); ++f) {
      codes.clear();
      if (!reader->AppendRowCodes(f, row, &codes).ok()) continue;
      if (reader->IsNumeric(f)) continue;
      auto dict = reader->GetDictionary(f);
      if (!dict.ok()) continue;
      for (uint32_t code : codes) raw.append(dict.value()->text(code));
    }
  }
  reader->TrimCaches();
  return 0;
}
