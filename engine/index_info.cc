// Implements include/cairn/index_info.h from the manifest and the segment footers.
#include "cairn/index_info.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "engine/ingest/time_parse.h"
#include "storage/index_dir.h"
#include "storage/segment_reader.h"

namespace cairn {

std::string FormatUtc(int64_t time_us) {
  return engine::FormatTimestamp(time_us);
}

Status GetFirstSegmentLayout(const std::string& dir, SegmentLayout* out) {
  auto index = storage::IndexDir::OpenForRead(dir);
  if (!index.ok()) return index.status();
  if (index.value().manifest().segments.empty()) return Status::NotFound("the index has no segments");
  const auto& seg = index.value().manifest().segments.front();
  auto reader = storage::SegmentReader::Open(index.value().SegmentPath(seg.file), seg.file);
  if (!reader.ok()) return reader.status();
  const storage::FooterView& footer = reader.value()->footer();
  *out = SegmentLayout();
  out->file = seg.file;
  out->rows = footer.rows();
  out->bytes = reader.value()->file_bytes();
  out->times = footer.times().size;
  out->verbatim = footer.verbatim_index().size;
  for (uint32_t c = 0; c < footer.verbatim_chunk_count(); ++c) out->verbatim += footer.verbatim_chunk(c).size;
  for (uint32_t i = 0; i < footer.field_count(); ++i) {
    const storage::FieldEntry f = footer.field(i);
    FieldSections s;
    s.name = f.name;
    s.flags = f.flags;
    s.distinct = f.distinct;
    s.dictionary = f.dictionary.size;
    s.postings = f.postings.size;
    s.presence = f.presence.size;
    s.term_filter = f.term_filter.size;
    for (uint32_t g = 0; g < f.group_count; ++g) s.columns += footer.column_group(f, g).size;
    out->fields.push_back(s);
  }
  std::stable_sort(out->fields.begin(), out->fields.end(),
                   [](const FieldSections& a, const FieldSections& b) { return a.total() > b.total(); });
  return Status::OK();
}

Status GetIndexInfo(const std::string& dir, IndexInfo* info) {
  auto index = storage::IndexDir::OpenForRead(dir);
  if (!index.ok()) return index.status();
  const storage::Manifest& m = index.value().manifest();
  *info = IndexInfo();
  info->path = dir;
  info->segments = m.segments.size();
  info->raw_bytes = m.raw_bytes;
  info->sources = m.sources.size();
  std::map<std::string, FieldSummary> fields;
  bool first = true;
  for (const auto& seg : m.segments) {
    info->events += seg.rows;
    info->disk_bytes += seg.bytes;
    if (first || seg.min_time_us < info->min_time_us) info->min_time_us = seg.min_time_us;
    if (first || seg.max_time_us > info->max_time_us) info->max_time_us = seg.max_time_us;
    first = false;
    auto reader = storage::SegmentReader::Open(index.value().SegmentPath(seg.file), seg.file);
    if (!reader.ok()) return reader.status();
    for (uint32_t i = 0; i < reader.value()->field_count(); ++i) {
      const storage::FieldEntry f = reader.value()->field(static_cast<int>(i));
      if (f.flags & (storage::kFieldShapes | storage::kFieldTerms)) continue;
      FieldSummary& s = fields[std::string(f.name)];
      s.name = f.name;
      s.events += f.rows_present;
      s.distinct += f.distinct;
    }
  }
  for (auto& [_, s] : fields) info->fields.push_back(s);
  std::stable_sort(info->fields.begin(), info->fields.end(),
                   [](const FieldSummary& a, const FieldSummary& b) { return a.events > b.events; });
  return Status::OK();
}

}  // namespace cairn

namespace cairn {

std::vector<std::string> CheckIndex(const std::string& dir, uint64_t* segments_checked) {
  std::vector<std::string> problems;
  *segments_checked = 0;
  auto index = storage::IndexDir::OpenForRead(dir);
  if (!index.ok()) {
    problems.push_back(index.status().ToString());
    return problems;
  }
  for (const auto& seg : index.value().manifest().segments) {
    ++*segments_checked;
    auto reader = storage::SegmentReader::Open(index.value().SegmentPath(seg.file), seg.file);
    storage::Status s = reader.ok() ? reader.value()->VerifyAll() : reader.status();
    if (!s.ok()) problems.push_back(seg.file + ": " + s.ToString());
  }
  return problems;
}

Status RepairIndex(const std::string& dir, std::vector<std::string>* set_aside) {
  auto index = storage::IndexDir::OpenForWrite(dir);
  if (!index.ok()) return index.status();
  storage::Manifest next = index.value().manifest();
  next.segments.clear();
  for (const auto& seg : index.value().manifest().segments) {
    auto reader = storage::SegmentReader::Open(index.value().SegmentPath(seg.file), seg.file);
    storage::Status s = reader.ok() ? reader.value()->VerifyAll() : reader.status();
    if (s.ok()) {
      next.segments.push_back(seg);
      continue;
    }
    set_aside->push_back(seg.file + ": " + s.ToString());
    std::error_code ec;
    std::string from = index.value().SegmentPath(seg.file);
    if (std::filesystem::exists(from, ec)) {
      std::filesystem::create_directories(dir + "/damaged", ec);
      std::filesystem::rename(from, dir + "/damaged/" + seg.file, ec);
      if (ec) return Status::IOError("cannot move " + from + " into " + dir + "/damaged: " + ec.message());
    }
  }
  if (set_aside->empty()) return Status::OK();
  return index.value().Commit(next);
}

}  // namespace cairn
