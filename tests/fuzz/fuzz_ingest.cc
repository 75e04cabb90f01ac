// libFuzzer target: ingest (include/cairn/ingest.h) of one file of any content into a fresh
// index, then a count over it. The input's first byte picks the file's name (and so what
// its name may tell: `.gz`, a CloudTrail key, a VPC flow key, no extension); the rest is
// the file. Whatever the bytes, ingest reports problems and keeps what it can read, and
// the index then answers a search with exactly the events ingest said it added.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "cairn/ingest.h"
#include "cairn/search.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

const char* const kNames[] = {
    "events.ndjson",
    "events.json",
    "events.log",
    "events",
    "events.json.gz",
    "123456789012_CloudTrail_us-east-1_20250101T0000Z_abc.json",
    "123456789012_vpcflowlogs_us-east-1_fl-0a_20250101T0000Z_x.log",
    "E2ABCDEF.2025-01-01-00.abcd.log",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string name = kNames[data[0] % (sizeof kNames / sizeof kNames[0])];
  const std::string file =
      cairn::fuzz::WriteScratchFile(name, {reinterpret_cast<const char*>(data) + 1, size - 1});
  const std::string index = cairn::fuzz::ScratchDir() + "/index";
  std::filesystem::remove_all(index);

  cairn::IngestOptions options;
  options.index_dir = index;
  options.segment_rows = 64;  // several segments from a small input
  options.on_error = [](const std::string&) {};
  options.on_warning = [](const std::string&) {};
  cairn::IngestReport report = cairn::Ingest({file}, options);

  auto searcher = cairn::Searcher::Open(index);
  cairn::fuzz::Require(searcher.ok(), "the index made by ingest does not open");
  cairn::SearchOptions count;
  count.count_only = true;
  cairn::SearchResult all = searcher.value()->Run("*", count);
  cairn::fuzz::Require(all.status.ok(), "a count over the new index failed");
  cairn::fuzz::Require(all.matched == report.events,
                       "the index holds another number of events than ingest added");

  cairn::SearchOptions raw;
  raw.limit = 50;
  cairn::SearchResult events = searcher.value()->Run("*", raw);
  cairn::fuzz::Require(events.status.ok(), "reading the new index's events failed");
  return 0;
}
