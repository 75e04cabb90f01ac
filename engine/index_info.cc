// Implements include/cairn/index_info.h from the manifest and the segment footers.
#include "cairn/index_info.h"

#include <algorithm>
#include <map>

#include "storage/index_dir.h"
#include "storage/segment_reader.h"

namespace cairn {

bool GetIndexInfo(const std::string& dir, IndexInfo* info, std::string* error) {
  auto index = storage::IndexDir::OpenForRead(dir);
  if (!index.ok()) {
    *error = index.status().message();
    return false;
  }
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
    if (!reader.ok()) {
      *error = reader.status().ToString();
      return false;
    }
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
  return true;
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

}  // namespace cairn
