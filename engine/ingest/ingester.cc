// Ingest orchestration: expands inputs, skips content already ingested, reads events,
// flattens them into a SegmentBuilder, and writes a segment and commits the manifest
// each time the builder is full and at the end. Implements include/cairn/ingest.h.
#include <malloc.h>

#include <chrono>
#include <memory>
#include <thread>
#include <unordered_map>

#include "cairn/ingest.h"
#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/event_flattener.h"
#include "engine/ingest/input_source.h"
#include "storage/index_dir.h"
#include "storage/segment_builder.h"

namespace cairn {

namespace {

using storage::Manifest;
using storage::SegmentBuilder;

constexpr size_t kMaxBuilderBytes = 768u << 20;

class Ingester {
 public:
  Ingester(const IngestOptions& options, storage::IndexDir* dir)
      : options_(options),
        dir_(dir),
        builder_(std::make_unique<SegmentBuilder>()),
        spare_(std::make_unique<SegmentBuilder>()),
        flattener_(builder_.get()) {
    pending_ = dir->manifest();
    committed_ = dir->manifest();
    now_us_ = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  }

  void Error(const std::string& msg) {
    ++report_.errors;
    if (options_.on_error) options_.on_error(msg);
  }

  ~Ingester() { WaitFlush(); }

  // Starts writing the full builder as a segment on a second thread; ingest goes on into
  // the other builder. The manifest is committed when the write has finished, listing
  // only the inputs whose events are all in committed segments.
  void StartFlush() {
    WaitFlush();
    if (builder_->rows() == 0) return;
    std::swap(builder_, spare_);
    flattener_.set_builder(builder_.get());
    flush_name_ = dir_->NewSegmentName(&pending_);
    flush_sources_ = pending_.sources;
    flush_raw_bytes_ = pending_raw_bytes_;
    pending_raw_bytes_ = 0;
    SegmentBuilder* b = spare_.get();
    std::string path = dir_->SegmentPath(flush_name_);
    flusher_ = std::thread([this, b, path]() { flush_status_ = b->Finish(path, &flush_stats_); });
  }

  bool WaitFlush() {
    if (!flusher_.joinable()) return true;
    flusher_.join();
    if (!flush_status_.ok()) {
      Error(flush_status_.ToString());
      return false;
    }
    committed_.next_segment = pending_.next_segment;
    committed_.segments.push_back(
        {flush_name_, flush_stats_.rows, flush_stats_.min_time_us, flush_stats_.max_time_us, flush_stats_.bytes});
    committed_.sources = flush_sources_;
    committed_.raw_bytes += flush_raw_bytes_;
    ++report_.segments;
    storage::Status s = dir_->Commit(committed_);
    if (!s.ok()) {
      Error(s.ToString());
      return false;
    }
    return true;
  }

  void AddEvent(const engine::EventText& ev, const std::string& path) {
    SegmentBuilder& builder = *builder_;
    std::string error;
    if (!flattener_.Flatten(ev.data, ev.size, ev.capacity, &flat_, &error)) {
      Error(path + ":" + std::to_string(ev.line) + ": malformed JSON: " + error);
      return;
    }
    if (flat_.digest) return;
    if (!flat_.time_us) ++report_.untimed_events;
    flat_.values.push_back({source_field(), storage::ValueType::kString, path});
    flat_.values.push_back({builder.FieldId("sourcetype", true), storage::ValueType::kString, options_.sourcetype});
    flat_.values.push_back({builder.FieldId("index", true), storage::ValueType::kString, options_.index_name});
    std::string_view raw(ev.data, ev.size);
    if (flat_.verbatim) ++report_.verbatim_events;
    builder.Add(flat_.time_us.value_or(now_us_), flat_.verbatim ? std::string_view() : flat_.shape, flat_.values,
                 flat_.verbatim ? raw : std::string_view());
    ++report_.events;
    ++file_events_;
    pending_raw_bytes_ += ev.size;
    if (builder.rows() >= options_.segment_rows || builder.memory_bytes() >= kMaxBuilderBytes) StartFlush();
  }

  uint32_t source_field() { return builder_->FieldId("source", true); }

  void IngestFile(const engine::InputFile& file, uint64_t total_disk, uint64_t* done_disk) {
    std::string fingerprint;
    if (file.path != "-") {
      auto fp = engine::Fingerprint(file);
      if (!fp.ok()) {
        Error(fp.status().message());
        return;
      }
      fingerprint = fp.value();
      for (const auto& src : pending_.sources) {
        if (src.fingerprint == fingerprint) {
          ++report_.skipped_files;
          report_.skipped.push_back(file.path + " (same content as " + src.path + ")");
          *done_disk += file.size;
          return;
        }
      }
    }
    auto opened = engine::ByteStream::Open(file);
    if (!opened.ok()) {
      Error(opened.status().message());
      return;
    }
    std::unique_ptr<engine::ByteStream> stream(opened.value());
    ++report_.files;
    file_events_ = 0;
    uint64_t base = *done_disk;
    engine::ReadCallbacks cb;
    cb.on_event = [&](const engine::EventText& ev) { AddEvent(ev, file.path); };
    cb.on_error = [&](const std::string& where, const std::string& msg) { Error(file.path + ":" + where + ": " + msg); };
    cb.on_progress = [&](uint64_t disk) {
      if (options_.progress) options_.progress(base + disk, total_disk, report_.events);
    };
    engine::ReadSummary summary;
    storage::Status s = reader_.Read(stream.get(), cb, &summary);
    report_.bytes += summary.bytes;
    *done_disk = base + file.size;
    if (!s.ok()) Error(s.message());
    if (summary.digest && file_events_ == 0) {
      ++report_.digest_files;
      return;
    }
    if (!fingerprint.empty()) pending_.sources.push_back({fingerprint, file_events_, summary.bytes, file.path});
  }

  IngestReport Run(const std::vector<std::string>& paths) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::string> errors;
    std::vector<engine::InputFile> files = engine::ExpandInputs(paths, &errors);
    for (const std::string& e : errors) Error(e);
    uint64_t total = 0, done = 0;
    for (const auto& f : files) total += f.size;
    for (const auto& f : files) IngestFile(f, total, &done);
    StartFlush();
    if (WaitFlush() && committed_.sources.size() != pending_.sources.size()) {
      committed_.sources = pending_.sources;
      committed_.next_segment = pending_.next_segment;
      storage::Status s = dir_->Commit(committed_);
      if (!s.ok()) Error(s.ToString());
    }
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report_;
  }

 private:
  const IngestOptions& options_;
  storage::IndexDir* dir_;
  Manifest pending_;    // segment numbering and inputs done so far
  Manifest committed_;  // what the manifest on disk says
  std::unique_ptr<SegmentBuilder> builder_, spare_;
  std::thread flusher_;
  storage::Status flush_status_;
  storage::SegmentWriteStats flush_stats_;
  std::string flush_name_;
  std::vector<storage::SourceInfo> flush_sources_;
  uint64_t flush_raw_bytes_ = 0;
  engine::EventFlattener flattener_;
  engine::CloudTrailReader reader_;
  engine::FlatEvent flat_;
  IngestReport report_;
  uint64_t file_events_ = 0;
  uint64_t pending_raw_bytes_ = 0;
  int64_t now_us_ = 0;
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
