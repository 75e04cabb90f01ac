// libFuzzer target: a whole search (include/cairn/search.h) of any query text over a small
// index made once from the bundled samples (CloudTrail, VPC flow, CloudFront, S3 access):
// the parser, macros, the plan and every pipeline command with whatever arguments the
// fuzzer finds. A result or a query error, never a crash; each search stops after two
// seconds (SearchOptions::timeout_s), so a query that is only slow is not a hang.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "cairn/ingest.h"
#include "cairn/search.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

std::unique_ptr<cairn::Searcher> OpenSampleIndex() {
  const char* root = std::getenv("CAIRN_SOURCE_DIR");
  std::string samples = std::string(root ? root : ".") + "/testdata/samples";
  const std::string index = cairn::fuzz::ScratchDir() + "/index";
  cairn::IngestOptions options;
  options.index_dir = index;
  options.on_error = [](const std::string&) {};
  options.on_warning = [](const std::string&) {};
  cairn::IngestReport report = cairn::Ingest({samples + "/cloudtrail-sample.ndjson", samples + "/vpcflow",
                                              samples + "/cloudfront", samples + "/s3access"},
                                             options);
  if (report.events == 0) {
    std::fprintf(stderr, "fuzz_search: no events from %s (set CAIRN_SOURCE_DIR to cairn's source)\n",
                 samples.c_str());
    std::abort();
  }
  auto searcher = cairn::Searcher::Open(index);
  if (!searcher.ok()) std::abort();
  return std::move(searcher.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<cairn::Searcher> searcher = OpenSampleIndex();
  std::string query(reinterpret_cast<const char*>(data), size);
  cairn::SearchOptions options;
  options.limit = 100;
  options.want_fields = true;
  options.now_us = 1767225600000000;  // 2026-01-01, after the samples
  options.timeout_s = 2;
  options.parallel_segments = false;
  options.lookups_dir = cairn::fuzz::ScratchDir() + "/lookups";
  cairn::SearchResult result = searcher->Run(query, options);
  if (result.status.ok() && !result.is_table)
    cairn::fuzz::Require(result.events.size() <= 100, "past the limit");
  return 0;
}
