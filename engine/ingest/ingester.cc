// Ingest orchestration: expands inputs, skips content already ingested, cuts large NDJSON and text
// log files into line-aligned parts, runs one or two lanes over the work, and commits the
// manifest after each segment a lane writes: an input is listed as a source once all of
// its events are in committed segments, and until then its parts record how far they got,
// so that an ingest cut short resumes there. Implements include/cairn/ingest.h.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cairn/ingest.h"
#include "engine/ingest/ingest_lane.h"
#include "engine/ingest/input_source.h"
#include "storage/index_dir.h"
#include "storage/segment_format.h"

namespace cairn {

namespace {

using engine::UnitProgress;
using engine::WorkUnit;
using storage::Manifest;
using storage::Result;

class Ingester : public engine::LaneHost {
 public:
  Ingester(const IngestOptions& options, storage::IndexDir* dir) : options_(options), dir_(dir) {
    manifest_ = dir->manifest();
    lane_options_.index_name = options.index_name;
    lane_options_.sourcetype = options.sourcetype;
    lane_options_.source = options.source;
    lane_options_.time_field = options.time_field;
    lane_options_.time_format = options.time_format;
    lane_options_.segment_rows = std::clamp<uint32_t>(options.segment_rows, 1, storage::kMaxSegmentRows);
    lane_options_.now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  }

  IngestReport Run(const std::vector<std::string>& paths) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::string> errors;
    std::vector<engine::InputFile> files = engine::ExpandInputs(paths, &errors);
    for (const std::string& e : errors) Error(e);
    for (const auto& f : files) total_disk_ += f.size;
    PlanUnits(files);

    int lanes = queue_.size() >= 2 && std::thread::hardware_concurrency() >= 2 ? 2 : 1;
    lane_options_.async_write = lanes == 1;
    std::vector<std::unique_ptr<engine::IngestLane>> workers;
    for (int i = 0; i < lanes; ++i)
      workers.push_back(std::make_unique<engine::IngestLane>(lane_options_, this));
    std::vector<std::thread> threads;
    for (int i = 1; i < lanes; ++i)
      threads.emplace_back([&workers, i]() { workers[static_cast<size_t>(i)]->Run(); });
    workers[0]->Run();
    for (auto& t : threads) t.join();

    for (const auto& w : workers) {
      report_.bytes += w->counts().bytes;
      report_.untimed_events += w->counts().untimed_events;
      report_.verbatim_events += w->counts().verbatim_events;
    }
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report_;
  }

