// ProgressBar draws one self-updating line on a terminal's standard error: a bar, bytes
// done of total, throughput and events per second. It redraws at most every 100 ms and
// draws nothing when standard error is not a terminal. Shared by ingest and the shell.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cairn::shell {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  /// Updates the figures; redraws when due.
  void Update(uint64_t done_bytes, uint64_t total_bytes, uint64_t events);
  /// Erases the line.
  void Finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

/// "1.4 GB", "12.0 MB", "512 B".
std::string HumanBytes(double bytes);
/// "1,234,567".
std::string WithCommas(uint64_t n);

}  // namespace cairn::shell
