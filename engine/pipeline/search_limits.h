// SearchLimits: what stops a running search before its end: the caller's cancel flag
// (Ctrl-C in the shell), a time limit (`--timeout`) and a memory limit (`--max-memory`,
// Splunk's search_process_memory_usage_threshold). Check() is called where the work is
// long: between segments, for every batch of decoded events, between pipeline commands and
// every few thousand records inside the commands that hold state (stats, dedup,
// transaction, streamstats, mvexpand; join, sort and eventstats between commands only). It costs a clock
// read; the process's memory is read (from /proc/self/statm) at most every 10 ms. The memory limit is on the
// whole process: searches that run side by side (cairn hunt's pool) share it. Safe from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "cairn/search.h"
#include "storage/status.h"

namespace cairn::engine {

class SearchLimits {
 public:
  /// No limit.
  SearchLimits() = default;
  /// `timeout_s` <= 0: no time limit; `max_memory_mb` 0: no memory limit.
  SearchLimits(const std::atomic<bool>* cancel, double timeout_s, uint64_t max_memory_mb);
  /// The limits a search's options state (cancel, timeout_s, max_memory_mb).
  explicit SearchLimits(const SearchOptions& options)
      : SearchLimits(options.cancel, options.timeout_s, options.max_memory_mb) {}
  SearchLimits(const SearchLimits&) = delete;
  SearchLimits& operator=(const SearchLimits&) = delete;

  /// OK while the search may go on; else kCancelled, or kLimitReached saying which limit
  /// stopped it and how to lift it.
  storage::Status Check() const;

  /// Memory the process holds apart from mapped files (resident anonymous pages), in bytes.
  static uint64_t ProcessMemoryBytes();

 private:
  const std::atomic<bool>* cancel_ = nullptr;
  double timeout_s_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  uint64_t max_memory_bytes_ = 0;
  mutable std::atomic<int64_t> next_memory_check_ns_{0};
};

}  // namespace cairn::engine
