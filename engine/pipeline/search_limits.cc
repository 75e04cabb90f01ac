#include "engine/pipeline/search_limits.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "cairn/search.h"

namespace cairn::engine {

namespace {

constexpr int64_t kMemoryCheckIntervalNs = 10'000'000;

std::string Megabytes(uint64_t bytes) {
  return std::to_string((bytes + (1u << 19)) >> 20) + " MB";
}

}  // namespace

SearchLimits::SearchLimits(const std::atomic<bool>* cancel, double timeout_s, uint64_t max_memory_mb)
    : cancel_(cancel),
      timeout_s_(timeout_s),
      deadline_(std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(timeout_s > 0 ? timeout_s : 0))),
      max_memory_bytes_(max_memory_mb << 20) {}

storage::Status SearchLimits::Check() const {
  if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) return storage::Status::Cancelled();
  if (timeout_s_ <= 0 && max_memory_bytes_ == 0) return storage::Status::OK();
  const auto now = std::chrono::steady_clock::now();
  if (timeout_s_ > 0 && now >= deadline_) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", timeout_s_);
    return storage::Status::LimitReached(std::string("the search stopped at its time limit (--timeout ") +
                                         seconds + " s)");
  }
  if (max_memory_bytes_ == 0) return storage::Status::OK();
  const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  int64_t next = next_memory_check_ns_.load(std::memory_order_relaxed);
  if (now_ns < next || !next_memory_check_ns_.compare_exchange_strong(next, now_ns + kMemoryCheckIntervalNs))
    return storage::Status::OK();
  const uint64_t held = ProcessMemoryBytes();
  if (held <= max_memory_bytes_) return storage::Status::OK();
  return storage::Status::LimitReached(
      "the search stopped at its memory limit: cairn holds " + Megabytes(held) + ", past --max-memory " +
      Megabytes(max_memory_bytes_) + " (narrow the search, or raise the limit)");
}

uint64_t SearchLimits::ProcessMemoryBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0, shared = 0;
  int n = std::fscanf(f, "%llu %llu %llu", &size, &resident, &shared);
  std::fclose(f);
  if (n != 3 || shared > resident) return 0;
  return (resident - shared) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace cairn::engine

namespace cairn {

uint64_t DefaultMaxMemoryMb() {
  static const uint64_t mb = [] {
    long pages = ::sysconf(_SC_PHYS_PAGES);
    long page_bytes = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_bytes <= 0) return uint64_t{4000};
    return (static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_bytes) / 2) >> 20;
  }();
  return mb;
}

}  // namespace cairn
