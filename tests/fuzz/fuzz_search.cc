// libFuzzer target: a whole search (include/cairn/search.h) of any query text over a small
// index made once from the bundled samples (CloudTrail, VPC flow, CloudFront, S3 access):
// the parser, macros, the plan and every pipeline command with whatever arguments the
// fuzzer finds. A result or a query error, never a crash; each search stops after two
// seconds (SearchOptions::cancel), so a query that is only slow is not a hang.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

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

// Sets `cancel` when a search runs past its time.
class Deadline {
 public:
  explicit Deadline(std::atomic<bool>* cancel) : cancel_(cancel), thread_([this] { Watch(); }) {}
  ~Deadline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  void Watch() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(2), [this] { return done_; })) cancel_->store(true);
  }
  std::atomic<bool>* cancel_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<cairn::Searcher> searcher = OpenSampleIndex();
  std::string query(reinterpret_cast<const char*>(data), size);
  std::atomic<bool> cancel{false};
  cairn::SearchOptions options;
  options.limit = 100;
  options.want_fields = true;
  options.now_us = 1767225600000000;  // 2026-01-01, after the samples
  options.cancel = &cancel;
  options.parallel_segments = false;
  options.lookups_dir = cairn::fuzz::ScratchDir() + "/lookups";
  Deadline deadline(&cancel);
  cairn::SearchResult result = searcher->Run(query, options);
  if (result.status.ok() && !result.is_table)
    cairn::fuzz::Require(result.events.size() <= 100, "past the limit");
  return 0;
}