  bool NextUnit(WorkUnit* unit) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_ || next_unit_ >= queue_.size()) return false;
    *unit = units_[queue_[next_unit_++]];
    return true;
  }

  void Error(const std::string& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    ErrorLocked(message);
  }

  void WriteFailed(const std::string& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    StopLocked(message);
  }

  bool Stopped() override { return stopped_.load(); }

  void Warning(const std::string& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++report_.warnings;
    if (options_.on_warning) options_.on_warning(message);
  }

  void Progress(uint64_t disk_bytes_delta, uint64_t events_delta) override {
    std::lock_guard<std::mutex> lock(mu_);
    done_disk_ += disk_bytes_delta;
    events_so_far_ += events_delta;
    if (options_.progress) options_.progress(done_disk_, total_disk_, events_so_far_);
  }

  std::string NewSegment(std::string* name) override {
    std::lock_guard<std::mutex> lock(mu_);
    *name = dir_->NewSegmentName(&manifest_);
    return dir_->SegmentPath(*name);
  }

  void SegmentWritten(const std::string& name, const storage::SegmentWriteStats& stats,
                      const std::vector<UnitProgress>& units) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) {  // nothing more is committed: a segment written meanwhile is not kept
      if (!name.empty()) std::remove(dir_->SegmentPath(name).c_str());
      return;
    }
    uint64_t events = 0;
    if (!name.empty()) {
      manifest_.segments.push_back({name, stats.rows, stats.min_time_us, stats.max_time_us, stats.bytes});
      ++report_.segments;
    }
    std::vector<size_t> touched;
    for (const UnitProgress& u : units) {
      InputState& in = inputs_[u.input];
      UnitState& us = unit_states_[u.unit];
      events += u.events;
      in.events += u.events;
      us.records += u.records;
      us.events += u.events;
      manifest_.raw_bytes += u.event_bytes;
      if (std::find(touched.begin(), touched.end(), u.input) == touched.end()) touched.push_back(u.input);
      if (!u.finished) continue;
      us.finished = true;
      in.read_bytes += u.read_bytes;
      in.digest |= u.digest;
      in.unreadable |= u.unreadable;
      ++in.units_done;
    }
    for (size_t input : touched) {
      InputState& in = inputs_[input];
      if (in.fingerprint.empty()) continue;  // standard input: never resumed
      auto& parts = manifest_.parts;
      parts.erase(std::remove_if(parts.begin(), parts.end(),
                                 [&](const storage::PartInfo& p) { return p.fingerprint == in.fingerprint; }),
                  parts.end());
      if (in.units_done < in.unit_ids.size()) {
        for (size_t id : in.unit_ids) {
          const WorkUnit& w = units_[id];
          const UnitState& us = unit_states_[id];
          parts.push_back(
              {in.fingerprint, w.whole, w.begin, w.end, us.records, us.events, us.finished, in.path});
        }
        continue;
      }
      if (in.unreadable) continue;  // not listed: a later ingest tries it again
      if (in.digest && in.events == 0) {
        ++report_.digest_files;
      } else {
        manifest_.sources.push_back({in.fingerprint, in.events, in.read_bytes, in.path});
      }
    }
    storage::Status s = dir_->Commit(manifest_);
    if (!s.ok()) {
      StopLocked(s.ToString());
      return;
    }
    report_.events += events;  // committed
    if (options_.crash_after_commits != 0 && ++commits_ == options_.crash_after_commits) std::_Exit(75);
  }

 private:
  struct InputState {
    std::string path, fingerprint;
    std::vector<size_t> unit_ids;
    size_t units_done = 0;
    uint64_t events = 0, read_bytes = 0;
    bool digest = false, unreadable = false;
  };
  // What is committed of a unit, over this ingest and the interrupted one it resumes.
  struct UnitState {
    uint64_t records = 0, events = 0;
    bool finished = false;
  };

  void AddUnit(size_t input, WorkUnit unit, const UnitState& state) {
    unit.unit = units_.size();
    unit.input = input;
    unit.skip_records = state.records;
    inputs_[input].unit_ids.push_back(unit.unit);
    if (state.finished)
      ++inputs_[input].units_done;
    else
      queue_.push_back(unit.unit);
    units_.push_back(unit);
    unit_states_.push_back(state);
  }

  // Whether a plain file may be read in parts, and how: NDJSON (`*text_format` -1), or a
  // text log (its index in TextLogFormats()). Whole JSON documents, CloudWatch Logs exports
  // (whose messages may span lines) and compressed files are read whole.
  bool SplittableFormat(const engine::InputFile& file, int* text_format) {
    *text_format = -1;
    if (file.gzip || file.stream) return false;
    auto head = engine::ReadHead(file, 1 << 20);
    if (!head.ok()) return false;
    if (engine::StartsAsNdjson(head.value())) return true;
    *text_format = engine::MatchTextFormat(head.value(), text_formats_);
    return *text_format >= 0;
  }

  void ErrorLocked(const std::string& message) {
    ++report_.errors;
    if (options_.on_error) options_.on_error(message);
  }

  // The index cannot be written: says so once, with what is kept, and stops every lane.
  void StopLocked(const std::string& message) {
    if (stopped_) return;
    stopped_ = true;
    report_.stopped = true;
    ErrorLocked(message + "\n  the ingest stopped: " + std::to_string(report_.events) +
                " events of this run are committed and kept; run the same ingest again once the index can be "
                "written (space freed), and it adds only what is missing");
  }

  // One unit per input, or several line-aligned parts of a large NDJSON file; inputs
  // already in the manifest are skipped.
  void PlanUnits(const std::vector<engine::InputFile>& files) {
    std::map<std::string, std::string> planned;  // fingerprint → path, within this run
    for (const engine::InputFile& file : files) {
      std::string fingerprint;
      if (!file.stream) {
        auto fp = engine::Fingerprint(file);
        if (!fp.ok()) {
          Error(fp.status().message());
          continue;
        }
        fingerprint = fp.value();
        std::string same;
        for (const auto& src : manifest_.sources)
          if (src.fingerprint == fingerprint) same = src.path;
        if (auto it = planned.find(fingerprint); same.empty() && it != planned.end()) same = it->second;
        if (!same.empty()) {
          ++report_.skipped_files;
          report_.skipped.push_back(file.path + " (same content as " + same + ")");
          done_disk_ += file.size;
          continue;
        }
        planned.emplace(fingerprint, file.path);
      }
      ++report_.files;
      size_t input = inputs_.size();
      inputs_.push_back({file.path, fingerprint, {}});
      // An input an interrupted ingest left parts of: the same parts, minus what is committed.
      uint64_t committed = 0;
      std::optional<int> part_format;
      for (const storage::PartInfo& p : manifest_.parts) {
        if (fingerprint.empty() || p.fingerprint != fingerprint) continue;
        if (!part_format) SplittableFormat(file, &part_format.emplace());
        WorkUnit unit{0, 0, file, p.whole, p.begin, p.end, 0};
        unit.text_format = *part_format;
        AddUnit(input, unit, {p.records, p.events, p.finished});
        inputs_[input].events += p.events;
        committed += p.events;
      }
      if (!inputs_[input].unit_ids.empty()) {
        report_.resumed.push_back(file.path + " (" + std::to_string(committed) +
                                  " events were already in the index)");
        continue;
      }
      // A log that grew since an earlier ingest read it: only its new lines.
      uint64_t old_size = 0;
      for (const auto& src : manifest_.sources)
        if (src.path == file.path) {
          uint64_t size = 0;
          if (engine::GrewFrom(file, src.fingerprint, &size)) old_size = std::max(old_size, size);
        }
      if (int format = -1; old_size > 0 && SplittableFormat(file, &format)) {
        WorkUnit unit{0, 0, file, false, old_size, file.size, 0};
        unit.text_format = format;
        AddUnit(input, unit, {});
        report_.grown.push_back(file.path + " (" + std::to_string(file.size - old_size) + " new bytes)");
        continue;
      }
      int text_format = -1;
      bool splittable = file.size >= options_.split_bytes * 2 && SplittableFormat(file, &text_format);
      auto ranges = splittable ? engine::SplitAtLines(file, 2, options_.split_bytes)
                               : Result<std::vector<std::pair<uint64_t, uint64_t>>>(
                                     std::vector<std::pair<uint64_t, uint64_t>>{});
      if (!ranges.ok() || ranges.value().size() < 2) {
        if (!ranges.ok()) Error(ranges.status().message());
        AddUnit(input, {0, 0, file, true, 0, file.size, 0}, {});
      } else {
        for (const auto& [begin, end] : ranges.value()) {
          WorkUnit unit{0, 0, file, false, begin, end, 0};
          unit.text_format = text_format;
          AddUnit(input, unit, {});
        }
      }
    }
  }

  const IngestOptions& options_;
  storage::IndexDir* dir_;
  engine::LaneOptions lane_options_;
  std::vector<std::unique_ptr<engine::TextLogFormat>> text_formats_ = engine::TextLogFormats();
  std::mutex mu_;
  Manifest manifest_;  // what the manifest on disk says, plus segment numbering
  std::vector<WorkUnit> units_;
  std::vector<UnitState> unit_states_;  // parallel to units_
  std::vector<size_t> queue_;           // units to read, in order
  size_t next_unit_ = 0;
  uint32_t commits_ = 0;
  std::atomic<bool> stopped_{false};  // a segment or the manifest could not be written
  std::vector<InputState> inputs_;
  uint64_t total_disk_ = 0, done_disk_ = 0, events_so_far_ = 0;
  IngestReport report_;
};

}  // namespace

IngestReport Ingest(const std::vector<std::string>& paths, const IngestOptions& options) {
  // Segment builders allocate and free hundreds of MB per segment: keep that memory in
  // the process instead of returning it to the kernel and faulting it back in.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  auto dir = storage::IndexDir::OpenForWrite(options.index_dir);
  if (!dir.ok()) {
    IngestReport r;
    r.errors = 1;
    if (options.on_error) options.on_error(dir.status().message());
    return r;
  }
  Ingester ingester(options, &dir.value());
  return ingester.Run(paths);
}

}  // namespace cairn
