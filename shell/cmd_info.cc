// `cairn info`: what the index holds.
#include <algorithm>
#include <cstdio>

#include "cairn/index_info.h"
#include "engine/ingest/time_parse.h"
#include "shell/cli.h"
#include "shell/progress_bar.h"
#include "storage/index_dir.h"
#include "storage/segment_reader.h"

namespace cairn::shell {

namespace {
// Bytes per section kind and per field in the first segment, largest first.
int PrintSections(const std::string& dir) {
  auto index = storage::IndexDir::OpenForRead(dir);
  if (!index.ok() || index.value().manifest().segments.empty()) {
    std::fprintf(stderr, "cairn: no segments\n");
    return 1;
  }
  const auto& seg = index.value().manifest().segments.front();
  auto reader = storage::SegmentReader::Open(index.value().SegmentPath(seg.file), seg.file);
  if (!reader.ok()) {
    std::fprintf(stderr, "cairn: %s\n", reader.status().ToString().c_str());
    return 1;
  }
  const auto& footer = reader.value()->footer();
  struct Row { uint64_t total, dict, post, pres, filter, col; std::string name; uint32_t distinct; uint8_t flags; };
  std::vector<Row> rows;
  uint64_t sums[5] = {0, 0, 0, 0, 0};
  for (uint32_t i = 0; i < footer.field_count(); ++i) {
    const auto f = footer.field(i);
    Row r{0, f.dictionary.size, f.postings.size, f.presence.size, f.term_filter.size, 0, std::string(f.name),
          f.distinct, f.flags};
    for (uint32_t g = 0; g < f.group_count; ++g) r.col += footer.column_group(f, g).size;
    r.total = r.dict + r.post + r.pres + r.filter + r.col;
    sums[0] += r.dict; sums[1] += r.post; sums[2] += r.pres; sums[3] += r.filter; sums[4] += r.col;
    rows.push_back(r);
  }
  uint64_t verbatim = footer.verbatim_index().size;
  for (uint32_t c = 0; c < footer.verbatim_chunk_count(); ++c) verbatim += footer.verbatim_chunk(c).size;
  std::printf("segment %s: %u rows, %llu bytes; dictionaries %llu, postings %llu, presence %llu, term filters %llu, "
              "columns %llu, verbatim raw %llu, times %llu\n", seg.file.c_str(), footer.rows(),
              static_cast<unsigned long long>(reader.value()->file_bytes()),
              static_cast<unsigned long long>(sums[0]), static_cast<unsigned long long>(sums[1]),
              static_cast<unsigned long long>(sums[2]), static_cast<unsigned long long>(sums[3]),
              static_cast<unsigned long long>(sums[4]), static_cast<unsigned long long>(verbatim),
              static_cast<unsigned long long>(footer.times().size));
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.total > b.total; });
  std::printf("%-50s %10s %8s %10s %10s %8s %8s %10s  flags\n", "field", "total", "distinct", "dictionary",
              "postings", "presence", "filter", "columns");
  for (size_t i = 0; i < rows.size() && i < 30; ++i) {
    const Row& r = rows[i];
    std::printf("%-50s %10llu %8u %10llu %10llu %8llu %8llu %10llu  %u\n", r.name.c_str(),
                static_cast<unsigned long long>(r.total), r.distinct, static_cast<unsigned long long>(r.dict),
                static_cast<unsigned long long>(r.post), static_cast<unsigned long long>(r.pres),
                static_cast<unsigned long long>(r.filter), static_cast<unsigned long long>(r.col), r.flags);
  }
  return 0;
}
}  // namespace

int RunInfo(const GlobalOptions& global, const std::vector<std::string>& args) {
  size_t max_fields = 40;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--all-fields") max_fields = SIZE_MAX;
    if (args[i] == "--sections") return PrintSections(global.index_dir);
  }
  IndexInfo info;
  std::string error;
  if (!GetIndexInfo(global.index_dir, &info, &error)) {
    std::fprintf(stderr, "cairn: %s\n", error.c_str());
    return 1;
  }
  std::printf("index       %s\n", info.path.c_str());
  std::printf("segments    %s\n", WithCommas(info.segments).c_str());
  std::printf("events      %s\n", WithCommas(info.events).c_str());
  std::printf("sources     %s files\n", WithCommas(info.sources).c_str());
  if (info.events) {
    std::printf("time range  %s .. %s\n", engine::FormatTimestamp(info.min_time_us).c_str(),
                engine::FormatTimestamp(info.max_time_us).c_str());
  }
  double ratio = info.raw_bytes ? 100.0 * static_cast<double>(info.disk_bytes) / static_cast<double>(info.raw_bytes) : 0;
  std::printf("size        %s on disk for %s of raw events (%.1f%%)\n", HumanBytes(static_cast<double>(info.disk_bytes)).c_str(),
              HumanBytes(static_cast<double>(info.raw_bytes)).c_str(), ratio);
  std::printf("fields      %zu\n", info.fields.size());
  size_t shown = 0;
  for (const auto& f : info.fields) {
    if (shown++ >= max_fields) {
      std::printf("  ... %zu more (cairn info --all-fields)\n", info.fields.size() - max_fields);
      break;
    }
    std::printf("  %-60s %12s events\n", f.name.c_str(), WithCommas(f.events).c_str());
  }
  return 0;
}

}  // namespace cairn::shell

namespace cairn::shell {

int RunCheck(const GlobalOptions& global, const std::vector<std::string>&) {
  uint64_t checked = 0;
  std::vector<std::string> problems = CheckIndex(global.index_dir, &checked);
  for (const std::string& p : problems) std::fprintf(stderr, "cairn check: %s\n", p.c_str());
  std::printf("%llu segment(s) checked, %zu damaged\n", static_cast<unsigned long long>(checked), problems.size());
  return problems.empty() ? 0 : 1;
}

}  // namespace cairn::shell
